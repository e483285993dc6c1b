"""The README's tables say what the config says: every responsible unit the policy text names,
with its part in each measure and why, where the part is a choice."""

from __future__ import annotations

from ipaward.config import Policy, load_policy
from ipaward.settings import PROJECT_ROOT

PARTS = {"countersign": "会签", "copied": "抄送"}
JURISDICTION = {
    "jurisdiction": ("申请人所在县（区）政府、管委会", "会签"),
    "jurisdictions": ("各县（区）政府、开发区（投资区）管委会", "报送"),
}


def participation_rows(policy: Policy) -> list[str]:
    """One README row per measure and responsible unit, as `ipaward measures` has them."""
    rows = []
    edition = policy.editions[0]
    for code, measure in edition.measures.items():
        for party in measure.responsible:
            if party.dept in JURISDICTION:
                name, part = JURISDICTION[party.dept]
                part = PARTS[party.part] if party.part == "copied" else part
            else:
                name, part = policy.directory.department(party.dept).short, PARTS[party.part]
            rows.append(f"| {code} | {name} | {part} | {party.why or '—'} |")
    return rows


def test_every_responsible_unit_of_every_measure_is_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [
        row for row in participation_rows(load_policy(PROJECT_ROOT / "config")) if row not in readme
    ]
    assert not missing, "README lacks:\n" + "\n".join(missing)
