"""Schema errors in a playbook are reported with the line and path, in Dutch."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from playbooks.loader import parse_playbook
from playbooks.validation import ConfigError

ORIGINAL = resources.files("playbooks").joinpath("geweld.yaml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _errors(tmp_path: Path, text: str, name: str = "geweld.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        parse_playbook(path)
    return [str(f) for f in info.value.findings]


def test_bundled_playbook_is_valid_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "geweld.yaml"
    path.write_text(ORIGINAL, encoding="utf-8")
    assert parse_playbook(path).categorie == "geweld"


def test_unknown_field_names_its_line(tmp_path: Path) -> None:
    text = ORIGINAL.replace("norm_kort:", "toon: warm\nnorm_kort:", 1)
    (error,) = _errors(tmp_path, text)
    assert error == f"{tmp_path / 'geweld.yaml'}:{_line_of(text, 'toon: warm')}: fout (toon): onbekend veld"


def test_wrong_core_value_names_the_item(tmp_path: Path) -> None:
    text = ORIGINAL.replace("  - waarde: moedig", "  - waarde: dapper", 1)
    (error,) = _errors(tmp_path, text)
    assert f":{_line_of(text, 'waarde: dapper')}: fout (kernwaarden[2].waarde): ongeldige waarde: 'dapper'" in error


def test_too_few_classifier_examples(tmp_path: Path) -> None:
    start = ORIGINAL.index("  voorbeeldzinnen:\n")
    end = ORIGINAL.index("  tegenvoorbeelden:")
    text = ORIGINAL[:start] + "  voorbeeldzinnen:\n    - Een enkele zin\n" + ORIGINAL[end:]
    (error,) = _errors(tmp_path, text)
    assert f":{_line_of(text, 'voorbeeldzinnen:')}: fout (classificatie.voorbeeldzinnen): te weinig items: minimaal 8" \
        in error


def test_missing_norm_and_figureheads_out_of_order(tmp_path: Path) -> None:
    text = ORIGINAL.replace("norm: >-\n", "normen: >-\n", 1).replace(
        "  - niveau: politiechef", "  - niveau: korpsleidingX", 1
    )
    errors = _errors(tmp_path, text)
    assert any("fout (norm): verplicht veld ontbreekt" in e for e in errors)
    assert any(f":{_line_of(text, 'normen:')}: fout (normen): onbekend veld" in e for e in errors)
    assert any("(boegbeelden[1].niveau): ongeldige waarde: 'korpsleidingX'" in e for e in errors)


def test_checklist_out_of_order_and_without_milestone(tmp_path: Path) -> None:
    text = ORIGINAL.replace("    binnen_minuten: 15", "    binnen_minuten: 90", 1)
    (error,) = _errors(tmp_path, text)
    assert f":{_line_of(text, 'checklist:')}: fout (checklist): zet de stappen op volgorde van binnen_minuten" in error
    text = ORIGINAL.replace("    mijlpaal: eerste_norm\n", "", 1)
    (error,) = _errors(tmp_path, text)
    assert "markeer precies één stap met 'mijlpaal: eerste_norm'" in error


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    text = ORIGINAL.replace("titel: Geweld door politiemensen", "titel: [Geweld", 1)
    (error,) = _errors(tmp_path, text)
    # The parser notices the unclosed '[' on the next line, where the next key starts.
    assert f"geweld.yaml:{_line_of(text, 'titel: [Geweld') + 1}: fout: geen geldige YAML" in error


def test_category_must_match_file_name(tmp_path: Path) -> None:
    (error,) = _errors(tmp_path, ORIGINAL, name="integriteit.yaml")
    assert f"integriteit.yaml:{_line_of(ORIGINAL, 'categorie: geweld')}: fout (categorie)" in error
    assert "past niet bij de bestandsnaam" in error
