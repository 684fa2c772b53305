"""Retention purge: personal data of CATs closed longer ago than the retention period; the chain stays verifiable.

What goes: the timeline's content rows (actor, text, link, data) and the free texts that name or describe
people — the CAT's summary, each member's reason, gap descriptions, the request's reason and decline
reason, the advice text and response. What stays: the events with their hashes and content digests
(so `timeline.verify` still checks order, times and the chain, and reports the content as purged),
staff ids, times and states, the evaluation (organisational learning), and the statements (public text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from bot.cat.models import (
    Advice,
    Cat,
    CatMember,
    CatStatus,
    CoverageGap,
    RedButtonRequest,
    TimelineContent,
    TimelineEvent,
)

PURGED = "[verwijderd na de bewaartermijn]"


@dataclass(frozen=True)
class PurgeReport:
    cats: int
    timeline_contents: int
    texts: int


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def purge_closed(session: Session, *, now: datetime, retention_days: int) -> PurgeReport:
    """Remove the personal data of CATs closed before `now - retention_days`; repeat runs change nothing."""
    cutoff = now - timedelta(days=retention_days)
    cat_ids = list(session.scalars(select(Cat.id).where(Cat.status == CatStatus.CLOSED.value, Cat.closed_at < cutoff)))
    if not cat_ids:
        return PurgeReport(0, 0, 0)
    events = select(TimelineEvent.id).where(TimelineEvent.cat_id.in_(cat_ids))
    contents = _count(session.execute(delete(TimelineContent).where(TimelineContent.event_id.in_(events))
                                      .execution_options(synchronize_session=False)))
    texts = 0
    for table, column, key in ((Cat, Cat.summary, Cat.id), (CatMember, CatMember.reason, CatMember.cat_id),
                               (CoverageGap, CoverageGap.message, CoverageGap.cat_id),
                               (Advice, Advice.text, Advice.cat_id)):
        texts += _count(session.execute(update(table).where(key.in_(cat_ids), column != PURGED)
                                        .values({column.key: PURGED}).execution_options(synchronize_session=False)))
    texts += _count(session.execute(update(Advice).where(Advice.cat_id.in_(cat_ids), Advice.response.is_not(None),
                                                                 Advice.response != PURGED)
                                    .values(response=PURGED).execution_options(synchronize_session=False)))
    texts += purge_requests(session, select(Cat.request_id).where(Cat.id.in_(cat_ids)))
    return PurgeReport(len(cat_ids), contents, texts)


def purge_requests(session: Session, ids: Select[Any]) -> int:
    return _count(session.execute(update(RedButtonRequest).where(RedButtonRequest.id.in_(ids),
                                                                 RedButtonRequest.reason != PURGED)
                                  .values(reason=PURGED, decline_reason=None)
                                  .execution_options(synchronize_session=False)))


def purge_undecided_requests(session: Session, *, now: datetime, retention_days: int) -> int:
    """Requests that never became a CAT (declined, withdrawn, expired) lose their reasons after the period too."""
    cutoff = now - timedelta(days=retention_days)
    ids = select(RedButtonRequest.id).where(RedButtonRequest.state.in_(("declined", "withdrawn", "expired")),
                                            RedButtonRequest.created_at < cutoff)
    return purge_requests(session, ids)
