"""Incident-level units: an article that names no place takes the unit its incident's other articles name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from monitors.models import Article, Incident

INHERITED_CONFIDENCE = 0.5
WEAK = 0.65  # below this (an outlet's region alone), the incident's other articles may outvote an article


def share_incident_units(
    units: Mapping[str, tuple[str, ...]], confidence: Mapping[str, float], incident_of: Mapping[str, str]
) -> dict[str, tuple[tuple[str, ...], float]]:
    """Articles without (or with only weak) unit evidence take the best-supported unit of their incident's other
    articles, when that support is stronger than their own (at lower confidence)."""
    support: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for key, found in units.items():
        if found and key in incident_of:
            support[incident_of[key]][found[0]] += confidence.get(key, 0.0)
    shared = {}
    for key, found in units.items():
        own = confidence.get(key, 0.0)
        votes = dict(support.get(incident_of.get(key, ""), {}))
        if found:
            votes[found[0]] -= own
        votes = {u: v for u, v in votes.items() if v > 0}
        if not votes or (found and (own >= WEAK or max(votes.values()) <= own)):
            shared[key] = (found, own)
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
