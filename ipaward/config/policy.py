"""The whole policy config: the directory of units plus every edition, chosen by date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

from ipaward.config.config_errors import ConfigError
from ipaward.config.departments import Directory, load_directory
from ipaward.config.edition import Edition
from ipaward.config.edition_inheritance import resolve_all
from ipaward.config.edition_loader import load_edition


@dataclass(frozen=True)
class Policy:
    directory: Directory
    editions: Sequence[Edition]

    def edition_on(self, on: dt.date) -> Edition | None:
        """The edition in force on a date (the event's date judges the event)."""
        for edition in self.editions:
            if edition.covers(on):
                return edition
        return None

    def edition(self, code: str) -> Edition:
        for edition in self.editions:
            if edition.code == code:
                return edition
        raise LookupError(f"no policy edition {code!r}")

    def current(self, today: dt.date) -> Edition:
        """The edition in force today, else the latest one that has started, else the first."""
        started = [e for e in self.editions if e.valid_from <= today]
        in_force = self.edition_on(today)
        return in_force or (started[-1] if started else self.editions[0])

    def annual_codes(self, year: int) -> list[str]:
        """The annual measures of the edition judging `year`, by that edition's codes."""
        edition, _ = edition_for_year(self, year)
        if edition is None:
            return []
        return sorted(code for code, m in edition.measures.items() if m.kind == "annual")

    def measure_named(self, identity: str, year: int) -> tuple[str, str]:
        """(clause number, title) of a measure as the edition judging `year` has it."""
        edition, _ = edition_for_year(self, year)
        editions = [edition] if edition is not None else []
        for candidate in [*editions, *reversed(self.editions)]:
            measure = candidate.by_identity(identity)
            if measure is not None:
                return measure.code, measure.title
        return "", identity

    def measure_codes(self) -> list[str]:
        return sorted({code for edition in self.editions for code in edition.measures})


def load_policy(config_dir: Path) -> Policy:
    """Load departments.toml and editions/*.toml; fail with file, key and reason on any error."""
    directory = load_directory(config_dir / "departments.toml")
    files = sorted((config_dir / "editions").glob("*.toml"))
    if not files:
        raise ConfigError(file=config_dir / "editions", key="(folder)", reason="no edition files")
    tables = resolve_all(files)
    editions = _successions(
        sorted(
            (load_edition(path, directory, tables[path]) for path in files),
            key=lambda edition: edition.valid_from,
        )
    )
    for earlier, later in pairwise(editions):
        if later.valid_from <= earlier.valid_until:
            raise ConfigError(
                file=config_dir / "editions" / f"{later.code}.toml",
                key="edition.valid_from",
                reason=f"edition {later.code} ({later.valid_from}) overlaps edition {earlier.code}"
                f" ({earlier.valid_from} … {earlier.valid_until})",
            )
    codes = [edition.code for edition in editions]
    if len(set(codes)) != len(codes):
        raise ConfigError(
            file=config_dir / "editions", key="edition.code", reason="duplicate codes"
        )
    labels = config_dir / "labels.toml"
    if labels.exists():  # what a person reads of every code: a broken file fails here, early
        from ipaward.labels import load_labels  # ipaward.labels reads config errors from here

        load_labels(labels)
    return Policy(directory=directory, editions=tuple(editions))


def _successions(editions: list[Edition]) -> list[Edition]:
    """[choice] An edition that extends an earlier one and starts inside its window succeeds it:
    the earlier one ends the day before (a successor policy repeals its predecessor)."""
    by_code = {edition.code: edition for edition in editions}
    for later in editions:
        earlier = by_code.get(later.extends or "")
        if earlier is not None and earlier.valid_from < later.valid_from <= earlier.valid_until:
            by_code[earlier.code] = replace(
                earlier, valid_until=later.valid_from - dt.timedelta(days=1)
            )
    return [by_code[edition.code] for edition in editions]


def edition_for_year(policy: Policy, year: int) -> tuple[Edition | None, dt.date]:
    """[choice] A whole-year item is judged under the edition in force on the year's last day
    that any edition covers (2029 → 2029-02-01 under the 2024 edition)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    overlapping = [e for e in policy.editions if e.valid_from <= last and e.valid_until >= first]
    if not overlapping:
        return None, last
    edition = max(overlapping, key=lambda e: e.valid_from)
    return edition, min(last, edition.valid_until)
