"""Engines and sessions configured the same way for every caller (CLI, flows, tests).

SQLite: foreign keys on, WAL, a 30 s busy timeout, and SQLAlchemy emits BEGIN itself
(the sqlite3 driver's legacy mode breaks SAVEPOINTs). Transactions begin IMMEDIATE by
default: a deferred transaction that reads and then writes fails at once with
"database is locked" when another writer committed in between (the busy timeout does not
apply to that case), and read-check-write is exactly what the ledger does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str | URL) -> URL:
    """A bare postgresql:// URL means psycopg 3 here (psycopg2 is not a dependency)."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(
    url: str | URL,
    *,
    echo: bool = False,
    sqlite_immediate: bool = True,
    sqlite_foreign_keys: bool = True,
) -> Engine:
    """Create an engine; `sqlite_foreign_keys=False` only for migrations that rebuild tables."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, echo=echo, pool_pre_ping=True)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file:")
    if not in_memory:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, echo=echo)
    _configure_sqlite(
        engine,
        wal=not in_memory,
        begin="BEGIN IMMEDIATE" if sqlite_immediate else "BEGIN",
        foreign_keys=sqlite_foreign_keys,
    )
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool, begin: str, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        raw = dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.isolation_level = None  # we emit BEGIN ourselves, see the module docstring
        cursor = raw.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(begin)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (flows return them to callers)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit if the block succeeds, roll back if it raises."""
    with factory() as session, session.begin():
        yield session
