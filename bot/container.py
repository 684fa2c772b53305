"""Composition root: builds settings-driven parts once and hands them to the edges (CLI, Slack, jobs)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache, cached_property
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.cat.activation import ActivationRun, SagaContext, activate, resume_stuck
from bot.cat.ports import CatEffects, DraftText, RecordingEffects
from bot.errors import SchemaNotReady
from bot.organisation.directory import UserDirectory
from bot.organisation.loader import load_organisation
from bot.organisation.model import Organisation
from bot.settings import Settings
from bot.storage.engine import make_engine, make_session_factory, transaction
from bot.storage.migrate import ensure_schema, schema_problem
from norm_statements.norm_meaning import NormDetector

# The first drafts a new CAT gets per category: a press statement and a social post for the first reaction.
FIRST_DRAFTS = (("eerste_reactie", "persverklaring"), ("eerste_reactie", "social"))

log = logging.getLogger(__name__)


@cache
def load_norm_detector(model: str | None) -> NormDetector | None:
    """The norm-by-meaning over the shared encoder, once per process; None when no model can be loaded."""
    from encoder import Encoder, EncoderLoadError

    try:
        return NormDetector(Encoder.load(model).encode_queries)
    except EncoderLoadError as exc:
        log.warning("statement check without a model: %s", exc)
        return None


def system_clock() -> datetime:
    return datetime.now(UTC)


def playbook_drafter(*, categories: Sequence[str], unit_codes: Sequence[str], day: date) -> list[DraftText]:
    """First norm-statement drafts from the playbooks' templates (the unit is filled in when there is one)."""
    from norm_statements.drafting import draft

    variables = {"eenheid": unit_codes[0]} if len(unit_codes) == 1 else {}
    result = []
    for category in categories:
        for phase, channel in FIRST_DRAFTS:
            text = draft(category, phase, channel, variables, today=day).text
            result.append(DraftText(category, phase, channel, text))
    return result


def playbook_checklist(categories: Sequence[str]) -> list[str]:
    """The checklist items of the playbooks for these categories (algemeen first), without repeats."""
    from playbooks.loader import load_playbook

    items: dict[str, int] = {}
    for name in ["algemeen", *categories]:
        for step in load_playbook(name).checklist:
            items.setdefault(f"binnen {step.binnen_minuten} min: {step.stap} ({step.wie})", step.binnen_minuten)
    return sorted(items, key=items.__getitem__)  # by deadline; the sort is stable within one deadline


@dataclass
class Container:
    """Everything an edge needs, built once from Settings."""

    settings: Settings
    clock: Callable[[], datetime] = system_clock
    engine: Engine = field(init=False)
    session_factory: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.engine = make_engine(self.settings.effective_database_url)
        self.session_factory = make_session_factory(self.engine)

    @cached_property
    def org(self) -> Organisation:
        return load_organisation(self.settings.org_file)

    @property
    def request_expiry(self) -> timedelta:
        return timedelta(hours=self.settings.request_expiry_hours)

    @property
    def follow_up_after(self) -> timedelta:
        return timedelta(days=self.settings.follow_up_days)

    def classifier(self) -> Any:
        """The monitors' classifier (encoder + head), loaded once per process; call it with no transaction open."""
        from bot.analysis import settings_classifier

        return settings_classifier(self.settings)

    def migrate(self) -> None:
        ensure_schema(self.engine)

    def require_schema(self) -> None:
        """For commands: the embedded default database is set up on first use; a configured one must be ready.

        A typo in CATBOT_DATABASE_URL must not silently start an empty database beside the real one.
        """
        if self.settings.database_url is None:
            self.migrate()
            return
        problem = schema_problem(self.engine)
        if problem:
            raise SchemaNotReady(f"{problem}: voer eerst catbot db upgrade uit")

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with transaction(self.session_factory) as session:
            yield session

    def transaction(self) -> AbstractContextManager[Session]:
        """One unit of work (commit on success, roll back on error)."""
        return self._transaction()

    def platform_effects(self) -> Any:
        """The Slack gateway when a bot token is configured; otherwise the recording stand-in (CLI, demo)."""
        if self.settings.slack_bot_token is None:
            return RecordingEffects()
        from bot.slack.notifier import SlackGateway, make_client

        token = self.settings.slack_bot_token.get_secret_value()
        return SlackGateway(make_client(token, self.settings.slack_api_url))

    def saga_context(self, effects: CatEffects, directory: UserDirectory | None) -> SagaContext:
        """The activation's context; on Slack its tail updates the request cards and tells the requester."""
        notify = None
        if not isinstance(effects, RecordingEffects):
            from bot.slack.deps import Deps
            from bot.slack.flows import activation_tail

            notify = activation_tail(Deps(self, effects, self.settings.requests_channel))  # type: ignore[arg-type]
        return SagaContext(org=self.org, effects=effects, directory=directory, drafter=playbook_drafter,
                           clock=self.clock, checklist=playbook_checklist,
                           first_statement_due=timedelta(minutes=self.settings.first_statement_minutes),
                           gap_escalation_after=timedelta(minutes=self.settings.gap_escalation_minutes),
                           notify=notify, claim=self.claim_activation)

    def claim_activation(self, cat_id: int) -> AbstractContextManager[bool]:
        """One runner per CAT across threads, processes and instances (no transaction is held)."""
        from bot.scheduling.leader import try_exclusive

        return try_exclusive(self.engine, f"catbot-activation-{cat_id}")

    def activate(self, cat_id: int, effects: Any) -> ActivationRun:
        """The one way to run a CAT's activation (approval, start-up, scheduler, CLI): remaining steps + tail."""
        return activate(self.transaction, cat_id, self.saga_context(effects, effects))

    def resume_activations(self, effects: Any, stopping: Callable[[], bool] = lambda: False) -> list[str]:
        """Finish every interrupted activation nobody is running now; returns the CAT numbers."""
        return resume_stuck(self.transaction, self.saga_context(effects, effects), stopping=stopping)

    def norm_detector(self) -> NormDetector | None:
        """The statement check's norm-by-meaning over the shared encoder, loaded once per process; None (the
        patterns alone, and the user is told) when no model can be loaded. Call it before opening a transaction."""
        return load_norm_detector(self.settings.model)

    def close(self) -> None:
        self.engine.dispose()
