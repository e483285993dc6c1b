"""The dashboard's charts and the officers' pages in a real browser (Debian's Chromium through
Playwright, against uvicorn as in test_browser.py): the charts draw at desktop width and on a
390 px phone, and no page scrolls sideways on the phone.

`page.evaluate` reads layout through the DevTools protocol, which the app's CSP (no eval in
the page) does not stop. Screenshots and a printed dashboard land in tests/artefacts/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ipaward.db.models import Application, Cycle, CycleLine, WorkItem
from ipaward.db.session import make_engine, make_session_factory
from tests.ipaward.web.site import TODAY, Built, password_of
from tests.ipaward.web.test_browser import (  # the browser, the server and the artefacts folder
    CHROMIUM,
    LAUNCH_ARGS,
    artefacts,  # noqa: F401
    playwright_api,
    server,  # noqa: F401
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
CHARTS = ("chart-money", "chart-pipeline", "chart-backlog", "chart-monthly")


@pytest.fixture
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def signed_in(
    browser: Any, base: str, username: str, viewport: dict[str, int]
) -> tuple[Any, list[str]]:
    """A page of its own context, logged in, and the console errors it will report (a CSP
    violation, a missing resource, a script error)."""
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password_of(username))
    page.click("button:has-text('登录')")
    page.wait_for_load_state()
    return page, problems


def fits(page: Any, width: int) -> None:
    """Nothing on the page is wider than the screen: the page never scrolls sideways."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (page.url, scroll)
    # the header wraps by whole words: the brand takes at most two lines, links stay whole
    brand = page.locator(".topbar .brand").bounding_box()
    assert brand["height"] < 60, brand
    for link in page.locator(".mainnav a").all():
        assert link.bounding_box()["height"] < 40


def chart_titles(page: Any, key: str) -> list[str]:
    titles: list[str] = page.locator(f"#{key} svg rect > title").all_text_contents()
    return titles


def test_the_dashboard_draws_its_charts_at_desktop_width_and_on_a_phone(
    server: tuple[str, Built],  # noqa: F811
    artefacts: Path,  # noqa: F811
    browser: Any,
) -> None:
    base, _ = server
    for name, viewport in (("desktop", DESKTOP), ("390", PHONE)):
        page, problems = signed_in(browser, base, "operator", viewport)
        page.goto(f"{base}/dashboard")
        for key in CHARTS:
            svg = page.locator(f"#{key} svg.chart")
            assert svg.get_attribute("role") == "img"
            box = svg.bounding_box()
            assert box["width"] > 250 and box["height"] > 100, (name, key, box)
            frame = page.locator(f"#{key} .chart-frame").bounding_box()
            assert box["x"] >= frame["x"] - 1, (name, key)
        # the known cohort: three applications at 牵头单位审核; two of the lead unit's items
        # are more than five working days late
        assert "牵头单位审核:3件" in chart_titles(page, "chart-pipeline")
        assert "市市场监管局:逾期超过5个工作日2项" in chart_titles(page, "chart-backlog")
        if viewport is PHONE:
            fits(page, PHONE["width"])
        page.screenshot(path=str(artefacts / f"dashboard-{name}.png"), full_page=True)
        assert problems == []  # no CSP violation, no missing resource, no script error

    # printed, every chart's numbers print with it (app.js opens the tables before printing)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.chart-data[open]").count() == len(CHARTS)
    page.emulate_media(media="print")
    page.pdf(path=str(artefacts / "dashboard.pdf"), format="A4")
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details.chart-data[open]").count() == 0
    for name in ("dashboard-desktop.png", "dashboard-390.png", "dashboard.pdf"):
        assert (artefacts / name).stat().st_size > 10_000, name


def _annual_list(home: Path) -> int:
    """A 2024 M07 list with the lead application on it, waiting on city.amr; its item id."""
    engine = make_engine(f"sqlite:///{home / 'ipaward.sqlite3'}")
    try:
        with make_session_factory(engine)() as session, session.begin():
            lead = session.scalars(select(Application).where(Application.measure == "M07")).one()
            cycle = Cycle(
                measure="M07", year=2024, state="in_review", stage="lead_review", details={}
            )
            session.add(cycle)
            session.flush()
            session.add(
                CycleLine(
                    cycle_id=cycle.id,
                    application_id=lead.id,
                    recipient_uscc=lead.applicant.uscc,
                    amount=40_000,
                    status="included",
                    details={},
                )
            )
            item = WorkItem(
                cycle_id=cycle.id,
                stage="lead_review",
                department="city.amr",
                state="open",
                due_on=TODAY + dt.timedelta(days=7),
            )
            session.add(item)
            session.flush()
            return item.id
    finally:
        engine.dispose()


def test_the_inbox_an_application_and_a_yearly_list_fit_a_390_px_phone(
    server: tuple[str, Built],  # noqa: F811
    artefacts: Path,  # noqa: F811
    browser: Any,
    tmp_path: Path,
) -> None:
    base, built = server
    list_item = _annual_list(tmp_path / "home")  # the server's own copy of the home
    page, problems = signed_in(browser, base, "city.amr", PHONE)

    page.goto(f"{base}/inbox")
    assert page.locator("table.inbox tbody tr").count() == 4
    fits(page, PHONE["width"])
    card = page.locator("table.inbox tbody tr").first.bounding_box()
    assert card["x"] >= 0 and card["x"] + card["width"] <= PHONE["width"]  # rows are cards
    page.screenshot(path=str(artefacts / "inbox-390.png"), full_page=True)

    page.goto(f"{base}/applications/{built.numbers['paid']}")  # route, documents, notices
    fits(page, PHONE["width"])
    for table in page.locator("table.grid").all():
        box = table.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box  # scrolls inside
    page.screenshot(path=str(artefacts / "application-390.png"), full_page=True)

    page.goto(f"{base}/work-items/{list_item}")
    assert "M07 2024年度集中评审名单" in page.locator("h1").inner_text()
    fits(page, PHONE["width"])
    page.screenshot(path=str(artefacts / "yearly-list-390.png"), full_page=True)

    page.goto(f"{base}/dashboard")
    fits(page, PHONE["width"])
    assert problems == []
    for name in ("inbox-390.png", "application-390.png", "yearly-list-390.png"):
        assert (artefacts / name).stat().st_size > 10_000, name
