"""pins.*, reactions.* and bookmarks.*: things attached to messages and channels."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from bot.slack.emulator.contract import limit
from bot.slack.emulator.errors import ApiError, invalid_arguments
from bot.slack.emulator.methods.common import find_message, member_channel, message_json, visible_channel
from bot.slack.emulator.methods.registry import Args, Context, method
from bot.slack.emulator.state import Bookmark

_EMOJI = re.compile(r"^[a-z0-9_+'-]+(::skin-tone-[2-6])?$")


@method("pins.add")
def pins_add(ctx: Context, args: Args) -> dict[str, Any]:
    """Pin a message to its channel."""
    ch = member_channel(ctx, args["channel"])
    if not args.get("timestamp"):
        raise ApiError("no_item_specified")
    msg = find_message(ctx, ch, args["timestamp"])
    pins = ctx.ws.pins.setdefault(ch.id, [])
    if any(p["ts"] == msg.ts for p in pins):
        raise ApiError("already_pinned")
    pins.append({"ts": msg.ts, "created": int(ctx.ws.clock()), "created_by": ctx.ws.bot_user_id})
    return {}


@method("pins.list")
def pins_list(ctx: Context, args: Args) -> dict[str, Any]:
    """Pinned items of a channel, newest pin first."""
    ch = visible_channel(ctx, args["channel"])
    items = []
    for pin in reversed(ctx.ws.pins.get(ch.id, [])):
        msg = ctx.ws.message(ch.id, pin["ts"])
        if msg is not None:
            items.append({"type": "message", "created": pin["created"], "created_by": pin["created_by"],
                          "channel": ch.id, "message": message_json(msg, ctx)})
    return {"items": items}


@method("reactions.add")
def reactions_add(ctx: Context, args: Args) -> dict[str, Any]:
    """The bot reacts to a message with an emoji."""
    ch = visible_channel(ctx, args["channel"])
    if ch.is_archived:
        raise ApiError("is_archived")
    name = str(args["name"]).strip(":")
    if not _EMOJI.match(name):
        raise ApiError("invalid_name")
    msg = find_message(ctx, ch, args["timestamp"])
    users = msg.reactions.setdefault(name, [])
    if ctx.ws.bot_user_id in users:
        raise ApiError("already_reacted")
    users.append(ctx.ws.bot_user_id)
    return {}


@method("reactions.get")
def reactions_get(ctx: Context, args: Args) -> dict[str, Any]:
    """A message with its reactions."""
    if not args.get("channel") or not args.get("timestamp"):
        raise ApiError("no_item_specified")
    ch = visible_channel(ctx, args["channel"])
    msg = find_message(ctx, ch, args["timestamp"])
    return {"type": "message", "channel": ch.id, "message": message_json(msg, ctx)}


@method("bookmarks.add")
def bookmarks_add(ctx: Context, args: Args) -> dict[str, Any]:
    """A link bookmark in a channel's header."""
    if not args.get("channel_id"):
        raise invalid_arguments("missing required field: channel_id")
    ch = visible_channel(ctx, args["channel_id"])
    if args["type"] != "link":
        raise ApiError("invalid_bookmark_type")
    link, title = str(args.get("link") or ""), str(args["title"])
    if not link.startswith(("http://", "https://")) or len(link) > limit("web_api_args", "bookmarks.add.link.max"):
        raise ApiError("invalid_link")
    title_max = limit("web_api_args", "bookmarks.add.title.max")
    if len(title) > title_max:
        raise invalid_arguments(f"title must be at most {title_max} characters (bookmarks.add.title.max)")
    bookmark = Bookmark(id=ctx.ws.new_id("Bk"), channel_id=ch.id, title=title, link=link, type="link",
                        emoji=args.get("emoji"), date_created=int(ctx.ws.clock()), created_by=ctx.ws.bot_user_id)
    ctx.ws.bookmarks.setdefault(ch.id, []).append(bookmark)
    return {"bookmark": _bookmark_json(ctx, bookmark)}


@method("bookmarks.list")
def bookmarks_list(ctx: Context, args: Args) -> dict[str, Any]:
    """A channel's bookmarks."""
    if not args.get("channel_id"):
        raise invalid_arguments("missing required field: channel_id")
    ch = visible_channel(ctx, args["channel_id"])
    return {"bookmarks": [_bookmark_json(ctx, b) for b in ctx.ws.bookmarks.get(ch.id, [])]}


def _bookmark_json(ctx: Context, bookmark: Bookmark) -> dict[str, Any]:
    data = asdict(bookmark)
    created_by = data.pop("created_by")
    data.update(date_updated=bookmark.date_created, rank="U", last_updated_by_user_id=created_by,
                last_updated_by_team_id=ctx.ws.team_id, app_id=ctx.app_id, entity_id=None, icon_url=None)
    return data
