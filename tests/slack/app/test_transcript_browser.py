"""The demo transcript as a person sees it in a real browser (headless Chromium): time order, filters, timeline."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.slack.demo.scenario import run_demo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (scripts/bootstrap.sh installs it)")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    run_demo(out, say=lambda line: None)
    return out


@pytest.fixture(scope="module")
def page(demo: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto((demo / "transcript.html").as_uri())
        yield page
        browser.close()


def test_the_story_reads_in_time_order_with_dutch_times(page: Any, demo: Path) -> None:
    page.screenshot(path=str(demo / "transcript.png"), full_page=True)
    places = page.locator(".entry .where").all_inner_texts()
    first_form = places.index("venster · Thijs Probeer")
    card = next(i for i, p in enumerate(places) if p.startswith("DM · Kees"))
    kickoff = next(i for i, p in enumerate(places) if p.startswith("#cat-20261130"))
    assert first_form < card < kickoff
    times = page.locator(".entry .when").all_inner_texts()
    assert times == sorted(times) and times[0].startswith("08:4")  # 07:40 UTC is 08:40 in Amsterdam in November
    assert page.locator(".day").first.inner_text() == "30-11-2026"


def test_key_elements_are_visible(page: Any) -> None:
    for text in ("Gaten in de bezetting", "geen A&A-issuetrekker voor integriteit beschikbaar",
                 "Politiechef Rotterdam", "Tijdlijn CAT-2026-001",
                 "Bijlage: playbook-geweld.md", "alleen zichtbaar voor Thijs Probeer"):
        assert page.get_by_text(text, exact=False).first.is_visible(), text
    assert page.get_by_text("bestand F0", exact=False).count() == 0
    pin = page.locator(".reaction", has_text="Thijs Probeer").first  # the 📌 that put a message on the timeline
    assert pin.is_visible() and "(vastgepind)" in pin.inner_text()


def test_files_and_bookmarks_open_locally(page: Any, demo: Path) -> None:
    href = page.get_by_role("link", name="playbook-geweld.md").first.get_attribute("href")
    assert href == "files/playbook-geweld.md" and (demo / href).read_text("utf-8").startswith("# ")
    bookmark = page.get_by_role("link", name="Tijdlijn-export").first.get_attribute("href")
    assert (demo / bookmark).read_text("utf-8").startswith("# CAT-2026-001")


def test_a_person_view_hides_what_that_person_did_not_see(page: Any) -> None:
    private_to_director = page.locator(".entry", has_text="venster · Kees Verzonnen").first
    assert private_to_director.is_visible()
    page.get_by_text("Wat Thijs Probeer zag").click()
    assert not private_to_director.is_visible()
    assert page.locator(".entry", has_text="venster · Thijs Probeer").first.is_visible()
    page.get_by_text("Iedereen", exact=True).click()
    assert private_to_director.is_visible()
