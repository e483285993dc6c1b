"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from ipaward.db.base import Base
from ipaward.db.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from ipaward.db.session import make_engine


def test_upgrade_twice_is_a_no_op_the_second_time(database_url: str) -> None:
    upgrade_to_head(database_url)
    upgrade_to_head(database_url)
    assert head_revision() is not None  # a single head
    assert current_revision(database_url) == head_revision()


def test_the_migrated_schema_matches_the_models(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_then_upgrade_again(migrated_url: str) -> None:
    config = alembic_config(migrated_url)
    command.downgrade(config, "base")
    engine = make_engine(migrated_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    upgrade_to_head(migrated_url)
    assert current_revision(migrated_url) == head_revision()
