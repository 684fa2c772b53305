"""`catbot playbook check|show` as a user runs them."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def test_check_all_bundled_playbooks() -> None:
    result = runner.invoke(app, ["playbook", "check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("ok: ") == 5
    assert "algemeen.yaml" in result.stdout


def test_check_reports_the_place_of_each_error(tmp_path: Path) -> None:
    text = resources.files("playbooks").joinpath("geweld.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "geweld.yaml"
    broken.write_text(text.replace("    mate: hoog", "    mate: torenhoog", 1), encoding="utf-8")
    good = tmp_path / "integriteit.yaml"
    good.write_text(resources.files("playbooks").joinpath("integriteit.yaml").read_text(encoding="utf-8"), "utf-8")
    result = runner.invoke(app, ["playbook", "check", str(broken), str(good)])
    assert result.exit_code == 1
    line = next(i for i, row in enumerate(broken.read_text().splitlines(), 1) if "torenhoog" in row)
    assert f"{broken}:{line}: fout (bouwstenen[0].mate): ongeldige waarde: 'torenhoog'" in result.stderr
    assert f"ok: {good}" in result.stdout
    assert "Traceback" not in result.output


def test_check_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["playbook", "check", str(tmp_path / "nergens.yaml")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{tmp_path / 'nergens.yaml'}: fout: bestand niet gevonden"


def test_show_prints_the_playbook_in_dutch() -> None:
    result = runner.invoke(app, ["playbook", "show", "onpartijdigheid"])
    assert result.exit_code == 0, result.output
    assert "**Norm:** De politie is er voor iedereen en kiest geen partij." in result.stdout
    assert "binnen 60 min: Eerste normstellende reactie publiceren." in result.stdout
    assert "politiechef – De politiechef van de betrokken eenheid" in result.stdout


def test_show_json_and_unknown_category() -> None:
    result = runner.invoke(app, ["playbook", "show", "algemeen", "--json"])
    assert result.exit_code == 0
    assert '"categorie": "algemeen"' in result.stdout
    bad = runner.invoke(app, ["playbook", "show", "verkeer"])
    assert bad.exit_code == 1
    assert bad.stderr.strip().startswith("fout: onbekende categorie 'verkeer'")
    assert "Traceback" not in bad.output
