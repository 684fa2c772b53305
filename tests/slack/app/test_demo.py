"""`catbot demo` plays the whole story through the emulator and writes what each person saw."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app


def test_demo_writes_a_transcript_of_the_whole_story(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "tijdlijn intact" in result.output
    page = (out / "transcript.html").read_text("utf-8")
    for seen in (
        "Wat Thijs Probeer zag", "Venster: Rode knop aanvragen", "Verzoek rode knop: Kopstoot bij aanhouding",
        "Venster: Rode knop indrukken", "#cat-20261130-kopstoot-bij-aanhouding-in-rotterdam (privé)",
        "(vastgepind)", "Eerste concepten normstelling", "vervangt", "Gaten in de bezetting",
        "geen A&amp;A-issuetrekker voor integriteit beschikbaar", "Advies aan politiechef Rotterdam", "is gesloten",
        "Tijdlijn-export", "App Home", "alleen zichtbaar voor Thijs Probeer", "Venster: Normstelling bewerken",
        "gepubliceerd via persverklaring", "Tijdlijn CAT-2026-001",
    ):
        assert seen in page, seen
    exported = json.loads((out / "CAT-2026-001.json").read_text("utf-8"))
    kinds = [e["kind"] for e in exported["timeline"]]
    assert kinds.count("note") == 2 and "decision" in kinds and "advice_given" in kinds and kinds[-1] == "closed"
    pinned = next(e for e in exported["timeline"] if e["kind"] == "note")
    assert pinned["occurred_at"] < pinned["recorded_at"]  # the 📌 kept the message's own time
    assert {"statement_approved", "statement_published"} <= set(kinds)
    assert not exported["cat"]["clocks"]["activation_to_first_statement"]["running"]
    assert exported["verification"]["ok"]
