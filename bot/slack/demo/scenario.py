"""The demo scenario: real app over HTTP, real signed payloads, the emulator as Slack, SQLite on disk."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.cat import export, service, timeline
from bot.container import Container
from bot.organisation.model import Organisation
from bot.organisation.schema import Role
from bot.settings import Settings
from bot.slack import ids
from bot.slack.app import create_app
from bot.slack.demo.transcript import modals_seen, render_transcript
from bot.slack.emulator import Emulator
from bot.slack.http import create_wsgi, serve_in_thread

SIGNING_SECRET = "demo-signing-secret"


@dataclass
class DemoResult:
    transcript: Path
    exports: list[Path]
    database: Path
    narration: list[str]
    calls: list[dict[str, Any]] = field(default_factory=list)
    timeline_ok: bool = False


def emulator_users(org: Organisation) -> list[dict[str, Any]]:
    """Everyone in the organisation as a Slack user; people known by e-mail only get an id of their own."""
    return [{"id": p.slack_id or f"UMAIL{i:05d}", "name": p.id, "real_name": p.name, "email": p.email}
            for i, p in enumerate(org.people.values())]


def wait_until(predicate: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    """Poll until the bot's work after an ack shows (it runs asynchronously); TimeoutError names what."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.02)
    raise TimeoutError(f"timed out waiting for {what}")


class DemoClock:
    """Scenario time: a Monday morning that moves forward between the steps of the story."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 7, 40, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def timestamp(self) -> float:
        return self.now.timestamp()

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


class Story:
    """Drives people's actions through the emulator and waits for what the bot does after each ack."""

    def __init__(self, emulator: Emulator, slack: Any, container: Container, clock: DemoClock,
                 say: Callable[[str], None]):
        self.emu, self.slack, self.container, self.clock, self.say = emulator, slack, container, clock, say
        self.org = container.org
        self.narration: list[str] = []

    def events(self, kind: str) -> int:
        with self.container.transaction() as session:
            cats = service.list_cats(session)
            return sum(1 for e in timeline.events(session, cats[0]) if e.kind == kind) if cats else 0

    def after(self, kind: str, before: int, minutes: float) -> None:
        """Wait until the bot has recorded one more event of this kind, then let scenario time pass."""
        wait_until(lambda: self.events(kind) > before, f"a '{kind}' on the timeline")
        self.clock.advance(minutes)

    def uid(self, person_id: str) -> str:
        email = self.org.require(person_id).email
        return next(u.id for u in self.emu.ws.users.values() if u.email == email)

    def step(self, text: str) -> None:
        self.narration.append(text)
        self.say(text)

    def modal(self, person_id: str, callback_id: str) -> str:
        """The id of the person's open modal with this callback id (waits until the bot has opened it)."""
        user = self.uid(person_id)

        def open_view() -> str | None:
            stack = self.emu.ws.stacks.get(user) or []
            view = self.emu.ws.views.get(stack[-1]) if stack else None
            if view is None or view.closed or view.payload.get("callback_id") != callback_id:
                return None
            return str(view.id)

        return str(wait_until(open_view, f"the {callback_id} modal for {person_id}"))

    def dms(self, person_id: str) -> list[Any]:
        user = self.uid(person_id)
        return [m for c in self.emu.ws.channels.values() if c.is_im and user in c.members
                for m in self.emu.ws.messages.get(c.id, [])]

    def cat_channel(self) -> Any:
        return wait_until(lambda: next((c for c in self.emu.ws.channels.values() if c.name.startswith("cat-")), None),
                     "the CAT channel")

    def command(self, person_id: str, command: str, text: str, channel: str) -> None:
        self.slack.slash_command(command, text, user=self.uid(person_id), channel=channel)


NORM_TEXT = ("Geweld dat niet nodig is, past niet bij de politie. Wij zijn er om mensen te beschermen, ook bij een "
             "aanhouding. De beelden uit Rotterdam roepen terecht vragen op. We kijken kritisch naar ons eigen "
             "optreden en onderzoeken wat er is gebeurd. We leggen daarover verantwoording af en geven om 16.00 uur "
             "een update.")


def norm_path(story: Story, channel: str) -> None:
    """The spokesperson's five-minute path: /norm → edit → check → send → four-eyes approval → publish."""
    me, reviewer = story.uid("re07-woordvoerder"), story.uid("dir-woordvoerder")

    def latest_ephemeral(needle: str) -> Any:
        return wait_until(lambda: [e for e in story.emu.ws.ephemerals if e.user == me and needle in
                                   (e.text + str(e.blocks))], f"an ephemeral with {needle!r}")[-1]

    story.command("re07-woordvoerder", "/norm", "geweld", channel)
    draft = latest_ephemeral("Concept normstelling")
    story.slack.block_actions("norm_edit", user=me, channel=channel, message_ts=draft.ts)
    story.slack.view_submission(story.modal("re07-woordvoerder", ids.NORM_EDIT_MODAL), user=me, values={
        "category": {"category": "geweld"}, "phase": {"phase": "eerste_reactie"},
        "channel": {"channel": "persverklaring"}, "text": {"text": NORM_TEXT}})
    wait_until(lambda: "16.00 uur" in str(draft.blocks), "the edited draft")
    story.slack.block_actions("norm_check", user=me, channel=channel, message_ts=draft.ts)
    latest_ephemeral("Controle van")
    story.slack.block_actions("norm_send", user=me, channel=channel, message_ts=draft.ts)
    post = wait_until(lambda: [m for m in story.emu.ws.messages[channel] if "persverklaring v2" in str(m.blocks)],
                      "the version in the channel")[-1]
    story.step("De woordvoerder past met /norm het concept aan, laat het controleren en zet het in het CAT.")
    story.clock.advance(7)
    story.slack.block_actions("statement_approve", user=reviewer, channel=channel, message_ts=post.ts)
    wait_until(lambda: "statement_publish" in str(post.blocks), "the approval")
    story.slack.block_actions("statement_publish", user=me, channel=channel, message_ts=post.ts)
    story.slack.view_submission(story.modal("re07-woordvoerder", ids.NORM_PUBLISH_MODAL), user=me,
                                values={"via": {"via": "persverklaring"}})
    wait_until(lambda: "gepubliceerd via persverklaring" in str(post.blocks), "the publication")
    story.clock.advance(5)
    story.step("De woordvoerder van de directie keurt goed (vier ogen); de normstelling wordt gepubliceerd en de "
               "klok 'activatie → eerste normstelling' stopt.")


def play(story: Story, leads_channel: str) -> None:
    """A unit asks, the director presses, the CAT works, advises, closes and exports."""
    unit_channel = story.emu.add_channel("communicatie-rotterdam", [story.uid("re07-woordvoerder"),
                                                                   story.uid("re07-politiechef")])
    story.step("Woordvoerder Rotterdam ziet de kopstoot-video viraal gaan en typt /rodeknop.")
    story.command("re07-woordvoerder", "/rodeknop", "kopstoot-video gaat viraal; media leggen verband met Staphorst",
                  unit_channel)
    form = story.modal("re07-woordvoerder", ids.RODE_KNOP_MODAL)
    story.slack.view_submission(form, user=story.uid("re07-woordvoerder"), values={
        "title": {"title": "Kopstoot bij aanhouding in Rotterdam"},
        "what": {"what": "Beelden van een kopstoot bij een aanhouding gaan rond; het proces-verbaal zou niet kloppen. "
                         "Tegelijk groeit de kritiek op het optreden bij de demonstratie in Staphorst; media tellen "
                         "de incidenten op."},
        "units": {"units": ["RE07", "RE02"]},
        "categories": {"categories": ["geweld", "onpartijdigheid", "integriteit"]},
        "links": {"links": "https://www.example.org/nieuws/kopstoot-rotterdam"}, "urgency": {"urgency": "acuut"}})
    card = wait_until(lambda: [m for m in story.dms("dir-directeur") if m.blocks], "the request card")[-1]
    story.clock.advance(9)
    story.step("De directeur communicatie krijgt het verzoek als kaart in een direct bericht en in "
               "#communicatie-leads.")
    story.slack.block_actions("request_approve", user=story.uid("dir-directeur"), channel=card.channel,
                              message_ts=card.ts)
    story.slack.view_submission(story.modal("dir-directeur", ids.APPROVE_MODAL), user=story.uid("dir-directeur"),
                                values={"advice_to": {"advice_to": ["politiechef", "korpsleiding"]}})
    story.step("De directeur drukt de rode knop in: advies aan de politiechefs en de korpsleiding.")
    channel = story.cat_channel()
    wait_until(lambda: any(m.metadata and "Eerste concepten" in str(m.blocks)
                           for m in story.emu.ws.messages[channel.id]), "the kickoff with drafts")
    story.clock.advance(3)
    story.step(f"Het CAT-kanaal #{channel.name} staat klaar: leden met reden, checklist en eerste concepten, en het "
               "gat dat niemand kan vullen: de A&A-issuetrekker integriteit is afwezig.")

    analyst = story.uid("dienst-io-analist")
    ts = story.emu.post_user_message(channel.id, analyst, "Op sociale media wordt Rotterdam opgeteld bij Staphorst: "
                                                          "'de politie meet met twee maten'.")
    story.clock.advance(6)
    notes = story.events("note")
    story.slack.reaction_added(channel.id, ts, story.uid("re07-woordvoerder"), "pushpin")
    story.after("note", notes, 4)
    story.step("De I&O-analist meldt de optelsom; de woordvoerder zet het bericht met 📌 op de tijdlijn.")
    story.command("re07-woordvoerder", "/cat", "notitie NOS en AD openen met de beelden", channel.id)
    story.after("note", notes + 1, 9)
    decisions = story.events("decision")
    story.command("dir-directeur", "/cat", "besluit Politiechef Rotterdam stelt vandaag vóór 12:00 de norm",
                  channel.id)
    story.after("decision", decisions, 12)
    story.step("Notitie en besluit gaan via /cat op de tijdlijn; de status wordt op zijn plek bijgewerkt.")
    norm_path(story, channel.id)
    story.command("dir-directeur", "/cat", "advies", channel.id)
    advice = story.modal("dir-directeur", ids.ADVICE_MODAL)
    story.slack.view_submission(advice, user=story.uid("dir-directeur"), values={
        "recipient": {"recipient": "politiechef:RE07"},
        "text": {"text": "Stel vandaag zelf de norm: geweld alleen als het nodig en proportioneel is. Toon "
                         "zelfreflectie, zeg wat er nu gebeurt en oordeel niet over de collega."}})
    story.after("advice_given", 0, 25)
    story.step("Het CAT legt zijn advies aan de politiechef Rotterdam vast.")
    newcomer = story.uid("re05-woordvoerder")
    story.command("dir-directeur", "/cat", f"lid <@{newcomer}> kent de organisatoren van de demonstraties",
                  channel.id)
    wait_until(lambda: newcomer in channel.members, "the newcomer in the channel")
    story.clock.advance(60 * 24 * 3)
    story.step("Een woordvoerder uit Amsterdam wordt met /cat lid toegevoegd.")
    story.command("dir-directeur", "/cat", "sluit", channel.id)
    closing = story.modal("dir-directeur", ids.CLOSE_MODAL)
    story.slack.view_submission(closing, user=story.uid("dir-directeur"), values={
        "went_well": {"went_well": "Binnen een uur één lijn tussen eenheid, directie en dienst."},
        "to_learn": {"to_learn": "De optelsom met Staphorst hadden we een dag eerder kunnen zien."}})
    wait_until(lambda: [b for b in story.emu.ws.bookmarks.get(channel.id, []) if b.title == "Tijdlijn-export"],
               "the exported timeline")
    story.step("De directeur sluit het CAT met een evaluatie; de tijdlijn wordt geëxporteerd en als bladwijzer "
               "bewaard.")
    for person in ("re07-woordvoerder", "dir-directeur"):
        story.slack.app_home_opened(story.uid(person))
    wait_until(lambda: len(story.emu.ws.homes) >= 2, "App Home")
    _ = leads_channel


def save_files(emulator: Emulator, folder: Path) -> dict[str, tuple[str, str]]:
    """Write every file uploaded to the emulated Slack next to the transcript; file id → (name, relative link)."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = {}
    for file in emulator.ws.files.values():
        name = Path(file.name).name or file.id
        (folder / name).write_bytes(file.content)
        saved[file.id] = (name, f"{folder.name}/{name}")
    return saved


def run_demo(out: Path, say: Callable[[str], None] = print) -> DemoResult:
    """Run the whole story on embedded defaults and write transcript, exports and database into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    database = out / "demo.sqlite3"
    for stale in out.glob("demo.sqlite3*"):
        stale.unlink()
    probe = Container(Settings(database_url=f"sqlite:///{database.resolve()}"))
    org = probe.org
    probe.close()
    clock = DemoClock()
    emulator = Emulator(emulator_users(org), signing_secret=SIGNING_SECRET, clock=clock.timestamp)
    emulator.start()
    leads = [emulator.bot_user_id] + [u["id"] for u, p in zip(emulator_users(org), org.people.values(), strict=True)
                                      if p.has(Role.DIRECTOR) or p.has(Role.COMMS_LEAD)]
    leads_channel = emulator.add_channel("communicatie-leads", leads, is_private=True)
    settings = Settings(database_url=f"sqlite:///{database.resolve()}", slack_api_url=emulator.api_url,
                        slack_bot_token=SecretStr(emulator.bot_token), slack_signing_secret=SecretStr(SIGNING_SECRET),
                        requests_channel=leads_channel)
    container = Container(settings, clock=clock)
    container.migrate()
    server, url = serve_in_thread(create_wsgi(create_app(container), container))
    story = Story(emulator, emulator.deliverer(url), container, clock, say)
    try:
        play(story, leads_channel)
        with container.transaction() as session:
            cat = service.list_cats(session)[0]
            now = container.clock()
            md, js = out / f"{cat.number}.md", out / f"{cat.number}.json"
            md.write_text(export.export_markdown(session, container.org, cat, now), "utf-8")
            exported = export.export_json(session, container.org, cat, now)
            js.write_text(json.dumps(exported, ensure_ascii=False, indent=2), "utf-8")
            ok = timeline.verify(session, cat).ok
        events = [{**e, "label": timeline.EVENT_LABELS[timeline.EventKind(e["kind"])]} for e in exported["timeline"]]
        state = emulator.state()
        people = [story.uid(p) for p in ("re07-woordvoerder", "dir-directeur", "dienst-io-analist")]
        transcript = out / "transcript.html"
        trigger_users = {t.id: t.user_id for t in emulator.ws.triggers.values()}
        modals = modals_seen(state, emulator.calls(), trigger_users)
        transcript.write_text(render_transcript(
            state, title="CAT bot — demo: kopstoot Rotterdam en Staphorst", people=people, narration=story.narration,
            modals=modals, files=save_files(emulator, out / "files"), timeline=(exported["cat"]["number"], events),
        ), "utf-8")
        return DemoResult(transcript, [md, js], database, story.narration, emulator.calls(), ok)
    finally:
        server.shutdown()
        emulator.stop()
        container.close()
