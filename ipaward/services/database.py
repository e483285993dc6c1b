"""Open the application database named by the settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.migrate import current_revision, upgrade_as_owner, upgrade_to_head
from ipaward.db.roles import app_role_of
from ipaward.db.session import make_engine, make_session_factory, transaction
from ipaward.settings import Settings


def ensure_schema(settings: Settings) -> None:
    """Create or upgrade the schema (idempotent); the embedded default needs no server.

    With IPAWARD_MIGRATION_URL (PostgreSQL, docs/scale-out.md) the upgrade runs as the owner
    role and re-grants the app role its declared privileges; without it the app's own URL
    is used, which on an up-to-date database only reads the revision."""
    settings.home.mkdir(parents=True, exist_ok=True)
    if settings.separate_roles:
        assert settings.migration_url is not None
        app = app_role_of(settings.database_url, settings.migration_url)
        upgrade_as_owner(settings.migration_url, owner=settings.owner_role, app=app)
    else:
        upgrade_to_head(settings.database_url)


def has_ledger(settings: Settings) -> bool:
    """Whether a database with our schema exists, without creating one (for dry runs).

    A database that cannot be reached raises: a dry run that silently ignored the ledger
    would show amounts the ledger would not pay (the command prints one line instead)."""
    if settings.database_url.startswith("sqlite") and not settings.sqlite_path.exists():
        return False
    return current_revision(settings.database_url) is not None  # None: empty or foreign


@contextmanager
def session_scope(settings: Settings) -> Iterator[Session]:
    """One session; commits on success, rolls back on any error."""
    engine = make_engine(settings.database_url)
    factory: sessionmaker[Session] = make_session_factory(engine)
    try:
        with transaction(factory) as session:
            yield session
    finally:
        engine.dispose()
