"""Block Kit validation against block_kit_limits.json, recursive over blocks, elements and options."""

from __future__ import annotations

import re
from typing import Any

from bot.slack.emulator.contract import limit

BLOCK_TYPES = {
    "actions", "context", "divider", "file", "header", "image", "input", "markdown", "rich_text",
    "section", "table", "video",
}
MESSAGE_ONLY = {"file", "markdown", "table"}
ELEMENT_TYPES = {
    "button", "channels_select", "checkboxes", "conversations_select", "datepicker", "datetimepicker",
    "email_text_input", "external_select", "file_input", "image", "multi_channels_select",
    "multi_conversations_select", "multi_external_select", "multi_static_select", "multi_users_select",
    "number_input", "overflow", "plain_text_input", "radio_buttons", "rich_text_input", "static_select",
    "timepicker", "url_text_input", "users_select", "workflow_button",
}
TEXT_TYPES = {"plain_text", "mrkdwn"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")


class BlockErrors:
    """Collects Slack-style messages: `must be less than 151 characters (header.text.max) [json-pointer:…]`."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, pointer: str, message: str) -> None:
        """Record one problem at a JSON pointer."""
        self.messages.append(f"{message} [json-pointer:{pointer}]")

    def max_len(self, pointer: str, value: Any, section: str, key: str) -> None:
        """A string no longer than the named limit."""
        top = limit(section, key)
        if isinstance(value, str) and len(value) > top:
            self.add(pointer, f"must be less than {top + 1} characters ({key} = {top})")

    def max_items(self, pointer: str, value: Any, section: str, key: str) -> None:
        """A list no longer than the named limit."""
        top = limit(section, key)
        if isinstance(value, list) and len(value) > top:
            self.add(pointer, f"must have no more than {top} items, found {len(value)} ({key} = {top})")


def check_text(err: BlockErrors, ptr: str, obj: Any, section: str, key: str, plain_only: bool = False) -> None:
    """A text composition object within its length limit."""
    if not isinstance(obj, dict):
        err.add(ptr, "must be a text object")
        return
    allowed = {"plain_text"} if plain_only else TEXT_TYPES
    if obj.get("type") not in allowed:
        err.add(f"{ptr}/type", f"must be one of {sorted(allowed)}")
    text = obj.get("text")
    if not isinstance(text, str) or len(text) < limit("composition", "text_object.text.min"):
        err.add(f"{ptr}/text", "must be at least 1 character (text_object.text.min = 1)")
        return
    err.max_len(f"{ptr}/text", text, section, key)


def check_confirm(err: BlockErrors, ptr: str, confirm: Any) -> None:
    """A confirmation dialog object."""
    if not isinstance(confirm, dict):
        return
    for part in ("title", "text", "confirm", "deny"):
        if part in confirm:
            check_text(err, f"{ptr}/{part}", confirm[part], "composition", f"confirm.{part}.max", part != "text")


def check_options(err: BlockErrors, ptr: str, options: Any) -> None:
    """Option objects: text, value, description, url."""
    if not isinstance(options, list):
        err.add(ptr, "must be an array")
        return
    for i, option in enumerate(options):
        p = f"{ptr}/{i}"
        if not isinstance(option, dict):
            err.add(p, "must be an option object")
            continue
        check_text(err, f"{p}/text", option.get("text"), "composition", "option.text.max")
        err.max_len(f"{p}/value", option.get("value"), "composition", "option.value.max")
        if "description" in option:
            check_text(err, f"{p}/description", option["description"], "composition", "option.description.max")
        err.max_len(f"{p}/url", option.get("url"), "composition", "option.url.max")


def check_element(err: BlockErrors, ptr: str, el: Any) -> None:
    """One interactive or image element, recursively."""
    if not isinstance(el, dict):
        err.add(ptr, "must be an element object")
        return
    kind = el.get("type")
    if kind not in ELEMENT_TYPES:
        err.add(f"{ptr}/type", f"unknown element type: {kind!r}")
        return
    err.max_len(f"{ptr}/action_id", el.get("action_id"), "ids", "action_id.max")
    if "placeholder" in el:
        check_text(err, f"{ptr}/placeholder", el["placeholder"], "composition", "placeholder.text.max", True)
    check_confirm(err, f"{ptr}/confirm", el.get("confirm"))
    if kind == "button":
        check_text(err, f"{ptr}/text", el.get("text"), "elements", "button.text.max", True)
        err.max_len(f"{ptr}/value", el.get("value"), "elements", "button.value.max")
        err.max_len(f"{ptr}/url", el.get("url"), "elements", "button.url.max")
        err.max_len(f"{ptr}/accessibility_label", el.get("accessibility_label"), "elements",
                    "button.accessibility_label.max")
        if "style" in el and el["style"] not in limit("elements", "button.style"):
            err.add(f"{ptr}/style", f"must be one of {limit('elements', 'button.style')}")
    elif kind in ("static_select", "multi_static_select"):
        _check_static_select(err, ptr, el)
    elif kind == "overflow":
        options = el.get("options")
        check_options(err, f"{ptr}/options", options)
        err.max_items(f"{ptr}/options", options, "elements", "overflow.options.max")
    elif kind in ("checkboxes", "radio_buttons"):
        check_options(err, f"{ptr}/options", el.get("options"))
        err.max_items(f"{ptr}/options", el.get("options"), "elements", f"{kind}.options.max")
    elif kind == "plain_text_input":
        _check_range(err, f"{ptr}/min_length", el.get("min_length"), "plain_text_input.min_length.range")
        _check_range(err, f"{ptr}/max_length", el.get("max_length"), "plain_text_input.max_length.range")
    elif kind == "datepicker" and "initial_date" in el and not _DATE.match(str(el["initial_date"])):
        err.add(f"{ptr}/initial_date", "must be formatted YYYY-MM-DD")
    elif kind == "timepicker" and "initial_time" in el and not _TIME.match(str(el["initial_time"])):
        err.add(f"{ptr}/initial_time", "must be formatted HH:mm")
    elif kind == "file_input":
        _check_range(err, f"{ptr}/max_files", el.get("max_files"), "file_input.max_files.range")
    elif kind == "image":
        err.max_len(f"{ptr}/image_url", el.get("image_url"), "blocks", "image.image_url.max")
        err.max_len(f"{ptr}/alt_text", el.get("alt_text"), "blocks", "image.alt_text.max")
    if kind.startswith("multi_") and "max_selected_items" in el and not (
        isinstance(el["max_selected_items"], int) and el["max_selected_items"] >= 1
    ):
        err.add(f"{ptr}/max_selected_items", "must be at least 1 (multi_select.max_selected_items.min = 1)")


def _check_static_select(err: BlockErrors, ptr: str, el: dict[str, Any]) -> None:
    has_options, has_groups = "options" in el, "option_groups" in el
    if has_options == has_groups:
        err.add(ptr, "must provide exactly one of options or option_groups (static_select.options_xor_option_groups)")
    if has_options:
        check_options(err, f"{ptr}/options", el["options"])
        err.max_items(f"{ptr}/options", el["options"], "elements", "static_select.options.max")
    if has_groups:
        groups = el["option_groups"]
        err.max_items(f"{ptr}/option_groups", groups, "elements", "static_select.option_groups.max")
        for i, group in enumerate(groups if isinstance(groups, list) else []):
            p = f"{ptr}/option_groups/{i}"
            check_text(err, f"{p}/label", group.get("label"), "composition", "option_group.label.max", True)
            check_options(err, f"{p}/options", group.get("options"))
            err.max_items(f"{p}/options", group.get("options"), "composition", "option_group.options.max")


def _check_range(err: BlockErrors, ptr: str, value: Any, key: str) -> None:
    if value is None:
        return
    low, high = limit("elements", key)
    if not isinstance(value, int) or not low <= value <= high:
        err.add(ptr, f"must be between {low} and {high} ({key})")
