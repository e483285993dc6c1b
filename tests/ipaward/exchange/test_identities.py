"""One canonical identity per kind of item: typed variants of one item compare equal."""

from __future__ import annotations

import pytest

from ipaward.exchange.identities import ItemKind, identities, identity

FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@pytest.mark.parametrize(
    ("kind", "variants", "canonical"),
    [
        (
            ItemKind.PATENT,
            [
                "201710601862.3",
                "ZL201710601862.3",
                "zl 2017 1060 1862.3",
                "ZL201710601862.3".translate(FULL_WIDTH),
            ],
            "201710601862.3",
        ),
        (
            ItemKind.JUDGMENT,
            [
                "(2024)闽06民初123号",
                "（2024）闽06民初123号",
                "〔2024〕闽06民初123号",
                "[2024]闽06 民初 123号",
                "【2024】闽06民初123号",
            ],
            "(2024)闽06民初123号",
        ),
        (
            ItemKind.PRODUCT,
            [
                "ZLMJ-2024-350001",
                "zlmj-2024-350001",
                "ZLMJ－2024－350001",
                "ZLMJ-2024-350001".translate(FULL_WIDTH),
            ],
            "ZLMJ-2024-350001",
        ),
        (
            ItemKind.STANDARD,
            ["DB3506/T 0123-2024", "DB3506/T0123—2024", "db3506/t 0123-2024"],
            "DB3506/T0123-2024",
        ),
        (ItemKind.CERTIFICATE, ["CNAS-IPMS 0012", "cnas-ipms0012"], "CNAS-IPMS0012"),
        (
            ItemKind.USCC,
            [
                "91350600MA0000001H",
                "91350600ma0000001h",
                "9135 0600 MA00 0000 1H",
                "91350600MA0000001H".translate(FULL_WIDTH),
            ],
            "91350600MA0000001H",
        ),
    ],
)
def test_every_variant_of_an_item_has_one_identity(
    kind: ItemKind, variants: list[str], canonical: str
) -> None:
    assert {identity(kind, text) for text in variants} == {canonical}


def test_different_items_keep_different_identities() -> None:
    assert identity(ItemKind.JUDGMENT, "(2024)闽06民初123号") != identity(
        ItemKind.JUDGMENT, "(2024)闽06民初124号"
    )
    assert identity(ItemKind.PATENT, "201710601862.3") != identity(
        ItemKind.PATENT, "201710601863.3"
    )


def test_a_declaration_may_name_an_item_of_any_of_the_measures_kinds() -> None:
    found = identities("ZL201710601862.3", {ItemKind.PATENT, ItemKind.USCC})
    assert "201710601862.3" in found
