"""The Bolt app factory: no module-level app; listeners register themselves per surface."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot.container import Container
from bot.slack.authz import authorize, know_users
from bot.slack.deps import Deps
from bot.slack.listeners import cat_channel, home, norm, red_button, reminders, signals
from bot.slack.logfilter import keep_bodies_out_of_logs
from bot.slack.middleware import dedupe_events, release_on_error
from bot.slack.notifier import SlackGateway, make_client

log = logging.getLogger(__name__)
LISTENER_THREADS = 32


def create_app(container: Container, *, client: WebClient | None = None, token_verification: bool = True) -> App:
    """Build the Bolt app from settings; `client` overrides the Web API client (tests, emulator)."""
    settings = container.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    if client is None:
        if token is None:
            raise ValueError("SLACK_BOT_TOKEN ontbreekt")
        client = make_client(token, settings.slack_api_url)
    # Listeners ack first and then work (Slack calls); Bolt's default of 5 threads would queue the next
    # command's ack behind that work during a burst.
    app = App(client=client, signing_secret=secret, token_verification_enabled=token_verification,
              request_verification_enabled=secret is not None,
              listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener"))
    deps = Deps(container=container, gateway=SlackGateway(client), requests_channel=settings.requests_channel)
    app.use(dedupe_events(container))
    app.use(know_users(deps))
    app.error(release_on_error(container))
    app.use(authorize(deps))
    for surface in (red_button, cat_channel, home, reminders, norm, signals):
        surface.register(app, deps)
    keep_bodies_out_of_logs()  # now that Bolt and slack_sdk have made their loggers
    return app
