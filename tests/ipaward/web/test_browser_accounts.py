"""The account pages in a real browser (Debian's Chromium, Playwright) against uvicorn: an
officer changes their password (a refused one first), an operator resets another officer's,
and that officer, signed in with the one-time password, is held on the page replacing it.

Screenshots land in tests/artefacts/ (password-*.png, accounts.png, account-reset.png).
Skipped, like test_browser.py, when Playwright or /usr/bin/chromium is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ipaward.web import test_browser as browser
from tests.ipaward.web.site import Built, password_of

server = browser.server  # the same uvicorn-on-a-copied-home fixture
artefacts = browser.artefacts
NEW = "Zhangzhou-花开-0427"


def _open(playwright: Any) -> tuple[Any, list[str]]:
    chromium = playwright.chromium.launch(
        executable_path=str(browser.CHROMIUM), headless=True, args=browser.LAUNCH_ARGS
    )
    problems: list[str] = []
    return chromium, problems


def _page(chromium: Any, problems: list[str]) -> Any:
    page = chromium.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    assert "ipaward" not in page.content() and "账户由系统管理员开通" in page.content()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button:has-text('登录')")
    page.wait_for_load_state()


def _change(page: Any, current: str, new: str) -> None:
    page.fill("input[name=current_password]", current)
    page.fill("input[name=new_password]", new)
    page.fill("input[name=confirm_password]", new)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()


def test_an_officer_changes_a_password_and_an_operator_resets_one(
    server: tuple[str, Built], artefacts: Path
) -> None:
    base, _ = server
    with browser.playwright_api.sync_playwright() as playwright:
        chromium, problems = _open(playwright)
        try:
            # an officer changes their own password: a weak one is refused with the reason
            page = _page(chromium, problems)
            _sign_in(page, base, "city.finance", password_of("city.finance"))
            page.wait_for_url(f"{base}/inbox")
            page.click("header a:has-text('修改密码')")
            page.wait_for_url(f"{base}/account/password")
            _change(page, password_of("city.finance"), "password2024!")
            assert "常见密码前后加数字或符号" in page.locator("#password-error").inner_text()
            page.screenshot(path=str(artefacts / "password-refused.png"), full_page=True)
            _change(page, password_of("city.finance"), NEW)
            page.wait_for_url(f"{base}/account/password?changed=1")
            assert "密码已修改" in page.locator(".alert.success").inner_text()
            page.screenshot(path=str(artefacts / "password-changed.png"), full_page=True)

            # an operator resets city.court's password: confirmed, shown once
            operator = _page(chromium, problems)
            _sign_in(operator, base, "operator", password_of("operator"))
            operator.click("header a:has-text('账户管理')")
            operator.wait_for_url(f"{base}/accounts")
            assert operator.locator("table.accounts tbody tr").count() == 56
            operator.screenshot(path=str(artefacts / "accounts.png"), full_page=True)
            operator.once("dialog", lambda dialog: dialog.accept())
            row = operator.locator("table.accounts tbody tr", has_text="city.court经办人")
            row.locator("button:has-text('重置密码')").click()
            operator.wait_for_url(f"{base}/accounts/*/reset")
            temporary = operator.locator("#temporary-password").inner_text().strip()
            assert len(temporary) == 19 and "只显示这一次" in operator.content()
            operator.screenshot(path=str(artefacts / "account-reset.png"), full_page=True)

            # city.court signs in with it: held on the password page until it is replaced
            officer = _page(chromium, problems)
            _sign_in(officer, base, "city.court", temporary)
            officer.wait_for_url(f"{base}/account/password")
            assert "临时密码" in officer.locator(".alert.error").inner_text()
            assert officer.locator("nav.mainnav a").count() == 0
            officer.screenshot(path=str(artefacts / "password-forced.png"), full_page=True)
            officer.goto(f"{base}/inbox")
            officer.wait_for_url(f"{base}/account/password")
            _change(officer, temporary, NEW)
            officer.wait_for_url(f"{base}/account/password?changed=1")
            officer.click("nav.mainnav a:has-text('待办事项')")
            officer.wait_for_url(f"{base}/inbox")

            # no CSP violation, no missing resource, no script error; the one 400 is the
            # refused password's answer, which the browser logs as a failed load
            refused = [p for p in problems if "status of 400" in p]
            assert len(refused) == 1 and [p for p in problems if p not in refused] == []
        finally:
            chromium.close()
    for name in ("password-refused", "password-changed", "accounts", "account-reset"):
        assert (artefacts / f"{name}.png").stat().st_size > 10_000, name
    assert (artefacts / "password-forced.png").stat().st_size > 10_000
