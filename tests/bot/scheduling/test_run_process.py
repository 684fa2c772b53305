"""`catbot run` is bot + scheduler in one process: it fires reminders and stops cleanly on SIGTERM (SQLite)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.scheduling.leader import FileLeadership
from bot.slack.emulator import Emulator
from bot.storage.engine import make_engine
from bot.storage.migrate import upgrade
from tests.bot.scheduling.conftest import QUICK, active_cat, add_reminders, get_json, posts_per_reminder, wait_for
from tests.slack.app.conftest import SIGNING_SECRET
from tests.slack.app.test_serve import free_port

# Socket Mode needs Slack's WebSocket; the emulator speaks the Web API only, so the connection is stubbed.
RUN = ("import bot.slack.http as http; "
       "http.connect_socket_mode = lambda app, token: (lambda: print('socket mode closed', flush=True)); "
       "import sys; from bot.cli import app; app(['run', '--http-port', sys.argv[1]])")


@pytest.mark.slow
@pytest.mark.timeout(60)
def test_run_fires_reminders_and_stops_gracefully(emulator: Emulator, tmp_path: Path) -> None:
    database = tmp_path / "run.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    cat_id, channel = active_cat(engine, emulator, lambda: datetime.now(UTC))
    [reminder] = add_reminders(engine, cat_id, [datetime.now(UTC) + timedelta(seconds=1)])
    env = {**os.environ, **QUICK, "CATBOT_DATABASE_URL": f"sqlite:///{database}", "CATBOT_DATA_DIR": str(tmp_path),
           "SLACK_BOT_TOKEN": emulator.bot_token, "SLACK_APP_TOKEN": "xapp-emulated", "SLACK_API_URL": emulator.api_url,
           "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", RUN, str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: posts_per_reminder(emulator, channel) or process.poll() is not None,
                 what="the reminder posted by catbot run", timeout=40)
        assert process.poll() is None
        health = get_json(f"http://127.0.0.1:{port}/healthz")
        assert health is not None and health["scheduler"]["role"] == "leader" and health["slack"] == "ok"
        assert not FileLeadership(database.with_suffix(".scheduler.lock")).try_acquire()  # the scheduler leads
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "socket mode closed" in output and posts_per_reminder(emulator, channel) == {reminder: 1}
    released = FileLeadership(database.with_suffix(".scheduler.lock"))
    assert released.try_acquire()  # leadership was released on the way out
    released.release()
    engine.dispose()
