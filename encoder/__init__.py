"""Sentence embeddings from a local transformers model: the only package that imports torch or transformers.

Shared by the media monitors (classification, incidents) and the norm-statement check; it knows neither.
"""

from encoder.model import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_LENGTH,
    DEFAULT_PRECISION,
    PRECISIONS,
    Encoder,
    EncoderLoadError,
    default_cache_dir,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_PRECISION",
    "PRECISIONS",
    "Encoder",
    "EncoderLoadError",
    "default_cache_dir",
]
