"""`catbot slack-emulator`: run the local Slack (Web API, state, contract checks) in the foreground."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import typer
import yaml

from bot.slack.emulator import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET, Emulator

USER_FIELDS = ("id", "name", "real_name", "email", "is_bot")


def load_users(path: Path) -> list[dict[str, Any]]:
    """Users from a JSON or YAML file: a list, or a mapping with a `users` list."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if isinstance(data, dict):
        data = data.get("users")
    if not isinstance(data, list) or not all(isinstance(u, dict) and u.get("id") and u.get("name") for u in data):
        raise typer.BadParameter(f"{path}: expected a list of users with at least id and name")
    return [{k: u[k] for k in USER_FIELDS if k in u} for u in data]


def organisation_users() -> list[dict[str, Any]]:
    """The people of the configured organisation file (the example organisation by default) as Slack users."""
    from bot.cli.common import load_settings
    from bot.organisation.loader import load_organisation
    from bot.slack.demo.scenario import emulator_users

    return emulator_users(load_organisation(load_settings().org_file))


def _port_of(url: str) -> int:
    from urllib.parse import urlsplit

    return urlsplit(url).port or 80


def run(
    port: int = typer.Option(3001, "--port", help="Poort op 127.0.0.1 (0 kiest een vrije poort)."),
    users: Path | None = typer.Option(None, "--users", exists=True, dir_okay=False,
                                      help="JSON/YAML-bestand met gebruikers: id, name, real_name, email, is_bot "
                                           "(standaard: de mensen uit het organisatiebestand)."),
    bot_url: str = typer.Option("http://127.0.0.1:3000/slack/events", "--bot-url",
                                help="Waar de pagina aflevert wat iemand doet: het /slack/events-adres van de bot."),
    bot_token: str = typer.Option(DEFAULT_BOT_TOKEN, "--bot-token", envvar="CATBOT_EMULATOR_BOT_TOKEN",
                                  help="Het enige bot-token dat de emulator accepteert."),
    signing_secret: str = typer.Option(DEFAULT_SIGNING_SECRET, "--signing-secret",
                                       envvar="CATBOT_EMULATOR_SIGNING_SECRET",
                                       help="Geheim waarmee de emulator ondertekent wat hij aan de bot aflevert."),
    verbose: bool = typer.Option(False, "--verbose", help="Log het pad van elk verzoek (nooit de inhoud)."),
) -> None:
    """Run a local Slack on 127.0.0.1 until Ctrl-C; point the bot at it with SLACK_API_URL."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(message)s")
    people = load_users(users) if users else organisation_users()
    emulator = Emulator(people, bot_token=bot_token, signing_secret=signing_secret)
    base = emulator.start(port)
    emulator.bot_url = bot_url
    emulator.add_channel("algemeen", [p["id"] for p in people])
    typer.echo(f"Slack-emulator met {len(people)} mensen en #algemeen draait op {base}")
    typer.echo(f"Start de bot in een tweede terminal (hij luistert op {bot_url}):")
    typer.echo(f"  SLACK_API_URL={emulator.api_url} SLACK_BOT_TOKEN={bot_token} \\")
    typer.echo(f"  SLACK_SIGNING_SECRET={signing_secret} catbot serve --port {_port_of(bot_url)}")
    typer.echo(f"Doe dan iets als een van hen: open {base}/ in de browser (kies wie je bent bovenaan).")
    typer.echo(f"Aanroepen: {base}/_emulator/calls   toestand: {base}/_emulator/state   stoppen: Ctrl-C")
    try:
        emulator.wait()
    except KeyboardInterrupt:
        typer.echo("Gestopt.")
    finally:
        emulator.stop()
