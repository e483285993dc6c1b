"""What every request shares: settings, loaded policy, database sessions, templates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.session import make_engine, make_session_factory, transaction
from ipaward.settings import Settings
from ipaward.web import filters
from ipaward.web.due_distances import DeadlineCounter
from ipaward.web.web_settings import WebConfig
from ipaward.workflow.context import WorkflowContext

WEB_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


@dataclass(frozen=True, kw_only=True)
class WebState:
    """Built once by create_app; read by every request through `request.app.state.web`."""

    settings: Settings
    ctx: WorkflowContext
    config: WebConfig
    templates: Environment
    deadlines: DeadlineCounter
    read_engine: Engine
    write_engine: Engine
    read_factory: sessionmaker[Session]
    write_factory: sessionmaker[Session]

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE on SQLite: read-check-write is safe)."""
        with transaction(self.write_factory) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One read transaction; on SQLite a deferred BEGIN, so pages never queue behind writers."""
        with transaction(self.read_factory) as session:
            yield session

    def close(self) -> None:
        self.read_engine.dispose()
        self.write_engine.dispose()


def template_environment(ctx: WorkflowContext) -> Environment:
    """Autoescape on for every template: nothing a user typed is ever emitted raw."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package; no stat() per render
    )
    filters.install(env, ctx)
    return env


def open_state(*, settings: Settings, ctx: WorkflowContext, config: WebConfig) -> WebState:
    read_engine = make_engine(settings.database_url, sqlite_immediate=False)
    write_engine = make_engine(settings.database_url)
    return WebState(
        settings=settings,
        ctx=ctx,
        config=config,
        templates=template_environment(ctx),
        deadlines=DeadlineCounter(ctx.calendar),
        read_engine=read_engine,
        write_engine=write_engine,
        read_factory=make_session_factory(read_engine),
        write_factory=make_session_factory(write_engine),
    )
