"""The dashboard shows the go-live list `ipaward check` prints, until it is empty."""

from __future__ import annotations

import html

import pytest

from ipaward.go_live import go_live_placeholders
from ipaward.web.routes import dashboard as dashboard_route
from tests.ipaward.web.site import Site


def test_the_dashboard_lists_the_same_placeholders_as_the_check(site: Site) -> None:
    state = site.state
    expected = go_live_placeholders(
        state.ctx.policy, state.ctx.procedure, config_dir=state.settings.config_dir
    )
    assert expected  # the shipped config still has its stand-ins

    operator = html.unescape(site.sign_in("operator").get("/dashboard").text)
    assert f"上线前须设置的事项（尚有{len(expected)}项）" in operator
    for placeholder in expected:
        assert placeholder.detail in operator
    assert "config/workflow.toml objection_phone" in operator  # where an operator sets it

    officer = html.unescape(site.sign_in("city.amr").get("/dashboard").text)
    assert f"尚有{len(expected)}项" in officer and expected[0].detail in officer
    assert "config/notices.toml" not in officer  # file locations are for operators


def test_the_panel_goes_once_the_list_is_empty(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dashboard_route, "go_live_placeholders", lambda *a, **k: [])
    page = site.sign_in("operator").get("/dashboard").text
    assert "上线前须设置的事项" not in page and 'id="go-live"' not in page
