"""`ipaward serve`: everything one machine needs, with one command.

Children, each in its own process group (so a terminal's Ctrl-C reaches only this supervisor,
which stops them in order):
1. a local Prefect server (SQLite under IPAWARD_HOME/prefect, analytics off), unless
   PREFECT_API_URL names one already; its /api/health is awaited before anything else starts;
2. the served deployments (`python -m flows.deployments`): schedules fire, and decisions
   queue runs of them (IPAWARD_SERVE_DEPLOYMENTS=0 leaves them to workers on a work pool);
3. the web app under uvicorn (IPAWARD_WEB_APP, default ipaward.web.app:create_app), told to
   dispatch through the deployments (IPAWARD_DISPATCH=deployment).
SIGINT/SIGTERM: the web app stops taking requests first, then the deployments' process (a
flow run it kills rolls its transaction back: nothing is left half-written), then the
Prefect server; each gets SIGINT, SIGTERM after `grace` seconds, SIGKILL after twice that.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from ipaward.settings import PROJECT_ROOT, load_settings

DEFAULT_APP = "ipaward.web.app:create_app"


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]

    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class Supervisor:
    host: str = "127.0.0.1"
    port: int = 8000
    prefect_port: int = 4200
    app: str = DEFAULT_APP
    grace: float = 10.0
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    children: list[Child] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def run(self, say: Callable[[str], object] = print) -> int:
        """Start everything, wait for a signal or a child's death, stop everything."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_signal)
        try:
            self.start(say)
            while not self.stopping.wait(0.5):
                dead = [child for child in self.children if not child.alive()]
                if dead:
                    say(f"{dead[0].name} exited ({dead[0].process.returncode}); stopping")
                    return 1
            return 0
        finally:
            self.stop()

    def start(self, say: Callable[[str], object] = print) -> None:
        env = dict(self.environ)
        settings = load_settings(env)
        settings.home.mkdir(parents=True, exist_ok=True)
        from ipaward.services.database import ensure_schema

        ensure_schema(settings)
        env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        if not env.get("PREFECT_API_URL"):
            env["PREFECT_HOME"] = str(settings.home / "prefect")
            api = f"http://127.0.0.1:{self.prefect_port}/api"
            self._spawn(
                "prefect server",
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.prefect_port),
                ],
                env,
            )
            wait_for_health(f"{api}/health", timeout=180, alive=self.children[-1].alive)
            env["PREFECT_API_URL"] = api
            say(f"Prefect server: {api.removesuffix('/api')}")
        if env.get("IPAWARD_SERVE_DEPLOYMENTS", "1") != "0":  # "0": workers on a pool run them
            self._spawn("deployments", [sys.executable, "-m", "flows.deployments"], env)
        web_env = {**env, "IPAWARD_DISPATCH": env.get("IPAWARD_DISPATCH", "deployment")}
        self._spawn(
            "web",
            [
                sys.executable,
                "-m",
                "uvicorn",
                self.app,
                "--factory",
                "--host",
                self.host,
                "--port",
                str(self.port),
            ],
            web_env,
        )
        wait_for_port(self.host, self.port, timeout=60, alive=self.children[-1].alive)
        say(f"ipaward: http://{self.host}:{self.port}  (Ctrl-C stops everything)")

    def stop(self) -> None:
        """Newest first: web, deployments, Prefect server; each whole process group."""
        for child in reversed(self.children):
            stop_group(child.process, grace=self.grace)
        self.children.clear()

    def _spawn(self, name: str, argv: list[str], env: Mapping[str, str]) -> None:
        process = subprocess.Popen(argv, cwd=PROJECT_ROOT, env=dict(env), start_new_session=True)
        self.children.append(Child(name=name, process=process))

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()


def stop_group(process: subprocess.Popen[bytes], *, grace: float) -> None:
    """SIGINT to the child's whole group; SIGTERM, then SIGKILL, to what is still there."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            process.poll()  # reap the leader, so only live members count
            if not _group_alive(process.pid):
                break
            time.sleep(0.1)
        else:
            continue
        break
    process.poll()


def _group_alive(pgid: int) -> bool:
    """Whether any live (not zombie) process is left in the group, read from /proc."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def wait_for_health(url: str, *, timeout: float, alive: Callable[[], bool]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"the process serving {url} exited")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def wait_for_port(host: str, port: int, *, timeout: float, alive: Callable[[], bool]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"the process for {host}:{port} exited")
        with socket.socket() as probe:
            probe.settimeout(1)
            if probe.connect_ex((host, port)) == 0:
                return
        time.sleep(0.3)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ipaward serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--prefect-port", type=int, default=4200)
    args = parser.parse_args(argv)
    supervisor = Supervisor(
        host=args.host,
        port=args.port,
        prefect_port=args.prefect_port,
        app=os.environ.get("IPAWARD_WEB_APP", DEFAULT_APP),
    )
    return supervisor.run()


if __name__ == "__main__":
    raise SystemExit(main())
