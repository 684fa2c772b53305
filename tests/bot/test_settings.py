"""Settings: typed, built from the environment and .env, secrets never shown."""

from __future__ import annotations

import sqlite3
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
    with pytest.raises(ValidationError, match="moet beginnen met sqlite://, postgresql:// of postgres://"):
        Settings()
    result = CliRunner().invoke(app, ["cat", "list"])
    assert result.exit_code == 1
    assert "ongeldige instellingen" in result.output and "sqlite://" in result.output


def test_heroku_style_postgres_url_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATBOT_DATABASE_URL", "postgres://u@db:5432/cat")
    assert Settings().effective_database_url == "postgresql+psycopg://u@db:5432/cat"


def test_a_typo_in_the_sqlite_path_creates_no_empty_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    typo = tmp_path / "catbto.sqlite3"
    monkeypatch.setenv("CATBOT_DATABASE_URL", f"sqlite:///{typo}")
    result = CliRunner().invoke(app, ["cat", "list"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"het databasebestand {typo} bestaat niet" in result.output
    assert "voer eerst catbot db upgrade uit" in result.output
    assert not typo.exists()

    upgraded = CliRunner().invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert CliRunner().invoke(app, ["cat", "list"]).exit_code == 0


def test_a_database_behind_the_code_asks_for_an_upgrade(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    sqlite3.connect(database).close()  # exists, but no schema yet
    monkeypatch.setenv("CATBOT_DATABASE_URL", f"sqlite:///{database}")
    result = CliRunner().invoke(app, ["cat", "list"])
    assert result.exit_code == 1
    assert "de database is nog leeg: voer eerst catbot db upgrade uit" in result.output


def test_the_embedded_default_database_needs_no_extra_step() -> None:
    result = CliRunner().invoke(app, ["cat", "list"])
    assert result.exit_code == 0, result.output
