"""CAT numbers come from a locked counter: approvals at the same moment on several instances never collide."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, select, text

from bot.cat import activation, requests
from bot.cat.models import Cat, RedButtonRequest
from bot.organisation.model import Organisation
from bot.storage.engine import make_session_factory
from tests.bot.conftest import Clock, file_request


def waiting_for_a_lock(engine: Engine) -> bool:
    with engine.connect() as connection:
        return bool(connection.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar())


@pytest.mark.postgres
def test_two_different_approvals_at_the_same_moment_give_two_cats(pg: Engine, org: Organisation,
                                                                   clock: Clock) -> None:
    """The first approval holds its transaction open until the second is seen waiting in PostgreSQL; with
    max(seq)+1 the second would then fail on the unique number (and its request stay pending)."""
    factory = make_session_factory(pg)
    with factory() as session:
        first_id = file_request(session, org, clock, units=("RE07",), title="Kopstoot Rotterdam").id
        second_id = file_request(session, org, clock, by="re06-communicatie", units=("RE06",),
                                 title="Demonstratie Den Haag").id
        session.commit()
    errors: list[BaseException] = []
    second_started, first_has_number = threading.Event(), threading.Event()

    def approve(request_id: int, director: str, hold: bool) -> None:
        try:
            with factory() as session:
                if not hold:
                    second_started.set()
                request = requests.get_request(session, request_id)
                activation.approve_and_create(session, org, request, director=org.require(director),
                                              advice_to=["politiechef"], now=clock())
                first_has_number.set()
                if hold:  # keep the counter (or, before, the new number) locked until the other one waits
                    second_started.wait(10)
                    deadline = time.monotonic() + 10
                    while not waiting_for_a_lock(pg) and time.monotonic() < deadline:
                        time.sleep(0.01)
                    assert waiting_for_a_lock(pg), "the second approval never reached the database"
                session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    first = threading.Thread(target=approve, args=(first_id, "dir-directeur", True))
    first.start()
    assert first_has_number.wait(10)  # the first has its number, uncommitted; now the second comes in
    second = threading.Thread(target=approve, args=(second_id, "dir-plv-directeur", False))
    second.start()
    first.join(30)
    second.join(30)
    assert errors == []
    with factory() as session:
        numbers = sorted(session.scalars(select(Cat.number)))
        states = set(session.scalars(select(RedButtonRequest.state)))
    assert numbers == ["CAT-2026-001", "CAT-2026-002"] and states == {"approved"}
