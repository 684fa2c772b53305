"""The bundled playbooks load, are complete, and hold what the classifier and the templates need."""

from __future__ import annotations

import pytest

from norm_statements.privacy import find_personal_data
from playbooks.loader import PLAYBOOK_NAMES, load_general_playbook, load_playbook, load_playbooks
from playbooks.vocabulary import Category, CoreValue, EscalationLevel, TrustBlock


def test_every_moral_category_has_a_playbook_and_loading_is_cached() -> None:
    playbooks = load_playbooks()
    assert set(playbooks) == set(Category.moral())
    assert load_playbooks() is playbooks
    assert load_playbook(Category.GEWELD) is playbooks[Category.GEWELD]
    assert load_general_playbook().categorie == "algemeen"
    assert load_general_playbook().category is None


@pytest.mark.parametrize("name", PLAYBOOK_NAMES)
def test_playbook_is_complete(name: str) -> None:
    pb = load_playbook(name)
    assert {b.bouwsteen for b in pb.bouwstenen} == set(TrustBlock)
    assert [f.niveau for f in pb.boegbeelden] == list(EscalationLevel)
    assert {v.waarde for v in pb.kernwaarden} <= set(CoreValue)
    assert pb.minutes_to_first_norm <= 60, "the memo asks for a first norm-setting reaction within the hour"
    assert 8 <= len(pb.classificatie.voorbeeldzinnen) <= 15
    assert len(pb.doen) >= 3 and len(pb.niet_doen) >= 3


@pytest.mark.parametrize("category", Category.moral())
def test_category_playbook_names_its_rules_and_has_texts(category: Category) -> None:
    pb = load_playbook(category)
    assert pb.teksten is not None
    assert any(signal.lower() in pb.norm.lower() or signal.lower() in pb.norm_kort.lower()
               for signal in pb.normsignalen), "the norm must contain one of its own norm signals"
    rules = " ".join(r.naam for r in pb.regels)
    expected = {
        Category.GEWELD: ["Politiewet 2012, artikel 7", "Ambtsinstructie"],
        Category.DISCRIMINATIE_INCLUSIE: ["Handelingskader proactief controleren", "Beroepscode"],
        Category.ONPARTIJDIGHEID: ["Grondwet", "Beroepscode"],
        Category.INTEGRITEIT: ["Beroepscode", "Wet politiegegevens"],
    }[category]
    for rule in expected:
        assert rule in rules


def test_classifier_examples_are_unique_across_categories() -> None:
    seen: dict[str, str] = {}
    for name in PLAYBOOK_NAMES:
        for sentence in load_playbook(name).classificatie.voorbeeldzinnen:
            assert sentence not in seen, f"'{sentence}' appears in {seen.get(sentence)} and {name}"
            seen[sentence] = name


@pytest.mark.parametrize("category", Category.moral())
def test_playbook_texts_contain_no_personal_data(category: Category) -> None:
    pb = load_playbook(category)
    assert pb.teksten is not None
    texts = pb.teksten.model_dump_json()
    assert find_personal_data(texts) == []


def test_unknown_playbook_is_a_dutch_value_error() -> None:
    with pytest.raises(ValueError, match="onbekende categorie 'verkeer'"):
        load_playbook("verkeer")
    with pytest.raises(ValueError, match="geen playbook voor 'geen'"):
        load_playbook("geen")
    assert load_playbook("discriminatie").categorie == "discriminatie_inclusie"
