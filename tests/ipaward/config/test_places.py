"""Places are recognised by any spelling of the 16 jurisdictions; elsewhere is said, unknown is
left to a reviewer (never a silent exclusion)."""

from __future__ import annotations

import opencc
import pytest

from ipaward.config import load_policy
from ipaward.config.departments import Directory
from ipaward.config.places import Whereabouts
from ipaward.settings import PROJECT_ROOT

DIRECTORY: Directory = load_policy(PROJECT_ROOT / "config").directory
TRADITIONAL = opencc.OpenCC("s2tw")


@pytest.mark.parametrize("code", sorted(DIRECTORY.jurisdictions))
def test_each_jurisdiction_is_found_in_every_script_and_form(code: str) -> None:
    name = DIRECTORY.jurisdictions[code].name
    forms = [
        name,
        TRADITIONAL.convert(name),
        f"漳州市{name.removeprefix('漳州')}",
        f"福建省漳州市{name.removeprefix('漳州')}",
        TRADITIONAL.convert(f"福建省漳州市{name}"),
        f" {name} ",
    ]
    for form in forms:
        assert DIRECTORY.jurisdiction_named(form) is DIRECTORY.jurisdictions[code], form
        place = DIRECTORY.locate(f"{form}某某路1号")
        assert place.whereabouts is Whereabouts.LOCAL, form
        assert place.jurisdiction is DIRECTORY.jurisdictions[code], form


@pytest.mark.parametrize(
    ("former", "code"),
    [("龙海市", "longhai"), ("長泰縣", "changtai"), ("漳州招商局经济技术开发区", "zz_dev_zone")],
)
def test_former_and_other_official_names_are_aliases(former: str, code: str) -> None:
    assert DIRECTORY.jurisdiction_named(former) is DIRECTORY.jurisdictions[code]


@pytest.mark.parametrize(
    ("text", "whereabouts"),
    [
        ("厦门市思明区", Whereabouts.OUTSIDE),
        ("福建省泉州市晋江市", Whereabouts.OUTSIDE),
        ("广东省深圳市南山区", Whereabouts.OUTSIDE),
        ("上海市浦东新区", Whereabouts.OUTSIDE),
        ("漳州市", Whereabouts.LOCAL),
        ("角美镇", Whereabouts.UNKNOWN),
        ("漳州某工业园", Whereabouts.UNKNOWN),
    ],
)
def test_other_places_are_outside_or_unknown(text: str, whereabouts: Whereabouts) -> None:
    assert DIRECTORY.locate(text).whereabouts is whereabouts


def test_an_applicant_must_name_a_jurisdiction_exactly_not_a_town_in_it() -> None:
    assert DIRECTORY.jurisdiction_named("龙海区角美镇") is None
