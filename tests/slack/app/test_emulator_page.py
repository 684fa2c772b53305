"""Two people use the emulator's page in a real browser: red button, approval, a 📌 — no hand-signed requests."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from sqlalchemy import select

from bot.cat.models import TimelineEvent
from tests.slack.app.conftest import World, wait_for

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (scripts/bootstrap.sh installs it)")]


@pytest.fixture
def browser_page(world: World) -> Any:
    from playwright.sync_api import sync_playwright

    world.emulator.bot_url = world.events_url
    world.emulator.add_channel("algemeen", [u.id for u in world.emulator.ws.users.values()])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def as_person(page: Any, world: World, person_id: str, channel: str = "") -> None:
    base = world.emulator.ctx.base_url
    page.goto(f"{base}/_emulator/ui?as={world.uid(person_id)}&ch={channel}")


def test_red_button_approval_and_a_pin_through_the_page(browser_page: Any, world: World) -> None:
    page = browser_page
    general = world.channel("algemeen").id
    as_person(page, world, "re07-woordvoerder", general)
    assert page.locator("header select").input_value() == world.uid("re07-woordvoerder")
    page.fill("input[name=text]", "/rodeknop kopstoot-video gaat rond")
    page.get_by_role("button", name="Versturen").click()

    form = page.locator("form.modal")
    form.wait_for()  # the page reloads itself when the bot has opened the modal
    form.locator("input[type=text]").first.fill("Kopstoot bij aanhouding in Rotterdam")
    form.locator("textarea").first.fill("Beelden van een kopstoot bij een aanhouding gaan rond.")
    form.locator("select[multiple]").first.select_option(["RE07"])
    form.get_by_role("button", name="Aanvragen").click()
    wait_for(lambda: [m for m in world.dm_messages("dir-directeur") if m.blocks], what="the request card")

    # The director switches person on the same page and approves from the DM.
    page.select_option("header select", world.uid("dir-directeur"))
    page.get_by_role("link", name="DM · CAT bot").first.click()
    page.get_by_role("button", name="Goedkeuren").first.click()
    approve = page.locator("form.modal")
    approve.wait_for()
    assert approve.get_by_label("Politiechef(s) van de eenheden").is_checked()  # preselected for one unit
    approve.get_by_label("Korpsleiding").check()
    approve.get_by_role("button", name="Rode knop indrukken").click()
    channel = wait_for(lambda: world.channel("cat-"), what="the CAT channel")
    wait_for(lambda: any(m.metadata for m in world.emulator.ws.messages.get(channel.id, [])), what="the kickoff")

    # In the CAT channel the director posts what NOS reports and pins it onto the timeline.
    as_person(page, world, "dir-directeur", channel.id)
    page.fill("input[name=text]", "NOS opent met de beelden")
    page.get_by_role("button", name="Versturen").click()
    page.locator(".msg", has_text="NOS opent met de beelden").get_by_role("button", name="📌 op de tijdlijn").click()

    def pinned() -> bool:
        with world.container.transaction() as session:
            return any(e.content and "NOS opent" in e.content.text for e in session.scalars(select(TimelineEvent)))

    wait_for(pinned, what="the pinned message on the timeline")
