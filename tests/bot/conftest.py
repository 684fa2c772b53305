"""Fixtures for the bot package: the example organisation, a controllable clock, a saga context."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from bot.cat import activation, requests
from bot.cat.activation import SagaContext
from bot.cat.models import Cat
from bot.cat.ports import RecordingEffects
from bot.cli import app
from bot.container import playbook_checklist, playbook_drafter
from bot.organisation.loader import load_organisation
from bot.organisation.model import Organisation
from bot.settings import EXAMPLE_ORG_FILE
from bot.storage.engine import transaction
from bot.storage.migrate import upgrade


class Clock:
    """A frozen clock the test moves forward by hand."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


@pytest.fixture(scope="session")
def org() -> Organisation:
    return load_organisation(EXAMPLE_ORG_FILE)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))


@pytest.fixture
def effects() -> RecordingEffects:
    return RecordingEffects()


@pytest.fixture
def tx(session_factory: sessionmaker[Session]):  # type: ignore[no-untyped-def]
    """A transaction factory as the edges use it (commit on success, roll back on error)."""
    return lambda: transaction(session_factory)


@pytest.fixture
def saga_ctx(org: Organisation, effects: RecordingEffects, clock: Clock) -> SagaContext:
    return SagaContext(org=org, effects=effects, directory=effects, drafter=playbook_drafter, clock=clock,
                       checklist=playbook_checklist)


def file_request(session: Session, org: Organisation, clock: Clock, *, by: str = "re07-woordvoerder",
                 units: tuple[str, ...] = ("RE07",), categories: tuple[str, ...] = ("geweld",),
                 title: str = "Kopstoot bij aanhouding in Rotterdam") -> requests.RedButtonRequest:
    outcome = requests.request_red_button(
        session, org, requester=org.require(by), title=title,
        reason="Beelden van een kopstoot bij een aanhouding gaan rond; landelijke media bellen.",
        units=list(units), categories=list(categories), links=["https://example.org/video"], now=clock())
    return outcome.request


def activate(tx, org: Organisation, clock: Clock, ctx: SagaContext, **kwargs: object) -> int:  # type: ignore[no-untyped-def]
    """File a request, let the director approve it and run the saga; returns the CAT id."""
    with tx() as session:
        request = file_request(session, org, clock, **kwargs)  # type: ignore[arg-type]
        clock.advance(minutes=12)
        cat: Cat = activation.approve_and_create(session, org, request, director=org.require("dir-directeur"),
                                                 advice_to=["politiechef", "korpsleiding"], now=clock())
        cat_id = cat.id
    activation.run_saga(tx, cat_id, ctx)
    return cat_id


@pytest.fixture
def catbot(any_engine: Engine, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run `catbot …` in-process against the database of this backend (migrated, as `catbot db upgrade` does)."""
    upgrade(any_engine)
    monkeypatch.setenv("CATBOT_DATABASE_URL", any_engine.url.render_as_string(hide_password=False))
    runner = CliRunner()

    def run(*args: str, expect: int = 0) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == expect, result.output
        assert "Traceback" not in result.output
        return result.output

    return run
