"""Scheduling: leadership across instances, the persisted reminders, and the scheduler service."""

# APScheduler's SQLAlchemy job store creates and owns this table; Alembic leaves it alone.
JOBS_TABLE = "apscheduler_jobs"


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic filter: ignore APScheduler's own table (created by the job store, not by our migrations)."""
    return not (type_ == "table" and name == JOBS_TABLE)
