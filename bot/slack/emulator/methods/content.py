"""Message content as Slack checks it: blocks, text lengths, metadata, attachments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.slack.emulator.contract import as_json, limit
from bot.slack.emulator.errors import ApiError
from bot.slack.emulator.methods.registry import Args
from bot.slack.emulator.surfaces import message_block_problems

# chat.update's reference: "The `text` field cannot exceed 4,000 characters" (msg_too_long).
UPDATE_TEXT_MAX = 4000


@dataclass
class Content:
    """Checked message content."""

    text: str
    blocks: list[Any] | None
    attachments: list[Any] | None
    metadata: dict[str, Any] | None
    warnings: list[str]


def parse_blocks(value: Any, observed: bool = False) -> list[Any] | None:
    """Blocks as a list, checked against Block Kit limits (invalid_blocks names the broken limit)."""
    if value is None or value == "":
        return None
    blocks = as_json(value)
    if not isinstance(blocks, list):
        raise ApiError("invalid_blocks_format")
    problems = message_block_problems(blocks)
    if problems:
        raise ApiError("invalid_blocks", errors=problems, messages=[f"[ERROR] {p}" for p in problems])
    top = limit("surfaces", "message.blocks_total_chars.observed_limit")
    if observed and (total := _text_chars(blocks)) > top:
        raise ApiError("msg_blocks_too_long", messages=[
            f"[ERROR] blocks hold {total} characters of text (message.blocks_total_chars.observed_limit = {top})"])
    return blocks


def _text_chars(node: Any) -> int:
    """Characters in every `text` string of a block tree."""
    if isinstance(node, list):
        return sum(_text_chars(n) for n in node)
    if isinstance(node, dict):
        own = len(node["text"]) if isinstance(node.get("text"), str) else 0
        return own + sum(_text_chars(v) for k, v in node.items() if k != "text" or not isinstance(v, str))
    return 0


def parse_content(args: Args, *, text_max: int | None = None, require: bool = True,
                  observed: bool = False) -> Content:
    """Text, blocks, attachments and metadata of chat.postMessage / postEphemeral / update."""
    warnings: list[str] = []
    markdown = args.get("markdown_text")
    text = args.get("text")
    text = "" if text is None else str(text)
    blocks = parse_blocks(args.get("blocks"), observed)
    if markdown:
        if text or blocks is not None:
            raise ApiError("markdown_text_conflict")
        if len(str(markdown)) > limit("surfaces", "message.markdown_text.max"):
            raise ApiError("msg_too_long")
        text = str(markdown)
    attachments = as_json(args.get("attachments")) if args.get("attachments") else None
    if attachments is not None:
        if not isinstance(attachments, list):
            raise ApiError("invalid_attachments")
        if len(attachments) > limit("surfaces", "message.attachments.max"):
            raise ApiError("too_many_attachments")
    if require and not text and not blocks and not attachments:
        raise ApiError("no_text")
    if text_max is not None and len(text) > text_max:
        raise ApiError("msg_too_long")
    truncate_at = limit("surfaces", "message.text.truncated_after")
    if len(text) > truncate_at:
        text = text[:truncate_at]
        warnings.append("message_truncated")
    return Content(text, blocks, attachments, parse_metadata(args.get("metadata")), warnings)


def parse_metadata(value: Any) -> dict[str, Any] | None:
    """Message metadata: an object with event_type and event_payload."""
    if value is None or value == "":
        return None
    metadata = as_json(value)
    if not isinstance(metadata, dict):
        raise ApiError("invalid_metadata_format")
    if not isinstance(metadata.get("event_type"), str) or not isinstance(metadata.get("event_payload"), dict):
        raise ApiError("invalid_metadata_schema")
    return metadata


def with_warnings(result: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """Add Slack's `warning` and `response_metadata.warnings` to a successful answer."""
    if warnings:
        result["warning"] = ",".join(warnings)
        result["response_metadata"] = {"warnings": warnings}
    return result
