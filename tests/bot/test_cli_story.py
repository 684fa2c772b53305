"""The whole CAT story from the command line, as the README shows it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

UNIT_MEMBER = "re07-woordvoerder@voorbeeld.politie.test"
DIRECTOR = "dir-directeur@voorbeeld.politie.test"



def test_request_approve_work_close_export_verify(catbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = catbot("cat", "request", "--as", UNIT_MEMBER, "--title", "Kopstoot bij aanhouding Rotterdam",
                 "--reason", "Video van een kopstoot bij een aanhouding gaat rond.", "--unit", "Rotterdam",
                 "--unit", "Den Haag", "--category", "geweld", "--link", "https://example.org/video")
    assert "Aanvraag 1: Kopstoot bij aanhouding Rotterdam [wacht op besluit" in out
    again = catbot("cat", "request", "--as", "re06-communicatie", "--title", "Zelfde", "--reason", "Zelfde zaak",
                   "--unit", "RE06", "--unit", "RE07", "--category", "geweld")
    assert "Er loopt al een aanvraag voor dezelfde eenheden en issues: aanvraag 1" in again

    refused = catbot("cat", "approve", "1", "--as", UNIT_MEMBER, expect=1)
    assert "fout: alleen een directeur communicatie" in refused

    out = catbot("cat", "approve", "1", "--as", DIRECTOR, "--advice-to", "politiechef", "--advice-to", "korpsleiding")
    assert "CAT-2026-001: Kopstoot bij aanhouding Rotterdam [actief]" in out
    assert "kanaal: #cat-" in out and "vervangt" in out and "A&A-issuetrekker voor geweld" in out

    catbot("cat", "note", "CAT-2026-001", "NOS opent met de beelden", "--as", UNIT_MEMBER,
           "--at", "2026-11-29T07:45", "--link", "https://nos.nl/artikel/1")
    # typed a few minutes after the fact, in Dutch wall-clock time (no offset): accepted, kept as that instant
    moment = (datetime.now(UTC) - timedelta(minutes=7)).replace(second=0, microsecond=0)
    dutch = moment.astimezone(ZoneInfo("Europe/Amsterdam"))
    catbot("cat", "note", "CAT-2026-001", "Eerste reactie staat online", "--as", UNIT_MEMBER,
           "--at", dutch.strftime("%Y-%m-%dT%H:%M"))
    bad_link = catbot("cat", "note", "CAT-2026-001", "x", "--as", DIRECTOR, "--link", "file:///etc/passwd", expect=1)
    assert "moet met http:// of https:// beginnen" in bad_link
    bad_time = catbot("cat", "note", "CAT-2026-001", "x", "--as", DIRECTOR, "--at", "gisteren", expect=1)
    assert "fout: 'gisteren' is geen tijdstip; gebruik bijvoorbeeld 2026-11-29T14:05 of 14:05 (Nederlandse tijd)" in bad_time
    catbot("cat", "decision", "CAT-2026-001", "Politiechef Rotterdam treedt vandaag naar voren", "--as", DIRECTOR)
    outsider = catbot("cat", "note", "CAT-2026-001", "mag ik meeschrijven?", "--as", "re01-woordvoerder", expect=1)
    assert "is geen lid van CAT-2026-001" in outsider
    catbot("cat", "advice", "CAT-2026-001", "--as", DIRECTOR, "--to", "politiechef:RE07",
           "--text", "Stel vandaag de norm: geweld moet nodig en proportioneel zijn; toon zelfreflectie.")
    catbot("cat", "advice-response", "CAT-2026-001", "1", "--as", DIRECTOR, "--status", "overgenomen",
           "--response", "Politiechef geeft om 16:00 een verklaring")
    shown = json.loads(catbot("cat", "show", "CAT-2026-001", "--json"))
    assert shown["advice"][0]["status"] == "adopted"
    assert {u["code"] for u in shown["units"]} == {"RE06", "RE07"}

    closed = catbot("cat", "close", "CAT-2026-001", "--as", DIRECTOR, "--went-well", "Snel één lijn",
                    "--to-learn", "Eerder de politiechef in beeld")
    assert "CAT-2026-001 gesloten. Opvolging (afloop communiceren) gepland op" in closed
    late = catbot("cat", "note", "CAT-2026-001", "nog iets", "--as", DIRECTOR, expect=1)
    assert "is gesloten" in late

    md = tmp_path / "cat.md"
    catbot("cat", "export", "CAT-2026-001", "--format", "md", "--out", str(md))
    report = md.read_text(encoding="utf-8")
    assert "# CAT-2026-001 — Kopstoot bij aanhouding Rotterdam" in report
    assert "| 29-11-2026 07:45:00 |" in report and "NOS opent met de beelden ([bron](https://nos.nl/artikel/1))" in report
    assert "alle tijden in Nederlandse tijd (Europe/Amsterdam)" in report
    assert f"| {dutch:%d-%m-%Y %H:%M}:00 |" in report
    assert "Wat leren we: Eerder de politiechef in beeld" in report and "Hash-keten intact" in report
    exported = json.loads(catbot("cat", "export", "CAT-2026-001", "--format", "json", "--out", "-"))
    default = catbot("cat", "export", "CAT-2026-001")  # no --out: into the data directory, not the current one
    written = tmp_path / "data" / "exports" / "CAT-2026-001.md"
    assert f"Export geschreven naar {written}" in default and written.read_text("utf-8").startswith("# CAT-2026-001 — Kopstoot")
    kinds = [e["kind"] for e in exported["timeline"]]
    for kind in ("requested", "approved", "activated", "member_added", "note", "decision", "advice_given",
                 "advice_response", "statement_drafted", "closed"):
        assert kind in kinds
    assert exported["verification"]["ok"] is True
    typed = next(e for e in exported["timeline"] if e["text"] == "Eerste reactie staat online")
    assert typed["occurred_at"] == dutch.isoformat()  # the same instant, with the Dutch offset
    assert "tijdlijn intact" in catbot("cat", "verify", "CAT-2026-001")


def test_verify_fails_loudly_on_a_tampered_timeline(catbot, any_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    catbot("cat", "request", "--as", DIRECTOR, "--title", "Integriteitszaak", "--reason", "Lekken van informatie",
           "--unit", "LX", "--category", "integriteit")
    with any_engine.begin() as conn:
        conn.execute(text("UPDATE cat_timeline_content SET text = 'niets aan de hand' WHERE event_id = "
                          "(SELECT MIN(id) FROM cat_timeline_events)"))
    out = catbot("cat", "verify", "CAT-2026-001", expect=1)
    assert "TIJDLIJN GEBROKEN" in out and "inhoud is gewijzigd na vastlegging" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cat", "show", "CAT-2026-999"), "fout: CAT 'CAT-2026-999' bestaat niet"),
        (("cat", "approve", "42", "--as", DIRECTOR), "fout: aanvraag 42 bestaat niet"),
        (("cat", "request", "--as", "onbekend@example.org", "--title", "x", "--reason", "y", "--unit", "RE07"),
         "fout: onbekende persoon 'onbekend@example.org'"),
        (("cat", "request", "--as", UNIT_MEMBER, "--title", "x", "--reason", "y", "--unit", "Gotham"),
         "fout: onbekende eenheid 'Gotham'"),
        (("cat", "request", "--as", UNIT_MEMBER, "--title", "x", "--reason", "y", "--unit", "RE07", "--urgency", "nu"),
         "fout: onbekende urgentie 'nu'"),
        (("cat", "export", "CAT-2026-001", "--format", "pdf"), "fout: --format moet 'md' of 'json' zijn"),
        (("cat", "request", "--as", UNIT_MEMBER, "--title", "x", "--reason", "y", "--unit", "RE07",
          "--link", "javascript:alert(1)"), "fout: link 'javascript:alert(1)' moet met http:// of https:// beginnen"),
    ],
)
def test_wrong_input_is_one_clear_line(catbot, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    out = catbot(*args, expect=1)
    assert out.strip().splitlines()[-1].startswith(message), out


def test_requests_can_be_declined_withdrawn_and_listed(catbot) -> None:  # type: ignore[no-untyped-def]
    catbot("cat", "request", "--as", UNIT_MEMBER, "--title", "Filmpje arrestatie", "--reason", "Gaat rond",
           "--unit", "RE07", "--category", "geweld")
    catbot("cat", "request", "--as", UNIT_MEMBER, "--title", "Uitspraak agent", "--reason", "Ophef online",
           "--unit", "RE06", "--category", "onpartijdigheid")
    listed = catbot("cat", "list")
    assert "1  wacht op besluit" in listed and "2  wacht op besluit" in listed and "Geen CAT's." in listed

    assert "Aanvraag 1 afgewezen: Past binnen de lijn van de eenheid" in catbot(
        "cat", "decline", "1", "--as", DIRECTOR, "--reason", "Past binnen de lijn van de eenheid")
    refused = catbot("cat", "withdraw", "2", "--as", "re01-woordvoerder", expect=1)
    assert refused.startswith("fout: ")
    assert "Aanvraag 2 ingetrokken." in catbot("cat", "withdraw", "2", "--as", UNIT_MEMBER)
    listed = catbot("cat", "list")
    assert "1  afgewezen" in listed and "2  ingetrokken" in listed
    again = catbot("cat", "decline", "2", "--as", DIRECTOR, "--reason", "x", expect=1)
    assert "fout: " in again

    catbot("cat", "request", "--as", DIRECTOR, "--title", "Lekken", "--reason", "Integriteit", "--unit", "RE05",
           "--category", "integriteit")
    assert "CAT-2026-001  actief" in catbot("cat", "list")
    data = json.loads(catbot("cat", "list", "--json"))
    assert sorted((r["id"], r["state"]) for r in data["requests"]) == [(1, "declined"), (2, "withdrawn"), (3, "approved")]
    assert data["cats"][0]["status"] == "active"


def test_db_upgrade_and_current_name_the_revision(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from bot.cli import app
    from bot.storage.migrate import head_revisions

    monkeypatch.setenv("CATBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "current"]).output.strip() == "(leeg)"
    upgraded = runner.invoke(app, ["db", "upgrade"])
    heads = ", ".join(sorted(head_revisions()))
    assert upgraded.exit_code == 0 and f"database bijgewerkt tot {heads}" in upgraded.output
    assert runner.invoke(app, ["db", "current"]).output.strip() == heads
