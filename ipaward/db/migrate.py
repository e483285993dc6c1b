"""Bring a database to the latest schema without an alembic.ini on disk."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from ipaward.db.session import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    """An alembic Config pointing inside the package; the URL travels in `attributes`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    return config


def upgrade_to_head(url: str) -> None:
    """Apply every pending migration; a no-op on an up-to-date database."""
    command.upgrade(alembic_config(url), "head")


def upgrade_as_owner(migration_url: str, *, owner: str, app: str) -> None:
    """Migrate as the owner role (SET ROLE), then grant the app role what
    `ipaward.db.privileges` declares, in the same transaction and under the migration lock:
    tables a migration adds are never visible without their grants."""
    from ipaward.db.roles import apply_grants

    engine = make_engine(migration_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT set_config('role', :owner, false)"), {"owner": owner})
            config = alembic_config(migration_url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            apply_grants(connection, app=app)
            connection.commit()
    finally:
        engine.dispose()


def head_revision() -> str | None:
    """The newest revision shipped with this package."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def current_revision(url: str) -> str | None:
    """The revision the database is at (None for an empty database)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
