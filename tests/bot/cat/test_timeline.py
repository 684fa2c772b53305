"""The timeline: append-only, original timestamps, hash chain that catches tampering."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bot.cat import activation, service, timeline
from bot.cat.models import Cat, TimelineEvent
from bot.cat.timeline import EventKind, Verification
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


def _rewrite(engine: Engine, cat_id: int, change: Callable[[list[TimelineEvent]], None]) -> Verification:
    """Tamper as someone with database access and the hashing code would: recompute hashes, write rows back."""
    factory = make_session_factory(engine)
    with factory() as session:
        cat = session.get(Cat, cat_id)
        assert cat is not None
        chain = timeline.events(session, cat)
        before = [(e.prev_hash, e.hash, e.occurred_at) for e in chain]
        session.expunge_all()  # the ORM refuses changes to events; the attacker writes rows directly
        change(chain)
    with engine.begin() as conn:
        for event, (prev, hash_, occurred) in zip(chain, before, strict=True):
            if (event.prev_hash, event.hash, event.occurred_at) != (prev, hash_, occurred):
                conn.execute(text("UPDATE cat_timeline_events SET prev_hash = :p, hash = :h, occurred_at = :o "
                                  "WHERE id = :i"),
                             {"p": event.prev_hash, "h": event.hash, "o": event.occurred_at, "i": event.id})
    with factory() as session:
        cat = session.get(Cat, cat_id)
        assert cat is not None
        return timeline.verify(session, cat)


def _committed_cat(engine: Engine, org: Organisation, clock: Clock) -> int:
    with make_session_factory(engine)() as session:
        cat = new_cat(session, org, clock)
        session.commit()
        return cat.id


def test_a_consistently_rewritten_event_breaks_the_next_link(migrated_any_engine: Engine, org: Organisation,
                                                             clock: Clock) -> None:
    """Backdate event 2, recompute its hash and re-link event 3: event 3's own hash covers the old link."""
    def backdate(chain: list[TimelineEvent]) -> None:
        chain[1].occurred_at -= timedelta(hours=2)
        chain[1].hash = timeline.chain_hash(chain[1])
        chain[2].prev_hash = chain[1].hash

    check = _rewrite(migrated_any_engine, _committed_cat(migrated_any_engine, org, clock), backdate)
    assert not check.ok
    assert check.problems == ["gebeurtenis 3 (activated): kenmerken (tijd, soort of volgorde) zijn gewijzigd na "
                              "vastlegging"]


def test_a_changed_previous_hash_is_caught_even_when_the_event_hash_is_recomputed(
    migrated_any_engine: Engine, org: Organisation, clock: Clock
) -> None:
    def relink(chain: list[TimelineEvent]) -> None:
        chain[1].prev_hash = "0" * 64
        for i in (1, 2):  # recompute the rest of the chain, as a careful forger would
            if i == 2:
                chain[2].prev_hash = chain[1].hash
            chain[i].hash = timeline.chain_hash(chain[i])

    check = _rewrite(migrated_any_engine, _committed_cat(migrated_any_engine, org, clock), relink)
    assert check.problems == ["gebeurtenis 2 (approved): verwijst niet naar de vorige gebeurtenis (ingevoegd of "
                              "verwijderd)"]
