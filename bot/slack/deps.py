"""What listeners need: the container, the Slack gateway, and who the Slack user is in the organisation."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from slack_bolt import Ack
from sqlalchemy.orm import Session

from bot.container import Container
from bot.errors import DomainError, NotFound
from bot.organisation.directory import person_for_slack_id, remember_slack_id
from bot.organisation.model import Person
from bot.slack.middleware import release_event
from bot.slack.notifier import SlackGateway

log = logging.getLogger("bot.slack")
UNKNOWN_USER = ("u staat niet in het organisatiebestand van de CAT bot; vraag de beheerder u toe te voegen (met uw "
                "e-mailadres of Slack-id)")


@dataclass
class Deps:
    container: Container
    gateway: SlackGateway
    requests_channel: str | None = None

    def person(self, session: Session, user_id: str) -> Person:
        """The person behind a Slack user, from the file or the cache; never asks Slack (a transaction is open).

        The `know_users` middleware has asked Slack already, with no transaction open, for anyone not yet known.
        """
        person = person_for_slack_id(session, self.container.org, user_id)
        if person is None:
            raise NotFound(UNKNOWN_USER)
        return person

    def person_outside(self, user_id: str) -> Person:
        """Like `person`, for use with no transaction open: Slack is asked between two short transactions."""
        with self.container.transaction() as session:
            person = person_for_slack_id(session, self.container.org, user_id)
        if person is not None:
            return person
        email = self.gateway.email_of(user_id)
        person = self.container.org.find(email) if email else None
        if person is not None and person.email:
            with self.container.transaction() as session:  # next time the cache knows this user
                remember_slack_id(session, person, user_id, self.container.clock())
        if person is None:
            raise NotFound(UNKNOWN_USER)
        return person


def user_and_channel(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """Who sent a request (slash command, interaction or event) and where, as far as the payload says."""
    user = body.get("user_id") or (body.get("user") or {}).get("id") or (body.get("event") or {}).get("user")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or \
        (body.get("event") or {}).get("item", {}).get("channel")
    return user, channel


def logged_failure(what: str) -> str:
    """Log the exception being handled under a short id the user is shown, so support can find it."""
    error_id = uuid.uuid4().hex[:8]
    log.exception("%s (error id %s)", what, error_id)
    return error_id


def tell_user(deps: Deps, body: dict[str, Any], text: str) -> None:
    """Tell the user privately: ephemeral in the channel when there is one, else by DM."""
    user, channel = user_and_channel(body)
    if not user:
        return
    try:
        if channel and not channel.startswith("D"):
            deps.gateway.ephemeral(channel, user, text)
        else:
            deps.gateway.dm(user, text)
    except Exception:  # the user cannot be told; the error itself is already logged
        log.exception("could not tell user about an error")


def user_facing(deps: Deps) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Turn domain errors into a clear Dutch message; log anything else with an id the user also sees."""

    def decorate(listener: Callable[..., None]) -> Callable[..., None]:
        @wraps(listener)  # Bolt reads the listener's own parameters through __wrapped__
        def wrapper(**kwargs: Any) -> None:
            ack: Ack | None = kwargs.get("ack")
            body: dict[str, Any] = kwargs.get("body") or {}
            try:
                listener(**kwargs)
            except DomainError as exc:
                _ack_quietly(ack)
                tell_user(deps, body, f":warning: {str(exc)[:1].upper()}{str(exc)[1:]}")
            except Exception:
                _ack_quietly(ack)
                error_id = logged_failure("listener failed")
                release_event(deps.container, body)  # not handled: Slack's retry of this event may run
                tell_user(deps, body, f":x: Er ging iets mis (fout-id {error_id}). Het is gelogd; probeer het "
                                      "opnieuw of meld het id bij de beheerder.")

        return wrapper

    return decorate


def _ack_quietly(ack: Ack | None) -> None:
    """Acknowledge (again): a second ack() only replaces a response that Slack already has."""
    if ack is not None:
        ack()
