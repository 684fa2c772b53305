"""Block Kit and mrkdwn as HTML, for the demo transcript and the emulator's page (read-only or clickable)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any


class Names:
    """Resolves user and channel ids to names for readable mentions."""

    def __init__(self, state: dict[str, Any]):
        self.users = {u["id"]: u.get("real_name") or u["name"] for u in state["users"]}
        self.channels = {c["id"]: c.get("name") or "DM" for c in state["channels"]}

    def user(self, user_id: str) -> str:
        return self.users.get(user_id, user_id)


def mrkdwn(text: str, names: Names) -> str:
    """Slack mrkdwn to HTML: mentions, links, bold, italics, code, quotes, line breaks."""
    out = html.escape(text, quote=False)
    out = re.sub(r"```(.*?)```", lambda m: f"<pre>{m.group(1)}</pre>", out, flags=re.S)
    out = re.sub(r"&lt;@([UW][A-Z0-9]+)(?:\|[^&]*)?&gt;", lambda m: f"<b>@{html.escape(names.user(m.group(1)))}</b>",
                 out)
    out = re.sub(r"&lt;#([CG][A-Z0-9]+)(?:\|[^&]*)?&gt;",
                 lambda m: f"<b>#{html.escape(names.channels.get(m.group(1), m.group(1)))}</b>", out)
    out = re.sub(r"&lt;(https?://[^|&]+)\|([^&]+)&gt;", r'<a href="\1">\2</a>', out)
    out = re.sub(r"&lt;(https?://[^&]+)&gt;", r'<a href="\1">\1</a>', out)
    out = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"<i>\1</i>", out)
    out = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", out)
    out = re.sub(r"^&gt;(.*)$", r"<blockquote>\1</blockquote>", out, flags=re.M)
    return out.replace("\n", "<br>")


def _text(obj: dict[str, Any] | None, names: Names) -> str:
    if not obj:
        return ""
    if obj.get("type") == "mrkdwn":
        return mrkdwn(str(obj.get("text", "")), names)
    return html.escape(str(obj.get("text", "")))


def _options(el: dict[str, Any]) -> list[dict[str, Any]]:
    return list(el.get("options") or []) + [o for g in el.get("option_groups") or [] for o in g.get("options", [])]


def _element(el: dict[str, Any], names: Names, state: dict[str, Any] | None = None, *, clickable: bool = False,
             block_id: str = "") -> str:
    kind = el.get("type")
    action = html.escape(str(el.get("action_id", "")))
    if kind == "button":
        label = _text(el.get("text"), names)
        if clickable:
            return f'<button class="btn {el.get("style", "")}" name="action" value="{action}">{label}</button>'
        return f'<span class="btn {el.get("style", "")}">{label}</span>'
    if kind in ("mrkdwn", "plain_text"):
        return _text(el, names)
    if clickable and kind in ("plain_text_input", "static_select", "multi_static_select", "checkboxes"):
        return _field(el, f"v:{block_id}:{el.get('action_id', '')}")
    chosen = (state or {}).get(el.get("action_id", ""), {})
    value = chosen.get("value") or ", ".join(o["text"]["text"] for o in chosen.get("selected_options", []) or []) \
        or (chosen.get("selected_option") or {}).get("text", {}).get("text") or ""
    if not value:
        initial = el.get("initial_options") or ([el["initial_option"]] if el.get("initial_option") else [])
        value = el.get("initial_value") or ", ".join(o["text"]["text"] for o in initial)
    return f'<div class="value">{html.escape(str(value)) or "&nbsp;"}</div>'


def _field(el: dict[str, Any], name: str) -> str:
    """A form control for an input element of a modal, named after its block and action ids."""
    kind, field = el["type"], html.escape(name)
    initial = {o.get("value") for o in el.get("initial_options") or []} | (
        {el["initial_option"].get("value")} if el.get("initial_option") else set())
    if kind == "plain_text_input":
        value = html.escape(str(el.get("initial_value", "")))
        if el.get("multiline"):
            return f'<textarea name="{field}" rows="4">{value}</textarea>'
        return f'<input type="text" name="{field}" value="{value}">'
    if kind == "checkboxes":
        return "".join(f'<label class="check"><input type="checkbox" name="{field}" value="{html.escape(o["value"])}"'
                       f'{" checked" if o.get("value") in initial else ""}> {html.escape(o["text"]["text"])}</label>'
                       for o in _options(el))
    multiple = " multiple" if kind == "multi_static_select" else ""
    blank = "" if multiple or initial else '<option value="">— kies —</option>'
    options = "".join(f'<option value="{html.escape(o["value"])}"{" selected" if o.get("value") in initial else ""}>'
                      f'{html.escape(o["text"]["text"])}</option>' for o in _options(el))
    return f'<select name="{field}"{multiple}>{blank}{options}</select>'


def render_blocks(blocks: Sequence[dict[str, Any]], names: Names, state: dict[str, Any] | None = None, *,
                  clickable: bool = False) -> str:
    """Block Kit as HTML: header, section (text, fields), context, actions, input, divider.

    `clickable` makes buttons submit their action id and inputs form fields (the emulator's page).
    """
    parts = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            parts.append(f'<div class="header">{_text(block.get("text"), names)}</div>')
        elif kind == "section":
            body = f"<div>{_text(block.get('text'), names)}</div>" if block.get("text") else ""
            if block.get("fields"):
                body += '<div class="fields">' + "".join(f"<div>{_text(f, names)}</div>"
                                                         for f in block["fields"]) + "</div>"
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "button":
                body += _element(accessory, names, clickable=clickable)
            parts.append(body)
        elif kind == "context":
            parts.append('<div class="context">' + " ".join(_element(e, names) for e in block["elements"]) + "</div>")
        elif kind == "actions":
            parts.append("<div>" + "".join(_element(e, names, clickable=clickable) for e in block["elements"])
                         + "</div>")
        elif kind == "input":
            bid = str(block.get("block_id", ""))
            values = (state or {}).get(bid, {})
            parts.append(f'<div class="input"><label>{_text(block.get("label"), names)}</label>'
                         f'{_element(block["element"], names, values, clickable=clickable, block_id=bid)}</div>')
        elif kind == "divider":
            parts.append("<hr>")
    return "\n".join(parts)



