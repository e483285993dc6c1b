"""What the lead unit's 异议复核 decision means for the objection it reviewed.

Kept beside the decision so the refusal notice and the audit name who objected and why the
objection stood (an applicant refused on an objection is told on whose and on what grounds).
"""

from __future__ import annotations

import datetime as dt

from ipaward.db.models import Application, Decision
from ipaward.workflow.outcomes import REJECTING


def resolve_objection(application: Application, decision: Decision, *, today: dt.date) -> str:
    """Close the objection on the application; the reason a refusal gives when it stood."""
    upheld = decision.outcome in REJECTING
    objection = application.objection or {}
    application.objection = {
        **objection,
        "open": False,
        "resolved_on": today.isoformat(),
        "upheld": upheld,
        "reason": decision.comment,
        "decided_by": decision.department,
    }
    name = str(objection.get("name") or "")
    verdict = "成立" if upheld else "不成立"
    return f"公示期间{name}提出的书面异议经复核{verdict}:{decision.comment}"
