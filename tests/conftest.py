"""Shared database fixtures: every test gets its own empty database. Prefect: the project's
environment is set here, before any test module imports Prefect, and `prefect_api` is the
session's one Prefect API (tests/support/prefect_api.py).

`database_url` runs a test on SQLite (a file in tmp_path) and on PostgreSQL (a fresh
database created for the test and dropped afterwards, with the owner and app roles a
workbench made for it: on PostgreSQL the workflow runs as the app role). PostgreSQL comes from
IPAWARD_TEST_POSTGRES_URL; when it is unreachable those tests are skipped, not failed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.migrate import upgrade_to_head
from ipaward.db.models import Applicant, Application
from ipaward.db.session import make_engine, make_session_factory, normalise_url
from tests.support.pg_roles import role_names
from tests.support.prefect_api import prefect_api, use_project_prefect_environment
from tests.support.workbench import Workbench, open_workbench

__all__ = ["prefect_api"]
use_project_prefect_environment()

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    return os.environ.get("IPAWARD_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@cache
def _postgres_unreachable() -> str | None:
    """None when PostgreSQL answers, else why not (asked once per test session)."""
    url = normalise_url(postgres_admin_url())
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        shown = url.render_as_string(hide_password=True)
        return f"PostgreSQL at {shown} unreachable: {exc.orig or exc}"
    finally:
        engine.dispose()
    return None


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database, dropped when the test ends."""
    reason = _postgres_unreachable()
    if reason is not None and os.environ.get("IPAWARD_TEST_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (IPAWARD_TEST_REQUIRE_POSTGRES=1: CI must run these)")
    if reason is not None:
        pytest.skip(reason)
    admin_url = normalise_url(postgres_admin_url())
    name = f"ipaward_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in role_names(name):  # tests/support/pg_roles.py, if it made them
                connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, once per dialect."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ipaward.sqlite3'}"
    url: str = request.getfixturevalue("postgres_database")
    return url


@pytest.fixture
def migrated_url(database_url: str) -> str:
    """`database_url` brought to the latest schema."""
    upgrade_to_head(database_url)
    return database_url


@pytest.fixture
def engine(migrated_url: str) -> Iterator[Engine]:
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """One session on a migrated SQLite file, for fast single-dialect tests."""
    url = f"sqlite:///{tmp_path / 'fast.sqlite3'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


MakeApplication = Callable[..., int]


@pytest.fixture
def make_application() -> MakeApplication:
    """Insert an applicant (if new) and an application; returns the application id."""

    def make(
        session: Session,
        *,
        number: str | None = None,
        measure: str = "M07",
        uscc: str = "12350600000000000X",
    ) -> int:
        applicant = session.scalars(select(Applicant).filter_by(uscc=uscc)).one_or_none()
        if applicant is None:
            applicant = Applicant(
                uscc=uscc, name="漳州某大学", kind="university", jurisdiction="ZZ"
            )
            session.add(applicant)
        application = Application(
            number=number or f"ZZIP-2024-{measure}-{uuid.uuid4().hex[:6]}",
            measure=measure,
            edition="2024",
            year=2024,
            applicant=applicant,
            state="submitted",
            payload={"measure": measure},
        )
        session.add(application)
        session.flush()
        return application.id

    return make


OpenBench = Callable[..., Workbench]  # open a workbench on a database and config folder


@pytest.fixture
def open_bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenBench]:
    """Open a workbench on a given database and config folder (closed after the test)."""
    opened: list[Workbench] = []

    def open_(*, database_url: str | None = None, config_dir: Path | None = None) -> Workbench:
        bench = open_workbench(
            tmp_path, monkeypatch, database_url=database_url, config_dir=config_dir
        )
        opened.append(bench)
        return bench

    yield open_
    for bench in opened:
        bench.close()
