"""`catbot monitor …`: feeds file check, feed status, backfill ingest and place → unit look-up."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import httpx
import typer

from bot.cli import monitor_analyse, monitor_classify, monitor_report
from bot.cli.common import UserError, friendly_errors, load_settings, print_json, session_scope
from bot.container import Container
from bot.localtime import fmt
from bot.text import plural
from monitors.feeds import is_local
from monitors.feeds_config import EXAMPLE_FEEDS_FILE, load_feeds
from monitors.ingest import IngestCounts, IngestError, ingest_source
from monitors.places import find_places
from monitors.poll import feed_states, poll_feeds

app = typer.Typer(help="Mediamonitors: feeds, artikelen en plaatsen → eenheden.", no_args_is_help=True)
feeds_app = typer.Typer(help="Het feedsbestand en de toestand per feed.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")

JsonOption = Annotated[bool, typer.Option("--json", help="Uitvoer als JSON")]
FileArg = Annotated[
    Path | None, typer.Argument(help="Feedsbestand (standaard CATBOT_FEEDS_FILE of het voorbeeld)")
]
SourcesArg = Annotated[list[str], typer.Argument(help="Bestanden, mappen, file:// of http(s)-adressen")]
FeedOption = Annotated[str | None, typer.Option("--feed", help="Bronnaam (standaard het pad of adres)")]
ForceOption = Annotated[bool, typer.Option("--force", help="Ook feeds die nog niet aan de beurt zijn")]
HintOption = Annotated[
    str | None, typer.Option("--eenheid", help="Eenheid van de bron (helpt bij dubbelzinnige namen)")
]

NoAnalysisOption = Annotated[
    bool, typer.Option("--zonder-analyse", help="Alleen opslaan: niet classificeren, clusteren of signaleren")
]

FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}


@feeds_app.command("check", help="Controleer een feedsbestand; elke fout noemt de regel.")
@friendly_errors
def feeds_check(
    file: FileArg = None,
) -> None:
    """Validate a feeds file; errors name their line."""
    path = file or load_settings().feeds_file or EXAMPLE_FEEDS_FILE
    feeds = load_feeds(path)
    for feed in feeds:
        unit = feed.unit or "-"
        typer.echo(
            f"  {feed.name}: {feed.kind.value}, eenheid {unit}, elke {feed.poll_minutes} min — {feed.url}"
        )
    typer.echo(f"{path}: {len(feeds)} feeds in orde")


@feeds_app.command("status", help="Toon per feed het laatste succes, de mislukte pogingen, de volgende poging "
                                     "en de laatste fout.")
@friendly_errors
def feeds_status(as_json: JsonOption = False) -> None:
    """Show each feed's last success, failures, next attempt and last error."""
    with session_scope(load_settings()) as session:
        states = feed_states(session)
    if as_json:
        print_json([
            {"feed": s.name, "url": s.url, "last_success_at": s.last_success_at, "failures": s.failures,
             "next_attempt_at": s.next_attempt_at, "last_error": s.last_error, "last_bozo": s.last_bozo}
            for s in states
        ])
        return
    if not states:
        typer.echo("nog geen feeds opgehaald")
    for s in states:
        error = f", laatste fout: {s.last_error}" if s.last_error else ""
        retry = fmt(s.next_attempt_at) if s.next_attempt_at else "—"
        damage = f", beschadigd: {s.last_bozo}" if s.last_bozo and not s.last_error else ""
        typer.echo(
            f"{s.name}: {plural(s.failures or 0, 'mislukte poging', 'mislukte pogingen')} op rij, "
            f"volgende poging {retry}{damage}{error}"
        )


def _expand(sources: list[str]) -> list[str]:
    expanded: list[str] = []
    for source in sources:
        path = Path(source)
        if is_local(source) and "://" not in source and path.is_dir():
            found = sorted(
                str(p) for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FEED_SUFFIXES
            )
            if not found:
                raise UserError(f"geen feedbestanden (.xml, .rss, .atom) in map {source}")
            expanded.extend(found)
        else:
            expanded.append(source)
    return expanded


@app.command("ingest", help="Lees artikelen in uit feedbestanden of adressen; daarna classificeren, clusteren en "
                           "op opstapelingen controleren.")
@friendly_errors
def ingest(
    sources: SourcesArg,
    feed_name: FeedOption = None,
    no_analysis: NoAnalysisOption = False,
) -> None:
    """Backfill articles from feed files or URLs, then classify, cluster and check for pile-ups."""
    settings = load_settings()
    items = _expand(sources)
    total, errors = IngestCounts(), []
    with (
        session_scope(settings) as session,
        httpx.Client() as client,
        typer.progressbar(items, label="inlezen") as bar,
    ):
        for source in bar:
            try:
                counts = ingest_source(
                    session, source, client=client, now=datetime.now(UTC), feed_name=feed_name
                )
            except IngestError as exc:
                errors.append(str(exc))
                continue
            total.add(counts)
        new_ids = [a.id for a in total.articles]
    analysed = None
    if not no_analysis:  # stored first; the model loads with no transaction open, then one for the analysis
        if new_ids or total.seen_again:
            monitor_report.classifier(settings)
        with session_scope(settings) as session:
            analysed = monitor_report.run_pipeline(session, settings, new_ids, total.seen_again)
    for error in errors:
        typer.echo(f"overgeslagen: {error}", err=True)
    for damage in total.damaged:
        typer.echo(f"waarschuwing: {damage}", err=True)
    typer.echo(f"nieuw: {total.new}, dubbel: {total.duplicate}, mislukt: {total.failed + len(errors)}")
    if analysed is not None:
        typer.echo(monitor_report.pipeline_line(analysed))
    if errors and len(errors) == len(items):
        raise UserError("geen enkele bron kon worden gelezen")
    if errors:  # what the other sources brought is stored; the exit code still says something was skipped
        raise UserError(f"{plural(len(errors), 'bron', 'bronnen')} van {len(items)} overgeslagen")


@app.command("poll", help="Doe één ronde over het feedsbestand: haal de feeds op die aan de beurt zijn, sla "
                         "nieuwe artikelen op en analyseer ze.")
@friendly_errors
def poll(
    file: FileArg = None, force: ForceOption = False, as_json: JsonOption = False, no_analysis: NoAnalysisOption = False
) -> None:
    """Run one round over the feeds file: fetch the due feeds, store new articles, analyse them."""
    settings = load_settings()
    path = file or settings.feeds_file
    if path is None:
        raise UserError("geen feedsbestand: geef FILE of zet CATBOT_FEEDS_FILE")
    feeds = load_feeds(path)
    container = Container(settings)
    try:
        container.migrate()
        with httpx.Client() as client:  # fetched with no transaction open; each feed stored in its own
            outcomes = poll_feeds(container.transaction, feeds, client=client, now=datetime.now(UTC), force=force)
        new_ids = [i for o in outcomes for i in o.article_ids]
        again = [i for o in outcomes for i in o.seen_again_ids]
        if not no_analysis and (new_ids or again):
            monitor_report.classifier(settings)  # the model loads before the analysis transaction
        with container.transaction() as session:
            analysed = None if no_analysis else monitor_report.run_pipeline(session, settings, new_ids, again)
    finally:
        container.close()
    if as_json:
        print_json([vars(o) for o in outcomes])
    else:
        for o in outcomes:
            detail = f"{o.new} nieuw, {o.duplicate} dubbel" if o.status != "fout" else o.error
            if o.status == "beschadigd":
                detail = f"{detail}, {o.failed} mislukt: {o.error}"
            retry = fmt(o.next_attempt_at) if o.next_attempt_at else "—"
            typer.echo(f"{o.feed}: {o.status} ({detail}); volgende poging {retry}")
        if analysed is not None:
            typer.echo(monitor_report.pipeline_line(analysed))
    if outcomes and all(o.status == "fout" for o in outcomes):
        raise UserError("geen enkele feed kon worden opgehaald")


@app.command("places", help="Vind Nederlandse plaatsen in een tekst en toon gemeente, eenheid of eenheden, "
                           "zekerheid en vlaggen.")
@friendly_errors
def places(
    text: Annotated[str, typer.Argument(help="Kop en/of tekst van een bericht")],
    unit_hint: HintOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find Dutch places in a text and show municipality, unit(s), confidence and flags."""
    hint = _unit_code(unit_hint)
    headline, _, rest = text.partition("\n") if "\n" in text else text.partition(". ")  # the first line is the kop
    result = find_places(headline, rest, unit_hint=hint)
    if as_json:
        print_json(result.to_dict())
        return
    for place in result.places:
        flag = " (dubbelzinnig)" if place.ambiguous else ""
        typer.echo(
            f"  {place.matched} → {place.name}, gemeente {place.municipality or '-'}, "
            f"eenheid {place.unit or '-'}, zekerheid {place.confidence:.2f}{flag}"
        )
    typer.echo(
        f"eenheden: {', '.join(result.units) or '-'}; gemeente: {result.municipality or '-'}; "
        f"zekerheid {result.confidence:.2f}"
    )
    if result.flags:
        typer.echo(f"vlaggen: {', '.join(result.flags)}")
    typer.echo(f"uitleg: {result.explanation}")


def _unit_code(text: str | None) -> str | None:
    if not text:
        return None
    from playbooks.vocabulary import parse_unit

    try:
        return parse_unit(text).code
    except ValueError as exc:
        raise UserError(str(exc)) from None


app.command("classify", help="Scoor geweld, discriminatie_inclusie, onpartijdigheid, integriteit en geen; toon "
                       "labels en onderbouwing.")(monitor_classify.classify)
monitor_report.register(app)
app.command("analyse", help="Analyseer opgeslagen artikelen die nog niet geanalyseerd zijn (bijv. na ingest "
                           "--zonder-analyse): in volgorde van publicatie, per batch in een eigen transactie.")(
    monitor_analyse.analyse)
