"""Global middleware: drop Events API retries of events already handled (also across instances).

An event_id is claimed before the listener runs and released when handling fails, so Slack's retry is
processed instead of dropped. Bolt runs the listeners of this app (process_before_response off) in its
executor after the ack, and a global middleware's next() only flags "go on": the outcome is not visible
here, so the failure paths release the claim themselves: the app's error handler (a middleware or listener
raised into Bolt) and the listeners' `user_facing` guard (an unexpected error it turned into a message).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.container import Container
from bot.slack.models import SeenEvent, SeenRequest

log = logging.getLogger(__name__)


def _event_id(body: dict[str, Any] | None) -> str | None:
    event_id = (body or {}).get("event_id") if (body or {}).get("type") == "event_callback" else None
    return str(event_id) if event_id else None


def dedupe_events(container: Container) -> Callable[..., BoltResponse | None]:
    """Claim each event_id in the database; a second delivery (retry, second instance) is acked and skipped."""

    def middleware(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002
        event_id = _event_id(body)
        if not event_id:
            return next()
        try:
            with container.transaction() as session:
                session.add(SeenEvent(event_id=event_id, received_at=container.clock()))
        except IntegrityError:
            log.info("skipping duplicate delivery of event %s", event_id)
            return BoltResponse(status=200, body="")
        return next()

    return middleware


def release_event(container: Container, body: dict[str, Any] | None) -> None:
    """Handling this event failed: forget its claim (in a transaction of its own) so that Slack's retry runs."""
    event_id = _event_id(body)
    if not event_id:
        return
    try:
        with container.transaction() as session:
            session.execute(delete(SeenEvent).where(SeenEvent.event_id == event_id))
        log.info("released event %s after a failure; a retry will be handled", event_id)
    except Exception:  # the failure itself is logged by the caller; a retry is then skipped, as before
        log.exception("could not release event %s", event_id)


def release_on_error(container: Container) -> Callable[..., None]:
    """Bolt's global error handler: log the error (no body) and release the event's claim."""

    def handler(error: Exception, body: dict[str, Any]) -> None:
        log.error("unhandled error in a Slack listener or middleware: %s", type(error).__name__, exc_info=error)
        release_event(container, body)

    return handler


def purge_seen(session: Session, cutoff: datetime) -> int:
    """Forget seen events and requests received before `cutoff` (for the retention job); returns how many.

    Slack retries within about an hour and a signed request is stale after five minutes, so a day is ample.
    """
    removed = 0
    for table in (SeenEvent, SeenRequest):
        result = session.execute(delete(table).where(table.received_at < cutoff))
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed
