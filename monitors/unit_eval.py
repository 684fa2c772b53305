"""Unit accuracy on the real-reporting corpus (per unit; all, regional and knowable items)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from monitors.corpus import CorpusItem
from monitors.incident_units import share_incident_units
from monitors.places import find_places

NATIONAL = {"LX": "landelijk", "LO": "landelijk"}
REGIONAL = tuple(f"RE{n:02d}" for n in range(1, 11))


def predict_units(items: Sequence[CorpusItem]) -> dict[str, str]:
    """Item id → predicted unit label (RE01…RE10, landelijk, KMar, onbekend), sharing within gold incidents."""
    results = {i.id: find_places(i.title, i.description, link=i.link, published=i.published) for i in items}
    units = {k: r.units for k, r in results.items()}
    conf = {k: r.confidence for k, r in results.items()}
    shared = share_incident_units(units, conf, {i.id: i.incident for i in items})
    labels = {}
    for key, (found, _) in shared.items():
        if results[key].kmar:  # the Marechaussee acts: a KMar story wherever it happens
            labels[key] = "KMar"
        else:
            labels[key] = NATIONAL.get(found[0], found[0]) if found else "onbekend"
    return labels


def unit_accuracy(
    items: Sequence[CorpusItem], predict: Callable[[Sequence[CorpusItem]], Mapping[str, str]] = predict_units
) -> dict[str, dict[str, float]]:
    """Accuracy per gold unit and overall: 'all' police items, 'regional' (RE01–RE10), 'knowable' (evidence ≠ none)."""
    police = [i for i in items if i.unit is not None]
    predicted = predict(police)
    groups: dict[str, list[CorpusItem]] = defaultdict(list)
    for item in police:
        groups[item.unit or ""].append(item)
        groups["all"].append(item)
        if item.unit in REGIONAL:
            groups["regional"].append(item)
        if item.unit_evidence in ("text", "link", "incident"):
            groups["knowable"].append(item)
            if item.unit in REGIONAL:
                groups["regional_knowable"].append(item)
    return {
        name: {"n": float(len(group)), "accuracy": sum(predicted[i.id] == i.unit for i in group) / len(group)}
        for name, group in sorted(groups.items())
    }
