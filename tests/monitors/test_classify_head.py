"""The trained head (monitors/data/classifier_head.json): bundled, not stale, geen for plain police news, titles, multi-label."""

from __future__ import annotations

import pytest

from encoder import Encoder
from monitors.classify import Classifier
from monitors.classify_head import bundled_head
from playbooks.vocabulary import Category

pytestmark = pytest.mark.slow  # the real default model


@pytest.fixture(scope="module")
def classifier(e5_encoder: Encoder) -> Classifier:
    return Classifier(e5_encoder)


def test_the_head_is_bundled_for_the_default_model_and_fitted_on_the_current_playbooks(
    classifier: Classifier, e5_encoder: Encoder
) -> None:
    head = bundled_head()
    assert head is not None and head.model == e5_encoder.name
    assert "split=train" in head.meta["fitted_on"] and head.meta["seed"] == 0
    # After editing the playbooks' terms or examples, refit: python bench/fit_head.py
    assert head.meta["examples_digest"] == classifier.examples_digest, "stale classifier head: refit it"
    assert classifier.head is not None and classifier.calibrated


def test_a_head_for_other_playbook_examples_is_not_used(e5_encoder: Encoder) -> None:
    head = bundled_head()
    assert head is not None
    stale = type(head)(head.model, head.weights, head.bias, head.threshold, {**head.meta, "examples_digest": "x"})
    import monitors.classify as module

    original = module.bundled_head
    module.bundled_head = lambda: stale
    try:
        assert Classifier(e5_encoder).head is None
    finally:
        module.bundled_head = original


# Not yet: the head has seen too few hard negatives (the devset's train split and the playbooks); the real-reporting
# corpus's train split carries them. strict: when a refit gets these right, this marker must go.
_NEEDS_CORPUS = pytest.mark.xfail(strict=True, reason="head not yet trained on the corpus's hard negatives")


@pytest.mark.parametrize("text", [
    "Politie houdt gewelddadige verdachte aan na steekpartij in Zwolle",
    "Meldpunt discriminatie presenteert jaarcijfers: meer meldingen over wonen en werk",
    pytest.param("Nieuwe korpschef legt eed af en spreekt over integriteit en vertrouwen", marks=_NEEDS_CORPUS),
    pytest.param("Rotterdamse politiehond gaat met pensioen na negen jaar trouwe dienst", marks=_NEEDS_CORPUS),
    pytest.param("Agent mishandeld tijdens aanhouding in Den Haag, verdachte vastgezet", marks=_NEEDS_CORPUS),
])
def test_plain_police_news_with_trigger_words_is_geen(classifier: Classifier, text: str) -> None:
    assert classifier.classify(text).labels == [Category.GEEN]


@pytest.mark.parametrize(("title", "expected"), [
    ("Agent slaat demonstrant met wapenstok op het hoofd, Rijksrecherche onderzoekt", Category.GEWELD),
    ("Agent geschorst om lekken van politie-informatie aan criminelen", Category.INTEGRITEIT),
    ("Rechter: politie maakte zich schuldig aan etnisch profileren bij controle", Category.DISCRIMINATIE_INCLUSIE),
])
def test_a_title_alone_is_enough(classifier: Classifier, title: str, expected: Category) -> None:
    assert expected in classifier.classify(title).labels


@_NEEDS_CORPUS  # discriminatie_inclusie scores 0.29 here; tests/monitors/test_classify.py's own case gets both
def test_force_and_profiling_in_one_article_get_both_labels(classifier: Classifier) -> None:
    result = classifier.classify(
        "Agenten sloegen jongen bij controle, familie spreekt van etnisch profileren. "
        "De jongen werd met een wapenstok geslagen; de Rijksrecherche onderzoekt het geweld."
    )
    assert {Category.GEWELD, Category.DISCRIMINATIE_INCLUSIE} <= set(result.labels)
    assert result.explanation[Category.GEWELD].examples  # the explanation keeps its nearest examples
