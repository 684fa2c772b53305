"""Slack surface benchmarks: ack latency per command/action in-process, and Goedkeuren → channel ready.

Run: .venv/bin/python bench/bench_slack.py [--rounds 200] [--activations 10]
Prints Markdown; the figures in docs/benchmarks.md come from this script.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from slack_bolt.request import BoltRequest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.container import Container  # noqa: E402
from bot.organisation.loader import load_organisation  # noqa: E402
from bot.settings import EXAMPLE_ORG_FILE, Settings  # noqa: E402
from bot.slack.app import create_app  # noqa: E402
from bot.slack.demo.scenario import emulator_users, wait_until  # noqa: E402
from bot.slack.emulator import Emulator  # noqa: E402
from bot.slack.emulator.deliver import Deliverer, Delivery, sign  # noqa: E402
from bot.slack.http import create_wsgi, serve_in_thread  # noqa: E402

SECRET = "bench-secret"


class InProcess(Deliverer):
    """Signs like Slack, but hands the request straight to app.dispatch and times until the ack returns."""

    def __init__(self, emulator: Emulator, app: Any):
        super().__init__(emulator, "in-process")
        self.app = app

    def send(self, body: bytes, content_type: str, *, retry_num: int = 0, retry_reason: str | None = None,
             timestamp: int | None = None, signature: str | None = None) -> Delivery:
        ts = str(int(time.time()))
        headers = {"content-type": content_type, "x-slack-request-timestamp": ts,
                   "x-slack-signature": sign(SECRET, ts, body)}
        started = time.perf_counter()
        response = self.app.dispatch(BoltRequest(body=body.decode(), headers=headers))
        elapsed = time.perf_counter() - started
        delivery = Delivery(response.status, (response.body or "").encode(), {}, body, content_type, elapsed)
        self.log.append(delivery)
        return delivery


def world(tmp: Path) -> tuple[Emulator, Container, Any]:
    org = load_organisation(EXAMPLE_ORG_FILE)
    emulator = Emulator(emulator_users(org), signing_secret=SECRET, trigger_ttl=3600)
    emulator.start()
    settings = Settings(database_url=f"sqlite:///{tmp / 'bench.sqlite3'}", slack_api_url=emulator.api_url,
                        slack_bot_token=SecretStr(emulator.bot_token), slack_signing_secret=SecretStr(SECRET))
    container = Container(settings)
    container.migrate()
    return emulator, container, create_app(container)


def wait(predicate: Any, timeout: float = 60.0) -> Any:
    return wait_until(predicate, "the bot", timeout)


def uid(emulator: Emulator, name: str) -> str:
    return next(u.id for u in emulator.ws.users.values() if u.name == name)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


FORM = {"title": {"title": "Benchmark"}, "what": {"what": "Meting"}, "units": {"units": ["RE07"]},
        "categories": {"categories": ["geweld"]}, "links": {"links": ""}, "urgency": {"urgency": "hoog"}}


def make_cat(emulator: Emulator, slack: Deliverer) -> tuple[str, str, str]:
    """A CAT made through the flows (the director asks and approves): (member, general channel, CAT channel)."""
    member, director = uid(emulator, "re07-woordvoerder"), uid(emulator, "dir-directeur")
    general = emulator.add_channel("algemeen", [member, director])
    slack.slash_command("/rodeknop", "", user=director, channel=general)
    view = wait(lambda: emulator.ws.stacks.get(director))[-1]
    slack.view_submission(view, user=director, values=FORM)
    confirm = wait(lambda: emulator.ws.stacks.get(director) and emulator.ws.views[
        emulator.ws.stacks[director][-1]].payload.get("callback_id") == "approve_modal" and
        emulator.ws.stacks[director][-1])
    slack.view_submission(confirm, user=director, values={"advice_to": {"advice_to": ["politiechef"]}})
    channel = wait(lambda: next((c.id for c in emulator.ws.channels.values() if c.name.startswith("cat-")), None))
    wait(lambda: any(m.metadata for m in emulator.ws.messages.get(channel, [])))
    return member, general, channel


def ack_latencies(rounds: int) -> dict[str, list[float]]:
    """Time from request to ack for each surface, with the real app, SQLite and the emulator behind it."""
    with tempfile.TemporaryDirectory() as tmp:
        emulator, container, app = world(Path(tmp))
        slack = InProcess(emulator, app)
        member, general, channel = make_cat(emulator, slack)  # one CAT to work in, made through the flows
        director = uid(emulator, "dir-directeur")
        message = emulator.post_user_message(channel, member, "Bericht voor de tijdlijn")
        surfaces: dict[str, Any] = {
            "/rodeknop (opens modal)": lambda: slack.slash_command("/rodeknop", "", user=member, channel=general),
            "/cat notitie": lambda: slack.slash_command("/cat", "notitie meting", user=member, channel=channel),
            "/cat status": lambda: slack.slash_command("/cat", "status", user=member, channel=channel),
            "📌 reaction_added": lambda: slack.reaction_added(channel, message, member, "pushpin"),
            "shortcut Op de tijdlijn": lambda: slack.message_action("op_de_tijdlijn", user=member, channel=channel,
                                                                    message_ts=message),
            "app_home_opened": lambda: slack.app_home_opened(director),
        }
        results: dict[str, list[float]] = {}
        for name, action in surfaces.items():
            slack.log.clear()
            for _ in range(rounds):
                action()
            results[name] = [d.elapsed * 1000 for d in slack.log]
            assert all(d.status == 200 for d in slack.log), name
        # Modal submissions do their validation and database write before the ack.
        slack.log.clear()
        for _ in range(rounds):
            slack.slash_command("/rodeknop", "", user=member, channel=general)
            view = wait(lambda: emulator.ws.stacks.get(member))[-1]
            slack.log.clear()
            slack.view_submission(view, user=member, values=FORM)
            results.setdefault("Rode knop form submitted", []).append(slack.log[-1].elapsed * 1000)
        time.sleep(1.0)
        emulator.stop()
        container.close()
    return results


def activation_times(count: int) -> list[float]:
    """From submitting Goedkeuren to a channel with all 15 members invited and the kickoff with drafts pinned."""
    units = ["RE07", "RE02", "RE06", "RE05", "RE08"]
    categories = ["geweld", "discriminatie_inclusie", "onpartijdigheid", "integriteit"]
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        emulator, container, app = world(Path(tmp))
        server, url = serve_in_thread(create_wsgi(app, container))
        slack = emulator.deliverer(url)
        requester, director = uid(emulator, "re07-woordvoerder"), uid(emulator, "dir-directeur")
        general = emulator.add_channel("algemeen", [requester])
        for i in range(count):
            form = dict(FORM, title={"title": f"Benchmark {i}"}, units={"units": units},
                        categories={"categories": categories}, what={"what": f"Meting {i}"})
            form["links"] = {"links": f"https://example.org/{i}"}
            slack.slash_command("/rodeknop", "", user=requester, channel=general)
            slack.view_submission(wait(lambda: emulator.ws.stacks.get(requester))[-1], user=requester, values=form)
            cards = wait(lambda n=i: [m for c in emulator.ws.channels.values() if c.is_im and director in c.members
                                      for m in emulator.ws.messages.get(c.id, []) if m.blocks][n:])
            slack.block_actions("request_approve", user=director, channel=cards[0].channel, message_ts=cards[0].ts)
            modal = wait(lambda: emulator.ws.stacks.get(director))[-1]
            before = {c.id for c in emulator.ws.channels.values()}
            started = time.perf_counter()
            slack.view_submission(modal, user=director, values={"advice_to": {"advice_to": ["politiechef"]}})
            channel = wait(lambda known=before: next((c for c in emulator.ws.channels.values()
                                                      if c.id not in known and c.name.startswith("cat-")), None))
            wait(lambda ch=channel: len(ch.members) >= 16 and any(  # 15 people + the bot
                m.metadata and "Eerste concepten" in str(m.blocks) for m in emulator.ws.messages.get(ch.id, []))
                and emulator.ws.pins.get(ch.id))
            timings.append((time.perf_counter() - started) * 1000)
            units = units[1:] + units[:1]  # the same 15 people, a different request key
            if i % 2:
                categories = categories[::-1]
        server.shutdown()
        emulator.stop()
        container.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--activations", type=int, default=10)
    args = parser.parse_args()
    print(f"### Ack latency, in-process (ms; {args.rounds} requests each)\n")
    print("| surface | p50 | p99 | max |\n|---|---:|---:|---:|")
    for name, values in ack_latencies(args.rounds).items():
        print(f"| {name} | {statistics.median(values):.1f} | {percentile(values, 0.99):.1f} | {max(values):.1f} |")
    timings = activation_times(args.activations)
    print(f"\n### Goedkeuren → channel ready (15 members, kickoff with drafts pinned), over HTTP against the "
          f"emulator ({len(timings)} activations)\n")
    print("| p50 | p90 | max |\n|---:|---:|---:|")
    print(f"| {statistics.median(timings):.0f} ms | {percentile(timings, 0.9):.0f} ms | {max(timings):.0f} ms |")


if __name__ == "__main__":
    main()
