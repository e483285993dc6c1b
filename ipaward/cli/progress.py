"""A progress bar for the long commands (demo, cycle, advance), on stderr and only for a person.

The work itself knows nothing of rich: it takes a `progress(done, total)` callback. Here that
callback drives a rich bar on a terminal; piped, redirected or with `--json` it does nothing,
so stdout stays clean for scripts and logs hold no control codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

Report = Callable[[int, int], None]


def _ignore(done: int, total: int) -> None:
    """The callback when nobody watches."""


@contextmanager
def progress_bar(description: str, *, quiet: bool = False) -> Iterator[Report]:
    """Yield a `progress(done, total)` callback; a live bar only when stderr is a terminal."""
    stream = Console(stderr=True)
    if quiet or not stream.is_terminal:
        yield _ignore
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stream, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report
