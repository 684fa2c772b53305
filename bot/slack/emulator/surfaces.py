"""Block Kit surfaces: message blocks (invalid_blocks) and views (modal, home) with their own limits."""

from __future__ import annotations

import json
from typing import Any

from bot.slack.emulator.blocks import (
    BLOCK_TYPES,
    MESSAGE_ONLY,
    BlockErrors,
    check_element,
    check_text,
)
from bot.slack.emulator.contract import limit


def check_block(err: BlockErrors, ptr: str, block: Any, surface: str, seen_ids: set[str]) -> None:
    """One layout block, its text objects and its elements."""
    if not isinstance(block, dict):
        err.add(ptr, "must be a block object")
        return
    kind = block.get("type")
    if kind not in BLOCK_TYPES or (surface != "message" and kind in MESSAGE_ONLY):
        err.add(f"{ptr}/type", f"unknown or unsupported block type for a {surface}: {kind!r}")
        return
    block_id = block.get("block_id")
    if block_id is not None:
        err.max_len(f"{ptr}/block_id", block_id, "ids", "block_id.max")
        if block_id in seen_ids:
            err.add(f"{ptr}/block_id", f"duplicate block_id {block_id!r} (block_id.unique_within_message_or_view)")
        seen_ids.add(block_id)
    if kind == "section":
        _check_section(err, ptr, block)
    elif kind == "header":
        check_text(err, f"{ptr}/text", block.get("text"), "blocks", "header.text.max", plain_only=True)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            err.add(f"{ptr}/elements", "must have at least 1 element")
            return
        err.max_items(f"{ptr}/elements", elements, "blocks", "actions.elements.max")
        action_ids: set[str] = set()
        for i, el in enumerate(elements):
            check_element(err, f"{ptr}/elements/{i}", el)
            action_id = el.get("action_id") if isinstance(el, dict) else None
            if isinstance(action_id, str):
                if action_id in action_ids:
                    err.add(f"{ptr}/elements/{i}/action_id", "duplicate action_id (action_id.unique_within_block)")
                action_ids.add(action_id)
    elif kind == "context":
        _check_context(err, ptr, block)
    elif kind == "input":
        check_text(err, f"{ptr}/label", block.get("label"), "blocks", "input.label.max", plain_only=True)
        if "hint" in block:
            check_text(err, f"{ptr}/hint", block["hint"], "blocks", "input.hint.max", plain_only=True)
        if "element" not in block:
            err.add(f"{ptr}/element", "missing required field: element")
        else:
            check_element(err, f"{ptr}/element", block["element"])
    elif kind == "image":
        err.max_len(f"{ptr}/image_url", block.get("image_url"), "blocks", "image.image_url.max")
        if not block.get("alt_text"):
            err.add(f"{ptr}/alt_text", "missing required field: alt_text")
        err.max_len(f"{ptr}/alt_text", block.get("alt_text"), "blocks", "image.alt_text.max")
        if "title" in block:
            check_text(err, f"{ptr}/title", block["title"], "blocks", "image.title.max", plain_only=True)
    elif kind == "markdown":
        err.max_len(f"{ptr}/text", block.get("text"), "blocks", "markdown.text.max")
    elif kind == "table":
        rows = block.get("rows")
        err.max_items(f"{ptr}/rows", rows, "blocks", "table.rows.max")
        for i, row in enumerate(rows if isinstance(rows, list) else []):
            err.max_items(f"{ptr}/rows/{i}", row, "blocks", "table.cells_per_row.max")
    elif kind == "video":
        _check_video(err, ptr, block)


def _check_section(err: BlockErrors, ptr: str, block: dict[str, Any]) -> None:
    if "text" not in block and "fields" not in block:
        err.add(ptr, "must provide text or fields (section.requires_text_or_fields)")
    if "text" in block:
        check_text(err, f"{ptr}/text", block["text"], "blocks", "section.text.max")
    fields = block.get("fields")
    if fields is not None:
        err.max_items(f"{ptr}/fields", fields, "blocks", "section.fields.max_items")
        for i, field in enumerate(fields if isinstance(fields, list) else []):
            check_text(err, f"{ptr}/fields/{i}", field, "blocks", "section.fields.item_text.max")
    if "accessory" in block:
        check_element(err, f"{ptr}/accessory", block["accessory"])


def _check_context(err: BlockErrors, ptr: str, block: dict[str, Any]) -> None:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        err.add(f"{ptr}/elements", "must have at least 1 element")
        return
    err.max_items(f"{ptr}/elements", elements, "blocks", "context.elements.max")
    for i, el in enumerate(elements):
        if isinstance(el, dict) and el.get("type") == "image":
            check_element(err, f"{ptr}/elements/{i}", el)
        else:
            check_text(err, f"{ptr}/elements/{i}", el, "composition", "text_object.text.max")


def _check_video(err: BlockErrors, ptr: str, block: dict[str, Any]) -> None:
    title = block.get("title", {}).get("text") if isinstance(block.get("title"), dict) else None
    if isinstance(title, str) and len(title) >= limit("blocks", "video.title.max_exclusive"):
        err.add(f"{ptr}/title/text", "must be less than 200 characters (video.title.max_exclusive)")
    author = block.get("author_name")
    if isinstance(author, str) and len(author) >= limit("blocks", "video.author_name.max_exclusive"):
        err.add(f"{ptr}/author_name", "must be less than 50 characters (video.author_name.max_exclusive)")


def _check_blocks(err: BlockErrors, ptr: str, blocks: Any, surface: str, max_key: str) -> None:
    if not isinstance(blocks, list):
        err.add(ptr, "must be an array of blocks")
        return
    err.max_items(ptr, blocks, "surfaces", max_key)
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        check_block(err, f"{ptr}/{i}", block, surface, seen)
    focused = sum(
        1 for b in blocks if isinstance(b, dict) and isinstance(b.get("element"), dict)
        and b["element"].get("focus_on_load") is True
    )
    if focused > limit("elements", "focus_on_load.max_true_per_view"):
        err.add(ptr, "at most one element may set focus_on_load (focus_on_load.max_true_per_view = 1)")


def message_block_problems(blocks: Any) -> list[str]:
    """Problems with a message's blocks, as Slack words them (empty when valid)."""
    err = BlockErrors()
    _check_blocks(err, "/blocks", blocks, "message", "message.blocks.max")
    if isinstance(blocks, list):
        tables = sum(1 for b in blocks if isinstance(b, dict) and b.get("type") == "table")
        if tables > limit("surfaces", "message.table_blocks.max"):
            err.add("/blocks", "only one table block per message (message.table_blocks.max = 1)")
        markdown = sum(
            len(b.get("text", "")) for b in blocks if isinstance(b, dict) and b.get("type") == "markdown"
        )
        if markdown > limit("surfaces", "message.markdown_blocks.cumulative_max"):
            err.add("/blocks", "markdown blocks exceed 12000 characters together "
                    "(message.markdown_blocks.cumulative_max = 12000)")
    return err.messages


def view_problems(view: Any) -> list[str]:
    """Problems with a modal or home view payload (empty when valid)."""
    err = BlockErrors()
    if not isinstance(view, dict):
        return ["view must be a JSON object [json-pointer:/view]"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        err.add("/view/type", f"must be 'modal' or 'home', found {kind!r}")
        return err.messages
    _check_blocks(err, "/view/blocks", view.get("blocks"), kind, f"{kind}.blocks.max")
    if kind == "modal":
        check_text(err, "/view/title", view.get("title"), "surfaces", "modal.title.max", plain_only=True)
        for part in ("submit", "close"):
            if part in view:
                check_text(err, f"/view/{part}", view[part], "surfaces", f"modal.{part}.max", plain_only=True)
        raw_blocks = view.get("blocks")
        blocks: list[Any] = raw_blocks if isinstance(raw_blocks, list) else []
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        if has_input and "submit" not in view:
            err.add("/view/submit", "required when the view has input blocks (modal.submit.required_if_input_block)")
    err.max_len("/view/private_metadata", view.get("private_metadata"), "surfaces", "view.private_metadata.max")
    err.max_len("/view/callback_id", view.get("callback_id"), "surfaces", "view.callback_id.max")
    return err.messages


def view_too_large(view: Any) -> bool:
    """Slack refuses views above 250 kB (view_too_large)."""
    size = len(json.dumps(view, ensure_ascii=False).encode("utf-8"))
    return size > limit("surfaces", "view.payload_size.max_bytes")
