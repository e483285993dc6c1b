"""The numbers a decision takes from a person, checked before anything is read or written.

The web form and the command line check them too, for a friendlier message; this is the
check nobody can skip (a script, a Prefect parameter, a future form).
"""

from __future__ import annotations

from ipaward.bounds import CHUNK_SIZES, IDS, VERSIONS, YEARS, range_message, shown, within
from ipaward.settings import load_settings
from ipaward.workflow.context import Procedure, load_procedure
from ipaward.workflow.errors import InvalidAction, NotFound

DEADLINE_LABEL = "补正期限"
DEADLINE_UNIT = "个工作日"


def correction_range(procedure: Procedure | None = None) -> tuple[int, int]:
    """The 补正 deadline range of config/workflow.toml (read here when no context is at hand)."""
    if procedure is None:
        procedure = load_procedure(load_settings().config_dir)
    return procedure.correction_working_days_range


def deadline_refusal(days: object, allowed: tuple[int, int]) -> str:
    return range_message(DEADLINE_LABEL, allowed, unit=DEADLINE_UNIT, got=days)


def check_decision_numbers(
    *,
    work_item_id: int,
    expected_version: int | None,
    deadline_days: int | None,
    procedure: Procedure | None,
) -> None:
    """An id beyond any row is simply not there; a version or deadline out of range is refused."""
    if not within(work_item_id, IDS):
        raise NotFound(f"没有待办事项{shown(work_item_id)}")
    if expected_version is not None and not within(expected_version, VERSIONS):
        raise InvalidAction(range_message("版本号", VERSIONS, got=expected_version))
    if deadline_days is not None:
        allowed = correction_range(procedure)
        if not within(deadline_days, allowed):
            raise InvalidAction(deadline_refusal(deadline_days, allowed))


def check_year(year: int) -> None:
    """A cycle, a programme year or a report: years the exchange format allows (2000–2100)."""
    if not within(year, YEARS):
        raise InvalidAction(range_message("年度", YEARS, got=year))


def check_chunk_size(size: int) -> None:
    """A batch or cycle run's chunk (a Prefect parameter a person may set)."""
    if not within(size, CHUNK_SIZES):
        raise InvalidAction(range_message("每批件数(chunk_size)", CHUNK_SIZES, got=size))


def stored_deadline(procedure: Procedure, requested: object) -> tuple[int, str | None]:
    """The working days of a stored 补正 decision, and a note when it had to be brought in range.

    Decisions stored before the range was checked may hold any number; the nearest allowed
    one keeps the application moving instead of crashing every advance on it.
    """
    if requested is None or requested == "":
        return procedure.correction_working_days, None
    low, high = procedure.correction_working_days_range
    try:
        days = int(str(requested))
    except ValueError:
        days = procedure.correction_working_days
    else:
        if low <= days <= high:
            return days, None
        days = min(max(days, low), high)
    return days, (
        f"所存补正期限{shown(requested)}超出{low}至{high}{DEADLINE_UNIT},按{days}{DEADLINE_UNIT}计"
    )
