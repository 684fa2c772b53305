"""Incident clustering without a model: names, time decay, the active window, place and unit evidence, BCubed."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy.orm import Session

from monitors.cluster import ArticleFeatures, ClusterConfig, IncidentClusterer, names_in
from monitors.evaluation import bcubed
from monitors.models import Incident
from tests.monitors.conftest import NOW

DIM = 16


def _vector(seed: int, noise: float = 0.0, base: int | None = None) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = np.random.default_rng(base if base is not None else seed).normal(size=DIM) + noise * rng.normal(size=DIM)
    return (v / np.linalg.norm(v)).astype(np.float32)


def _item(article_id: int, vector: np.ndarray, hours: float, units: set[str], places: set[str] = frozenset(),
          names: set[str] = frozenset(), labels: tuple[str, ...] = ()) -> ArticleFeatures:
    return ArticleFeatures(
        article_id=article_id, title=f"bericht {article_id}", published=NOW + timedelta(hours=hours),
        vector=vector, units=frozenset(units), places=frozenset(places), names=frozenset(names),
        sources=frozenset({f"bron{article_id}"}), labels=labels,
        scores={"geweld": 0.9 if "geweld" in labels else 0.05},
    )


def test_names_are_mid_sentence_capitals_without_generic_words() -> None:
    text = "Politie onderzoekt kopstoot. Agenten in Staphorst en de KOZP-demonstratie; De burgemeester van Zwolle"
    assert names_in(text) == frozenset({"staphorst", "kozp-demonstratie", "zwolle"})


def test_same_story_joins_and_another_story_opens_a_new_incident(sqlite_monitor_session: Session) -> None:
    clusterer = IncidentClusterer(sqlite_monitor_session)
    first, follow_up, other = clusterer.assign_many([
        _item(1, _vector(1), 0, {"RE07"}, {"Rotterdam"}, {"kopstoot"}, ("geweld",)),
        _item(2, _vector(2, 0.1, base=1), 5, {"RE07"}, {"Rotterdam"}, {"kopstoot"}, ("geweld",)),
        _item(3, _vector(3), 6, {"RE02"}, {"Zwolle"}),
    ])
    assert first.created and not follow_up.created and other.created
    assert follow_up.incident is first.incident and first.incident.article_count == 2
    assert first.incident.categories == ["geweld"] and first.incident.source_count == 2
    assert first.incident.last_seen == NOW + timedelta(hours=5)


def test_time_decay_and_unit_mismatch_keep_similar_but_separate_events_apart(sqlite_monitor_session: Session) -> None:
    config = ClusterConfig()
    clusterer = IncidentClusterer(sqlite_monitor_session, config)
    base = clusterer.assign(_item(1, _vector(1), 0, {"RE07"}, {"Rotterdam"}))
    later = clusterer.assign(_item(2, _vector(1), 24 * (config.active_days + 1), {"RE07"}, {"Rotterdam"}))
    # cosine 0.94 to the first article: the shared place lifts it over the threshold, another unit does not
    same_place = clusterer.assign(_item(4, _vector(4, 0.2, base=1), 1, {"RE07"}, {"Rotterdam"}))
    elsewhere = clusterer.assign(_item(3, _vector(4, 0.2, base=1), 1, {"RE10"}, {"Maastricht"}))
    assert later.created and elsewhere.created
    assert not same_place.created and same_place.incident is base.incident


def test_only_the_active_window_is_loaded(sqlite_monitor_session: Session) -> None:
    session = sqlite_monitor_session
    for day in range(30):
        when = NOW - timedelta(days=30 - day)
        session.add(Incident(label=f"oud {day}", centroid=_vector(day).tobytes(), units=[], places=[], keywords={},
                             categories=[], category_scores={}, label_counts={}, sources=[], first_seen=when,
                             last_seen=when, article_count=1, source_count=1))
    session.flush()
    clusterer = IncidentClusterer(session)
    clusterer.assign(_item(99, _vector(99), 0, {"RE01"}))
    assert len(clusterer._active) == 4 + 1  # the last four days plus the new incident


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        ({"a": 1, "b": 1, "c": 2}, (1.0, 1.0)),
        ({"a": 1, "b": 1, "c": 1}, (5 / 9, 1.0)),
        ({"a": 1, "b": 2, "c": 3}, (1.0, 2 / 3)),
    ],
)
def test_bcubed(predicted: dict[str, int], expected: tuple[float, float]) -> None:
    score = bcubed({"a": "x", "b": "x", "c": "y"}, predicted)
    assert (round(score.precision, 4), round(score.recall, 4)) == (round(expected[0], 4), round(expected[1], 4))


def test_a_verdict_months_later_rejoins_its_dormant_incident(sqlite_monitor_session: Session) -> None:
    """Stored incidents past the active window are found again by their names when the story is the same."""
    first = IncidentClusterer(sqlite_monitor_session).assign(
        _item(1, _vector(1), 0, {"RE07"}, {"Rotterdam"}, {"kopstoot", "zuidplein"}, ("geweld",))
    )
    sqlite_monitor_session.flush()
    later = IncidentClusterer(sqlite_monitor_session)  # a later run: nothing of that week is active any more
    verdict = later.assign(
        _item(2, _vector(2, 0.25, base=1), 24 * 120, {"RE07"}, {"Rotterdam"}, {"kopstoot", "zuidplein", "rechter"})
    )
    assert not verdict.created and verdict.incident is first.incident
    assert verdict.incident.article_count == 2


def test_two_incidents_in_one_city_stay_apart_even_with_a_shared_name(sqlite_monitor_session: Session) -> None:
    clusterer = IncidentClusterer(sqlite_monitor_session)
    stabbing = clusterer.assign(_item(1, _vector(1), 0, {"RE07"}, {"Rotterdam"}, {"steekpartij", "kralingen"}))
    # months later another stabbing in the same city: one shared name is not enough to reopen the old story
    other = clusterer.assign(
        _item(2, _vector(2, 0.25, base=1), 24 * 90, {"RE07"}, {"Rotterdam"}, {"steekpartij", "charlois"})
    )
    # a different story with two shared names but a different event (other content) stays apart too
    unlike = clusterer.assign(
        _item(3, _vector(3), 24 * 95, {"RE07"}, {"Rotterdam"}, {"steekpartij", "kralingen"})
    )
    assert other.created and other.incident is not stabbing.incident
    assert unlike.created and unlike.incident is not stabbing.incident


def test_the_late_article_must_share_place_or_unit(sqlite_monitor_session: Session) -> None:
    clusterer = IncidentClusterer(sqlite_monitor_session)
    first = clusterer.assign(_item(1, _vector(1), 0, {"RE07"}, {"Rotterdam"}, {"kopstoot", "zuidplein"}))
    elsewhere = clusterer.assign(
        _item(2, _vector(1), 24 * 60, {"RE10"}, {"Maastricht"}, {"kopstoot", "zuidplein"})
    )
    assert elsewhere.created and elsewhere.incident is not first.incident
