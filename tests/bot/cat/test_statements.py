"""Statement versions in a CAT: versions, four eyes, the quality check as a gate, publication and the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cat import statements, timeline
from bot.cat.activation import SagaContext
from bot.cat.models import Cat, Reminder, Statement
from bot.errors import InvalidInput, InvalidState, NotAllowed
from bot.organisation.model import Organisation
from tests.bot.conftest import Clock, activate

GOOD = ("Geweld dat niet nodig is, past niet bij de politie. Wij zijn er om mensen te beschermen, ook bij een "
        "aanhouding. De beelden uit Rotterdam roepen terecht vragen op. We kijken kritisch naar ons eigen optreden "
        "en onderzoeken wat er is gebeurd. We leggen daarover verantwoording af en geven om 16.00 uur een update.")
DEFENSIVE = "Wij doen geen uitspraken over lopend onderzoek."

Tx = Callable[[], AbstractContextManager[Session]]


@pytest.fixture
def cat_session(tx: Tx, org: Organisation, clock: Clock, saga_ctx: SagaContext) -> Iterator[tuple[Session, Cat]]:
    cat_id = activate(tx, org, clock, saga_ctx, units=("RE07",), categories=("geweld",))
    with tx() as session:
        cat = session.get(Cat, cat_id)
        assert cat is not None
        yield session, cat


def _edit(session: Session, org: Organisation, cat: Cat, clock: Clock, text: str = GOOD,
          by: str = "re07-woordvoerder") -> Statement:
    return statements.new_version(session, org, cat, actor=org.require(by), category="geweld",
                                  phase="eerste reactie", channel="persverklaring", text=text, now=clock.advance(minutes=1))


def _kinds(session: Session, cat: Cat) -> list[str]:
    return [e.kind for e in timeline.events(session, cat)]


def test_edits_make_the_next_version_as_a_draft_on_the_timeline(cat_session, org: Organisation, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    session, cat = cat_session
    first = _edit(session, org, cat, clock)
    second = _edit(session, org, cat, clock, GOOD + " Meer volgt.")
    assert (first.version, second.version) == (2, 3)  # version 1 is the bot's draft from activation
    assert second.state == "draft" and second.author_id == "re07-woordvoerder" and second.phase == "eerste_reactie"
    drafted = [e for e in timeline.events(session, cat) if e.kind == "statement_drafted"]
    assert drafted[-1].content is not None and drafted[-1].content.data["version"] == 3
    assert [s.version for s in statements.current_versions(session, cat) if s.channel == "persverklaring"] == [3]
    assert _edit(session, org, cat, clock, GOOD + " Meer volgt.") is second  # the same text again: no new version
    assert [e.kind for e in timeline.events(session, cat)].count("statement_drafted") == 4
    social = statements.new_version(session, org, cat, actor=org.require("re07-woordvoerder"), category="geweld",
                                    phase="eerste_reactie", channel="social", text="Kort.", now=clock())
    assert social.version == 2


def test_outsiders_unknown_combinations_and_empty_text_are_refused(cat_session, org: Organisation, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    session, cat = cat_session
    with pytest.raises(NotAllowed, match="geen lid van"):
        _edit(session, org, cat, clock, by="re01-woordvoerder")
    with pytest.raises(InvalidInput, match="onbekend kanaal"):
        statements.new_version(session, org, cat, actor=org.require("re07-woordvoerder"), category="geweld",
                               phase="eerste_reactie", channel="fax", text=GOOD, now=clock())
    with pytest.raises(InvalidInput, match="leeg"):
        _edit(session, org, cat, clock, text="  ")


def test_four_eyes_refuses_the_author_even_when_a_director(cat_session, org: Organisation, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    session, cat = cat_session
    own = _edit(session, org, cat, clock, by="dir-directeur")
    with pytest.raises(NotAllowed, match="vier ogen"):
        statements.approve(session, org, cat, own.id, approver=org.require("dir-directeur"), now=clock())
    approved = statements.approve(session, org, cat, own.id, approver=org.require("dir-plv-directeur"), now=clock())
    assert approved.state == "approved" and approved.approved_by == "dir-plv-directeur"


def test_only_directors_and_the_directorates_spokesperson_approve(cat_session, org: Organisation, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    session, cat = cat_session
    draft = _edit(session, org, cat, clock)
    for person in ("dienst-io-analist", "re07-politiechef"):  # a member without the role; not a member at all
        with pytest.raises(NotAllowed, match="mag normstellingen niet goedkeuren"):
            statements.approve(session, org, cat, draft.id, approver=org.require(person), now=clock())
    assert statements.may_approve(org, cat, org.require("dir-woordvoerder"))  # on the team via its seat
    assert not statements.may_approve(org, cat, org.require("dir-piket"))  # the directorate's, but not on the team
    approved = statements.approve(session, org, cat, draft.id, approver=org.require("dir-woordvoerder"), now=clock())
    assert approved.state == "approved"


def test_check_errors_block_approval_and_say_which(cat_session, org: Organisation, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    session, cat = cat_session
    defensive = _edit(session, org, cat, clock, text=DEFENSIVE)
    with pytest.raises(InvalidInput) as refused:
        statements.approve(session, org, cat, defensive.id, approver=org.require("dir-directeur"), now=clock())
    assert "[alleen-lopend-onderzoek]" in str(refused.value) and "lopende onderzoek" in str(refused.value)
    assert "In: “" in str(refused.value) and "Voorstel:" in str(refused.value)  # which sentence, and the fix
    bot_draft = session.scalars(select(Statement).where(Statement.cat_id == cat.id, Statement.version == 1,
                                                        Statement.channel == "social")).one()
    with pytest.raises(InvalidInput, match="Nog niet ingevuld"):  # the bot's draft still has [[…]] placeholders
        statements.approve(session, org, cat, bot_draft.id, approver=org.require("dir-directeur"), now=clock())
    assert defensive.state == "draft"


def test_an_older_version_cannot_be_approved(cat_session, org: Organisation, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    session, cat = cat_session
    old = _edit(session, org, cat, clock)
    _edit(session, org, cat, clock, GOOD + " Meer volgt.")
    with pytest.raises(InvalidState, match="vervangen door versie"):
        statements.approve(session, org, cat, old.id, approver=org.require("dir-directeur"), now=clock())


def test_publish_only_approved_then_clock_stops_and_reminder_is_cancelled(cat_session, org: Organisation,  # type: ignore[no-untyped-def]
                                                                          clock: Clock) -> None:
    session, cat = cat_session
    spokesperson = org.require("re07-woordvoerder")
    draft = _edit(session, org, cat, clock)
    with pytest.raises(InvalidState, match="nog niet goedgekeurd"):
        statements.publish(session, org, cat, draft.id, actor=spokesperson, via="persverklaring", now=clock())
    statements.approve(session, org, cat, draft.id, approver=org.require("dir-directeur"), now=clock.advance(minutes=2))
    reminder = session.scalars(select(Reminder).where(Reminder.cat_id == cat.id, Reminder.kind == "no_statement")).one()
    assert reminder.state == "scheduled"
    published_at = clock.advance(minutes=3)
    published = statements.publish(session, org, cat, draft.id, actor=spokesperson, via=" Persverklaring ",
                                   now=published_at)
    assert (published.state, published.published_via, published.published_at) == ("published", "persverklaring",
                                                                                    published_at)
    assert cat.first_statement_published_at == published_at
    assert (reminder.state, reminder.cancelled_at) == ("cancelled", published_at)
    with pytest.raises(InvalidState, match="al gepubliceerd"):
        statements.publish(session, org, cat, draft.id, actor=spokesperson, via="social", now=clock())
    # A second publication later does not move the clock.
    social = statements.new_version(session, org, cat, actor=spokesperson, category="geweld", phase="eerste_reactie",
                                    channel="social", text="Geweld dat niet nodig is, past niet bij ons. We kijken "
                                    "kritisch naar ons optreden en leggen verantwoording af.", now=clock())
    statements.approve(session, org, cat, social.id, approver=org.require("dir-woordvoerder"), now=clock())
    statements.publish(session, org, cat, social.id, actor=spokesperson, via="social", now=clock.advance(minutes=5))
    assert cat.first_statement_published_at == published_at
    kinds = _kinds(session, cat)
    assert kinds.count("statement_approved") == 2 and kinds.count("statement_published") == 2
    published_events = [e for e in timeline.events(session, cat) if e.kind == "statement_published"]
    assert published_events[0].content is not None and published_events[0].content.data["first"] is True
    assert "de klok stopt" in published_events[0].content.text
    assert timeline.verify(session, cat).ok


def test_list_statements_and_statements_of_another_cat(cat_session, org: Organisation, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    session, cat = cat_session
    _edit(session, org, cat, clock)
    listed = statements.list_statements(session, cat)
    assert [(s.channel, s.version) for s in listed] == [("persverklaring", 1), ("persverklaring", 2), ("social", 1)]
    assert statements.label(listed[1]) == "geweld · eerste reactie · persverklaring v2"
    with pytest.raises(Exception, match="hoort niet bij"):
        statements.approve(session, org, cat, 9999, approver=org.require("dir-directeur"), now=clock())


def test_cli_edit_check_gate_approve_publish(catbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    run = catbot
    run("cat", "request", "--as", "dir-directeur", "--title", "Kopstoot", "--reason", "Beelden gaan rond.",
        "--unit", "RE07", "--category", "geweld")
    assert "concept      geweld · eerste reactie · persverklaring v1  (door catbot)" in run("cat", "statements", "CAT-2026-001")
    text_file = tmp_path / "verklaring.txt"
    text_file.write_text(GOOD, encoding="utf-8")
    out = run("cat", "statement-edit", "CAT-2026-001", "--as", "re07-woordvoerder", "--category", "geweld",
              "--phase", "eerste_reactie", "--file", str(text_file))
    assert "persverklaring v2 opgeslagen als concept (id 3)" in out
    run("cat", "statement-edit", "CAT-2026-001", "--as", "re07-woordvoerder", "--category", "geweld",
        "--phase", "eerste_reactie", "--channel", "social", "--text", DEFENSIVE)
    assert "fout: goedkeuren kan niet" in run("cat", "statement-approve", "CAT-2026-001", "4", "--as",
                                              "dir-directeur", expect=1)
    assert "fout: vier ogen" in run("cat", "statement-approve", "CAT-2026-001", "3", "--as", "re07-woordvoerder",
                                    expect=1)
    assert "nog niet goedgekeurd" in run("cat", "statement-publish", "CAT-2026-001", "3", "--as", "re07-woordvoerder",
                                         "--via", "persverklaring", expect=1)
    run("cat", "statement-approve", "CAT-2026-001", "3", "--as", "dir-directeur")
    assert "gepubliceerd via persverklaring" in run("cat", "statement-publish", "CAT-2026-001", "3", "--as",
                                                    "re07-woordvoerder", "--via", "persverklaring")
    listed = json.loads(run("cat", "statements", "CAT-2026-001", "--json"))
    assert [(s["channel"], s["version"], s["state"]) for s in listed] == [
        ("persverklaring", 1, "draft"), ("persverklaring", 2, "published"), ("social", 1, "draft"),
        ("social", 2, "draft")]
    assert "gepubliceerd" in run("cat", "statements", "CAT-2026-001")
    assert "--text of met --file" in run("cat", "statement-edit", "CAT-2026-001", "--as", "re07-woordvoerder",
                                         "--category", "geweld", "--phase", "eerste_reactie", expect=1)


def test_policy_deciders_approve_and_directors_off_the_timeline_do_not(cat_session, org: Organisation,  # type: ignore[no-untyped-def]
                                                                       clock: Clock) -> None:
    from dataclasses import replace

    from bot.organisation.model import AccessPolicy

    session, cat = cat_session
    draft = _edit(session, org, cat, clock)
    strict = replace(org, policy=AccessPolicy(deciders=frozenset({"dienst-io-analist"}),
                                              directors_write_timeline=False))
    with pytest.raises(NotAllowed, match="geen lid van"):  # dir-plv-directeur is not on this CAT
        statements.approve(session, strict, cat, draft.id, approver=org.require("dir-plv-directeur"), now=clock())
    approved = statements.approve(session, strict, cat, draft.id, approver=org.require("dienst-io-analist"),
                                  now=clock())
    assert approved.approved_by == "dienst-io-analist"
