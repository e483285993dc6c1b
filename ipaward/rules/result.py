"""What a rule returns: eligibility, the city's amount, findings and clause-citing lines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Finding:
    """Something a reviewer must see: an excluded item, a missing document, a point to verify."""

    code: str
    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "path": self.path, "message": self.message}


@dataclass(frozen=True, kw_only=True)
class LedgerLine:
    """A once-only item this award settles; `amount` is the part attributed to it (0 when the
    award is for the set, e.g. M07's transfers)."""

    item_key: str
    amount: int


@dataclass(frozen=True, kw_only=True)
class RuleResult:
    eligible: bool
    amount: int
    findings: tuple[Finding, ...] = ()
    explanation: tuple[str, ...] = ()
    ledger_lines: tuple[LedgerLine, ...] = ()
    yearly_cap: int | None = None
    city_share_override: str | None = None


@dataclass
class Explanation:
    """Collects the lines an officer reads, each citing its clause."""

    lines: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def cite(self, clause: str, text: str) -> None:
        self.lines.append(f"依据第{clause}条:{text}")

    def note(self, text: str) -> None:
        self.lines.append(text)

    def find(self, code: str, path: str, message: str) -> None:
        self.findings.append(Finding(code=code, path=path, message=message))

    def result(
        self,
        *,
        eligible: bool,
        amount: int,
        ledger_lines: tuple[LedgerLine, ...] = (),
        yearly_cap: int | None = None,
        city_share_override: str | None = None,
    ) -> RuleResult:
        if amount < 0:
            raise ValueError("an award is never negative")
        return RuleResult(
            eligible=eligible,
            amount=amount if eligible else 0,
            findings=tuple(self.findings),
            explanation=tuple(self.lines),
            ledger_lines=ledger_lines if eligible else (),
            yearly_cap=yearly_cap,
            city_share_override=city_share_override,
        )


def yuan(amount: int) -> str:
    return f"{amount}元"
