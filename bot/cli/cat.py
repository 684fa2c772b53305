"""`catbot cat …`: the whole CAT story from the command line."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from bot import localtime
from bot.cat import activation, advice, closing, export, membership, requests, service, statements, timeline
from bot.cat.models import CAT_STATUS_LABELS, REQUEST_STATE_LABELS, CatStatus, RequestState
from bot.cat.ports import RecordingEffects
from bot.cat.timeline import EventKind
from bot.cli.common import UserError, friendly_errors, load_settings, print_json, unit_of_work
from bot.cli.render import print_cat, print_request
from bot.container import Container, load_norm_detector
from bot.organisation.model import Person

app = typer.Typer(help="CAT: rode knop, team, tijdlijn, advies, sluiten en export.", no_args_is_help=True)

AsOption = Annotated[str, typer.Option("--as", help="Wie handelt: e-mailadres, Slack-id of persoons-id")]
JsonOption = Annotated[bool, typer.Option("--json", help="Uitvoer als JSON")]
CatArg = Annotated[str, typer.Argument(help="CAT-nummer, bijv. CAT-2026-001")]


def _unit_of_work() -> AbstractContextManager[tuple[Container, Session]]:
    return unit_of_work(with_org=True)


def _parse_time(value: str | None, now: datetime) -> datetime | None:
    """--at as typed: Dutch time unless it carries an offset."""
    if value is None:
        return None
    try:
        return localtime.parse(value, now=now)
    except localtime.TimeInputError as exc:
        raise UserError(str(exc)) from None


def _activate(container: Container, cat_id: int) -> None:
    """Run the activation through Slack when a bot token is configured, else on the recording stand-in."""
    effects = container.platform_effects()
    if isinstance(effects, RecordingEffects):
        typer.echo("(geen SLACK_BOT_TOKEN: kanaal, uitnodigingen en kickoff alleen vastgelegd, niet in Slack gezet)")
    if container.activate(cat_id, effects).busy:
        typer.echo("De activatie loopt al in een ander proces; dat maakt haar af.")


@app.command(help="Vraag de directeur communicatie de rode knop in te drukken (een directeur activeert direct).")
@friendly_errors
def request(
    actor: AsOption,
    title: Annotated[str, typer.Option(help="Korte titel")],
    reason: Annotated[str, typer.Option(help="Wat is er aan de hand en waarom een CAT?")],
    unit: Annotated[list[str], typer.Option(help="Betrokken eenheid (herhaalbaar): RE07 of Rotterdam")],
    category: Annotated[list[str] | None, typer.Option(help="Moreel issue (herhaalbaar)")] = None,
    link: Annotated[list[str] | None, typer.Option(help="Link (herhaalbaar)")] = None,
    urgency: Annotated[str, typer.Option(help="normaal, hoog of acuut")] = "hoog",
    advice_to: Annotated[list[str] | None, typer.Option(help="Bij directe activatie: politiechef/korpsleiding")] = None,
) -> None:
    """Ask the director to press the red button (a director's own request activates directly)."""
    with _unit_of_work() as (container, session):
        person = container.org.require(actor)
        now = container.clock()
        outcome = requests.request_red_button(
            session, container.org, requester=person, title=title, reason=reason, units=unit,
            categories=category or [], links=link or [], urgency=urgency, now=now,
            expires_after=timedelta(hours=container.settings.request_expiry_hours))
        req = outcome.request
        if not outcome.created:
            typer.echo(f"Er loopt al een aanvraag voor dezelfde eenheden en issues: aanvraag {req.id} "
                       f"({REQUEST_STATE_LABELS[RequestState(req.state)]}). Er is geen tweede aangemaakt.")
            return
        if not container.org.may_decide(person):
            print_request(container.org, req)
            typer.echo(f"Aanvraag {req.id} ligt bij: {', '.join(d.name for d in container.org.deciders())}.")
            return
        cat = activation.approve_and_create(session, container.org, req, director=person,
                                            advice_to=advice_to or ["politiechef"], now=now)
        cat_id = cat.id
    _activate_and_show(cat_id)


def _activate_and_show(cat_id: int) -> None:
    container = Container(load_settings())
    try:
        _activate(container, cat_id)
        with container.transaction() as session:
            print_cat(session, container.org, service.get_cat(session, cat_id), container.clock())
    finally:
        container.close()


@app.command(help="Druk de rode knop in voor een openstaande aanvraag: het CAT wordt samengesteld en geactiveerd.")
@friendly_errors
def approve(
    request_id: int,
    actor: AsOption,
    advice_to: Annotated[list[str] | None, typer.Option(help="politiechef en/of korpsleiding")] = None,
) -> None:
    """Press the red button for a pending request: the CAT is composed and activated."""
    with _unit_of_work() as (container, session):
        req = requests.get_request(session, request_id)
        cat = activation.approve_and_create(session, container.org, req, director=container.org.require(actor),
                                            advice_to=advice_to or ["politiechef"], now=container.clock())
        cat_id = cat.id
    _activate_and_show(cat_id)


@app.command(help="Wijs een openstaande aanvraag af, met een reden.")
@friendly_errors
def decline(request_id: int, actor: AsOption, reason: Annotated[str, typer.Option(help="Reden")]) -> None:
    """Decline a pending request with a reason."""
    with _unit_of_work() as (container, session):
        req = requests.decline(session, container.org, requests.get_request(session, request_id),
                               director=container.org.require(actor), reason=reason, now=container.clock())
        typer.echo(f"Aanvraag {req.id} afgewezen: {req.decline_reason}")


@app.command(help="Trek je eigen openstaande aanvraag in.")
@friendly_errors
def withdraw(request_id: int, actor: AsOption) -> None:
    """Withdraw your own pending request."""
    with _unit_of_work() as (container, session):
        req = requests.withdraw(session, container.org, requests.get_request(session, request_id),
                                person=container.org.require(actor), now=container.clock())
        typer.echo(f"Aanvraag {req.id} ingetrokken.")


@app.command("list", help="Toon de aanvragen en CAT's.")
@friendly_errors
def list_(as_json: JsonOption = False) -> None:
    """List requests and CATs."""
    with _unit_of_work() as (container, session):
        requests.expire_stale(session, container.clock())
        reqs = requests.list_requests(session)
        cats = service.list_cats(session)
        if as_json:
            print_json({
                "requests": [{"id": r.id, "title": r.title, "state": r.state, "units": r.units,
                              "categories": r.categories, "requester": r.requester_id,
                              "created_at": localtime.iso(r.created_at)} for r in reqs],
                "cats": [{"number": c.number, "title": c.title, "status": c.status, "units": c.units,
                          "categories": c.categories, "activated_at": localtime.iso(c.activated_at)} for c in cats],
            })
            return
        typer.echo("Aanvragen:" if reqs else "Geen aanvragen.")
        for r in reqs:
            typer.echo(f"  {r.id:>4}  {REQUEST_STATE_LABELS[RequestState(r.state)]:<16} {r.title}")
        typer.echo("CAT's:" if cats else "Geen CAT's.")
        for c in cats:
            typer.echo(f"  {c.number}  {CAT_STATUS_LABELS[CatStatus(c.status)]:<10} {c.title}")


@app.command(help="Toon een CAT: team met redenen, gaten, advies en klokken.")
@friendly_errors
def show(cat: CatArg, as_json: JsonOption = False) -> None:
    """Show a CAT: team with reasons, gaps, advice, clocks."""
    with _unit_of_work() as (container, session):
        found = service.get_cat(session, cat)
        if as_json:
            print_json(export.cat_summary(session, container.org, found, container.clock()))
        else:
            print_cat(session, container.org, found, container.clock())


def _record(cat: str, kind: EventKind, text: str, actor: str, at: str | None, link: str | None) -> None:
    with _unit_of_work() as (container, session):
        found = service.get_cat(session, cat)
        person: Person = container.org.require(actor)
        now = container.clock()
        event, _ = service.record(session, container.org, found, kind, actor=person, text=text,
                                  now=now, occurred_at=_parse_time(at, now), source_url=link)
        typer.echo(f"{found.number}: {timeline.EVENT_LABELS[kind]} vastgelegd als gebeurtenis {event.seq}.")


AT_HELP = "Oorspronkelijk tijdstip, Nederlandse tijd: 2026-11-29T14:05 of 14:05 (vandaag)"
AtOption = Annotated[str | None, typer.Option("--at", help=AT_HELP)]
LinkOption = Annotated[str | None, typer.Option("--link", help="Bron (URL)")]


@app.command(help="Zet een notitie op de tijdlijn.")
@friendly_errors
def note(cat: CatArg, text: str, actor: AsOption, at: AtOption = None, link: LinkOption = None) -> None:
    """Put a note on the timeline."""
    _record(cat, EventKind.NOTE, text, actor, at, link)


@app.command(help="Zet een besluit op de tijdlijn.")
@friendly_errors
def decision(cat: CatArg, text: str, actor: AsOption, at: AtOption = None, link: LinkOption = None) -> None:
    """Put a decision on the timeline."""
    _record(cat, EventKind.DECISION, text, actor, at, link)


@app.command("advice", help="Leg het advies van het CAT aan een politiechef of de korpsleiding vast.")
@friendly_errors
def advice_(
    cat: CatArg, actor: AsOption,
    to: Annotated[str, typer.Option("--to", help="politiechef, politiechef:RE07 of korpsleiding")],
    text: Annotated[str, typer.Option(help="Het advies")],
) -> None:
    """Record the CAT's advice to a politiechef or the korpsleiding."""
    with _unit_of_work() as (container, session):
        found = service.get_cat(session, cat)
        given = advice.give_advice(session, container.org, found, actor=container.org.require(actor), recipient=to,
                                   text=text, now=container.clock())
        typer.echo(f"{found.number}: advies {given.id} vastgelegd.")


@app.command("advice-response", help="Leg vast hoe de ontvanger op een advies heeft gereageerd.")
@friendly_errors
def advice_response(
    cat: CatArg, advice_id: int, actor: AsOption,
    status: Annotated[str, typer.Option(help="overgenomen, deels overgenomen, niet overgenomen")],
    response: Annotated[str, typer.Option(help="Toelichting")] = "",
) -> None:
    """Record how the recipient responded to an advice."""
    with _unit_of_work() as (container, session):
        found = service.get_cat(session, cat)
        advice.record_response(session, container.org, found, advice_id, actor=container.org.require(actor),
                               status=status, response=response, now=container.clock())
        typer.echo(f"{found.number}: reactie op advies {advice_id} vastgelegd.")


@app.command(help="Voeg een collega toe aan het CAT (dicht de gaten in de bezetting die hij of zij vult).")
@friendly_errors
def member(cat: CatArg, person: str, actor: AsOption, reason: Annotated[str, typer.Option(help="Reden")] = "") -> None:
    """Add a colleague to the CAT (closes gaps they can fill)."""
    with _unit_of_work() as (container, session):
        found = service.get_cat(session, cat)
        newcomer = container.org.require(person)
        membership.add_member(session, container.org, found, newcomer, actor=container.org.require(actor),
                              reason=reason, now=container.clock())
        typer.echo(f"{newcomer.name} toegevoegd aan {found.number}.")


@app.command(help="Sluit het CAT met een evaluatie; de opvolging (afloop communiceren) wordt gepland.")
@friendly_errors
def close(
    cat: CatArg, actor: AsOption,
    went_well: Annotated[str, typer.Option(help="Wat ging goed")],
    to_learn: Annotated[str, typer.Option(help="Wat leren we")],
) -> None:
    """Close the CAT with an evaluation; the follow-up on the outcome is scheduled."""
    with _unit_of_work() as (container, session):
        found = service.get_cat(session, cat)
        follow_up = closing.close_cat(session, container.org, found, actor=container.org.require(actor),
                                      went_well=went_well, to_learn=to_learn, now=container.clock(),
                                      follow_up_after=timedelta(days=container.settings.follow_up_days))
        typer.echo(f"{found.number} gesloten. Opvolging (afloop communiceren) gepland op "
                   f"{localtime.fmt_day(follow_up.due_at)}.")


@app.command("export", help="Exporteer de tijdlijn als Markdown of JSON.")
@friendly_errors
def export_(
    cat: CatArg,
    fmt: Annotated[str, typer.Option("--format", help="md of json")] = "md",
    out: Annotated[str | None, typer.Option(
        "--out", help="Bestand; '-' schrijft naar stdout (standaard: exports/ in de datamap)")] = None,
) -> None:
    """Export the timeline as Markdown or JSON."""
    if fmt not in ("md", "json"):
        raise UserError("--format moet 'md' of 'json' zijn")
    with _unit_of_work() as (container, session):
        found = service.get_cat(session, cat)
        now = container.clock()
        if fmt == "json":
            text = json.dumps(export.export_json(session, container.org, found, now), ensure_ascii=False, indent=2)
        else:
            text = export.export_markdown(session, container.org, found, now)
    if out == "-":
        typer.echo(text)
        return
    target = Path(out) if out else container.settings.data_dir / "exports" / f"{found.number}.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text + "\n", encoding="utf-8")
    typer.echo(f"Export geschreven naar {target}")


@app.command(help="Controleer de hashketen van de tijdlijn; afsluitcode 1 als die gebroken is.")
@friendly_errors
def verify(cat: CatArg) -> None:
    """Check the timeline's hash chain; exit code 1 when it is broken."""
    with _unit_of_work() as (_container, session):
        found = service.get_cat(session, cat)
        check = timeline.verify(session, found)
    if check.ok:
        typer.echo(f"{found.number}: tijdlijn intact ({check.events} gebeurtenissen, {check.purged} geschoond).")
        return
    typer.echo(f"{found.number}: TIJDLIJN GEBROKEN", err=True)
    for problem in check.problems:
        typer.echo(f"  - {problem}", err=True)
    raise typer.Exit(1)


@app.command(help="Maak een onderbroken activatie af (alleen de stappen die nog niet gedaan zijn).")
@friendly_errors
def resume(cat: CatArg) -> None:
    """Finish an interrupted activation (runs only the steps not yet done)."""
    with _unit_of_work() as (_container, session):
        found = service.get_cat(session, cat)
        remaining = activation.pending_steps(session, found)
        cat_id = found.id
    if not remaining:
        typer.echo(f"{found.number}: activatie is al voltooid.")
        return
    _activate_and_show(cat_id)


@app.command("statements", help="Toon de versies van de normstellingen van het CAT met hun status "
             "(concept, goedgekeurd, gepubliceerd).")
@friendly_errors
def statements_(cat: CatArg, as_json: JsonOption = False) -> None:
    """List the CAT's norm-statement versions with their state (concept, goedgekeurd, gepubliceerd)."""
    with _unit_of_work() as (_container, session):
        found = service.get_cat(session, cat)
        rows = statements.list_statements(session, found)
        if as_json:
            print_json([{"id": s.id, "category": s.category, "phase": s.phase, "channel": s.channel,
                         "version": s.version, "state": s.state, "author": s.author_id, "approved_by": s.approved_by,
                         "published_via": s.published_via, "published_at": s.published_at, "text": s.text}
                        for s in rows])
            return
        typer.echo(f"{found.number}: normstellingen" if rows else f"{found.number}: nog geen normstellingen.")
        for s in rows:
            typer.echo(f"  {s.id:>4}  {statements.STATE_LABELS[s.state]:<12} {statements.label(s)}"
                       f"  (door {s.author_id})")


@app.command("statement-edit", help="Sla een tekst op als volgende versie (concept) van een normstelling in het CAT.")
@friendly_errors
def statement_edit(
    cat: CatArg, actor: AsOption,
    category: Annotated[str, typer.Option(help="Categorie, bijv. geweld")],
    phase: Annotated[str, typer.Option(help="Fase, bijv. eerste_reactie")],
    channel: Annotated[str, typer.Option(help="Kanaal, bijv. persverklaring")] = "persverklaring",
    text: Annotated[str | None, typer.Option(help="De tekst")] = None,
    file: Annotated[Path | None, typer.Option(help="Tekstbestand met de tekst")] = None,
) -> None:
    """Save a text as the next version (a draft) of a norm statement in the CAT."""
    if (text is None) == (file is None):
        raise UserError("geef de tekst met --text of met --file (één van beide)")
    if text is None:
        assert file is not None
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"bestand niet leesbaar: {file} ({exc})") from None
    with _unit_of_work() as (container, session):
        found = service.get_cat(session, cat)
        saved = statements.new_version(session, container.org, found, actor=container.org.require(actor),
                                       category=category, phase=phase, channel=channel, text=text,
                                       now=container.clock())
        typer.echo(f"{found.number}: {statements.label(saved)} opgeslagen als concept (id {saved.id}).")


@app.command("statement-approve", help="Keur een versie goed (vier ogen: niet de auteur; een directeur of "
             "de woordvoerder van de directie).")
@friendly_errors
def statement_approve(cat: CatArg, statement_id: int, actor: AsOption) -> None:
    """Approve a version (four eyes: not the author; a director or the directorate's spokesperson)."""
    norms = load_norm_detector(load_settings().model)  # before the transaction: loading a model takes seconds
    with _unit_of_work() as (container, session):
        found = service.get_cat(session, cat)
        approved = statements.approve(session, container.org, found, statement_id,
                                      approver=container.org.require(actor), now=container.clock(), norms=norms)
        typer.echo(f"{found.number}: {statements.label(approved)} goedgekeurd.")


@app.command("statement-publish", help="Leg vast dat een goedgekeurde versie is gepubliceerd; de eerste "
             "publicatie stopt de klok.")
@friendly_errors
def statement_publish(
    cat: CatArg, statement_id: int, actor: AsOption,
    via: Annotated[str, typer.Option(help="Waar: persverklaring, social, intranet, …")],
) -> None:
    """Record that an approved version was published; the first publication stops the clock."""
    with _unit_of_work() as (container, session):
        found = service.get_cat(session, cat)
        published = statements.publish(session, container.org, found, statement_id,
                                       actor=container.org.require(actor), via=via, now=container.clock())
        typer.echo(f"{found.number}: {statements.label(published)} gepubliceerd via {published.published_via}.")
