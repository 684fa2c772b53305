"""auth.test and the users.* family."""

from __future__ import annotations

from typing import Any

from bot.slack.emulator.errors import ApiError
from bot.slack.emulator.methods.common import find_user, page, user_json
from bot.slack.emulator.methods.registry import Args, Context, method


@method("auth.test")
def auth_test(ctx: Context, args: Args) -> dict[str, Any]:
    """Who the bot token belongs to."""
    bot = ctx.ws.users[ctx.ws.bot_user_id]
    return {
        "url": f"https://{ctx.team_domain}.slack.com/",
        "team": ctx.team_name,
        "user": bot.name,
        "team_id": ctx.ws.team_id,
        "user_id": bot.id,
        "bot_id": ctx.bot_id,
        "is_enterprise_install": False,
    }


@method("users.info")
def users_info(ctx: Context, args: Args) -> dict[str, Any]:
    """One user by id."""
    return {"user": user_json(ctx, find_user(ctx, args["user"]))}


@method("users.lookupByEmail")
def users_lookup_by_email(ctx: Context, args: Args) -> dict[str, Any]:
    """One user by e-mail address (case-insensitive, like Slack)."""
    email = str(args["email"]).strip().lower()
    user = next((u for u in ctx.ws.users.values() if u.email and u.email.lower() == email), None)
    if user is None:
        raise ApiError("users_not_found")
    return {"user": user_json(ctx, user)}


@method("users.list")
def users_list(ctx: Context, args: Args) -> dict[str, Any]:
    """All users, paginated by cursor."""
    members, cursor = page([user_json(ctx, u) for u in ctx.ws.users.values()], args, default_limit=200)
    return {"members": members, "cache_ts": int(ctx.ws.clock()), "response_metadata": {"next_cursor": cursor}}
