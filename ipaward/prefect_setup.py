"""`ipaward prefect-setup`: what the project keeps on its Prefect server, made idempotently.

Today one thing: an automation that notifies operators when a flow run of the project's
deployments (every one carries the tag `ipaward`) ends Failed or Crashed. The message goes to
the target of config/operators.toml through a notification block; running the set-up again
updates the block and the automation in place (found by name), never adds a second one.
`ipaward serve` runs it each time its Prefect server has (re)started.

Prefect 3.9: an `EventTrigger` on `prefect.flow-run.Failed`/`Crashed` events whose related
resources include the tag, and a `SendNotification` action naming a block document. Any
apprise URL goes into a `SlackWebhook` block (Prefect's apprise-backed block with a free
URL; a project-defined block type would have to be importable inside the server).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from ipaward.settings import Settings, apply_prefect_environment, load_settings

AUTOMATION_NAME = "ipaward: 运行失败或崩溃时通知运维"
BLOCK_NAME = "ipaward-operators"
PROJECT_TAG = "ipaward"
FAILED_EVENTS = ("prefect.flow-run.Failed", "prefect.flow-run.Crashed")
SUBJECT = "ipaward 流程运行 {{ flow_run.state.name }}:{{ flow_run.name }}"
BODY = """\
流程 {{ flow.name }} 的运行 {{ flow_run.name }} 结束于 {{ flow_run.state.name }}。
{% if deployment %}部署:{{ deployment.name }}
{% endif %}原因:{{ flow_run.state.message }}
标签:{{ flow_run.tags | join(", ") }}
{% set link = flow_run | ui_url %}{% if link %}查看:{{ link }}{% endif %}
"""
DEFAULT_WEB = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class SetupResult:
    automation_id: UUID
    block_document_id: UUID
    created: bool  # False: an existing automation was updated
    target_is_mailbox: bool


def ensure_failure_automation(url: str, *, tag: str = PROJECT_TAG) -> tuple[UUID, UUID, bool]:
    """The block and the automation, created or updated on the current Prefect API:
    (automation id, block document id, created)."""
    from prefect.automations import (
        AutomationCore,
        EventTrigger,
        Posture,
        ResourceSpecification,
        SendNotification,
    )
    from prefect.blocks.notifications import SlackWebhook
    from prefect.client.orchestration import get_client
    from pydantic import SecretStr

    block_id = SlackWebhook(url=SecretStr(url), notify_type="failure").save(
        BLOCK_NAME, overwrite=True
    )
    assert isinstance(block_id, UUID)  # save() is synchronous here (no event loop)
    automation = AutomationCore(
        name=AUTOMATION_NAME,
        description="ipaward 的部署(标签 ipaward)有流程运行失败或崩溃时,按 config/operators.toml 通知运维。",
        enabled=True,
        trigger=EventTrigger(
            match=ResourceSpecification({"prefect.resource.id": "prefect.flow-run.*"}),
            match_related=ResourceSpecification(
                {"prefect.resource.role": "tag", "prefect.resource.id": f"prefect.tag.{tag}"}
            ),
            expect=set(FAILED_EVENTS),
            for_each={"prefect.resource.id"},
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[SendNotification(block_document_id=block_id, subject=SUBJECT, body=BODY)],
    )
    with get_client(sync_client=True) as client:
        existing = sorted(client.read_automations_by_name(AUTOMATION_NAME), key=lambda a: a.id)
        for extra in existing[1:]:  # duplicates made by hand or by an older set-up
            client.delete_automation(extra.id)
        if existing:
            client.update_automation(existing[0].id, automation)
            return existing[0].id, block_id, False
        return client.create_automation(automation), block_id, True


def prefect_setup(
    settings: Settings, *, web: str = DEFAULT_WEB, env: Mapping[str, str] | None = None
) -> SetupResult:
    """Read the operators' target and make the automation; Prefect's environment first."""
    from ipaward.operators import failure_target
    from ipaward.web.web_settings import load_web_config

    source = os.environ if env is None else env
    secret = load_web_config(settings, source).secret
    target = failure_target(settings, web=web, secret=secret, env=source)
    apply_prefect_environment(settings)
    automation_id, block_id, created = ensure_failure_automation(target.url)
    return SetupResult(automation_id, block_id, created, target.mailbox)


def describe(result: SetupResult) -> str:
    done = "已创建" if result.created else "已更新"
    where = "网页的运维信箱" if result.target_is_mailbox else "config/operators.toml 所配地址"
    return f"Prefect 自动化“{AUTOMATION_NAME}”{done}:失败或崩溃的运行通知发往{where}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ipaward prefect-setup")
    parser.add_argument("--web", default=DEFAULT_WEB, help="the web app's address ({web})")
    args = parser.parse_args(argv)
    print(describe(prefect_setup(load_settings(), web=args.web)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
