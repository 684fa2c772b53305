"""`catbot norm draft|check|list` as a spokesperson uses them: clear output, Dutch errors, honest exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def test_draft_prints_the_text_and_lists_what_to_fill_in() -> None:
    result = runner.invoke(app, ["norm", "draft", "geweld", "--phase", "eerste_reactie", "--channel", "social",
                                 "--var", "plaats=Utrecht"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Utrecht: Geweld door de politie mag alleen als het echt nodig is")
    assert "nog in te vullen: [[moment van de volgende update]]" in result.stderr


def test_draft_json() -> None:
    result = runner.invoke(app, ["norm", "draft", "discriminatie", "--phase", "afloop", "--channel", "persverklaring",
                                 "--var", "uitkomst=verwijtbaar", "--var", "eenheid=Limburg", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["category"] == "discriminatie_inclusie" and data["phase"] == "afloop"
    assert "eenheid Limburg" in data["text"] and "[[plaats]]" in data["placeholders"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["verkeer", "--phase", "afloop", "--channel", "social"], "fout: onbekende categorie 'verkeer'"),
        (["geweld", "--phase", "later", "--channel", "social"], "fout: onbekende fase 'later'"),
        (["geweld", "--phase", "afloop", "--channel", "krant"], "fout: onbekend kanaal 'krant'"),
        (["geweld", "--channel", "social"], "fout: geef een fase met --phase op"),
        (["geweld", "--phase", "afloop"], "fout: geef een kanaal met --channel op"),
        (["geweld", "--phase", "afloop", "--channel", "social", "--var", "plaats"], "fout: ongeldige --var 'plaats'"),
        (["geweld", "--phase", "afloop", "--channel", "social", "--lang", "en"], "fout: Engelse sjablonen"),
    ],
)
def test_wrong_draft_input_is_one_dutch_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["norm", "draft", *args])
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_check_good_statement_exits_zero(tmp_path: Path) -> None:
    file = tmp_path / "verklaring.txt"
    file.write_text("Geweld mag alleen als het echt nodig is. We kijken kritisch naar ons optreden en leggen "
                    "verantwoording af.", encoding="utf-8")
    result = runner.invoke(app, ["norm", "check", str(file), "--channel", "social", "--category", "geweld"])
    assert result.exit_code == 0, result.output
    assert "geen bevindingen" in result.stdout


def test_check_bad_statement_shows_findings_and_fails(tmp_path: Path) -> None:
    file = tmp_path / "verklaring.txt"
    file.write_text("Er loopt een onderzoek. Agent Jansen heeft conform protocol gehandeld.", encoding="utf-8")
    result = runner.invoke(app, ["norm", "check", str(file), "--channel", "persverklaring", "--category", "geweld"])
    assert result.exit_code == 1
    assert "waarschuwing [norm-ontbreekt]" in result.stdout  # a judgement call: warned, not blocked
    assert "fout [alleen-lopend-onderzoek]" in result.stdout
    assert "fout [persoonsnaam]" in result.stdout and "tekst: “Agent Jansen”" in result.stdout
    assert "voorstel:" in result.stdout


def test_check_json_and_allowed_name(tmp_path: Path) -> None:
    file = tmp_path / "verklaring.txt"
    file.write_text("“Dit past niet bij ons. We leren hiervan en leggen verantwoording af”, zegt politiechef "
                    "Anna Bakker.", encoding="utf-8")
    args = ["norm", "check", str(file), "--channel", "persverklaring", "--category", "integriteit", "--json"]
    flagged = runner.invoke(app, args)
    assert flagged.exit_code == 1
    flagged_codes = [f["code"] for f in json.loads(flagged.stdout)["findings"] if f["severity"] != "info"]
    assert flagged_codes == ["persoonsnaam"]
    allowed = runner.invoke(app, [*args, "--allow-name", "Anna Bakker"])
    assert allowed.exit_code == 0
    result = json.loads(allowed.stdout)
    assert result["ok"] is True and all(f["severity"] == "info" for f in result["findings"])
    assert [f["excerpt"] for f in result["findings"] if f["code"] == "norm-herkend"] == ["“Dit past niet bij ons."]


def test_check_reads_stdin_and_reports_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["norm", "check", "-", "--channel", "social", "--category", "geweld"],
                           input="Geen commentaar.")
    assert result.exit_code == 1 and "alleen-lopend-onderzoek" in result.stdout
    missing = runner.invoke(app, ["norm", "check", str(tmp_path / "x.txt"), "--channel", "social",
                                  "--category", "geweld"])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"fout: bestand niet gevonden: {tmp_path / 'x.txt'}"


def test_check_unknown_channel_is_one_dutch_line(tmp_path: Path) -> None:
    file = tmp_path / "v.txt"
    file.write_text("tekst", encoding="utf-8")
    result = runner.invoke(app, ["norm", "check", str(file), "--channel", "krant", "--category", "geweld"])
    assert result.exit_code == 1
    assert result.stderr.startswith("fout: onbekend kanaal 'krant'")


def test_list_shows_all_combinations() -> None:
    result = runner.invoke(app, ["norm", "list", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 80
    assert {"category": "integriteit", "phase": "intern_na_incident", "channel": "woordvoeringslijn"} in rows
