"""A real browser (Debian's Chromium driven by Playwright) against uvicorn on a free port:
log in, find an item, approve it, return another for correction, print a notice.

Screenshots (and the printed notice as PDF) land in tests/artefacts/, which ignores itself.
Skipped with the reason when Playwright or /usr/bin/chromium is missing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ipaward.web.live import live_server
from tests.ipaward.web.site import Built, copy_home, password_of

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / "artefacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)"
)
if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)", allow_module_level=True
    )


@pytest.fixture
def server(web_template: tuple[Path, Built], tmp_path: Path) -> Iterator[tuple[str, Built]]:
    """uvicorn in a subprocess on its own copy of the web home; stopped by its pid."""
    yield from run_server(web_template, tmp_path)


def run_server(web_template: tuple[Path, Built], tmp_path: Path) -> Iterator[tuple[str, Built]]:
    """The `server` fixture's body, for fixtures serving another home."""
    template, built = web_template
    with live_server(copy_home(template, tmp_path / "home")) as base:
        yield base, built


@pytest.fixture
def artefacts() -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    (ARTEFACTS / ".gitignore").write_text("*\n", encoding="utf-8")
    return ARTEFACTS


def _eventually(page: Any, selector: str, text: str, *, seconds: float = 120) -> bool:
    """The page refreshes itself while the background work runs: wait for `text` (no timing
    assumption beyond a generous limit; the page's CSP forbids evaluated scripts)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if text in page.locator(selector).inner_text(timeout=5_000):
                return True
        except Exception:  # the page was reloading
            pass
        time.sleep(0.5)
    return False


def test_an_officer_approves_one_item_returns_another_and_prints_a_notice(
    server: tuple[str, Built], artefacts: Path
) -> None:
    base, built = server
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))

            # log in: the inbox sends us to the login form and back
            page.goto(f"{base}/inbox")
            assert "/login" in page.url
            page.fill("input[name=username]", "city.amr")
            page.fill("input[name=password]", password_of("city.amr"))
            page.click("button:has-text('登录')")
            page.wait_for_url(f"{base}/inbox")
            assert page.locator("tbody tr").count() == 3
            assert page.locator("tr.overdue").count() == 2
            page.screenshot(path=str(artefacts / "inbox.png"), full_page=True)

            # find an item: filter by measure, open the application
            page.select_option("select[name=measure]", "M07")
            page.click("button:has-text('筛选')")
            page.wait_for_url("**/inbox?measure=M07*")
            assert page.locator("tbody tr").count() == 1
            page.click(f"a:has-text('{built.numbers['lead']}')")
            page.wait_for_url(f"**/applications/{built.numbers['lead']}")
            assert page.locator("text=依据第（七）条").first.is_visible()
            page.screenshot(path=str(artefacts / "application.png"), full_page=True)

            # approve it
            approve = page.locator("form.decision.approve")
            approve.locator("textarea[name=comment]").fill("材料齐全,同意。")
            approve.locator("button[type=submit]").click()
            page.wait_for_selector("#result")
            assert "已保存您的决定:同意" in page.locator("#result").inner_text()
            # the follow-up runs in the background; the page refreshes until the next stage
            assert _eventually(page, "#result", "责任单位会签")

            # return another one for correction
            page.goto(f"{base}/applications/{built.numbers['markup']}")
            back = page.locator("form.decision.return")
            back.locator("input[value=grading_certificate]").check()
            back.locator("input[name='reason-grading_certificate']").fill("证书复印件不清晰")
            # evidence fields are ticked by their Chinese name, never typed as paths
            back.locator("label.check", has_text="评价等级").locator("input").check()
            back.locator("input[name='reason-evidence.grading.level']").fill("等级与证书不一致")
            back.locator("input[name=deadline_days]").fill("5")
            back.locator("textarea[name=comment]").fill("请补正评级证书")
            back.locator("button[type=submit]").click()
            page.wait_for_selector("#result")
            assert _eventually(page, "#result", "待补正")
            page.screenshot(path=str(artefacts / "returned.png"), full_page=True)

            # print the 补正 notice: official layout, toolbar gone on paper
            page.locator("#notices tr", has_text="补正材料通知书").locator(
                "a", has_text="简体"
            ).click()
            page.wait_for_url("**/notices/*")
            assert page.locator("h1.title").inner_text().endswith("补正材料通知书")
            assert page.locator("text=填报事项：评价等级").first.is_visible()
            red = page.eval_on_selector(".authority", "e => getComputedStyle(e).color")
            assert red == "rgb(204, 0, 0)"  # the notice's own stylesheet is allowed by CSP
            page.evaluate("window.print = () => { window.__printed = true; }")
            page.click("button:has-text('打印')")
            assert page.evaluate("window.__printed") is True
            page.emulate_media(media="print")
            assert not page.locator(".notice-toolbar").is_visible()
            page.pdf(path=str(artefacts / "correction-notice.pdf"), format="A4")
            page.emulate_media(media="screen")
            page.screenshot(path=str(artefacts / "notice.png"), full_page=True)

            assert problems == []  # no CSP violation, no missing resource, no script error
        finally:
            browser.close()
    for name in ("inbox.png", "application.png", "notice.png", "correction-notice.pdf"):
        assert (artefacts / name).stat().st_size > 10_000, name
