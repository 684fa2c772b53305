"""The conversations.* family: create, invite, topic/purpose, info, list, members, join, archive, open."""

from __future__ import annotations

from typing import Any

from bot.slack.emulator.contract import as_bool, limit
from bot.slack.emulator.errors import ApiError, invalid_arguments
from bot.slack.emulator.methods.common import (
    channel_json,
    find_user,
    member_channel,
    page,
    visible_channel,
)
from bot.slack.emulator.methods.registry import Args, Context, method
from bot.slack.emulator.state import Channel


def name_error(name: str) -> str | None:
    """Slack's channel-name rules: lowercase letters, digits, hyphens, underscores; at most 80 characters."""
    if not name:
        return "invalid_name_required"
    if len(name) > limit("web_api_args", "conversations.create.name.max"):
        return "invalid_name_maxlength"
    if all(c in "-_" for c in name):
        return "invalid_name_punctuation"
    if any(not (c in "-_" or c.isascii() and c.isdigit() or c.isalpha() and c.islower()) for c in name):
        return "invalid_name_specials"
    return None


@method("conversations.create")
def create(ctx: Context, args: Args) -> dict[str, Any]:
    """A new public or private channel with the bot as its first member."""
    name = str(args["name"])
    if problem := name_error(name):
        raise ApiError(problem)
    if ctx.ws.channel_by_name(name) is not None:
        raise ApiError("name_taken")
    private = as_bool(args.get("is_private"))
    ch = Channel(id=ctx.ws.new_id("G" if private else "C"), name=name, created=int(ctx.ws.clock()),
                 creator=ctx.ws.bot_user_id, is_private=private, members=[ctx.ws.bot_user_id])
    ctx.ws.channels[ch.id] = ch
    ctx.ws.messages[ch.id] = []
    return {"channel": channel_json(ctx, ch)}


@method("conversations.invite")
def invite(ctx: Context, args: Args) -> dict[str, Any]:
    """Invite users; any failed id fails the call unless force=true (Slack's behaviour)."""
    ch = visible_channel(ctx, args["channel"])
    if ch.is_im or ch.is_mpim:
        raise ApiError("method_not_supported_for_channel_type")
    member_channel(ctx, ch.id, writable=True)
    ids = [u.strip() for u in str(args["users"]).split(",") if u.strip()]
    if not ids:
        raise ApiError("no_user")
    top = limit("web_api_args", "conversations.invite.users.max")
    if len(ids) > top:
        raise invalid_arguments(f"too many users: {len(ids)} (conversations.invite.users.max = {top})")
    errors: list[dict[str, Any]] = []
    valid: list[str] = []
    for uid in dict.fromkeys(ids):
        if uid not in ctx.ws.users:
            errors.append({"user": uid, "ok": False, "error": "user_not_found"})
        elif uid == ctx.ws.bot_user_id:
            errors.append({"user": uid, "ok": False, "error": "cant_invite_self"})
        elif uid in ch.members:
            errors.append({"user": uid, "ok": False, "error": "already_in_channel"})
        else:
            valid.append(uid)
    if errors and (not as_bool(args.get("force")) or not valid):
        raise ApiError(str(errors[0]["error"]), errors=errors)
    ch.members.extend(valid)
    result: dict[str, Any] = {"channel": channel_json(ctx, ch)}
    if errors:
        result["errors"] = errors
    return result


def _set_text(ctx: Context, args: Args, field: str) -> dict[str, Any]:
    ch = member_channel(ctx, args["channel"], writable=True)
    if ch.is_im:
        raise ApiError("method_not_supported_for_channel_type")
    value = str(args[field])
    if len(value) > limit("web_api_args", f"conversations.set{field.title()}.{field}.max"):
        raise ApiError("too_long")
    setattr(ch, field, {"value": value, "creator": ctx.ws.bot_user_id, "last_set": int(ctx.ws.clock())})
    return {"channel": channel_json(ctx, ch)}


@method("conversations.setTopic")
def set_topic(ctx: Context, args: Args) -> dict[str, Any]:
    """Set the channel topic (at most 250 characters)."""
    return _set_text(ctx, args, "topic")


@method("conversations.setPurpose")
def set_purpose(ctx: Context, args: Args) -> dict[str, Any]:
    """Set the channel description (at most 250 characters)."""
    return _set_text(ctx, args, "purpose")


@method("conversations.info")
def info(ctx: Context, args: Args) -> dict[str, Any]:
    """One conversation as the bot sees it."""
    ch = visible_channel(ctx, args["channel"])
    return {"channel": channel_json(ctx, ch, as_bool(args.get("include_num_members")))}


@method("conversations.list")
def list_(ctx: Context, args: Args) -> dict[str, Any]:
    """Conversations of the requested types that the bot can see."""
    types = {t.strip() for t in str(args.get("types") or "public_channel").split(",")}
    known = {"public_channel", "private_channel", "im", "mpim"}
    if not types <= known:
        raise ApiError("invalid_types")
    bot = ctx.ws.bot_user_id

    def wanted(ch: Channel) -> bool:
        kind = "im" if ch.is_im else "mpim" if ch.is_mpim else "private_channel" if ch.is_private else "public_channel"
        if kind not in types or (kind != "public_channel" and bot not in ch.members):
            return False
        return not (ch.is_archived and as_bool(args.get("exclude_archived")))

    chans = [channel_json(ctx, c) for c in ctx.ws.channels.values() if wanted(c)]
    items, cursor = page(chans, args)
    return {"channels": items, "response_metadata": {"next_cursor": cursor}}


@method("conversations.members")
def members(ctx: Context, args: Args) -> dict[str, Any]:
    """Member ids of a conversation."""
    ch = visible_channel(ctx, args["channel"])
    items, cursor = page(list(ch.members), args)
    return {"members": items, "response_metadata": {"next_cursor": cursor}}


@method("conversations.join")
def join(ctx: Context, args: Args) -> dict[str, Any]:
    """The bot joins a public channel (private channels need an invite)."""
    ch = visible_channel(ctx, args["channel"])
    if ch.is_private or ch.is_im or ch.is_mpim:
        raise ApiError("method_not_supported_for_channel_type")
    if ch.is_archived:
        raise ApiError("is_archived")
    result: dict[str, Any] = {}
    if ctx.ws.bot_user_id in ch.members:
        result = {"warning": "already_in_channel", "response_metadata": {"warnings": ["already_in_channel"]}}
    else:
        ch.members.append(ctx.ws.bot_user_id)
    return {"channel": channel_json(ctx, ch), **result}


@method("conversations.archive")
def archive(ctx: Context, args: Args) -> dict[str, Any]:
    """Archive a channel the bot is in."""
    ch = visible_channel(ctx, args["channel"])
    if ch.is_im or ch.is_mpim:
        raise ApiError("method_not_supported_for_channel_type")
    if ch.is_archived:
        raise ApiError("already_archived")
    member_channel(ctx, ch.id)
    ch.is_archived = True
    return {}


@method("conversations.open")
def open_(ctx: Context, args: Args) -> dict[str, Any]:
    """Open (or find) the bot's DM with one user, or a group DM with 2–8 users."""
    if args.get("channel"):
        ch = visible_channel(ctx, args["channel"])
        return {"channel": channel_json(ctx, ch) if as_bool(args.get("return_im")) else {"id": ch.id}}
    if not args.get("users"):
        raise ApiError("users_list_not_supplied")
    ids = sorted({u.strip() for u in str(args["users"]).split(",") if u.strip()} - {ctx.ws.bot_user_id})
    for uid in ids:
        find_user(ctx, uid)
    if not ids:
        raise ApiError("not_enough_users")
    if len(ids) > 8:
        raise ApiError("too_many_users")
    wanted = sorted([ctx.ws.bot_user_id, *ids])
    existing = next((c for c in ctx.ws.channels.values()
                     if (c.is_im or c.is_mpim) and sorted(c.members) == wanted), None)
    extra: dict[str, Any] = {"no_op": True, "already_open": True} if existing else {}
    if existing is None:
        if as_bool(args.get("prevent_creation")):
            return {"channel": {}, "no_op": True}
        single = len(ids) == 1
        existing = Channel(
            id=ctx.ws.new_id("D" if single else "G"), name="" if single else "mpdm-" + "--".join(ids) + "-1",
            created=int(ctx.ws.clock()), creator=ctx.ws.bot_user_id, is_private=True, is_im=single,
            is_mpim=not single, members=wanted, user=ids[0] if single else None)
        ctx.ws.channels[existing.id] = existing
        ctx.ws.messages[existing.id] = []
    shown = channel_json(ctx, existing) if as_bool(args.get("return_im")) else {"id": existing.id}
    return {"channel": shown, **extra}

