"""Gap-free numbering: the increment is part of the caller's transaction.

A rolled-back transaction gives its number back; a committed one keeps it. Concurrent
callers queue on the counter row (PostgreSQL row lock, SQLite write lock) until the
holder commits, which is the price of having no gaps.
"""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from ipaward.db.models import Counter
from ipaward.repository._savepoint import insert_unless_present


def next_value(session: Session, *, key: str) -> int:
    """Increment the counter `key` (created at 0 if missing) and return the new value."""
    return take(session, key=key, count=1)


def take(session: Session, *, key: str, count: int) -> int:
    """Take a block of `count` values of the counter `key` in one statement; the last one
    (the block is last - count + 1 … last). A chunk of notices numbers itself with one call."""
    if count < 1:
        raise ValueError(f"a block of {count} numbers")
    bump = (
        update(Counter)
        .where(Counter.key == key)
        .values(value=Counter.value + count)
        .returning(Counter.value)
        .execution_options(synchronize_session=False)
    )
    value = session.execute(bump).scalar_one_or_none()
    if value is None:
        insert_unless_present(session, insert(Counter).values(key=key, value=0))
        value = session.execute(bump).scalar_one()
    return int(value)
