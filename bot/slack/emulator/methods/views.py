"""The views.* family: modals (open, push, update) with trigger_id rules, and App Home (publish)."""

from __future__ import annotations

import re
import secrets
from typing import Any

from bot.slack.emulator.contract import as_json, limit
from bot.slack.emulator.errors import ApiError, invalid_arguments
from bot.slack.emulator.methods.common import find_user
from bot.slack.emulator.methods.registry import Args, Context, method
from bot.slack.emulator.state import Trigger, View, Workspace
from bot.slack.emulator.surfaces import view_problems, view_too_large

TRIGGER_FORMAT = re.compile(r"^\d+\.\d+\.[0-9a-f]+$")


def new_trigger_id(ws: Workspace, user_id: str, ttl: float) -> str:
    """A trigger_id in Slack's format ("132456.7890123.abcdef"), valid `ttl` seconds and usable once."""
    trigger_id = f"{int(ws.clock())}.{secrets.randbelow(10**10)}.{secrets.token_hex(16)}"
    ws.triggers[trigger_id] = Trigger(id=trigger_id, user_id=user_id, expires_at=ws.clock() + ttl)
    return trigger_id


def _exchange_trigger(ctx: Context, args: Args) -> str:
    """Use up the trigger_id (or interactivity_pointer); returns the user it was issued for."""
    trigger_id = args.get("trigger_id") or args.get("interactivity_pointer")
    if not trigger_id:
        raise invalid_arguments("missing required field: trigger_id")
    trigger = ctx.ws.triggers.get(str(trigger_id))
    if not TRIGGER_FORMAT.match(str(trigger_id)) or trigger is None:
        raise ApiError("invalid_trigger_id")
    if trigger.used:
        raise ApiError("exchanged_trigger_id")
    if ctx.ws.clock() > trigger.expires_at:
        raise ApiError("expired_trigger_id")
    trigger.used = True
    return trigger.user_id


def _checked_view(ctx: Context, args: Args, kind: str) -> dict[str, Any]:
    view = as_json(args["view"])
    if not isinstance(view, dict):
        raise invalid_arguments("invalid type for field: view, expected object")
    if view_too_large(view):
        raise ApiError("view_too_large")
    if view.get("type") != kind:
        raise invalid_arguments(f"view type must be '{kind}' for this method [json-pointer:/view/type]")
    problems = view_problems(view)
    if problems:
        raise invalid_arguments(*problems)
    external_id = view.get("external_id") or ""
    if external_id and any(v.external_id == external_id and v.id != args.get("view_id")
                           for v in ctx.ws.views.values() if not v.closed):
        raise ApiError("duplicate_external_id")
    return view


def view_json(ctx: Context, view: View) -> dict[str, Any]:
    """A view object as Slack returns it (and sends it back in view_submission payloads)."""
    p = view.payload
    return {
        "id": view.id, "team_id": ctx.ws.team_id, "type": view.type, "blocks": p.get("blocks", []),
        "private_metadata": p.get("private_metadata", ""), "callback_id": p.get("callback_id", ""),
        "state": view.state, "hash": view.hash, "title": p.get("title"),
        "clear_on_close": bool(p.get("clear_on_close")), "notify_on_close": bool(p.get("notify_on_close")),
        "close": p.get("close"), "submit": p.get("submit"), "previous_view_id": view.previous_view_id,
        "root_view_id": view.root_view_id, "app_id": ctx.app_id, "external_id": view.external_id,
        "app_installed_team_id": ctx.ws.team_id, "bot_id": ctx.bot_id,
    }


def new_view(ctx: Context, user_id: str, kind: str, payload: dict[str, Any], root: str | None = None,
              previous: str | None = None) -> View:
    view_id = ctx.ws.new_id("V")
    view = View(id=view_id, user_id=user_id, type=kind, payload=payload, hash=_hash(ctx),
                root_view_id=root or view_id, previous_view_id=previous,
                external_id=payload.get("external_id") or "")
    ctx.ws.views[view_id] = view
    return view


def _hash(ctx: Context) -> str:
    return f"{ctx.ws.new_ts()}.{secrets.token_hex(4)}"


@method("views.open")
def views_open(ctx: Context, args: Args) -> dict[str, Any]:
    """Open a modal for the user the trigger_id belongs to (replaces any open stack)."""
    payload = _checked_view(ctx, args, "modal")
    user_id = _exchange_trigger(ctx, args)
    for old in ctx.ws.stacks.get(user_id, []):
        ctx.ws.views[old].closed = True
    view = new_view(ctx, user_id, "modal", payload)
    ctx.ws.stacks[user_id] = [view.id]
    return {"view": view_json(ctx, view)}


@method("views.push")
def views_push(ctx: Context, args: Args) -> dict[str, Any]:
    """Push a modal on top of the user's open stack (at most 3 views)."""
    payload = _checked_view(ctx, args, "modal")
    user_id = _exchange_trigger(ctx, args)
    stack = ctx.ws.stacks.get(user_id, [])
    if not stack:
        raise ApiError("not_found")
    if len(stack) >= limit("surfaces", "modal.view_stack.max_views"):
        raise ApiError("push_limit_reached")
    view = new_view(ctx, user_id, "modal", payload, root=stack[0], previous=stack[-1])
    stack.append(view.id)
    return {"view": view_json(ctx, view)}


@method("views.update")
def views_update(ctx: Context, args: Args) -> dict[str, Any]:
    """Replace an open view's content by view_id or external_id; `hash` guards against races."""
    if not args.get("view_id") and not args.get("external_id"):
        raise invalid_arguments("either view_id or external_id is required")
    view = ctx.ws.views.get(str(args.get("view_id") or ""))
    if view is None and args.get("external_id"):
        view = next((v for v in ctx.ws.views.values() if v.external_id == args["external_id"]), None)
    if view is None or view.closed:
        raise ApiError("not_found")
    payload = _checked_view(ctx, {**args, "view_id": view.id}, view.type)
    if args.get("hash") and args["hash"] != view.hash:
        raise ApiError("hash_conflict")
    view.replace(payload)
    view.hash = _hash(ctx)
    view.external_id = payload.get("external_id") or view.external_id
    return {"view": view_json(ctx, view)}


@method("views.publish")
def views_publish(ctx: Context, args: Args) -> dict[str, Any]:
    """Publish (create or replace) a user's App Home."""
    user = find_user(ctx, str(args["user_id"]))
    payload = _checked_view(ctx, args, "home")
    home = ctx.ws.views.get(ctx.ws.homes.get(user.id, ""))
    if home is None:
        home = new_view(ctx, user.id, "home", payload)
        ctx.ws.homes[user.id] = home.id
    else:
        if args.get("hash") and args["hash"] != home.hash:
            raise ApiError("hash_conflict")
        home.replace(payload)
        home.hash = _hash(ctx)
    return {"view": view_json(ctx, home)}
