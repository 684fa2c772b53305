"""Shared CLI plumbing: settings, one transaction per command, and clear one-line errors."""

from __future__ import annotations

import json
import re
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


def usage_error_line(exc: BaseException) -> str | None:
    """A command-line usage error (the CLI library's, in English) as one Dutch line; None for anything else.

    Typer ships its own copy of click, so the error classes are recognised by name, not imported.
    """
    kinds = {cls.__name__ for cls in type(exc).__mro__}
    if "UsageError" not in kinds:
        return None
    ctx = getattr(exc, "ctx", None)
    hint = f" Zie '{ctx.command_path} --help'." if ctx is not None else ""
    param = getattr(exc, "param", None)
    opts = getattr(param, "opts", None) or [getattr(param, "name", None) or "?"]
    name = opts[0] if getattr(param, "param_type_name", "") == "option" else str(opts[0]).upper()
    if "MissingParameter" in kinds:
        kind = "optie" if getattr(param, "param_type_name", "") == "option" else "argument"
        return f"fout: {kind} '{name}' ontbreekt.{hint}"
    if "NoSuchOption" in kinds:
        options = sorted(getattr(exc, "possibilities", None) or [])
        guess = f" (bedoelt u {' of '.join(options)}?)" if options else ""
        return f"fout: onbekende optie '{getattr(exc, 'option_name', '')}'{guess}.{hint}"
    message = str(getattr(exc, "message", "") or exc)
    if "BadParameter" in kinds:
        if "valid integer" in message:
            message = "verwacht een geheel getal"
        return f"fout: ongeldige waarde voor '{name}': {message}.{hint}"
    unknown = re.match(r"No such command '([^']+)'", message)
    if unknown:
        return f"fout: onbekend commando '{unknown.group(1)}'.{hint}"
    return f"fout: {message}{hint}"
