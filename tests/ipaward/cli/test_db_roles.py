"""`ipaward db-roles` and `ipaward init` with separate roles, on PostgreSQL (skipped without).

The app role cannot migrate: on a database nobody migrated yet `init` as that role is one
line and exit 3; `db-roles` (the administrator's URL) migrates as the owner and grants; then
`init` as the app role is a no-op that only reads the revision."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ipaward.db.migrate import current_revision, head_revision, upgrade_to_head
from ipaward.db.roles import set_up_roles
from ipaward.db.session import make_engine
from tests.ipaward.cli.conftest import RunCli
from tests.ipaward.cli.faults import FAULT, one_line
from tests.support.pg_roles import app_role_url


def test_only_the_owner_migrates_and_the_app_role_then_finds_the_schema_ready(
    run_cli: RunCli, postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_url, owner = app_role_url(postgres_database)
    set_up_roles(postgres_database, app_url, owner=owner)  # roles, no schema yet
    monkeypatch.setenv("IPAWARD_DATABASE_URL", app_url)
    monkeypatch.setenv("IPAWARD_DB_OWNER_ROLE", owner)

    refused = run_cli("init")
    assert refused.exit_code == FAULT and "无此权限" in one_line(refused.output)
    assert "IPAWARD_MIGRATION_URL" in one_line(refused.output)

    missing = run_cli("db-roles")
    assert missing.exit_code == 1 and "IPAWARD_MIGRATION_URL" in missing.output

    monkeypatch.setenv("IPAWARD_MIGRATION_URL", postgres_database)
    done = run_cli("db-roles")
    assert done.exit_code == 0, done.output
    assert "数据库角色已就绪" in done.output and owner in done.output
    assert current_revision(app_url) == head_revision()

    monkeypatch.delenv("IPAWARD_MIGRATION_URL")
    again = run_cli("init")
    assert again.exit_code == 0 and "数据库已就绪" in again.output


def test_the_app_role_must_not_be_the_administrator(
    run_cli: RunCli, postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPAWARD_DATABASE_URL", postgres_database)
    monkeypatch.setenv("IPAWARD_MIGRATION_URL", postgres_database)
    monkeypatch.setenv("IPAWARD_DB_OWNER_ROLE", "ipaward_never_created")
    result = run_cli("db-roles")
    assert result.exit_code == 1 and "不能与迁移角色相同" in one_line(result.output)


def test_a_database_first_migrated_by_a_superuser_is_handed_to_the_owner(
    run_cli: RunCli, postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade_to_head(postgres_database)  # the way it was done before roles
    app_url, owner = app_role_url(postgres_database)
    monkeypatch.setenv("IPAWARD_DATABASE_URL", app_url)
    monkeypatch.setenv("IPAWARD_MIGRATION_URL", postgres_database)
    monkeypatch.setenv("IPAWARD_DB_OWNER_ROLE", owner)

    assert run_cli("db-roles").exit_code == 0

    admin = make_engine(postgres_database)
    try:
        with admin.connect() as connection:
            owners = set(
                connection.execute(
                    text(
                        "SELECT pg_get_userbyid(c.relowner) FROM pg_class c"
                        " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S')"
                        " UNION SELECT pg_get_userbyid(p.proowner) FROM pg_proc p"
                        " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"
                    )
                ).scalars()
            )
    finally:
        admin.dispose()
    assert owners == {owner}
