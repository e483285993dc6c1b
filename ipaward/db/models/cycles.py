"""The annual cycle of the yearly measures, and reminders for overdue work items."""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ipaward.db.base import Base, utc_now
from ipaward.db.types import UtcDateTime, json_document, one_of
from ipaward.lifecycle.states import AnnualListState


class Cycle(Base):
    """One measure's settlement for one year (its annual list), routed as a whole: its work
    items point at it (`work_items.cycle_id`); its route is snapshotted when it is created."""

    __tablename__ = "cycles"
    __table_args__ = (
        UniqueConstraint("measure", "year"),
        CheckConstraint(one_of("state", AnnualListState), name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String)
    year: Mapped[int]
    state: Mapped[str] = mapped_column(String, index=True)
    stage: Mapped[str | None] = mapped_column(String)
    stage_round: Mapped[int] = mapped_column(default=1, server_default="1")
    total: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The measure's route as it stood when the list was created: config changes never
    # reroute a list in flight (stages, who decides, completion, due days).
    route: Mapped[dict[str, Any] | None] = mapped_column(json_document())
    details: Mapped[dict[str, Any]] = mapped_column(json_document(), default=dict)
    version: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now, onupdate=utc_now)

    __mapper_args__ = MappingProxyType({"version_id_col": version})


class CycleLine(Base):
    """One recipient's line in a cycle: its applications' settled amount for the year."""

    __tablename__ = "cycle_lines"
    __table_args__ = (UniqueConstraint("cycle_id", "application_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    recipient_uscc: Mapped[str] = mapped_column(String, index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String)  # included | excepted | paid | refused
    details: Mapped[dict[str, Any]] = mapped_column(json_document(), default=dict)


class Reminder(Base):
    """A 催办 sent for an overdue work item: once per item, level and deadline."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("work_item_id", "level", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_item_id: Mapped[int] = mapped_column(ForeignKey("work_items.id"), index=True)
    level: Mapped[int]  # 1: the department; 2: escalated to the lead unit
    deadline: Mapped[date]
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
