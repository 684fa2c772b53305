"""What a CAT's kickoff message says: situation, members with reasons, gaps, recipients, checklist, drafts."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cat.membership import active_members, open_gaps, role_label
from bot.cat.models import Cat, Statement
from bot.cat.ports import DraftView, Kickoff, KickoffMember
from bot.cat.statements import STATE_LABELS
from bot.organisation.model import Organisation
from playbooks.vocabulary import Category, units

CHANNEL_LABELS = {"persverklaring": "persverklaring", "social": "social post", "intranetbericht": "intranetbericht",
                  "brief_leidinggevenden": "brief aan leidinggevenden", "woordvoeringslijn": "woordvoeringslijn"}


def category_labels(codes: Sequence[str]) -> list[str]:
    return [Category(c).label for c in codes]


def build_kickoff(session: Session, org: Organisation, cat: Cat,
                  checklist: Callable[[Sequence[str]], list[str]]) -> Kickoff:
    """Collect the kickoff's content from the CAT, the organisation and the playbooks' checklist."""
    members = []
    for member in active_members(cat):
        person = org.find(member.person_id)
        members.append(KickoffMember(
            party=person.party.name if person else member.party_code,
            name=person.name if person else member.person_id,
            role=role_label(member.role),
            reason=member.reason,
            slack_id=person.slack_id if person else None,
        ))
    latest: dict[tuple[str, str, str], Statement] = {}  # newest version, in the order the drafts first appeared
    for s in session.scalars(select(Statement).where(Statement.cat_id == cat.id).order_by(Statement.id)):
        latest[(s.category, s.phase, s.channel)] = s
    drafts = [
        DraftView(s.id, f"{Category(s.category).label if s.category in Category._value2member_map_ else s.category}"
                        f" · {s.phase.replace('_', ' ')} · {CHANNEL_LABELS.get(s.channel, s.channel)}"
                        + (f" — v{s.version} {STATE_LABELS[s.state]}" if s.version > 1 or s.state != "draft" else ""),
                  s.text)
        for s in latest.values()
    ]
    return Kickoff(
        cat_number=cat.number,
        title=cat.title,
        summary=cat.summary,
        units=[units()[c].name for c in cat.units],
        categories=category_labels(cat.categories),
        links=list(cat.links),
        members=members,
        gaps=[g.message for g in open_gaps(cat)],
        advice_recipients=[r["label"] for r in cat.advice_recipients],
        checklist=checklist(cat.categories),
        drafts=drafts,
    )
