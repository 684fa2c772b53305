"""One Web API call end to end: auth, injected faults, contract check, handler, and the call record."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

from bot.slack.emulator.contract import check_call, specs
from bot.slack.emulator.errors import ApiError
from bot.slack.emulator.methods import REGISTRY, Context
from bot.slack.emulator.ratelimit import TierLimiter


@dataclass
class Fault:
    """Make the next `count` calls to `method` ("*" for any) fail: HTTP 429 with Retry-After, or an error."""

    method: str
    count: int = 1
    error: str | None = None
    status: int | None = None
    retry_after: int = 1


@dataclass
class Reply:
    """What the HTTP layer sends back."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class Faults:
    """Pending injected faults, consumed in order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue a fault."""
        if fault.error is None and fault.status is None:
            fault.status = 429
        with self._lock:
            self._pending.append(fault)

    def take(self, method: str) -> Fault | None:
        """The next fault for this method, using one of its counts."""
        with self._lock:
            for fault in self._pending:
                if fault.method in (method, "*") and fault.count > 0:
                    fault.count -= 1
                    if fault.count == 0:
                        self._pending.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        """Faults still waiting, as JSON."""
        with self._lock:
            return [asdict(f) for f in self._pending]

    def clear(self) -> None:
        """Drop all pending faults."""
        with self._lock:
            self._pending.clear()


def _fault_reply(fault: Fault) -> Reply:
    if fault.status == 429:
        return Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(fault.retry_after)})
    return Reply(fault.status or 200, {"ok": False, "error": fault.error or "internal_error"}, {})


def call(ctx: Context, faults: Faults, calls: list[dict[str, Any]], bot_token: str, method: str,
         args: dict[str, Any], bearer: str | None, limiter: TierLimiter | None = None) -> Reply:
    """Run one Web API call and record it (the token is never recorded)."""
    token = bearer or args.pop("token", None)
    args.pop("token", None)
    reply = _run(ctx, faults, bot_token, method, args, token, limiter)
    entry = {"method": method, "args": args, "ok": bool(reply.body.get("ok")), "error": reply.body.get("error"),
             "status": reply.status, "time": ctx.ws.clock()}
    if "response_metadata" in reply.body and not reply.body.get("ok"):
        entry["messages"] = reply.body["response_metadata"].get("messages", [])
    with ctx.ws.lock:
        calls.append(entry)
    return reply


APP_TOKEN_METHODS = {"apps.connections.open"}


def _run(ctx: Context, faults: Faults, bot_token: str, method: str, args: dict[str, Any],
         token: str | None, limiter: TierLimiter | None) -> Reply:
    try:
        if method not in REGISTRY or method not in specs():
            raise ApiError("unknown_method", req_method=method)
        if not token:
            raise ApiError("not_authed")
        if method in APP_TOKEN_METHODS:  # an app-level token (xapp-…); a bot token is the wrong type
            if not token.startswith("xapp-"):
                raise ApiError("not_allowed_token_type" if token == bot_token else "invalid_auth")
        elif token != bot_token:
            raise ApiError("invalid_auth")
        fault = faults.take(method)
        if fault is not None:
            return _fault_reply(fault)
        wait = limiter.retry_after(method, specs()[method].rate_tier, ctx.ws.clock()) if limiter else None
        if wait is not None:
            return _fault_reply(Fault(method=method, status=429, retry_after=wait))
        check_call(method, args)
        with ctx.ws.lock:
            result = REGISTRY[method](ctx, args)
    except ApiError as exc:
        return Reply(200, exc.body(), {})
    return Reply(200, {"ok": True, **result}, {})
