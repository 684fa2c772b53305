"""Posting a pile-up signal's card: the chart uploaded, then the card with its buttons (used by the signal job)."""

from __future__ import annotations

from datetime import timedelta

from bot.slack.deps import Deps
from bot.slack.signal_blocks import signal_card, signal_title
from monitors.chart import signal_chart
from monitors.report import signal_details


def post_signal_card(deps: Deps, signal_id: int, channel: str) -> str:
    """Upload the chart (external upload flow) and post the card in the channel; returns the message ts.

    The signal is read in a short transaction; the upload and the post happen with none open.
    """
    with deps.container.transaction() as session:
        signal, incidents, rows = signal_details(session, signal_id)
        end = signal["window_end"].date()
        start = min([end - timedelta(days=6), *(r.first_seen.date() for r in rows)])
        png = signal_chart(rows, start=start, end=end, title=signal_title(signal).removeprefix("📈 "))
    chart_url = deps.gateway.upload(channel, filename=f"signaal-{signal_id}.png", content=png,
                                    title=f"Signaal {signal_id}: incidenten per eenheid per dag")
    _, ts = deps.gateway.post(channel, signal_title(signal), signal_card(signal, incidents, chart_url=chart_url))
    return ts
