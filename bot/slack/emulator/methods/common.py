"""Shared lookups and Slack's object shapes (user, conversation, message) for the method families."""

from __future__ import annotations

import base64
from typing import Any

from bot.slack.emulator.errors import ApiError
from bot.slack.emulator.methods.registry import Args, Context
from bot.slack.emulator.state import Channel, Message, User


def user_json(ctx: Context, user: User) -> dict[str, Any]:
    """A user object as users.info returns it."""
    return {
        "id": user.id,
        "team_id": ctx.ws.team_id,
        "name": user.name,
        "deleted": user.deleted,
        "real_name": user.real_name,
        "is_bot": user.is_bot,
        "is_app_user": False,
        "tz": "Europe/Amsterdam",
        "profile": {
            "real_name": user.real_name,
            "display_name": user.name,
            "email": user.email,
            "team": ctx.ws.team_id,
            **({"bot_id": ctx.bot_id} if user.id == ctx.ws.bot_user_id else {}),
        },
    }


def channel_json(ctx: Context, ch: Channel, num_members: bool = False) -> dict[str, Any]:
    """A conversation object as conversations.info returns it, seen by the bot."""
    data: dict[str, Any] = {
        "id": ch.id,
        "created": ch.created,
        "is_im": ch.is_im,
        "is_mpim": ch.is_mpim,
        "is_archived": ch.is_archived,
        "is_member": ctx.ws.bot_user_id in ch.members,
        "context_team_id": ctx.ws.team_id,
    }
    if ch.is_im:
        data.update(user=ch.user, is_org_shared=False)
        return data
    data.update(
        name=ch.name,
        name_normalized=ch.name,
        is_channel=not ch.is_private and not ch.is_mpim,
        is_group=ch.is_private and not ch.is_mpim,
        is_private=ch.is_private,
        is_general=False,
        creator=ch.creator,
        topic=dict(ch.topic),
        purpose=dict(ch.purpose),
        is_shared=False,
        is_ext_shared=False,
    )
    if num_members:
        data["num_members"] = len(ch.members)
    return data


def message_json(msg: Message, ctx: Context, include_metadata: bool = True) -> dict[str, Any]:
    """A message as conversations.history returns it."""
    data: dict[str, Any] = {"type": "message", "user": msg.user, "text": msg.text, "ts": msg.ts}
    if msg.bot_id:
        data.update(bot_id=msg.bot_id, app_id=ctx.app_id)
    if msg.blocks is not None:
        data["blocks"] = msg.blocks
    if msg.attachments is not None:
        data["attachments"] = msg.attachments
    if msg.thread_ts:
        data["thread_ts"] = msg.thread_ts
    if msg.edited:
        data["edited"] = dict(msg.edited)
    if msg.metadata is not None and include_metadata:
        data["metadata"] = msg.metadata
    if msg.files:
        data["files"] = [{"id": f, "name": ctx.ws.files[f].name} for f in msg.files if f in ctx.ws.files]
    if msg.reactions:
        data["reactions"] = [{"name": n, "users": list(u), "count": len(u)} for n, u in msg.reactions.items()]
    replies = [m for m in ctx.ws.messages.get(msg.channel, []) if m.thread_ts == msg.ts and m.ts != msg.ts]
    if replies:
        data.update(thread_ts=msg.ts, reply_count=len(replies), latest_reply=replies[-1].ts,
                    reply_users=sorted({m.user for m in replies}))
    pinned = [p for p in ctx.ws.pins.get(msg.channel, []) if p["ts"] == msg.ts]
    if pinned:
        data["pinned_to"] = [msg.channel]
    return data


def find_user(ctx: Context, user_id: str, error: str = "user_not_found") -> User:
    """A user by id, or Slack's error."""
    user = ctx.ws.users.get(user_id)
    if user is None:
        raise ApiError(error)
    return user


def visible_channel(ctx: Context, channel_id: Any) -> Channel:
    """A channel the bot may see: public ones, and private ones and DMs it is a member of."""
    ch = ctx.ws.channels.get(str(channel_id))
    if ch is None and isinstance(channel_id, str):
        ch = ctx.ws.channel_by_name(channel_id.lstrip("#"))
    if ch is None or ((ch.is_private or ch.is_im or ch.is_mpim) and ctx.ws.bot_user_id not in ch.members):
        raise ApiError("channel_not_found")
    return ch


def member_channel(ctx: Context, channel_id: Any, *, writable: bool = False) -> Channel:
    """A channel the bot is a member of (not_in_channel otherwise); `writable` also refuses archived ones."""
    ch = visible_channel(ctx, channel_id)
    if writable and ch.is_archived:
        raise ApiError("is_archived")
    if ctx.ws.bot_user_id not in ch.members:
        raise ApiError("not_in_channel")
    return ch


def find_message(ctx: Context, ch: Channel, ts: Any) -> Message:
    """A message by channel and ts, or message_not_found."""
    msg = ctx.ws.message(ch.id, str(ts))
    if msg is None:
        raise ApiError("message_not_found")
    return msg


def page(items: list[Any], args: Args, default_limit: int = 100) -> tuple[list[Any], str]:
    """Slack cursor pagination: a slice and the next_cursor ("" when done)."""
    try:
        start = int(base64.b64decode(args.get("cursor") or "b2Zmc2V0OjA=").decode().split(":")[1])
        limit = int(args.get("limit") or default_limit)
    except (ValueError, IndexError) as exc:
        raise ApiError("invalid_cursor") from exc
    limit = max(1, min(limit, 1000))
    end = start + limit
    cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
    return items[start:end], cursor
