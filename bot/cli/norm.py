"""`catbot norm …`: draft norm statements from the playbooks and check a statement against the memo's criteria."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from bot.cli.common import UserError, friendly_errors, load_settings, print_json
from bot.container import load_norm_detector
from norm_statements.check import NO_MODEL_NOTICE
from norm_statements.check import check as check_statement
from norm_statements.drafting import VARIABLES, DraftError, draft, list_combinations
from norm_statements.findings import Severity, has_errors
from playbooks.vocabulary import Channel, Phase

app = typer.Typer(help="Normstellingen: concepten maken uit het playbook en teksten controleren.", no_args_is_help=True)


def _parse_vars(items: list[str]) -> dict[str, str]:
    """Turn ['plaats=Utrecht', ...] into a dict; a malformed item is a user error."""
    result: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"ongeldige --var '{item}': gebruik sleutel=waarde, bijv. --var plaats=Utrecht")
        result[key.strip()] = value
    return result


def _required(value: str | None, option: str, choices: list[str]) -> str:
    if value is None:
        raise UserError(f"geef {option} op; kies uit: {', '.join(choices)}")
    return value


@app.command("draft", help="Maak een concept voor één categorie, fase en kanaal.")
@friendly_errors
def draft_command(
    category: str = typer.Argument(..., help="Categorie: geweld, discriminatie_inclusie, onpartijdigheid, integriteit"),
    phase: str | None = typer.Option(None, "--phase", help="Fase: " + ", ".join(p.value for p in Phase)),
    channel: str | None = typer.Option(None, "--channel", help="Kanaal: " + ", ".join(c.value for c in Channel)),
    var: list[str] = typer.Option([], "--var", help="Variabele sleutel=waarde: " + ", ".join(VARIABLES)),
    lang: str = typer.Option("nl", "--lang", help="Taal (nl)"),
    as_json: bool = typer.Option(False, "--json", help="Uitvoer als JSON"),
) -> None:
    """Make a draft for one category, phase and channel."""
    phase = _required(phase, "een fase met --phase", [p.value for p in Phase])
    channel = _required(channel, "een kanaal met --channel", [c.value for c in Channel])
    try:
        result = draft(category, phase, channel, _parse_vars(var), lang=lang)
    except DraftError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        print_json(result.to_dict())
        return
    typer.echo(result.text)
    if result.placeholders:
        typer.echo(f"\nnog in te vullen: {', '.join(result.placeholders)}", err=True)


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"bestand niet gevonden: {file}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"bestand niet leesbaar: {file} ({exc})") from None


@app.command("check", help="Controleer een verklaring aan de criteria; afsluitcode 1 bij fouten.")
@friendly_errors
def check_command(
    file: str = typer.Argument(..., help="Tekstbestand met de verklaring ('-' leest van stdin)"),
    channel: str | None = typer.Option(None, "--channel",
                                       help="Kanaal (verplicht): " + ", ".join(c.value for c in Channel)),
    category: str | None = typer.Option(None, "--category", help="Categorie (verplicht), bijv. geweld"),
    allow_name: list[str] = typer.Option([], "--allow-name", help="Naam die wel mag (bijv. het boegbeeld)"),
    as_json: bool = typer.Option(False, "--json", help="Uitvoer als JSON"),
) -> None:
    """Check a statement; exits non-zero when there are errors."""
    channel = _required(channel, "het kanaal met --channel", [c.value for c in Channel])
    category = _required(category, "de categorie met --category", ["geweld", "discriminatie_inclusie",
                                                                     "onpartijdigheid", "integriteit"])
    text = _read(file)
    norms = load_norm_detector(load_settings().model)
    if norms is None:
        typer.echo(NO_MODEL_NOTICE, err=True)
    try:
        findings = check_statement(text, channel, category, allowed_names=allow_name, norms=norms)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    counts = {s: sum(f.severity is s for f in findings) for s in Severity}
    if as_json:
        print_json({"ok": not has_errors(findings), "findings": [f.to_dict() for f in findings]})
    else:
        for finding in findings:
            typer.echo(f"{finding}\n")
        if counts[Severity.ERROR] or counts[Severity.WARNING]:
            typer.echo(f"{counts[Severity.ERROR]} fout(en), {counts[Severity.WARNING]} waarschuwing(en), "
                       f"{counts[Severity.INFO]} tip(s)")
        else:
            typer.echo("geen bevindingen: de tekst voldoet aan de criteria")
    if has_errors(findings):
        raise typer.Exit(1)


@app.command("list", help="Toon elke combinatie van categorie × fase × kanaal waarvoor een concept kan worden gemaakt.")
def list_command(as_json: bool = typer.Option(False, "--json", help="Uitvoer als JSON")) -> None:
    """List every category × phase × channel a draft can be made for."""
    rows = [(c.value, p.value, ch.value) for c, p, ch in list_combinations()]
    if as_json:
        print_json([{"category": c, "phase": p, "channel": ch} for c, p, ch in rows])
        return
    for c, p, ch in rows:
        typer.echo(f"{c:<24} {p:<20} {ch}")
    typer.echo(f"\n{len(rows)} combinaties; afloop kent de variabele uitkomst "
               "(onbekend, geen_verwijtbaar_handelen, verwijtbaar)")


