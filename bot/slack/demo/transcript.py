"""Render what each person saw in the emulated workspace as one readable HTML page (Block Kit included)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.localtime import fmt

STYLE = """
body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;color:#1d1c1d;line-height:1.45}
h1{font-size:1.6em} h2{border-bottom:2px solid #e8e8e8;padding-bottom:.2em;margin-top:2em}
.msg{border:1px solid #e8e8e8;border-radius:8px;padding:.6em .9em;margin:.6em 0;background:#fff}
.meta{color:#616061;font-size:.85em} .eph{background:#f8f8ff;border-style:dashed}
.modal{border:2px solid #4a154b;border-radius:10px;padding:.8em 1em;margin:.8em 0;background:#fcf8fc}
.header{font-weight:700;font-size:1.15em} .context{color:#616061;font-size:.88em}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:.3em 1em}
.btn{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:.15em .7em;margin-right:.4em}
.primary{background:#007a5a;color:#fff;border-color:#007a5a} .danger{background:#e01e5a;color:#fff}
.input label{font-weight:600;display:block} .input .value{border:1px solid #ccc;border-radius:4px;padding:.2em .4em}
pre{background:#f6f6f6;padding:.5em;white-space:pre-wrap} .pin{color:#e01e5a}
nav a{margin-right:1em}
"""


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


def _element(el: dict[str, Any], names: Names, state: dict[str, Any] | None = None) -> str:
    kind = el.get("type")
    if kind == "button":
        return f'<span class="btn {el.get("style", "")}">{_text(el.get("text"), names)}</span>'
    if kind in ("mrkdwn", "plain_text"):
        return _text(el, names)
    chosen = (state or {}).get(el.get("action_id", ""), {})
    value = chosen.get("value") or ", ".join(o["text"]["text"] for o in chosen.get("selected_options", []) or []) \
        or (chosen.get("selected_option") or {}).get("text", {}).get("text") or ""
    if not value:
        initial = el.get("initial_options") or ([el["initial_option"]] if el.get("initial_option") else [])
        value = el.get("initial_value") or ", ".join(o["text"]["text"] for o in initial)
    return f'<div class="value">{html.escape(str(value)) or "&nbsp;"}</div>'


def render_blocks(blocks: Sequence[dict[str, Any]], names: Names, state: dict[str, Any] | None = None) -> str:
    """Block Kit as HTML: header, section (text, fields), context, actions, input, divider."""
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
            parts.append(body)
        elif kind == "context":
            parts.append('<div class="context">' + " ".join(_element(e, names) for e in block["elements"]) + "</div>")
        elif kind == "actions":
            parts.append("<div>" + "".join(_element(e, names) for e in block["elements"]) + "</div>")
        elif kind == "input":
            values = (state or {}).get(block.get("block_id", ""), {})
            parts.append(f'<div class="input"><label>{_text(block.get("label"), names)}</label>'
                         f'{_element(block["element"], names, values)}</div>')
        elif kind == "divider":
            parts.append("<hr>")
    return "\n".join(parts)


def _when(ts: str) -> str:
    return fmt(datetime.fromtimestamp(float(ts), UTC), seconds=True, with_date=False)


def _message(msg: dict[str, Any], names: Names, pinned: set[str], css: str = "msg") -> str:
    who = names.user(msg.get("user", ""))
    pin = ' <span class="pin">📌 vastgepind</span>' if msg["ts"] in pinned else ""
    edited = f" · {len(msg.get('edits') or [])}× bijgewerkt" if msg.get("edits") else ""
    reactions = " ".join(f":{name}: {len(users)}" for name, users in (msg.get("reactions") or {}).items())
    body = render_blocks(msg["blocks"], names) if msg.get("blocks") else mrkdwn(msg.get("text", ""), names)
    files = "".join(f"<div>📎 bestand {html.escape(f)}</div>" for f in msg.get("files") or [])
    return (f'<div class="{css}"><div class="meta"><b>{html.escape(who)}</b> {_when(msg["ts"])}{pin}{edited}'
            f" {reactions}</div>{body}{files}</div>")


def modals_seen(state: dict[str, Any], calls: Sequence[dict[str, Any]], trigger_users: dict[str, str]
                ) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Each modal as it was opened (with what the person filled in), then the view that replaced it, if any.

    Every successful views.open made exactly one view, so a person's opens and views pair up in order.
    """
    remaining: dict[str, list[dict[str, Any]]] = {}
    for view in state["views"]:
        if view["type"] == "modal" and view["id"] == view["root_view_id"]:
            remaining.setdefault(view["user_id"], []).append(view)
    seen: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for call in calls:
        if call["method"] != "views.open" or not call["ok"]:
            continue
        user = trigger_users.get(call["args"].get("trigger_id", ""), "")
        opened = call["args"]["view"]
        opened = json.loads(opened) if isinstance(opened, str) else opened
        final = remaining.get(user, []).pop(0) if remaining.get(user) else None
        seen.append((user, opened, dict(final["state"].get("values", {})) if final else {}))
        if final and final["payload"].get("title") != opened.get("title"):
            seen.append((user, final["payload"], {}))
    return seen


def render_transcript(state: dict[str, Any], *, title: str, people: Sequence[str], narration: Sequence[str],
                      modals: Sequence[tuple[str, dict[str, Any], dict[str, Any]]] = ()) -> str:
    """One page: the story, then per person their modals, DMs and private replies, then every channel."""
    names = Names(state)
    pinned = {p.get("message", {}).get("ts") or p.get("ts") for pins in state["pins"].values() for p in pins}
    channels = {c["id"]: c for c in state["channels"]}
    out = [f"<!doctype html><html lang='nl'><meta charset='utf-8'><title>{html.escape(title)}</title>",
           f"<style>{STYLE}</style><h1>{html.escape(title)}</h1><h2>Het verhaal</h2><ol>"]
    out += [f"<li>{html.escape(line)}</li>" for line in narration]
    out.append("</ol><nav>" + "".join(f'<a href="#u-{u}">{html.escape(names.user(u))}</a>' for u in people) + "</nav>")
    for user in people:
        out.append(f'<h2 id="u-{user}">Wat {html.escape(names.user(user))} zag</h2>')
        for _, payload, values in (m for m in modals if m[0] == user):
            out.append(f'<div class="modal"><div class="header">Venster: {_text(payload.get("title"), names)}</div>'
                       f'{render_blocks(payload.get("blocks", []), names, values)}</div>')
        for home in (v for v in state["views"] if v["user_id"] == user and v["type"] == "home"):
            out.append(f'<div class="modal"><div class="header">App Home</div>'
                       f'{render_blocks(home["payload"].get("blocks", []), names)}</div>')
        for channel in (c for c in state["channels"] if c.get("is_im") and user in c["members"]):
            for msg in state["messages"].get(channel["id"], []):
                out.append(_message(msg, names, pinned))
        for eph in (e for e in state["ephemeral_messages"] if e["user"] == user):
            where = channels.get(eph["channel"], {}).get("name") or "DM"
            out.append(f'<div class="msg eph"><div class="meta">alleen zichtbaar voor u · #{html.escape(where)}</div>'
                       f'{render_blocks(eph["blocks"], names) if eph.get("blocks") else mrkdwn(eph["text"], names)}'
                       "</div>")
    for channel in (c for c in state["channels"] if not c.get("is_im")):
        lock = "🔒 " if channel.get("is_private") else ""
        members = ", ".join(names.user(m) for m in channel["members"])
        out.append(f"<h2>{lock}#{html.escape(channel['name'])}</h2><p class='meta'>Onderwerp: "
                   f"{html.escape(channel['topic'].get('value', ''))}<br>Leden: {html.escape(members)}</p>")
        bookmarks = state["bookmarks"].get(channel["id"], [])
        if bookmarks:
            out.append("<p>" + " ".join(f'🔖 <a href="{html.escape(b["link"])}">{html.escape(b["title"])}</a>'
                                        for b in bookmarks) + "</p>")
        out += [_message(m, names, pinned) for m in state["messages"].get(channel["id"], [])]
    out.append("</html>")
    return "\n".join(out)
