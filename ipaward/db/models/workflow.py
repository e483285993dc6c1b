"""Human gates: a work item per department and stage, and the department's one decision."""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipaward.db.base import Base, utc_now
from ipaward.db.types import UtcDateTime, json_document, one_of

WORK_ITEM_STATES = ("open", "done", "cancelled")
DECISION_OUTCOMES = (
    "approve",
    "reject",
    "return",
    "countersign",
    "objection_upheld",
    "objection_dismissed",
)
SUBJECTS = ("application_id", "cycle_id", "programme_id")
# Exactly one subject per item (a portable count: PostgreSQL does not add booleans).
ONE_SUBJECT = " + ".join(f"(CASE WHEN {s} IS NULL THEN 0 ELSE 1 END)" for s in SUBJECTS) + " = 1"


class WorkItem(Base):
    """What one department must do at one stage of one subject (an application, an annual
    list or a programme's year); a new round after 补正 gets a new row."""

    __tablename__ = "work_items"
    __table_args__ = (
        UniqueConstraint("application_id", "stage", "department", "round"),
        *(
            Index(
                f"uq_work_items_{subject}_stage_department_round",
                subject,
                "stage",
                "department",
                "round",
                unique=True,
                sqlite_where=text(f"{subject} IS NOT NULL"),
                postgresql_where=text(f"{subject} IS NOT NULL"),
            )
            for subject in ("cycle_id", "programme_id")
        ),
        CheckConstraint(ONE_SUBJECT, name="one_subject"),
        CheckConstraint(one_of("state", WORK_ITEM_STATES), name="state_known"),
        CheckConstraint("round >= 1", name="round_positive"),
        # The web inbox (0003): a department's open items in due order, by stage, and by
        # measure (through the application: covering, so no table row is read per probe).
        Index("ix_work_items_department_state_due_on", "department", "state", "due_on"),
        Index(
            "ix_work_items_department_state_stage_due_on", "department", "state", "stage", "due_on"
        ),
        Index(
            "ix_work_items_application_id_department_state_due_on",
            "application_id",
            "department",
            "state",
            "due_on",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    stage: Mapped[str] = mapped_column(String)
    department: Mapped[str] = mapped_column(String, index=True)
    round: Mapped[int] = mapped_column(default=1, server_default="1")
    state: Mapped[str] = mapped_column(String, default="open", server_default="open", index=True)
    due_on: Mapped[date | None]
    version: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    decision: Mapped[Decision | None] = relationship(back_populates="work_item")

    __mapper_args__ = MappingProxyType({"version_id_col": version})


class Decision(Base):
    """A department's answer to a work item; unique per work item: it decides once."""

    __tablename__ = "decisions"
    __table_args__ = (CheckConstraint(one_of("outcome", DECISION_OUTCOMES), name="outcome_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_item_id: Mapped[int] = mapped_column(ForeignKey("work_items.id"), unique=True)
    department: Mapped[str] = mapped_column(String)
    officer: Mapped[str] = mapped_column(String)
    outcome: Mapped[str] = mapped_column(String)
    comment: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(json_document(), default=dict)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)

    work_item: Mapped[WorkItem] = relationship(back_populates="decision")
