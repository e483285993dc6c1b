"""PostgreSQL least privilege: a NOLOGIN owner role owns the schema, the application logs in
as another role with only the DML `ipaward.db.privileges` declares.

The app role is not the owner and not a member of it, so it cannot ALTER, DROP or DISABLE
the audit triggers, and without superuser it cannot `SET session_replication_role`. Run as a
superuser (or a role with CREATEROLE that is a member of the owner) through
IPAWARD_MIGRATION_URL; everything here is idempotent and safe to run again.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from ipaward.db.privileges import grant_statements
from ipaward.db.session import make_engine, normalise_url


class RolesError(ValueError):
    """The settings cannot give the application a role of its own."""


def app_role_of(database_url: str, migration_url: str) -> str:
    """The application's role is the user of IPAWARD_DATABASE_URL; it must not migrate."""
    app, admin = normalise_url(database_url), normalise_url(migration_url)
    if app.get_backend_name() != "postgresql" or admin.get_backend_name() != "postgresql":
        raise RolesError("角色分离只用于 PostgreSQL:IPAWARD_DATABASE_URL 与 IPAWARD_MIGRATION_URL")
    if not app.username or app.username == admin.username:
        raise RolesError("IPAWARD_DATABASE_URL 须用应用自己的角色,不能与迁移角色相同")
    return app.username


def _run_formatted(connection: Connection, template: str, *args: str) -> None:
    """Quote identifiers (%I) and literals (%L) on the server, then run the statement."""
    placeholders = ", ".join(f"CAST(:a{i} AS text)" for i in range(len(args)))
    statement = connection.execute(
        text(f"SELECT format(CAST(:template AS text), {placeholders})"),
        {"template": template, **{f"a{i}": arg for i, arg in enumerate(args)}},
    ).scalar_one()
    connection.exec_driver_sql(statement)


def _create_role(connection: Connection, template: str, *args: str) -> None:
    """CREATE ROLE unless it exists, also when another process creates it at the same time."""
    guarded = (
        f"DO $do$ BEGIN {template}; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $do$"
    )
    _run_formatted(connection, guarded, *args)


def create_roles(connection: Connection, *, owner: str, app: str, password: str | None) -> None:
    """The owner (NOLOGIN) and the app (LOGIN, no inheritance of anything)."""
    _create_role(connection, "CREATE ROLE %I NOLOGIN", owner)
    _create_role(connection, "CREATE ROLE %I LOGIN NOINHERIT", app)
    _run_formatted(connection, "ALTER ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE", owner)
    _run_formatted(
        connection, "ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT", app
    )
    if password is not None:
        _run_formatted(connection, "ALTER ROLE %I PASSWORD %L", app, password)
    is_superuser = connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    ).scalar_one()
    if not is_superuser:  # a plain admin needs membership to SET ROLE to the owner
        _run_formatted(connection, "GRANT %I TO current_user", owner)


def secure_schema(connection: Connection, *, owner: str, app: str) -> None:
    """Only the owner creates in `public`; the app may use it; nobody else gets in by default."""
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    _run_formatted(connection, "REVOKE CREATE, TEMPORARY ON DATABASE %I FROM PUBLIC", database)
    _run_formatted(connection, "GRANT CONNECT ON DATABASE %I TO %I", database, app)
    connection.exec_driver_sql("REVOKE ALL ON SCHEMA public FROM PUBLIC")
    _run_formatted(connection, "GRANT USAGE, CREATE ON SCHEMA public TO %I", owner)
    _run_formatted(connection, "GRANT USAGE ON SCHEMA public TO %I", app)


def hand_over(connection: Connection, *, owner: str) -> None:
    """Give the owner every table, view, sequence and function a superuser created earlier."""
    relations = connection.execute(
        text(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')"
            " AND pg_get_userbyid(c.relowner) <> :owner"
        ),
        {"owner": owner},
    ).all()
    for name, kind in relations:
        verb = {"v": "VIEW", "m": "MATERIALIZED VIEW"}.get(kind, "TABLE")
        _run_formatted(connection, f"ALTER {verb} %I OWNER TO %I", name, owner)
    sequences = connection.execute(  # those owned by a column moved with their table
        text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'S'"
            " AND pg_get_userbyid(c.relowner) <> :owner"
        ),
        {"owner": owner},
    ).scalars()
    for name in list(sequences):
        _run_formatted(connection, "ALTER SEQUENCE %I OWNER TO %I", name, owner)
    functions = connection.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p"
            " JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> :owner"
        ),
        {"owner": owner},
    ).scalars()
    for signature in list(functions):
        connection.exec_driver_sql(
            f"ALTER FUNCTION {signature} OWNER TO {connection.dialect.identifier_preparer.quote(owner)}"
        )


def apply_grants(connection: Connection, *, app: str) -> None:
    """The declared privileges (`ipaward.db.privileges`) for every table now in `public`."""
    tables = list(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
    )
    quote = connection.dialect.identifier_preparer.quote
    for statement in grant_statements(app, tables, quote):
        connection.exec_driver_sql(statement)


def set_up_roles(migration_url: str, database_url: str, *, owner: str) -> str:
    """Create both roles, secure the schema, hand existing objects to the owner; the app role."""
    app = app_role_of(database_url, migration_url)
    password = make_url(database_url).password
    engine = make_engine(migration_url)
    try:
        with engine.begin() as connection:
            create_roles(
                connection,
                owner=owner,
                app=app,
                password=None if password is None else str(password),
            )
            secure_schema(connection, owner=owner, app=app)
            hand_over(connection, owner=owner)
    finally:
        engine.dispose()
    return app
