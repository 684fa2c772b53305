"""`catbot monitor report|signaal` and the pipeline step that ingest and poll run after storing articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy.orm import Session

from bot.cli.common import UserError, friendly_errors, load_settings, print_json, session_scope
from bot.localtime import fmt, local, start_of_local_day
from bot.settings import Settings
from bot.text import plural
from monitors.pileup import STATUSES, SignalError, set_status
from monitors.report import report as build_report
from monitors.report import signal_dict

if TYPE_CHECKING:
    from monitors.classify import Classifier
    from monitors.pipeline import PipelineResult

DEFAULT_DAYS = 14
JsonOption = Annotated[bool, typer.Option("--json", help="Uitvoer als JSON")]
SinceOption = Annotated[
    str | None, typer.Option("--since", "--sinds", help="Vanaf datum (JJJJ-MM-DD), standaard 14 dagen terug")
]


def classifier(settings: Settings) -> Classifier:
    """The process's one classifier (bot.analysis); a model that cannot load is a clear error."""
    from bot.analysis import settings_classifier
    from encoder import EncoderLoadError

    try:
        return settings_classifier(settings)
    except EncoderLoadError as exc:
        raise UserError(str(exc)) from None


def run_pipeline(
    session: Session, settings: Settings, article_ids: Sequence[int], seen_again: Sequence[int] = (),
    now: datetime | None = None,
) -> PipelineResult:
    """Analyse, cluster and check for pile-ups; the encoder is loaded once per process."""
    from bot.analysis import run_pipeline as run

    classifier(settings)  # a model that cannot load: the Dutch error, before anything is analysed
    return run(session, settings, article_ids, seen_again, now)


def pipeline_line(result: PipelineResult) -> str:
    """One Dutch summary line of a pipeline run."""
    line = f"geanalyseerd: {result.analysed}, incidenten: {len(result.incidents_touched)} "
    line += f"({result.incidents_new} nieuw), signalen: {len(result.signals)}"
    return line + "".join(f"\n  signaal {s.id} ({s.kind}): {s.reason}" for s in result.signals)


def _since(text: str | None) -> datetime:
    if not text:
        return start_of_local_day(local(datetime.now(UTC)).date() - timedelta(days=DEFAULT_DAYS))
    try:
        return start_of_local_day(date.fromisoformat(text))
    except ValueError:
        raise UserError(f"ongeldige datum '{text}': gebruik JJJJ-MM-DD") from None


@friendly_errors
def report(since: SinceOption = None, as_json: JsonOption = False) -> None:
    """Show incidents (with their articles) and pile-up signals since a date."""
    with session_scope(load_settings()) as session:
        data = build_report(session, since=_since(since))
    if as_json:
        print_json(data)
        return
    for line in render(data):
        typer.echo(line)


def render(data: dict[str, Any]) -> list[str]:
    """Human-readable lines: signals first, then incidents with a moral issue, then a count of the rest."""
    lines = [f"signalen: {len(data['signals'])}"]
    for s in data["signals"]:
        lines.append(f"  [{s['id']}] {s['kind']} · {s['status']} · {fmt(s['created_at'])}: {s['reason']}")
    moral = [i for i in data["incidents"] if i["categories"]]
    lines.append(f"incidenten met een moreel issue: {len(moral)} (van {len(data['incidents'])})")
    for i in moral:
        lines.append(
            f"  [{i['id']}] {i['label']} — {', '.join(i['categories'])}; eenheden {', '.join(i['units']) or '-'}; "
            f"{plural(i['article_count'], 'bericht', 'berichten')} uit {plural(i['source_count'], 'bron', 'bronnen')}, "
            f"{fmt(i['first_seen'])} – {fmt(i['last_seen'])}"
        )
    return lines


@friendly_errors
def signal(
    signal_id: Annotated[int, typer.Argument(help="Nummer van het signaal")],
    status: Annotated[str, typer.Option("--status", help=f"Nieuwe status: {', '.join(STATUSES)}")],
    by: Annotated[str, typer.Option("--door", help="Wie dit besluit")],
    reason: Annotated[str | None, typer.Option("--reden", help="Reden (verplicht bij negeren)")] = None,
    cat: Annotated[str | None, typer.Option("--cat", help="CAT-nummer bij koppelen")] = None,
    as_json: JsonOption = False,
) -> None:
    """Dismiss a signal (with a reason, kept as feedback), link it to a CAT or mark it escalated."""
    with session_scope(load_settings()) as session:
        try:
            row = set_status(session, signal_id, status, by=by, now=datetime.now(UTC), reason=reason, cat=cat)
        except SignalError as exc:
            raise UserError(str(exc)) from None
        data = signal_dict(row)
    if as_json:
        print_json(data)
    else:
        typer.echo(f"signaal {data['id']}: {data['status']}")


def register(app: typer.Typer) -> None:
    """Add the report and signal commands to `catbot monitor`."""
    app.command("report", help="Toon incidenten (met hun berichten) en opstapelingssignalen sinds een datum.")(report)
    app.command("signaal", help="Negeer een signaal (met reden, bewaard als feedback), koppel het aan een CAT of "
                         "markeer het als geëscaleerd.")(signal)
