"""Who applies: enterprises, universities, institutes, banks, service bodies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ipaward.db.base import Base, utc_now
from ipaward.db.types import UtcDateTime


class Applicant(Base):
    """One legal person, identified by its unified social credit code (统一社会信用代码)."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    jurisdiction: Mapped[str] = mapped_column(String, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
