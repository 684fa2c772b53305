"""CATBOT_MODEL_PRECISION: fp32 by default, int8 by dynamic quantisation of the Linear layers, anything else refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.analysis import classifier
from bot.settings import Settings
from encoder import DEFAULT_PRECISION, Encoder, EncoderLoadError

pytestmark = pytest.mark.slow  # loads a real model

TEXTS = [
    "The police arrested a man in Rotterdam after a headbutt during an arrest.",
    "An officer was suspended for leaking confidential information.",
    "The football club won three to one on Sunday.",
]


def _linear_kinds(encoder: Encoder) -> set[str]:
    modules = encoder._model.modules()
    return {f"{type(m).__module__}.{type(m).__name__}" for m in modules if "Linear" in type(m).__name__}


def test_fp32_is_the_default_and_int8_quantises_the_linear_layers(minilm_dir: Path) -> None:
    plain = Encoder.load(str(minilm_dir))
    quantised = Encoder.load(str(minilm_dir), precision="int8")
    assert plain.precision == DEFAULT_PRECISION == "fp32"
    assert quantised.precision == "int8"
    assert all("quantized" not in kind for kind in _linear_kinds(plain))
    assert all("quantized" in kind for kind in _linear_kinds(quantised))
    cosines = (plain.encode_queries(TEXTS) * quantised.encode_queries(TEXTS)).sum(axis=1)
    assert np.all(cosines > 0.9)  # close to fp32, not identical
    assert not np.allclose(cosines, 1.0, atol=1e-6)


def test_an_unknown_precision_is_a_clear_error(minilm_dir: Path) -> None:
    with pytest.raises(EncoderLoadError, match="CATBOT_MODEL_PRECISION='fp16'"):
        Encoder.load(str(minilm_dir), precision="fp16")


def test_the_setting_reaches_the_one_classifier_of_the_process(
    minilm_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CATBOT_MODEL", str(minilm_dir))
    monkeypatch.setenv("CATBOT_MODEL_PRECISION", "int8")
    settings = Settings()
    assert settings.model_precision == "int8"
    first = classifier(settings.model, settings.model_precision)
    assert first.encoder.precision == "int8"  # type: ignore[attr-defined]
    assert classifier(settings.model, settings.model_precision) is first  # loaded once per process
    assert classifier(settings.model, "fp32") is not first
