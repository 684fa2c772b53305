"""`catbot org …`: check and show the organisation file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import load_settings
from bot.organisation.loader import check_organisation
from playbooks.validation import Severity

app = typer.Typer(help="Organisatiebestand: controleren en tonen.", no_args_is_help=True)


@app.command(help="Controleer een organisatiebestand; afsluitcode 1 bij fouten, elk met zijn regel.")
def check(file: Annotated[Path | None, typer.Argument(help="Organisatiebestand (standaard CATBOT_ORG_FILE)")] = None
          ) -> None:
    """Validate an organisation file; exit 1 on errors, each naming its line."""
    path = file or load_settings().org_file
    org, findings = check_organisation(path)
    for finding in findings:
        typer.echo(str(finding), err=finding.severity is Severity.ERROR)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    if org is None:
        typer.echo(f"{path}: {errors} fout(en) gevonden.", err=True)
        raise typer.Exit(1)
    warnings = len(findings) - errors
    typer.echo(f"{path}: in orde — {len(org.people)} personen, "
               f"{sum(1 for p in org.parties.values() if p.kind == 'eenheid')} eenheden"
               + (f", {warnings} waarschuwing(en)" if warnings else "") + ".")
