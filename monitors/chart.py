"""The signal chart: a signal's incidents per unit per day, as PNG bytes (matplotlib, Agg backend)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from monitors.models import Incident
from monitors.pileup_text import unit_names


def incidents_per_unit_per_day(incidents: Sequence[Incident], start: date, end: date) -> dict[str, list[int]]:
    """Unit code → incident count per day from start to end (an incident counts on each day it was in the news)."""
    days = (end - start).days + 1
    counts: dict[str, Counter[int]] = {}
    for incident in incidents:
        first = max(incident.first_seen.date(), start)
        last = min(incident.last_seen.date(), end)
        for unit in incident.units or ["?"]:
            for offset in range((last - first).days + 1):
                counts.setdefault(unit, Counter())[(first - start).days + offset] += 1
    return {unit: [counts[unit][d] for d in range(days)] for unit in sorted(counts)}


def signal_chart(incidents: Sequence[Incident], *, start: date, end: date, title: str) -> bytes:
    """A stacked bar chart of incidents per unit per day, with Dutch labels; PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    series = incidents_per_unit_per_day(incidents, start, end)
    days = [start + timedelta(days=d) for d in range((end - start).days + 1)]
    figure, axes = plt.subplots(figsize=(7, 3.2), dpi=100)
    try:
        bottom = [0] * len(days)
        for unit, values in series.items():
            label = unit_names([unit]) if unit != "?" else "eenheid onbekend"
            axes.bar(range(len(days)), values, bottom=bottom, label=label)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        axes.set_xticks(range(len(days)), [f"{d:%d-%m}" for d in days], fontsize=8)
        axes.set_ylabel("incidenten")
        axes.set_title(title, fontsize=10)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        if series:
            axes.legend(fontsize=8, loc="upper left")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
