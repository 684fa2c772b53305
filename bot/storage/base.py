"""Declarative Base with a constraint naming convention, shared by every package's models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from monitors.sqltypes import NAMING_CONVENTION, UTCDateTime

__all__ = ["NAMING_CONVENTION", "Base", "UTCDateTime", "utcnow"]

class Base(DeclarativeBase):
    """Base class for all mapped tables of the project."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)
