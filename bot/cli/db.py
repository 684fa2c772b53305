"""`catbot db …`: schema migrations."""

from __future__ import annotations

import typer

from bot.cli.common import load_settings
from bot.storage import migrate
from bot.storage.engine import make_engine

app = typer.Typer(help="Database: migraties.", no_args_is_help=True)


@app.command(help="Werk het databaseschema bij (Alembic-migraties).")
def upgrade(revision: str = typer.Argument("heads", help="Doelrevisie")) -> None:
    """Bring the database schema up to date (Alembic)."""
    settings = load_settings()
    engine = make_engine(settings.effective_database_url)
    migrate.upgrade(engine, revision)
    typer.echo(f"database bijgewerkt tot {', '.join(sorted(migrate.current_revisions(engine)))}")


@app.command(help="Toon de huidige schemarevisie.")
def current() -> None:
    """Show the current schema revision."""
    settings = load_settings()
    current = migrate.current_revisions(make_engine(settings.effective_database_url))
    typer.echo(", ".join(sorted(current)) or "(leeg)")
