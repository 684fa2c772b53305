"""Red-button requests: any triangle member asks, a director decides; a director's own request activates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.cat.models import REQUEST_STATE_LABELS, RedButtonRequest, RequestState, Urgency
from bot.cat.text import require_storable
from bot.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from bot.organisation.model import TRIANGLE, Organisation, Person
from playbooks.vocabulary import Category, parse_category, parse_unit

MAX_TITLE = 200
MAX_LINKS = 20


@dataclass(frozen=True)
class RequestOutcome:
    """The request, and whether it was new (False: an identical pending request already existed)."""

    request: RedButtonRequest
    created: bool


def _normalise_units(org: Organisation, units: Sequence[str]) -> list[str]:
    if not units:
        raise InvalidInput("noem ten minste één betrokken eenheid")
    codes: list[str] = []
    for ref in units:
        try:
            code = parse_unit(ref).code
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        org.unit(code)
        if code not in codes:
            codes.append(code)
    return sorted(codes)


def _normalise_categories(categories: Sequence[str]) -> list[str]:
    result: set[str] = set()
    for ref in categories:
        try:
            category = parse_category(ref)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        if category is Category.GEEN:
            raise InvalidInput("'geen' is geen moreel issue; laat de categorie weg als die nog onduidelijk is")
        result.add(category.value)
    return sorted(result)


def require_web_link(link: str) -> str:
    """A link people can open safely: http(s) only (no javascript:, file: or data:)."""
    if not link.lower().startswith(("http://", "https://")):
        raise InvalidInput(f"link '{link}' moet met http:// of https:// beginnen")
    return link


def _normalise_links(links: Sequence[str]) -> list[str]:
    cleaned = [require_web_link(link.strip()) for link in links if link.strip()]
    if len(cleaned) > MAX_LINKS:
        raise InvalidInput(f"maximaal {MAX_LINKS} links per aanvraag")
    return cleaned


def request_red_button(
    session: Session,
    org: Organisation,
    *,
    requester: Person,
    title: str,
    reason: str,
    units: Sequence[str],
    categories: Sequence[str] = (),
    links: Sequence[str] = (),
    urgency: str = Urgency.HOOG.value,
    now: datetime,
    expires_after: timedelta = timedelta(hours=24),
) -> RequestOutcome:
    """File a request; an identical pending request (same units and categories) is returned instead."""
    if requester.party.kind not in TRIANGLE:
        raise NotAllowed(
            f"{requester.name} hoort niet bij een eenheid, de directie of de dienst en kan de rode knop niet aanvragen"
        )
    require_storable(titel=title, toelichting=reason, link=" ".join(links))
    title, reason = title.strip(), reason.strip()
    if not title:
        raise InvalidInput("geef de aanvraag een titel")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"titel is te lang ({len(title)} tekens, maximaal {MAX_TITLE})")
    if not reason:
        raise InvalidInput("geef een reden: wat is er aan de hand en waarom een CAT?")
    try:
        urgency_value = Urgency(urgency.strip().lower()).value
    except ValueError:
        raise InvalidInput(f"onbekende urgentie '{urgency}'; kies uit: normaal, hoog, acuut") from None
    unit_codes = _normalise_units(org, units)
    category_codes = _normalise_categories(categories)
    key = "|".join(unit_codes) + "#" + "|".join(category_codes)
    expire_stale(session, now)
    existing = session.scalar(select(RedButtonRequest).where(RedButtonRequest.pending_key == key))
    if existing is not None:
        return RequestOutcome(existing, False)
    request = RedButtonRequest(
        requester_id=requester.id,
        title=title,
        reason=reason,
        units=unit_codes,
        categories=category_codes,
        links=_normalise_links(links),
        urgency=urgency_value,
        state=RequestState.PENDING.value,
        pending_key=key,
        created_at=now,
        expires_at=now + expires_after,
    )
    session.add(request)
    session.flush()
    return RequestOutcome(request, True)


def get_request(session: Session, request_id: int) -> RedButtonRequest:
    request = session.get(RedButtonRequest, request_id)
    if request is None:
        raise NotFound(f"aanvraag {request_id} bestaat niet")
    return request


def _transition(session: Session, request: RedButtonRequest, to: RequestState, **values: object) -> None:
    """Move a pending request to `to`; exactly one concurrent caller wins (a double click loses here)."""
    result = session.execute(
        update(RedButtonRequest)
        .where(RedButtonRequest.id == request.id, RedButtonRequest.state == RequestState.PENDING.value)
        .values(state=to.value, pending_key=None, **values)
        .execution_options(synchronize_session=False)
    )
    session.refresh(request)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        label = REQUEST_STATE_LABELS[RequestState(request.state)]
        raise InvalidState(f"aanvraag {request.id} is al {label}")


def require_director(org: Organisation, person: Person) -> None:
    """Only a director (or a decider named in the organisation's policy) decides on the red button."""
    if not org.may_decide(person):
        names = ", ".join(d.name for d in org.deciders())
        raise NotAllowed(f"alleen een directeur communicatie ({names}) kan de rode knop indrukken of afwijzen")


def mark_approved(session: Session, org: Organisation, request: RedButtonRequest, *, director: Person,
                  now: datetime) -> None:
    """Record the director's approval (activation follows in bot.cat.activation)."""
    require_director(org, director)
    _check_not_expired(request, now)
    _transition(session, request, RequestState.APPROVED, decided_by=director.id, decided_at=now)


def decline(session: Session, org: Organisation, request: RedButtonRequest, *, director: Person, reason: str,
            now: datetime) -> RedButtonRequest:
    """Decline with a reason the requester will read."""
    require_director(org, director)
    require_storable(reden=reason)
    if not reason.strip():
        raise InvalidInput("geef een reden voor de afwijzing; de aanvrager krijgt die te zien")
    _check_not_expired(request, now)
    _transition(session, request, RequestState.DECLINED, decided_by=director.id, decided_at=now,
                decline_reason=reason.strip())
    return request


def withdraw(session: Session, org: Organisation, request: RedButtonRequest, *, person: Person,
             now: datetime) -> RedButtonRequest:
    """The requester (or a director) withdraws a pending request."""
    if person.id != request.requester_id and not org.may_decide(person):
        raise NotAllowed("alleen de aanvrager of een directeur kan een aanvraag intrekken")
    _transition(session, request, RequestState.WITHDRAWN, decided_by=person.id, decided_at=now)
    return request


def _check_not_expired(request: RedButtonRequest, now: datetime) -> None:
    if request.state == RequestState.PENDING.value and request.expires_at <= now:
        raise InvalidState(f"aanvraag {request.id} is verlopen; dien zo nodig een nieuwe aanvraag in")


def expire_stale(session: Session, now: datetime) -> int:
    """Expire pending requests past their deadline; returns how many."""
    result = session.execute(
        update(RedButtonRequest)
        .where(RedButtonRequest.state == RequestState.PENDING.value, RedButtonRequest.expires_at <= now)
        .values(state=RequestState.EXPIRED.value, pending_key=None, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def list_requests(session: Session, *, state: RequestState | None = None, limit: int = 50) -> list[RedButtonRequest]:
    query = select(RedButtonRequest).order_by(RedButtonRequest.id.desc()).limit(limit)
    if state is not None:
        query = query.where(RedButtonRequest.state == state.value)
    return list(session.scalars(query))
