"""Drive the approval workflow the way the system does: one transaction per action.

A `Workbench` owns a home folder and a database (SQLite or PostgreSQL). It submits
applications written with real documents, advances them on an explicit date, lets
departments decide their work items, and reads back what the database holds. Each call
is its own transaction, like a command or a flow task; nothing is shared between calls
except the database.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from ipaward.cycles.objections import object_to
from ipaward.db.models import (
    Application,
    AuditEntry,
    Decision,
    LedgerEntry,
    LedgerItem,
    Notice,
    WorkItem,
)
from ipaward.db.session import make_engine, make_session_factory, transaction
from ipaward.exchange.validate import ValidApplication, validate_file
from ipaward.services.database import ensure_schema
from ipaward.services.files import CheckedDocument, check_and_store
from ipaward.services.intake import submit
from ipaward.settings import PROJECT_ROOT, Settings, load_settings
from ipaward.workflow.advance import advance_application
from ipaward.workflow.advance_report import AdvanceReport
from ipaward.workflow.applicant_actions import resubmit, withdraw
from ipaward.workflow.context import WorkflowContext, load_context
from ipaward.workflow.decisions import Decided, decide
from ipaward.workflow.handoff import unattended
from tests.support.applications import write_application
from tests.support.pg_roles import use_database

Breakage = Callable[[dict[str, Any], Path], None]
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Item:
    """A work item as an officer sees it in the inbox."""

    id: int
    stage: str
    department: str
    round: int
    state: str
    version: int
    outcome: str | None


@dataclass(frozen=True)
class Footprint:
    """What an advance leaves behind: rows that must never be written twice."""

    work_items: int
    notices: int
    ledger_entries: int
    ledger_items: int
    state_changes: int
    decisions: int


class Workbench:
    def __init__(self, *, settings: Settings, ctx: WorkflowContext, inbox: Path) -> None:
        self.settings = settings
        self.ctx = ctx
        self.inbox = inbox  # where applicants' files are written before submission
        self.engine: Engine = make_engine(settings.database_url)
        self.factory: sessionmaker[Session] = make_session_factory(self.engine)
        self._filings = 0

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.factory) as session:
            yield session

    @contextmanager
    def acting(self) -> Iterator[Session]:
        """A command's or a step's transaction; once it has committed, the hand-off invariant
        must hold: every live application has an open work item or a pending request."""
        with self.transaction() as session:
            yield session
        with self.transaction() as session:
            stranded = unattended(session)
        assert not stranded, f"live applications nothing will move on: {stranded}"

    # --- the applicant -------------------------------------------------------------------

    def write(
        self, data: dict[str, Any], *, label: str = "", broken: Breakage | None = None
    ) -> Path:
        """Write the application JSON and its PDFs into a fresh folder; returns the JSON path."""
        self._filings += 1
        folder = self.inbox / f"filing-{self._filings:03d}"
        return write_application(folder, data, label=label or folder.name, broken=broken)

    def _hand_over(
        self, data: dict[str, Any], *, on: dt.date, label: str, broken: Breakage | None
    ) -> tuple[ValidApplication, list[CheckedDocument]]:
        """Write the files, validate the JSON and check the documents, as `ipaward submit` does."""
        path = self.write(data, label=label, broken=broken)
        [valid] = validate_file(path, self.ctx.policy, as_of=on)
        checks = check_and_store(
            path.parent,
            valid,
            files_root=self.ctx.files_root,
            max_bytes=self.ctx.procedure.max_document_bytes,
        )
        return valid, checks

    def submit(
        self,
        data: dict[str, Any],
        *,
        on: dt.date,
        label: str = "",
        broken: Breakage | None = None,
    ) -> str:
        """validate_file → check_and_store → submit, in one transaction; the number."""
        valid, checks = self._hand_over(data, on=on, label=label, broken=broken)
        with self.acting() as session:
            [stored] = submit(
                session,
                policy=self.ctx.policy,
                applications=[valid],
                as_of=on,
                actor="applicant",
                checks=[checks],
            )
        return stored.number

    def resubmit(
        self,
        number: str,
        data: dict[str, Any],
        *,
        on: dt.date,
        label: str = "",
        broken: Breakage | None = None,
    ) -> list[dict[str, object]]:
        valid, checks = self._hand_over(data, on=on, label=label, broken=broken)
        with self.acting() as session:
            return resubmit(
                session,
                self.ctx,
                number=number,
                application=valid,
                checks=checks,
                today=on,
                actor="applicant",
            )

    def withdraw(self, number: str) -> None:
        with self.acting() as session:
            withdraw(session, self.ctx, number=number, actor="applicant")

    def object(
        self, number: str, *, name: str, text: str, on: dt.date, **paper: Any
    ) -> AdvanceReport:
        """`paper`: received_on, scan, recorded_by of a paper objection recorded later."""
        with self.acting() as session:
            return object_to(
                session, self.ctx, number=number, name=name, text=text, today=on, **paper
            )

    # --- the system ----------------------------------------------------------------------

    def advance(self, number: str, *, on: dt.date) -> AdvanceReport:
        with self.acting() as session:
            return advance_application(
                session, self.ctx, application_id=self._id(session, number), today=on
            )

    # --- the departments -----------------------------------------------------------------

    def decide(
        self,
        number: str,
        department: str,
        outcome: str | None = None,
        *,
        comment: str = "同意",
        items: Sequence[str] = (),
        deadline_days: int | None = None,
    ) -> Decided:
        """Decide the department's one open item on the application (countersign or approve)."""
        [item] = [i for i in self.open_items(number) if i.department == department]
        return self.decide_item(
            item,
            outcome or default_outcome(item.stage),
            comment=comment,
            items=items,
            deadline_days=deadline_days,
        )

    def decide_item(
        self,
        item: Item,
        outcome: str,
        *,
        department: str | None = None,
        comment: str = "同意",
        items: Sequence[str] = (),
        deadline_days: int | None = None,
        expected_version: int | None = None,
    ) -> Decided:
        with self.acting() as session:
            return decide(
                session,
                work_item_id=item.id,
                department=department or item.department,
                officer=f"officer@{item.department}",
                outcome=outcome,
                comment=comment,
                expected_version=expected_version,
                items=items,
                deadline_days=deadline_days,
            )

    def decide_all(self, number: str) -> list[Decided]:
        """Every open item of the application approved (countersigned at countersign)."""
        return [
            self.decide_item(item, default_outcome(item.stage)) for item in self.open_items(number)
        ]

    def drive(self, number: str, *, on: dt.date, until: Callable[[Application], bool]) -> dt.date:
        """Approve everything and let publicity lapse until `until(application)`; the date reached."""
        self.advance(number, on=on)
        for _ in range(20):
            application = self.application(number)
            if until(application):
                return on
            if application.state == "publicity":
                assert application.publicity_ends_on is not None
                on = application.publicity_ends_on + ONE_DAY
            elif application.state == "in_review":
                assert self.decide_all(number), f"{number} waits on nobody at {application.stage}"
            else:
                raise AssertionError(f"{number} stopped in {application.state}")
            self.advance(number, on=on)
        raise AssertionError(f"{number} did not get there")

    # --- what the database holds ---------------------------------------------------------

    def application(self, number: str) -> Application:
        with self.transaction() as session:
            application = session.scalars(
                select(Application).where(Application.number == number)
            ).one()
            session.expunge(application)
            return application

    def items(self, number: str, *, state: str | None = None) -> list[Item]:
        with self.transaction() as session:
            query = (
                select(WorkItem, Decision.outcome)
                .outerjoin(Decision, Decision.work_item_id == WorkItem.id)
                .where(WorkItem.application_id == self._id(session, number))
                .order_by(WorkItem.id)
            )
            if state is not None:
                query = query.where(WorkItem.state == state)
            return [
                Item(w.id, w.stage, w.department, w.round, w.state, w.version, outcome)
                for w, outcome in session.execute(query)
            ]

    def open_items(self, number: str) -> list[Item]:
        return self.items(number, state="open")

    def notices(self, number: str) -> list[Notice]:
        with self.transaction() as session:
            rows = list(
                session.scalars(
                    select(Notice)
                    .where(Notice.application_id == self._id(session, number))
                    .order_by(Notice.id)
                )
            )
            session.expunge_all()
            return rows

    def notice_kinds(self, number: str) -> list[str]:
        return [notice.kind for notice in self.notices(number)]

    def ledger(self, number: str) -> list[LedgerEntry]:
        with self.transaction() as session:
            rows = list(
                session.scalars(
                    select(LedgerEntry).where(
                        LedgerEntry.application_id == self._id(session, number)
                    )
                )
            )
            session.expunge_all()
            return rows

    def history(self, number: str) -> list[str]:
        """The application's state changes, in order (audit actions)."""
        with self.transaction() as session:
            return list(
                session.scalars(
                    select(AuditEntry.action)
                    .where(AuditEntry.entity == "application", AuditEntry.entity_id == number)
                    .order_by(AuditEntry.id)
                )
            )

    def audit_rows(self, *where: ColumnElement[bool]) -> list[AuditEntry]:
        with self.transaction() as session:
            rows = list(session.scalars(select(AuditEntry).where(*where).order_by(AuditEntry.id)))
            session.expunge_all()
            return rows

    def count(self, model: type[Any], *where: ColumnElement[bool]) -> int:
        with self.transaction() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    def footprint(self) -> Footprint:
        return Footprint(
            work_items=self.count(WorkItem),
            notices=self.count(Notice),
            ledger_entries=self.count(LedgerEntry),
            ledger_items=self.count(LedgerItem),
            state_changes=self.count(
                AuditEntry,
                AuditEntry.entity == "application",
                AuditEntry.action != "application.submit",
            ),
            decisions=self.count(Decision),
        )

    def _id(self, session: Session, number: str) -> int:
        return session.scalars(select(Application.id).where(Application.number == number)).one()


def default_outcome(stage: str) -> str:
    if stage == "objection_review":
        return "objection_dismissed"
    return "countersign" if stage == "countersign" else "approve"


def at(stage: str | None = None, *, state: str | None = None) -> Callable[[Application], bool]:
    """A stop condition for `Workbench.drive`: the application reached this stage / state."""

    def reached(application: Application) -> bool:
        if state is not None and application.state != state:
            return False
        return stage is None or application.stage == stage

    return reached


def open_workbench(
    root: Path,
    monkeypatch: Any,
    *,
    database_url: str | None = None,
    config_dir: Path | None = None,
) -> Workbench:
    """A fresh home under `root` with its schema, named by the environment like production.

    IPAWARD_HOME / IPAWARD_DATABASE_URL / IPAWARD_CONFIG_DIR are set (monkeypatch), so code
    that reads the settings itself (tasks, flows, CLI) sees the same home and database; on
    PostgreSQL it connects as the app role (tests/support/pg_roles.py). The
    config is a copy of `config_dir` (default: the repository's) in which every application
    takes its own route (`annual_measures_in_cycle = false`): these tests are about that route,
    whatever the shipped default of the switch is.
    """
    home = root / "home"
    config = own_route_config(config_dir or PROJECT_ROOT / "config", root / "config-own-route")
    monkeypatch.setenv("IPAWARD_HOME", str(home))
    monkeypatch.setenv("IPAWARD_CONFIG_DIR", str(config))
    use_database(monkeypatch, database_url)  # PostgreSQL: as the app role
    settings = load_settings()
    ensure_schema(settings)
    return Workbench(settings=settings, ctx=load_context(settings), inbox=root / "filings")


def own_route_config(source: Path, target: Path) -> Path:
    """Copy a config folder with the annual cycle switched off."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    workflow = target / "workflow.toml"
    text = workflow.read_text(encoding="utf-8")
    switch = re.compile(r"^annual_measures_in_cycle\s*=.*$", re.MULTILINE)
    text = switch.sub("annual_measures_in_cycle = false", text)
    if not switch.search(text):
        text += "\nannual_measures_in_cycle = false\n"
    workflow.write_text(text, encoding="utf-8")
    return target


def runtime_workbench(root: Path, monkeypatch: Any) -> Iterator[Workbench]:
    """A workbench for code that finds its home itself (tasks, flows, CLI): for `yield from`.

    tasks.runtime caches engines and config per process; they are forgotten before and after.
    """
    from tasks import runtime

    runtime.reset()
    bench = open_workbench(root, monkeypatch)
    try:
        yield bench
    finally:
        bench.close()
        runtime.reset()
