"""Named counters for gap-free numbering (application numbers, document numbers)."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ipaward.db.base import Base


class Counter(Base):
    """Last value handed out under a key; incremented inside the caller's transaction."""

    __tablename__ = "counters"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
