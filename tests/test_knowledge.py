"""The shipped knowledge base validates, and a broken file is reported with its file and line."""

import re
from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.knowledge import PRINCIPLE_IDS, load_knowledge

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"

REQUIRED_PLATFORMS = {"linkedin", "instagram", "tiktok", "x", "facebook", "youtube", "reddit", "pinterest",
                      "threads", "bluesky", "mastodon", "snapchat"}  # fmt: skip


@pytest.fixture(scope="module")
def shipped():
    return load_knowledge([KNOWLEDGE])


def test_shipped_base_has_every_platform_and_principle(shipped):
    assert set(shipped.platforms) >= REQUIRED_PLATFORMS
    assert tuple(shipped.principles) == PRINCIPLE_IDS
    assert len(shipped.antipatterns) >= 4


def test_shipped_base_content_in_both_languages(shipped):
    for p in shipped.platforms.values():
        for lang in ("en", "fr"):
            assert len(p.fit[lang]) >= 8, (p.id, lang)
            assert len(p.clash[lang]) >= 4, (p.id, lang)
        assert p.rules, p.id
    for pr in shipped.principles.values():
        for lang in ("en", "fr"):
            assert len(pr.exemplars[lang]) >= 10, (pr.id, lang)
            assert len(pr.near_misses[lang]) >= 5, (pr.id, lang)


def test_rule_ids_unique_and_levels_valid(shipped):
    ids = [r.id for r in shipped.all_rules()]
    assert len(ids) == len(set(ids))
    assert {r.level for r in shipped.all_rules()} <= {"error", "warning", "suggestion"}


def test_no_exemplar_is_shared_between_platform_files(shipped):
    seen = {}
    for p in shipped.platforms.values():
        for lang in ("en", "fr"):
            for text in p.fit[lang]:
                assert seen.setdefault(text, p.id) == p.id, f"{text!r} in {seen[text]} and {p.id}"


def _break(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path, needle):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def test_yaml_syntax_error_names_file_and_line(kb_copy):
    path = kb_copy / "platforms" / "linkedin.yaml"
    _break(path, "\nname:", "\nname: [unclosed\nbroken:")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge([kb_copy])
    assert err.value.path.endswith("linkedin.yaml")
    assert err.value.line is not None and err.value.line > 1
    assert re.search(r"linkedin\.yaml:\d+: YAML syntax error", str(err.value))


def test_invalid_level_points_at_the_rule_line(kb_copy):
    path = kb_copy / "platforms" / "x.yaml"
    text = path.read_text(encoding="utf-8")
    level = re.search(r"level: (error|warning|suggestion)", text).group(0)
    _break(path, level, "level: critical")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge([kb_copy])
    assert err.value.line == _line_of(path, "level: critical")
    assert "critical" in str(err.value) and "error, warning, suggestion" in str(err.value)


def test_missing_language_is_reported(kb_copy):
    path = kb_copy / "principles" / "scarcity.yaml"
    _break(path, "\n  fr:", "\n  de:")
    with pytest.raises(KnowledgeError, match=r"scarcity\.yaml:\d+: .*fr"):
        load_knowledge([kb_copy])


def test_bad_regex_is_reported(kb_copy):
    path = kb_copy / "antipatterns" / "empty_jargon.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# appended\n", encoding="utf-8")
    bad = kb_copy / "antipatterns" / "broken_rx.yaml"
    bad.write_text(
        "id: broken_rx\nname: {en: A, fr: A}\ndescription: {en: d, fr: d}\nadvice: {en: a, fr: a}\n"
        "exemplars: {en: [a, b, c], fr: [a, b, c]}\nrules:\n  - id: broken_rx.bad\n    level: warning\n"
        "    message: {en: m, fr: m}\n    check: {pattern: '(unclosed'}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as err:
        load_knowledge([kb_copy])
    assert "broken_rx.yaml:10" in str(err.value) and "invalid regex" in str(err.value)


def test_cues_yield_to_names_other_principles(kb_copy):
    assert load_knowledge([kb_copy]).principles["liking"].cues_yield_to == ["unity"]
    path = kb_copy / "principles" / "liking.yaml"
    _break(path, "cues_yield_to: [unity]", "cues_yield_to: [unity, friendship]")
    with pytest.raises(KnowledgeError, match=r"liking\.yaml:\d+: cues_yield_to must list other principles"):
        load_knowledge([kb_copy])
    _break(path, "cues_yield_to: [unity, friendship]", "cues_yield_to: [liking]")
    with pytest.raises(KnowledgeError, match="cues_yield_to"):
        load_knowledge([kb_copy])


def test_unsafe_yaml_tags_are_refused(kb_copy):
    path = kb_copy / "platforms" / "x.yaml"
    path.write_text("!!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="x.yaml"):
        load_knowledge([kb_copy])


def test_symlink_outside_the_directory_is_refused(kb_copy, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text((kb_copy / "platforms" / "x.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (kb_copy / "platforms" / "evil.yaml").symlink_to(outside)
    with pytest.raises(KnowledgeError, match="outside the knowledge directory"):
        load_knowledge([kb_copy])


def test_extra_dir_overrides_and_rules_switch_off(kb_copy, tmp_path):
    team = tmp_path / "team" / "platforms"
    team.mkdir(parents=True)
    src = (kb_copy / "platforms" / "x.yaml").read_text(encoding="utf-8")
    (team / "x.yaml").write_text(re.sub(r"(?m)^name: .*$", "name: X (team)", src, count=1), encoding="utf-8")
    base = load_knowledge([kb_copy])
    rule = base.platforms["linkedin"].rules[0].id
    kb = load_knowledge([kb_copy, tmp_path / "team"], disabled_rules=[rule])
    assert kb.platforms["x"].name == "X (team)"
    assert rule not in [r.id for r in kb.platforms["linkedin"].rules]
    assert kb.content_hash != base.content_hash
    with pytest.raises(KnowledgeError, match="no rule with id"):
        load_knowledge([kb_copy], disabled_rules=["linkedin.no-such-rule"])
