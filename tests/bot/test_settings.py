"""Settings: typed, built from the environment and .env, secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings


def test_defaults_use_sqlite_in_the_data_directory(tmp_path: Path) -> None:
    settings = Settings()
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'data' / 'catbot.sqlite3'}"
    assert settings.org_file.name == "example_org.yaml"


def test_secrets_do_not_appear_in_repr_or_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-very-secret")
    settings = Settings()
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"
    for rendering in (repr(settings), str(settings), settings.model_dump_json()):
        assert "very-secret" not in rendering


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CATBOT_DATABASE_URL=postgresql://u@db:5432/cat\n", encoding="utf-8")
    assert Settings().effective_database_url == "postgresql+psycopg://u@db:5432/cat"


def test_wrong_database_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATBOT_DATABASE_URL", "mysql://x")
    with pytest.raises(ValidationError, match="must start with sqlite:// or postgresql://"):
        Settings()
    result = CliRunner().invoke(app, ["cat", "list"])
    assert result.exit_code == 1
    assert "ongeldige instellingen" in result.output and "sqlite://" in result.output
