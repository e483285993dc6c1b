"""The application envelope of the exchange format; evidence is checked per measure."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ipaward.applicant_kinds import ApplicantKind
from ipaward.exchange.fields import STRICT, DocumentName, IsoDate, Money, Sha256, Text, Uscc


class Applicant(BaseModel):
    model_config = STRICT
    name: Text
    kind: ApplicantKind
    uscc: Uscc
    jurisdiction: Text
    introduced_on: IsoDate | None = None
    industry: Text | None = None


class OtherAward(BaseModel):
    """就高从优不重复: what the applicant already received for the same item elsewhere."""

    model_config = STRICT
    item: Text
    source: Text
    amount: Money


class DocumentRef(BaseModel):
    model_config = STRICT
    kind: Text
    name: DocumentName
    sha256: Sha256


class ApplicationEnvelope(BaseModel):
    model_config = STRICT
    measure: str = Field(pattern=r"^M\d{2}$")  # the editions say which exist
    year: int | None = Field(default=None, ge=2000, le=2100)
    applicant: Applicant
    evidence: dict[str, Any]
    other_awards: list[OtherAward] = Field(default_factory=list)
    documents: list[DocumentRef] = Field(default_factory=list)
