"""The Dutch explanations of pile-up signals, and the trust building block the categories share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from monitors.models import Incident
from playbooks.loader import load_playbooks
from playbooks.vocabulary import Category, units

if TYPE_CHECKING:
    from monitors.pileup import PileupConfig

_LEVEL = {"hoog": 3, "gemiddeld": 2, "laag": 1}
MAX_LISTED = 4


def unit_names(codes: Sequence[str]) -> str:
    """Unit codes as their Dutch names, joined."""
    known = units()
    return _join([known[c].name if c in known else c for c in codes])


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} en {items[-1]}"


def _listed(incidents: Sequence[Incident]) -> str:
    shown = sorted(incidents, key=lambda i: i.first_seen)[:MAX_LISTED]
    parts = [f"‘{i.label}’ ({unit_names(i.units) if i.units else 'eenheid onbekend'}"
             f"{': ' + ', '.join(i.places[:3]) if i.places else ''})" for i in shown]
    more = len(incidents) - len(shown)
    return "; ".join(parts) + (f"; en {more} meer" if more > 0 else "")


def shared_trust_block(categories: Sequence[str]) -> str | None:
    """The building block every category's playbook rates highest together (max of the minimum 'mate')."""
    playbooks = load_playbooks()
    levels: dict[str, list[int]] = {}
    for code in categories:
        playbook = playbooks.get(Category(code))
        if playbook is None:
            continue
        for block in playbook.bouwstenen:
            levels.setdefault(block.bouwsteen.value, []).append(_LEVEL[block.mate])
    complete = {b: v for b, v in levels.items() if len(v) == len(categories)}
    if not complete:
        return None
    best = max(complete, key=lambda b: (min(complete[b]), sum(complete[b])))
    return best if min(complete[best]) >= _LEVEL["gemiddeld"] else None


def _baseline(baseline: float, c: PileupConfig) -> str:
    level = f"{baseline:.1f}".replace(".", ",")
    return f"normaal {level} per {int(c.window_days)} dagen (gemiddelde over de {c.baseline_weeks} weken ervoor)"


def category_reason(
    category: Category, incidents: Sequence[Incident], unit_codes: Sequence[str], baseline: float, c: PileupConfig
) -> str:
    """Why a per-category signal fired."""
    return (
        f"{len(incidents)} incidenten over {category.label} in {len(unit_codes)} eenheden "
        f"({unit_names(unit_codes)}) binnen {int(c.window_days)} dagen; {_baseline(baseline, c)}. "
        f"Incidenten: {_listed(incidents)}."
    )


def cross_reason(
    incidents: Sequence[Incident], unit_codes: Sequence[str], categories: Sequence[str], block: str | None,
    baseline: float, c: PileupConfig,
) -> str:
    """Why a cross-category signal fired, naming the shared building block of trust."""
    labels = _join([Category(x).label for x in categories])
    shared = (
        f" Ze raken dezelfde bouwsteen van vertrouwen: {block}."
        if block else " De playbooks noemen geen gedeelde bouwsteen van vertrouwen."
    )
    return (
        f"{len(incidents)} incidenten met een moreel issue in {len(unit_codes)} eenheden "
        f"({unit_names(unit_codes)}) binnen {int(c.window_days)} dagen, in verschillende categorieën ({labels}); "
        f"de buitenwereld telt ze bij elkaar op.{shared} {_baseline(baseline, c).capitalize()}. "
        f"Incidenten: {_listed(incidents)}."
    )


def surge_reason(incident: Incident, sources: Sequence[str], c: PileupConfig) -> str:
    """Why a surge signal fired."""
    return (
        f"{len(sources)} media berichten binnen {int(c.surge_hours)} uur over ‘{incident.label}’ "
        f"({unit_names(incident.units) if incident.units else 'eenheid onbekend'}): {_join(list(sources))}."
    )
