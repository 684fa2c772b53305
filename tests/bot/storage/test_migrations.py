"""One Alembic history creates exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from bot.scheduling import include_object
from bot.storage.metadata import target_metadata
from bot.storage.migrate import current_revisions, ensure_schema, head_revisions, upgrade


def test_migrations_head_equals_models(any_engine: Engine) -> None:
    upgrade(any_engine)
    assert current_revisions(any_engine) == head_revisions()
    with any_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
        diff = compare_metadata(context, target_metadata)
    assert diff == [], f"models and migrations differ; run an autogenerate revision: {diff}"
    tables = set(inspect(any_engine).get_table_names())
    assert {name for metadata in target_metadata for name in metadata.tables} <= tables


def test_upgrade_is_idempotent(any_engine: Engine) -> None:
    upgrade(any_engine)
    ensure_schema(any_engine)
    upgrade(any_engine)
    assert current_revisions(any_engine) == head_revisions()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_database_errors_do_not_carry_personal_data(engine: Engine) -> None:
    """A logged database error shows the statement, never the values (timeline texts, names)."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    insert = text("INSERT INTO org_slack_id_cache (email, slack_user_id, resolved_at) VALUES (:e, 'U1', :t)")
    values = {"e": "geheim.persoon@voorbeeld.politie.test", "t": "2026-11-29 10:00:00"}
    with engine.begin() as conn:
        conn.execute(insert, values)
    with pytest.raises(IntegrityError) as caught, engine.begin() as conn:
        conn.execute(insert, values)
    assert "geheim.persoon" not in str(caught.value)


def test_downgrade_to_base_and_upgrade_again(any_engine: Engine) -> None:
    """Every migration can be undone and redone: an operator can roll a release back and forward."""
    from alembic import command

    from bot.storage.migrate import alembic_config

    upgrade(any_engine)
    command.downgrade(alembic_config(any_engine), "base")
    assert current_revisions(any_engine) == set()
    assert not {"cats", "cat_requests", "monitor_articles"} & set(inspect(any_engine).get_table_names())
    upgrade(any_engine)
    assert current_revisions(any_engine) == head_revisions()
    test_migrations_head_equals_models(any_engine)


def test_0006_seeds_the_cat_number_counter_and_marks_finished_activations_notified(any_engine: Engine) -> None:
    """A database with CATs from before the counter continues their numbering; nobody is told twice."""
    upgrade(any_engine, "0005")
    with any_engine.begin() as conn:
        conn.execute(text("INSERT INTO cat_requests (id, requester_id, title, reason, units, categories, links, "
                          "urgency, state, created_at, expires_at) VALUES (1, 'p', 't', 'r', '[]', '[]', '[]', "
                          "'hoog', 'approved', '2026-11-30 09:00:00+00:00', '2026-12-01 09:00:00+00:00')"))
        conn.execute(text("INSERT INTO cats (id, number, year, seq, title, summary, units, categories, links, "
                          "advice_recipients, status, request_id, activated_by, requested_at, activated_at) "
                          "VALUES (1, 'CAT-2026-007', 2026, 7, 't', 's', '[]', '[]', '[]', '[]', 'active', 1, 'd', "
                          "'2026-11-30 09:00:00+00:00', '2026-11-30 09:10:00+00:00')"))
        conn.execute(text("INSERT INTO cat_saga_steps (cat_id, step, completed_at, result) "
                          "VALUES (1, 'reminders', '2026-11-30 09:11:00+00:00', '{}')"))
    upgrade(any_engine)
    with any_engine.connect() as conn:
        assert conn.execute(text("SELECT year, last_seq FROM cat_number_counters")).all() == [(2026, 7)]
        assert conn.execute(text("SELECT step FROM cat_saga_steps WHERE step = 'notify'")).scalars().all() == [
            "notify"]
