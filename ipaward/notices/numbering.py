"""Document numbers (发文字号): 代字〔2024〕12号, gap-free per issuing authority and year.

The 代字 come from config/notices.toml; the serial from the counters table inside the
caller's transaction, so a rolled-back notice gives its number back.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from sqlalchemy.orm import Session

from ipaward.config.config_errors import ConfigError
from ipaward.notices.config import read_notices_toml, text_table
from ipaward.repository.counters import next_value
from ipaward.settings import PROJECT_ROOT

DEFAULT_CONFIG_DIR = PROJECT_ROOT / "config"


@dataclass(frozen=True, kw_only=True)
class DocPrefixes:
    """Exact 代字 by department code, then ordered patterns for county/zone units."""

    file: Path
    exact: dict[str, str]
    patterns: tuple[tuple[str, str], ...]
    abbreviations: dict[str, str]

    def prefix_for(self, authority_code: str) -> str:
        """The authority's 代字; ConfigError when none is configured (no number is used up)."""
        if authority_code in self.exact:
            return self.exact[authority_code]
        for pattern, template in self.patterns:
            if fnmatchcase(authority_code, pattern):
                jurisdiction = authority_code.split(".", 1)[0]
                if jurisdiction not in self.abbreviations:
                    raise ConfigError(
                        file=self.file,
                        key=f"abbreviations.{jurisdiction}",
                        reason=f"pattern {pattern!r} needs the short form of {jurisdiction!r}",
                    )
                return template.format(abbrev=self.abbreviations[jurisdiction])
        raise ConfigError(
            file=self.file,
            key=f"prefixes.{authority_code}",
            reason=f"no 机关代字 for issuing authority {authority_code!r}; add one to [prefixes]",
        )


def load_prefixes(config_dir: Path) -> DocPrefixes:
    """Read and check [prefixes], [prefix_patterns] and [abbreviations]."""
    path, raw = read_notices_toml(config_dir)
    patterns = text_table(raw, "prefix_patterns", path)
    for pattern, template in patterns.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        if not fields <= {"abbrev"}:
            raise ConfigError(
                file=path, key=f"prefix_patterns.{pattern}", reason="only {abbrev} may be used"
            )
    return DocPrefixes(
        file=path,
        exact=text_table(raw, "prefixes", path),
        patterns=tuple(patterns.items()),
        abbreviations=text_table(raw, "abbreviations", path),
    )


def format_doc_number(prefix: str, *, year: int, serial: int) -> str:
    """漳市监知〔2024〕12号: full year in 〔〕, serial without padding (GB/T 9704-2012 7.2.4)."""
    if serial < 1:
        raise ValueError(f"a document serial starts at 1, got {serial}")
    return f"{prefix}〔{year}〕{serial}号"


def next_doc_number(
    session: Session,
    *,
    authority_code: str,
    year: int,
    config_dir: Path = DEFAULT_CONFIG_DIR,
) -> str:
    """Allocate the authority's next number of `year` in the caller's transaction."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"a document year has four digits, got {year}")
    prefix = load_prefixes(config_dir).prefix_for(authority_code)
    serial = next_value(session, key=f"notice:{authority_code}:{year}")
    return format_doc_number(prefix, year=year, serial=serial)
