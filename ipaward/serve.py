"""`ipaward serve`: everything one machine needs, with one command, kept running.

Children, each in its own process group, started in this order and stopped in reverse:
1. a local Prefect server (SQLite under IPAWARD_HOME/prefect), unless PREFECT_API_URL names
   one already; its UI talks to the API on the same port (PREFECT_UI_API_URL);
2. the background children (BACKGROUND): the served deployments (`python -m flows.deployments`;
   IPAWARD_SERVE_DEPLOYMENTS=0 leaves them to workers on a work pool) and the task worker
   that carries out commands' follow-ups (`python -m tasks.worker`), started once the
   Prefect server answers;
3. `prefect-setup` (the operators' failure automation), run again whenever the server returns;
4. the web app under uvicorn (IPAWARD_WEB_APP, default ipaward.web.app:create_app), told to
   hand follow-ups to the task worker (PREFECT_API_URL) and where the Prefect UI is
   (PREFECT_UI_URL). It needs no Prefect server: it starts at once and stays up while the
   server is away.
A child that dies is started again after a back-off (1 s, 2 s, … at most 60 s), one line each
time. SIGINT/SIGTERM: the web app stops taking requests first, then the background children
(a flow run killed rolls its transaction back), then the Prefect server; each gets SIGINT,
SIGTERM after `grace` seconds, SIGKILL after twice that.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FrameType

from ipaward import clock
from ipaward.prefect_ui_links import ui_url
from ipaward.processes import answers, listens
from ipaward.settings import (
    PROJECT_ROOT,
    load_settings,
    prefect_environment,
    prefect_startup_seconds,
)
from ipaward.supervisor import ChildSpec, Supervisor

DEFAULT_APP = "ipaward.web.app:create_app"
PREFECT_SERVER = "prefect server"
PYTHON = sys.executable

# Processes beside the Prefect server and the web app; adding one is one line here.
BACKGROUND: tuple[ChildSpec, ...] = (
    ChildSpec(name="deployments", argv=(PYTHON, "-m", "flows.deployments")),
    ChildSpec(name="task worker", argv=(PYTHON, "-m", "tasks.worker")),
)


@dataclass(kw_only=True)
class Serve:
    """What `ipaward serve` runs, from its options and the environment."""

    host: str = "127.0.0.1"
    port: int = 8000
    prefect_port: int = 4200
    app: str = DEFAULT_APP
    grace: float = 10.0
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    background: Sequence[ChildSpec] = BACKGROUND

    def children(self) -> tuple[list[ChildSpec], dict[str, str], bool]:
        """(children in start order, their shared environment, whether one is our server)."""
        env = dict(self.environ)
        settings = load_settings(env)
        for key, value in prefect_environment(settings, env).items():
            env.setdefault(key, value)
        specs: list[ChildSpec] = []
        own_server = not env.get("PREFECT_API_URL")
        if own_server:
            api = f"http://127.0.0.1:{self.prefect_port}/api"
            ui = api.removesuffix("/api")
            env.update(PREFECT_HOME=str(settings.home / "prefect"), PREFECT_API_URL=api)
            env["PREFECT_UI_URL"] = ui
            specs.append(self._server(api, ui))
        env.setdefault("PREFECT_UI_URL", ui_url(env))
        if env.get("IPAWARD_SERVE_DEPLOYMENTS", "1") == "0":  # workers on a pool run them
            specs += [spec for spec in self.background if spec.name != "deployments"]
        else:
            specs += self.background
        specs.append(self._prefect_setup())
        specs.append(self._web(env))
        return specs, env, own_server

    def _server(self, api: str, ui: str) -> ChildSpec:
        argv = (PYTHON, "-m", "prefect", "server", "start", "--host", "127.0.0.1")
        return ChildSpec(
            name=PREFECT_SERVER,
            argv=(*argv, "--port", str(self.prefect_port)),
            env={"PREFECT_UI_API_URL": api, "PREFECT_UI_URL": ui},
            ready=partial(answers, f"{api}/health"),
            announce=f"Prefect 服务与界面:{ui}",
        )

    def _prefect_setup(self) -> ChildSpec:
        web = f"http://{_reachable(self.host)}:{self.port}"
        argv = (PYTHON, "-m", "ipaward.prefect_setup", "--web", web)
        return ChildSpec(name="prefect-setup", argv=argv, once=True)

    def _web(self, env: Mapping[str, str]) -> ChildSpec:
        argv = (PYTHON, "-m", "uvicorn", self.app, "--factory", "--host", self.host)
        return ChildSpec(
            name="web",
            argv=(*argv, "--port", str(self.port)),
            needs_prefect=False,
            ready=partial(listens, _reachable(self.host), self.port),
            announce=f"ipaward:http://{self.host}:{self.port}(Ctrl-C 全部停止)",
        )

    def supervisor(self, say: Callable[[str], object] = print) -> Supervisor:
        specs, env, own_server = self.children()
        return Supervisor(
            specs=specs,
            env=env,
            cwd=PROJECT_ROOT,
            server=PREFECT_SERVER if own_server else None,
            startup=prefect_startup_seconds(env),
            grace=self.grace,
            say=say,
        )

    def run(self, say: Callable[[str], object] = print) -> int:
        """Create or upgrade the schema, then supervise until SIGINT/SIGTERM; stop in order."""
        supervisor = self.supervisor(say)

        def on_signal(signum: int, frame: FrameType | None) -> None:
            supervisor.stopping.set()

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, on_signal)
        try:
            settings = load_settings(supervisor.env)
            settings.home.mkdir(parents=True, exist_ok=True)
            Path(supervisor.env["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
            from ipaward.services.database import ensure_schema

            ensure_schema(settings)
            supervisor.supervise()
            return 0
        finally:
            supervisor.stop()


def _reachable(host: str) -> str:
    """Where a local process reaches a server listening on `host`."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def say(line: str) -> None:
    """One line, with Zhangzhou's time like Prefect's own lines beside it."""
    print(f"{clock.local_now():%H:%M:%S} | ipaward serve | {line}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ipaward serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--prefect-port", type=int, default=4200)
    args = parser.parse_args(argv)
    serve = Serve(
        host=args.host,
        port=args.port,
        prefect_port=args.prefect_port,
        app=os.environ.get("IPAWARD_WEB_APP", DEFAULT_APP),
    )
    return serve.run(say)


if __name__ == "__main__":
    raise SystemExit(main())
