"""Jinja2 filters and globals: Chinese names of codes, money and dates as officers read them."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment

from ipaward.labels import correction_item_name, field_label, group, label, ledger_label
from ipaward.notices.kinds import NOTICE_KINDS
from ipaward.notices.money import amount_in_capitals, amount_in_figures
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import STAGE_NAMES, STATE_NAMES

LOCAL = ZoneInfo("Asia/Shanghai")  # officers read times in Beijing time; storage is UTC
WORK_ITEM_STATE_NAMES = group("work_item_states")
CHECK_NAMES = {"ok": "通过", "declared": "未校验"}
KIND_NAMES = {k: v.name for k, v in NOTICE_KINDS.items()}


def yuan(value: Any) -> str:
    """Whole yuan with thousands separators; blank when unknown."""
    if value is None or value == "":
        return "—"
    return amount_in_figures(int(value))


def capitals(value: Any) -> str:
    return "" if value is None else amount_in_capitals(int(value))


def day(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        local = value.astimezone(LOCAL) if value.tzinfo else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def query(base: dict[str, Any], **changes: Any) -> str:
    """The current filters with some changed, as a query string (values are URL-encoded)."""
    merged = {**base, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})


def install(env: Environment, ctx: WorkflowContext) -> None:
    directory = ctx.policy.directory

    def department(code: str | None) -> str:
        if code is None:
            return "—"
        if code == "operator":
            return "运营管理"
        found = directory.departments.get(code)
        return found.short if found else code

    def department_full(code: str) -> str:
        found = directory.departments.get(code)
        return found.name if found else department(code)

    def actor(code: str | None) -> str:
        """Who acted: a department by its short name, else the catalogue's actors (system)."""
        if code in directory.departments or code == "operator":
            return department(code)
        return label(code, "actors")

    titles = {m.identity: m.title for e in ctx.policy.editions for m in e.measures.values()}

    def ledger(key: str) -> str:
        return ledger_label(key, titles)

    def evidence_kind(kind: str) -> str:
        """An evidence item's kind: what is counted (转让), else the measure it belongs to."""
        return titles.get(kind) or label(kind, "ledger")

    def jurisdiction(code: str | None) -> str:
        found = directory.jurisdictions.get(code or "")
        return found.name if found else (code or "—")

    env.filters.update(
        jurisdiction=jurisdiction,
        yuan=yuan,
        capitals=capitals,
        day=day,
        dept=department,
        dept_full=department_full,
        stage=lambda code: label(code, "stages"),
        state=lambda code: label(code, "application_states"),
        list_state=lambda code: label(code, "list_states"),
        line_state=lambda code: label(code, "line_states"),
        outcome=lambda code: label(code, "outcomes"),
        item_state=lambda code: label(code, "work_item_states"),
        actor=actor,
        field=field_label,
        correction_item=correction_item_name,
        ledger=ledger,
        evidence_kind=evidence_kind,
        check=lambda code: CHECK_NAMES.get(code, "未通过"),
        notice_kind=lambda code: KIND_NAMES.get(code, code),
        urlpart=lambda text: quote(str(text), safe=""),
        label=label,
    )
    env.globals.update(query=query, STAGE_NAMES=STAGE_NAMES, STATE_NAMES=STATE_NAMES)
