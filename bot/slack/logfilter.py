"""Keep HTTP bodies out of the log at every level: Slack's requests, our Web API calls and Slack's answers.

Bodies carry what people typed, names and e-mail addresses. slack_sdk and Bolt log them at DEBUG
("Sending a request - url: …, json_body: …", "Received the following response - …, body: …",
"Responding with status: 200 body: …"); the filter keeps the head of such a record (URL, status) and drops
the rest. A logger's filters see only the records logged on that very logger, so the filter goes on every
logger of slack_bolt, slack_sdk and ours that exists once the app is built, and on the root's handlers.
"""

from __future__ import annotations

import logging

BODY_MARKERS = (", query_params:", ", headers:", "body:")  # where the body-carrying part of a record starts
LEFT_OUT = " [body left out]"
PACKAGES = ("slack_bolt", "slack_sdk", "bot")


class NoBodies(logging.Filter):
    """Cut a record at the first marker of a body; the record itself is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cuts = [i for i in (message.find(marker) for marker in BODY_MARKERS) if i >= 0]
        if cuts:
            record.msg, record.args = message[:min(cuts)] + LEFT_OUT, None
        return True


def keep_bodies_out_of_logs() -> None:
    """Install NoBodies (once) on the loggers of slack_bolt, slack_sdk and bot, and on the root's handlers."""
    loggers = [logging.getLogger(name) for name in PACKAGES]
    loggers += [logger for name, logger in list(logging.root.manager.loggerDict.items())
                if isinstance(logger, logging.Logger) and name.split(".")[0] in PACKAGES]
    for target in [*loggers, *logging.root.handlers]:
        if not any(isinstance(existing, NoBodies) for existing in target.filters):
            target.addFilter(NoBodies())
