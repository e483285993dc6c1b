"""Keep a set of child processes running: what dies is started again after a back-off, with
one line said each time; what waits for the Prefect server starts only while it answers.

The web app needs no Prefect server (a decision is a database transaction; its follow-up
waits in the database), so it stays up while the server is away; the served deployments
reconnect by themselves when the server is back (Prefect 3.9's runner switches to polling
meanwhile), and a set-up step (`once`) runs again after every return of the server.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ipaward.processes import spawn, stop_group

Say = Callable[[str], object]


@dataclass(frozen=True, kw_only=True)
class ChildSpec:
    """One process to keep running.

    `ready` says whether it serves (the Prefect server's /api/health, the web's port); a child
    without it counts as ready once started. `needs_prefect`: (re)started only while the
    Prefect server answers. `once`: a set-up step, done when it exits 0, retried otherwise.
    `announce` is said the first time the child is ready."""

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    needs_prefect: bool = True
    once: bool = False
    ready: Callable[[], bool] | None = None
    announce: str | None = None


@dataclass(frozen=True, kw_only=True)
class Backoff:
    """Seconds before restart n of a child that keeps dying: first, 2×first, … at most `most`;
    a child that ran `stable` seconds starts the count again."""

    first: float = 1.0
    most: float = 60.0
    stable: float = 60.0

    def delay(self, failures: int) -> float:
        return float(min(self.first * 2 ** max(failures - 1, 0), self.most))


@dataclass
class Slot:
    spec: ChildSpec
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    due: float | None = None
    failures: int = 0
    restarts: int = 0
    ready: bool = False
    was_ready: bool = False
    done: bool = False


@dataclass
class Supervisor:
    """Children in start order (stopped in reverse); `server` names the Prefect server's."""

    specs: Sequence[ChildSpec]
    env: Mapping[str, str]
    cwd: Path
    server: str | None = None
    startup: float = 600.0  # how long a child may take to become ready
    grace: float = 10.0
    backoff: Backoff = field(default_factory=Backoff)
    say: Say = print
    stopping: threading.Event = field(default_factory=threading.Event)
    slots: list[Slot] = field(init=False)

    def __post_init__(self) -> None:
        self.slots = [Slot(spec=spec) for spec in self.specs]

    def supervise(self, interval: float = 0.5) -> None:
        """Start every child, then keep them running until `stopping` is set."""
        now = time.monotonic()
        for slot in self.slots:
            slot.due = now
        self.tick()
        while not self.stopping.wait(interval):
            self.tick()

    def tick(self) -> None:
        """Notice exits and readiness, then start what is due and may start."""
        for slot in self.slots:
            self._watch(slot)
        for slot in self.slots:
            if self.stopping.is_set():
                return
            if slot.due is not None and time.monotonic() >= slot.due and self._may_start(slot):
                self._start(slot)

    def stop(self) -> None:
        """Newest first (the web app before the Prefect server); each whole process group."""
        for slot in reversed(self.slots):
            if slot.process is not None:
                stop_group(slot.process, grace=self.grace)
                slot.process = None

    def slot(self, name: str) -> Slot:
        return next(slot for slot in self.slots if slot.spec.name == name)

    def _may_start(self, slot: Slot) -> bool:
        if not slot.spec.needs_prefect or self.server is None or slot.spec.name == self.server:
            return True
        return self.slot(self.server).ready

    def _start(self, slot: Slot) -> None:
        env = {**self.env, **slot.spec.env}
        slot.process = spawn(slot.spec.argv, env=env, cwd=self.cwd)
        slot.started, slot.due, slot.ready = time.monotonic(), None, False

    def _watch(self, slot: Slot) -> None:
        process = slot.process
        if process is None:
            return
        code = process.poll()
        if code is None:
            self._check_ready(slot)
            return
        stop_group(process, grace=self.grace)  # what it started may still hold its port
        lived = time.monotonic() - slot.started
        slot.process, slot.ready = None, False
        if slot.spec.once and code == 0:
            slot.done = True
            return
        self._schedule(slot, f"{slot.spec.name} 已退出(返回码 {code},运行 {lived:.0f} 秒)")
        if slot.spec.name == self.server:
            self.say("Prefect 服务不可用:网页照常办理,决定后的后续步骤待服务恢复后执行")

    def _check_ready(self, slot: Slot) -> None:
        if slot.ready:
            return
        check = slot.spec.ready
        if check is None or check():
            slot.ready = True
            if slot.spec.once:
                pass  # a set-up step speaks for itself
            elif slot.was_ready:
                self.say(f"{slot.spec.name} 已恢复运行")
            elif slot.spec.announce:
                self.say(slot.spec.announce)
            slot.was_ready = True
            if slot.spec.name == self.server:
                self._server_ready()
        elif time.monotonic() - slot.started > self.startup:
            assert slot.process is not None
            stop_group(slot.process, grace=self.grace)
            slot.process = None
            self._schedule(slot, f"{slot.spec.name} {self.startup:.0f} 秒内未就绪,已停止")

    def _server_ready(self) -> None:
        """Set-up steps run again: a server that came back may have lost what they made."""
        for slot in self.slots:
            if slot.spec.once and slot.done:
                slot.done, slot.due = False, time.monotonic()

    def _schedule(self, slot: Slot, what: str) -> None:
        lived = time.monotonic() - slot.started
        slot.failures = 1 if lived >= self.backoff.stable else slot.failures + 1
        delay = self.backoff.delay(slot.failures)
        slot.restarts += 1
        slot.due = time.monotonic() + delay
        self.say(f"{what};{delay:.0f} 秒后第 {slot.restarts} 次重启")
