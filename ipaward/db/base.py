"""One declarative base for every table, so one MetaData names every constraint."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names: migrations can drop/alter them by name on every dialect.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """Timezone-aware now: stored timestamps are always UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base of all ipaward models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
