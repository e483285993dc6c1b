"""A realistic cohort: every paying measure, applicants in all 16 jurisdictions, a few with
faulty evidence. Deterministic for a seed, so a demo can be rerun and compared."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from ipaward.config.policy import Policy
from ipaward.demo.measure_files import BUILDERS

# How many applications of each measure (by identity); their documents are the checklist
# the edition requires, their code the edition's number for the measure.
COUNTS = {
    "patent-intensive-introductions": 2,
    "patent-navigation": 2,
    "ip-management-certification": 3,
    "innovation-management-grading": 5,
    "patent-transfers": 5,
    "patent-intensive-products": 6,
    "pledge-loan-compensation": 3,
    "enforcement-cases": 4,
    "public-service-bodies": 3,
    "ip-operation-hosting": 2,
    "gi-cultural-standards": 5,
    "ip-research-centres": 3,
}
COHORT_DAY = dt.date(2024, 6, 1)  # the cohort's events are of 2024
FAULTS = ("digest_mismatch", "missing_file", "renamed_executable", "lapses")


@dataclass
class DemoApplication:
    label: str
    data: dict[str, Any]
    fault: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def build_cohort(policy: Policy, *, seed: int = 2024) -> list[DemoApplication]:
    rng = random.Random(seed)
    jurisdictions = policy.directory.jurisdiction_names()
    edition = policy.edition_on(COHORT_DAY)
    assert edition is not None, "the demo cohort is of the 2024 edition"
    cohort: list[DemoApplication] = []
    serial = 0
    for identity, count in COUNTS.items():
        measure = edition.by_identity(identity)
        assert measure is not None, identity
        for index in range(count):
            serial += 1
            place = jurisdictions[(serial * 7) % len(jurisdictions)]
            data = BUILDERS[identity](rng, place, serial, index)
            data["measure"] = measure.code
            data["documents"] = [
                {"kind": kind, "name": "", "sha256": ""} for kind in measure.required_documents
            ]
            cohort.append(DemoApplication(label=f"{measure.code}-{index + 1}", data=data))
    for fault, application in zip(
        FAULTS, [cohort[4], cohort[12], cohort[22], cohort[30]], strict=True
    ):
        application.fault = fault
    return cohort
