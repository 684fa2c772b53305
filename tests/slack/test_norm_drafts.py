"""The /norm working copies: only the owner reads one, and the retention job can remove old ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.slack import norm_drafts

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_owner_only_and_purge(session: Session) -> None:
    old = norm_drafts.create(session, user_id="U1", category="geweld", phase="afloop", channel="social", text="a",
                             now=NOW - timedelta(days=40))
    fresh = norm_drafts.create(session, user_id="U1", category="geweld", phase="afloop", channel="social", text="b",
                               now=NOW)
    assert norm_drafts.get(session, str(fresh.id), "U1") is fresh
    with pytest.raises(NotFound, match="maak een nieuw met /norm"):
        norm_drafts.get(session, fresh.id, "U2")
    assert norm_drafts.purge_older_than(session, NOW - timedelta(days=30)) == 1
    session.expire_all()
    with pytest.raises(NotFound):
        norm_drafts.get(session, old.id, "U1")
    assert norm_drafts.get(session, fresh.id, "U1").text == "b"
