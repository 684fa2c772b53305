"""`catbot run` end to end over the emulator's Socket Mode: the set-up behind a firewall (no public URL).

A real process connects with an app-level token; what people do reaches it as Socket Mode envelopes. Red button
→ the director approves → CAT channel with kickoff → 📌 on the timeline → a reminder fires → SIGTERM exits cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from bot.cat.models import TimelineEvent
from bot.organisation.loader import load_organisation
from bot.settings import EXAMPLE_ORG_FILE
from bot.slack.emulator import Emulator
from bot.slack.emulator.socket_mode import SocketDeliverer
from bot.slack.reminder_blocks import REMINDER_EVENT
from tests.slack.app.conftest import SIGNING_SECRET, emulator_users, wait_for
from tests.slack.app.test_red_button_flow import FORM

pytestmark = pytest.mark.slow  # a reminder is due a minute after the CAT starts


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Emulator, subprocess.Popen[str], str]]:
    emulator = Emulator(emulator_users(load_organisation(EXAMPLE_ORG_FILE)), signing_secret=SIGNING_SECRET)
    emulator.start()
    database = f"sqlite:///{tmp_path / 'run.sqlite3'}"
    env = {**os.environ, "CATBOT_DATABASE_URL": database, "CATBOT_DATA_DIR": str(tmp_path),
           "SLACK_BOT_TOKEN": emulator.bot_token, "SLACK_APP_TOKEN": "xapp-1-A0EMULATOR-1-test",
           "SLACK_API_URL": emulator.api_url, "CATBOT_FIRST_STATEMENT_MINUTES": "1",
           "CATBOT_REMINDER_CHECK_SECONDS": "1"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        yield emulator, process, database
    finally:
        if process.poll() is None:
            process.kill()
        emulator.stop()


def test_red_button_to_cat_pin_and_reminder_over_socket_mode_then_sigterm(
        running: tuple[Emulator, subprocess.Popen[str], str]) -> None:
    emulator, process, database = running
    slack = SocketDeliverer(emulator)
    slack.session(wait=60)  # the bot connected through apps.connections.open
    users = {u.email: u.id for u in emulator.ws.users.values() if u.email}
    org = load_organisation(EXAMPLE_ORG_FILE)
    requester, director = (users[org.require(p).email or ""] for p in ("re07-woordvoerder", "dir-directeur"))

    def top_view(user: str) -> dict[str, Any]:
        wait_for(lambda: emulator.ws.stacks.get(user), what="a modal")
        view = emulator.ws.views[emulator.ws.stacks[user][-1]]
        return {"id": view.id, **view.payload}

    asked = slack.slash_command("/rodeknop", "beelden gaan viraal", user=requester,
                                channel=emulator.add_channel("algemeen", [requester]))
    assert asked.status == 200 and asked.acked_in_time
    form = top_view(requester)
    assert form["title"]["text"] == "Rode knop aanvragen"
    assert slack.view_submission(form["id"], user=requester, values=FORM).status == 200
    card = wait_for(lambda: [m for c in emulator.ws.channels.values() if c.is_im and director in c.members
                             for m in emulator.ws.messages.get(c.id, []) if "request_approve" in str(m.blocks)],
                    what="the request card in the director's DM")[-1]
    slack.block_actions("request_approve", user=director, channel=card.channel, message_ts=card.ts)
    approve = top_view(director)
    assert approve["title"]["text"] == "Rode knop indrukken"
    slack.view_submission(approve["id"], user=director, values={"advice_to": {"advice_to": ["politiechef"]}})
    channel = wait_for(lambda: next((c for c in emulator.ws.channels.values() if c.name.startswith("cat-")), None),
                       what="the CAT channel", timeout=60)
    assert channel.is_private
    wait_for(lambda: any(m.metadata and "Eerste concepten" in str(m.blocks)
                         for m in emulator.ws.messages.get(channel.id, [])), what="the kickoff", timeout=60)

    message = emulator.post_user_message(channel.id, requester, "NOS opent met de beelden")
    pinned = slack.reaction_added(channel.id, message, requester, "pushpin")
    assert pinned.status == 200
    engine = create_engine(database)
    with engine.connect() as connection:
        wait_for(lambda: connection.scalar(select(func.count()).select_from(TimelineEvent)
                                           .where(TimelineEvent.kind == "note")), what="the 📌 on the timeline")
    engine.dispose()
    wait_for(lambda: [m for m in emulator.ws.messages.get(channel.id, [])
                      if (m.metadata or {}).get("event_type") == REMINDER_EVENT],
             what="a reminder in the CAT channel", timeout=150)

    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err[-2000:]
    assert "Traceback" not in err
