"""Which Prefect runs handled which application or list: written with the work they did."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import RunRecord


@dataclass(frozen=True, kw_only=True)
class RunRef:
    """The run doing the current work: a flow run (and its task run), or a background task
    run alone. Nothing (both None) when the work runs without Prefect."""

    flow_run_id: str | None = None
    task_run_id: str | None = None
    name: str = ""

    @property
    def is_run(self) -> bool:
        return bool(self.flow_run_id or self.task_run_id)


NO_RUN = RunRef()


def record_run(
    session: Session, run: RunRef, *, application_id: int | None = None, cycle_id: int | None = None
) -> None:
    """Note that `run` handled the subject (once per run and subject)."""
    if not run.is_run:
        return
    same = select(RunRecord.id).where(
        RunRecord.flow_run_id.is_(None)
        if run.flow_run_id is None
        else RunRecord.flow_run_id == run.flow_run_id,
        RunRecord.task_run_id.is_(None)
        if run.task_run_id is None
        else RunRecord.task_run_id == run.task_run_id,
        RunRecord.application_id.is_(None)
        if application_id is None
        else RunRecord.application_id == application_id,
        RunRecord.cycle_id.is_(None) if cycle_id is None else RunRecord.cycle_id == cycle_id,
    )
    if session.scalar(same) is None:
        session.add(
            RunRecord(
                flow_run_id=run.flow_run_id,
                task_run_id=run.task_run_id,
                name=run.name,
                application_id=application_id,
                cycle_id=cycle_id,
            )
        )
        session.flush()


def record_runs(
    session: Session, run: RunRef, *, application_ids: list[int], cycle_id: int | None = None
) -> None:
    """A chunk's worth at once (the annual cycle's chunks): one row per application."""
    if not run.is_run:
        return
    if cycle_id is not None:
        record_run(session, run, cycle_id=cycle_id)
    known = set(
        session.scalars(
            select(RunRecord.application_id).where(
                RunRecord.application_id.in_(application_ids),
                RunRecord.flow_run_id == run.flow_run_id
                if run.flow_run_id
                else RunRecord.task_run_id == run.task_run_id,
            )
        )
    )
    session.add_all(
        RunRecord(
            flow_run_id=run.flow_run_id,
            task_run_id=run.task_run_id,
            name=run.name,
            application_id=application_id,
        )
        for application_id in dict.fromkeys(application_ids)
        if application_id not in known
    )
    session.flush()


def runs_of(session: Session, *, application_id: int) -> list[RunRef]:
    """The runs that handled the application, oldest first."""
    query = select(RunRecord).where(RunRecord.application_id == application_id)
    return [
        RunRef(flow_run_id=r.flow_run_id, task_run_id=r.task_run_id, name=r.name)
        for r in session.scalars(query.order_by(RunRecord.id))
    ]
