"""Prefect's two ways to hand work to a background process, side by side in one run:
a background task (`task.delay()` served by a task worker) and a served deployment
(`run_deployment(timeout=0)` picked up by `flow.serve()`).

For each: how long the caller waits (submit) and how long until the work has been done
(submit → a marker file exists), p50/p95 over N hand-offs, against a local Prefect server
started here. Usage: .venv/bin/python bench/handoff_mechanisms.py [--n 40]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

WORKER = """
import sys, time
from pathlib import Path
from prefect import task, flow
from prefect.task_worker import serve

@task(name="touch")
def touch(path: str) -> None:
    Path(path).write_text(str(time.time()))

@flow(name="touch-flow")
def touch_flow(path: str) -> None:
    Path(path).write_text(str(time.time()))

def run(kind: str) -> None:
    if kind == "task":
        serve(touch)
    else:
        touch_flow.serve(name="touch", limit=10)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_health(url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wait_for(path: Path, timeout: float = 120) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return time.monotonic()
        time.sleep(0.005)
    raise TimeoutError(str(path))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--poll", type=float, default=1.0, help="runner poll seconds")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="handoff-"))
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home / "prefect"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_RUNNER_POLL_FREQUENCY": str(args.poll),
    }
    (home / "worker.py").write_text(WORKER)
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--port", str(port)],
        env={**env, "PREFECT_API_URL": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    children = [server]
    try:
        wait_health(f"{api}/health")
        for kind in ("task", "deployment"):
            children.append(
                subprocess.Popen(
                    [sys.executable, "-c", f"import worker; worker.run({kind!r})"],
                    env=env,
                    cwd=home,
                    stdout=(home / f"{kind}.log").open("wb"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        os.environ.update(env)
        sys.path.insert(0, str(home))
        import worker  # type: ignore[import-not-found]  # the module written above
        from prefect.deployments import run_deployment

        time.sleep(15)  # both workers connected
        results: dict[str, tuple[list[float], list[float]]] = {}
        for kind in ("background task", "served deployment"):
            submits, totals = [], []
            for index in range(args.n + 3):
                marker = home / f"{kind[0]}-{index}"
                start = time.monotonic()
                if kind == "background task":
                    worker.touch.delay(str(marker))
                else:
                    run_deployment("touch-flow/touch", parameters={"path": str(marker)}, timeout=0)
                submitted = time.monotonic()
                done = wait_for(marker)
                if index >= 3:  # the first hand-offs warm connections up
                    submits.append((submitted - start) * 1000)
                    totals.append((done - start) * 1000)
            results[kind] = (submits, totals)
        print(f"n={args.n} per mechanism, runner poll {args.poll} s, milliseconds")
        print(
            f"{'mechanism':20} {'submit p50':>11} {'submit p95':>11} {'done p50':>9} {'done p95':>9}"
        )
        for kind, (submits, totals) in results.items():
            print(
                f"{kind:20} {statistics.median(submits):11.0f} {pct(submits, 0.95):11.0f}"
                f" {statistics.median(totals):9.0f} {pct(totals, 0.95):9.0f}"
            )
        base = statistics.median(results["background task"][1])
        other = statistics.median(results["served deployment"][1])
        print(f"served deployment / background task (done p50): {other / base:.1f}x")
    finally:
        for child in reversed(children):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, 9)


if __name__ == "__main__":
    main()
