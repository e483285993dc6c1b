"""The ledger keeps each measure under its own identity, not the 2024 clause number.

Ledger rows, yearly accounts and budgets said `M07`; once-only item keys began `M07:`. A
later edition may number the same measure otherwise, so they now say `patent-transfers`.
The mapping below is the 2024 edition's (history, not today's config). One audit row
records the mapping and how many rows each table changed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 12:00:00.000000
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IDENTITIES_2024 = {
    "M01": "patent-intensive-introductions",
    "M02": "patent-navigation",
    "M03": "ip-management-certification",
    "M06": "innovation-management-grading",
    "M07": "patent-transfers",
    "M09": "patent-intensive-products",
    "M10": "pledge-loan-compensation",
    "M12": "enforcement-cases",
    "M13": "public-service-bodies",
    "M14": "ip-operation-hosting",
    "M15": "gi-cultural-standards",
    "M17": "ip-research-centres",
}
MEASURE_COLUMNS = ("ledger_entries", "ledger_items", "annual_accounts", "budgets")


def _key(key: str, mapping: dict[str, str]) -> str:
    code, sep, rest = key.partition(":")
    return f"{mapping[code]}{sep}{rest}" if code in mapping else key


def upgrade() -> None:
    changed = _rename(IDENTITIES_2024)
    if any(changed.values()):
        audit = sa.table(
            "audit_log",
            *(sa.column(name) for name in ("actor", "action", "entity", "entity_id")),
            sa.column("at", sa.DateTime(timezone=True)),
            sa.column("details", sa.JSON()),
        )
        op.get_bind().execute(
            audit.insert().values(
                at=datetime.now(UTC),
                actor="migration",
                action="ledger.reidentify",
                entity="ledger",
                entity_id="0007",
                details={"identities": IDENTITIES_2024, "rows": changed},
            )
        )


def downgrade() -> None:
    _rename({identity: code for code, identity in IDENTITIES_2024.items()})


def _rename(mapping: dict[str, str]) -> dict[str, int]:
    """Every measure column and item key renamed; rows changed per table."""
    bind = op.get_bind()
    changed = dict.fromkeys((*MEASURE_COLUMNS, "evidence_items", "cycle_lines", "applications"), 0)
    for table in MEASURE_COLUMNS:
        for old, new in mapping.items():
            result = bind.execute(
                sa.text(f"UPDATE {table} SET measure = :new WHERE measure = :old"),
                {"new": new, "old": old},
            )
            changed[table] += result.rowcount
    for table in ("ledger_items", "evidence_items"):
        rows = bind.execute(sa.text(f"SELECT id, item_key FROM {table}")).all()
        for row_id, key in rows:
            if _key(key, mapping) != key:
                bind.execute(
                    sa.text(f"UPDATE {table} SET item_key = :key WHERE id = :id"),
                    {"key": _key(key, mapping), "id": row_id},
                )
                changed[table] += table == "evidence_items"
    changed["cycle_lines"] = _json_keys(bind, "cycle_lines", "details", mapping)
    changed["applications"] = _json_keys(bind, "applications", "assessment", mapping)
    return changed


def _json_keys(bind: sa.Connection, table_name: str, column: str, mapping: dict[str, str]) -> int:
    """Item keys inside a JSON column: a line's items and shares, an assessment's ledger lines."""
    table = sa.table(table_name, sa.column("id"), sa.column(column, sa.JSON()))
    count = 0
    for row_id, value in bind.execute(sa.select(table.c.id, table.c[column])).all():
        data: Any = value if isinstance(value, dict) else json.loads(value or "null")
        if not data:
            continue
        changed = dict(data)
        if "items" in data:
            changed["items"] = [[_key(k, mapping), a] for k, a in data["items"]]
        if "shared" in data:
            changed["shared"] = [
                {**s, "item_key": _key(s["item_key"], mapping)} for s in data["shared"]
            ]
        if data.get("ledger_lines"):
            changed["ledger_lines"] = [
                {**line, "item_key": _key(line["item_key"], mapping)}
                for line in data["ledger_lines"]
            ]
        if changed != data:
            bind.execute(table.update().where(table.c.id == row_id).values({column: changed}))
            count += 1
    return count
