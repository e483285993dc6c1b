"""Once-only item keys in their canonical identity (issue: items compared as typed).

Ledger items, evidence items, the items of annual-list lines and the ledger lines recorded on
applications are re-keyed (`(2024)…` and `（2024）…` are one judgment, `ZL2017…` one patent).
Two ledger rows that become one key are a double payment already made: the migration stops,
changes nothing, and names both payments. One audit row records every key it changed.

The grammar below is the key format as it stood at 0003 (history, not today's code).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00.000000
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from ipaward.exchange.identities import ItemKind, identity

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# kind of key → the kinds of its ":"-separated parts (None: left as it is). The last part
# takes whatever follows (a project title may hold ":"); `local` is code first, USCC last.
_GRAMMAR: dict[str, tuple[ItemKind | None, ...]] = {
    "transfer": (ItemKind.PATENT,),
    "product": (ItemKind.PRODUCT,),
    "case": (ItemKind.JUDGMENT,),
    "loan": (ItemKind.CONTRACT,),
    "enterprise": (ItemKind.USCC,),
    "institution": (ItemKind.USCC,),
    "group": (ItemKind.USCC,),
    "project": (ItemKind.USCC, ItemKind.NAME),
    "level": (ItemKind.USCC, None),
    "year": (ItemKind.USCC, None),
}


class DoublePaymentFound(RuntimeError):
    """Re-keying shows one item paid twice: a person must resolve it before the upgrade."""


def rekey(key: str) -> str:
    measure, _, rest = key.partition(":")
    kind, _, value = rest.partition(":")
    if kind == "local":
        code, _, uscc = value.rpartition(":")
        parts = [identity(ItemKind.STANDARD, code), identity(ItemKind.USCC, uscc)]
    elif kind in _GRAMMAR:
        grammar = _GRAMMAR[kind]
        pieces = value.split(":", len(grammar) - 1)
        parts = [
            piece if part_kind is None else identity(part_kind, piece)
            for part_kind, piece in zip(grammar, pieces, strict=False)
        ]
    else:
        return key
    return ":".join([measure, kind, *parts])


def upgrade() -> None:
    bind = op.get_bind()
    changes = _ledger_items(bind)
    _evidence_items(bind)
    _line_items(bind)
    _application_ledger_lines(bind)
    if changes:
        audit = sa.table(
            "audit_log",
            *(sa.column(name) for name in ("actor", "action", "entity", "entity_id")),
            sa.column("at", sa.DateTime(timezone=True)),
            sa.column("details", sa.JSON()),
        )
        bind.execute(
            audit.insert().values(
                at=datetime.now(UTC),
                actor="migration",
                action="ledger.rekey",
                entity="ledger",
                entity_id="0004",
                details={"keys": changes},
            )
        )


def downgrade() -> None:
    """Canonical keys stay: the old forms cannot be told apart again."""


def _ledger_items(bind: sa.Connection) -> dict[str, str]:
    rows = bind.execute(
        sa.text(
            "SELECT li.id, li.measure, li.item_key, le.id, a.number "
            "FROM ledger_items li JOIN ledger_entries le ON le.id = li.entry_id "
            "JOIN applications a ON a.id = le.application_id ORDER BY li.id"
        )
    ).all()
    by_new: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_new[(row[1], rekey(row[2]))].append(tuple(row))
    doubles = [
        f"{measure} {key}: "
        + "、".join(f"台账{entry}(申请{number},原记为{old})" for _, _, old, entry, number in group)
        for (measure, key), group in by_new.items()
        if len(group) > 1
    ]
    if doubles:
        raise DoublePaymentFound(
            "统一事项标识后发现同一事项已被重复拨付,迁移已停止,未作任何改动。"
            "请先按规定追回并以审计更正处理后再升级:\n" + "\n".join(doubles)
        )
    changes: dict[str, str] = {}
    for (_measure, new), [(item_id, _, old, _, _)] in by_new.items():
        if new != old:
            bind.execute(
                sa.text("UPDATE ledger_items SET item_key = :new WHERE id = :id"),
                {"new": new, "id": item_id},
            )
            changes[old] = new
    return changes


def _evidence_items(bind: sa.Connection) -> None:
    """A file that listed one item twice in two spellings keeps one evidence row for it."""
    rows = bind.execute(
        sa.text("SELECT id, application_id, item_key FROM evidence_items ORDER BY id")
    ).all()
    seen: set[tuple[int, str]] = set()
    for item_id, application_id, old in rows:
        new = rekey(old)
        if (application_id, new) in seen:
            bind.execute(sa.text("DELETE FROM evidence_items WHERE id = :id"), {"id": item_id})
            continue
        seen.add((application_id, new))
        if new != old:
            bind.execute(
                sa.text("UPDATE evidence_items SET item_key = :new WHERE id = :id"),
                {"new": new, "id": item_id},
            )


def _line_items(bind: sa.Connection) -> None:
    table = sa.table("cycle_lines", sa.column("id"), sa.column("details", sa.JSON()))
    for line_id, details in bind.execute(sa.select(table.c.id, table.c.details)).all():
        data = details if isinstance(details, dict) else json.loads(details or "{}")
        items = [[rekey(key), amount] for key, amount in data.get("items", [])]
        if items != data.get("items", []):
            bind.execute(
                table.update().where(table.c.id == line_id).values(details={**data, "items": items})
            )


def _application_ledger_lines(bind: sa.Connection) -> None:
    table = sa.table("applications", sa.column("id"), sa.column("assessment", sa.JSON()))
    for app_id, assessment in bind.execute(sa.select(table.c.id, table.c.assessment)).all():
        data = assessment if isinstance(assessment, dict) else json.loads(assessment or "null")
        if not data or not data.get("ledger_lines"):
            continue
        lines = [{**line, "item_key": rekey(line["item_key"])} for line in data["ledger_lines"]]
        if lines != data["ledger_lines"]:
            bind.execute(
                table.update()
                .where(table.c.id == app_id)
                .values(assessment={**data, "ledger_lines": lines})
            )
