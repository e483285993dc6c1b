"""Rendering pages and the error page every refusal turns into."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from ipaward.web.deps import Officer
from ipaward.web.state import WebState


def render(
    request: Request,
    template: str,
    *,
    officer: Officer | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render `template` (autoescaped) with the officer and the current path."""
    state: WebState = request.app.state.web
    html = state.templates.get_template(template).render(
        officer=officer,
        path=request.url.path,
        today=state.config.today(),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def error_page(
    request: Request, *, status: int, message: str, officer: Officer | None = None
) -> HTMLResponse:
    return render(
        request, "error.html", officer=officer, status=status, status_code=status, message=message
    )
