"""The project's own Prefect set-up, against a real Prefect server (the session's harness):
one automation that notifies operators when a flow run tagged `ipaward` ends Failed or
Crashed; running the set-up twice leaves one; a failed run's message arrives."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from prefect import flow, tags
from prefect.client.orchestration import get_client

from ipaward.prefect_setup import AUTOMATION_NAME, BLOCK_NAME, ensure_failure_automation
from ipaward.settings import prefect_startup_seconds


class Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Receiver.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    """A local webhook standing in for the operators (apprise json://)."""
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_address[1]}/operators"
    server.shutdown()


@pytest.fixture
def cleanup(prefect_api: None) -> Iterator[None]:
    yield
    with get_client(sync_client=True) as client:
        for automation in client.read_automations_by_name(AUTOMATION_NAME):
            client.delete_automation(automation.id)


@flow(name="breaks-on-purpose")
def breaks() -> None:
    raise RuntimeError("测试:故意失败")


def test_the_set_up_makes_one_automation_and_updates_it_when_run_again(
    cleanup: None, receiver: str
) -> None:
    first, block, created = ensure_failure_automation(receiver)
    again, block_again, created_again = ensure_failure_automation(receiver)
    assert (created, created_again) == (True, False)
    assert (again, block_again) == (first, block)
    with get_client(sync_client=True) as client:
        [automation] = client.read_automations_by_name(AUTOMATION_NAME)
        document = client.read_block_document_by_name(BLOCK_NAME, "slack-webhook")
    assert automation.id == first and document.id == block
    trigger = automation.trigger
    assert trigger.expect == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed"}
    [action] = automation.actions
    assert action.type == "send-notification"


def test_a_failed_run_of_the_project_reaches_the_operators(cleanup: None, receiver: str) -> None:
    ensure_failure_automation(receiver)
    time.sleep(1)  # the triggers service loads automations on change; give it its tick
    with tags("ipaward"), pytest.raises(RuntimeError):
        breaks()
    deadline = time.monotonic() + prefect_startup_seconds()
    while not Receiver.received and time.monotonic() < deadline:
        time.sleep(0.5)
    [message] = Receiver.received
    assert message["title"].startswith("ipaward 流程运行 Failed:")
    assert "breaks-on-purpose" in message["message"] and "测试:故意失败" in message["message"]
