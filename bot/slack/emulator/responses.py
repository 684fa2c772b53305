"""What the bot answers Slack with: ack bodies, response_url posts and view_submission response actions."""

from __future__ import annotations

import secrets
from typing import Any

from bot.slack.emulator.contract import as_bool, limit
from bot.slack.emulator.methods.registry import Context
from bot.slack.emulator.methods.views import new_view
from bot.slack.emulator.state import Ephemeral, Message, ResponseUrl
from bot.slack.emulator.surfaces import message_block_problems, view_problems


def new_response_url(ctx: Context, user_id: str, channel_id: str | None, message_ts: str | None = None) -> str:
    """A response_url on the emulator, usable 5 times within 30 minutes like Slack's."""
    token = secrets.token_urlsafe(12)
    ttl = limit("web_api_args", "response_url.ttl_minutes") * 60
    ctx.ws.response_urls[token] = ResponseUrl(token=token, user_id=user_id, channel_id=channel_id,
                                              message_ts=message_ts, expires_at=ctx.ws.clock() + ttl)
    return f"{ctx.base_url}/_emulator/response/{token}"


def post_to_response_url(ctx: Context, token: str, body: Any) -> tuple[int, dict[str, Any]]:
    """Handle a POST to a response_url: record it and make it visible where Slack would."""
    ru = ctx.ws.response_urls.get(token)
    if ru is None:
        return 404, {"ok": False, "error": "invalid_url"}
    if ctx.ws.clock() > ru.expires_at:
        return 404, {"ok": False, "error": "expired_url"}
    if len(ru.posts) >= limit("web_api_args", "response_url.max_uses"):
        return 404, {"ok": False, "error": "used_url"}
    if not isinstance(body, dict):
        return 400, {"ok": False, "error": "invalid_payload"}
    problems = message_block_problems(body["blocks"]) if body.get("blocks") is not None else []
    if problems:
        return 400, {"ok": False, "error": "invalid_blocks", "errors": problems}
    if not body.get("text") and not body.get("blocks") and not as_bool(body.get("delete_original")):
        return 400, {"ok": False, "error": "no_text"}
    ru.posts.append(dict(body))
    apply_message_response(ctx, ru.user_id, ru.channel_id, ru.message_ts, body, "response_url")
    return 200, {"ok": True}


def apply_message_response(ctx: Context, user_id: str, channel_id: str | None, message_ts: str | None,
                           body: dict[str, Any], source: str) -> None:
    """Show a command/action response: in_channel, ephemeral, replace_original or delete_original."""
    original = ctx.ws.message(channel_id, message_ts) if channel_id and message_ts else None
    ephemeral = next((e for e in ctx.ws.ephemerals if e.channel == channel_id and e.ts == message_ts), None)
    text, blocks = str(body.get("text") or ""), body.get("blocks")
    if as_bool(body.get("delete_original")):
        if original is not None:
            ctx.ws.messages[original.channel].remove(original)
        elif ephemeral is not None:
            ctx.ws.ephemerals.remove(ephemeral)
        return
    if as_bool(body.get("replace_original")) and original is not None:
        original.edits.append({"text": original.text, "blocks": original.blocks, "replaced_at": ctx.ws.new_ts()})
        original.text, original.blocks = text, blocks
        original.edited = {"user": ctx.ws.bot_user_id, "ts": original.edits[-1]["replaced_at"]}
        return
    if as_bool(body.get("replace_original")) and ephemeral is not None:
        ephemeral.text, ephemeral.blocks, ephemeral.source = text, blocks, source
        return
    if channel_id is None:
        return
    if body.get("response_type") == "in_channel":
        ctx.ws.messages.setdefault(channel_id, []).append(Message(
            channel=channel_id, ts=ctx.ws.new_ts(), user=ctx.ws.bot_user_id, bot_id=ctx.bot_id, text=text,
            blocks=blocks, thread_ts=body.get("thread_ts")))
    else:
        ctx.ws.ephemerals.append(Ephemeral(channel=channel_id, user=user_id, ts=ctx.ws.new_ts(), text=text,
                                           blocks=blocks, thread_ts=body.get("thread_ts"), source=source))


def apply_view_response(ctx: Context, user_id: str, view_id: str, body: Any) -> dict[str, Any]:
    """Act on a view_submission ack: close (empty), errors, update, push or clear, as Slack does."""
    stack = ctx.ws.stacks.get(user_id, [])
    action = body.get("response_action") if isinstance(body, dict) else None
    if action is None:
        if view_id in stack:
            stack.remove(view_id)
        ctx.ws.views[view_id].closed = True
        return {"action": "closed"}
    if action == "errors":
        errors = body.get("errors") if isinstance(body.get("errors"), dict) else {}
        ctx.ws.views[view_id].errors = dict(errors)
        return {"action": "errors", "errors": errors}
    if action == "clear":
        for vid in stack:
            ctx.ws.views[vid].closed = True
        stack.clear()
        return {"action": "cleared"}
    view = body.get("view")
    problems = view_problems(view)
    if problems:
        return {"action": "rejected", "problems": problems}
    if action == "update":
        target = ctx.ws.views[view_id]
        target.replace(dict(view))
        target.errors = {}
        return {"action": "updated"}
    if action == "push" and len(stack) < limit("surfaces", "modal.view_stack.max_views"):
        pushed = new_view(ctx, user_id, "modal", dict(view), root=stack[0] if stack else None,
                           previous=view_id)
        stack.append(pushed.id)
        return {"action": "pushed", "view_id": pushed.id}
    return {"action": "rejected", "problems": [f"unsupported response_action {action!r}"]}
