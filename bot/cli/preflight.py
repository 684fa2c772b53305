"""Start-up checks for the services: each fault found before the bot takes traffic is one Dutch line and a
non-zero exit, never a traceback (the organisation file, the data directory, the database, Slack's token)."""

from __future__ import annotations

import tempfile
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.cli.common import fail
from bot.settings import Settings
from playbooks.validation import ConfigError


def check_data_dir(settings: Settings) -> None:
    folder = settings.data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError as exc:
        fail(f"de datamap {folder} is niet te gebruiken ({exc.strerror or exc}); zet CATBOT_DATA_DIR op een "
             "map waarin de bot mag schrijven")


def check_organisation(container: Any) -> None:
    try:
        container.org  # noqa: B018 - loading it is the check
    except ConfigError as exc:
        first = exc.findings[0] if exc.findings else exc
        more = f" (en {len(exc.findings) - 1} andere fout(en))" if len(exc.findings) > 1 else ""
        fail(f"het organisatiebestand klopt niet: {first}{more}; controleer het met catbot org check")
    except OSError as exc:
        fail(f"het organisatiebestand is niet te lezen ({exc.strerror or exc}); zie CATBOT_ORG_FILE")


def check_database(container: Any) -> None:
    """Reachable, then migrated to the newest schema (the services migrate on start)."""
    try:
        with container.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        container.migrate()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        fail(f"de database is niet bereikbaar of niet bij te werken ({reason}); controleer CATBOT_DATABASE_URL")


def check_slack(gateway: Any) -> None:
    problem = gateway.connection_problem()
    if problem:
        fail(problem)
