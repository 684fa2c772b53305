"""`catbot serve` as a real process behind gunicorn: health, and a signed command answered through Slack."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.organisation.loader import load_organisation
from bot.settings import EXAMPLE_ORG_FILE
from bot.slack.emulator import Emulator
from tests.slack.app.conftest import SIGNING_SECRET, emulator_users, wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Emulator, str]]:
    org = load_organisation(EXAMPLE_ORG_FILE)
    emulator = Emulator(emulator_users(org), signing_secret=SIGNING_SECRET)
    emulator.start()
    port = free_port()
    runtime_dir = tmp_path / "run"
    runtime_dir.mkdir()
    env = {**os.environ, "CATBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
           "SLACK_BOT_TOKEN": emulator.bot_token, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": emulator.api_url, "CATBOT_DATA_DIR": str(tmp_path),
           "XDG_RUNTIME_DIR": str(runtime_dir)}  # where gunicorn would put its shared control socket
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                return response.status == 200
        except OSError:
            return process.poll() is not None  # stop waiting when the process died

    try:
        wait_for(healthy, what="catbot serve to answer /healthz", timeout=60)
        assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
        yield emulator, base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        emulator.stop()


def test_serve_reports_health_and_answers_slack(served: tuple[Emulator, str]) -> None:
    emulator, base = served
    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
        health = json.loads(response.read())
    assert (health["status"], health["database"], health["slack"]) == ("ok", "ok", "ok")
    assert health["scheduler"]["role"] == "niet in dit proces" and "last_feed_poll" in health
    user = next(u.id for u in emulator.ws.users.values() if u.name == "re07-woordvoerder")
    channel = emulator.add_channel("algemeen", [user])
    slack = emulator.deliverer(f"{base}/slack/events")
    delivery = slack.slash_command("/rodeknop", "", user=user, channel=channel)
    assert delivery.status == 200 and delivery.acked_in_time
    wait_for(lambda: emulator.ws.stacks.get(user), what="the red-button modal")
    forged = slack.send(b"token=x&command=%2Frodeknop", "application/x-www-form-urlencoded", signature="v0=00")
    assert forged.status == 401


def test_serve_opens_no_control_socket_another_instance_could_take(served: tuple[Emulator, str],
                                                                   tmp_path: Path) -> None:
    # gunicorn's default is one path per user ($XDG_RUNTIME_DIR/gunicorn.ctl): a second instance would take it over.
    assert list((tmp_path / "run").iterdir()) == []
