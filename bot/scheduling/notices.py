"""What a fired reminder says, in Dutch, and who hears it besides the CAT channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.cat.clocks import format_duration
from bot.cat.composition import seats
from bot.cat.models import Cat, Reminder
from bot.organisation.model import Organisation, Person
from bot.scheduling.reminders import AUDIENCES, CADENCE_PREFIX, is_cadence
from playbooks.vocabulary import Category

FOLLOW_UP_DEFAULT = ("Communiceer de afloop van het onderzoek, ook als er geen verwijtbaar handelen is "
                     "vastgesteld.")


@dataclass(frozen=True)
class Notice:
    """One reminder's message: posted in the CAT channel (with buttons) and sent by DM to `dm_to`."""

    reminder_id: int
    kind: str
    cat_number: str
    channel_id: str | None
    title: str
    text: str
    round: int
    dm_to: tuple[Person, ...] = ()
    dm_text: str = ""
    actions: bool = True


def escalation_targets(org: Organisation, cat: Cat, gap_key: str, now: datetime) -> list[Person]:
    """The deputies of the people an open seat lacks (first available along the chain), else the directors."""
    if gap_key.startswith("slack:"):
        missing = [p for p in [org.find(gap_key.removeprefix("slack:"))] if p is not None]
    else:
        wanted = [s for s in seats(org, cat.units, [Category(c) for c in cat.categories]) if s.key == gap_key]
        missing = [p for s in wanted for p in org.members(role=s.role, party=s.party, category=s.category)]
    targets: dict[str, Person] = {}
    for person in missing:
        deputy = org.find(person.deputy_id) if person.deputy_id else None
        chosen = org.stand_in(deputy, now)[0] if deputy else None
        if chosen is not None and chosen.id != person.id:
            targets.setdefault(chosen.id, chosen)
    return list(targets.values()) or org.directors()


def notice_for(org: Organisation, reminder: Reminder, cat: Cat, now: datetime) -> Notice:
    """Build the message for a reminder that has just been claimed."""
    payload = reminder.payload or {}
    round_ = int(payload.get("round", 1))

    def make(title: str, text: str, dm_to: tuple[Person, ...] = (), dm_text: str = "") -> Notice:
        return Notice(reminder.id, reminder.kind, cat.number, cat.channel_id, title, text, round_, dm_to, dm_text)

    since = format_duration(now - cat.activated_at)
    if reminder.kind == "no_statement":
        return make("Nog geen normstelling",
                    f"{cat.number} is {since} geleden geactiveerd en er is nog geen normstelling gepubliceerd. "
                    "Stel de norm: snel, duidelijk en herkenbaar — niet laat en defensief.")
    if is_cadence(reminder.kind):
        audience = AUDIENCES[reminder.kind.removeprefix(CADENCE_PREFIX)]
        return make(f"Update aan {audience}",
                    f"Tijd voor een nieuwe update aan {audience} over {cat.number}: wat weten we nu, wat doen "
                    "we, en wanneer volgt het volgende bericht?")
    if reminder.kind == "gap_escalation":
        gap = next((g for g in cat.gaps if g.key == payload.get("gap")), None)
        what = gap.message if gap else str(payload.get("gap"))
        targets = tuple(escalation_targets(org, cat, str(payload.get("gap")), now))
        names = ", ".join(p.name for p in targets)
        where = f" in <#{cat.channel_id}>." if cat.channel_id else "."
        return make("Bezetting nog niet rond",
                    f"De bezetting van {cat.number} is {since} na activatie nog niet rond: {what}. "
                    f"Geëscaleerd naar {names}.", targets,
                    f"{cat.number} ({cat.title}) mist nog iemand: {what}. U bent plaatsvervanger of directeur: "
                    f"neem de plek in of wijs iemand aan{where}")
    if reminder.kind == "follow_up_outcome":
        message = str(payload.get("message") or FOLLOW_UP_DEFAULT)
        directors = {p.id: p for p in org.directors() if p.id in (cat.activated_by, cat.closed_by)}
        targets = tuple(directors.values()) or tuple(org.directors()[:1])
        return make("Opvolging: de afloop communiceren", f"{cat.number} ({cat.title}) is gesloten. {message}",
                    targets, f"Opvolging {cat.number} ({cat.title}): {message}")
    return make("Herinnering", f"Herinnering voor {cat.number} ({reminder.kind}).")
