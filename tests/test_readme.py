"""The README's two commands are the ones CI runs, so a green CI proves them."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## On a fresh machine", 1)[1]
    return re.findall(r"```bash\n(.+?)\n```", section, flags=re.S)[:2]


def test_ci_runs_the_readme_commands_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install, tests = readme_commands()
    assert install.startswith("python3 -m venv .venv") and "pip install torch==2.13.0" in install
    assert install in ci
    assert tests in ci
