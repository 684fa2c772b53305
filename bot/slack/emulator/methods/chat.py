"""The chat.* family: postMessage, postEphemeral, update, delete, getPermalink."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bot.slack.emulator.contract import as_bool
from bot.slack.emulator.errors import ApiError
from bot.slack.emulator.methods.common import find_message, member_channel, message_json, visible_channel
from bot.slack.emulator.methods.content import UPDATE_TEXT_MAX, parse_content, with_warnings
from bot.slack.emulator.methods.conversations import open_
from bot.slack.emulator.methods.registry import Args, Context, method
from bot.slack.emulator.state import Channel, Ephemeral, Message


def _destination(ctx: Context, channel: Any) -> Channel:
    """A channel id or name; a user id means the bot's DM with that user, as in Slack."""
    if isinstance(channel, str) and channel[:1] in ("U", "W") and channel in ctx.ws.users:
        channel = open_(ctx, {"users": channel})["channel"]["id"]
    return member_channel(ctx, channel, writable=True)


def _thread_root(ctx: Context, ch: Channel, thread_ts: Any) -> str | None:
    """Slack files a reply to a reply under the thread's parent."""
    if not thread_ts:
        return None
    parent = ctx.ws.message(ch.id, str(thread_ts))
    return parent.thread_ts or parent.ts if parent is not None else str(thread_ts)


@method("chat.postMessage")
def post_message(ctx: Context, args: Args) -> dict[str, Any]:
    """Post a message as the bot (the bot must be in the channel)."""
    ch = _destination(ctx, args["channel"])
    content = parse_content(args, observed=ctx.observed_limits)
    msg = Message(channel=ch.id, ts=ctx.ws.new_ts(), user=ctx.ws.bot_user_id, text=content.text,
                  blocks=content.blocks, attachments=content.attachments, metadata=content.metadata,
                  thread_ts=_thread_root(ctx, ch, args.get("thread_ts")), bot_id=ctx.bot_id,
                  reply_broadcast=as_bool(args.get("reply_broadcast")))
    ctx.ws.messages.setdefault(ch.id, []).append(msg)
    result = {"channel": ch.id, "ts": msg.ts, "message": message_json(msg, ctx)}
    return with_warnings(result, content.warnings)


@method("chat.postEphemeral")
def post_ephemeral(ctx: Context, args: Args) -> dict[str, Any]:
    """A message only `user` sees; the user must be in the channel."""
    ch = _destination(ctx, args["channel"])
    user = str(args["user"])
    if user not in ch.members:
        raise ApiError("user_not_in_channel")
    content = parse_content(args, text_max=40000, observed=ctx.observed_limits)
    eph = Ephemeral(channel=ch.id, user=user, ts=ctx.ws.new_ts(), text=content.text, blocks=content.blocks,
                    thread_ts=str(args["thread_ts"]) if args.get("thread_ts") else None)
    ctx.ws.ephemerals.append(eph)
    return {"message_ts": eph.ts}


@method("chat.update")
def update(ctx: Context, args: Args) -> dict[str, Any]:
    """Edit one of the bot's own messages in place (earlier versions kept in `edits`)."""
    ch = visible_channel(ctx, args["channel"])
    msg = find_message(ctx, ch, args["ts"])
    if msg.user != ctx.ws.bot_user_id:
        raise ApiError("cant_update_message")
    content = parse_content(args, text_max=UPDATE_TEXT_MAX, require=False, observed=ctx.observed_limits)
    if not content.text and content.blocks is None and content.attachments is None:
        raise ApiError("no_text")
    msg.edits.append({"text": msg.text, "blocks": msg.blocks, "replaced_at": ctx.ws.new_ts()})
    msg.text = content.text
    if content.blocks is not None or "blocks" in args:
        msg.blocks = content.blocks
    if content.attachments is not None:
        msg.attachments = content.attachments
    if content.metadata is not None:
        msg.metadata = content.metadata
    msg.edited = {"user": ctx.ws.bot_user_id, "ts": msg.edits[-1]["replaced_at"]}
    result = {"channel": ch.id, "ts": msg.ts, "text": msg.text, "message": message_json(msg, ctx)}
    return with_warnings(result, content.warnings)


@method("chat.delete")
def delete(ctx: Context, args: Args) -> dict[str, Any]:
    """Delete one of the bot's own messages."""
    ch = visible_channel(ctx, args["channel"])
    msg = find_message(ctx, ch, args["ts"])
    if msg.user != ctx.ws.bot_user_id:
        raise ApiError("cant_delete_message")
    ctx.ws.messages[ch.id].remove(msg)
    ctx.ws.deleted.append(asdict(msg))
    return {"channel": ch.id, "ts": msg.ts}


@method("chat.getPermalink")
def get_permalink(ctx: Context, args: Args) -> dict[str, Any]:
    """A permalink to a message in Slack's URL format."""
    ch = visible_channel(ctx, args["channel"])
    msg = find_message(ctx, ch, args["message_ts"])
    link = f"https://{ctx.team_domain}.slack.com/archives/{ch.id}/p{msg.ts.replace('.', '')}"
    if msg.thread_ts and msg.thread_ts != msg.ts:
        link += f"?thread_ts={msg.thread_ts}&cid={ch.id}"
    return {"channel": ch.id, "permalink": link}
