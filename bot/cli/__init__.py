"""`catbot …`: the command line over the services, for admins, scripting and the demo."""

from __future__ import annotations

import os

# Plain usage errors ("Error: Missing option '--as'.") instead of boxes drawn with rich; read at import.
os.environ.setdefault("TYPER_USE_RICH", "0")

import typer  # noqa: E402

from bot.cli import cat as cat_cli
from bot.cli import db as db_cli
from bot.cli import demo as demo_cli
from bot.cli import monitor as monitor_cli
from bot.cli import norm as norm_cli
from bot.cli import org as org_cli
from bot.cli import playbook as playbook_cli
from bot.cli import scheduler as scheduler_cli
from bot.cli import serve as serve_cli
from bot.cli import slack_emulator as slack_emulator_cli
from bot.cli.common import usage_error_line

app = typer.Typer(
    name="catbot",
    help="CAT bot: rode knop, Communicatie-advies-team, tijdlijn, mediamonitors en normstellingen.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Sub-command groups; each module defines `app = typer.Typer(...)`.
app.add_typer(db_cli.app, name="db")
app.add_typer(org_cli.app, name="org")
app.add_typer(cat_cli.app, name="cat")
app.command("demo", help="Speel het CAT-verhaal van begin tot eind af in de lokale Slack-emulator: een eenheid "
                   "vraagt, de directeur drukt de rode knop in, het CAT werkt en sluit.")(demo_cli.demo)
app.command("serve", help="HTTP-modus: /slack/events en /healthz achter gunicorn (vereist SLACK_BOT_TOKEN en "
                    "SLACK_SIGNING_SECRET).")(serve_cli.serve)
app.command("run", help="Socket Mode: de bot zonder publieke URL, met de scheduler (vereist SLACK_BOT_TOKEN en "
                  "SLACK_APP_TOKEN).")(serve_cli.run)
# (further groups are registered below, one line each)
app.add_typer(norm_cli.app, name="norm")
app.add_typer(playbook_cli.app, name="playbook")
app.command("slack-emulator", help="Draai een lokale Slack op 127.0.0.1 tot Ctrl-C; wijs de bot ernaar met "
                             "SLACK_API_URL.")(slack_emulator_cli.run)
app.add_typer(monitor_cli.app, name="monitor")
app.command("scheduler", help="Voer als leider de taken uit (herinneringen, feeds, digest, bewaartermijnen); anders "
                        "stand-by (vereist SLACK_BOT_TOKEN).")(scheduler_cli.scheduler)


def main() -> None:
    """Console-script entry point: unexpected errors become one line with an id, the details go to the log."""
    import logging
    import sys
    import uuid

    from bot.logs import cli_log_file, configure_logging

    log_file = cli_log_file()
    configure_logging(os.environ.get("CATBOT_LOG_LEVEL", "WARNING"), log_file, stderr=False)
    try:
        code = app(standalone_mode=False)
    except (KeyboardInterrupt, typer.Abort):
        print("afgebroken", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:
        if "NoArgsIsHelpError" in {cls.__name__ for cls in type(exc).__mro__}:
            print(exc.format_message())  # type: ignore[attr-defined]  # a group without a command: its help
            sys.exit(0)
        line = usage_error_line(exc)
        if line is not None:
            print(line, file=sys.stderr)
            sys.exit(2)
        error_id = uuid.uuid4().hex[:8]
        logging.getLogger("catbot").exception("unexpected error %s", error_id)
        print(f"fout: er ging onverwacht iets mis (fout-id {error_id}); details in {log_file}",
              file=sys.stderr)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
