"""Run the workflow on PostgreSQL the way production should: as the app role.

A test's PostgreSQL database gets its own owner and app roles, named after the database
(roles are cluster-wide; concurrent test runs never share one) and dropped with it
(tests/conftest.py). `ipaward.db.roles.set_up_roles` is what `ipaward db-roles` runs; the
environment then names the app role's URL, so every engine the code opens (workbench,
tasks, CLI) connects as that role, and `ensure_schema` migrates as the owner.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import make_url

from ipaward.db.roles import set_up_roles

ROLE_VARIABLES = ("IPAWARD_DATABASE_URL", "IPAWARD_MIGRATION_URL", "IPAWARD_DB_OWNER_ROLE")


def role_names(database: str) -> tuple[str, str]:
    """(owner, app) for a test database."""
    return f"{database}_owner", f"{database}_app"


def app_role_url(admin_url: str) -> tuple[str, str]:
    """The app role's URL on the admin URL's database, and the owner role's name."""
    parsed = make_url(admin_url)
    owner, app = role_names(str(parsed.database))
    app_url = parsed.set(username=app, password=None).render_as_string(hide_password=False)
    return app_url, owner


def use_database(monkeypatch: Any, database_url: str | None) -> None:
    """Point the environment at the database: the default SQLite, a given URL, or for a
    PostgreSQL URL (a superuser's) the app role, after setting the roles up."""
    for variable in ROLE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    if database_url is None:
        return
    if make_url(database_url).get_backend_name() != "postgresql":
        monkeypatch.setenv("IPAWARD_DATABASE_URL", database_url)
        return
    app_url, owner = app_role_url(database_url)
    set_up_roles(database_url, app_url, owner=owner)
    monkeypatch.setenv("IPAWARD_MIGRATION_URL", database_url)
    monkeypatch.setenv("IPAWARD_DB_OWNER_ROLE", owner)
    monkeypatch.setenv("IPAWARD_DATABASE_URL", app_url)
