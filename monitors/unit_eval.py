"""Incident-level unit sharing and unit accuracy on the real-reporting corpus."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from monitors.corpus import CorpusItem
from monitors.places import find_places

NATIONAL = {"LX": "landelijk", "LO": "landelijk"}
REGIONAL = tuple(f"RE{n:02d}" for n in range(1, 11))


def share_incident_units(
    units: Mapping[str, tuple[str, ...]], confidence: Mapping[str, float], incident_of: Mapping[str, str]
) -> dict[str, tuple[tuple[str, ...], float]]:
    """Articles without unit evidence take the best-supported unit of their incident (at lower confidence)."""
    support: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for key, found in units.items():
        if found and key in incident_of:
            support[incident_of[key]][found[0]] += confidence.get(key, 0.0)
    shared = {}
    for key, found in units.items():
        votes = support.get(incident_of.get(key, ""), {})
        if found or not votes:
            shared[key] = (found, confidence.get(key, 0.0))
        else:
            best = max(votes, key=lambda u: (votes[u], u))
            shared[key] = ((best,), round(0.8 * min(1.0, votes[best]), 2))
    return shared


def predict_units(items: Sequence[CorpusItem]) -> dict[str, str]:
    """Item id → predicted unit label (RE01…RE10, landelijk, KMar, onbekend), sharing within gold incidents."""
    results = {i.id: find_places(i.title, i.description, link=i.link, published=i.published) for i in items}
    units = {k: r.units for k, r in results.items()}
    conf = {k: r.confidence for k, r in results.items()}
    shared = share_incident_units(units, conf, {i.id: i.incident for i in items})
    labels = {}
    for key, (found, _) in shared.items():
        if results[key].kmar and not any(u.startswith("RE") for u in found):
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
