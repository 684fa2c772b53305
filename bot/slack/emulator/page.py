"""The emulator's page: act as any person of the emulated workspace — channels, messages, buttons, modals.

Served at http://127.0.0.1:<port>/ by `catbot slack-emulator`; what a person does there is delivered to the bot
as Slack would (signed commands, interactions and events), so nobody has to sign a request by hand.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from bot.slack.emulator.render import Names, _text, mrkdwn, render_blocks

if TYPE_CHECKING:
    from bot.slack.emulator.server import Emulator

PAGE = "/_emulator/ui"
STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#1d1c1d} a{color:#1264a3}
header{background:#3f0e40;color:#fff;padding:.5em 1em;display:flex;gap:1em;align-items:center}
header select{font-size:1em} .wrap{display:grid;grid-template-columns:16em 1fr;min-height:90vh}
nav{background:#f8f8f8;border-right:1px solid #ddd;padding:.8em} nav a{display:block;padding:.2em 0}
nav a.on{font-weight:700} main{padding:1em;max-width:900px}
.msg{border-bottom:1px solid #eee;padding:.5em 0} .meta{color:#616061;font-size:.85em}
.eph{background:#f8f8ff} .btn{margin-right:.4em;border:1px solid #bbb;border-radius:4px;background:#fff;
padding:.2em .7em;cursor:pointer} .primary{background:#007a5a;color:#fff} .danger{background:#e01e5a;color:#fff}
.header{font-weight:700} .context{color:#616061;font-size:.88em} .fields{display:grid;grid-template-columns:1fr 1fr}
.modal{position:fixed;inset:5% 20%;background:#fff;border:2px solid #4a154b;border-radius:10px;padding:1em;
overflow:auto;box-shadow:0 0 0 100vmax rgba(0,0,0,.35)} .input{margin:.5em 0} .input label{font-weight:600;
display:block} input[type=text],textarea,select{width:100%;box-sizing:border-box} .notice{color:#e01e5a}
.compose{display:flex;gap:.5em;margin-top:1em} .compose input{flex:1} pre{white-space:pre-wrap;background:#f6f6f6}
.check{display:block}
"""
# Reload when the workspace changed, unless the person is typing.
# `seen` starts at the version the page was rendered from: a change between rendering and the first poll
# (the bot opening a modal right after its ack) must reload the page too.
SCRIPT = """
let seen = VERSION;
setInterval(async () => {
  const now = await (await fetch('PAGE/version')).text();
  if (seen !== null && now !== seen && document.activeElement === document.body) location.reload();
  seen = now;
}, 1000);
""".replace("PAGE", PAGE)


def link(user: str, channel: str = "", notice: str = "") -> str:
    """The page's address for a person (and an open channel, and a line to show)."""
    query = {"as": user, "ch": channel} | ({"notice": notice} if notice else {})
    return f"{PAGE}?{urlencode(query)}"


def _people(state: Mapping[str, Any]) -> list[dict[str, Any]]:
    return sorted((u for u in state["users"] if not u.get("is_bot") and u["id"] != state["bot_user_id"]),
                  key=lambda u: u.get("real_name") or u["name"])


def _channel_name(channel: Mapping[str, Any], names: Names, me: str) -> str:
    if channel.get("is_im"):
        return "DM · " + (", ".join(names.user(m) for m in channel["members"] if m != me) or names.user(me))
    return ("🔒 " if channel.get("is_private") else "# ") + str(channel["name"])


def _hidden(**fields: str) -> str:
    return "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in fields.items())


def _messages(state: Mapping[str, Any], names: Names, user: str, channel: str) -> str:
    shown = [(m, False) for m in state["messages"].get(channel, [])]
    shown += [(e, True) for e in state["ephemeral_messages"] if e["channel"] == channel and e["user"] == user]
    out = []
    for msg, private in sorted(shown, key=lambda item: float(item[0]["ts"])):
        body = render_blocks(msg["blocks"], names, clickable=True) if msg.get("blocks") else \
            mrkdwn(msg.get("text", ""), names)
        who = "alleen zichtbaar voor jou" if private else names.user(msg.get("user", ""))
        reactions = " ".join(f":{name}: {len(users)}" for name, users in (msg.get("reactions") or {}).items())
        pin = "" if private else '<button class="btn" name="do" value="pin">📌 op de tijdlijn</button>'
        out.append(f'<form method="post" action="{PAGE}" class="msg{" eph" if private else ""}">'
                   f'{_hidden(**{"as": user, "ch": channel, "ts": msg["ts"]})}'
                   f'<div class="meta"><b>{html.escape(who)}</b> {html.escape(reactions)} {pin}</div>{body}</form>')
    return "".join(out) or "<p class='meta'>Nog geen berichten.</p>"


def _modal(state: Mapping[str, Any], names: Names, user: str, channel: str) -> str:
    stack = state["view_stacks"].get(user) or []
    view = next((v for v in state["views"] if stack and v["id"] == stack[-1] and not v["closed"]), None)
    if view is None:
        return ""
    payload = view["payload"]
    errors = "".join(f'<p class="notice">{html.escape(m)}</p>' for m in (view.get("errors") or {}).values())
    submit = _text(payload.get("submit"), names) or "Versturen"
    return (f'<form method="post" action="{PAGE}" class="modal">{_hidden(**{"as": user, "ch": channel})}'
            f'{_hidden(view=view["id"])}<h2>{_text(payload.get("title"), names)}</h2>{errors}'
            f'{render_blocks(payload.get("blocks", []), names, clickable=True)}'
            f'<p><button class="btn primary" name="do" value="submit">{submit}</button>'
            f'<button class="btn" name="do" value="cancel">Annuleren</button></p></form>')


def _home(state: Mapping[str, Any], names: Names, user: str) -> str:
    home = next((v for v in state["views"] if v["type"] == "home" and v["user_id"] == user), None)
    if home is None:
        return "<p class='meta'>App Home is nog niet geopend.</p>"
    return (f'<form method="post" action="{PAGE}">{_hidden(**{"as": user, "ch": "", "view": home["id"]})}'
            f'{render_blocks(home["payload"].get("blocks", []), names, clickable=True)}</form>')


def render_page(state: Mapping[str, Any], *, user: str, channel: str, notice: str = "",
                version: str | None = None) -> str:
    """The workspace as `user` sees it, with `channel` open (or App Home when empty); `version` is the state's."""
    names = Names(dict(state))
    people = _people(state)
    user = user if any(p["id"] == user for p in people) else (people[0]["id"] if people else "")
    mine = [c for c in state["channels"] if user in c["members"] and not c.get("is_archived")]
    choose = "".join(f'<option value="{p["id"]}"{" selected" if p["id"] == user else ""}>'
                     f'{html.escape(p.get("real_name") or p["name"])}</option>' for p in people)
    nav = [f'<a href="{link(user)}" class="{"on" if not channel else ""}">App Home</a>']
    nav += [f'<a href="{link(user, c["id"])}" class="{"on" if c["id"] == channel else ""}">'
            f'{html.escape(_channel_name(c, names, user))}</a>' for c in mine]
    if channel:
        current = next((c for c in state["channels"] if c["id"] == channel), None)
        title = _channel_name(current, names, user) if current else "?"
        body = (f"<h2>{html.escape(title)}</h2>{_messages(state, names, user, channel)}"
                f'<form method="post" action="{PAGE}" class="compose">{_hidden(**{"as": user, "ch": channel})}'
                '<input type="text" name="text" placeholder="Bericht, of een commando als /rodeknop of /cat status" '
                'autocomplete="off"><button class="btn primary" name="do" value="send">Versturen</button></form>')
    else:
        body = f"<h2>App Home</h2>{_home(state, names, user)}"
    shortcuts = (f'<form method="post" action="{PAGE}" style="display:inline">{_hidden(**{"as": user, "ch": channel})}'
                 '<button class="btn" name="do" value="shortcut">Rode knop aanvragen</button>'
                 '<button class="btn" name="do" value="home">App Home openen</button></form>')
    notice_html = f'<p class="notice">{html.escape(notice)}</p>' if notice else ""
    return (f"<!doctype html><html lang='nl'><meta charset='utf-8'><title>Slack-emulator</title>"
            f"<style>{STYLE}</style><header><b>Slack-emulator</b><form method='get' action='{PAGE}'>Je bent: "
            f"<select name='as' onchange='this.form.submit()'>{choose}</select></form>{shortcuts}</header>"
            f"<div class='wrap'><nav>{''.join(nav)}</nav><main>{notice_html}{body}"
            f"{_modal(state, names, user, channel)}</main></div>"
            f"<script>{SCRIPT.replace('VERSION', json.dumps(version))}</script></html>")


def act(emulator: Emulator, form: Mapping[str, list[str]]) -> str:
    """Do what the person asked on the page, delivered to the bot as Slack would; returns where to go next."""
    first = {k: v[0] for k, v in form.items() if v}
    user, channel = first.get("as", ""), first.get("ch", "")
    what = first.get("do") or ("click" if "action" in first else "")  # a Block Kit button sends its action id
    slack = emulator.deliverer(emulator.bot_url) if emulator.bot_url else None
    if slack is None:
        return link(user, channel, "Geen bot gekoppeld: start de emulator met --bot-url.")
    if what == "send":
        text = first.get("text", "").strip()
        if text.startswith("/"):
            command, _, rest = text.partition(" ")
            slack.slash_command(command, rest, user=user, channel=channel)
        elif text:
            slack.message(channel, user, text)
    elif what == "pin":
        slack.reaction_added(channel, first["ts"], user, "pushpin")
    elif what == "click":
        if "view" in first:
            slack.block_actions(first["action"], user=user, view_id=first["view"])
        else:
            slack.block_actions(first["action"], user=user, channel=channel, message_ts=first["ts"])
    elif what == "submit":
        values: dict[str, dict[str, Any]] = {}
        for key, picked in form.items():
            if key.startswith("v:"):
                _, block_id, action_id = key.split(":", 2)
                value: Any = picked if len(picked) > 1 or _is_multi(emulator, first["view"], action_id) else picked[0]
                if value not in ("", []):
                    values.setdefault(block_id, {})[action_id] = value
        slack.view_submission(first["view"], user=user, values=values)
    elif what == "cancel":
        slack.view_closed(first["view"], user=user)
    elif what == "shortcut":
        slack.shortcut("rode_knop", user=user)
    elif what == "home":
        slack.app_home_opened(user)
        return link(user)
    return link(user, channel)


def _is_multi(emulator: Emulator, view_id: str, action_id: str) -> bool:
    view = emulator.ws.views[view_id]
    for block in view.payload.get("blocks", []):
        element = block.get("element") or {}
        if element.get("action_id") == action_id:
            return element.get("type") in ("multi_static_select", "checkboxes")
    return False
