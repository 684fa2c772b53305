"""`catbot slack-emulator` runs in the foreground, serves seeded users, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from slack_sdk import WebClient

from bot.cli.slack_emulator import load_users
from bot.slack.emulator import DEFAULT_BOT_TOKEN

CATBOT = Path(sys.executable).parent / "catbot"


def test_users_file_in_yaml_or_json(tmp_path: Path) -> None:
    people = [{"id": "U1", "name": "dirk", "email": "dirk@example.org", "role": "ignored"}]
    (tmp_path / "users.yaml").write_text(yaml.safe_dump({"users": people}))
    (tmp_path / "users.json").write_text('[{"id": "U1", "name": "dirk", "email": "dirk@example.org"}]')
    expected = [{"id": "U1", "name": "dirk", "email": "dirk@example.org"}]
    assert load_users(tmp_path / "users.yaml") == load_users(tmp_path / "users.json") == expected
    (tmp_path / "bad.yaml").write_text("- name: zonder id\n")
    with pytest.raises(Exception, match="id and name"):
        load_users(tmp_path / "bad.yaml")


@pytest.mark.skipif(not CATBOT.exists(), reason="catbot console script not installed in this environment")
def test_foreground_command_serves_until_ctrl_c(tmp_path: Path) -> None:
    users = tmp_path / "users.yaml"
    users.write_text(yaml.safe_dump([{"id": "U0DIRK", "name": "dirk", "real_name": "Dirk"}]))
    process = subprocess.Popen(
        [str(CATBOT), "slack-emulator", "--port", "0", "--users", str(users)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert "http://127.0.0.1:" in first, first
        base = first.strip().rsplit(" ", 1)[-1]
        client = WebClient(token=DEFAULT_BOT_TOKEN, base_url=f"{base}/api/")
        assert client.users_info(user="U0DIRK")["user"]["real_name"] == "Dirk"
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
        out = process.stdout.read()  # read on from readline()'s buffer (communicate() would read past it)
        assert process.returncode == 0 and "Gestopt" in out
        assert f"SLACK_BOT_TOKEN={DEFAULT_BOT_TOKEN}" in out and "catbot serve --port 3000" in out  # how to start
    finally:
        if process.poll() is None:
            process.kill()
