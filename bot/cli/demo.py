"""`catbot demo`: the CAT story through the local Slack emulator, with an HTML transcript and the export."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import friendly_errors


@friendly_errors
def demo(
    out: Annotated[Path, typer.Option("--out", help="Map voor transcript, export en database")] = Path("demo-output"),
) -> None:
    """Play the CAT story end to end: a unit asks, the director presses the red button, the CAT works and closes."""
    from bot.slack.demo.scenario import run_demo

    started = time.monotonic()
    result = run_demo(out, say=lambda line: typer.echo(f"▶ {line}"))
    chain = "intact" if result.timeline_ok else "GEBROKEN"
    typer.echo(f"\nKlaar in {time.monotonic() - started:.1f} s; tijdlijn {chain}.")
    typer.echo(f"  transcript: {result.transcript.resolve()}")
    for path in result.exports:
        typer.echo(f"  export:     {path.resolve()}")
    typer.echo(f"  database:   {result.database.resolve()}")
