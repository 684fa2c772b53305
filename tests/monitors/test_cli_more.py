"""`catbot monitor …` as a newcomer meets it: non-feeds, broken feeds, analyse later, report window, signaal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.monitors.conftest import FEEDS

runner = CliRunner()
DIRECTOR = "dir-directeur@voorbeeld.politie.test"


@pytest.fixture(autouse=True)
def _session_model(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """The pipeline gets the session's model instead of a load per command."""
    from bot.cli import monitor_report
    from monitors.classify import Classifier

    def classifier(model: str | None) -> Classifier:
        return Classifier(request.getfixturevalue("e5_encoder"))

    monkeypatch.setattr(monitor_report, "classifier", classifier)


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"<!DOCTYPE html><html><body>Onderhoud</body></html>", "geen feed: dit lijkt een HTML-pagina"),
        (b'{"items": []}', "geen feed: dit lijkt JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "geen feed: dit lijkt een binair bestand"),
        (b"", "geen feed: het bestand is leeg"),
    ],
)
def test_a_file_that_is_no_feed_is_named_and_fails_without_losing_the_others(
    tmp_path: Path, content: bytes, what: str
) -> None:
    bad = tmp_path / "bron.xml"
    bad.write_bytes(content)
    result = runner.invoke(app, ["monitor", "ingest", str(FEEDS / "rijnmond.xml"), str(bad), "--zonder-analyse"])
    assert result.exit_code == 1
    assert f"overgeslagen: {bad}: {what}" in result.output
    assert "nieuw: 3, dubbel: 0, mislukt: 1" in result.output and "1 bron van 2 overgeslagen" in result.output
    again = runner.invoke(app, ["monitor", "ingest", str(FEEDS / "rijnmond.xml"), "--zonder-analyse"])
    assert again.exit_code == 0 and "nieuw: 0, dubbel: 3" in again.output  # the good source was kept


def _truncated(tmp_path: Path) -> Path:
    text = (FEEDS / "rijnmond.xml").read_text(encoding="utf-8")
    cut = tmp_path / "afgebroken.xml"
    cut.write_text(text[: text.rindex("<item>") + 60], encoding="utf-8")
    return cut


def test_a_truncated_feed_names_its_reason_in_ingest_and_poll(tmp_path: Path) -> None:
    cut = _truncated(tmp_path)
    lines = cut.read_text(encoding="utf-8").count("\n") + 1
    result = runner.invoke(app, ["monitor", "ingest", str(cut), "--zonder-analyse"])
    assert result.exit_code == 0, result.output
    assert f"waarschuwing: {cut}: feed beschadigd: XML breekt af op regel {lines}" in result.output
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"feeds:\n  - name: Afgebroken\n    url: {cut}\n    kind: regionaal_nieuws\n", encoding="utf-8")
    poll = runner.invoke(app, ["monitor", "poll", str(feeds), "--zonder-analyse"])
    assert poll.exit_code == 0, poll.output
    assert f"Afgebroken: beschadigd (0 nieuw, 2 dubbel, 1 mislukt: XML breekt af op regel {lines})" in poll.output
    status = runner.invoke(app, ["monitor", "feeds", "status"])
    assert "Afgebroken: 0 mislukte pogingen op rij" in status.output and "beschadigd: XML breekt af" in status.output


@pytest.mark.slow
def test_articles_stored_without_analysis_are_analysed_later_and_the_report_shows_the_signal(tmp_path: Path) -> None:
    folder = tmp_path / "week"
    shutil.copytree(FEEDS / "pileup" / "memo_week", folder)
    stored = runner.invoke(app, ["monitor", "ingest", str(folder), "--zonder-analyse"])
    assert stored.exit_code == 0 and "nieuw: 6" in stored.output and "geanalyseerd" not in stored.output
    analysed = runner.invoke(app, ["monitor", "analyse", "--batch", "4"])
    assert analysed.exit_code == 0, analysed.output
    assert "geanalyseerd: 6, incidenten: 4 (4 nieuw), signalen: 1" in analysed.output
    assert "signaal 1 (overstijgend)" in analysed.output
    nothing = runner.invoke(app, ["monitor", "analyse"])
    assert nothing.exit_code == 0 and "geen ongeanalyseerde artikelen" in nothing.output
    report = runner.invoke(app, ["monitor", "report"])  # default window: the signal made just now is in it
    assert report.exit_code == 0
    assert "venster: " in report.output and ", Nederlandse tijd" in report.output
    assert "signalen: 1" in report.output and "overstijgend · nieuw" in report.output


@pytest.mark.slow
def test_signaal_checks_status_person_and_cat_in_dutch() -> None:
    runner.invoke(app, ["monitor", "ingest", str(FEEDS / "pileup" / "memo_week")])
    english = runner.invoke(app, ["monitor", "signaal", "1", "--status", "linked", "--as", DIRECTOR])
    assert english.exit_code == 1 and "onbekende status 'linked'" in english.output
    assert "nieuw, genegeerd, gekoppeld, opgeschaald" in english.output
    nobody = runner.invoke(app, ["monitor", "signaal", "1", "--status", "opgeschaald", "--door", "nobody"])
    assert nobody.exit_code == 1 and "onbekende persoon 'nobody'" in nobody.output
    no_cat = runner.invoke(app, ["monitor", "signaal", "1", "--status", "gekoppeld", "--as", DIRECTOR,
                                 "--cat", "CAT-2026-999"])
    assert no_cat.exit_code == 1 and "CAT 'CAT-2026-999' bestaat niet" in no_cat.output
    no_reason = runner.invoke(app, ["monitor", "signaal", "1", "--status", "genegeerd", "--as", DIRECTOR])
    assert no_reason.exit_code == 1 and "geef een reden" in no_reason.output
    ok = runner.invoke(app, ["monitor", "signaal", "1", "--status", "genegeerd", "--as", DIRECTOR, "--reden", "bekend"])
    assert ok.exit_code == 0 and "signaal 1: genegeerd" in ok.output
    data = json.loads(runner.invoke(app, ["monitor", "report", "--json"]).output)
    assert data["signals"][0]["status"] == "dismissed"
