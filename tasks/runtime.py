"""Process-wide handles the tasks share: the loaded config and a session per transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ipaward.db.session import make_engine, make_session_factory
from ipaward.settings import Settings, load_settings
from ipaward.workflow.context import WorkflowContext, load_context

_ENGINES: dict[str, Engine] = {}


@lru_cache(maxsize=4)
def _context(settings: Settings) -> WorkflowContext:
    return load_context(settings)


def context() -> WorkflowContext:
    """The config as loaded once per process and settings (home, database, config folder)."""
    return _context(load_settings())


def engine() -> Engine:
    url = load_settings().database_url
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with make_session_factory(engine())() as session, session.begin():
        yield session


def reset() -> None:
    """Forget cached engines and config (tests and the demo switch homes)."""
    for cached in _ENGINES.values():
        cached.dispose()
    _ENGINES.clear()
    _context.cache_clear()
