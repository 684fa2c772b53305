"""Export of a CAT and its timeline as JSON and Markdown, with the chain verification."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.cat import timeline
from bot.cat.advice import advice_for
from bot.cat.clocks import clocks, format_duration
from bot.cat.membership import role_label
from bot.cat.models import ADVICE_STATUS_LABELS, CAT_STATUS_LABELS, AdviceStatus, Cat, CatStatus
from bot.cat.timeline import EVENT_LABELS, EventKind
from bot.localtime import fmt, iso
from bot.organisation.model import Organisation
from playbooks.vocabulary import Category, units


def _name(org: Organisation, person_id: str | None) -> str | None:
    if person_id is None:
        return None
    person = org.find(person_id)
    return person.name if person else person_id


def cat_summary(session: Session, org: Organisation, cat: Cat, now: datetime) -> dict[str, Any]:
    """The CAT as plain data (also the `--json` of show)."""
    return {
        "number": cat.number,
        "title": cat.title,
        "summary": cat.summary,
        "status": cat.status,
        "units": [{"code": c, "name": units()[c].name} for c in cat.units],
        "categories": cat.categories,
        "links": cat.links,
        "channel": {"id": cat.channel_id, "name": cat.channel_name},
        "advice_recipients": cat.advice_recipients,
        "members": [
            {"person_id": m.person_id, "name": _name(org, m.person_id), "party": m.party_code, "role": m.role,
             "reason": m.reason, "added_at": iso(m.added_at), "left_at": m.left_at and iso(m.left_at)}
            for m in cat.members
        ],
        "gaps": [{"key": g.key, "message": g.message, "resolved": g.resolved_at is not None} for g in cat.gaps],
        "advice": [
            {"id": a.id, "recipient": a.recipient_kind, "unit": a.recipient_unit, "text": a.text,
             "given_by": _name(org, a.given_by), "given_at": iso(a.given_at), "status": a.status,
             "response": a.response}
            for a in advice_for(session, cat)
        ],
        "clocks": {
            c.name: {"label": c.label, "seconds": int(c.elapsed(now).total_seconds()), "running": c.running}
            for c in clocks(cat)
        },
        "evaluation": {"went_well": cat.evaluation_went_well, "to_learn": cat.evaluation_to_learn},
        "requested_at": iso(cat.requested_at),
        "activated_at": iso(cat.activated_at),
        "closed_at": cat.closed_at and iso(cat.closed_at),
    }


def export_json(session: Session, org: Organisation, cat: Cat, now: datetime) -> dict[str, Any]:
    """The CAT, its full timeline (with hashes) and the verification result."""
    check = timeline.verify(session, cat)
    return {
        "cat": cat_summary(session, org, cat, now),
        "timeline": [
            {
                "seq": e.seq, "kind": e.kind, "occurred_at": iso(e.occurred_at),
                "recorded_at": iso(e.recorded_at),
                "actor": _name(org, e.content.actor_id) if e.content else None,
                "text": e.content.text if e.content else None,
                "source_url": e.content.source_url if e.content else None,
                "data": e.content.data if e.content else None,
                "purged": e.content is None, "hash": e.hash, "prev_hash": e.prev_hash,
            }
            for e in timeline.events(session, cat)
        ],
        "verification": {"ok": check.ok, "events": check.events, "purged": check.purged, "problems": check.problems},
        "exported_at": iso(now),
    }


def export_markdown(session: Session, org: Organisation, cat: Cat, now: datetime) -> str:
    """A readable after-action record in Dutch."""
    data = export_json(session, org, cat, now)
    info = data["cat"]
    lines = [f"# {cat.number} — {cat.title}", "",
             f"- Status: {CAT_STATUS_LABELS[CatStatus(cat.status)]}",
             f"- Eenheden: {', '.join(u['name'] for u in info['units'])}",
             f"- Morele issues: {', '.join(Category(c).label for c in cat.categories) or 'niet bepaald'}",
             f"- Advies aan: {', '.join(r['label'] for r in cat.advice_recipients)}",
             f"- Kanaal: #{cat.channel_name or '—'}", "", "## Situatie", "", cat.summary, "", "## Team", ""]
    lines += [f"- **{m['name']}** ({m['party']}, {role_label(m['role'])}): {m['reason']}" for m in info["members"]]
    if cat.gaps:
        lines += ["", "## Gaten in de bezetting", ""]
        lines += [f"- {g.message}" + (" (opgelost)" if g.resolved_at else " (open)") for g in cat.gaps]
    lines += ["", "## Klokken", ""]
    lines += [f"- {c.label}: {format_duration(c.elapsed(now))}" + (" (loopt nog)" if c.running else "")
              for c in clocks(cat)]
    if info["advice"]:
        lines += ["", "## Advies", ""]
        for a in info["advice"]:
            status = ADVICE_STATUS_LABELS[AdviceStatus(a["status"])]
            lines.append(f"- Aan {a['recipient']}{' ' + a['unit'] if a['unit'] else ''} ({status}): {a['text']}"
                         + (f" — reactie: {a['response']}" if a["response"] else ""))
    if cat.closed_at:
        lines += ["", "## Evaluatie", "", f"- Wat ging goed: {cat.evaluation_went_well}",
                  f"- Wat leren we: {cat.evaluation_to_learn}"]
    lines += ["", "## Tijdlijn", "", "| # | tijdstip (origineel) | vastgelegd | soort | wie | wat |",
              "|---|---|---|---|---|---|"]
    for e in data["timeline"]:
        text = (e["text"] or "_(verwijderd volgens bewaartermijn)_").replace("|", "\\|").replace("\n", " ")
        if e["source_url"]:
            text += f" ([bron]({e['source_url']}))"
        occurred, recorded = (fmt(datetime.fromisoformat(e[k]), seconds=True) for k in ("occurred_at", "recorded_at"))
        lines.append(f"| {e['seq']} | {occurred} | {recorded} | {EVENT_LABELS[EventKind(e['kind'])]} | "
                     f"{e['actor'] or 'CAT bot'} | {text} |")
    check = data["verification"]
    lines += ["", "## Verificatie", "",
              ("Hash-keten intact" if check["ok"] else "HASH-KETEN GEBROKEN")
              + f": {check['events']} gebeurtenissen, {check['purged']} geschoond."]
    lines += [f"- {p}" for p in check["problems"]]
    lines += ["", f"_Geëxporteerd op {fmt(now)}; alle tijden in Nederlandse tijd (Europe/Amsterdam)._", ""]
    return "\n".join(lines)
