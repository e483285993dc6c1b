"""What issuing just rendered, kept for the delivery that follows the commit in the same
process, so delivery does not read back the HTML and metadata files it came from.

Only a hint: delivery uses an entry only when the stored row still says the same (same
body and number; a rolled-back issue may have rendered another number), takes it out when
it does, and otherwise reads the files as before. Bounded, so a process that issues
without delivering holds at most `LIMIT` entries.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

LIMIT = 2048  # a few chunks of 500 in flight; at most ~20 MB of rendered text

_lock = threading.Lock()
_entries: OrderedDict[Path, Outgoing] = OrderedDict()


@dataclass(frozen=True, kw_only=True)
class Outgoing:
    """The parts of a rendered notice delivery needs besides its database row."""

    title: str
    text: str
    html: str | None
    doc_number: str | None
    sender: str
    recipients: tuple[str, ...]


def remember(text_path: Path, outgoing: Outgoing) -> None:
    """Keep what was rendered for the notice stored at `text_path` (absolute)."""
    with _lock:
        _entries[text_path] = outgoing
        _entries.move_to_end(text_path)
        while len(_entries) > LIMIT:
            _entries.popitem(last=False)


def take(text_path: Path, *, body: str, doc_number: str | None) -> Outgoing | None:
    """The entry for `text_path` if it matches the stored row, else None; taken out either way."""
    with _lock:
        outgoing = _entries.pop(text_path, None)
    if outgoing is None or outgoing.text != body or outgoing.doc_number != doc_number:
        return None
    return outgoing
