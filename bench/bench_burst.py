"""A burst of simultaneous `/cat notitie` commands against a real `catbot serve` (gunicorn) process.

Each command is signed like Slack signs it and sent over HTTP at the same moment, from four sender processes;
the figure is the time until the ack (Slack gives up after 3 s and does not retry slash commands), and
afterwards every note must be on the timeline.
Run: .venv/bin/python bench/bench_burst.py [--requests 400] [--threads 8] [--database-url URL]
(default: a fresh schema on the PostgreSQL of CATBOT_TEST_POSTGRES_URL, else SQLite). Prints Markdown.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_slack import SECRET, make_cat, percentile  # noqa: E402
from bot.cat.models import TimelineEvent  # noqa: E402
from bot.organisation.loader import load_organisation  # noqa: E402
from bot.settings import EXAMPLE_ORG_FILE, normalise_database_url  # noqa: E402
from bot.slack.demo.scenario import emulator_users, wait_until  # noqa: E402
from bot.slack.emulator import Emulator, payloads  # noqa: E402
from bot.slack.emulator.deliver import sign  # noqa: E402

SENDERS = 4  # processes sending the burst


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def burst(database_url: str, requests: int, threads: int) -> dict[str, float]:
    emulator = Emulator(emulator_users(load_organisation(EXAMPLE_ORG_FILE)), signing_secret=SECRET,
                        trigger_ttl=3600)
    emulator.start()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CATBOT_DATABASE_URL": database_url, "SLACK_BOT_TOKEN": emulator.bot_token,
               "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": emulator.api_url, "CATBOT_DATA_DIR": tmp}
        server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port), "--threads",
                                   str(threads)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: _healthy(port), "catbot serve", 60)
            member, _, channel = make_cat(emulator, emulator.deliverer(f"http://127.0.0.1:{port}/slack/events"))
            # The burst is sent from other processes, so the sender's own threads do not slow the bot's acks.
            url = f"http://127.0.0.1:{port}/slack/events"
            bodies = [urlencode(payloads.slash_command(
                command="/cat", text=f"notitie burst {i}", user_id=member, user_name="re07-woordvoerder",
                channel_id=channel, channel_name="cat", team_id=emulator.ws.team_id, team_domain="emulator",
                api_app_id=emulator.ctx.app_id, trigger_id=emulator.new_trigger_id(member),
                response_url=emulator.new_response_url(member, channel))).encode() for i in range(requests)]
            start_at = time.time() + 2.0
            with ProcessPoolExecutor(max_workers=SENDERS) as pool:
                answers = [a for part in pool.map(fire, [(url, bodies[k::SENDERS], start_at)
                                                        for k in range(SENDERS)]) for a in part]
            acks = [elapsed for _, elapsed in answers]
            engine = create_engine(database_url)
            kept = wait_until(lambda: _notes(engine) >= requests and _notes(engine), "every note kept", 120)
            engine.dispose()
        finally:
            server.terminate()
            server.wait(30)
            emulator.stop()
    return {"p50": statistics.median(acks), "p99": percentile(acks, 0.99), "max": max(acks),
            "late": sum(a >= 3.0 for a in acks), "ok": sum(status == 200 for status, _ in answers), "kept": kept}


def fire(job: tuple[str, list[bytes], float]) -> list[tuple[int, float]]:
    """In a sender process: post each body, signed, from its own thread at `start_at`; (status, seconds to ack)."""
    url, bodies, start_at = job

    def post(body: bytes) -> tuple[int, float]:
        time.sleep(max(0.0, start_at - time.time()))
        ts = str(int(time.time()))
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sign(SECRET, ts, body)})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                return response.status, time.monotonic() - started
        except OSError:
            return 0, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _notes(engine: object) -> int:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.scalar(select(func.count()).select_from(TimelineEvent)
                                     .where(TimelineEvent.kind == "note")) or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    schema = None
    if args.database_url:
        url, where = normalise_database_url(args.database_url), "given database"
    elif os.environ.get("CATBOT_TEST_POSTGRES_URL"):
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin_url = normalise_database_url(os.environ["CATBOT_TEST_POSTGRES_URL"])
        admin = create_engine(admin_url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url, where = admin_url + ("&" if "?" in admin_url else "?") + f"options=-csearch_path%3D{schema}", "PostgreSQL"
    else:
        tmp = tempfile.mkdtemp()
        url, where = f"sqlite:///{tmp}/burst.sqlite3", "SQLite"
    try:
        started = time.perf_counter()
        r = burst(url, args.requests, args.threads)
    finally:
        if schema:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print(f"{args.requests} simultaneous `/cat notitie` against `catbot serve --threads {args.threads}` on {where} "
          f"({time.perf_counter() - started:.0f} s, load average {os.getloadavg()[0]:.1f}):\n")
    print("| acked (200) | ack p50 | ack p99 | ack max | acks ≥ 3 s | notes kept |\n|---:|---:|---:|---:|---:|---:|")
    print(f"| {r['ok']:.0f} of {args.requests} | {r['p50']:.2f} s | {r['p99']:.2f} s | {r['max']:.2f} s | "
          f"{r['late']:.0f} | {r['kept']:.0f} |")


if __name__ == "__main__":
    main()
