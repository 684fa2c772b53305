"""Global middleware: drop Events API retries of events already handled (also across instances); know the user."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy.exc import IntegrityError

from bot.container import Container
from bot.errors import NotFound
from bot.slack.deps import Deps, user_and_channel
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


def know_users(deps: Deps) -> Callable[..., BoltResponse | None]:
    """Ask Slack who a not-yet-known user is before any listener opens a transaction.

    The answer is cached, so listeners find the person in the database and never call Slack with a transaction
    open; someone who is not in the organisation file hears that from the listener, in Dutch.
    """

    def middleware(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002
        user, _ = user_and_channel(body)
        if user:
            with suppress(NotFound):
                deps.person_outside(user)
        return next()

    return middleware
