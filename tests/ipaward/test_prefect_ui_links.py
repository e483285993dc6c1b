"""Links into the Prefect UI follow the configured address and a filter the UI honours."""

from __future__ import annotations

from ipaward.prefect_ui_links import (
    DEFAULT_UI_URL,
    application_runs_url,
    flow_run_url,
    runs_url,
    ui_url,
)


def test_the_ui_address_is_configured_or_beside_the_api() -> None:
    assert ui_url({"PREFECT_UI_URL": "http://ui.example:4300/"}) == "http://ui.example:4300"
    assert ui_url({"PREFECT_API_URL": "http://127.0.0.1:4311/api"}) == "http://127.0.0.1:4311"
    assert ui_url({}) == DEFAULT_UI_URL


def test_links_open_one_run_or_the_runs_page_filtered_by_tag() -> None:
    base = "http://127.0.0.1:4311/"
    run = "0b7c5f0e-3c1d-4c59-9a53-3f1e2d8e9a10"
    assert flow_run_url(base, run) == f"http://127.0.0.1:4311/runs/flow-run/{run}"
    number = "ZZIP-2024-M07-000001"
    assert application_runs_url(base, number) == (
        f"http://127.0.0.1:4311/runs?tag=app%3A{number}&type=span&seconds=-189734400"
    )
    assert runs_url(base, "measure:M07", "state:paid").startswith(
        "http://127.0.0.1:4311/runs?tag=measure%3AM07&tag=state%3Apaid&type=span"
    )
