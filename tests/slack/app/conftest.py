"""The real bot app over HTTP, signed payloads from the local Slack emulator, SQLite behind it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.container import Container
from bot.organisation.loader import load_organisation
from bot.organisation.model import Organisation
from bot.organisation.schema import Role
from bot.settings import EXAMPLE_ORG_FILE, Settings
from bot.slack.app import create_app
from bot.slack.demo.scenario import emulator_users, wait_until
from bot.slack.emulator import Emulator
from bot.slack.http import create_wsgi, serve_in_thread

SIGNING_SECRET = "test-signing-secret"
CONTRACT_ERRORS = ("invalid_arguments", "invalid_blocks", "unknown_method", "invalid_form_data", "invalid_json",
                   "not_authed", "invalid_auth", "invalid_array_arg")


@dataclass
class World:
    emulator: Emulator
    container: Container
    org: Organisation
    slack: Any  # the emulator's Deliverer aimed at the bot's /slack/events
    events_url: str

    def uid(self, person_id: str) -> str:
        """The Slack user id of a person of the example organisation."""
        email = self.org.require(person_id).email
        return next(u.id for u in self.emulator.ws.users.values() if u.email == email)

    def open_view(self, person_id: str) -> dict[str, Any]:
        """The modal on top of this person's view stack (waits briefly for the bot to open it)."""
        user = self.uid(person_id)
        wait_for(lambda: self.emulator.ws.stacks.get(user), what=f"a modal for {person_id}")
        view = self.emulator.ws.views[self.emulator.ws.stacks[user][-1]]
        return {"id": view.id, **view.payload, "errors": view.errors}

    def dm_messages(self, person_id: str) -> list[Any]:
        user = self.uid(person_id)
        ws = self.emulator.ws
        channels = [c.id for c in ws.channels.values() if c.is_im and user in c.members]
        return [m for c in channels for m in ws.messages.get(c, [])]

    def channel(self, name_prefix: str) -> Any:
        return next((c for c in self.emulator.ws.channels.values() if (c.name or "").startswith(name_prefix)), None)

    def ephemerals(self, person_id: str) -> list[str]:
        return [e.text for e in self.emulator.ws.ephemerals if e.user == self.uid(person_id)]


def wait_for(predicate: Callable[[], Any], *, what: str, timeout: float = 15.0) -> Any:
    """Poll until the bot's asynchronous work (after the ack) shows; fail the test with what was awaited."""
    try:
        return wait_until(predicate, what, timeout)
    except TimeoutError as exc:
        raise AssertionError(str(exc)) from None


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    org = load_organisation(EXAMPLE_ORG_FILE)
    emulator = Emulator(emulator_users(org), signing_secret=SIGNING_SECRET)
    emulator.start()
    leads = [u["id"] for u, p in zip(emulator_users(org), org.people.values(), strict=True)
             if p.has(Role.COMMS_LEAD) or p.has(Role.DIRECTOR)]
    requests_channel = emulator.add_channel("communicatie-leads", leads + [emulator.bot_user_id], is_private=True)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
                        slack_bot_token=SecretStr(emulator.bot_token), slack_signing_secret=SecretStr(SIGNING_SECRET), slack_api_url=emulator.api_url,
                        requests_channel=requests_channel)
    container = Container(settings)
    container.migrate()
    app = create_app(container)
    server, url = serve_in_thread(create_wsgi(app, container))
    try:
        yield World(emulator, container, org, emulator.deliverer(url), url)
        # Every Web API call the bot made in the test kept Slack's contract (arguments, types, Block Kit limits).
        broken = [c for c in emulator.calls() if not c["ok"] and c.get("error") in CONTRACT_ERRORS]
        assert not broken, f"Web API calls broke Slack's contract: {broken}"
    finally:
        server.shutdown()
        emulator.stop()
        container.close()


@pytest.fixture
def cat_channel(world: World) -> str:
    """A CAT whose activation has finished (kickoff with drafts posted); returns its channel id."""
    from tests.slack.app.test_red_button_flow import approve, request_red_button

    request_red_button(world)
    approve(world)
    channel = wait_for(lambda: world.channel("cat-"), what="CAT channel")
    wait_for(lambda: any(m.metadata and "Eerste concepten" in str(m.blocks)
                         for m in world.emulator.ws.messages.get(channel.id, [])), what="kickoff with drafts")
    wait_for(lambda: activation_finished(world), what="activation finished (requester told)")
    return str(channel.id)


def activation_finished(world: World) -> bool:
    """Every CAT's saga has run to its end (the last step tells the requester)."""
    from sqlalchemy import select

    from bot.cat import activation
    from bot.cat.models import Cat

    with world.container.transaction() as session:
        cats = list(session.scalars(select(Cat)))
        return bool(cats) and all(not activation.pending_steps(session, cat) for cat in cats)
