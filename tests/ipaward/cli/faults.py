"""What the fault tests share: the exit code, the one-line check, a filing, a database count."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import func, select

from ipaward.cli.faults import FAULT_EXIT
from ipaward.services.database import session_scope
from ipaward.settings import load_settings
from tests.support.applications import example, write_application

IPAWARD = str(Path(sys.executable).with_name("ipaward"))
FAULT = FAULT_EXIT


def count(model: type[object]) -> int:
    with session_scope(load_settings()) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def one_line(text: str) -> str:
    """The only line printed, which must not be (or hide) a traceback."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def filing(folder: Path) -> Path:
    """An M07 application with its real documents, ready to submit."""
    return write_application(folder, example("m07_university_transfers"))
