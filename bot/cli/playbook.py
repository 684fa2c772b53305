"""`catbot playbook …`: validate playbook files and show a playbook in readable form."""

from __future__ import annotations

import typer

from bot.cli.common import UserError, friendly_errors, print_json
from playbooks.loader import bundled_playbook_files, check_playbook_files, load_playbook
from playbooks.schema import Playbook

app = typer.Typer(help="Playbooks per moreel issue: controleren en bekijken.", no_args_is_help=True)


@app.command("check")
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


def _section(title: str, lines: list[str]) -> None:
    typer.echo(f"\n{title}")
    for line in lines:
        typer.echo(f"  - {line}")


def _render(pb: Playbook) -> None:
    typer.echo(f"{pb.titel} ({pb.categorie})\n\nNorm: {pb.norm}\nKort: {pb.norm_kort}")
    _section("Wanneer van toepassing", pb.wanneer_van_toepassing)
    _section("Kernwaarden", [f"{v.waarde}: {v.betekenis}" for v in pb.kernwaarden])
    _section("Regels", [f"{r.naam}: {r.kern}" for r in pb.regels])
    _section("Bouwstenen van vertrouwen", [f"{b.bouwsteen} ({b.mate}): {b.aanpak}" for b in pb.bouwstenen])
    _section("Boegbeelden", [f"{f.niveau} – {f.wie}: {' / '.join(f.wanneer)}" for f in pb.boegbeelden])
    _section("Doen", pb.doen)
    _section("Niet doen", pb.niet_doen)
    _section("Checklist", [f"binnen {i.binnen_minuten} min: {i.stap} ({i.wie})" for i in pb.checklist])
    _section("Sjablonen", [f"{s.fase}: {', '.join(s.kanalen)} – {s.wanneer}" for s in pb.sjablonen])
    typer.echo(f"\nClassificatie: {len(pb.classificatie.termen)} termen, "
               f"{len(pb.classificatie.voorbeeldzinnen)} voorbeeldzinnen")


@app.command("show")
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
        _render(playbook)
