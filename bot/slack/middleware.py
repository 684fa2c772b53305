"""Global middleware: drop Events API retries of events already handled (also across instances)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy.exc import IntegrityError

from bot.container import Container
from bot.slack.models import SeenEvent

log = logging.getLogger(__name__)


def dedupe_events(container: Container) -> Callable[..., BoltResponse | None]:
    """Record each event_id in the database; a second delivery (retry, second instance) is acked and skipped."""

    def middleware(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id:
            return next()
        try:
            with container.transaction() as session:
                session.add(SeenEvent(event_id=str(event_id), received_at=container.clock()))
        except IntegrityError:
            log.info("skipping duplicate delivery of event %s", event_id)
            return BoltResponse(status=200, body="")
        return next()

    return middleware
