"""The monitors' model home: one classifier (encoder + calibrated head) per process, and the pipeline step over it.

Loaded through the container (Container.classifier) by the scheduler and by the CLI alike; load it before a
transaction opens, never inside one.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.settings import Settings

if TYPE_CHECKING:
    from monitors.classify import Classifier
    from monitors.pipeline import PipelineResult

_lock = threading.Lock()
_loaded: dict[tuple[str | None, str | None], Classifier] = {}


def classifier(model: str | None, precision: str | None = None) -> Classifier:
    """The classifier over CATBOT_MODEL at CATBOT_MODEL_PRECISION, loaded once per process (raises EncoderLoadError)."""
    key = (model, precision)
    with _lock:  # two jobs starting together must not load the model twice
        if key not in _loaded:
            from encoder import Encoder
            from monitors.classify import Classifier

            _loaded[key] = Classifier(Encoder.load(model, precision=precision))
        return _loaded[key]


def settings_classifier(settings: Settings) -> Classifier:
    """The classifier the settings ask for."""
    return classifier(settings.model, settings.model_precision)


def run_pipeline(
    session: Session, settings: Settings, article_ids: Sequence[int], seen_again: Sequence[int] = (),
    now: datetime | None = None,
) -> PipelineResult:
    """Analyse, cluster and check for pile-ups with the process's one classifier."""
    from monitors.pipeline import PipelineResult, analyse_articles

    if not article_ids and not seen_again:
        return PipelineResult()
    return analyse_articles(session, list(article_ids), classifier=settings_classifier(settings),
                            now=now or datetime.now(UTC), seen_again=seen_again)
