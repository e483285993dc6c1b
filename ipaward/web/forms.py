"""URL-encoded form bodies, parsed with the standard library and bounded in size.

Our forms are small and never upload files; parsing them here avoids a multipart parser
dependency and refuses oversized bodies before reading them whole.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from ipaward.web.error_pages import BadForm

MAX_FORM_BYTES = 64 * 1024
FORM_TYPE = "application/x-www-form-urlencoded"


async def read_form(request: Request) -> FormData:
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type != FORM_TYPE:
        raise BadForm("表单格式不正确", status=415)
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_FORM_BYTES):
        raise BadForm("表单内容过长", status=413)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise BadForm("表单内容过长", status=413)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadForm("表单编码应为UTF-8", status=400) from None
    try:
        pairs: list[tuple[str, str | UploadFile]] = list(
            parse_qsl(text, keep_blank_values=True, max_num_fields=500)
        )
    except ValueError:  # more fields than any of our forms has
        raise BadForm("表单字段过多", status=413) from None
    return FormData(pairs)


def text(form: FormData, name: str) -> str:
    """One field as text ("" when absent); strips nothing: comments are kept as typed."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def texts(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str)]
