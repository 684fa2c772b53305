"""Incident-level units: an article that names no place takes the unit its incident's other articles name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from monitors.models import Article, Incident

INHERITED_CONFIDENCE = 0.5


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


def inherit_incident_unit(article: Article, incident: Incident) -> bool:
    """Give an article without unit evidence its incident's unit, when the incident names exactly one; says why."""
    if article.units or len(incident.units) != 1:
        return False
    unit = incident.units[0]
    article.units = [unit]
    article.place_confidence = INHERITED_CONFIDENCE
    places = dict(article.places or {})
    places["units"] = [unit]
    places["confidence"] = INHERITED_CONFIDENCE
    places["explanation"] = f"eenheid van het incident ({unit}): andere berichten over hetzelfde voorval noemen die"
    article.places = places
    return True
