"""`catbot playbook …`: validate playbook files and show a playbook in readable form."""

from __future__ import annotations

import typer

from bot.cli.common import UserError, friendly_errors, print_json
from playbooks.loader import bundled_playbook_files, check_playbook_files, load_playbook
from playbooks.render import to_markdown

app = typer.Typer(help="Playbooks per moreel issue: controleren en bekijken.", no_args_is_help=True)


@app.command("check", help="Controleer playbooks en meld elke fout met de plek in het bestand.")
def check_command(
    files: list[str] = typer.Argument(None, help="Playbook-bestanden (standaard: alle meegeleverde playbooks)"),
) -> None:
    """Validate playbooks and report each error with its place in the file."""
    paths = files or [str(p) for p in bundled_playbook_files()]
    results = check_playbook_files(paths)
    for path, findings in results.items():
        if not findings:
            typer.echo(f"ok: {path}")
        for finding in findings:
            typer.echo(str(finding), err=True)
    if any(results.values()):
        raise typer.Exit(1)


@app.command("show", help="Toon een playbook in leesbare vorm.")
@friendly_errors
def show_command(
    category: str = typer.Argument(..., help="Categorie of 'algemeen'"),
    as_json: bool = typer.Option(False, "--json", help="Uitvoer als JSON"),
) -> None:
    """Show a playbook in readable form."""
    try:
        playbook = load_playbook(category)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        print_json(playbook.model_dump(mode="json"))
    else:
        typer.echo(to_markdown(playbook))
