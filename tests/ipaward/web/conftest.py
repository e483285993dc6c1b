"""Web tests run against a real migrated SQLite home, built once and copied per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ipaward.web.site import Built, Site, build_home, build_objection_home, open_site


@pytest.fixture(scope="session")
def web_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    root = tmp_path_factory.mktemp("web-template")
    built = build_home(root)
    return root / "home", built


@pytest.fixture
def site(
    web_template: tuple[Path, Built], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Site]:
    template, built = web_template
    yield from open_site(template, built, tmp_path, monkeypatch)


@pytest.fixture(scope="session")
def objection_template(
    web_template: tuple[Path, Built], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Built]:
    """The web home with an application in 公示 and one at 异议复核 (built once)."""
    template, built = web_template
    return build_objection_home(template, built, tmp_path_factory.mktemp("objection-template"))


@pytest.fixture
def objection_site(
    objection_template: tuple[Path, Built], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Site]:
    template, built = objection_template
    yield from open_site(template, built, tmp_path, monkeypatch)
