"""Red-button requests: who may ask, who decides, duplicates, expiry, and one activation per request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cat import activation, requests
from bot.cat.models import Cat, RequestState
from bot.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from bot.organisation.model import Organisation
from tests.bot.conftest import Clock, file_request


def test_unit_member_files_a_pending_request(session: Session, org: Organisation, clock: Clock) -> None:
    request = file_request(session, org, clock, units=("Rotterdam", "RE06"), categories=("Geweld",))
    assert request.state == RequestState.PENDING
    assert request.units == ["RE06", "RE07"] and request.categories == ["geweld"]
    assert request.expires_at == clock() + timedelta(hours=24)


def test_same_units_and_categories_while_pending_show_the_existing_request(
    session: Session, org: Organisation, clock: Clock
) -> None:
    first = file_request(session, org, clock, units=("RE07", "RE06"))
    outcome = requests.request_red_button(
        session, org, requester=org.require("dienst-io-analist"), title="Andere titel", reason="Zelfde zaak",
        units=["Den Haag", "rotterdam"], categories=["geweld"], now=clock())
    assert not outcome.created and outcome.request.id == first.id
    different = requests.request_red_button(
        session, org, requester=org.require("dienst-io-analist"), title="Andere zaak", reason="Integriteit",
        units=["RE07"], categories=["integriteit"], now=clock())
    assert different.created and different.request.id != first.id


def test_non_director_cannot_approve_with_a_clear_message(session: Session, org: Organisation, clock: Clock) -> None:
    request = file_request(session, org, clock)
    with pytest.raises(NotAllowed, match="alleen een directeur communicatie .* kan de rode knop indrukken"):
        activation.approve_and_create(session, org, request, director=org.require("re07-politiechef"),
                                      advice_to=["politiechef"], now=clock())
    assert request.state == RequestState.PENDING


def test_korpsleiding_is_not_a_triangle_party(session: Session, org: Organisation, clock: Clock) -> None:
    with pytest.raises(NotAllowed, match="hoort niet bij een eenheid, de directie of de dienst"):
        file_request(session, org, clock, by="kl-korpschef")


def test_unknown_people_and_units_are_named(session: Session, org: Organisation, clock: Clock) -> None:
    with pytest.raises(NotFound, match="onbekende persoon 'nobody@example.org'"):
        org.require("nobody@example.org")
    with pytest.raises(InvalidInput, match="onbekende eenheid 'Atlantis'"):
        file_request(session, org, clock, units=("Atlantis",))
    with pytest.raises(InvalidInput, match="onbekende categorie 'verkeer'"):
        file_request(session, org, clock, categories=("verkeer",))
    with pytest.raises(NotFound, match="aanvraag 999 bestaat niet"):
        requests.get_request(session, 999)


def test_decline_needs_a_reason_and_frees_the_slot(session: Session, org: Organisation, clock: Clock) -> None:
    request = file_request(session, org, clock)
    director = org.require("dir-directeur")
    with pytest.raises(InvalidInput, match="geef een reden"):
        requests.decline(session, org, request, director=director, reason="  ", now=clock())
    requests.decline(session, org, request, director=director, reason="Lokaal af te handelen", now=clock())
    assert request.state == RequestState.DECLINED and request.decline_reason == "Lokaal af te handelen"
    again = file_request(session, org, clock)
    assert again.id != request.id and again.state == RequestState.PENDING


def test_only_requester_or_director_withdraws(session: Session, org: Organisation, clock: Clock) -> None:
    request = file_request(session, org, clock)
    with pytest.raises(NotAllowed):
        requests.withdraw(session, org, request, person=org.require("re06-woordvoerder"), now=clock())
    requests.withdraw(session, org, request, person=org.require("re07-woordvoerder"), now=clock())
    assert request.state == RequestState.WITHDRAWN
    with pytest.raises(InvalidState, match="is al ingetrokken"):
        requests.withdraw(session, org, request, person=org.require("re07-woordvoerder"), now=clock())


def test_expired_request_cannot_be_approved(session: Session, org: Organisation, clock: Clock) -> None:
    request = file_request(session, org, clock)
    clock.advance(hours=25)
    with pytest.raises(InvalidState, match="is verlopen"):
        activation.approve_and_create(session, org, request, director=org.require("dir-directeur"),
                                      advice_to=["politiechef"], now=clock())
    assert requests.expire_stale(session, clock()) == 1
    session.refresh(request)
    assert request.state == RequestState.EXPIRED


def test_second_approval_gives_no_second_cat(session: Session, org: Organisation, clock: Clock) -> None:
    request = file_request(session, org, clock)
    first = activation.approve_and_create(session, org, request, director=org.require("dir-directeur"),
                                          advice_to=["politiechef"], now=clock())
    with pytest.raises(InvalidState, match="is al goedgekeurd"):
        activation.approve_and_create(session, org, request, director=org.require("dir-plv-directeur"),
                                      advice_to=["politiechef"], now=clock())
    assert session.scalar(select(func.count()).select_from(Cat)) == 1
    assert first.number == "CAT-2026-001"


def test_advice_recipients_must_be_chosen(session: Session, org: Organisation, clock: Clock) -> None:
    request = file_request(session, org, clock)
    with pytest.raises(InvalidInput, match="'politiechef'"):
        activation.approve_and_create(session, org, request, director=org.require("dir-directeur"),
                                      advice_to=["burgemeester"], now=clock())


def test_concurrent_double_click_gives_one_activation(migrated_any_engine, org: Organisation, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    """Two approvals racing on separate connections: exactly one CAT, the other gets a clear refusal."""
    import threading

    from bot.storage.engine import make_session_factory

    factory = make_session_factory(migrated_any_engine)
    with factory() as session:
        request_id = file_request(session, org, clock).id
        session.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(director: str) -> None:
        barrier.wait()  # both clicks arrive together; the database decides who wins
        with factory() as session:
            request = requests.get_request(session, request_id)
            try:
                activation.approve_and_create(session, org, request, director=org.require(director),
                                              advice_to=["politiechef"], now=clock())
                session.commit()
                outcomes.append("activated")
            except InvalidState as exc:
                session.rollback()
                outcomes.append(str(exc))
            except Exception as exc:  # SQLite may refuse the second writer outright; that is still one CAT
                session.rollback()
                outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=click, args=(d,)) for d in ("dir-directeur", "dir-plv-directeur")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("activated") == 1, outcomes
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Cat)) == 1


def test_policy_decider_may_approve_and_directors_can_be_kept_off_timelines(
    session: Session, org: Organisation, clock: Clock
) -> None:
    from dataclasses import replace

    from bot.cat import service
    from bot.cat.timeline import EventKind
    from bot.organisation.model import AccessPolicy

    strict = replace(org, policy=AccessPolicy(deciders=frozenset({"re06-communicatie"}),
                                              directors_write_timeline=False))
    request = file_request(session, strict, clock)
    cat = activation.approve_and_create(session, strict, request, director=strict.require("re06-communicatie"),
                                        advice_to=["politiechef"], now=clock())
    with pytest.raises(NotAllowed, match="is geen lid van"):
        service.record(session, strict, cat, EventKind.NOTE, actor=strict.require("dir-plv-directeur"), text="x",
                       now=clock())


def test_a_request_expires_at_exactly_its_expiry_time(session: Session, org: Organisation, clock: Clock) -> None:
    request = file_request(session, org, clock)
    clock.advance(hours=24, seconds=-1)
    assert requests.expire_stale(session, clock()) == 0  # 23:59:59 — still open
    clock.advance(seconds=1)
    with pytest.raises(InvalidState, match="is verlopen"):  # 24:00:00 exactly — expired
        activation.approve_and_create(session, org, request, director=org.require("dir-directeur"),
                                      advice_to=["politiechef"], now=clock())
    assert requests.expire_stale(session, clock()) == 1
