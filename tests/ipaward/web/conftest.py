"""Web tests run against a real migrated SQLite home, built once and copied per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ipaward.web.site import Built, Site, build_home, open_site


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
