"""Block Kit for reminders (snooze / dismiss buttons), their outcome, and the directors' daily digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.cat.clocks import clocks, format_duration
from bot.cat.models import Cat, RedButtonRequest
from bot.scheduling.notices import Notice
from bot.scheduling.reminders import SNOOZE_CHOICES
from bot.slack.blocks import Block, clip, context, header, plain, section

ACTION_SNOOZE = "reminder_snooze"  # + "_<minutes>"
ACTION_DISMISS = "reminder_dismiss"
REMINDER_EVENT = "cat_reminder"
SNOOZE_LABELS = {30: "Snooze 30 min", 60: "Snooze 1 u", 120: "Snooze 2 u"}
KIND_ICONS = {"no_statement": "⏰", "gap_escalation": "⚠️", "follow_up_outcome": "📌",
              **{f"update_{a}": "📣" for a in ("press", "internal", "units", "leadership")}}


def snooze_action_id(minutes: int) -> str:
    return f"{ACTION_SNOOZE}_{minutes}"


def reminder_text(notice: Notice) -> str:
    """The notification text (and the fallback for clients without blocks)."""
    return f"{KIND_ICONS.get(notice.kind, '⏰')} {notice.cat_number} — {notice.title}"


def marker(notice: Notice) -> dict[str, Any]:
    """Message metadata naming the reminder and its round, so a repost after a crash can find the first."""
    return {"event_type": REMINDER_EVENT,
            "event_payload": {"reminder_id": notice.reminder_id, "round": notice.round}}


def reminder_blocks(notice: Notice) -> list[Block]:
    """The reminder in the CAT channel: what is due, with Snooze 30 min / 1 u / 2 u and Negeren."""
    blocks: list[Block] = [section(f"*{reminder_text(notice)}*\n{notice.text}")]
    if notice.actions:
        buttons = [{"type": "button", "action_id": snooze_action_id(m), "text": plain(SNOOZE_LABELS[m]),
                    "value": f"{notice.reminder_id}:{m}"} for m in SNOOZE_CHOICES]
        buttons.append({"type": "button", "action_id": ACTION_DISMISS, "text": plain("Negeren"),
                        "value": str(notice.reminder_id), "style": "danger"})
        blocks.append({"type": "actions", "block_id": f"reminder:{notice.reminder_id}:{notice.round}",
                       "elements": buttons})
    return blocks


def resolved_blocks(original: Sequence[Block], outcome: str) -> list[Block]:
    """The reminder after a button: the same text, the buttons replaced by what happened."""
    kept = [b for b in original if b.get("type") != "actions"]
    return [*kept, context(outcome)]


def _clock_lines(cat: Cat, now: datetime) -> str:
    parts = []
    for clock in clocks(cat):
        state = "loopt" if clock.running else "gestopt"
        parts.append(f"{clock.label}: {format_duration(clock.elapsed(now))} ({state})")
    return " · ".join(parts)


def digest_blocks(*, active: Sequence[tuple[Cat, str]], pending: Sequence[RedButtonRequest],
                  now: datetime) -> list[Block]:
    """The directors' daily digest: active CATs with their clocks and statement status, pending requests."""
    blocks: list[Block] = [header("Dagelijks overzicht CAT bot")]
    if active:
        for cat, statements in active[:20]:
            channel = f" in <#{cat.channel_id}>" if cat.channel_id else ""
            blocks.append(section(clip(f"*{cat.number}* {cat.title}{channel}\n{_clock_lines(cat, now)}\n"
                                       f"Normstelling: {statements}")))
        if len(active) > 20:
            blocks.append(context(f"…en nog {len(active) - 20} actieve CAT's (zie App Home)."))
    else:
        blocks.append(section("Geen actieve CAT's."))
    if pending:
        lines = [f"• {r.title} (aangevraagd {format_duration(now - r.created_at)} geleden, urgentie {r.urgency})"
                 for r in pending[:20]]
        blocks.append(section("*Verzoeken die op een besluit wachten*\n" + "\n".join(lines)))
    else:
        blocks.append(context("Geen verzoeken die op een besluit wachten."))
    return blocks


def digest_text(active: int, pending: int) -> str:
    return f"Dagelijks overzicht: {active} actieve CAT('s), {pending} verzoek(en) wachten op een besluit"
