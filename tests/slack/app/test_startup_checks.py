"""`catbot serve` and `catbot run` refuse to start on a fault they can see: one Dutch line, a non-zero exit, no
traceback, before the bot takes any traffic (so no typed red-button request meets a broken set-up)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.organisation.loader import load_organisation
from bot.settings import EXAMPLE_ORG_FILE
from bot.slack.emulator import Emulator
from tests.slack.app.conftest import SIGNING_SECRET, emulator_users


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    emu = Emulator(emulator_users(load_organisation(EXAMPLE_ORG_FILE)), signing_secret=SIGNING_SECRET)
    emu.start()
    yield emu
    emu.stop()


def start(command: str, tmp_path: Path, emulator: Emulator, **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CATBOT_DATA_DIR": str(tmp_path / "data"), "SLACK_BOT_TOKEN": emulator.bot_token,
           "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_APP_TOKEN": "xapp-1-test", "SLACK_API_URL": emulator.api_url,
           **overrides}
    args = [sys.executable, "-m", "bot", command] + (["--port", "0"] if command == "serve" else [])
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", ["serve", "run"])
@pytest.mark.parametrize(("fault", "says"), [
    ("org", "het organisatiebestand klopt niet"),
    ("token", "Slack weigert het bot-token (invalid_auth)"),
    ("slack", "Slack is niet bereikbaar"),
    ("data", "de datamap"),
    ("database", "de database is niet bereikbaar"),
])
def test_a_fault_at_start_is_one_dutch_line_and_a_non_zero_exit(
        command: str, fault: str, says: str, tmp_path: Path, emulator: Emulator) -> None:
    broken = tmp_path / "org.yaml"
    broken.write_text("eenheden: [\n", encoding="utf-8")
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the data directory should be", encoding="utf-8")
    overrides = {
        "org": {"CATBOT_ORG_FILE": str(broken)},
        "token": {"SLACK_BOT_TOKEN": "xoxb-not-the-right-one"},
        "slack": {"SLACK_API_URL": "http://127.0.0.1:9/api/"},
        "data": {"CATBOT_DATA_DIR": str(blocked / "sub")},
        "database": {"CATBOT_DATABASE_URL": "postgresql://postgres@127.0.0.1:9/test"},
    }[fault]
    result = start(command, tmp_path, emulator, **overrides)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("fout: ") and says in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
