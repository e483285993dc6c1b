"""Prefect for the test session: the project's Prefect environment, set before any test module
imports Prefect, and ONE real Prefect API (`prefect_test_harness`) started only when a test
asks for `prefect_api`. Its start-up wait is the project's one setting
(IPAWARD_PREFECT_STARTUP_SECONDS): on a machine whose cores were busy the harness's own 30 s
default was missed. Heartbeats are off, so a synchronous flow run does not pay the extra
second of joining the heartbeat thread."""

from __future__ import annotations

import atexit
import math
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

from ipaward.settings import apply_prefect_environment, prefect_startup_seconds


def use_project_prefect_environment() -> None:
    """Prefect's home in a folder of this session (not ./var, which the demo uses)."""
    if "PREFECT_HOME" not in os.environ:
        home = tempfile.mkdtemp(prefix="ipaward-test-prefect-")
        atexit.register(shutil.rmtree, home, True)
        os.environ["PREFECT_HOME"] = home
    apply_prefect_environment()


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    startup = math.ceil(prefect_startup_seconds())
    with (
        prefect_test_harness(server_startup_timeout=startup),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield
