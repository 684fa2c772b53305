"""The timeline: append-only, original timestamps, hash chain that catches tampering."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bot.cat import activation, service, timeline
from bot.cat.models import Cat, TimelineEvent
from bot.cat.timeline import EventKind
from bot.errors import InvalidInput, NotAllowed
from bot.organisation.model import Organisation
from bot.storage.engine import make_session_factory
from tests.bot.conftest import Clock, file_request


def new_cat(session: Session, org: Organisation, clock: Clock) -> Cat:
    request = file_request(session, org, clock)
    clock.advance(minutes=5)
    return activation.approve_and_create(session, org, request, director=org.require("dir-directeur"),
                                         advice_to=["politiechef"], now=clock())


def test_activation_puts_request_and_approval_on_the_timeline_with_original_times(
    session: Session, org: Organisation, clock: Clock
) -> None:
    requested_at = clock()
    cat = new_cat(session, org, clock)
    kinds = [(e.kind, e.occurred_at) for e in timeline.events(session, cat)]
    assert kinds == [("requested", requested_at), ("approved", clock()), ("activated", clock())]


def test_note_keeps_original_time_apart_from_recording_time(session: Session, org: Organisation,
                                                            clock: Clock) -> None:
    cat = new_cat(session, org, clock)
    seen_at = clock() - timedelta(minutes=40)
    clock.advance(minutes=3)
    event, created = service.record(session, org, cat, EventKind.NOTE, actor=org.require("dir-directeur"),
                                    text="NOS meldt dat de video 2 miljoen keer is bekeken", now=clock(),
                                    occurred_at=seen_at, source_url="https://nos.nl/x")
    assert created and event.occurred_at == seen_at and event.recorded_at == clock()
    with pytest.raises(InvalidInput, match="toekomst"):
        service.record(session, org, cat, EventKind.NOTE, actor=org.require("dir-directeur"), text="x",
                       now=clock(), occurred_at=clock() + timedelta(hours=1))


def test_outsiders_cannot_write(session: Session, org: Organisation, clock: Clock) -> None:
    cat = new_cat(session, org, clock)
    with pytest.raises(NotAllowed, match="is geen lid van CAT-2026-001"):
        service.record(session, org, cat, EventKind.NOTE, actor=org.require("re01-woordvoerder"), text="x",
                       now=clock())


def test_natural_key_records_once(session: Session, org: Organisation, clock: Clock) -> None:
    cat = new_cat(session, org, clock)
    director = org.require("dir-directeur")
    first, created = service.record(session, org, cat, EventKind.NOTE, actor=director, text="gepind bericht",
                                    now=clock(), natural_key="slack:C1:1700000000.1")
    again, created_again = service.record(session, org, cat, EventKind.NOTE, actor=director, text="gepind bericht",
                                          now=clock(), natural_key="slack:C1:1700000000.1")
    assert created and not created_again and again.id == first.id
    assert len(timeline.events(session, cat)) == 4


def test_chain_verifies_and_the_orm_refuses_changes(session: Session, org: Organisation, clock: Clock) -> None:
    cat = new_cat(session, org, clock)
    session.commit()
    check = timeline.verify(session, cat)
    assert check.ok and check.events == 3 and not check.problems
    event = timeline.events(session, cat)[0]
    event.kind = "note"
    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()
    session.rollback()
    session.delete(timeline.events(session, cat)[1])
    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()
    session.rollback()


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ("UPDATE cat_timeline_content SET text = 'er is niets gebeurd' WHERE event_id = {e2}",
         "gebeurtenis 2 (approved): inhoud is gewijzigd na vastlegging"),
        ("UPDATE cat_timeline_events SET occurred_at = recorded_at WHERE id = {e1}",
         "gebeurtenis 1 (requested): kenmerken (tijd, soort of volgorde) zijn gewijzigd"),
        ("DELETE FROM cat_timeline_content WHERE event_id = {e2}; DELETE FROM cat_timeline_events WHERE id = {e2}",
         "gebeurtenis 3 (activated): volgnummer 2 ontbreekt"),
        ("UPDATE cat_timeline_events SET kind = 'note' WHERE id = {e3}",
         "gebeurtenis 3 (note): kenmerken (tijd, soort of volgorde) zijn gewijzigd"),
    ],
)
def test_tampering_with_stored_events_is_caught(migrated_any_engine: Engine, org: Organisation, clock: Clock,
                                               tamper: str, problem: str) -> None:
    factory = make_session_factory(migrated_any_engine)
    with factory() as session:
        cat = new_cat(session, org, clock)
        session.commit()
        ids = {f"e{e.seq}": e.id for e in timeline.events(session, cat)}
        cat_id = cat.id
    with migrated_any_engine.begin() as conn:
        for statement in tamper.format(**ids).split(";"):
            conn.execute(text(statement))
    with factory() as session:
        cat = session.get(Cat, cat_id)
        assert cat is not None
        check = timeline.verify(session, cat)
    assert not check.ok
    assert any(problem in p for p in check.problems), check.problems


def test_purged_content_keeps_the_chain_verifiable(engine: Engine, org: Organisation, clock: Clock) -> None:
    factory = make_session_factory(engine)
    with factory() as session:
        cat = new_cat(session, org, clock)
        session.commit()
        first = timeline.events(session, cat)[0]
        cat_id, event_id = cat.id, first.id
    with engine.begin() as conn:  # what the retention purge does: drop the personal part only
        conn.execute(text("DELETE FROM cat_timeline_content WHERE event_id = :e"), {"e": event_id})
    with factory() as session:
        cat = session.get(Cat, cat_id)
        assert cat is not None
        check = timeline.verify(session, cat)
        assert check.ok and check.purged == 1
        assert session.get(TimelineEvent, event_id) is not None
