"""`catbot monitor analyse`: analyse stored articles that were never analysed (e.g. ingested --zonder-analyse)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from bot.cli import monitor_report
from bot.cli.common import UserError, friendly_errors, load_settings
from bot.container import Container
from bot.text import plural

BatchOption = Annotated[int, typer.Option("--batch", min=1, help="Artikelen per transactie (standaard 200)")]


@friendly_errors
def analyse(batch: BatchOption = 200) -> None:
    """Classify, cluster and check for pile-ups every stored article without an analysis, oldest first."""
    from monitors.pipeline import PipelineResult, unanalysed_ids

    settings = load_settings()
    container = Container(settings)
    total = PipelineResult()
    try:
        container.require_schema()
        with container.transaction() as session:
            waiting = len(unanalysed_ids(session))
        if waiting:
            monitor_report.classifier(settings)  # the model loads before any transaction opens
        while waiting:
            with container.transaction() as session:  # one transaction per batch, in publication order
                ids = unanalysed_ids(session, limit=batch)
                if not ids:
                    break
                result = monitor_report.run_pipeline(session, settings, ids, now=datetime.now(UTC))
            total.analysed += result.analysed
            total.incidents_new += result.incidents_new
            total.incidents_touched |= result.incidents_touched
            total.signals.extend(result.signals)
            if result.analysed == 0:
                raise UserError(f"{plural(len(ids), 'artikel kon', 'artikelen konden')} niet worden geanalyseerd")
    finally:
        container.close()
    if not waiting:
        typer.echo("geen ongeanalyseerde artikelen: alles is al geanalyseerd")
        return
    typer.echo(monitor_report.pipeline_line(total))
