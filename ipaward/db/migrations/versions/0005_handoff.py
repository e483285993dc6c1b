"""The hand-off to background work: follow-up requests, the runs that handled each
application, and notices published after the commit (rendered HTML and metadata kept on the
row, a delivery state an operator can redeliver from).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 02:17:11.733886
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'done', 'cancelled')", name=op.f("ck_follow_ups_state_known")
        ),
        sa.CheckConstraint(
            "(application_id IS NULL) <> (cycle_id IS NULL)", name=op.f("ck_follow_ups_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_follow_ups_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycles.id"], name=op.f("fk_follow_ups_cycle_id_cycles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index("ix_follow_ups_state_due_on", ["state", "due_on"], unique=False)
        batch_op.create_index(
            "uq_follow_ups_pending_application",
            ["application_id"],
            unique=True,
            sqlite_where=sa.text("state = 'pending' AND application_id IS NOT NULL"),
            postgresql_where=sa.text("state = 'pending' AND application_id IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_follow_ups_pending_cycle",
            ["cycle_id"],
            unique=True,
            sqlite_where=sa.text("state = 'pending' AND cycle_id IS NOT NULL"),
            postgresql_where=sa.text("state = 'pending' AND cycle_id IS NOT NULL"),
        )

    op.create_table(
        "run_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flow_run_id", sa.String(length=36), nullable=True),
        sa.Column("task_run_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_run_records_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycles.id"], name=op.f("fk_run_records_cycle_id_cycles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_records")),
    )
    with op.batch_alter_table("run_records", schema=None) as batch_op:
        batch_op.create_index("ix_run_records_application_id", ["application_id"], unique=False)
        batch_op.create_index("ix_run_records_cycle_id", ["cycle_id"], unique=False)
        batch_op.create_index("ix_run_records_flow_run_id", ["flow_run_id"], unique=False)

    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("html", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "meta",
                sa.JSON(none_as_null=True).with_variant(
                    postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("delivery", sa.String(), server_default="pending", nullable=False)
        )
        batch_op.add_column(sa.Column("delivery_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
    # Notices issued before 0005 were delivered in the step that issued them.
    op.execute("UPDATE notices SET delivery = 'delivered'")


def downgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_column("delivered_at")
        batch_op.drop_column("delivery_error")
        batch_op.drop_column("delivery")
        batch_op.drop_column("meta")
        batch_op.drop_column("html")

    with op.batch_alter_table("run_records", schema=None) as batch_op:
        batch_op.drop_index("ix_run_records_flow_run_id")
        batch_op.drop_index("ix_run_records_cycle_id")
        batch_op.drop_index("ix_run_records_application_id")

    op.drop_table("run_records")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_follow_ups_pending_cycle",
            sqlite_where=sa.text("state = 'pending' AND cycle_id IS NOT NULL"),
            postgresql_where=sa.text("state = 'pending' AND cycle_id IS NOT NULL"),
        )
        batch_op.drop_index(
            "uq_follow_ups_pending_application",
            sqlite_where=sa.text("state = 'pending' AND application_id IS NOT NULL"),
            postgresql_where=sa.text("state = 'pending' AND application_id IS NOT NULL"),
        )
        batch_op.drop_index("ix_follow_ups_state_due_on")

    op.drop_table("follow_ups")
