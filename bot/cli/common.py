"""Shared CLI plumbing: settings, one transaction per command, and clear one-line errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from bot.container import Container
from bot.settings import Settings
from playbooks.validation import ConfigError

P = ParamSpec("P")
R = TypeVar("R")


class UserError(Exception):
    """An error whose message is meant for the person at the keyboard (Dutch)."""


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear line to stderr and exit non-zero."""
    typer.echo(f"fout: {message}", err=True)
    raise typer.Exit(code)


def load_settings() -> Settings:
    """Build the Settings once; configuration errors become one readable line."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'instelling'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        fail(f"ongeldige instellingen: {problems}")


@contextmanager
def unit_of_work(settings: Settings | None = None, *, with_org: bool = False) -> Iterator[tuple[Container, Session]]:
    """One transaction for the command, on a database whose schema is current (see Container.require_schema).

    With `with_org`, the organisation file is loaded (and validated) before any data is touched.
    """
    container = Container(settings or load_settings())
    try:
        container.require_schema()
        if with_org:
            _ = container.org
        with container.transaction() as session:
            yield container, session
    finally:
        container.close()


@contextmanager
def session_scope(settings: Settings) -> Iterator[Session]:
    """Like unit_of_work, for commands that need only the session."""
    with unit_of_work(settings) as (_container, session):
        yield session


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn domain and config errors into one line and exit code 1, never a traceback."""
    from bot.errors import DomainError

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (DomainError, UserError) as exc:
            fail(str(exc))
        except ConfigError as exc:
            for finding in exc.findings:
                typer.echo(str(finding), err=True)
            raise typer.Exit(1) from None

    return wrapper


def print_json(data: Any) -> None:
    """Write JSON to stdout (UTF-8, stable key order)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
