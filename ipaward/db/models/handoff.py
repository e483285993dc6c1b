"""The hand-off to background work: follow-up requests committed with the change that needs
them, and the Prefect runs that handled each application (for operators and auditors)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ipaward.db.base import Base, utc_now
from ipaward.db.types import UtcDateTime

FOLLOW_UP_STATES = ("pending", "done", "cancelled")


class FollowUp(Base):
    """Work a command leaves for the background: advance an application, settle a list.

    Written in the command's own transaction, so a saved decision always carries its
    follow-up; done in the transaction of the work itself. At most one pending request per
    subject: a later request moves its due date earlier instead of adding a row. `due_on`
    (Zhangzhou's date) holds requests that wait for the calendar: the end of 公示, a 补正
    deadline, the yearly settlement."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        CheckConstraint("(application_id IS NULL) <> (cycle_id IS NULL)", name="one_subject"),
        CheckConstraint("state IN ('pending', 'done', 'cancelled')", name="state_known"),
        Index(
            "uq_follow_ups_pending_application",
            "application_id",
            unique=True,
            sqlite_where=text("state = 'pending' AND application_id IS NOT NULL"),
            postgresql_where=text("state = 'pending' AND application_id IS NOT NULL"),
        ),
        Index(
            "uq_follow_ups_pending_cycle",
            "cycle_id",
            unique=True,
            sqlite_where=text("state = 'pending' AND cycle_id IS NOT NULL"),
            postgresql_where=text("state = 'pending' AND cycle_id IS NOT NULL"),
        ),
        Index("ix_follow_ups_state_due_on", "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    reason: Mapped[str] = mapped_column(String)
    due_on: Mapped[date | None]
    state: Mapped[str] = mapped_column(String, default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class RunRecord(Base):
    """A Prefect run that handled an application or a list, written in the same transaction as
    the work it did: an operator goes from the application straight to its runs. A flow run
    (its task run, where the work ran in one), or a background task run with no flow run."""

    __tablename__ = "run_records"
    __table_args__ = (
        Index("ix_run_records_application_id", "application_id"),
        Index("ix_run_records_cycle_id", "cycle_id"),
        Index("ix_run_records_flow_run_id", "flow_run_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    flow_run_id: Mapped[str | None] = mapped_column(String(36))
    task_run_id: Mapped[str | None] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
