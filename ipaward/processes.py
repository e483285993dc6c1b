"""Child processes as `ipaward serve` handles them: each in its own process group (a terminal's
Ctrl-C reaches only the supervisor, which stops them in order), stopped as a whole group, and
probed for readiness without blocking for long."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path


def spawn(argv: Sequence[str], *, env: Mapping[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    """Start `argv` as the leader of a new session (its own process group)."""
    return subprocess.Popen(list(argv), cwd=cwd, env=dict(env), start_new_session=True)


def stop_group(process: subprocess.Popen[bytes], *, grace: float) -> None:
    """SIGINT to the child's whole group; SIGTERM, then SIGKILL, to what is still there.
    Also after the leader died: what it started may still hold its port."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            process.poll()  # reap the leader, so only live members count
            if not group_alive(process.pid):
                break
            time.sleep(0.1)
        else:
            continue
        break
    process.poll()


def group_alive(pgid: int) -> bool:
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


def answers(url: str, *, timeout: float = 2.0) -> bool:
    """Whether `url` answers HTTP 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def listens(host: str, port: int, *, timeout: float = 1.0) -> bool:
    """Whether something accepts connections on host:port now."""
    with socket.socket() as probe:
        probe.settimeout(timeout)
        return probe.connect_ex((host, port)) == 0
