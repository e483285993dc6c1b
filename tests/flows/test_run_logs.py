"""A flow run's INFO logs reach the Prefect API (the UI's logs tab), while the console shows
warnings only: the project's logging file, not PREFECT_LOGGING_LEVEL=WARNING."""

from __future__ import annotations

import time

from prefect import flow, get_run_logger
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.runtime import flow_run

from ipaward.settings import prefect_startup_seconds


@flow(name="logs-reach-the-api")
def says_something() -> str:
    get_run_logger().info("已处理 3 份申请")
    return str(flow_run.id)


def test_a_flow_runs_info_log_is_in_the_api(prefect_api: None) -> None:
    run_id = says_something()  # logs go in batches: wait for them as long as the setting allows
    deadline = time.monotonic() + prefect_startup_seconds()
    messages: list[str] = []
    while time.monotonic() < deadline:
        with get_client(sync_client=True) as client:
            logs = client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id]))
            )
        messages = [log.message for log in logs]
        if "已处理 3 份申请" in messages:
            break
        time.sleep(0.5)
    assert "已处理 3 份申请" in messages
