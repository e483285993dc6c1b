"""Least privilege on PostgreSQL: the app role does the workflow and nothing else.

The declared privileges (ipaward/db/privileges.py) must name every table, so a migration
that adds one fails here until someone decides what the app may do with it. On PostgreSQL
a whole path (submit → decide → pay, yearly cap and all) runs as the app role, and each
statement that once rewrote money or history as that role is refused.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from ipaward.db.base import Base
from ipaward.db.models import (
    AnnualAccount,
    Decision,
    LedgerEntry,
    LedgerItem,
    LoginFailure,
    WebSession,
)
from ipaward.db.privileges import APP_PRIVILEGES, grant_statements
from ipaward.db.roles import RolesError, app_role_of
from ipaward.db.session import make_engine
from ipaward.services.database import ensure_schema
from ipaward.settings import load_settings
from ipaward.web import accounts, throttle
from ipaward.web.throttle import RateLimits
from tests.conftest import OpenBench
from tests.support.applications import example
from tests.support.pg_roles import role_names
from tests.support.workbench import Workbench, at

FILED = dt.date(2025, 9, 15)
INSUFFICIENT_PRIVILEGE = "42501"


def test_every_table_has_declared_privileges() -> None:
    assert set(APP_PRIVILEGES) == set(Base.metadata.tables) | {"alembic_version"}


def test_every_column_granted_for_update_exists() -> None:
    for table, allowed in APP_PRIVILEGES.items():
        if table == "alembic_version":
            continue
        columns = set(Base.metadata.tables[table].columns.keys())
        assert set(allowed.update) <= columns, table


def test_append_only_tables_are_never_updated_or_deleted() -> None:
    append_only = ("audit_log", "decisions", "ledger_entries", "ledger_items", "fund_movements")
    for table in (*append_only, "notices"):
        assert not APP_PRIVILEGES[table].update and not APP_PRIVILEGES[table].delete
    assert APP_PRIVILEGES["annual_accounts"].update == ("paid",)


def test_an_undeclared_table_is_only_revoked_and_a_declared_one_gets_its_columns() -> None:
    statements = grant_statements("app", ["annual_accounts", "shadow"], lambda name: f'"{name}"')
    assert statements == [
        'REVOKE ALL ON TABLE "annual_accounts" FROM "app"',
        'GRANT SELECT, INSERT ON TABLE "annual_accounts" TO "app"',
        'GRANT UPDATE ("paid") ON TABLE "annual_accounts" TO "app"',
        'REVOKE ALL ON TABLE "shadow" FROM "app"',
        'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "app"',
    ]


def test_roles_are_separate_only_with_a_migration_url_of_its_own() -> None:
    app = "postgresql://ipaward_app@db/ipaward"
    admin = "postgresql://postgres@db/ipaward"
    assert not load_settings({"IPAWARD_DATABASE_URL": app}).separate_roles
    both = load_settings({"IPAWARD_DATABASE_URL": app, "IPAWARD_MIGRATION_URL": admin})
    assert both.separate_roles and both.owner_role == "ipaward_owner"
    assert app_role_of(app, admin) == "ipaward_app"
    with pytest.raises(RolesError):
        app_role_of(admin, admin)
    with pytest.raises(RolesError):
        app_role_of("sqlite:///x.sqlite3", admin)


@pytest.fixture
def app_bench(postgres_database: str, open_bench: OpenBench) -> Workbench:
    """A workbench on PostgreSQL: migrated as the owner, connected as the app role."""
    return open_bench(database_url=postgres_database)


def test_the_migrated_database_grants_every_table_it_has(
    app_bench: Workbench, postgres_database: str
) -> None:
    admin = make_engine(postgres_database)
    try:
        tables = set(inspect(admin).get_table_names())
    finally:
        admin.dispose()
    assert tables == set(APP_PRIVILEGES)


def test_a_whole_path_runs_as_the_app_role_which_owns_nothing(app_bench: Workbench) -> None:
    owner, app = role_names(str(app_bench.engine.url.database))
    with app_bench.engine.connect() as connection:
        assert connection.execute(text("SELECT current_user")).scalar_one() == app
        assert not connection.execute(
            text(
                "SELECT has_schema_privilege('public', 'CREATE')"
                " OR pg_has_role(:owner, 'MEMBER')"
                " OR EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public'"
                "            AND tableowner = current_user)"
            ),
            {"owner": owner},
        ).scalar_one()

    number = app_bench.submit(example("m07_university_transfers"), on=FILED)
    app_bench.drive(number, on=FILED, until=at(state="paid"))

    assert app_bench.application(number).state == "paid"
    assert app_bench.count(LedgerEntry) == 1 and app_bench.count(LedgerItem) == 8
    assert app_bench.count(AnnualAccount) == 1
    assert app_bench.count(Decision) > 0


FORBIDDEN = [
    "UPDATE ledger_entries SET amount = amount + 1000000",
    "UPDATE ledger_items SET amount = amount + 1000000",
    "DELETE FROM ledger_items",
    "DELETE FROM ledger_entries",
    "UPDATE decisions SET outcome = 'reject'",
    "DELETE FROM decisions",
    "UPDATE annual_accounts SET cap = 999999999",
    "DELETE FROM annual_accounts",
    "UPDATE audit_log SET actor = 'nobody'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
    "DELETE FROM applications",
    "UPDATE applications SET applicant_id = applicant_id, number = number",
    "UPDATE work_items SET department = 'city.finance'",
    "UPDATE funds SET capacity = 999999999",
    "UPDATE notices SET body = 'rewritten'",
    "UPDATE budgets SET measure = 'elsewhere'",
    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update",
    "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_log_no_update ON audit_log",
    "ALTER TABLE ledger_items DROP CONSTRAINT ledger_items_measure_item_key_key",
    "SET session_replication_role = replica",
    "CREATE TABLE shadow (id integer)",
    "CREATE TEMPORARY TABLE shadow (id integer)",
    "SELECT setval('ledger_entries_id_seq', 1)",
]


def test_the_app_role_may_not_rewrite_money_or_history(app_bench: Workbench) -> None:
    number = app_bench.submit(example("m07_university_transfers"), on=FILED)
    app_bench.drive(number, on=FILED, until=at(state="paid"))
    allowed = []
    for statement in FORBIDDEN:
        try:
            with app_bench.engine.begin() as connection:
                connection.exec_driver_sql(statement)
        except DBAPIError as refused:
            if getattr(refused.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
                allowed.append(f"{statement}: {refused.orig}")
        else:
            allowed.append(statement)
    assert allowed == []
    assert app_bench.count(LedgerEntry) == 1 and app_bench.count(LedgerItem) == 8
    assert app_bench.application(number).state == "paid"


def test_the_app_role_may_not_become_the_owner(app_bench: Workbench) -> None:
    owner, _ = role_names(str(app_bench.engine.url.database))
    with pytest.raises(DBAPIError) as refused, app_bench.engine.begin() as connection:
        connection.exec_driver_sql(f'SET ROLE "{owner}"')
    assert getattr(refused.value.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE


def test_a_copied_ledger_item_is_refused_by_its_unique_key(app_bench: Workbench) -> None:
    """The app must post, so INSERT stays; a copy of a paid item still cannot be posted."""
    number = app_bench.submit(example("m07_university_transfers"), on=FILED)
    app_bench.drive(number, on=FILED, until=at(state="paid"))
    copy = (
        "INSERT INTO ledger_items (entry_id, measure, recipient_uscc, year, item_key, amount)"
        " SELECT entry_id, measure, recipient_uscc, year, item_key, amount"
        " FROM ledger_items ORDER BY id LIMIT 1"
    )
    with pytest.raises(IntegrityError), app_bench.engine.begin() as connection:
        connection.exec_driver_sql(copy)
    assert app_bench.count(LedgerItem) == 8


def test_an_upgrade_takes_back_what_was_granted_by_hand_on_an_undeclared_table(
    app_bench: Workbench, postgres_database: str
) -> None:
    owner, app = role_names(str(app_bench.engine.url.database))
    admin = make_engine(postgres_database)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'SET ROLE "{owner}"')
            connection.exec_driver_sql("CREATE TABLE shadow (id integer)")
            connection.exec_driver_sql(f'GRANT ALL ON shadow TO "{app}"')
    finally:
        admin.dispose()

    ensure_schema(app_bench.settings)  # what `ipaward init` does after an upgrade

    with pytest.raises(DBAPIError) as refused, app_bench.engine.begin() as connection:
        connection.exec_driver_sql("SELECT * FROM shadow")
    assert getattr(refused.value.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE


def test_the_web_accounts_work_as_the_app_role(app_bench: Workbench) -> None:
    """Accounts, sessions and failed logins: the web's own writes need nothing more."""
    now = dt.datetime(2025, 9, 15, 2, tzinfo=dt.UTC)
    limits = RateLimits()
    with app_bench.transaction() as session:
        user = accounts.create_user(
            session,
            username="li.lei",
            display_name="李雷",
            department="city.amr",
            password=accounts.NewPassword("$argon2id$stored"),
            known_departments={"city.amr"},
            actor="operator",
        )
        token = accounts.start_session(session, user=user, now=now, lifetime=dt.timedelta(hours=8))
        assert accounts.find_session(session, token=token, now=now) is not None
        throttle.serialise_attempts(session, address="10.0.0.1")
        throttle.record_failure(
            session, username="li.lei", address="10.0.0.1", now=now, limits=limits
        )
        accounts.replace_password(
            session,
            user=user,
            new=accounts.NewPassword("$argon2id$new"),
            now=now,
            actor="operator",
            temporary=True,
        )
        accounts.set_active(session, username="li.lei", active=False, actor="operator")
        accounts.end_session(session, token=token)
    assert app_bench.count(LoginFailure) == 0 and app_bench.count(WebSession) == 0
