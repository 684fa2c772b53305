"""Slack's published per-method contract (slack-api-ref): which methods exist, required arguments, types."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from bot.slack.emulator.errors import ApiError, invalid_arguments

_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


@dataclass(frozen=True)
class MethodSpec:
    """What the reference says about one Web API method."""

    name: str
    http_method: str
    required: tuple[str, ...]
    properties: dict[str, dict[str, Any]]
    errors: frozenset[str]
    rate_tier: str
    json_input: bool
    raw: dict[str, Any] = field(repr=False, compare=False)


def _data(name: str) -> Any:
    return json.loads(resources.files("bot.slack.emulator").joinpath("contract", name).read_text("utf-8"))


@cache
def specs() -> dict[str, MethodSpec]:
    """All methods the emulator carries a contract for, by name."""
    result = {}
    for name in _data("index.json")["methods"]:
        raw = _data(f"methods/{name}.json")
        args = raw.get("args", {})
        result[name] = MethodSpec(
            name=name,
            http_method=raw.get("http_method", "POST"),
            required=tuple(args.get("required", [])),
            properties=args.get("properties", {}),
            errors=frozenset(raw.get("errors", {})),
            rate_tier=raw.get("rate_limits", ""),
            json_input=bool(raw.get("json_input_supported")),
            raw=raw,
        )
    return result


@cache
def common_errors() -> frozenset[str]:
    """Errors every method may return (not_authed, invalid_auth, ratelimited…)."""
    return frozenset(_data("common_errors.json")["errors"]) | {"invalid_auth", "invalid_arguments"}


@cache
def limits() -> dict[str, Any]:
    """Block Kit and argument limits: `limits()["blocks"]["header.text.max"]["v"] == 150`."""
    data: dict[str, Any] = _data("block_kit_limits.json")
    return data


def limit(section: str, key: str) -> Any:
    """One limit value from block_kit_limits.json."""
    return limits()[section][key]["v"]


def _type_problem(name: str, value: Any, prop: dict[str, Any]) -> str | None:
    """Why `value` does not fit the declared type, or None when it does (form values arrive as strings)."""
    declared = prop.get("type")
    if declared == "string" and not isinstance(value, str):
        return f"invalid type for field: {name}, expected string, found {type(value).__name__}"
    if declared == "boolean" and not (isinstance(value, bool) or str(value).lower() in _TRUE | _FALSE):
        return f"invalid type for field: {name}, expected boolean, found {value!r}"
    if declared == "integer" and not _is_integer(value):
        return f"invalid type for field: {name}, expected integer, found {value!r}"
    if declared == "number" and not _is_number(value):
        return f"invalid type for field: {name}, expected number, found {value!r}"
    if declared == "array" and not isinstance(_maybe_json(value), list):
        return f"invalid type for field: {name}, expected array"
    if declared == "object" and not isinstance(_maybe_json(value), dict):
        return f"invalid type for field: {name}, expected object"
    return None


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value.strip().lstrip("-").isdigit())


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def check_call(method: str, args: dict[str, Any]) -> MethodSpec:
    """Raise Slack's error when the call breaks the published contract; return the method's spec."""
    spec = specs().get(method)
    if spec is None:
        raise ApiError("unknown_method", req_method=method)
    problems = [
        f"missing required field: {name}"
        for name in spec.required
        if name != "token" and args.get(name) is None
    ]
    for name, value in args.items():
        prop = spec.properties.get(name)
        if prop is not None and value is not None and (problem := _type_problem(name, value, prop)):
            problems.append(problem)
    if problems:
        raise invalid_arguments(*problems)
    return spec


def as_bool(value: Any, default: bool = False) -> bool:
    """A Slack boolean argument ("true", "1", True…) as bool."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in _TRUE


def as_json(value: Any) -> Any:
    """A JSON-typed argument that may arrive as a string (form body) or as structure (JSON body)."""
    return _maybe_json(value)
