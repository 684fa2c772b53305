"""Logging set-up: operational facts only (ids, counts, states), never message texts or personal data."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str = "INFO", log_file: Path | None = None, stderr: bool = True,
                      force: bool = False) -> None:
    """Configure the root logger once (or again with force): stderr for services, a rotating file for the CLI."""
    root = logging.getLogger()
    if getattr(root, "_catbot_configured", False) and not force:
        return
    for old in list(root.handlers):
        root.removeHandler(old)
    root.setLevel(level.upper())
    handlers: list[logging.Handler] = []
    if stderr:
        handlers.append(logging.StreamHandler())
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handlers.append(logging.handlers.RotatingFileHandler(log_file, maxBytes=5_000_000, backupCount=3,
                                                                 encoding="utf-8"))
        except OSError:  # an unusable data directory is reported by the command that needs it, in one line
            pass
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    root._catbot_configured = True  # type: ignore[attr-defined]


def cli_log_file() -> Path:
    """Where CLI runs write their log (next to the embedded database)."""
    from bot.settings import default_data_dir

    return Path(os.environ.get("CATBOT_DATA_DIR") or default_data_dir()) / "catbot.log"
