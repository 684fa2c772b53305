"""`catbot …`: the command line over the services, for admins, scripting and the demo."""

from __future__ import annotations

import typer

from bot.cli import cat as cat_cli
from bot.cli import db as db_cli
from bot.cli import monitor as monitor_cli
from bot.cli import org as org_cli

app = typer.Typer(
    name="catbot",
    help="CAT bot: rode knop, Communicatie-advies-team, tijdlijn, mediamonitors en normstellingen.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Sub-command groups; each module defines `app = typer.Typer(...)`.
app.add_typer(db_cli.app, name="db")
app.add_typer(org_cli.app, name="org")
app.add_typer(cat_cli.app, name="cat")
# (further groups are registered below, one line each)
app.add_typer(monitor_cli.app, name="monitor")


def main() -> None:
    """Console-script entry point."""
    app()
