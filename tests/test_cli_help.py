"""Every `catbot` command and group shows Dutch help, not the English docstring of its function."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import app

# Words that only occur in English sentences; Dutch help never contains them as whole words.
ENGLISH_WORDS = {"the", "and", "with", "when", "from", "each", "into", "only", "which", "show", "run"}


def _walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """The command and, for a group, everything below it (Typer ships its own click, so duck-typed)."""
    found = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found.extend(_walk(sub, (*path, name)))
    return found


COMMANDS = _walk(typer.main.get_command(app))
IDS = [" ".join(path) or "catbot" for path, _ in COMMANDS]


def _normalise(text: str) -> str:
    return " ".join(text.split())


def test_the_walk_finds_the_commands() -> None:
    paths = {path for path, _ in COMMANDS}
    assert ("cat", "request") in paths
    assert ("monitor", "feeds", "status") in paths
    assert ("demo",) in paths
    assert len(paths) > 40


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_is_given_and_is_not_the_docstring(path: tuple[str, ...], command: Any) -> None:
    label = " ".join(path) or "catbot"
    assert command.help and command.help.strip(), f"{label}: no help text; add a Dutch help=... to the command"
    docstring = inspect.getdoc(command.callback) if command.callback is not None else None
    if docstring:
        assert _normalise(command.help) != _normalise(docstring), (
            f"{label}: help is the English docstring; add a Dutch help=... to the command"
        )
    english = ENGLISH_WORDS & set(re.findall(r"[a-z]+", command.help.lower()))
    assert not english, f"{label}: help looks English ({', '.join(sorted(english))}): {command.help!r}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_parameters_have_no_english_help(path: tuple[str, ...], command: Any) -> None:
    for param in command.params:
        text = getattr(param, "help", None)
        if not text or param.name == "help":
            continue
        english = ENGLISH_WORDS & set(re.findall(r"[a-z]+", text.lower()))
        assert not english, f"{' '.join(path)} {param.name}: help looks English: {text!r}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_option_works(path: tuple[str, ...], command: Any) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert _normalise(command.help or "")[:30] in _normalise(result.output)


@pytest.mark.parametrize(("args", "line"), [
    (["cat", "request"], "fout: optie '--as' ontbreekt. Zie 'catbot cat request --help'."),
    (["cat", "list", "--bogus"], "fout: onbekende optie '--bogus'. Zie 'catbot cat list --help'."),
    (["cat", "approve", "een", "--as", "x"], "fout: ongeldige waarde voor "),
    (["frobnicate"], "fout: onbekend commando 'frobnicate'. Zie 'catbot --help'."),
])
def test_usage_errors_are_one_dutch_line(args: list[str], line: str) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import sys; from bot.cli import main; sys.argv[0] = 'catbot'; main()",
                           *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith(line) and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Usage" not in done.stderr + done.stdout and "Error" not in done.stderr


def test_required_options_say_so_in_the_help() -> None:
    page = CliRunner().invoke(app, ["norm", "check", "--help"], terminal_width=200).output
    assert "Kanaal (verplicht)" in page and "Categorie (verplicht)" in page
