"""What one advance did and whom the application now waits on (shown to operators)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AdvanceReport:
    number: str
    measure: str
    state: str = ""
    stage: str | None = None
    steps: list[str] = field(default_factory=list)
    waiting_on: list[str] = field(default_factory=list)
    notice_ids: list[int] = field(default_factory=list)

    def note(self, line: str) -> None:
        self.steps.append(line)

    def markdown(self) -> str:
        lines = [
            f"# {self.number} ({self.measure})",
            "",
            f"- 状态: {self.state}",
            f"- 环节: {self.stage or '—'}",
        ]
        lines.append(f"- 等待: {'、'.join(self.waiting_on) or '—'}")
        lines += [
            "",
            "## 本次推进",
            *(f"- {step}" for step in self.steps or ["无变化(等待人工环节)"]),
        ]
        return "\n".join(lines)
