"""Norm-statement versions inside a CAT: draft → approved (four eyes) → published, each step on the timeline.

Who may approve (four eyes): never the author of the version; and only someone who may decide on the red
button (a director, or an extra decider in the organisation's policy), or the directorate's spokesperson or
duty officer (woordvoerder/piketwoordvoerder of the Directie Communicatie) while on this CAT's team. The
directorate carries the national line, so its spokesperson is the designated approver next to the director.
Approving writes to the timeline, so the timeline's writer rule applies as well.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cat import timeline
from bot.cat.membership import is_member, require_open, require_writer
from bot.cat.models import Cat, Reminder, ReminderState, Statement, StatementState
from bot.cat.text import require_storable
from bot.cat.timeline import EventKind
from bot.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from bot.organisation.model import Organisation, Person
from bot.organisation.schema import Role
from norm_statements.check import check
from norm_statements.findings import Finding, Severity
from norm_statements.norm_meaning import NormDetector
from playbooks.vocabulary import Category, Channel, Phase, parse_category, parse_channel, parse_phase

STATE_LABELS = {StatementState.DRAFT.value: "concept", StatementState.APPROVED.value: "goedgekeurd",
                StatementState.PUBLISHED.value: "gepubliceerd"}
APPROVER_ROLES = (Role.SPOKESPERSON, Role.DUTY_OFFICER)
DIRECTORATE = "directie"
MAX_VIA = 64


def parse_combination(category: str, phase: str, channel: str) -> tuple[Category, Phase, Channel]:
    """Category, phase and channel from user input; a clear Dutch InvalidInput otherwise."""
    try:
        return parse_category(category), parse_phase(phase), parse_channel(channel)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def label(statement: Statement) -> str:
    """'geweld · eerste reactie · persverklaring v2' for lists and messages."""
    return (f"{Category(statement.category).label} · {statement.phase.replace('_', ' ')} · "
            f"{Channel(statement.channel).label} v{statement.version}")


def list_statements(session: Session, cat: Cat) -> list[Statement]:
    """Every version of every statement of the CAT, grouped by category, phase and channel."""
    query = select(Statement).where(Statement.cat_id == cat.id).order_by(
        Statement.category, Statement.phase, Statement.channel, Statement.version)
    return list(session.scalars(query))


def current_versions(session: Session, cat: Cat) -> list[Statement]:
    """The newest version per category, phase and channel."""
    latest: dict[tuple[str, str, str], Statement] = {}
    for statement in list_statements(session, cat):
        latest[(statement.category, statement.phase, statement.channel)] = statement
    return list(latest.values())


def get_statement(session: Session, cat: Cat, statement_id: int) -> Statement:
    statement = session.get(Statement, statement_id)
    if statement is None or statement.cat_id != cat.id:
        raise NotFound(f"normstelling {statement_id} hoort niet bij {cat.number}")
    return statement


def _latest_version(session: Session, cat: Cat, category: str, phase: str, channel: str) -> int:
    return session.scalar(select(func.max(Statement.version)).where(
        Statement.cat_id == cat.id, Statement.category == category, Statement.phase == phase,
        Statement.channel == channel)) or 0


def _lock(session: Session, cat: Cat) -> None:
    """Serialise version, approval and publication per CAT (PostgreSQL row lock) and re-read the CAT."""
    timeline.lock_cat(session, cat.id)
    session.refresh(cat)


def new_version(session: Session, org: Organisation, cat: Cat, *, actor: Person, category: str, phase: str,
                channel: str, text: str, now: datetime) -> Statement:
    """A member saves an edited text: the next version of that category × phase × channel, as a draft."""
    require_open(cat)
    require_writer(org, cat, actor)
    category_, phase_, channel_ = parse_combination(category, phase, channel)
    require_storable(tekst=text)
    if not text.strip():
        raise InvalidInput("de tekst van de normstelling is leeg")
    _lock(session, cat)
    latest = session.scalar(select(Statement).where(
        Statement.cat_id == cat.id, Statement.category == category_.value, Statement.phase == phase_.value,
        Statement.channel == channel_.value).order_by(Statement.version.desc()).limit(1))
    if latest is not None and latest.text == text.strip():  # a double click or resend saves nothing new
        return latest
    statement = Statement(cat_id=cat.id, category=category_.value, phase=phase_.value, channel=channel_.value,
                          version=(latest.version if latest else 0) + 1, text=text.strip(),
                          state=StatementState.DRAFT.value, author_id=actor.id, created_at=now)
    session.add(statement)
    session.flush()
    timeline.append(session, cat, EventKind.STATEMENT_DRAFTED, recorded_at=now, actor_id=actor.id,
                    text=f"{actor.name} maakt versie {statement.version} ({label(statement)}):\n{statement.text}",
                    data=_data(statement))
    return statement


def may_approve(org: Organisation, cat: Cat, person: Person) -> bool:
    """A decider (director), or the directorate's spokesperson/duty officer on this CAT (see the module docstring)."""
    if org.may_decide(person):
        return True
    return person.party.code == DIRECTORATE and any(person.has(r) for r in APPROVER_ROLES) and is_member(cat, person)


def check_text(org: Organisation, text: str, channel: str, category: str, *,
               norms: NormDetector | None = None) -> list[Finding]:
    """The memo's quality check; the figureheads (politiechefs, korpsleiding) may be named."""
    figureheads = [p.name for p in org.people.values() if p.has(Role.POLITIECHEF) or p.has(Role.KORPSLEIDING)]
    try:
        return check(text, channel, category, allowed_names=figureheads, norms=norms)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def blocking_findings(org: Organisation, statement: Statement, norms: NormDetector | None = None) -> list[Finding]:
    """The quality check's errors for this version."""
    findings = check_text(org, statement.text, statement.channel, statement.category, norms=norms)
    return [f for f in findings if f.severity is Severity.ERROR]


def approve(session: Session, org: Organisation, cat: Cat, statement_id: int, *, approver: Person,
            now: datetime, norms: NormDetector | None = None) -> Statement:
    """Four eyes: someone other than the author, entitled to approve, approves a version without check errors."""
    require_open(cat)
    _lock(session, cat)
    statement = get_statement(session, cat, statement_id)
    if statement.state != StatementState.DRAFT.value:
        raise InvalidState(f"{label(statement)} is al {STATE_LABELS[statement.state]}")
    newest = _latest_version(session, cat, statement.category, statement.phase, statement.channel)
    if statement.version != newest:
        raise InvalidState(f"versie {statement.version} is vervangen door versie {newest}; keur de nieuwste goed")
    if approver.id == statement.author_id:
        raise NotAllowed("vier ogen: u schreef deze versie zelf; een ander (directeur of woordvoerder van de "
                         "directie) keurt haar goed")
    if not may_approve(org, cat, approver):
        raise NotAllowed(f"{approver.name} mag normstellingen niet goedkeuren; dat doet de directeur communicatie "
                         f"of de woordvoerder van de directie in {cat.number}")
    require_writer(org, cat, approver)
    errors = blocking_findings(org, statement, norms)
    if errors:
        reasons = "; ".join(f"[{f.code}] {f.message}" + (f" In: “{f.excerpt}”." if f.excerpt else "")
                            + f" Voorstel: {f.fix}" for f in errors)
        raise InvalidInput(f"goedkeuren kan niet: de controle vond {len(errors)} fout(en): {reasons}")
    statement.state, statement.approved_by, statement.approved_at = StatementState.APPROVED.value, approver.id, now
    session.flush()
    timeline.append(session, cat, EventKind.STATEMENT_APPROVED, recorded_at=now, actor_id=approver.id,
                    text=f"{approver.name} keurt {label(statement)} goed (vier ogen; auteur {statement.author_id})",
                    data=_data(statement))
    return statement


def publish(session: Session, org: Organisation, cat: Cat, statement_id: int, *, actor: Person, via: str,
            now: datetime) -> Statement:
    """Record the publication of an approved version; the first one stops the 'time to norm' clock."""
    require_open(cat)
    require_writer(org, cat, actor)
    _lock(session, cat)
    statement = get_statement(session, cat, statement_id)
    if statement.state == StatementState.PUBLISHED.value:
        raise InvalidState(f"{label(statement)} is al gepubliceerd ({statement.published_via})")
    if statement.state != StatementState.APPROVED.value:
        raise InvalidState(f"{label(statement)} is nog niet goedgekeurd; publiceren kan pas na goedkeuring "
                           "(vier ogen)")
    channel = " ".join(via.split()).lower()
    if not channel or len(channel) > MAX_VIA:
        raise InvalidInput(f"zeg via welk kanaal het is gepubliceerd (bijv. persverklaring, social, intranet; "
                           f"hoogstens {MAX_VIA} tekens)")
    statement.state, statement.published_at, statement.published_via = StatementState.PUBLISHED.value, now, channel
    first = cat.first_statement_published_at is None
    if first:
        cat.first_statement_published_at = now
        _cancel_no_statement_reminders(session, cat, now)
    session.flush()
    timeline.append(session, cat, EventKind.STATEMENT_PUBLISHED, recorded_at=now, actor_id=actor.id,
                    text=f"{actor.name} publiceert {label(statement)} via {channel}"
                         + (" — eerste normstelling: de klok stopt" if first else ""),
                    data={**_data(statement), "via": channel, "first": first})
    return statement


def _cancel_no_statement_reminders(session: Session, cat: Cat, now: datetime) -> None:
    for reminder in session.scalars(select(Reminder).where(
            Reminder.cat_id == cat.id, Reminder.kind == "no_statement",
            Reminder.state == ReminderState.SCHEDULED.value)):
        reminder.state, reminder.cancelled_at = ReminderState.CANCELLED.value, now


def _data(statement: Statement) -> dict[str, object]:
    return {"statement_id": statement.id, "category": statement.category, "phase": statement.phase,
            "channel": statement.channel, "version": statement.version}
