"""Files a user supplies (config.yaml, knowledge directories) are read as plain data and only from where they say:
YAML is parsed with SafeLoader (a Python tag is refused, with file:line, and never runs), and neither a symlink
in a knowledge directory nor a relative `..` path in the config makes the app read files outside them.
(tests/test_knowledge.py covers a whole file made of one tag and a symlinked file; here: the rest.)"""

from __future__ import annotations

import os
import shutil

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.errors import ConfigError, KnowledgeError
from bot.knowledge import load_knowledge

TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:collections.OrderedDict {{}}",
    "!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
]


@pytest.mark.parametrize("tag", TAGS)
def test_python_tags_in_a_knowledge_file_are_refused_with_file_and_line(kb_copy, tmp_path, tag):
    marker = tmp_path / "pwned"
    path = kb_copy / "platforms" / "linkedin.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "evil: " + tag.format(marker=marker))  # inside an otherwise valid file, on line 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge([kb_copy])
    assert str(err.value).startswith(f"{path}:4: ") and "python/" in str(err.value)
    assert not marker.exists()


def test_python_tags_in_the_config_are_refused_with_file_and_line(tmp_path):
    marker = tmp_path / "pwned"
    config = tmp_path / "config.yaml"
    config.write_text(f"analysis:\n  max_draft_chars: 5000\nmodels:\n  embedding: !!python/object/apply:os.system "
                      f"['touch {marker}']\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(ConfigError, match=rf"^{config}:4: not valid YAML"):
        load_settings(config)
    assert not marker.exists()


def test_kb_validate_reports_a_python_tag_in_one_line(kb_copy, tmp_path, capsys):
    path = kb_copy / "antipatterns" / os.listdir(kb_copy / "antipatterns")[0]
    path.write_text(path.read_text(encoding="utf-8") + "x: !!python/name:os.system\n", encoding="utf-8")
    assert main(["kb", "validate", str(kb_copy)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "Traceback" not in err


def test_a_symlinked_section_directory_leading_outside_is_refused(kb_copy, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.move(kb_copy / "principles", outside)
    (kb_copy / "principles").symlink_to(outside, target_is_directory=True)
    with pytest.raises(KnowledgeError, match="outside the knowledge directory"):
        load_knowledge([kb_copy])


def test_a_symlink_chain_leading_outside_is_refused(kb_copy, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\n", encoding="utf-8")
    (kb_copy / "hop.yaml").symlink_to(secret)  # inside the directory, but pointing out of it
    (kb_copy / "antipatterns" / "secret.yaml").symlink_to(kb_copy / "hop.yaml")
    with pytest.raises(KnowledgeError, match=r"secret\.yaml: points outside the knowledge directory"):
        load_knowledge([kb_copy])


def test_symlinks_that_stay_inside_are_fine(kb_copy, tmp_path):
    """The rule is about where a file really is, so a symlinked base directory and links within it still load."""
    (kb_copy / "shared").mkdir()
    shutil.move(kb_copy / "platforms" / "x.yaml", kb_copy / "shared" / "x.yaml")
    (kb_copy / "platforms" / "x.yaml").symlink_to(kb_copy / "shared" / "x.yaml")
    link = tmp_path / "kb-link"
    link.symlink_to(kb_copy, target_is_directory=True)
    kb = load_knowledge([link])
    assert "x" in kb.platforms


def test_extra_dir_files_outside_their_own_directory_are_refused(kb_copy, tmp_path):
    team = tmp_path / "team"
    (team / "platforms").mkdir(parents=True)
    (team / "platforms" / "x.yaml").symlink_to(kb_copy / "platforms" / "x.yaml")  # into the base: still outside
    with pytest.raises(KnowledgeError, match="outside the knowledge directory"):
        load_knowledge([kb_copy, team])


@pytest.mark.parametrize("key, value", [
    ("dir", "../knowledge"), ("dir", "sub/../../knowledge"), ("extra_dirs", ["team", "../../etc"]),
])  # fmt: skip
def test_relative_config_paths_cannot_leave_the_config_directory(tmp_path, kb_copy, key, value):
    conf_dir = tmp_path / "conf"
    conf_dir.mkdir()
    config = conf_dir / "config.yaml"
    config.write_text(f"knowledge:\n  {key}: {value if isinstance(value, list) else repr(value)}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"knowledge\.(dir|extra_dirs\[1\]): .* leads outside the directory"):
        load_settings(config)


def test_a_relative_symlink_in_the_config_directory_cannot_lead_outside(tmp_path, kb_copy):
    conf_dir = tmp_path / "conf"
    conf_dir.mkdir()
    (conf_dir / "kb").symlink_to(kb_copy, target_is_directory=True)
    config = conf_dir / "config.yaml"
    config.write_text("knowledge:\n  dir: kb\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="leads outside"):
        load_settings(config)


def test_paths_inside_the_config_directory_and_absolute_paths_are_accepted(tmp_path, kb_copy):
    conf_dir = tmp_path / "conf"
    shutil.copytree(kb_copy, conf_dir / "knowledge")
    (conf_dir / "team").mkdir()
    config = conf_dir / "config.yaml"
    config.write_text(f"knowledge:\n  dir: ./knowledge\n  extra_dirs: [team, 'team/../team', {str(kb_copy)!r}]\n",
                      encoding="utf-8")  # fmt: skip
    settings = load_settings(config)
    assert [p.resolve() for p in settings.knowledge_dirs] == [
        (conf_dir / "knowledge").resolve(), (conf_dir / "team").resolve(), (conf_dir / "team").resolve(),
        kb_copy.resolve()]  # fmt: skip
