"""CAT membership and coverage gaps: who is on the team, why, and which seats are still empty."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.cat import timeline
from bot.cat.composition import seat_filled_by
from bot.cat.models import Cat, CatMember, CatStatus, CoverageGap
from bot.cat.text import require_storable
from bot.cat.timeline import EventKind
from bot.errors import InvalidState, NotAllowed
from bot.organisation.model import Organisation, Person
from bot.organisation.schema import ROLE_LABELS, Role
from playbooks.vocabulary import Category

MEMBER_ROLE_LABELS = {**{role.value: label for role, label in ROLE_LABELS.items()}, "requester": "aanvrager",
                      "member": "lid"}


def role_label(role: str) -> str:
    return MEMBER_ROLE_LABELS.get(role, role)


def active_members(cat: Cat) -> list[CatMember]:
    return [m for m in cat.members if m.left_at is None]


def open_gaps(cat: Cat) -> list[CoverageGap]:
    return [g for g in cat.gaps if g.resolved_at is None]


def is_member(cat: Cat, person: Person) -> bool:
    return any(m.person_id == person.id for m in active_members(cat))


def require_writer(org: Organisation, cat: Cat, person: Person) -> None:
    """Only CAT members write to a CAT's timeline; directors too unless the organisation's policy says no."""
    if not (is_member(cat, person) or (org.policy.directors_write_timeline and person in org.directors())):
        raise NotAllowed(f"{person.name} is geen lid van {cat.number} en kan de tijdlijn niet aanvullen")


def require_open(cat: Cat) -> None:
    if cat.status == CatStatus.CLOSED.value:
        raise InvalidState(f"{cat.number} is gesloten; de tijdlijn neemt geen nieuwe bijdragen meer aan")


def add(session: Session, cat: Cat, person: Person, *, role: str, reason: str, actor_id: str | None,
        now: datetime) -> CatMember | None:
    """Add a member with the reason and record it; returns None when the person is already on the team."""
    if any(m.person_id == person.id and m.left_at is None for m in cat.members):
        return None
    member = CatMember(cat_id=cat.id, person_id=person.id, party_code=person.party.code, role=role, reason=reason,
                       added_at=now, added_by=actor_id)
    cat.members.append(member)
    session.flush()
    timeline.append(session, cat, EventKind.MEMBER_ADDED, recorded_at=now, actor_id=actor_id,
                    text=f"{person.name} ({person.party.name}, {role_label(role)}): {reason}",
                    data={"person_id": person.id, "role": role})
    return member


def report_gap(session: Session, cat: Cat, key: str, message: str, *, now: datetime) -> CoverageGap | None:
    """Record an empty seat in words, once."""
    if any(g.key == key for g in cat.gaps):
        return None
    gap = CoverageGap(cat_id=cat.id, key=key, message=message, opened_at=now)
    cat.gaps.append(gap)
    session.flush()
    timeline.append(session, cat, EventKind.GAP_REPORTED, recorded_at=now, text=message, data={"gap": key},
                    natural_key=f"gap:{key}")
    return gap


def resolve_gap(session: Session, cat: Cat, gap: CoverageGap, *, actor_id: str | None, how: str,
                now: datetime) -> None:
    gap.resolved_at, gap.resolved_by = now, actor_id
    timeline.append(session, cat, EventKind.GAP_RESOLVED, recorded_at=now, actor_id=actor_id,
                    text=f"{gap.message} — opgelost: {how}", data={"gap": gap.key})
    mark_team_complete_if_covered(session, cat, now)


def mark_team_complete_if_covered(session: Session, cat: Cat, now: datetime) -> None:
    """Stop the 'team complete' clock once no gap is open."""
    if cat.team_complete_at is None and not open_gaps(cat):
        cat.team_complete_at = now
        session.flush()


def add_member(session: Session, org: Organisation, cat: Cat, person: Person, *, actor: Person, reason: str,
               now: datetime) -> CatMember:
    """A member adds a colleague (`/cat lid`); gaps the newcomer can fill are closed."""
    require_open(cat)
    require_writer(org, cat, actor)
    require_storable(reden=reason)
    role = min(person.roles, key=list(Role).index, default=None)
    member = add(session, cat, person, role=role.value if role else "member",
                 reason=reason.strip() or f"toegevoegd door {actor.name}", actor_id=actor.id, now=now)
    if member is None:
        raise InvalidState(f"{person.name} zit al in {cat.number}")
    fillable = set(seat_filled_by(org, person, cat.units, [Category(c) for c in cat.categories]))
    for gap in open_gaps(cat):
        if gap.key in fillable or gap.key == f"slack:{person.id}":
            resolve_gap(session, cat, gap, actor_id=actor.id, how=f"{person.name} toegevoegd", now=now)
    return member
