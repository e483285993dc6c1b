"""What `ipaward verify` finds: one problem per broken row, in Chinese, and the chain head."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# How an audit row's entity is called where people look for it: its table.
TABLES = {
    "ledger_entry": "ledger_entries",
    "work_item": "work_items",
    "notice": "notices",
    "application": "applications",
    "annual_account": "annual_accounts",
}


@dataclass(frozen=True)
class Problem:
    """One broken row: its table and id (`row`), a stable code and a sentence for people."""

    code: str
    table: str
    row: str
    message: str
    audit_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Head:
    """The chain's last row: publishing it lets a rewritten chain be caught later."""

    id: int
    hash: str
    entries: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        return f"审计链共{self.entries}条,链头为第{self.id}条,哈希{self.hash}"


@dataclass
class Findings:
    """Problems in the order found (the chain first); collection stops at `limit`."""

    limit: int = 200
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        if len(self.problems) < self.limit:
            self.problems.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem)


@dataclass(frozen=True)
class Report:
    """The whole result: clean when no problem; `head` is None for an empty log."""

    head: Head | None
    problems: list[Problem]
    checked: dict[str, int]

    @property
    def clean(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "head": None if self.head is None else self.head.as_dict(),
            "checked": self.checked,
            "problems": [p.as_dict() for p in self.problems],
        }

    def markdown(self) -> str:
        """The daily artifact: verdict, head, counts, and the problems (Chinese)."""
        verdict = (
            "核验通过,未发现问题" if self.clean else f"核验未通过:发现{len(self.problems)}处问题"
        )
        lines = [f"# 记录核验 ({verdict})", ""]
        lines.append(f"- {self.head.text()}" if self.head else "- 审计链为空")
        lines += [f"- {CHECKED.get(k, k)}:{v}" for k, v in self.checked.items()]
        if self.problems:
            lines += ["", "| 表 | 行 | 问题 |", "|---|---|---|"]
            lines += [f"| {p.table} | {p.row} | {p.message} |" for p in self.problems]
        return "\n".join(lines) + "\n"


CHECKED = {
    "audit_log": "审计记录",
    "ledger_entries": "拨付台账",
    "decisions": "审核决定",
    "annual_accounts": "年度限额账户",
    "budgets": "年度预算",
    "funds": "专项资金",
    "notices": "文书",
    "applications": "申请与年度名单",
}
