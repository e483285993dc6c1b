"""Alembic environment: Base.metadata is the target; the URL comes from the caller.

`ipaward.db.migrate.alembic_config` passes the URL in `config.attributes["url"]`; the
`alembic` command line may pass `-x url=…` or set `sqlalchemy.url`; else the settings'
IPAWARD_DATABASE_URL is used.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, text

import ipaward.db.models  # noqa: F401  (registers every table on Base.metadata)
from ipaward.db.base import Base
from ipaward.db.session import make_engine
from ipaward.db.types import UtcDateTime
from ipaward.settings import load_settings

# Any constant works; it only has to be the same for every process migrating this database.
PG_MIGRATION_LOCK = 0x1FA3A7D

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    return str(url or config.get_main_option("sqlalchemy.url") or load_settings().database_url)


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Write our column types as plain SQLAlchemy types: migrations must not import the app."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _options(dialect_name: str) -> dict[str, Any]:
    return {
        "target_metadata": target_metadata,
        "render_as_batch": dialect_name == "sqlite",
        "compare_type": True,
        "render_item": _render_item,
        "transactional_ddl": True,  # SQLite too: a failed migration leaves nothing behind
    }


def _run(connection: Connection) -> None:
    dialect_name = connection.dialect.name
    context.configure(connection=connection, **_options(dialect_name))
    with context.begin_transaction():
        if dialect_name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK})
        context.run_migrations()
        if dialect_name == "sqlite":
            # Foreign keys are off while tables are rebuilt; check what the rebuild left.
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left broken foreign keys: {broken[:10]}")


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **_options(url.split(":", 1)[0].split("+", 1)[0]),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _run(given)
        return
    engine = make_engine(_url(), sqlite_foreign_keys=False)
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
