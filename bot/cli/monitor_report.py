"""`catbot monitor report|signaal` and the pipeline step that ingest and poll run after storing articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy.orm import Session

from bot.cat.service import get_cat
from bot.cli.common import UserError, friendly_errors, load_settings, print_json, session_scope, unit_of_work
from bot.localtime import ZONE_NOTE, fmt, local, start_of_local_day
from bot.settings import Settings
from bot.text import plural
from monitors.pileup import SignalError, set_status
from monitors.report import report as build_report
from monitors.report import signal_dict

if TYPE_CHECKING:
    from monitors.classify import Classifier
    from monitors.pipeline import PipelineResult

DEFAULT_DAYS = 14
DUTCH_STATUS = {"new": "nieuw", "dismissed": "genegeerd", "linked": "gekoppeld", "escalated": "opgeschaald"}
FROM_DUTCH = {dutch: stored for stored, dutch in DUTCH_STATUS.items()}
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
    start, now = _since(since), datetime.now(UTC)
    with session_scope(load_settings()) as session:
        data = build_report(session, since=start)
    if as_json:
        print_json(data)
        return
    typer.echo(f"venster: {fmt(start)} – {fmt(now)}, {ZONE_NOTE}")
    for line in render(data):
        typer.echo(line)


def render(data: dict[str, Any]) -> list[str]:
    """Human-readable lines: signals first, then incidents with a moral issue, then a count of the rest."""
    lines = [f"signalen: {len(data['signals'])}"]
    for s in data["signals"]:
        lines.append(f"  [{s['id']}] {s['kind']} · {DUTCH_STATUS.get(s['status'], s['status'])} · "
                     f"{fmt(s['created_at'])}: {s['reason']}")
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
    status: Annotated[str, typer.Option("--status", help=f"Nieuwe status: {', '.join(FROM_DUTCH)}")],
    by: Annotated[str | None, typer.Option("--as", help="Wie besluit: e-mail, Slack-id of persoons-id")] = None,
    reason: Annotated[str | None, typer.Option("--reden", help="Reden (verplicht bij negeren)")] = None,
    cat: Annotated[str | None, typer.Option("--cat", help="CAT-nummer bij koppelen (bijv. CAT-2026-007)")] = None,
    as_json: JsonOption = False,
    door: Annotated[str | None, typer.Option("--door", hidden=True)] = None,  # the old name of --as
) -> None:
    """Dismiss a signal (with a reason, kept as feedback), link it to an existing CAT or mark it escalated."""
    by = by or door
    if not by:
        raise UserError("zeg met --as wie dit besluit (e-mailadres, Slack-id of persoons-id)")
    stored = FROM_DUTCH.get(status.strip().lower())
    if stored is None:
        raise UserError(f"onbekende status '{status}'; kies uit: {', '.join(FROM_DUTCH)}")
    if cat and stored != "linked":
        raise UserError("--cat hoort bij --status gekoppeld")
    with unit_of_work(load_settings(), with_org=True) as (container, session):
        person = container.org.require(by)
        number = get_cat(session, cat).number if cat else None
        try:
            row = set_status(session, signal_id, stored, by=person.id, now=datetime.now(UTC), reason=reason,
                             cat=number)
        except SignalError as exc:
            raise UserError(str(exc)) from None
        data = signal_dict(row)
    if as_json:
        print_json(data)
    else:
        suffix = f" aan {number}" if number else ""
        typer.echo(f"signaal {data['id']}: {DUTCH_STATUS.get(data['status'], data['status'])}{suffix}")


def register(app: typer.Typer) -> None:
    """Add the report and signal commands to `catbot monitor`."""
    app.command("report", help="Toon incidenten (met hun berichten) en opstapelingssignalen sinds een datum; het "
                "venster loopt tot nu. Een signaal telt mee als het in het venster is gemaakt (ook over "
                "oudere berichten), dus wat ingest net meldde staat er altijd in.")(report)
    app.command("signaal", help="Negeer een signaal (met reden, bewaard als feedback), koppel het aan een CAT of "
                         "markeer het als opgeschaald (statussen: nieuw, genegeerd, gekoppeld, opgeschaald).")(signal)
