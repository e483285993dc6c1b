"""`ipaward serve`: one command starts a local Prefect server (its UI on the same port), the
served deployments, the operators' automation and the web app; a Prefect server that dies is
started again while the web app keeps answering; Ctrl-C (SIGINT) stops all of it and leaves no
process behind.

The web app is a stand-in FastAPI factory (IPAWARD_WEB_APP), so this tests the supervisor,
not the web pages.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from flows.deployments import specs
from ipaward.config.schedules import load_schedules
from ipaward.prefect_setup import AUTOMATION_NAME
from ipaward.settings import PROJECT_ROOT, prefect_startup_seconds


def stand_in_app() -> FastAPI:
    """What uvicorn serves in the test: where the web process hands follow-ups (the API)."""
    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {
            "api": os.environ.get("PREFECT_API_URL"),
            "ui": os.environ.get("PREFECT_UI_URL"),
        }

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get_json(url: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Content-Type": "application/json"},
        method="POST" if data else "GET",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def wait_until(check: Any, *, timeout: float, what: str, log: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} within {timeout} s; serve said:\n{log.read_text()[-3000:]}")


def descendants(root: int) -> set[int]:
    """Every process below `root`, from /proc (psutil is not a dependency)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (ProcessLookupError, OSError):
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def child_running(serve: int, marker: str) -> int | None:
    """The pid of serve's own child whose command line holds `marker` (not a grandchild)."""
    for pid in sorted(descendants(serve)):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == serve and marker in command_line(pid):
            return pid
    return None


def deploy_all(api: str, env: dict[str, str], tmp_path: Path) -> set[str]:
    """`prefect deploy --all` of prefect.yaml against the server `serve` started."""
    prefect = {**env, "PREFECT_API_URL": api, "PREFECT_HOME": str(tmp_path / "cli-prefect")}
    prefect["IPAWARD_ROOT"] = str(PROJECT_ROOT)
    command = [sys.executable, "-m", "prefect", "--no-prompt"]
    for argv in (
        [*command, "work-pool", "create", "ipaward-process", "--type", "process"],
        [*command, "deploy", "--all"],
    ):
        done = subprocess.run(argv, cwd=PROJECT_ROOT, env=prefect, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    return {d["work_pool_name"] for d in get_json(f"{api}/deployments/filter", {})}


def test_serve_starts_everything_restarts_a_dead_prefect_server_and_ctrl_c_stops_all(
    tmp_path: Path,
) -> None:
    web, prefect = free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_API", "IPAWARD_"))
    }
    env.update(
        IPAWARD_HOME=str(tmp_path / "home"),
        IPAWARD_WEB_APP="tests.test_serve:stand_in_app",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    log = tmp_path / "serve.log"
    startup = prefect_startup_seconds()
    with log.open("wb") as out:
        serve = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ipaward.serve",
                "--port",
                str(web),
                "--prefect-port",
                str(prefect),
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        told = wait_until(
            lambda: get_json(f"http://127.0.0.1:{web}/health"),
            timeout=startup,
            what="the web app did not answer",
            log=log,
        )
        api = f"http://127.0.0.1:{prefect}/api"
        ui = f"http://127.0.0.1:{prefect}"
        assert told == {"api": api, "ui": ui}
        wait_until(lambda: get_json(f"{api}/health"), timeout=startup, what="no Prefect", log=log)
        # the UI's own settings point at this server's API, not at port 4200
        assert get_json(f"{ui}/ui-settings")["api_url"] == api
        deployments = wait_until(
            lambda: (
                len(get_json(f"{api}/deployments/filter", {}))
                >= len(specs(load_schedules(PROJECT_ROOT / "config")))
            ),
            timeout=startup,
            what="the deployments were not served",
            log=log,
        )
        assert deployments
        served = get_json(f"{api}/deployments/filter", {})
        names = {d["name"] for d in served}
        assert {"every-few-minutes", "daily-open", "daily", "yearly"} <= names
        limits = {d["name"]: d["global_concurrency_limit"]["limit"] for d in served}
        assert (limits["yearly"], limits["every-few-minutes"]) == (1, 1)
        deployed = deploy_all(api, env, tmp_path)
        assert deployed == {"ipaward-process"}  # prefect.yaml deploys onto the process pool
        automations = wait_until(
            lambda: get_json(f"{api}/automations/filter", {}),
            timeout=startup,
            what="prefect-setup made no automation",
            log=log,
        )
        assert [a["name"] for a in automations] == [AUTOMATION_NAME]
        children = descendants(serve.pid)
        assert len(children) >= 4  # Prefect server, deployments, task worker, web (and theirs)

        # the Prefect server dies: the web app answers throughout, the server comes back
        server, web_pid = (
            child_running(serve.pid, "prefect server"),
            child_running(serve.pid, "uvicorn"),
        )
        assert server and web_pid
        os.killpg(server, signal.SIGKILL)
        wait_until(
            lambda: not running(server), timeout=startup, what="the server survived", log=log
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{web}/healthz", timeout=5) as answer:
            assert answer.status == 200
        wait_until(
            lambda: child_running(serve.pid, "prefect server") not in (None, server),
            timeout=startup,
            what="the Prefect server was not restarted",
            log=log,
        )
        wait_until(
            lambda: get_json(f"{api}/health"), timeout=startup, what="no Prefect again", log=log
        )
        assert "prefect server 已退出" in log.read_text()
        assert child_running(serve.pid, "uvicorn") == web_pid  # the web app was never stopped
        assert [a["name"] for a in get_json(f"{api}/automations/filter", {})] == [AUTOMATION_NAME]
        children = descendants(serve.pid)

        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=startup) == 0
    finally:
        if serve.poll() is None:
            serve.kill()
    left = sorted(pid for pid in children if running(pid))
    assert not left, f"processes left behind: {left}\n{log.read_text()[-2000:]}"
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", web)) != 0  # the web port is free again
