"""Every measure, one module each, found by identity: adding a measure is adding a module
here (or to a package named in IPAWARD_MEASURE_PACKAGES) plus its edition config.

A module declares `MEASURE = MeasureDefinition(...)`; nothing is listed by hand.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Mapping
from functools import cache

from ipaward.measures.definition import MeasureDefinition

PACKAGES = "IPAWARD_MEASURE_PACKAGES"


def definitions() -> Mapping[str, MeasureDefinition]:
    """Identity → definition, from this package and any package the setting adds."""
    extra = tuple(p for p in (os.environ.get(PACKAGES) or "").split(",") if p.strip())
    return _discover((__name__, *extra))


@cache
def _discover(packages: tuple[str, ...]) -> Mapping[str, MeasureDefinition]:
    found: dict[str, MeasureDefinition] = {}
    for package_name in packages:
        package = importlib.import_module(package_name.strip())
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            measure = getattr(module, "MEASURE", None)
            if isinstance(measure, MeasureDefinition):
                if measure.identity in found:
                    raise LookupError(f"two measure modules declare {measure.identity!r}")
                found[measure.identity] = measure
    return found


def definition(identity: str) -> MeasureDefinition:
    try:
        return definitions()[identity]
    except KeyError:
        raise LookupError(f"no measure module declares {identity!r}") from None
