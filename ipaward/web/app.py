"""The web app: `create_app()` is what `ipaward serve` and `ipaward web` run under uvicorn."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ipaward.settings import Settings, load_settings
from ipaward.web.error_pages import LoginRequired, PasswordChangeRequired, WebRefusal
from ipaward.web.headers import SecurityHeaders
from ipaward.web.pages import error_page
from ipaward.web.routes import api, applications, auth, dashboard, inbox, notices, operators
from ipaward.web.state import STATIC_DIR, open_state
from ipaward.web.web_settings import WebConfig, load_web_config
from ipaward.workflow.context import load_context

log = logging.getLogger(__name__)

STATUS_MESSAGES = {
    404: "页面不存在或无权查看",
    405: "不支持该请求方式",
    422: "请求参数不正确",
}


def create_app(settings: Settings | None = None, *, config: WebConfig | None = None) -> FastAPI:
    """Build the app for one home; the schema must exist (`ipaward init` or `serve`)."""
    settings = settings or load_settings()
    if settings != load_settings():
        log.warning(
            "web settings differ from the environment's: decisions advance through "
            "the background hand-off (ipaward.dispatch), which reads IPAWARD_HOME itself"
        )
    ctx = load_context(settings)
    state = open_state(settings=settings, ctx=ctx, config=config or load_web_config(settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="ipaward",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.web = state
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (auth, inbox, applications, notices, dashboard, api, operators):
        app.include_router(module.router)
    _handle_errors(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> PlainTextResponse:
        """Liveness, and the benchmark's baseline: no database, no template."""
        return PlainTextResponse("ok")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """Browsers ask for it on every page without a <link rel=icon> (stored notices)."""
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(WebRefusal)
    async def refused(request: Request, error: WebRefusal) -> Response:
        if isinstance(error, LoginRequired) and not error.api:
            return RedirectResponse("/login?" + urlencode({"next": error.path}), status_code=303)
        if isinstance(error, PasswordChangeRequired) and not _wants_json(request):
            return RedirectResponse(error.page, status_code=303)
        if _wants_json(request):
            return JSONResponse({"error": error.message}, status_code=error.status)
        return error_page(request, status=error.status, message=error.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = STATUS_MESSAGES.get(error.status_code, "请求无法处理")
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=error.status_code)
        return error_page(request, status=error.status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        """A path id that is not one (malformed, 0, beyond 64 bits) names nothing: the 404."""
        problems = error.errors()
        in_path = bool(problems) and all(p.get("loc", ("",))[0] == "path" for p in problems)
        status = 404 if in_path else 422
        if _wants_json(request):
            return JSONResponse({"error": STATUS_MESSAGES[status]}, status_code=status)
        return error_page(request, status=status, message=STATUS_MESSAGES[status])
