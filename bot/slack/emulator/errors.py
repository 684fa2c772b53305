"""The error a Web API method raises to answer `ok: false` in Slack's own shape."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Slack error code plus the extra fields Slack puts next to it (errors, response_metadata…)."""

    def __init__(self, error: str, *, messages: list[str] | None = None, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages or []
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """The JSON body Slack would answer with."""
        body: dict[str, Any] = {"ok": False, "error": self.error, **self.extra}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


def invalid_arguments(*messages: str) -> ApiError:
    """Slack's answer to a call that breaks the method's argument schema."""
    return ApiError("invalid_arguments", messages=[f"[ERROR] {m}" for m in messages])
