"""`catbot serve` (HTTP mode behind gunicorn) and `catbot run` (Socket Mode + scheduler): the bot as a service."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli import preflight
from bot.cli.common import fail, load_settings
from bot.logs import configure_logging

log = logging.getLogger("bot.cli.serve")


def _start(require: tuple[str, ...]) -> Any:
    """Settings, logging, migrations and interrupted activations, before the bot takes traffic."""
    from bot.container import Container
    from bot.scheduling.leader import exclusive
    from bot.scheduling.metrics import count_errors
    from bot.slack.app import create_app
    from bot.slack.deps import Deps
    from bot.slack.flows import resume_activations
    from bot.slack.http import count_events

    settings = load_settings()
    missing = [name for name in require if getattr(settings, name.lower()) is None]
    if missing:
        fail(f"{', '.join(missing)} ontbreekt; zie .env.example")
    preflight.check_data_dir(settings)
    container = Container(settings)
    preflight.check_organisation(container)
    preflight.check_database(container)
    gateway = container.platform_effects()  # the Slack gateway: the bot token is present (checked above)
    preflight.check_slack(gateway)
    configure_logging(settings.log_level, force=True)  # checked: from here a service logs to stderr for its supervisor
    count_errors()
    with exclusive(container.engine, "catbot-resume"):  # instances starting together resume one at a time
        resumed = resume_activations(Deps(container, gateway, settings.requests_channel))
    if resumed:
        log.info("resumed %d interrupted activation(s)", len(resumed))
    bolt = create_app(container, client=gateway.client)
    bolt.use(count_events)  # after the de-duplication middleware: a retry is not counted twice
    return container, bolt


def serve(
    port: Annotated[int, typer.Option(help="Poort", envvar="PORT")] = 3000,
    host: Annotated[str, typer.Option(help="Adres om op te luisteren")] = "127.0.0.1",
    threads: Annotated[int, typer.Option(help="Threads per worker (gunicorn gthread)")] = 8,
    workers: Annotated[int, typer.Option(help="Werkprocessen (0: één per CPU-kern, hoogstens 4)", min=0)] = 0,
    control_socket: Annotated[Path | None, typer.Option(
        "--control-socket", help="Unix-socket voor gunicornc; standaard geen (elke instantie een eigen pad)")] = None,
) -> None:
    """HTTP mode: /slack/events and /healthz behind gunicorn (needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)."""
    from gunicorn.app.base import BaseApplication

    from bot.slack.http import create_wsgi

    container, bolt = _start(("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"))
    wsgi = create_wsgi(bolt, container)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("worker_class", "gthread")
            # Python runs one thread at a time per process: a worker per core acks a burst on every core.
            self.cfg.set("workers", workers or min(os.cpu_count() or 1, 4))
            self.cfg.set("threads", threads)
            self.cfg.set("post_fork", lambda _server, _worker: container.engine.dispose(close=False))
            self.cfg.set("graceful_timeout", 30)
            self.cfg.set("accesslog", None)
            # gunicorn >= 25.1 opens a control socket at one fixed path per user: a second instance on the host
            # would unlink the first one's and point gunicornc at itself. So: this instance's own path, or none.
            if "control_socket" in self.cfg.settings:
                if control_socket is None:
                    self.cfg.set("control_socket_disable", True)
                else:
                    self.cfg.set("control_socket", str(control_socket))

        def load(self) -> Any:
            return wsgi

    Server().run()


def run(
    with_scheduler: Annotated[bool, typer.Option("--scheduler/--no-scheduler",
                                                 help="Ook de scheduler in dit proces (stand-by als een ander "
                                                      "proces leider is)")] = True,
    http_port: Annotated[int | None, typer.Option("--http-port", help="Poort voor /healthz en /metrics")] = None,
    host: Annotated[str, typer.Option(help="Adres voor --http-port")] = "127.0.0.1",
) -> None:
    """Socket Mode: the bot without a public URL, with the scheduler (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)."""
    import threading

    from bot.cli.scheduler import stop_on_signals
    from bot.scheduling.service import SchedulerService
    from bot.slack.http import connect_socket_mode, create_ops_wsgi, serve_in_thread
    from bot.slack.notifier import SlackGateway

    settings = load_settings()
    container, bolt = _start(("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"))
    assert settings.slack_app_token is not None
    stop = threading.Event()
    service = SchedulerService(container, SlackGateway(bolt.client)) if with_scheduler else None
    if service is not None:
        stop = service.stopping
        service.start()
    stop_on_signals(stop)
    if http_port is not None:
        serve_in_thread(create_ops_wsgi(container, scheduler=service, client=bolt.client), http_port, host)
    disconnect = connect_socket_mode(bolt, settings.slack_app_token.get_secret_value())
    log.info("connected over Socket Mode%s", " with the scheduler" if service else "")
    stop.wait()
    disconnect()  # no new Slack requests; then jobs finish and leadership is released
    if service is not None:
        service.stop()
    container.close()
