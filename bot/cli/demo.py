"""`catbot demo`: play the CAT story end to end on embedded defaults and write what came out of it."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from bot.cat import activation, advice, closing, export, requests, service, timeline
from bot.cat.ports import RecordingEffects
from bot.cat.timeline import EventKind
from bot.cli.common import friendly_errors
from bot.cli.render import print_cat
from bot.container import Container
from bot.settings import Settings


class DemoClock:
    """Scenario time: starts on a fixed Monday morning and moves forward as the story does."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 7, 40, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)


def _say(text: str) -> None:
    typer.secho(f"\n▶ {text}", bold=True)


@friendly_errors
def demo(
    out: Annotated[Path, typer.Option("--out", help="Map voor de uitvoer (wordt leeggemaakt)")] = Path("demo-output"),
) -> None:
    """Play the CAT story: a unit asks, the director presses the red button, the CAT works, closes, exports."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    clock = DemoClock()
    settings = Settings(database_url=f"sqlite:///{(out / 'demo.sqlite3').resolve()}")
    container = Container(settings, clock=clock)
    container.migrate()
    org = container.org
    unit_member = org.require("re07-woordvoerder")
    director = org.require("dir-directeur")
    effects = RecordingEffects()
    try:
        _say(f"{unit_member.name} (woordvoerder, eenheid Rotterdam) vraagt de rode knop aan")
        with container.transaction() as session:
            request = requests.request_red_button(
                session, org, requester=unit_member, title="Kopstoot bij aanhouding in Rotterdam",
                reason="Beelden van een kopstoot bij een aanhouding gaan rond; tegelijk groeit de kritiek op het "
                       "optreden bij de demonstratie in Staphorst. Media tellen de incidenten op.",
                units=["Rotterdam", "Oost-Nederland"], categories=["geweld", "onpartijdigheid"],
                links=["https://www.example.org/nieuws/kopstoot-rotterdam"], urgency="acuut", now=clock()).request
            request_id = request.id
        typer.echo(f"  aanvraag {request_id} ligt bij {', '.join(d.name for d in org.directors())}")

        clock.advance(9)
        _say(f"{director.name} (directeur communicatie) drukt de rode knop in")
        with container.transaction() as session:
            cat = activation.approve_and_create(session, org, requests.get_request(session, request_id),
                                                director=director, advice_to=["politiechef", "korpsleiding"],
                                                now=clock())
            cat_id, number = cat.id, cat.number
        clock.advance(1)
        activation.run_saga(container.transaction, cat_id, container.saga_context(effects, effects))
        with container.transaction() as session:
            print_cat(session, org, service.get_cat(session, cat_id), clock())

        _say("Het CAT vult de tijdlijn")
        steps = [
            (12, EventKind.NOTE, "re07-woordvoerder", "NOS en AD openen met de beelden; video 1,2 mln keer bekeken",
             "https://www.example.org/nieuws/kopstoot-rotterdam", 35),
            (6, EventKind.NOTE, "dienst-io-analist", "Sociale media leggen verband met Staphorst: 'politie meet met "
             "twee maten'", None, 0),
            (8, EventKind.DECISION, "dir-directeur", "Politiechef Rotterdam stelt vandaag vóór 12:00 de norm; "
             "korpsleiding reageert op de optelsom", None, 0),
        ]
        for wait, kind, who, text, link, earlier in steps:
            clock.advance(wait)
            with container.transaction() as session:
                event, _ = service.record(session, org, service.get_cat(session, cat_id), kind,
                                          actor=org.require(who), text=text, now=clock(),
                                          occurred_at=clock() - timedelta(minutes=earlier), source_url=link)
                typer.echo(f"  [{timeline.EVENT_LABELS[kind]}] {org.require(who).name}: {text}")

        clock.advance(15)
        _say("Het CAT adviseert de politiechef en de korpsleiding")
        with container.transaction() as session:
            found = service.get_cat(session, cat_id)
            for recipient, text in (
                ("politiechef:RE07", "Stel vandaag zelf de norm: geweld alleen als het nodig en proportioneel is. "
                                     "Toon zelfreflectie en zeg wat er nu gebeurt; geen oordeel over de collega."),
                ("korpsleiding", "Erken publiek dat incidenten in Rotterdam en Staphorst samen vragen oproepen over "
                                 "rechtvaardigheid; kondig een gesprek met betrokken groepen aan."),
            ):
                given = advice.give_advice(session, org, found, actor=director, recipient=recipient, text=text,
                                           now=clock())
                typer.echo(f"  advies {given.id} aan {recipient}: {text}")
        clock.advance(50)
        with container.transaction() as session:
            advice.record_response(session, org, service.get_cat(session, cat_id), 1, actor=director,
                                   status="overgenomen", response="Politiechef sprak om 11:30 met de pers",
                                   now=clock())

        clock.advance(60 * 24 * 3)
        _say("Drie dagen later sluit de directeur het CAT met een evaluatie")
        with container.transaction() as session:
            follow_up = closing.close_cat(session, org, service.get_cat(session, cat_id), actor=director,
                                          went_well="Binnen een uur één lijn tussen eenheid, directie en dienst.",
                                          to_learn="De optelsom met Staphorst hadden we een dag eerder kunnen zien.",
                                          now=clock())
            typer.echo(f"  opvolging gepland op {follow_up.due_at:%d-%m-%Y}: {follow_up.payload['message']}")

        with container.transaction() as session:
            found = service.get_cat(session, cat_id)
            (out / f"{number}.md").write_text(export.export_markdown(session, org, found, clock()), "utf-8")
            (out / f"{number}.json").write_text(json.dumps(export.export_json(session, org, found, clock()),
                                                           ensure_ascii=False, indent=2), "utf-8")
            check = timeline.verify(session, found)
        _say("Klaar")
        typer.echo(f"  tijdlijn: {check.events} gebeurtenissen, hash-keten {'intact' if check.ok else 'GEBROKEN'}")
        typer.echo(f"  export:   {(out / f'{number}.md').resolve()}")
        typer.echo(f"            {(out / f'{number}.json').resolve()}")
        typer.echo(f"  database: {(out / 'demo.sqlite3').resolve()}")
    finally:
        container.close()
