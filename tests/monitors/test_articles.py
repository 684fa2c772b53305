"""Articles: normalisation (HTML, entities, whitespace, UTC dates) and de-duplication by GUID, URL and text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitors.articles import canonical_url, clean_text, guid_key, normalise_entry
from monitors.feeds import parse_feed
from monitors.ingest import ingest_parsed, store_article
from monitors.models import Article, ArticleSighting
from tests.monitors.conftest import FEEDS, NOW


def _ingest(session: Session, name: str, feed: str, at: datetime = NOW) -> tuple[int, int, int]:
    parsed = parse_feed((FEEDS / name).read_bytes(), url=f"https://example.test/{name}")
    counts = ingest_parsed(session, parsed, feed_name=feed, fetched_at=at)
    return counts.new, counts.duplicate, counts.failed


def test_clean_text_strips_html_entities_and_whitespace() -> None:
    raw = "<p>De politie &amp;amp; de <b>KMar</b></p><script>track()</script>\n\n  meer&nbsp;tekst &eacute;"
    assert clean_text(raw) == "De politie & de KMar meer tekst é"


def test_canonical_url_drops_tracking_fragment_and_sorts_query() -> None:
    url = "HTTPS://WWW.NOS.nl:443/artikel/1?utm_source=rss&b=2&fbclid=x&a=1&gclid=y#reacties"
    assert canonical_url(url) == "https://www.nos.nl/artikel/1?a=1&b=2"
    assert canonical_url("http://nos.nl") == "http://nos.nl/"
    assert canonical_url("") is None


def test_bare_guids_are_scoped_to_their_feed_and_url_guids_are_global() -> None:
    assert guid_key("12345", "Rijnmond") == "Rijnmond:12345"
    assert guid_key("https://nos.nl/l/1", "NOS") == "https://nos.nl/l/1"


def test_dates_become_utc_and_a_missing_or_bad_date_becomes_the_fetch_time() -> None:
    parsed = parse_feed((FEEDS / "omroepwest.atom").read_bytes())
    first, second = (normalise_entry(e, feed_name="West", fetched_at=NOW) for e in parsed.entries)
    assert first is not None and second is not None
    assert first.published == datetime(2026, 11, 13, 18, 30, tzinfo=UTC)
    assert first.published_from_feed
    assert second.published == NOW and not second.published_from_feed
    assert first.text.startswith("Een jongen uit Den Haag") and "<p>" not in first.text


def test_a_date_far_in_the_future_is_not_believed() -> None:
    entry = {"title": "Test", "published_parsed": (NOW + timedelta(days=30)).timetuple()}
    article = normalise_entry(entry, feed_name="x", fetched_at=NOW)
    assert article is not None and article.published == NOW


def test_an_entry_without_title_text_or_link_is_unusable() -> None:
    assert normalise_entry({"id": "only-an-id"}, feed_name="x", fetched_at=NOW) is None


def test_second_read_of_the_same_feed_is_all_duplicates(monitor_session: Session) -> None:
    assert _ingest(monitor_session, "rijnmond.xml", "Rijnmond") == (3, 0, 0)
    assert _ingest(monitor_session, "rijnmond.xml", "Rijnmond", NOW + timedelta(hours=1)) == (0, 3, 0)
    assert monitor_session.scalar(select(func.count()).select_from(Article)) == 3


def test_duplicates_by_url_and_near_text_keep_source_and_first_seen(monitor_session: Session) -> None:
    _ingest(monitor_session, "rijnmond.xml", "Rijnmond")
    _ingest(monitor_session, "rtvoost.xml", "RTV Oost")
    later = NOW + timedelta(hours=2)
    new, duplicate, _ = _ingest(monitor_session, "nos_binnenland.xml", "NOS", later)
    # NOS carries the Rijnmond story almost word for word and links to the RTV Oost article with a fbclid.
    assert (new, duplicate) == (1, 2)
    kopstoot = monitor_session.scalars(select(Article).where(Article.title.like("Agent geeft kopstoot%"))).one()
    assert kopstoot.feed_name == "Rijnmond" and kopstoot.first_seen == NOW
    assert {(s.feed_name, s.duplicate_reason) for s in kopstoot.sightings} == {
        ("Rijnmond", None), ("NOS", "bijna-tekst")
    }
    staphorst = monitor_session.scalars(select(Article).where(Article.feed_name == "RTV Oost")).first()
    assert staphorst is not None
    assert ("NOS", "url") in {(s.feed_name, s.duplicate_reason) for s in staphorst.sightings}


def test_a_different_incident_with_similar_wording_is_not_a_duplicate(monitor_session: Session) -> None:
    _ingest(monitor_session, "rijnmond.xml", "Rijnmond")
    new, duplicate, _ = _ingest(monitor_session, "at5.xml", "AT5")
    assert (new, duplicate) == (2, 0)


def test_same_guid_from_another_feed_is_a_duplicate(monitor_session: Session) -> None:
    entry = {"id": "https://nos.nl/l/99", "title": "Eerste kop", "link": "https://nos.nl/a/99"}
    other = {"id": "https://nos.nl/l/99", "title": "Andere kop", "link": "https://nos.nl/b/99"}
    a = normalise_entry(entry, feed_name="NOS", fetched_at=NOW)
    b = normalise_entry(other, feed_name="NOS Binnenland", fetched_at=NOW)
    assert a is not None and b is not None
    _, first = store_article(monitor_session, a)
    row, reason = store_article(monitor_session, b)
    assert first is None and reason == "guid" and row.title == "Eerste kop"


def test_stored_articles_carry_places_and_units(monitor_session: Session) -> None:
    _ingest(monitor_session, "rijnmond.xml", "Rijnmond")
    rows = {a.title: a for a in monitor_session.scalars(select(Article))}
    assert rows["Agent geeft kopstoot bij aanhouding in Rotterdam-Zuid"].units == ["RE07"]
    a15 = rows["Vrachtwagen gekanteld op de A15 bij Hoogvliet"]
    assert set(a15.units) == {"RE07", "LX"} and "lx_infrastructure" in a15.places["flags"]
    assert monitor_session.scalar(select(func.count()).select_from(ArticleSighting)) == 3
