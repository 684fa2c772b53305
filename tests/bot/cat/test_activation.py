"""Activation: the team with reasons and gaps, the channel, the kickoff with drafts, and crash-safe resume."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cat import activation, timeline
from bot.cat.activation import SAGA_STEPS, SagaContext, channel_name
from bot.cat.models import Cat, CatMember, Reminder, SagaStep, Statement, TimelineEvent
from bot.cat.ports import RecordingEffects
from bot.cat.saga import SagaRun
from bot.organisation.model import Organisation
from tests.bot.conftest import Clock, activate


def load(session_factory: sessionmaker[Session], cat_id: int) -> tuple[Session, Cat]:
    session = session_factory()
    cat = session.get(Cat, cat_id)
    assert cat is not None
    return session, cat


def test_team_has_every_party_with_reasons_and_reports_gaps(
    tx, session_factory: sessionmaker[Session], org: Organisation, clock: Clock, saga_ctx: SagaContext,  # type: ignore[no-untyped-def]
) -> None:
    cat_id = activate(tx, org, clock, saga_ctx, units=("RE07", "RE06"), categories=("geweld", "integriteit"))
    session, cat = load(session_factory, cat_id)
    reasons = {m.person_id: m.reason for m in cat.members}
    # The Rotterdam comms lead is absent: the deputy (the Rotterdam spokesperson) takes the seat, and says so.
    assert "vervangt Femke Fictief" not in reasons.get("re07-woordvoerder", "")
    assert reasons["re07-woordvoerder"].startswith("vervangt ")
    assert "communicatieadviseur (lead) van eenheid Rotterdam" in reasons["re07-woordvoerder"]
    assert "woordvoerder van eenheid Rotterdam" in reasons["re07-woordvoerder"]
    assert reasons["re06-communicatie"] == "communicatieadviseur (lead) van eenheid Den Haag"
    assert reasons["dir-woordvoerder"] == "woordvoerder van de directie"
    assert reasons["dienst-io-analist"] == "I&O-analist van de dienst"
    assert reasons["dienst-aa-geweld"] == "A&A-issuetrekker voor geweld"
    assert reasons["dir-directeur"] == "heeft de rode knop ingedrukt"
    gaps = [g.message for g in cat.gaps]
    assert any(g.startswith("geen A&A-issuetrekker voor integriteit beschikbaar: ") and "afwezig tot 01-01-2030"
               in g for g in gaps), gaps
    assert cat.team_complete_at is None  # a gap is open, so the clock keeps running
    assert cat.status == "active" and cat.channel_name == "cat-20261130-kopstoot-bij-aanhouding-in-rotterdam"
    session.close()


def test_kickoff_carries_members_gaps_recipients_checklist_and_drafts(
    tx, org: Organisation, clock: Clock, saga_ctx: SagaContext, effects: RecordingEffects,  # type: ignore[no-untyped-def]
) -> None:
    activate(tx, org, clock, saga_ctx, units=("RE07",), categories=("geweld",))
    kickoff = effects.kickoffs[effects.channel_of("CAT-2026-001").id]
    assert kickoff.cat_number == "CAT-2026-001" and kickoff.units == ["Rotterdam"]
    assert {m.name for m in kickoff.members} >= {org.require("re07-woordvoerder").name}
    assert kickoff.advice_recipients == ["politiechef Rotterdam", "korpsleiding"]
    assert any("binnen 60 min" in item for item in kickoff.checklist), kickoff.checklist
    labels = [d.label for d in kickoff.drafts]
    assert labels == ["geweld · eerste reactie · persverklaring", "geweld · eerste reactie · social post"]
    press, social = kickoff.drafts
    assert "eenheid Rotterdam" in press.text and "30 november 2026" in press.text
    assert len(social.text) <= 280 and "[[plaats]]" in social.text  # only a person can fill in the place
    members_with_slack = {m.slack_id for m in kickoff.members if m.slack_id}
    assert effects.members[effects.channel_of("CAT-2026-001").id] == members_with_slack


def test_people_without_slack_account_are_a_reported_gap(
    tx, session_factory: sessionmaker[Session], org: Organisation, clock: Clock, saga_ctx: SagaContext,  # type: ignore[no-untyped-def]
) -> None:
    # The Midden-Nederland comms lead has only an e-mail address, which the directory does not know.
    cat_id = activate(tx, org, clock, saga_ctx, units=("RE03",), categories=("onpartijdigheid",))
    session, cat = load(session_factory, cat_id)
    name = org.require("re03-communicatie").name
    assert f"{name} (comms_lead) is niet in Slack gevonden en kon niet worden uitgenodigd" in [
        g.message for g in cat.gaps]
    session.close()


def test_channel_names_follow_slacks_rules() -> None:
    from datetime import UTC, datetime

    day = datetime(2026, 3, 9, tzinfo=UTC)
    assert channel_name(day, "Demonstratie Staphorst: KOZP & politie!") == "cat-20260309-demonstratie-staphorst-kozp-politie"
    long = channel_name(day, "Één " + "zeer lange titel " * 10)
    assert len(long) <= 80 and long.startswith("cat-20260309-een-zeer-lange") and not long.endswith("-")
    assert channel_name(day, "!!!") == "cat-20260309-cat"


def _crashing(step: str, original: Callable) -> Callable:  # type: ignore[type-arg]
    def run(saga_run: SagaRun) -> dict[str, object]:
        original(saga_run)  # the step did its work (and its external effects) ...
        raise RuntimeError(f"crash after {step}")  # ... but the process died before recording the step

    return run


@pytest.mark.parametrize("step", SAGA_STEPS)
def test_saga_resumes_after_a_crash_at_each_step_without_duplicates(
    step: str, tx, session_factory: sessionmaker[Session], org: Organisation, clock: Clock,  # type: ignore[no-untyped-def]
    saga_ctx: SagaContext, effects: RecordingEffects, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(activation.STEP_FUNCTIONS, step, _crashing(step, activation.STEP_FUNCTIONS[step]))
    with pytest.raises(RuntimeError, match=f"crash after {step}"):
        activate(tx, org, clock, saga_ctx, units=("RE07", "RE06"), categories=("geweld",))
    monkeypatch.undo()
    with session_factory() as session:
        cat_id = session.scalar(select(Cat.id))
        assert cat_id is not None
        assert activation.pending_steps(session, session.get(Cat, cat_id))[0] == step  # type: ignore[arg-type]
    ran = activation.run_saga(tx, cat_id, saga_ctx)
    assert ran == list(SAGA_STEPS[SAGA_STEPS.index(step):])
    assert activation.run_saga(tx, cat_id, saga_ctx) == []  # a retry finds nothing left to do
    session, cat = load(session_factory, cat_id)
    count: Callable[..., int] = lambda model, *where: session.scalar(  # noqa: E731
        select(func.count()).select_from(model).where(*where)) or 0
    assert cat.status == "active"
    assert len(effects.channels) == 1 and effects.posts == 1
    assert effects.count("create_channel") == 1 and all(len(u) == len(set(u)) for u in effects.uploads.values())
    assert count(CatMember, CatMember.cat_id == cat_id) == len({m.person_id for m in cat.members})
    assert count(Statement, Statement.cat_id == cat_id) == 2
    assert count(Reminder, Reminder.cat_id == cat_id) == 1 + len([g for g in cat.gaps if g.resolved_at is None])
    assert count(SagaStep, SagaStep.cat_id == cat_id) == len(SAGA_STEPS)
    assert count(TimelineEvent, TimelineEvent.cat_id == cat_id, TimelineEvent.kind == "channel_created") == 1
    assert timeline.verify(session, cat).ok
    kickoff = effects.kickoffs[cat.channel_id or ""]
    assert len(kickoff.drafts) == 2
    session.close()


EFFECTS = ("create_channel", "describe_channel", "invite", "publish_kickoff", "upload_document", "bookmark")


class DiesAfterCall(RecordingEffects):
    """Slack did what was asked, then the process died before the answer was recorded (kill -9)."""

    die_at: int = -1

    def __getattribute__(self, name: str):  # type: ignore[no-untyped-def]
        method = super().__getattribute__(name)
        if name not in EFFECTS:
            return method

        def call(*args: object, **kwargs: object) -> object:
            result = method(*args, **kwargs)
            done = sum(1 for called, _ in self.calls if called in EFFECTS)
            if done - 1 == self.die_at:
                raise SystemExit(f"killed after effect {done - 1} ({name})")
            return result

        return call


# A clean activation of the test CAT: create (name taken) + create, describe, invite, kickoff posted and updated,
# and for 3 documents an upload and a bookmark.
EFFECT_CALLS = 2 + 1 + 1 + 2 + 3 * 2


@pytest.mark.parametrize("die_at", range(EFFECT_CALLS))
def test_a_kill_right_after_any_slack_call_never_doubles_an_effect(
    die_at: int, tx, session_factory: sessionmaker[Session], org: Organisation, clock: Clock,  # type: ignore[no-untyped-def]
) -> None:
    from bot.container import playbook_checklist, playbook_drafter

    effects = DiesAfterCall()
    effects.taken_names.add("cat-20261130-kopstoot-bij-aanhouding-in-rotterdam")  # someone else's channel
    ctx = SagaContext(org=org, effects=effects, directory=effects, drafter=playbook_drafter, clock=clock,
                      checklist=playbook_checklist)
    effects.die_at = die_at
    with pytest.raises(SystemExit):
        activate(tx, org, clock, ctx, units=("RE07",), categories=("geweld", "integriteit"))
    assert sum(1 for called, _ in effects.calls if called in EFFECTS) == die_at + 1
    effects.die_at = -1  # the restarted process
    with session_factory() as session:
        cat_id = session.scalar(select(Cat.id))
    assert cat_id is not None
    activation.run_saga(tx, cat_id, ctx)
    session, cat = load(session_factory, cat_id)
    assert [ref.name for ref in effects.channels.values()] == ["cat-20261130-kopstoot-bij-aanhouding-in-rotterdam-2"]
    assert cat.channel_name == "cat-20261130-kopstoot-bij-aanhouding-in-rotterdam-2" and cat.status == "active"
    assert effects.posts == 1  # one kickoff
    assert effects.uploads == {cat.channel_id: ["playbook-algemeen.md", "playbook-geweld.md",
                                                "playbook-integriteit.md"]}
    assert len(effects.bookmarks[cat.channel_id or ""]) == 3
    assert activation.pending_steps(session, cat) == [] and timeline.verify(session, cat).ok
    session.close()
