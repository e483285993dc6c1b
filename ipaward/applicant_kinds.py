"""Who may apply: the applicant kinds of the exchange format, shared by config and validation."""

from __future__ import annotations

from typing import Literal, get_args

ApplicantKind = Literal[
    "enterprise",
    "university",
    "research_institute",
    "service_body",
    "operation_body",
    "organisation",
    "bank",
    "city_unit",
]
APPLICANT_KINDS: frozenset[str] = frozenset(get_args(ApplicantKind))
