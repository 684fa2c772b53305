"""The app manifest is valid for Slack and asks for exactly the scopes the bot's calls and events need."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.slack import ids

REPO = Path(__file__).resolve().parents[2]
SLACK = REPO / "tests" / "data" / "slack"  # copies of Slack's published contract and manifest schema
MANIFEST = yaml.safe_load((REPO / "bot" / "slack" / "manifest.yaml").read_text("utf-8"))
# slack_sdk helpers that stand for several Web API methods
COMPOSITE = {"files_upload_v2": ["files.getUploadURLExternal", "files.completeUploadExternal"]}


def methods_called() -> set[str]:
    """Every Web API method the bot's Slack code calls (the emulator is Slack's stand-in, not the bot)."""
    found: set[str] = {"auth.test"}  # Bolt checks the token at start-up
    for path in (REPO / "bot" / "slack").rglob("*.py"):
        if "emulator" in path.parts or "demo" in path.parts:
            continue
        for name in re.findall(r"client\.([a-z]+_[A-Za-z0-9_]+)\(", path.read_text("utf-8")):
            found.update(COMPOSITE.get(name, [name.replace("_", ".", 1)]))
    return found


def reference(kind: str, name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((SLACK / "slack-api-ref" / "docs.slack.dev" / kind / f"{name}.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def bot_scopes() -> set[str]:
    return set(MANIFEST["oauth_config"]["scopes"]["bot"])


def test_manifest_matches_slacks_schema(bot_scopes: set[str]) -> None:
    schema = json.loads((SLACK / "manifest-schema" / "schemas" / "manifest.schema.1.0.0.json").read_text("utf-8"))
    jsonschema.validate(MANIFEST, schema)


def test_every_call_and_event_is_covered_by_a_scope(bot_scopes: set[str]) -> None:
    missing = []
    for method in sorted(methods_called()):
        needs = reference("methods", method).get("scope", {}).get("bot", [])
        if needs and not bot_scopes & set(needs):
            missing.append(f"{method} needs one of {needs}")
    for event in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        needs = json.loads((SLACK / "slack-api-ref" / "events" / f"{event}.json").read_text("utf-8")).get("scopes", [])
        if needs and not bot_scopes & set(needs):
            missing.append(f"event {event} needs one of {needs}")
    assert not missing


def test_no_scope_is_asked_for_without_use(bot_scopes: set[str]) -> None:
    used: set[str] = {"commands"} if MANIFEST["features"]["slash_commands"] else set()
    for method in methods_called():
        used |= set(reference("methods", method).get("scope", {}).get("bot", [])) & bot_scopes
    for event in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        used |= set(json.loads((SLACK / "slack-api-ref" / "events" / f"{event}.json").read_text("utf-8"))
                    .get("scopes", [])) & bot_scopes
    assert bot_scopes - used == set()


def test_manifest_names_the_commands_and_shortcuts_the_app_listens_to() -> None:
    commands = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert commands == {"/rodeknop", "/cat", "/norm"}
    callbacks = {s["callback_id"] for s in MANIFEST["features"]["shortcuts"]}
    assert callbacks == {ids.SHORTCUT_RODE_KNOP, ids.SHORTCUT_TIMELINE}
    listened = set(re.findall(r'app\.command\("([^"]+)"\)', "".join(
        p.read_text("utf-8") for p in (REPO / "bot" / "slack" / "listeners").glob("*.py"))))
    assert listened == commands
