"""Run by the crash test in a process of its own, to be killed: the advance of every open
application, or one run of a measure's annual cycle, inline (no Prefect API), on the
database of IPAWARD_DATABASE_URL. Prints `ready` once imported, so a kill hits the work."""

from __future__ import annotations

import datetime as dt
import sys


def main(argv: list[str]) -> int:
    kind, day = argv[0], dt.date.fromisoformat(argv[1])
    from ipaward.repository.runs import NO_RUN
    from tasks.advance import advance_numbers, open_application_numbers
    from tasks.cycle import InlineRunner, run_cycle

    print("ready", flush=True)
    if kind == "advance":
        reports = advance_numbers(open_application_numbers.fn(), day, NO_RUN)
        failed = [r for r in reports if r.get("error")]
        return 1 if failed else 0
    run_cycle(InlineRunner(), measure=argv[2], year=2024, today=day, chunk_size=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
