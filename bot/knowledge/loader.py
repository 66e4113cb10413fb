"""Load and validate the YAML knowledge base; every error names its file and line.

YAML is read with PyYAML's SafeLoader only (no object construction), and files are only read from inside the
configured knowledge directories (symlinks that leave them are refused).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from bot.errors import KnowledgeError
from bot.knowledge.model import (
    CHECK_KINDS,
    EMOJI_POLICIES,
    HASHTAG_PLACEMENTS,
    HASHTAG_STYLES,
    HOOK_STRATEGIES,
    LANGS,
    LAYOUTS,
    LEVELS,
    LINK_POLICIES,
    OVERFLOWS,
    PRINCIPLE_IDS,
    REGISTERS,
    Antipattern,
    Engagement,
    EngagementTier,
    KnowledgeBase,
    Platform,
    Principle,
    RewriteStyle,
    Rule,
)

ID_RE = re.compile(r"^[a-z0-9_]+$")
RULE_ID_RE = re.compile(r"^[a-z0-9_]+\.[a-z0-9][a-z0-9-]*$")
SECTIONS = ("platforms", "principles", "antipatterns")


class _Map(dict):
    """A mapping that remembers the line of each key (1-based)."""

    line = 0
    key_lines: dict


class _Seq(list):
    line = 0
    item_lines: list


# libyaml's CSafeLoader when PyYAML was built with it (parses the knowledge base ~10x faster: most of a cold start's
# overhead otherwise); the pure-Python SafeLoader elsewhere. Both are safe loaders with the same node marks.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):
    """A safe loader that keeps line numbers so schema errors can point at the right line."""


def _construct_map(loader, node):
    loader.flatten_mapping(node)
    out = _Map()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise KnowledgeError("", key_node.start_mark.line + 1, f"duplicate key {key!r}")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_seq(loader, node):
    out = _Seq(loader.construct_object(n, deep=True) for n in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [n.start_mark.line + 1 for n in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


class _Checker:
    """Schema checks for one file; `fail` raises with the file and the best line known."""

    def __init__(self, path: Path):
        self.path = str(path)

    def fail(self, where, message: str, key=None):
        line = None
        if isinstance(where, _Map):
            line = where.key_lines.get(key, where.line) if key is not None else where.line
        elif isinstance(where, _Seq):
            line = where.line
        elif isinstance(where, int):
            line = where
        raise KnowledgeError(self.path, line, message)

    def mapping(self, parent, key, required=True) -> _Map:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(parent, f"missing required key '{key}'")
            empty = _Map()
            empty.line, empty.key_lines = parent.line, {}
            return empty
        if not isinstance(value, dict):
            self.fail(parent, f"'{key}' must be a mapping", key)
        return value

    def string(self, parent, key, required=True) -> str:
        value = parent.get(key)
        if value is None or value == "":
            if required:
                self.fail(parent, f"missing required key '{key}'")
            return ""
        if not isinstance(value, str):
            self.fail(parent, f"'{key}' must be text", key)
        return value

    def number(self, parent, key, required=True, allow_null=False, kind=(int, float)):
        if key not in parent or parent[key] is None:
            if required and not allow_null:
                self.fail(parent, f"missing required number '{key}'")
            return None
        value = parent[key]
        if isinstance(value, bool) or not isinstance(value, kind) or value < 0:
            self.fail(parent, f"'{key}' must be a non-negative number, got {value!r}", key)
        return value

    def flag(self, parent, key, default: bool) -> bool:
        value = parent.get(key, default)
        if not isinstance(value, bool):
            self.fail(parent, f"'{key}' must be true or false, got {value!r}", key)
        return value

    def choice(self, parent, key, allowed) -> str:
        value = self.string(parent, key)
        if value not in allowed:
            self.fail(parent, f"'{key}' is {value!r}; allowed: {', '.join(allowed)}", key)
        return value

    def bilingual(self, parent, key, required=True) -> dict:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(parent, f"missing required key '{key}' (text in en and fr)")
            return {}
        if isinstance(value, str):
            self.fail(parent, f"'{key}' must give both languages: {{en: …, fr: …}}", key)
        if not isinstance(value, dict):
            self.fail(parent, f"'{key}' must be a mapping {{en: …, fr: …}}", key)
        for lang in LANGS:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.fail(value, f"'{key}' needs non-empty text for '{lang}'")
        return {lang: value[lang].strip() for lang in LANGS}

    def texts(self, parent, key, minimum: int) -> dict[str, list[str]]:
        """A {en: [..], fr: [..]} list of short texts with at least `minimum` per language."""
        value = self.mapping(parent, key)
        out = {}
        for lang in LANGS:
            items = value.get(lang)
            if not isinstance(items, list):
                self.fail(value, f"'{key}.{lang}' must be a list of texts", lang if lang in value else None)
            for i, item in enumerate(items):
                if not isinstance(item, str) or not item.strip():
                    self.fail(items.item_lines[i], f"'{key}.{lang}' item {i + 1} must be non-empty text")
            if len(items) < minimum:
                self.fail(value, f"'{key}.{lang}' has {len(items)} entries; at least {minimum} needed", lang)
            out[lang] = [t.strip() for t in items]
        return out

    def rules(self, parent, owner: str) -> list[Rule]:
        items = parent.get("rules") or []
        if not isinstance(items, list):
            self.fail(parent, "'rules' must be a list", "rules")
        rules = []
        for raw in items:
            if not isinstance(raw, dict):
                self.fail(items, "each rule must be a mapping")
            rid = self.string(raw, "id")
            if not RULE_ID_RE.match(rid) or rid.split(".")[0] != owner:
                self.fail(raw, f"rule id {rid!r} must look like '{owner}.kebab-name'", "id")
            level = self.choice(raw, "level", LEVELS)
            message = self.bilingual(raw, "message")
            check = self.mapping(raw, "check")
            kinds = [k for k in check if k in CHECK_KINDS]
            extra = sorted(set(check) - set(CHECK_KINDS) - {"expect", "flags"})
            if extra:
                self.fail(check, f"unknown check key {extra[0]!r}; allowed: {', '.join(CHECK_KINDS)}", extra[0])
            if len(kinds) != 1:
                self.fail(check, f"rule {rid}: a check needs exactly one of: {', '.join(CHECK_KINDS)}")
            kind = kinds[0]
            value = check[kind]
            expect = check.get("expect", "absent")
            if expect not in ("absent", "present"):
                self.fail(check, "'expect' must be absent or present", "expect")
            flags = check.get("flags", "i")
            if kind == "pattern":
                patterns = value if isinstance(value, dict) else {"*": value}
                for lang, pat in patterns.items():
                    if lang not in (*LANGS, "*") or not isinstance(pat, str):
                        self.fail(check, f"rule {rid}: pattern must be a regex or {{en: regex, fr: regex}}", kind)
                    try:
                        re.compile(pat)
                    except re.error as exc:
                        self.fail(check, f"rule {rid}: invalid regex for {lang}: {exc}", kind)
            elif kind == "tokens":
                if not isinstance(value, dict) or not all(
                    isinstance(value.get(lang, []), list) for lang in value
                ):
                    self.fail(check, f"rule {rid}: tokens must be {{en: [..], fr: [..]}}", kind)
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    self.fail(check, f"rule {rid}: {kind} must be a non-negative number, got {value!r}", kind)
            link = raw.get("link") or ""
            rules.append(Rule(rid, level, message, kind, value, expect, flags, link, f"{self.path}:{raw.line}"))
        return rules


def _read(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(str(path), None, f"not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise KnowledgeError(str(path), None, f"cannot read ({exc.strerror})") from exc
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader subclass
    except KnowledgeError as exc:
        raise KnowledgeError(str(path), exc.line, exc.detail) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError(str(path), mark.line + 1 if mark else None, f"YAML syntax error: {problem}") from None
    if not isinstance(data, _Map):
        raise KnowledgeError(str(path), 1, "expected a mapping at the top level")
    return text, data


def _entry_id(c: _Checker, data: _Map, path: Path) -> str:
    eid = c.string(data, "id")
    if not ID_RE.match(eid):
        c.fail(data, f"id {eid!r} must be lowercase letters, digits and underscores", "id")
    if eid != path.stem:
        c.fail(data, f"id {eid!r} must match the file name {path.stem!r}", "id")
    return eid


def _paragraph_sentences(c: _Checker, rw: _Map) -> int:
    value = c.number(rw, "paragraph_sentences", required=False, kind=int)
    if value is None:
        return 3
    if value < 1:
        c.fail(rw, "'paragraph_sentences' must be at least 1", "paragraph_sentences")
    return value


def parse_platform(path: Path, data: _Map) -> Platform:
    c = _Checker(path)
    pid = _entry_id(c, data, path)
    limits = c.mapping(data, "limits")
    for key, value in limits.items():
        if value is not None and not isinstance(value, (int, float, bool)):
            c.fail(limits, f"limit '{key}' must be a number, true/false or null", key)
    if not isinstance(limits.get("max_chars"), int):
        c.fail(limits, "limits.max_chars must be a whole number", "max_chars" if "max_chars" in limits else None)
    norms = c.mapping(data, "norms")
    for key in norms:
        c.bilingual(norms, key)
    rw = c.mapping(data, "rewrite")
    tags = c.mapping(rw, "hashtags")
    style = RewriteStyle(
        target_chars=c.number(rw, "target_chars", kind=int),
        hook_max_chars=c.number(rw, "hook_max_chars", kind=int),
        layout=c.choice(rw, "layout", LAYOUTS),
        hashtag_count=c.number(tags, "count", kind=int),
        hashtag_style=c.choice(tags, "style", HASHTAG_STYLES),
        hashtag_placement=c.choice(tags, "placement", HASHTAG_PLACEMENTS),
        links=c.choice(rw, "links", LINK_POLICIES),
        emoji=c.choice(rw, "emoji", EMOJI_POLICIES),
        cta=c.bilingual(rw, "cta", required=False),
        disclosure=c.bilingual(rw, "disclosure"),
        hook=c.choice(rw, "hook", HOOK_STRATEGIES) if "hook" in rw else "first",
        register=c.choice(rw, "register", REGISTERS) if "register" in rw else "written",
        paragraph_sentences=_paragraph_sentences(c, rw),
        openers=c.texts(rw, "openers", 1) if "openers" in rw else {},
        question_openers=c.texts(rw, "question_openers", 1) if "question_openers" in rw else {},
        after_question=c.bilingual(rw, "after_question", required=False),
        overflow=c.choice(rw, "overflow", OVERFLOWS) if "overflow" in rw else "keep",
        chapters=c.flag(rw, "chapters", False),
    )
    eng = c.mapping(data, "engagement")
    tiers_raw = eng.get("tiers")
    if not isinstance(tiers_raw, list) or not tiers_raw:
        c.fail(eng, "engagement.tiers must be a non-empty list", "tiers" if "tiers" in eng else None)
    tiers = []
    for t in tiers_raw:
        if not isinstance(t, dict):
            c.fail(tiers_raw, "each engagement tier must be a mapping")
        low, high = c.number(t, "low"), c.number(t, "high")
        if low > high or high > 1:
            c.fail(t, "engagement tier needs 0 <= low <= high <= 1 (fractions, not percents)")
        tiers.append(EngagementTier(c.number(t, "max_followers", allow_null=True, kind=int), low, high))
    if tiers[-1].max_followers is not None:
        c.fail(tiers_raw, "the last engagement tier must have max_followers: null (no upper bound)")
    floor = c.number(eng, "views_floor", required=False)
    engagement = Engagement(bool(eng.get("has_views", False)), c.string(eng, "source"), tuple(tiers),
                            0.03 if floor is None else float(floor), bool(eng.get("has_comments", True)))
    ex = c.mapping(data, "exemplars")
    return Platform(
        id=pid,
        name=c.string(data, "name"),
        subculture=c.bilingual(data, "subculture"),
        limits=dict(limits),
        norms={k: dict(v) for k, v in norms.items()},
        rewrite=style,
        engagement=engagement,
        rules=c.rules(data, pid),
        fit=c.texts(ex, "fit", 8),
        clash=c.texts(ex, "clash", 4),
        path=str(path),
    )


def parse_principle(path: Path, data: _Map) -> Principle:
    c = _Checker(path)
    pid = _entry_id(c, data, path)
    if pid not in PRINCIPLE_IDS:
        c.fail(data, f"unknown principle {pid!r}; Cialdini's seven are: {', '.join(PRINCIPLE_IDS)}", "id")
    by_platform = c.mapping(data, "by_platform", required=False)
    patterns = c.mapping(data, "patterns", required=False)
    for lang, regexes in patterns.items():
        if lang not in (*LANGS, "*") or not isinstance(regexes, list):
            c.fail(patterns, "patterns must be {en: [regex…], fr: [regex…], '*': [regex…]}", lang)
        for i, rx in enumerate(regexes):
            try:
                re.compile(rx)
            except (re.error, TypeError) as exc:
                c.fail(regexes.item_lines[i], f"patterns.{lang} item {i + 1}: invalid regex ({exc})")
    yields = data.get("cues_yield_to") or []
    if not isinstance(yields, list) or any(y not in PRINCIPLE_IDS or y == pid for y in yields):
        c.fail(data, f"cues_yield_to must list other principles among: {', '.join(PRINCIPLE_IDS)}", "cues_yield_to")
    return Principle(
        id=pid,
        name=c.bilingual(data, "name"),
        definition=c.bilingual(data, "definition"),
        how_it_shows=c.bilingual(data, "how_it_shows"),
        cues=c.texts(data, "cues", 3),
        exemplars=c.texts(data, "exemplars", 10),
        near_misses=c.texts(data, "near_misses", 5),
        ethics=c.bilingual(data, "ethics"),
        by_platform={k: c.bilingual(by_platform, k) for k in by_platform},
        patterns={k: list(v) for k, v in patterns.items()},
        cues_yield_to=list(yields),
        path=str(path),
    )


def parse_antipattern(path: Path, data: _Map) -> Antipattern:
    c = _Checker(path)
    aid = _entry_id(c, data, path)
    known = {"id", "name", "description", "advice", "rules", "exemplars"}
    return Antipattern(
        id=aid,
        name=c.bilingual(data, "name"),
        description=c.bilingual(data, "description"),
        advice=c.bilingual(data, "advice"),
        rules=c.rules(data, aid),
        exemplars=c.texts(data, "exemplars", 3),
        extra={k: v for k, v in data.items() if k not in known},
        path=str(path),
    )


_PARSERS = {"platforms": parse_platform, "principles": parse_principle, "antipatterns": parse_antipattern}


def _files(root: Path, section: str) -> list[Path]:
    folder = root / section
    if not folder.is_dir():
        return []
    base = root.resolve()
    out = []
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        if not path.resolve().is_relative_to(base):
            raise KnowledgeError(str(path), None, "points outside the knowledge directory; refused")
        out.append(path)
    return out


def load_knowledge(
    dirs: list[Path], disabled_rules: list[str] = (), accept: list[str] = (), reject: list[str] = ()
) -> KnowledgeBase:
    """Load the base from `dirs` (later directories override entries with the same id) and validate it."""
    if not dirs or not dirs[0].is_dir():
        where = dirs[0] if dirs else "(none)"
        raise KnowledgeError(str(where), None, "knowledge directory not found (set knowledge.dir in config.yaml)")
    digest = hashlib.sha256()
    found: dict[str, dict] = {s: {} for s in SECTIONS}
    for root in dirs:
        if not root.is_dir():
            raise KnowledgeError(str(root), None, "knowledge directory not found (knowledge.extra_dirs)")
        for section in SECTIONS:
            for path in _files(root, section):
                text, data = _read(path)
                digest.update(path.name.encode() + b"\0" + text.encode())
                entry = _PARSERS[section](path, data)
                found[section][entry.id] = entry
    platforms, principles, antipatterns = found["platforms"], found["principles"], found["antipatterns"]
    if not platforms:
        raise KnowledgeError(str(dirs[0]), None, "no platform files under platforms/")
    missing = [p for p in PRINCIPLE_IDS if p not in principles]
    if missing:
        raise KnowledgeError(str(dirs[0] / "principles"), None, f"missing principle files: {', '.join(missing)}")
    seen: dict[str, str] = {}
    disabled = set(disabled_rules)
    for entry in [*platforms.values(), *antipatterns.values()]:
        for rule in entry.rules:
            if rule.id in seen:
                raise KnowledgeError(rule.source, None, f"rule id {rule.id!r} already used at {seen[rule.id]}")
            seen[rule.id] = rule.source
        entry.rules = [r for r in entry.rules if r.id not in disabled]
    unknown = sorted(disabled - set(seen))
    if unknown:
        raise KnowledgeError("config.yaml", None, f"knowledge.disabled_rules: no rule with id {unknown[0]!r}")
    digest.update(repr(sorted(disabled)).encode() + repr((list(accept), list(reject))).encode())
    return KnowledgeBase(
        platforms=dict(sorted(platforms.items())),
        principles={pid: principles[pid] for pid in PRINCIPLE_IDS},
        antipatterns=dict(sorted(antipatterns.items())),
        content_hash=digest.hexdigest()[:16],
        accept_words=list(accept),
        reject_words=list(reject),
    )


def load_from_settings(settings) -> KnowledgeBase:
    k = settings.knowledge
    return load_knowledge(settings.knowledge_dirs, k.disabled_rules, k.vocabulary.accept, k.vocabulary.reject)
