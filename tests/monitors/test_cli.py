"""`catbot monitor …` as a user runs it: feeds check, ingest backfill, places look-up."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.monitors.conftest import FEEDS

runner = CliRunner()


def test_feeds_check_on_the_example_and_on_a_bad_file(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["monitor", "feeds", "check"])
    assert ok.exit_code == 0 and "feeds in orde" in ok.output
    bad = tmp_path / "feeds.yaml"
    bad.write_text("feeds:\n  - name: X\n    url: https://a.test\n    kind: krant\n", encoding="utf-8")
    result = runner.invoke(app, ["monitor", "feeds", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4: fout (feeds[0].kind)" in result.output
    assert "Traceback" not in result.output


def test_ingest_backfills_a_folder_and_counts_duplicates_on_the_second_run(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    for path in FEEDS.glob("*.*"):
        shutil.copy(path, folder / path.name)
    first = runner.invoke(app, ["monitor", "ingest", str(folder), "--zonder-analyse"])
    assert first.exit_code == 0, first.output
    assert "nieuw: 12, dubbel: 2, mislukt: 0" in first.output and "geanalyseerd" not in first.output
    second = runner.invoke(app, ["monitor", "ingest", str(FEEDS / "rijnmond.xml")])
    assert "nieuw: 0, dubbel: 3, mislukt: 0" in second.output


def test_ingest_of_a_missing_source_fails_with_one_dutch_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["monitor", "ingest", str(tmp_path / "weg.xml")])
    assert result.exit_code == 1
    assert "bestand niet leesbaar" in result.output and "geen enkele bron" in result.output
    assert "Traceback" not in result.output


def test_places_json_shows_units_confidence_and_flags() -> None:
    result = runner.invoke(app, ["monitor", "places", "Ongeluk op de A12 bij Gouda, daarna onrust op Schiphol", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["units"][0] == "RE06" and "LX" in data["units"]
    assert data["kmar"] is True and data["municipality"] == "Gouda"
    assert 0 < data["confidence"] <= 1


def test_places_text_output_and_bad_unit_hint() -> None:
    result = runner.invoke(app, ["monitor", "places", "Brand in Bergen", "--eenheid", "Limburg"])
    assert result.exit_code == 0 and "eenheden: RE10" in result.output
    bad = runner.invoke(app, ["monitor", "places", "Brand in Bergen", "--eenheid", "Gotham"])
    assert bad.exit_code == 1 and "onbekende eenheid" in bad.output


def test_poll_runs_one_round_and_status_shows_the_stored_reason(tmp_path: Path) -> None:
    (tmp_path / "feeds.yaml").write_text(
        "feeds:\n"
        f"  - name: Rijnmond\n    url: {FEEDS / 'rijnmond.xml'}\n    kind: regionaal_nieuws\n    unit: RE07\n"
        "  - name: Archief\n    url: archief/weg.xml\n    kind: overig\n    poll_minutes: 30\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["monitor", "poll", str(tmp_path / "feeds.yaml")])
    assert result.exit_code == 0, result.output
    assert "Rijnmond: ok (3 nieuw, 0 dubbel)" in result.output
    assert "Archief: fout (bestand niet leesbaar" in result.output
    status = runner.invoke(app, ["monitor", "feeds", "status", "--json"])
    rows = {row["feed"]: row for row in json.loads(status.output)}
    assert rows["Archief"]["failures"] == 1 and "niet leesbaar" in rows["Archief"]["last_error"]
    assert rows["Rijnmond"]["failures"] == 0 and rows["Rijnmond"]["last_error"] is None
    again = runner.invoke(app, ["monitor", "poll", str(tmp_path / "feeds.yaml")])
    assert "Archief: wacht" in again.output and "Rijnmond: wacht" in again.output


# ----------------------------------------------------------------------------- pipeline, report and signals
@pytest.fixture(autouse=True)
def _session_model(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """ingest and poll run the pipeline: give them the session's model instead of a load per command."""
    from bot.cli import monitor_report
    from monitors.classify import Classifier

    def classifier(model: str | None) -> Classifier:
        return Classifier(request.getfixturevalue("e5_encoder"))

    monkeypatch.setattr(monitor_report, "classifier", classifier)


@pytest.mark.slow
def test_ingest_runs_the_pipeline_and_report_shows_incidents_and_the_signal() -> None:
    first = runner.invoke(app, ["monitor", "ingest", str(FEEDS / "pileup" / "memo_week")])
    assert first.exit_code == 0, first.output
    assert "nieuw: 6" in first.output and "geanalyseerd: 6, incidenten: 4 (4 nieuw), signalen: 1" in first.output
    assert "signaal 1 (overstijgend)" in first.output
    data = json.loads(runner.invoke(app, ["monitor", "report", "--since", "2026-11-01", "--json"]).output)
    assert [s["kind"] for s in data["signals"]] == ["overstijgend"]
    assert set(data["signals"][0]) >= {"id", "kind", "category", "units", "incident_ids", "reason", "created_at"}
    kopstoot = next(i for i in data["incidents"] if "kopstoot" in i["label"])
    assert kopstoot["category"] == "geweld" and kopstoot["units"] == ["RE07"] and kopstoot["places"] == ["Rotterdam"]
    assert kopstoot["category_scores"]["geweld"] > 0.5 and len(kopstoot["articles"]) == 2
    assert set(kopstoot["articles"][0]) == {"url", "title", "published", "source"}
    human = runner.invoke(app, ["monitor", "report", "--sinds", "2026-11-01"])
    assert "incidenten met een moreel issue: 2 (van 4)" in human.output and "rechtvaardigheid" in human.output
    refused = runner.invoke(app, ["monitor", "signaal", "1", "--status", "genegeerd", "--as", "dir-directeur@voorbeeld.politie.test"])
    assert refused.exit_code == 1 and "geef een reden" in refused.output
    ok = runner.invoke(app, ["monitor", "signaal", "1", "--status", "genegeerd", "--as", "dir-directeur@voorbeeld.politie.test", "--reden", "bekend"])
    assert ok.exit_code == 0 and "signaal 1: genegeerd" in ok.output
    again = runner.invoke(app, ["monitor", "ingest", str(FEEDS / "pileup" / "memo_week")])
    assert "geanalyseerd: 0" in again.output and "signalen: 0" in again.output
    bad = runner.invoke(app, ["monitor", "report", "--since", "gisteren"])
    assert bad.exit_code == 1 and "JJJJ-MM-DD" in bad.output
