"""Engine, session factory, declarative Base and the one Alembic history for all tables."""
