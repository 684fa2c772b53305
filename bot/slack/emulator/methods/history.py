"""conversations.history and conversations.replies: reading messages back, newest first / thread order."""

from __future__ import annotations

from typing import Any

from bot.slack.emulator.contract import as_bool
from bot.slack.emulator.errors import ApiError
from bot.slack.emulator.methods.common import member_channel, message_json, page, visible_channel
from bot.slack.emulator.methods.registry import Args, Context, method
from bot.slack.emulator.state import Message


def _in_window(msgs: list[Message], args: Args, error_prefix: str = "invalid_ts") -> list[Message]:
    """Messages between `oldest` and `latest` (exclusive unless inclusive=true)."""
    try:
        oldest = float(args.get("oldest") or 0)
        latest = float(args["latest"]) if args.get("latest") else None
    except ValueError as exc:
        raise ApiError(f"{error_prefix}_oldest") from exc
    inclusive = as_bool(args.get("inclusive"))

    def inside(m: Message) -> bool:
        ts = float(m.ts)
        above = ts >= oldest if inclusive else ts > oldest
        below = latest is None or (ts <= latest if inclusive else ts < latest)
        return above and below

    return [m for m in msgs if inside(m)]


@method("conversations.history")
def history(ctx: Context, args: Args) -> dict[str, Any]:
    """Top-level messages (and broadcast replies), newest first."""
    ch = member_channel(ctx, args["channel"])
    top = [m for m in ctx.ws.messages.get(ch.id, []) if not m.thread_ts or m.thread_ts == m.ts or m.reply_broadcast]
    chosen = sorted(_in_window(top, args), key=lambda m: float(m.ts), reverse=True)
    include_metadata = as_bool(args.get("include_all_metadata"))
    items, cursor = page([message_json(m, ctx, include_metadata) for m in chosen], args)
    return {"messages": items, "has_more": bool(cursor), "pin_count": len(ctx.ws.pins.get(ch.id, [])),
            "response_metadata": {"next_cursor": cursor}}


@method("conversations.replies")
def replies(ctx: Context, args: Args) -> dict[str, Any]:
    """A thread: its parent first, then replies in order."""
    ch = visible_channel(ctx, args["channel"])
    anchor = ctx.ws.message(ch.id, str(args["ts"]))
    if anchor is None:
        raise ApiError("thread_not_found")
    root = anchor.thread_ts or anchor.ts
    thread = [m for m in ctx.ws.messages.get(ch.id, []) if m.ts == root or m.thread_ts == root]
    chosen = sorted(_in_window(thread, args), key=lambda m: float(m.ts))
    include_metadata = as_bool(args.get("include_all_metadata"))
    items, cursor = page([message_json(m, ctx, include_metadata) for m in chosen], args, default_limit=1000)
    return {"messages": items, "has_more": bool(cursor), "response_metadata": {"next_cursor": cursor}}
