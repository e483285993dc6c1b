"""The operator mailbox: the Prefect server posts here (apprise json://) when a run of the
project's deployments failed or crashed; config/operators.toml names it by default."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from ipaward.operators import TOKEN_HEADER, store_message, token_ok
from ipaward.web.deps import State
from ipaward.web.error_pages import PageNotFound, WebRefusal

router = APIRouter(prefix="/api")
MAX_BYTES = 64 * 1024


@router.post("/operator-notices", include_in_schema=False)
async def operator_notice(request: Request, state: State) -> Response:
    """Keep one message; without the token this is the same 404 as any unknown page."""
    if not token_ok(state.config.secret, request.headers.get(TOKEN_HEADER)):
        raise PageNotFound()
    body = await request.body()
    if len(body) > MAX_BYTES:
        raise WebRefusal("消息过长", status=413)
    try:
        payload = json.loads(body)
    except ValueError as error:
        raise WebRefusal("消息不是 JSON") from error
    if not isinstance(payload, dict):
        raise WebRefusal("消息不是 JSON 对象")
    store_message(state.settings.home, payload)
    return Response(status_code=204)
