"""An application as submitted, the evidence it claims, and the documents behind it."""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipaward.db.base import Base, utc_now
from ipaward.db.models.parties import Applicant
from ipaward.db.types import UtcDateTime, json_document, one_of
from ipaward.lifecycle.states import ApplicationState


class Application(Base):
    """State of one application; `version` makes concurrent edits fail instead of overwrite."""

    __tablename__ = "applications"
    __table_args__ = (CheckConstraint(one_of("state", ApplicationState), name="state_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String, unique=True)
    measure: Mapped[str] = mapped_column(String, index=True)
    edition: Mapped[str] = mapped_column(String)
    year: Mapped[int | None]
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    state: Mapped[str] = mapped_column(String, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(json_document())
    assessment: Mapped[dict[str, Any] | None] = mapped_column(json_document())
    # Route resolved to concrete departments at acceptance: config changes never reroute it.
    route: Mapped[dict[str, Any] | None] = mapped_column(json_document())
    reference_date: Mapped[date | None]
    submitted_on: Mapped[date | None]
    # Where the application stands on its route; a re-entered stage (after 补正 or an
    # objection) gets the next round, so its new work items never collide with the old.
    stage: Mapped[str | None] = mapped_column(String, index=True)
    stage_round: Mapped[int] = mapped_column(default=1, server_default="1")
    publicity_ends_on: Mapped[date | None]
    # The open 补正 request {items, deadline, requested_by, round} and the open objection.
    correction: Mapped[dict[str, Any] | None] = mapped_column(json_document())
    objection: Mapped[dict[str, Any] | None] = mapped_column(json_document())
    version: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now, onupdate=utc_now)

    applicant: Mapped[Applicant] = relationship()
    evidence: Mapped[list[EvidenceItem]] = relationship(back_populates="application")
    documents: Mapped[list[Document]] = relationship(back_populates="application")

    __mapper_args__ = MappingProxyType({"version_id_col": version})


class EvidenceItem(Base):
    """One claimed fact (a transfer, a product, a case) under a once-only item key."""

    __tablename__ = "evidence_items"
    __table_args__ = (UniqueConstraint("application_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    item_key: Mapped[str] = mapped_column(String, index=True)
    kind: Mapped[str] = mapped_column(String)
    data: Mapped[dict[str, Any]] = mapped_column(json_document())
    event_date: Mapped[date | None]

    application: Mapped[Application] = relationship(back_populates="evidence")


class Document(Base):
    """A file the applicant declared; check_status records what the document check found."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(String)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(BigInteger)
    media_type: Mapped[str | None] = mapped_column(String)
    stored_path: Mapped[str | None] = mapped_column(String)
    check_status: Mapped[str] = mapped_column(String, default="declared", server_default="declared")
    check_message: Mapped[str | None] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="documents")
