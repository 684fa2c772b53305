"""NUL characters and lone surrogates are refused where text enters the domain: one Dutch message, nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.cat import requests, service
from bot.cat.models import Cat, RedButtonRequest, TimelineEvent
from bot.errors import InvalidInput
from bot.organisation.model import Organisation
from bot.storage.engine import make_session_factory, transaction
from tests.bot.conftest import Clock, activate

BROKEN = ["NOS opent\x00 met de beelden", "NOS opent met de beelden \ud83d", "\udcff"]
REFUSAL = "bevat een ongeldig teken"


@pytest.mark.parametrize("text", BROKEN, ids=["nul", "lone-high-surrogate", "lone-low-surrogate"])
def test_a_note_with_a_nul_or_a_lone_surrogate_is_refused_and_nothing_is_stored(
    text: str, migrated_any_engine: Engine, org: Organisation, clock: Clock,
) -> None:
    factory = make_session_factory(migrated_any_engine)
    tx = lambda: transaction(factory)  # noqa: E731
    from bot.cat.ports import RecordingEffects
    from bot.cat.saga import SagaContext
    from bot.container import playbook_checklist, playbook_drafter

    effects = RecordingEffects()
    cat_id = activate(tx, org, clock, SagaContext(org=org, effects=effects, directory=effects,
                                                   drafter=playbook_drafter, clock=clock,
                                                   checklist=playbook_checklist))
    with factory() as session:
        before = session.scalar(select(func.count()).select_from(TimelineEvent))
    with pytest.raises(InvalidInput) as refused, tx() as session:
        cat = session.get(Cat, cat_id)
        assert cat is not None
        service.record(session, org, cat, service.EventKind.NOTE, actor=org.require("re07-woordvoerder"),
                       text=text, now=clock())
    assert str(refused.value).startswith("tekst bevat een ongeldig teken") and "Er is niets opgeslagen" in str(
        refused.value)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(TimelineEvent)) == before


@pytest.mark.parametrize("field", ["title", "reason"])
def test_a_request_with_a_nul_in_title_or_reason_is_refused(field: str, session: Session, org: Organisation,
                                                            clock: Clock) -> None:
    values = {"title": "Kopstoot bij aanhouding", "reason": "Beelden gaan rond."}
    values[field] += "\x00"
    with pytest.raises(InvalidInput, match=("titel" if field == "title" else "toelichting") + " bevat een ongeldig"):
        requests.request_red_button(session, org, requester=org.require("re07-woordvoerder"), units=["RE07"],
                                    now=clock(), **values)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(RedButtonRequest)) == 0


def test_the_cli_says_it_in_one_line(catbot) -> None:  # type: ignore[no-untyped-def]
    catbot("cat", "request", "--as", "dir-directeur", "--title", "Kopstoot", "--reason", "Beelden gaan rond.",
           "--unit", "RE07", "--category", "geweld")
    out = catbot("cat", "note", "CAT-2026-001", "NOS \udcff opent", "--as", "dir-directeur", expect=1)
    assert out.startswith("fout: tekst bevat een ongeldig teken") and out.count("\n") == 1
    assert "Traceback" not in out
