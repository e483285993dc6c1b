"""An objection review decides the objection: decisions may be 异议成立 / 异议不成立.

The decisions' outcome CHECK gains `objection_upheld` and `objection_dismissed`. Going
back turns them into the generic reject / approve they replaced (the outcomes below are
those of this revision: history, not today's code).

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-30 06:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("approve", "reject", "return", "countersign")
AFTER = (*BEFORE, "objection_upheld", "objection_dismissed")
GENERIC = {"objection_upheld": "reject", "objection_dismissed": "approve"}


def _one_of(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _outcomes(values: Sequence[str]) -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_decisions_outcome_known"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_decisions_outcome_known"), _one_of("outcome", values)
        )


def upgrade() -> None:
    _outcomes(AFTER)


def downgrade() -> None:
    decisions = sa.table("decisions", sa.column("outcome", sa.String()))
    for new, old in GENERIC.items():
        op.get_bind().execute(
            decisions.update().where(decisions.c.outcome == new).values(outcome=old)
        )
    _outcomes(BEFORE)
