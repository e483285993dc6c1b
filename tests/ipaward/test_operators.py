"""Where operators hear of failed runs (config/operators.toml): the web app's mailbox by
default, with a token only the web app's secret yields; any apprise URL otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipaward.config.config_errors import ConfigError
from ipaward.operators import failure_target, mailbox_token, token_ok
from ipaward.settings import Settings, load_settings


def settings_with(tmp_path: Path, text: str | None) -> Settings:
    config = tmp_path / "config"
    config.mkdir()
    if text is not None:
        (config / "operators.toml").write_text(text, encoding="utf-8")
    return load_settings({"IPAWARD_HOME": str(tmp_path), "IPAWARD_CONFIG_DIR": str(config)})


def test_by_default_the_prefect_server_posts_to_the_web_apps_mailbox() -> None:
    target = failure_target(load_settings({}), web="http://127.0.0.1:8123", secret=b"s", env={})
    assert target.mailbox
    token = mailbox_token(b"s")
    assert target.url == (f"json://127.0.0.1:8123/api/operator-notices?+X-Ipaward-Token={token}")
    assert token_ok(b"s", token) and not token_ok(b"other", token) and not token_ok(b"s", None)


def test_a_secret_url_comes_from_the_environment(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, '[failures]\nurl_env = "OPS_URL"\n')
    url = "mailtos://ops:secret@smtp.example.org?to=ops@example.org"
    target = failure_target(settings, web="http://x:1", secret=b"s", env={"OPS_URL": url})
    assert (target.url, target.mailbox) == (url, False)
    with pytest.raises(ConfigError, match=r"failures\.url_env"):
        failure_target(settings, web="http://x:1", secret=b"s", env={})


def test_a_url_apprise_does_not_know_is_refused(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, '[failures]\nurl = "nosuch://where"\n')
    with pytest.raises(ConfigError, match="apprise does not recognise"):
        failure_target(settings, web="http://x:1", secret=b"s", env={})
