"""The demo as one page that reads like Slack: everything in time order, per channel, with a per-person view."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.localtime import fmt, fmt_day
from bot.slack.emulator.render import Names, _text, mrkdwn, render_blocks

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
pre{background:#f6f6f6;padding:.5em;white-space:pre-wrap}
nav a{margin-right:1em}
.entry{display:grid;grid-template-columns:6.2em 1fr;gap:.2em .8em;margin:.5em 0}
.when{color:#616061;font-size:.85em;padding-top:.75em;font-variant-numeric:tabular-nums}
.where{display:inline-block;background:#f1e9f1;color:#4a154b;border-radius:4px;padding:0 .4em;margin-right:.4em}
.day{text-align:center;color:#616061;border-top:1px solid #e8e8e8;margin:1.4em 0 .4em;padding-top:.3em;font-weight:600}
.reaction{display:inline-block;border:1px solid #d0d0d0;border-radius:10px;padding:0 .5em;font-size:.85em}
.label{color:#616061;font-size:.85em} table{border-collapse:collapse;width:100%;font-size:.9em}
td,th{border-bottom:1px solid #e8e8e8;padding:.3em .4em;text-align:left;vertical-align:top}
.views>label{display:inline-block;margin-bottom:.6em;border:1px solid #bbb;border-radius:14px;
  padding:.15em .8em;margin-right:.3em;cursor:pointer}
.views>input{display:none} .views>input:checked+label{background:#4a154b;color:#fff;border-color:#4a154b}
.emoji{font-family:"Noto Color Emoji","Apple Color Emoji","Segoe UI Emoji",sans-serif}
.alt{color:#616061;font-size:.8em;margin:0 .25em}
"""


def _when(at: float) -> str:
    return fmt(datetime.fromtimestamp(at, UTC), seconds=True, with_date=False)


@dataclass(frozen=True)
class Entry:
    """One thing that happened, where, and who could see it (empty: everyone in the workspace)."""

    at: float
    where: str
    who: str
    body: str
    seen_by: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Modal:
    """A modal as a person saw it: when it opened, what it showed and what they filled in."""

    user: str
    at: float
    payload: dict[str, Any]
    values: dict[str, Any]


# Reactions by name, and the emoji the bot writes, each with words: the page reads without a colour-emoji font.
REACTION_EMOJI = {"pushpin": "📌", "eyes": "👀", "white_check_mark": "✅"}
EMOJI_WORDS = {"📌": "vastgepind", "✅": "akkoord", "🔴": "rode knop", "⚠️": "let op", "⏰": "herinnering",
               "🔕": "genegeerd", "📈": "signaal", "🟠": "oranje", "🔗": "link", "📣": "gepubliceerd", "💡": "tip",
               "👀": "gezien", "❌": "afgewezen", "☐": "open"}


def with_words(rendered: str) -> str:
    """Each known emoji in rendered HTML followed by its meaning in small type."""
    for emoji, words in EMOJI_WORDS.items():
        rendered = rendered.replace(emoji, f'<span class="emoji">{emoji}</span><span class="alt">({words})</span>')
    return rendered


def _reactions(msg: Mapping[str, Any], names: Names) -> str:
    out = []
    for name, users in (msg.get("reactions") or {}).items():
        by = ", ".join(names.user(u) for u in users)
        out.append(f'<span class="reaction">{REACTION_EMOJI.get(name, f":{name}:")} {len(users)} · '
                   f"{html.escape(by)}</span>")
    return " ".join(out)


def _files(msg: Mapping[str, Any], files: Mapping[str, tuple[str, str]]) -> str:
    out = []
    for file_id in msg.get("files") or []:
        name, href = files.get(file_id, (file_id, ""))
        link = f'<a href="{html.escape(href)}">{html.escape(name)}</a>' if href else html.escape(name)
        out.append(f'<div class="label">Bijlage: {link}</div>')
    return "".join(out)


def _message_body(msg: Mapping[str, Any], names: Names, files: Mapping[str, tuple[str, str]], pinned: bool) -> str:
    body = render_blocks(msg["blocks"], names) if msg.get("blocks") else mrkdwn(msg.get("text", ""), names)
    notes = []
    if pinned:
        notes.append("vastgepind in het kanaal")
    if msg.get("edits"):
        notes.append(f"{len(msg['edits'])}× bijgewerkt")
    extra = f'<div class="label">{" · ".join(notes)}</div>' if notes else ""
    return f"{body}{_files(msg, files)}{_reactions(msg, names)}{extra}"


def _channel_label(channel: Mapping[str, Any], names: Names, bot: str) -> str:
    if channel.get("is_im"):
        others = [names.user(m) for m in channel["members"] if m != bot] or ["de bot"]
        return f"DM · {', '.join(others)}"
    return f"#{channel['name']}" + (" (privé)" if channel.get("is_private") else "")


def entries(state: Mapping[str, Any], names: Names, modals: Sequence[Modal],
            files: Mapping[str, tuple[str, str]]) -> list[Entry]:
    """Every message, private reply, modal and App Home in the workspace, in time order."""
    pinned = {p.get("message", {}).get("ts") or p.get("ts") for pins in state["pins"].values() for p in pins}
    channels = {c["id"]: c for c in state["channels"]}
    bot = state["bot_user_id"]
    found: list[Entry] = []
    for channel_id, messages in state["messages"].items():
        channel = channels[channel_id]
        where, members = _channel_label(channel, names, bot), frozenset(channel["members"])
        for msg in messages:
            found.append(Entry(float(msg["ts"]), where, names.user(msg.get("user", "")),
                               _message_body(msg, names, files, msg["ts"] in pinned), members))
    for eph in state["ephemeral_messages"]:
        where = _channel_label(channels.get(eph["channel"], {"name": "?"}), names, bot)
        body = render_blocks(eph["blocks"], names) if eph.get("blocks") else mrkdwn(eph["text"], names)
        found.append(Entry(float(eph["ts"]), f"{where} · alleen zichtbaar voor {names.user(eph['user'])}",
                           names.user(bot), body, frozenset({eph["user"]})))
    for modal in modals:
        title = _text(modal.payload.get("title"), names)
        found.append(Entry(modal.at, f"venster · {names.user(modal.user)}", names.user(bot),
                           f'<div class="modal"><div class="header">Venster: {title}</div>'
                           f'{render_blocks(modal.payload.get("blocks", []), names, modal.values)}</div>',
                           frozenset({modal.user})))
    for home in (v for v in state["views"] if v["type"] == "home"):
        found.append(Entry(_home_time(state, home), f"App Home · {names.user(home['user_id'])}",
                           names.user(bot), f'<div class="modal"><div class="header">App Home</div>'
                           f'{render_blocks(home["payload"].get("blocks", []), names)}</div>',
                           frozenset({home["user_id"]})))
    return sorted((Entry(e.at, e.where, e.who, with_words(e.body), e.seen_by) for e in found), key=lambda e: e.at)


def _home_time(state: Mapping[str, Any], home: Mapping[str, Any]) -> float:
    """App Home views carry no time of their own: the newest message time stands in (it was opened last)."""
    times = [float(m["ts"]) for ms in state["messages"].values() for m in ms]
    return max(times, default=0.0) + 1


def modals_seen(state: dict[str, Any], calls: Sequence[dict[str, Any]], trigger_users: dict[str, str]
                ) -> list[Modal]:
    """Each modal as it was opened (with what the person filled in), then the view that replaced it, if any.

    Every successful views.open made exactly one view, so a person's opens and views pair up in order.
    """
    remaining: dict[str, list[dict[str, Any]]] = {}
    for view in state["views"]:
        if view["type"] == "modal" and view["id"] == view["root_view_id"]:
            remaining.setdefault(view["user_id"], []).append(view)
    seen: list[Modal] = []
    for call in calls:
        if call["method"] != "views.open" or not call["ok"]:
            continue
        user = trigger_users.get(call["args"].get("trigger_id", ""), "")
        opened = call["args"]["view"]
        opened = json.loads(opened) if isinstance(opened, str) else opened
        final = remaining.get(user, []).pop(0) if remaining.get(user) else None
        at = float(call.get("time") or 0)
        seen.append(Modal(user, at, opened, dict(final["state"].get("values", {})) if final else {}))
        if final and final["payload"].get("title") != opened.get("title"):
            seen.append(Modal(user, at + 0.001, final["payload"], {}))
    return seen


def _timeline(number: str, events: Sequence[Mapping[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{e['seq']}</td><td>{html.escape(fmt(datetime.fromisoformat(e['occurred_at']), seconds=True))}</td>"
        f"<td>{html.escape(fmt(datetime.fromisoformat(e['recorded_at']), seconds=True))}</td>"
        f"<td>{html.escape(e['label'])}</td><td>{html.escape(e['actor'] or 'CAT bot')}</td>"
        f"<td>{html.escape(e['text'] or '')}</td></tr>"
        for e in events)
    return (f'<h2 id="tijdlijn">Tijdlijn {html.escape(number)}</h2><p class="label">Oorspronkelijk tijdstip en '
            "vastgelegd tijdstip, in Nederlandse tijd; de tijdlijn is alleen aan te vullen, nooit te wijzigen.</p>"
            "<table><tr><th>#</th><th>tijdstip</th><th>vastgelegd</th><th>soort</th><th>wie</th><th>wat</th></tr>"
            f"{rows}</table>")


def _channels(state: Mapping[str, Any], names: Names, files: Mapping[str, tuple[str, str]]) -> str:
    out = ["<h2>Kanalen</h2><ul>"]
    by_link = {href_key: href for href_key, (_, href) in files.items()}
    for channel in (c for c in state["channels"] if not c.get("is_im")):
        members = ", ".join(names.user(m) for m in channel["members"])
        marks = []
        for b in state["bookmarks"].get(channel["id"], []):
            local = next((href for key, href in by_link.items() if f"/{key}/" in b["link"]), b["link"])
            marks.append(f'<a href="{html.escape(local)}">{html.escape(b["title"])}</a>')
        out.append(f"<li><b>{html.escape(_channel_label(channel, names, state['bot_user_id']))}</b>"
                   f"<div class='label'>Onderwerp: {html.escape(channel['topic'].get('value', '')) or '—'}</div>"
                   f"<div class='label'>Leden: {html.escape(members)}</div>"
                   + (f"<div class='label'>Bladwijzers: {' · '.join(marks)}</div>" if marks else "") + "</li>")
    out.append("</ul>")
    return "".join(out)


def render_transcript(state: dict[str, Any], *, title: str, people: Sequence[str], narration: Sequence[str],
                      modals: Sequence[Modal] = (), files: Mapping[str, tuple[str, str]] | None = None,
                      timeline: tuple[str, Sequence[Mapping[str, Any]]] | None = None) -> str:
    """One page: the story, the channels, then everything in time order (filter per person), then the timeline.

    `files` maps a Slack file id to (name, local href); `timeline` is (CAT number, exported events with a label).
    """
    names, files = Names(state), files or {}
    views = ['<input type="radio" name="view" id="v-all" checked><label for="v-all">Iedereen</label>']
    views += [f'<input type="radio" name="view" id="v-{u}"><label for="v-{u}">Wat {html.escape(names.user(u))} '
              "zag</label>" for u in people]
    # Without script: a checked person hides every entry that person could not see.
    style = "".join(f"#v-{u}:checked~main .entry:not(.s-{u}){{display:none}}" for u in people)
    out = [f"<!doctype html><html lang='nl'><meta charset='utf-8'><title>{html.escape(title)}</title>",
           f"<style>{STYLE}{style}</style><h1>{html.escape(title)}</h1><h2>Het verhaal</h2><ol>"]
    out += [f"<li>{with_words(html.escape(line))}</li>" for line in narration]
    out.append("</ol>" + _channels(state, names, files))
    out.append('<h2>Wat er gebeurde, in volgorde</h2><p class="label">Alle tijden in Nederlandse tijd. '
               f'<a href="#tijdlijn">Naar de tijdlijn</a></p><div class="views">{"".join(views)}<main>')
    day = ""
    for entry in entries(state, names, modals, files):
        if fmt_day(datetime.fromtimestamp(entry.at, UTC)) != day:
            day = fmt_day(datetime.fromtimestamp(entry.at, UTC))
            out.append(f'<div class="day">{day}</div>')
        seen = " ".join(f"s-{u}" for u in (entry.seen_by or people))
        out.append(f'<div class="entry {seen}"><div class="when">{_when(entry.at)}</div><div class="msg">'
                   f'<div class="meta"><span class="where">{html.escape(entry.where)}</span>'
                   f"<b>{html.escape(entry.who)}</b></div>{entry.body}</div></div>")
    out.append("</main></div>")
    if timeline:
        out.append(_timeline(*timeline))
    out.append("</html>")
    return "\n".join(out)
