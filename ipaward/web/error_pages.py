"""Refusals the web layer raises; app.py turns each into a page (or JSON under /api)."""

from __future__ import annotations


class WebRefusal(Exception):
    status = 400
    message = "请求无效"

    def __init__(self, message: str | None = None, *, status: int | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message
        if status:
            self.status = status


class LoginRequired(WebRefusal):
    status = 401
    message = "请先登录"

    def __init__(self, path: str, *, api: bool) -> None:
        super().__init__()
        self.path = path
        self.api = api


class PasswordChangeRequired(WebRefusal):
    """Signed in with a reset's one-time password: only the page that replaces it opens."""

    status = 403
    message = "请先设置新密码:临时密码只能用来修改密码"
    page = "/account/password"  # where a page request is sent instead


class Forbidden(WebRefusal):
    status = 403
    message = "无权访问"


class PageNotFound(WebRefusal):
    """Also what another department's application looks like: its existence is not revealed."""

    status = 404
    message = "页面不存在或无权查看"


class CsrfRefused(WebRefusal):
    status = 403
    message = "表单已失效或来源不明,请返回页面刷新后重试"


class BadForm(WebRefusal):
    status = 400
    message = "表单内容不正确"
