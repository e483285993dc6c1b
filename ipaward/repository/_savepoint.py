"""Insert-if-missing that survives the race of two transactions inserting the same key."""

from __future__ import annotations

from sqlalchemy import Insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


def insert_unless_present(session: Session, statement: Insert) -> bool:
    """Run an INSERT in a SAVEPOINT; False when a unique key says the row already exists.

    On PostgreSQL the losing INSERT waits for the winner to commit and then fails on the
    unique index; rolling back to the savepoint keeps the caller's transaction usable.
    The caller re-reads the row afterwards, so any other integrity error still surfaces.
    """
    try:
        with session.begin_nested():
            session.execute(statement)
    except IntegrityError:
        return False
    return True
