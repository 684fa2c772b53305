"""`catbot scheduler`: the standalone scheduler process (one leader per database, the others stand by)."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Annotated, Any

import typer

from bot.cli.common import fail, load_settings
from bot.logs import configure_logging

log = logging.getLogger("bot.cli.scheduler")


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM (the supervisor) and SIGINT (Ctrl-C) ask for a graceful stop; a second signal is not needed."""

    def handler(signum: int, _frame: Any) -> None:
        log.info("signal %d: stopping gracefully", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def scheduler(
    http_port: Annotated[int | None, typer.Option("--http-port", help="Poort voor /healthz en /metrics")] = None,
    host: Annotated[str, typer.Option(help="Adres voor --http-port")] = "127.0.0.1",
) -> None:
    """Run the jobs (reminders, feeds, digest, retention) when leader; stand by otherwise (needs SLACK_BOT_TOKEN)."""
    from bot.container import Container
    from bot.scheduling.metrics import count_errors
    from bot.scheduling.service import SchedulerService
    from bot.slack.http import create_ops_wsgi, serve_in_thread
    from bot.slack.notifier import SlackGateway, make_client

    settings = load_settings()
    configure_logging(settings.log_level, force=True)
    count_errors()
    if settings.slack_bot_token is None:
        fail("SLACK_BOT_TOKEN ontbreekt; zie .env.example")
    container = Container(settings)
    container.migrate()
    client = make_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url)
    service = SchedulerService(container, SlackGateway(client))
    stop_on_signals(service.stopping)
    if http_port is not None:
        server, _ = serve_in_thread(create_ops_wsgi(container, scheduler=service, client=client), http_port, host)
    try:
        service.run()
    finally:
        if http_port is not None:
            server.shutdown()
        container.close()
        log.info("scheduler stopped")
