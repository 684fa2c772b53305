"""The moral-issue classifier as the monitors and the CLI use it: quality on the dev set, tricky cases, evidence."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from encoder import Encoder
from monitors.classify import Classifier, article_text
from monitors.classify_calibration import FEATURES, Calibration, bundled_calibration, fit_logistic
from monitors.classify_terms import TermMatcher, police_context
from playbooks.loader import load_playbooks
from playbooks.vocabulary import Category

pytestmark = pytest.mark.slow  # uses the real default model (one load per session)

DEVSET = Path(__file__).resolve().parents[1] / "data" / "classify" / "devset.yaml"
MORAL = Category.moral()
GEWELD, DISCRIMINATIE, ONPARTIJDIG, INTEGRITEIT, GEEN = (
    Category.GEWELD, Category.DISCRIMINATIE_INCLUSIE, Category.ONPARTIJDIGHEID, Category.INTEGRITEIT, Category.GEEN
)
class CountingEncoder:
    """The real encoder under another name, counting how many texts it embeds."""

    def __init__(self, encoder: Encoder, name: str) -> None:
        self.encoder, self.name, self.texts = encoder, name, 0

    def encode_queries(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        self.texts += len(texts)
        return self.encoder.encode_queries(texts, batch_size)


@pytest.fixture(scope="session")
def classifier(e5_encoder: Encoder) -> Classifier:
    return Classifier(e5_encoder)


@pytest.fixture(scope="session")
def devset() -> list[dict[str, Any]]:
    return list(yaml.safe_load(DEVSET.read_text(encoding="utf-8")))


def test_devset_is_large_varied_and_split(devset: list[dict[str, Any]]) -> None:
    assert len(devset) >= 240
    for category in MORAL:
        assert sum(category.value in i["labels"] for i in devset) >= 35, category
    kinds = [i["soort"] for i in devset]
    assert kinds.count("politie_neutraal") >= 50 and kinds.count("geen_politie") >= 40
    assert sum(len(i["labels"]) > 1 for i in devset) >= 8
    assert {i["split"] for i in devset} == {"train", "test"}
    examples = {s.lower() for p in load_playbooks().values() for s in p.classificatie.voorbeeldzinnen}
    assert not [i["id"] for i in devset if i["title"].lower() in examples]


# ----------------------------------------------------------------------------- quality on the test split


def test_calibration_is_bundled_for_the_default_model(classifier: Classifier, e5_encoder: Encoder) -> None:
    calibration = bundled_calibration()
    assert calibration is not None and calibration.model == e5_encoder.name
    assert classifier.calibrated and calibration.features == FEATURES
    assert set(calibration.categories) == set(MORAL)
    assert all(0.3 <= m.threshold <= 0.7 for m in calibration.categories.values())
    assert "split=train" in calibration.meta["fitted_on"]
    # Features move with the playbooks' terms and examples: after editing them, refit (bench/eval_classifier.py --fit).
    assert calibration.meta["examples_digest"] == classifier.examples_digest, "stale calibration: refit it"


TRICKY = [
    ("Twee mannen gewond bij vechtpartij op straat in Tilburg. Na een ruzie over een parkeerplek gingen twee "
     "buurtbewoners met elkaar op de vuist; een van hen brak zijn neus.", GEEN),
    ("Agent slaat verdachte tijdens aanhouding in Zwolle. Op beelden is te zien hoe een agent een man die al op "
     "de grond ligt meerdere keren slaat.", GEWELD),
    ("Etnisch profileren bij controle in Eindhoven. Een jonge automobilist zegt dat hij alleen werd stilgezet "
     "vanwege zijn huidskleur.", DISCRIMINATIE),
    ("Agent lekt informatie aan criminelen. Een agent uit Utrecht wordt ervan verdacht vertrouwelijke gegevens te "
     "hebben doorgespeeld aan een drugsbende.", INTEGRITEIT),
    ("ME treedt harder op tegen boeren dan tegen klimaatactivisten. Boeren die in Assen een weg blokkeerden, werden "
     "direct weggestuurd; klimaatactivisten mochten een dag eerder blijven staan.", ONPARTIJDIG),
    ("Politie houdt man aan na inbraak in Arnhem. De 40-jarige verdachte werd op heterdaad betrapt.", GEEN),
    ("Het KNMI waarschuwt voor ijzel en gladheid in Drenthe en Groningen.", GEEN),
]


@pytest.mark.parametrize(("text", "expected"), TRICKY, ids=[t[:28] for t, _ in TRICKY])
def test_tricky_examples(classifier: Classifier, text: str, expected: Category) -> None:
    result = classifier.classify(text)
    assert result.labels == [expected], result.scores
    assert max(result.scores, key=lambda c: result.scores[c]) is expected


def test_an_arrest_with_force_and_ethnic_profiling_gets_both_labels(classifier: Classifier) -> None:
    result = classifier.classify(article_text(
        "Jongen hardhandig tegen de grond gewerkt bij controle, familie spreekt van etnisch profileren",
        "Agenten sloegen de 16-jarige jongen in Rotterdam terwijl hij volgens omstanders niets had gedaan; "
        "zijn familie zegt dat hij alleen werd gecontroleerd vanwege zijn huidskleur.",
    ))
    assert set(result.labels) == {GEWELD, DISCRIMINATIE}, result.scores
    assert result.scores[GEEN] < 0.1


# ----------------------------------------------------------------------------- explanation and batching


def test_each_result_explains_itself(classifier: Classifier) -> None:
    result = classifier.classify("Agenten sloegen man met wapenstok bij aanhouding in Venlo, Rijksrecherche onderzoekt")
    evidence = result.explanation[GEWELD]
    assert {h.term for h in evidence.terms} >= {"agent slaat", "wapenstok", "Rijksrecherche"}
    assert any(h.matched == "agenten sloegen" for h in evidence.terms)
    similarities = [n.similarity for n in evidence.examples]
    assert len(similarities) == 3 and similarities == sorted(similarities, reverse=True)
    assert all(n.text in load_playbooks()[GEWELD].classificatie.voorbeeldzinnen for n in evidence.examples)
    assert "agenten" in result.police_terms and result.explanation[GEEN].examples
    data = json.loads(json.dumps(result.to_dict()))
    assert data["labels"] == ["geweld"] and data["explanation"]["geweld"]["terms"][0]["matched"]


def test_batches_match_single_texts_and_examples_are_embedded_once(e5_encoder: Encoder) -> None:
    counting = CountingEncoder(e5_encoder, "een ander model")
    other = Classifier(counting)
    after_init = counting.texts
    texts = [t for t, _ in TRICKY[:4]]
    batch = other.classify_many(texts)
    assert counting.texts - after_init == len(texts)  # only the texts, not the examples again
    single = other.classify(texts[1])
    assert single.labels == batch[1].labels
    assert single.scores[GEWELD] == pytest.approx(batch[1].scores[GEWELD], abs=1e-4)
    assert other.classify_many([]) == []
    # Another model name: no calibration applies, so the documented heuristic scores, and says so.
    assert not other.calibrated and not batch[1].calibrated
    assert GEWELD in batch[1].labels and batch[0].labels == [GEEN]


# ----------------------------------------------------------------------------- parts without the model


@pytest.mark.parametrize(
    ("term", "text", "matched"),
    [
        ("lekken", "Agent lekte gegevens", "lekte"),
        ("etnisch profileren", "voelen zich etnisch geprofileerd", "etnisch geprofileerd"),
        ("agent slaat", "Agenten sloegen de man", "agenten sloegen"),
        ("schot gelost", "er werden schoten gelost", "schoten gelost"),
        ("ME", "De ME'ers grepen in", "ME"),
        ("ME", "Meer agenten op straat", None),
        ("taser", "contaserveerd", None),
        ("app-groep", "berichten in een app groep", "app groep"),
    ],
)
def test_terms_match_on_word_boundaries_and_tolerate_inflection(term: str, text: str, matched: str | None) -> None:
    hits = TermMatcher([term]).find(text)
    assert [h.matched for h in hits] == ([matched] if matched else [])


def test_police_context() -> None:
    assert police_context("Twee mannen gewond bij vechtpartij voor café") == []
    assert police_context("ME grijpt in bij demonstratie") == ["ME"]
    assert police_context("Verdachte aangehouden door de marechaussee")
    assert police_context("Merel meldt zich") == []


def test_calibration_round_trips_and_logistic_fit_finds_the_signal() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(200, len(FEATURES)))
    y = (x[:, 0] + 0.2 * rng.normal(size=200) > 0).astype(float)
    model = fit_logistic(x, y, l2=0.3)
    assert model.weights[0] > 2 * max(abs(w) for w in model.weights[1:])
    bundled = bundled_calibration()
    assert bundled is not None and Calibration.from_json(bundled.to_json()) == bundled


def test_cli_prints_labels_scores_and_evidence(classifier: Classifier, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import app, monitor_classify

    monkeypatch.setattr(monitor_classify, "load_classifier", lambda model, precision=None: classifier)
    runner = CliRunner()
    text = "Agent lekt gegevens uit politiesystemen aan criminelen in Almere"
    plain = runner.invoke(app, ["monitor", "classify", text])
    assert plain.exit_code == 0, plain.output
    assert plain.output.startswith("labels: integriteit")
    assert "termen: lekken ('lekt'), politiesystemen" in plain.output and "lijkt op (0." in plain.output
    as_json = runner.invoke(app, ["monitor", "classify", text, "--json"])
    data = json.loads(as_json.output)
    assert data["labels"] == ["integriteit"] and data["calibrated"] is True
    assert set(data["scores"]) == {c.value for c in Category}
    empty = runner.invoke(app, ["monitor", "classify", "  "])
    assert empty.exit_code == 1 and "geen tekst om te classificeren" in empty.output
    assert "Traceback" not in empty.output
