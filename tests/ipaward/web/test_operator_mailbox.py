"""The operator mailbox: the Prefect server's failure messages land as files, with the token
only; the operators' dashboard shows the newest."""

from __future__ import annotations

from ipaward.operators import MAILBOX, TOKEN_HEADER, mailbox_token
from tests.ipaward.web.site import Site

MESSAGE = {
    "version": "1.0",
    "title": "ipaward 流程运行 Failed:advance ZZIP-2024-M07-000009",
    "message": "流程 advance-application 的运行 advance ZZIP-2024-M07-000009 结束于 Failed。",
    "type": "failure",
}


def test_a_message_with_the_token_is_kept_and_shown_to_operators(site: Site) -> None:
    client = site.client()
    token = mailbox_token(site.config.secret)
    answer = client.post("/api/operator-notices", json=MESSAGE, headers={TOKEN_HEADER: token})
    assert answer.status_code == 204
    [stored] = list((site.settings.home / MAILBOX).glob("*.json"))
    assert MESSAGE["title"] in stored.read_text(encoding="utf-8")
    assert MESSAGE["title"] in site.sign_in("operator").get("/dashboard").text
    assert MESSAGE["title"] not in site.sign_in("city.amr").get("/dashboard").text


def test_without_the_token_nothing_is_kept(site: Site) -> None:
    client = site.client()
    assert client.post("/api/operator-notices", json=MESSAGE).status_code == 404
    wrong = {TOKEN_HEADER: mailbox_token(b"another secret")}
    assert client.post("/api/operator-notices", json=MESSAGE, headers=wrong).status_code == 404
    assert not (site.settings.home / MAILBOX).exists()
