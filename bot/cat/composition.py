"""Team composition: who sits on a CAT and why, and which seats stay empty (coverage gaps)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.localtime import fmt
from bot.organisation.model import Organisation, Person
from bot.organisation.schema import ROLE_LABELS, Role
from playbooks.vocabulary import Category


@dataclass(frozen=True)
class Seat:
    """A seat the memo asks for: a role in a party (and for issue owners, a category)."""

    key: str
    role: Role
    party: str
    description: str
    category: Category | None = None


@dataclass
class PlannedMember:
    person: Person
    role: Role
    reason: str
    seat_keys: list[str] = field(default_factory=list)


@dataclass
class TeamPlan:
    """The composed team and the gaps, each in words."""

    members: list[PlannedMember]
    gaps: list[tuple[str, str]]


def seats(org: Organisation, units: Sequence[str], categories: Sequence[Category]) -> list[Seat]:
    """Every seat for a CAT on these units and categories, in kickoff order."""
    result: list[Seat] = []
    for code in units:
        unit = org.unit(code)
        for role in (Role.COMMS_LEAD, Role.SPOKESPERSON):
            result.append(Seat(f"unit:{code}:{role.value}", role, code, f"{ROLE_LABELS[role]} van eenheid {unit.name}"))
    result.append(Seat("directie:spokesperson", Role.SPOKESPERSON, "directie", "woordvoerder van de directie"))
    result.append(Seat("dienst:analyst", Role.ANALYST, "dienst", "I&O-analist van de dienst"))
    for category in categories:
        result.append(Seat(f"dienst:issue_owner:{category.value}", Role.ISSUE_OWNER, "dienst",
                           f"A&A-issuetrekker voor {category.label}", category))
    return result


def _candidates(org: Organisation, seat: Seat) -> list[Person]:
    if seat.key == "directie:spokesperson":
        return org.members(role=Role.SPOKESPERSON, party="directie") or org.members(
            role=Role.DUTY_OFFICER, party="directie"
        )
    return org.members(role=seat.role, party=seat.party, category=seat.category)


def compose_team(org: Organisation, units: Sequence[str], categories: Sequence[Category], at: datetime) -> TeamPlan:
    """Fill each seat with an available holder or their deputy; report each empty seat as a gap."""
    members: dict[str, PlannedMember] = {}
    gaps: list[tuple[str, str]] = []
    for seat in seats(org, units, categories):
        holders = _candidates(org, seat)
        if not holders:
            gaps.append((seat.key, f"geen {seat.description} in het organisatiebestand"))
            continue
        chosen: Person | None = None
        skipped: list[Person] = []
        reason = ""
        for holder in holders:
            chosen, skipped = org.stand_in(holder, at)
            if chosen is not None:
                reason = f"{seat.description}"
                if chosen is not holder:
                    reason = (f"vervangt {holder.name} ({_absence(holder)}) als {seat.description}")
                break
        if chosen is None:
            absent = "; ".join(f"{p.name} {_absence(p)}" for p in skipped)
            gaps.append((seat.key, f"geen {seat.description} beschikbaar: {absent}, geen beschikbare vervanger"))
            continue
        planned = members.get(chosen.id)
        if planned is None:
            members[chosen.id] = PlannedMember(chosen, seat.role, reason, [seat.key])
        else:
            planned.reason += f"; ook {reason}"
            planned.seat_keys.append(seat.key)
    return TeamPlan(list(members.values()), gaps)


def _absence(person: Person) -> str:
    if person.absent_until is None:
        return "afwezig"
    return f"afwezig tot {fmt(person.absent_until)}"


def seat_filled_by(
    org: Organisation, person: Person, units: Sequence[str], categories: Sequence[Category]
) -> list[str]:
    """The seat keys a person can fill on this CAT (used to close gaps when someone is added)."""
    return [seat.key for seat in seats(org, units, categories) if person in _candidates(org, seat)]
