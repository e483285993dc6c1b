"""The Prefect UI, as `ipaward serve` starts it on a port other than 4200, in a real browser
(Debian's Chromium driven by Playwright): the link to one application's runs shows that
application's run and not another's (the runs page filters by `?tag=`; `?tags=` is ignored).

Skipped with the reason when Playwright or /usr/bin/chromium is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipaward.prefect_ui_links import application_runs_url
from ipaward.processes import spawn, stop_group
from ipaward.serve import PREFECT_SERVER, Serve
from ipaward.settings import PROJECT_ROOT, prefect_startup_seconds
from tests.test_serve import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
SHOWN, HIDDEN = "ZZIP-2024-M07-000001", "ZZIP-2024-M09-000002"
RUNS = f"""
from prefect import flow, tags

@flow(name="advance-application")
def advance() -> None:
    pass

for number in ({SHOWN!r}, {HIDDEN!r}):
    with tags(f"app:{{number}}"):
        advance.with_options(flow_run_name=f"advance {{number}}")()
"""

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)"
)
if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)", allow_module_level=True
    )


@pytest.fixture
def prefect_ui(tmp_path: Path) -> Iterator[str]:
    """`serve`'s own Prefect server child, alone, with two runs of two applications."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "IPAWARD_"))}
    environ["IPAWARD_HOME"] = str(tmp_path / "home")
    serve = Serve(prefect_port=free_port(), environ=environ)
    specs, env, _ = serve.children()
    [server] = [spec for spec in specs if spec.name == PREFECT_SERVER]
    assert server.ready is not None
    Path(env["PREFECT_HOME"]).mkdir(parents=True)
    process = spawn(server.argv, env={**env, **server.env}, cwd=PROJECT_ROOT)
    try:
        deadline = time.monotonic() + prefect_startup_seconds()
        while not server.ready():
            assert process.poll() is None and time.monotonic() < deadline, "no Prefect server"
            time.sleep(0.5)
        done = subprocess.run([sys.executable, "-c", RUNS], env=env, capture_output=True)
        assert done.returncode == 0, done.stderr.decode()
        yield env["PREFECT_UI_URL"]
    finally:
        stop_group(process, grace=10)


def test_the_link_to_an_applications_runs_shows_its_runs_only(prefect_ui: str) -> None:
    assert not prefect_ui.endswith(":4200")
    ARTEFACTS.mkdir(exist_ok=True)
    (ARTEFACTS / ".gitignore").write_text("*\n", encoding="utf-8")
    wait_ms = prefect_startup_seconds() * 1000
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(application_runs_url(prefect_ui, SHOWN))
            page.get_by_text(f"advance {SHOWN}").first.wait_for(timeout=wait_ms)
            page.get_by_text("1 run").first.wait_for(timeout=wait_ms)
            page.screenshot(path=str(ARTEFACTS / "prefect-runs-by-tag.png"), full_page=True)
            assert f"advance {HIDDEN}" not in page.inner_text("body")
        finally:
            browser.close()
