"""The house rules from DESIGN.md, checked on the source: arrows point one way, libraries stay in their rooms."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "encoder", "monitors", "playbooks", "norm_statements")
FORBIDDEN = {
    "encoder": {"bot", "monitors", "norm_statements", "playbooks"},
    "monitors": {"bot", "norm_statements"},
    "norm_statements": {"bot", "monitors"},
    "playbooks": {"bot", "monitors", "norm_statements"},
}


def imports(path: Path) -> set[str]:
    """Top-level module names imported anywhere in a file (including inside functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def sources(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_arrows_point_one_way(package: str) -> None:
    wrong = [f"{path.relative_to(REPO)} imports {name}" for path in sources(package) for name in imports(path)
             if name.split(".")[0] in FORBIDDEN[package]]
    assert not wrong


def test_only_bot_slack_knows_slack() -> None:
    wrong = [f"{path.relative_to(REPO)} imports {name}" for package in PACKAGES for path in sources(package)
             for name in imports(path) if name.split(".")[0] in ("slack_bolt", "slack_sdk")
             and "slack" not in path.relative_to(REPO).parts[1:2]]
    assert not wrong


def test_only_the_encoder_knows_transformers_and_torch() -> None:
    wrong = [f"{path.relative_to(REPO)} imports {name}" for package in PACKAGES for path in sources(package)
             for name in imports(path) if name.split(".")[0] in ("transformers", "torch") and package != "encoder"]
    assert not wrong


def test_services_never_commit() -> None:
    """Domain services flush; only edges (CLI, listeners, jobs, the saga runner) commit."""
    service_dirs = [REPO / "bot" / "cat", REPO / "bot" / "organisation", REPO / "monitors", REPO / "norm_statements"]
    wrong = [str(path.relative_to(REPO)) for folder in service_dirs for path in folder.rglob("*.py")
             if ".commit()" in path.read_text("utf-8")]
    assert not wrong


def test_jobs_and_services_reach_slack_through_its_parts_not_its_listeners_or_the_cli() -> None:
    """Only the app factory wires listeners; only the CLI (and `python -m bot`) imports the CLI."""
    wrong = []
    for package in PACKAGES:
        for path in sources(package):
            where = path.relative_to(REPO).as_posix()
            for name in imports(path):
                if name.startswith("bot.slack.listeners") and not where.startswith(("bot/slack/listeners/",
                                                                                    "bot/slack/app.py")):
                    wrong.append(f"{where} imports {name}")
                if name.startswith("bot.cli") and not where.startswith(("bot/cli/", "bot/__main__.py")):
                    wrong.append(f"{where} imports {name}")
    assert not wrong
