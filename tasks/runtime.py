"""Process-wide handles the tasks share: the loaded config and a session per transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ipaward.db.session import make_engine, make_session_factory
from ipaward.db.session import transaction as db_transaction
from ipaward.repository.runs import RunRef
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
    with db_transaction(make_session_factory(engine())) as session:
        yield session


def reset(*, forked: bool = False) -> None:
    """Forget cached engines and config (tests and the demo switch homes). `forked`: in a
    child after os.fork, leave the parent's connections open (SQLAlchemy's advice)."""
    for cached in _ENGINES.values():
        cached.dispose(close=not forked)
    _ENGINES.clear()
    _context.cache_clear()


def current_run() -> RunRef:
    """The Prefect run this code runs in (a flow run and its task run, or a background task
    run), to be recorded on what it handles."""
    from prefect.runtime import flow_run, task_run

    flow_id, task_id = flow_run.get_id(), task_run.get_id()
    name = task_run.get_name() if task_id else flow_run.get_name()
    if flow_id and task_id:
        name = f"{flow_run.get_name()} / {task_run.get_name()}"
    return RunRef(
        flow_run_id=str(flow_id) if flow_id else None,
        task_run_id=str(task_id) if task_id else None,
        name=str(name or ""),
    )


def run_logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """The run's logger (INFO reaches the Prefect UI), or a plain one outside a run (a task
    function called directly, inline)."""
    from prefect import get_run_logger
    from prefect.exceptions import MissingContextError

    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("ipaward.tasks")
