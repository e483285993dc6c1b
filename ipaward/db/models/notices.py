"""Notices issued to applicants and departments; one event never yields two notices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ipaward.db.base import Base, utc_now
from ipaward.db.types import UtcDateTime, json_document


class Notice(Base):
    """A rendered notice; event_key (e.g. "app:42:accepted") is unique, so retries are safe."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    event_key: Mapped[str] = mapped_column(String, unique=True)
    kind: Mapped[str] = mapped_column(String)
    authority: Mapped[str] = mapped_column(String)
    doc_number: Mapped[str | None] = mapped_column(String)
    language: Mapped[str] = mapped_column(String, default="zh-CN", server_default="zh-CN")
    path: Mapped[str | None] = mapped_column(String)
    body: Mapped[str] = mapped_column(Text)
    # What publishing needs after the commit (files, delivery), so it never re-renders:
    html: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict[str, Any] | None] = mapped_column(json_document())
    # pending → delivered, or failed (retried, then `ipaward notices redeliver`).
    delivery: Mapped[str] = mapped_column(String, default="pending", server_default="pending")
    delivery_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
