"""Objections in a real browser (Debian's Chromium, Playwright) against uvicorn: the lead
unit records a paper objection with its scan, then decides an objection under review
(异议不成立, with its reason).

Screenshots land in tests/artefacts/ (objection-decision.png, objection-form.png,
objection-recorded.png). Skipped, like test_browser.py, when Playwright or Chromium is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ipaward.web import test_browser as browser
from tests.ipaward.web.site import TODAY, Built, password_of

artefacts = browser.artefacts


@pytest.fixture
def objection_server(
    objection_template: tuple[Path, Built], tmp_path: Path
) -> Iterator[tuple[str, Built]]:
    yield from browser.run_server(objection_template, tmp_path)


def _signed_in(chromium: Any, base: str, problems: list[str]) -> Any:
    page = chromium.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "city.amr")
    page.fill("input[name=password]", password_of("city.amr"))
    page.click("button:has-text('登录')")
    page.wait_for_load_state()
    return page


def test_the_lead_unit_records_a_paper_objection_and_decides_one(
    objection_server: tuple[str, Built], artefacts: Path, tmp_path: Path
) -> None:
    base, built = objection_server
    scan = tmp_path / "异议书.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"scanned objection " * 2000)
    problems: list[str] = []
    with browser.playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(browser.CHROMIUM), headless=True, args=browser.LAUNCH_ARGS
        )
        try:
            page = _signed_in(chromium, base, problems)

            # the paper objection: from the application in 公示 to its form
            page.goto(f"{base}/applications/{built.numbers['publicity']}")
            page.click("a:has-text('登记公示期间收到的书面异议')")
            page.wait_for_url("**/objection")
            page.fill("input[name=name]", "李四")
            page.fill("textarea[name=text]", "所列专利的受让方为申请人的关联企业")
            page.fill("input[name=received_on]", TODAY.isoformat())
            page.set_input_files("input[name=scan]", str(scan))
            page.screenshot(path=str(artefacts / "objection-form.png"), full_page=True)
            page.click("button:has-text('登记异议并转异议复核')")
            page.wait_for_selector("#objection")
            assert "已登记书面异议" in page.content()
            assert "异议书.pdf" in page.locator("#objection").inner_text()
            page.screenshot(path=str(artefacts / "objection-recorded.png"), full_page=True)

            # the objection under review: two decisions, each with a reason
            page.goto(f"{base}/applications/{built.numbers['objected']}")
            upheld = page.locator("form.decision.reject")
            assert "异议成立" in upheld.inner_text()
            route = page.locator("ol.route h3").all_inner_texts()
            assert route.index("公示") + 1 == [r.replace(" 当前", "") for r in route].index(
                "异议复核"
            )
            page.screenshot(path=str(artefacts / "objection-decision.png"), full_page=True)
            dismissed = page.locator("form.decision.approve")
            dismissed.locator("textarea[name=comment]").fill("经核查,受让方与申请人无关联关系")
            dismissed.locator("button[type=submit]").click()
            page.wait_for_selector("#result")
            assert "已保存您的决定:异议不成立" in page.locator("#result").inner_text()

            assert problems == []  # no CSP violation, no missing resource, no script error
        finally:
            chromium.close()
    for name in ("objection-form.png", "objection-recorded.png", "objection-decision.png"):
        assert (artefacts / name).stat().st_size > 10_000, name
