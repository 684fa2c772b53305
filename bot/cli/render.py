"""Plain-text rendering of requests and CATs for the terminal (Dutch)."""

from __future__ import annotations

from datetime import datetime

import typer
from sqlalchemy.orm import Session

from bot.cat import activation
from bot.cat.advice import advice_for
from bot.cat.clocks import clocks, format_duration
from bot.cat.membership import active_members, role_label
from bot.cat.models import (
    ADVICE_STATUS_LABELS,
    CAT_STATUS_LABELS,
    REQUEST_STATE_LABELS,
    AdviceStatus,
    Cat,
    CatStatus,
    RedButtonRequest,
    RequestState,
)
from bot.organisation.model import Organisation
from playbooks.vocabulary import Category, units


def print_request(org: Organisation, req: RedButtonRequest) -> None:
    requester = org.find(req.requester_id)
    typer.echo(f"Aanvraag {req.id}: {req.title} [{REQUEST_STATE_LABELS[RequestState(req.state)]}, "
               f"urgentie {req.urgency}]")
    typer.echo(f"  aangevraagd door {requester.name if requester else req.requester_id}")
    typer.echo(f"  eenheden: {', '.join(units()[c].name for c in req.units)}")
    if req.categories:
        typer.echo(f"  morele issues: {', '.join(Category(c).label for c in req.categories)}")


def print_cat(session: Session, org: Organisation, cat: Cat, now: datetime) -> None:
    """The CAT's state as a person reads it: team with reasons, gaps, advice, clocks."""
    typer.echo(f"{cat.number}: {cat.title} [{CAT_STATUS_LABELS[CatStatus(cat.status)]}]")
    typer.echo(f"  kanaal: #{cat.channel_name or '—'}   eenheden: {', '.join(units()[c].name for c in cat.units)}")
    typer.echo(f"  morele issues: {', '.join(Category(c).label for c in cat.categories) or 'niet bepaald'}")
    typer.echo(f"  advies aan: {', '.join(r['label'] for r in cat.advice_recipients)}")
    typer.echo("  team:")
    for member in active_members(cat):
        person = org.find(member.person_id)
        name = person.name if person else member.person_id
        party = person.party.name if person else member.party_code
        typer.echo(f"    - {name} ({party}, {role_label(member.role)}): {member.reason}")
    gaps = [g for g in cat.gaps if g.resolved_at is None]
    typer.echo("  gaten in de bezetting:" if gaps else "  geen gaten in de bezetting")
    for gap in gaps:
        typer.echo(f"    ! {gap.message}")
    for item in advice_for(session, cat):
        typer.echo(f"  advies {item.id} aan {item.recipient_kind} {item.recipient_unit or ''}: "
                   f"{ADVICE_STATUS_LABELS[AdviceStatus(item.status)]}")
    for clock in clocks(cat):
        typer.echo(f"  klok {clock.label}: {format_duration(clock.elapsed(now))}"
                   + (" (loopt)" if clock.running else ""))
    remaining = activation.pending_steps(session, cat)
    if remaining:
        typer.echo(f"  activatie onvolledig; nog te doen: {', '.join(remaining)} (catbot cat resume {cat.number})")
