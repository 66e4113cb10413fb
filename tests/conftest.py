"""Shared fixtures: one engine per test session (models load once), temporary config and databases."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    from bot.config import load_settings

    s = load_settings(ROOT / "config.yaml")
    s.database_url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    return s


@pytest.fixture(scope="session")
def service(settings):
    from bot.service import Crowdculture

    svc = Crowdculture(settings)
    svc.analyzer.warm_up()
    return svc


@pytest.fixture(scope="session")
def kb(service):
    return service.kb


@pytest.fixture
def kb_copy(tmp_path):
    """A writable copy of the shipped knowledge base, for tests that break a file on purpose."""
    dest = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, dest, ignore=shutil.ignore_patterns("README.md"))
    return dest
