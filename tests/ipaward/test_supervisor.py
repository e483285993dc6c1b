"""The supervisor under `ipaward serve`, with small stand-in children: what dies is restarted
after a back-off with one line said; what needs the Prefect server waits for it; a set-up
step runs once and again after the server returns; nothing else is stopped meanwhile."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from ipaward.processes import group_alive
from ipaward.settings import prefect_startup_seconds
from ipaward.supervisor import Backoff, ChildSpec, Supervisor

SLEEPS = (sys.executable, "-c", "import time; time.sleep(600)")
QUICK = Backoff(first=0.01, most=0.05, stable=600)


def exits(code: int) -> tuple[str, ...]:
    return (sys.executable, "-c", f"import sys; sys.exit({code})")


def supervisor(*specs: ChildSpec, server: str | None = None) -> tuple[Supervisor, list[str]]:
    said: list[str] = []
    made = Supervisor(
        specs=specs, env={}, cwd=Path.cwd(), server=server, grace=2, backoff=QUICK, say=said.append
    )
    now = time.monotonic()
    for slot in made.slots:
        slot.due = now
    return made, said


def tick_until(made: Supervisor, condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + prefect_startup_seconds()
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        made.tick()
        time.sleep(0.05)


def test_the_back_off_doubles_up_to_its_most() -> None:
    backoff = Backoff(first=1, most=60)
    assert [backoff.delay(n) for n in (1, 2, 3, 6, 7, 20)] == [1, 2, 4, 32, 60, 60]


def test_a_child_that_dies_is_started_again_with_one_line_each_time() -> None:
    made, said = supervisor(ChildSpec(name="worker", argv=exits(3), needs_prefect=False))
    tick_until(made, lambda: made.slot("worker").restarts >= 3)
    made.stop()
    restarts = [line for line in said if line.startswith("worker 已退出(返回码 3")]
    assert len(restarts) >= 3 and "第 1 次重启" in restarts[0] and "第 2 次重启" in restarts[1]


def test_what_needs_prefect_waits_for_the_server_and_the_web_app_does_not() -> None:
    up = {"server": False}
    made, said = supervisor(
        ChildSpec(name="server", argv=SLEEPS, ready=lambda: up["server"], announce="服务就绪"),
        ChildSpec(name="deployments", argv=SLEEPS),
        ChildSpec(name="web", argv=SLEEPS, needs_prefect=False),
        server="server",
    )
    try:
        tick_until(made, lambda: made.slot("web").process is not None)
        assert made.slot("server").process is not None
        assert made.slot("deployments").process is None  # the server does not answer yet
        up["server"] = True
        tick_until(made, lambda: made.slot("deployments").process is not None)
        assert said == ["服务就绪"]
    finally:
        made.stop()
    assert all(slot.process is None for slot in made.slots)


def test_the_server_dies_the_others_stay_and_set_up_runs_again_when_it_is_back(
    tmp_path: Path,
) -> None:
    runs = tmp_path / "setup-runs"
    setup = (sys.executable, "-c", f"open({str(runs)!r}, 'a').write('.')")
    made, said = supervisor(
        ChildSpec(name="server", argv=SLEEPS),
        ChildSpec(name="setup", argv=setup, once=True),
        ChildSpec(name="web", argv=SLEEPS, needs_prefect=False),
        server="server",
    )
    try:
        tick_until(made, lambda: made.slot("setup").done and made.slot("web").ready)
        web = made.slot("web").process
        server = made.slot("server").process
        assert web is not None and server is not None
        server.kill()
        assert runs.read_text() == "."
        tick_until(made, lambda: runs.exists() and runs.read_text() == "..")
        tick_until(made, lambda: made.slot("server").ready and made.slot("setup").done)
        assert made.slot("web").process is web and web.poll() is None
        assert any(line.startswith("server 已退出") for line in said)
        assert "server 已恢复运行" in said
    finally:
        made.stop()
    assert not group_alive(web.pid)


def test_a_child_that_never_becomes_ready_is_stopped_and_started_again() -> None:
    made, said = supervisor(ChildSpec(name="slow", argv=SLEEPS, ready=lambda: False))
    made.startup = 0.2
    try:
        tick_until(made, lambda: made.slot("slow").restarts >= 1)
    finally:
        made.stop()
    assert said[0].startswith("slow 0 秒内未就绪,已停止")
