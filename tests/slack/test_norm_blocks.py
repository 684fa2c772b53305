"""The norm-statement Block Kit builders stay within Slack's limits, even with long texts and many findings."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.cat.models import Cat, Statement
from bot.slack import norm_blocks as nb
from bot.slack.emulator.surfaces import message_block_problems, view_problems
from bot.slack.norm_drafts import NormDraft
from norm_statements.findings import Finding, Severity

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LONG = "Geweld dat niet nodig is, past niet bij de politie. " * 160  # ~8,300 characters


def _draft(text: str = LONG) -> NormDraft:
    return NormDraft(id=7, user_id="U1", category="geweld", phase="eerste_reactie", channel="woordvoeringslijn",
                     text=text, created_at=NOW, updated_at=NOW)


def _statement(i: int, state: str = "draft") -> Statement:
    return Statement(id=i, cat_id=1, category="geweld", phase="afloop", channel="social", version=i, text=LONG,
                     state=state, author_id="re07-woordvoerder", created_at=NOW,
                     approved_by="dir-directeur" if state != "draft" else None,
                     published_at=NOW if state == "published" else None,
                     published_via="social" if state == "published" else None)


def test_draft_message_and_edit_modal_within_limits() -> None:
    blocks = nb.draft_message(_draft(), placeholders=[f"[[invullen {i}]]" for i in range(40)], note="Bewerkt.")
    assert message_block_problems(blocks) == []
    assert [e["action_id"] for e in blocks[-1]["elements"]] == ["norm_edit", "norm_check", "norm_send"]
    assert all(e["value"] == "7" for e in blocks[-1]["elements"])
    modal = nb.edit_modal(_draft("Kort. [[plaats]]"), response_url="https://hooks.example/1")
    assert view_problems(modal) == []
    assert '"draft_id": 7' in modal["private_metadata"]


def test_findings_many_and_none() -> None:
    findings = [Finding(f"code-{i}", list(Severity)[i % 3], "Bericht " * 40, "Voorstel " * 40, "Zin " * 200)
                for i in range(60)]
    blocks = nb.findings_blocks(findings, "van het concept")
    assert message_block_problems(blocks) == [] and len(blocks) <= 50
    assert "20 fout(en), 20 waarschuwing(en), 20 tip(s)" in blocks[0]["text"]["text"]
    assert "geen bevindingen" in nb.findings_blocks([], "van het concept")[0]["text"]["text"]


def test_versions_posts_and_publish_modal_within_limits() -> None:
    names = {"re07-woordvoerder": "Femke", "dir-directeur": "Kees"}
    states = ["draft", "approved", "published"] * 5
    cat = Cat(id=1, number="CAT-2026-001", title="Titel " * 40)
    listing = nb.versions_list(cat, [_statement(i, s) for i, s in enumerate(states, 1)], names)
    assert message_block_problems(listing) == [] and len(listing) <= 50
    for state, action in (("draft", "statement_approve"), ("approved", "statement_publish"), ("published", None)):
        post = nb.version_post(_statement(3, state), names)
        assert message_block_problems(post) == []
        assert (action in str(post)) if action else ("statement_" not in str(post))
    assert view_problems(nb.publish_modal(_statement(2, "approved"))) == []
    choice = nb.cat_choice(_draft(), [Cat(id=i, number=f"CAT-2026-{i:03d}", title="Titel " * 40)
                                      for i in range(150)])
    assert message_block_problems(choice) == []
