"""What the application's PostgreSQL role may do, table by table: the one declared place.

Migrations run as the owner role; after every upgrade `grant_statements` gives the app role
exactly this (docs/scale-out.md). Append-only tables (audit, ledger, decisions, notices'
text) get no UPDATE or DELETE; a table the code updates gets UPDATE only on the columns it
sets. A new table without an entry here fails tests/ipaward/db/test_privileges.py, so the
grants cannot fall behind the migrations.

SELECT … FOR UPDATE needs UPDATE on at least one column; `applicants` is locked that way
but never updated, so it gets UPDATE on `id` only, which every application references.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Allowed:
    """Beyond SELECT (always granted): INSERT, UPDATE on these columns, DELETE."""

    insert: bool = True
    update: tuple[str, ...] = ()
    delete: bool = False


APPEND_ONLY = Allowed()
READ_ONLY = Allowed(insert=False)

APP_PRIVILEGES: Mapping[str, Allowed] = {
    "alembic_version": READ_ONLY,  # `has_ledger` reads the revision; only the owner migrates
    # Append-only: the record of what happened and what was paid.
    "audit_log": APPEND_ONLY,
    "decisions": APPEND_ONLY,
    "ledger_entries": APPEND_ONLY,
    "ledger_items": APPEND_ONLY,
    "fund_movements": APPEND_ONLY,
    "run_records": APPEND_ONLY,
    "notices": APPEND_ONLY,  # nothing updates delivery yet; when it does: those columns only
    # The workflow's moving parts.
    "applicants": Allowed(update=("id",)),  # locked FOR UPDATE, never changed (see above)
    "applications": Allowed(  # not its number, measure, applicant, route or submission date
        update=(
            *("state", "stage", "stage_round", "version", "updated_at", "publicity_ends_on"),
            *("payload", "edition", "year", "reference_date", "assessment"),
            *("correction", "objection"),
        )
    ),
    "evidence_items": Allowed(delete=True),  # a resubmission replaces its claims
    "documents": Allowed(delete=True),
    "work_items": Allowed(update=("state", "closed_at", "version")),  # decided or cancelled
    "follow_ups": Allowed(
        update=("reason", "state", "attempts", "last_error", "due_on", "dispatched_at", "done_at")
    ),
    "programmes": Allowed(update=("state", "stage", "route", "version", "updated_at")),
    "cycles": Allowed(
        update=("state", "stage", "total", "route", "details", "version", "updated_at")
    ),
    "cycle_lines": Allowed(update=("amount", "status", "details")),
    "reminders": Allowed(update=("notice_id",)),
    "counters": Allowed(update=("value",)),
    # Money kept as running totals: only the totals move, the caps and capacities do not.
    "annual_accounts": Allowed(update=("paid",)),
    "budgets": Allowed(update=("amount", "committed")),  # amount: config/budgets.toml
    "funds": Allowed(update=("balance",)),
    # Web accounts.
    "users": Allowed(update=("password_hash", "active", "password_changed_at", "temporary_until")),
    "web_sessions": Allowed(delete=True),
    "login_failures": Allowed(delete=True),
}


def grant_statements(app_role: str, tables: list[str], quote: Callable[[str], str]) -> list[str]:
    """REVOKE then GRANT, for every table present; an undeclared table gets nothing at all."""
    role = quote(app_role)
    statements = []
    for table in sorted(tables):
        name = quote(table)
        statements.append(f"REVOKE ALL ON TABLE {name} FROM {role}")
        allowed = APP_PRIVILEGES.get(table)
        if allowed is None:
            continue
        verbs = ["SELECT"] + ["INSERT"] * allowed.insert + ["DELETE"] * allowed.delete
        statements.append(f"GRANT {', '.join(verbs)} ON TABLE {name} TO {role}")
        if allowed.update:
            columns = ", ".join(quote(column) for column in allowed.update)
            statements.append(f"GRANT UPDATE ({columns}) ON TABLE {name} TO {role}")
    statements.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    return statements
