"""One route engine: states are CHECKed, work items point at their subject by foreign key.

- applications.state and cycles.state may only hold their declared states;
- a programme's year becomes a row of its own (`programmes`), like an annual list;
- work items name their subject by `application_id`, `cycle_id` or `programme_id` (exactly
  one), instead of the string `cycle_ref` ("cycle:M07:2024", "M04:2025");
- annual lists and programmes keep their route snapshot (`route`); rows created before this
  revision are snapshotted on their next step.

Existing programme years become rows: done when their compile stage is all done, else in
progress at their latest stage. The states below are those of this revision (history, not
today's code).

Revision ID: 0010
Revises: 0007
Create Date: 2026-11-30 14:00:00.000000
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPLICATION_STATES = (
    "submitted",
    "correction_requested",
    "resubmitted",
    "in_review",
    "awaiting_cycle",
    "publicity",
    "paid",
    "rejected",
    "withdrawn",
)
LIST_STATES = ("building", "in_review", "publicity", "budget_stop", "paying", "done")
PROGRAMME_STATES = ("in_progress", "done")
PROGRAMME_STAGES = ("assign", "report", "compile")
SUBJECTS = ("application_id", "cycle_id", "programme_id")
IMPLIED: dict[str, dict[str, object]] = {
    "countersign": {"notify_when_done": "review_result"},
    "publicity": {"budget_check": True},
    "finance": {"budget_check": True},
}
ONE_SUBJECT = " + ".join(f"(CASE WHEN {s} IS NULL THEN 0 ELSE 1 END)" for s in SUBJECTS) + " = 1"


def _one_of(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(
        postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
    )


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("stage", sa.String(), nullable=True),
        sa.Column("route", _json(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            _one_of("state", PROGRAMME_STATES), name=op.f("ck_programmes_state_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("measure", "year", name=op.f("uq_programmes_measure_year")),
    )
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programmes_state"), ["state"], unique=False)
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("route", _json(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_cycles_state_known"), _one_of("state", LIST_STATES)
        )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f("ck_applications_state_known"), _one_of("state", APPLICATION_STATES)
        )
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cycle_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
    _point_items_at_subjects()
    _say_what_stages_do()
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_index("uq_work_items_cycle_ref_stage_department_round")
        batch_op.drop_column("cycle_ref")
        batch_op.create_foreign_key(
            batch_op.f("fk_work_items_cycle_id_cycles"), "cycles", ["cycle_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_work_items_programme_id_programmes"),
            "programmes",
            ["programme_id"],
            ["id"],
        )
        batch_op.create_check_constraint(batch_op.f("ck_work_items_one_subject"), ONE_SUBJECT)
        for subject in ("cycle_id", "programme_id"):
            batch_op.create_index(
                f"uq_work_items_{subject}_stage_department_round",
                [subject, "stage", "department", "round"],
                unique=True,
                sqlite_where=sa.text(f"{subject} IS NOT NULL"),
                postgresql_where=sa.text(f"{subject} IS NOT NULL"),
            )


def _point_items_at_subjects() -> None:
    """cycle_ref "cycle:M07:2024" → the cycle's id; "M04:2025" → a programmes row."""
    bind = op.get_bind()
    items = sa.table(
        "work_items",
        *(sa.column(c) for c in ("id", "cycle_ref", "stage", "state", "cycle_id", "programme_id")),
    )
    cycles = sa.table("cycles", sa.column("id"), sa.column("measure"), sa.column("year"))
    programmes = sa.table(
        "programmes",
        *(sa.column(c) for c in ("id", "measure", "year", "state", "stage", "version")),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    refs = bind.execute(
        sa.select(items.c.cycle_ref, items.c.stage, items.c.state)
        .where(items.c.cycle_ref.is_not(None))
        .order_by(items.c.id)
    ).all()
    grouped: dict[str, list[tuple[str, str]]] = {}
    for ref, stage, state in refs:
        grouped.setdefault(ref, []).append((stage, state))
    now = datetime.now(UTC)
    for ref, rows in grouped.items():
        parts = ref.split(":")
        if parts[0] == "cycle":
            measure, year = parts[1], int(parts[2])
            subject = bind.execute(
                sa.select(cycles.c.id).where(cycles.c.measure == measure, cycles.c.year == year)
            ).scalar_one()
            column = "cycle_id"
        else:
            measure, year = parts[0], int(parts[1])
            stages = [stage for stage, _ in rows]
            latest = max(stages, key=lambda s: PROGRAMME_STAGES.index(s))
            done = latest == PROGRAMME_STAGES[-1] and all(
                state == "done" for stage, state in rows if stage == latest
            )
            subject = bind.execute(
                programmes.insert()
                .values(
                    measure=measure,
                    year=year,
                    state="done" if done else "in_progress",
                    stage=None if done else latest,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                .returning(programmes.c.id)
            ).scalar_one()
            column = "programme_id"
        bind.execute(items.update().where(items.c.cycle_ref == ref).values({column: subject}))


def _say_what_stages_do() -> None:
    """Applications' route snapshots gain the flags the stage names used to imply: the
    countersign stage sends the review result; publicity and finance check the budget."""
    bind = op.get_bind()
    applications = sa.table("applications", sa.column("id"), sa.column("route", sa.JSON()))
    for row_id, route in bind.execute(sa.select(applications.c.id, applications.c.route)).all():
        data = route if isinstance(route, dict) else json.loads(route or "null")
        if not data or not data.get("stages"):
            continue
        stages = [{**stage, **IMPLIED.get(stage["stage"], {})} for stage in data["stages"]]
        if stages != data["stages"]:
            bind.execute(
                applications.update()
                .where(applications.c.id == row_id)
                .values(route={**data, "stages": stages})
            )


def downgrade() -> None:
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cycle_ref", sa.String(), nullable=True))
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE work_items SET cycle_ref = (SELECT 'cycle:' || measure || ':' || year "
            "FROM cycles WHERE cycles.id = work_items.cycle_id) WHERE cycle_id IS NOT NULL"
        )
    )
    bind.execute(
        sa.text(
            "UPDATE work_items SET cycle_ref = (SELECT measure || ':' || year "
            "FROM programmes WHERE programmes.id = work_items.programme_id) "
            "WHERE programme_id IS NOT NULL"
        )
    )
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        for subject in ("cycle_id", "programme_id"):
            batch_op.drop_index(f"uq_work_items_{subject}_stage_department_round")
        batch_op.drop_constraint(batch_op.f("ck_work_items_one_subject"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_work_items_programme_id_programmes"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_work_items_cycle_id_cycles"), type_="foreignkey")
        batch_op.drop_column("programme_id")
        batch_op.drop_column("cycle_id")
        batch_op.create_index(
            "uq_work_items_cycle_ref_stage_department_round",
            ["cycle_ref", "stage", "department", "round"],
            unique=True,
            sqlite_where=sa.text("application_id IS NULL"),
            postgresql_where=sa.text("application_id IS NULL"),
        )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_applications_state_known"), type_="check")
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_cycles_state_known"), type_="check")
        batch_op.drop_column("route")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programmes_state"))
    op.drop_table("programmes")
