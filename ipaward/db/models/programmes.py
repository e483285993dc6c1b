"""A programme measure's year (M04 M05 M08 M11 M16 M18 in 2024): the lead unit assigns the
work, every responsible unit reports back, the lead compiles. It pays nothing, but moves
through its route like any other subject: its work items point at it."""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ipaward.db.base import Base, utc_now
from ipaward.db.types import UtcDateTime, json_document, one_of
from ipaward.lifecycle.states import ProgrammeState


class Programme(Base):
    __tablename__ = "programmes"
    __table_args__ = (
        UniqueConstraint("measure", "year"),
        CheckConstraint(one_of("state", ProgrammeState), name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String)  # the clause number of the year's edition
    year: Mapped[int]
    state: Mapped[str] = mapped_column(String, index=True)
    stage: Mapped[str | None] = mapped_column(String)
    # The route resolved when the year's work was first assigned (departments per stage);
    # rows from before 0010 are snapshotted on their next step.
    route: Mapped[dict[str, Any] | None] = mapped_column(json_document())
    version: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now, onupdate=utc_now)

    __mapper_args__ = MappingProxyType({"version_id_col": version})
