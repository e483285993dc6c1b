"""Composite indexes for the web inbox: a department's open items in due order, by stage,
and by measure through the application.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 21:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_work_items_department_state_due_on", ["department", "state", "due_on"]
        )
        batch_op.create_index(
            "ix_work_items_department_state_stage_due_on",
            ["department", "state", "stage", "due_on"],
        )
        batch_op.create_index(
            "ix_work_items_application_id_department_state_due_on",
            ["application_id", "department", "state", "due_on"],
        )


def downgrade() -> None:
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_index("ix_work_items_application_id_department_state_due_on")
        batch_op.drop_index("ix_work_items_department_state_stage_due_on")
        batch_op.drop_index("ix_work_items_department_state_due_on")
