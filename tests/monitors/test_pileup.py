"""Pile-up rules on stored incidents without a model: units, baseline, cool-down, no repeat, trust block."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from monitors.models import Incident
from monitors.pileup import PileupConfig, SignalError, SignalKind, detect_pileups, set_status
from monitors.pileup_text import shared_trust_block
from tests.monitors.conftest import NOW


def _incident(session: Session, days_ago: float, unit: str, *categories: str, label: str = "") -> Incident:
    when = NOW - timedelta(days=days_ago)
    incident = Incident(
        label=label or f"{'/'.join(categories) or 'nieuws'} in {unit}", centroid=b"", units=[unit], places=[],
        keywords={}, categories=list(categories), category_scores={c: 0.9 for c in categories}, label_counts={},
        sources=[f"bron-{unit}"], first_seen=when, last_seen=when, article_count=1, source_count=1,
    )
    session.add(incident)
    session.flush()
    return incident


def test_one_unit_is_no_pileup_and_two_units_are(monitor_session: Session) -> None:
    _incident(monitor_session, 1, "RE07", "geweld")
    _incident(monitor_session, 2, "RE07", "geweld")
    assert detect_pileups(monitor_session, at=NOW) == []
    _incident(monitor_session, 3, "RE10", "geweld")
    [signal] = detect_pileups(monitor_session, at=NOW)
    assert (signal.kind, signal.category, signal.units) == (SignalKind.CATEGORY, "geweld", ["RE07", "RE10"])
    assert "3 incidenten over geweld in 2 eenheden (Rotterdam en Limburg)" in signal.reason
    assert signal.window_end == NOW and signal.status == "new"


def test_a_usual_week_stays_below_the_baseline(monitor_session: Session) -> None:
    for week in range(1, 5):
        for unit in ("RE01", "RE02", "RE03"):
            _incident(monitor_session, 7 * week + 2, unit, "integriteit")
    _incident(monitor_session, 1, "RE05", "integriteit")
    _incident(monitor_session, 2, "RE06", "integriteit")
    assert detect_pileups(monitor_session, at=NOW) == []  # 2 this week against 3 a week before
    for unit in ("RE07", "RE08", "RE09"):
        _incident(monitor_session, 1, unit, "integriteit")
    [signal] = detect_pileups(monitor_session, at=NOW)
    assert signal.baseline == 3.0 and "normaal 3,0 per 7 dagen" in signal.reason


def test_cool_down_lets_only_a_new_unit_through_and_never_repeats(monitor_session: Session) -> None:
    session = monitor_session
    _incident(session, 1, "RE07", "geweld")
    _incident(session, 1, "RE10", "geweld")
    first = detect_pileups(session, at=NOW)
    assert len(first) == 1 and detect_pileups(session, at=NOW + timedelta(hours=1)) == []
    _incident(session, 0, "RE07", "geweld")
    assert detect_pileups(session, at=NOW + timedelta(hours=2)) == []  # in the cool-down, same units
    _incident(session, 0, "RE01", "geweld")
    [grown] = detect_pileups(session, at=NOW + timedelta(hours=3))
    assert grown.units == ["RE01", "RE07", "RE10"] and len(grown.incident_ids) == 4
    set_status(session, grown.id, "dismissed", by="a&a", now=NOW, reason="bekend, al belegd")
    assert detect_pileups(session, at=NOW + timedelta(days=2)) == []  # same incidents: no repeat after dismissal
    assert grown.status == "dismissed" and grown.status_reason == "bekend, al belegd"


def test_cross_category_names_the_shared_trust_block(monitor_session: Session) -> None:
    _incident(monitor_session, 3, "RE07", "geweld", label="Kopstoot bij aanhouding in Rotterdam")
    _incident(monitor_session, 1, "RE02", "onpartijdigheid", label="KOZP-demonstratie in Staphorst")
    [cross] = detect_pileups(monitor_session, at=NOW, config=PileupConfig(window_days=7))
    assert cross.kind == SignalKind.CROSS and cross.category is None and cross.trust_block == "rechtvaardigheid"
    assert "verschillende categorieën (geweld en onpartijdigheid)" in cross.reason
    assert "‘Kopstoot bij aanhouding in Rotterdam’ (Rotterdam)" in cross.reason


def test_trust_block_follows_the_playbooks() -> None:
    assert shared_trust_block(["geweld", "onpartijdigheid"]) == "rechtvaardigheid"
    assert shared_trust_block(["discriminatie_inclusie"]) == "rechtvaardigheid"


def test_status_changes_are_checked(monitor_session: Session) -> None:
    _incident(monitor_session, 1, "RE07", "geweld")
    _incident(monitor_session, 1, "RE10", "geweld")
    [signal] = detect_pileups(monitor_session, at=NOW)
    with pytest.raises(SignalError, match="bestaat niet"):
        set_status(monitor_session, 999, "escalated", by="x", now=NOW)
    with pytest.raises(SignalError, match="onbekende status"):
        set_status(monitor_session, signal.id, "weg", by="x", now=NOW)
    with pytest.raises(SignalError, match="CAT"):
        set_status(monitor_session, signal.id, "linked", by="x", now=NOW)
    linked = set_status(monitor_session, signal.id, "linked", by="x", now=NOW, cat="CAT-2026-001")
    assert linked.linked_cat == "CAT-2026-001" and linked.status == "linked"
