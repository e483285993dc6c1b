"""Ledger against audit against yearly accounts: every posting and every cap charge must
be what its `ledger.post` audit row says, and nothing may be paid twice or above a cap."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipaward.db.models import AnnualAccount, LedgerEntry, LedgerItem
from ipaward.verify._audit import Logged, logged
from ipaward.verify.findings import Findings, Problem

_FIELDS = {
    "application_id": "申请",
    "measure": "措施",
    "recipient_uscc": "收款单位",
    "year": "年度",
    "amount": "金额",
    "city_amount": "市级承担",
    "jurisdiction_amount": "县(区)承担",
}
Account = tuple[str, str, int]


def check_ledger(session: Session, findings: Findings) -> int:
    """Each ledger entry against its one `ledger.post` row, both ways; the entry count."""
    posts = logged(session, entity="ledger_entry", actions=["ledger.post"])
    items: dict[int, dict[str, int]] = defaultdict(dict)
    for entry_id, key, amount in session.execute(
        select(LedgerItem.entry_id, LedgerItem.item_key, LedgerItem.amount)
    ):
        items[int(entry_id)][key] = int(amount)
    seen: set[str] = set()
    count = 0
    for entry in session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)):
        count += 1
        seen.add(str(entry.id))
        where = f"ledger_entries {entry.id}"
        rows = posts.get(str(entry.id), [])
        if len(rows) != 1:
            said = "没有对应的审计记录" if not rows else f"有{len(rows)}条审计记录"
            findings.add(
                Problem(
                    "ledger_unaudited",
                    "ledger_entries",
                    str(entry.id),
                    f"拨付台账第{entry.id}条({where}){said}",
                )
            )
            continue
        _compare_entry(findings, entry, items.get(entry.id, {}), rows[0])
    for logged_id, rows in posts.items():
        if logged_id not in seen:
            findings.add(
                Problem(
                    "ledger_missing",
                    "ledger_entries",
                    logged_id,
                    f"第{rows[0].id}条审计记录(ledger_entries {logged_id})所记的拨付在台账中不存在",
                    rows[0].id,
                )
            )
    return count


def _compare_entry(
    findings: Findings, entry: LedgerEntry, items: dict[str, int], post: Logged
) -> None:
    said = post.details
    for name, label in _FIELDS.items():
        if name in said and said[name] != getattr(entry, name):
            findings.add(
                Problem(
                    "ledger_altered",
                    "ledger_entries",
                    str(entry.id),
                    f"拨付台账第{entry.id}条的{label}为{getattr(entry, name)},"
                    f"第{post.id}条审计记录为{said[name]}",
                    post.id,
                )
            )
            return
    expected: dict[str, Any] = said.get("item_amounts") or dict.fromkeys(said.get("items", []))
    amounts_known = "item_amounts" in said
    if set(items) != set(expected) or (amounts_known and items != expected):
        gone = sorted(set(expected) - set(items))
        extra = sorted(set(items) - set(expected))
        detail = "、".join([*(f"缺{k}" for k in gone), *(f"多{k}" for k in extra)]) or "金额不符"
        findings.add(
            Problem(
                "ledger_items_altered",
                "ledger_entries",
                str(entry.id),
                f"拨付台账第{entry.id}条的一次性事项与第{post.id}条审计记录不符:{detail}",
                post.id,
            )
        )


def check_accounts(session: Session, findings: Findings) -> int:
    """Each yearly account's paid total and cap against the capped postings in the log."""
    expected: dict[Account, tuple[int, int, int]] = {}  # → paid, cap, last audit id
    for rows in logged(session, entity="ledger_entry", actions=["ledger.post"]).values():
        for post in rows:
            said = post.details
            if said.get("yearly_cap") is None or said.get("year") is None:
                continue
            key = (str(said["measure"]), str(said["recipient_uscc"]), int(said["year"]))
            paid, _cap, last = expected.get(key, (0, 0, 0))
            cap = int(said["yearly_cap"]) if post.id > last else _cap
            expected[key] = (paid + int(said["amount"]), cap, max(last, post.id))
    count = 0
    for account in session.scalars(select(AnnualAccount).order_by(AnnualAccount.id)):
        count += 1
        key = (account.measure, account.recipient_uscc, account.year)
        found = expected.pop(key, None)
        paid, cap = (found[0], found[1]) if found else (0, account.cap)
        audit_id = found[2] if found else None
        where = str(account.id)
        if account.paid > account.cap:
            findings.add(
                Problem(
                    "cap_exceeded",
                    "annual_accounts",
                    where,
                    f"年度限额账户第{account.id}条已拨付{account.paid}元,超过上限{account.cap}元",
                )
            )
        if account.cap != cap:
            findings.add(
                Problem(
                    "cap_altered",
                    "annual_accounts",
                    where,
                    f"年度限额账户第{account.id}条的上限为{account.cap}元,"
                    f"第{audit_id}条审计记录为{cap}元",
                    audit_id,
                )
            )
        elif account.paid != paid:
            findings.add(
                Problem(
                    "account_altered",
                    "annual_accounts",
                    where,
                    f"年度限额账户第{account.id}条已拨付{account.paid}元,审计记录合计{paid}元",
                    audit_id,
                )
            )
    for (measure, uscc, year), (paid, _cap, audit_id) in expected.items():
        if paid:
            findings.add(
                Problem(
                    "account_missing",
                    "annual_accounts",
                    f"{measure}/{uscc}/{year}",
                    f"{uscc}在{measure}的{year}年度限额账户不存在,审计记录合计已拨付{paid}元",
                    audit_id,
                )
            )
    return count


def check_paid_once(session: Session, findings: Findings) -> None:
    """No once-only item in the ledger twice (the unique key may have been dropped)."""
    twice = session.execute(
        select(
            LedgerItem.measure,
            LedgerItem.item_key,
            func.min(LedgerItem.entry_id),
            func.max(LedgerItem.entry_id),
        )
        .group_by(LedgerItem.measure, LedgerItem.item_key)
        .having(func.count() > 1)
    )
    for measure, key, first, last in twice:
        findings.add(
            Problem(
                "paid_twice",
                "ledger_entries",
                str(last),
                f"{measure}的一次性事项{key}被重复拨付(台账第{first}条与第{last}条)",
            )
        )
