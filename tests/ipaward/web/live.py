"""uvicorn in a subprocess on a copy of the web home: for tests that need a real server
(threads, a real thread pool and connection pools) rather than the in-process TestClient."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.ipaward.web.site import TODAY

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live_server(home: Path, *, startup_seconds: float = 60) -> Iterator[str]:
    """The app served on a free loopback port; stopped by its own pid when the block ends."""
    port = free_port()
    env = {
        **os.environ,
        "IPAWARD_HOME": str(home),
        "IPAWARD_ADVANCE": "inline",
        "IPAWARD_WEB_TODAY": TODAY.isoformat(),
        "IPAWARD_WEB_SECRET": "live-test-secret",
    }
    for name in ("IPAWARD_DATABASE_URL", "IPAWARD_CONFIG_DIR"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "ipaward.web.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).text == "ok":
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def form_token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)
