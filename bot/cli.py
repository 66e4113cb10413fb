"""The `crowdculture` command line (also `python -m bot`). Contract: ../shared/DESIGN.md, "CLI contract".

Exit codes: 0 ok, 2 usage or input error (one line on stderr), 1 internal error. Heavy imports (torch, spaCy,
Slack) happen inside the verbs that need them, so `--help` and input errors answer at once.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from bot import __version__
from bot.errors import CrowdcultureError, UsageError

log = logging.getLogger("crowdculture")
FORMATS = ("text", "json")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line and exit 2, as for every input error
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="crowdculture", description="Check social-media drafts against platform cultures and "
                "influence principles; catch copy-paste across platforms.")  # fmt: skip
    p.add_argument("--config", help="config file (default ./config.yaml, then $CROWDCULTURE_CONFIG, then built-in)")
    p.add_argument("--db", help="SQLAlchemy database URL (default: SQLite in the user's data directory)")
    p.add_argument("--version", action="version", version=f"crowdculture {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens on stderr")
    sub = p.add_subparsers(dest="verb", required=True, parser_class=_Parser, metavar="VERB")

    c = sub.add_parser("check", help="check a draft (text, -f FILE, or - for stdin)")
    c.add_argument("text", nargs="?", help="the draft text, or - to read stdin")
    c.add_argument("-f", "--file", help="read the draft from FILE")
    c.add_argument("--platform", action="append", default=[], help="platform the draft is meant for (repeatable)")
    c.add_argument("--rewrite", action="append", default=[], help="rewrite for platform P (repeatable, or 'all')")
    c.add_argument("--history", help="compare with the posts of FILE.jsonl instead of the post store")
    c.add_argument("--record", action="store_true", help="store the checked draft in the post history")
    c.add_argument("--lang", default="auto", choices=("auto", "en", "fr"))
    c.add_argument("--format", default="text", choices=("text", "json", "jsonl"))
    c.add_argument("--all", action="store_true", help="text format: list every platform")

    r = sub.add_parser("reuse", help="find copy-paste between the posts of a JSONL file")
    r.add_argument("file")
    r.add_argument("--format", default="text", choices=FORMATS)

    k = sub.add_parser("kb", help="the knowledge base: validate, show")
    ksub = k.add_subparsers(dest="kb_verb", required=True, parser_class=_Parser, metavar="ACTION")
    kv = ksub.add_parser("validate", help="check every knowledge-base file")
    kv.add_argument("dir", nargs="?", help="knowledge directory (default: the configured one)")
    ks = ksub.add_parser("show", help="print one platform, principle or anti-pattern")
    ks.add_argument("id")
    ks.add_argument("--lang", default="en", choices=("en", "fr"))

    h = sub.add_parser("history", help="the post history: import, list, purge")
    hsub = h.add_subparsers(dest="history_verb", required=True, parser_class=_Parser, metavar="ACTION")
    hi = hsub.add_parser("import", help="store the posts of FILE.jsonl")
    hi.add_argument("file")
    hi.add_argument("--workspace", default="cli", help="workspace the posts belong to (default: cli)")
    hl = hsub.add_parser("list", help="list stored posts")
    hl.add_argument("--limit", type=int, default=20)
    hl.add_argument("--format", default="text", choices=FORMATS)
    hp = hsub.add_parser("purge", help="delete posts older than a duration (e.g. 90d; default history.retention_days)")
    hp.add_argument("--older-than", help="e.g. 90d, 12w, 36h (default: history.retention_days of the config)")
    hp.add_argument("--workspace", help="only this workspace's posts (a Slack team id, or 'cli' for imports)")

    d = sub.add_parser("digest", help="the weekly digest")
    d.add_argument("--since", default="7d")
    d.add_argument("--channel")
    d.add_argument("--dry-run", action="store_true")
    d.add_argument("--format", default="text", choices=FORMATS)

    cr = sub.add_parser("creator", help="check a creator's engagement before a partnership")
    cr.add_argument("--platform", required=True)
    for name in ("followers", "avg-likes", "avg-comments"):
        cr.add_argument(f"--{name}", required=True)
    cr.add_argument("--avg-views")
    cr.add_argument("--format", default="text", choices=FORMATS)

    o = sub.add_parser("outreach", help="check a brief or first message to a creator")
    o.add_argument("text", nargs="?")
    o.add_argument("-f", "--file")
    o.add_argument("--lang", default="auto", choices=("auto", "en", "fr"))
    o.add_argument("--format", default="text", choices=FORMATS)

    s = sub.add_parser("serve", help="run the Slack app")
    mode = s.add_mutually_exclusive_group()
    mode.add_argument("--socket", action="store_true", help="Socket Mode (SLACK_APP_TOKEN), for development")
    mode.add_argument("--http", action="store_true", help="HTTP on /slack/events (SLACK_SIGNING_SECRET)")
    s.add_argument("--port", type=int)

    e = sub.add_parser("eval", help="measure the engine on a labelled dataset")
    e.add_argument("dataset", nargs="?", help="JSONL drafts (default: tests/data/dev_drafts.jsonl)")
    e.add_argument("--dark-patterns", help="CSV of shopping-site strings (text, expected_principle)")
    e.add_argument("--reuse", help="JSONL reuse cases")
    e.add_argument("--rewrites", action="store_true", help="also measure rewrites")
    e.add_argument("--format", default="text", choices=FORMATS)
    return p


# Input helpers ---------------------------------------------------------------------------------------------------

def read_text_arg(text: str | None, file: str | None, what: str = "draft") -> str:
    if text and file:
        raise UsageError(f"give the {what} either as TEXT or with -f FILE, not both")
    if file:
        return read_file(file)
    if text == "-" or (text is None and not sys.stdin.isatty()):
        return sys.stdin.read()
    if text is None:
        raise UsageError(f"no {what}: give TEXT, -f FILE, or - to read stdin")
    return text


def read_file(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None


def read_jsonl(lines, source: str, required=("text",)) -> list[dict]:
    """Parse JSON Lines; a bad line is reported with its number."""
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{source}:{n}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise UsageError(f"{source}:{n}: expected a JSON object")
        for key in required:
            if not isinstance(obj.get(key), str) or not obj[key].strip():
                raise UsageError(f"{source}:{n}: missing or empty {key!r}")
        obj["_line"] = n
        items.append(obj)
    return items


def emit(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


# Verbs ---------------------------------------------------------------------------------------------------------

def _service(args):
    from bot.config import load_settings
    from bot.service import Crowdculture

    return Crowdculture(load_settings(args.config, args.db))


def cmd_check(args) -> int:
    from bot.render.text import render_report, use_colour

    svc = _service(args)
    reuse = _reuse_finder(svc, args)
    if args.format == "jsonl":
        source = args.file or "stdin"
        lines = read_file(args.file).splitlines() if args.file else sys.stdin
        items = read_jsonl(lines, source)
        prepared = []
        for item in items:
            try:
                prepared.append(svc.prepare(item["text"], item.get("id"), args.lang,
                                            [item["platform"]] if item.get("platform") else args.platform))
            except UsageError as exc:
                raise UsageError(f"{source}:{item['_line']}: {exc}") from None
        for report in svc.check_many(prepared, args.rewrite, reuse):
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        return 0
    text = read_text_arg(args.text, args.file)
    report = svc.check(text, None, args.lang, args.platform, args.rewrite, reuse)
    if args.record or svc.settings.history.record_checks:
        _record(svc, args, report)
    if args.format == "json":
        emit(report.to_dict())
    else:
        print(render_report(report, svc.kb, colour=use_colour(), all_platforms=args.all))
    return 0


def _reuse_finder(svc, args):
    """Reuse detection against --history FILE, else the configured post store when it exists.

    A post store that cannot be read costs the copy-paste check only: the report still comes, with a warning. With
    no store yet (a fresh machine) there is nothing to compare with, and the history modules are not even imported."""
    from bot.history.location import store_exists

    if not args.history and not store_exists(svc.settings.db_url):
        return None
    try:
        from bot.history.reuse import ReuseFinder
    except ImportError:
        if args.history:
            raise UsageError("--history: reuse detection is not available in this build yet") from None
        return None
    if args.history:
        items = read_jsonl(read_file(args.history).splitlines(), args.history, required=("id", "platform", "text"))
        return ReuseFinder.from_posts(svc, items)
    from bot.errors import StorageError

    try:
        return ReuseFinder.from_store(svc, create=False, approximate=False)  # one check: exact search, no graph
    except StorageError as exc:
        sys.stderr.write(f"crowdculture: warning: copy-paste not checked: {exc}\n")
        return None


def _record(svc, args, report) -> None:
    from bot.history.store import PostStore

    with PostStore(svc.settings.db_url) as store:
        store.add_checked(report, workspace="cli", channel=None, platform=(report.targets or [report.best_platform])[0])


def cmd_kb(args) -> int:
    from bot.config import load_settings
    from bot.knowledge import load_knowledge

    settings = load_settings(args.config, args.db)
    if args.kb_verb == "validate":
        dirs = [Path(args.dir)] if args.dir else settings.knowledge_dirs
        kb = load_knowledge(dirs, settings.knowledge.disabled_rules if not args.dir else [])
        n_rules = len(kb.all_rules())
        ex = {lang: sum(len(p.fit[lang]) + len(p.clash[lang]) for p in kb.platforms.values())
              + sum(len(p.exemplars[lang]) + len(p.near_misses[lang]) for p in kb.principles.values())
              for lang in ("en", "fr")}  # fmt: skip
        print(f"ok: {len(kb.platforms)} platforms, {len(kb.principles)} principles, {len(kb.antipatterns)} "
              f"anti-patterns, {n_rules} rules, exemplars en {ex['en']} / fr {ex['fr']} ({', '.join(map(str, dirs))})")
        return 0
    from bot.knowledge import load_from_settings
    from bot.render.text import render_kb_entry

    kb = load_from_settings(settings)
    try:
        print(render_kb_entry(kb, args.id, args.lang))
    except KeyError:
        known = ", ".join([*kb.platforms, *kb.principles, *kb.antipatterns])
        raise UsageError(f"no platform, principle or anti-pattern {args.id!r}; known: {known}") from None
    return 0


def cmd_creator(args) -> int:
    from bot.influencers import creator_check

    svc = _service(args)
    result = creator_check(svc.kb, args.platform.lower(), args.followers, args.avg_likes, args.avg_comments,
                           args.avg_views)  # fmt: skip
    if args.format == "json":
        emit(result.to_dict())
        return 0
    name = svc.kb.platforms[result.platform].name
    low, high = result.usual_range
    print(f"{name} creator, {result.followers:,} followers: engagement {result.engagement_rate:.2%} "
          f"({result.band.replace('_', ' ')}; usual range {low:.1%}–{high:.1%})")  # fmt: skip
    for f in result.flags:
        print(f"  {f.severity}: {f.message}")
    if not result.flags:
        print("  No red flags.")
    for note in result.notes:
        print(f"  note: {note}")
    print(f"  (ranges: {result.source})")
    return 0


def cmd_outreach(args) -> int:
    from bot.influencers import OutreachChecker

    svc = _service(args)
    text = svc.validate_text(read_text_arg(args.text, args.file, "message"), "message")
    findings = OutreachChecker(svc.analyzer).check(text, args.lang)
    if args.format == "json":
        emit({"schema": 1, "findings": [f.to_dict() for f in findings]})
        return 0
    if not findings:
        print("Reads like the start of a relationship, not a purchase order. Nothing to add.")
    for f in findings:
        quote = f" “{text[f.start:f.end]}”" if f.start is not None else ""
        print(f"{f.severity}{quote}: {f.message}")
    return 0


def _later(feature: str):
    def run(args) -> int:
        raise UsageError(f"{feature} is not available in this build yet")

    return run


def _dispatch(verb: str):
    """The function for a verb; verbs implemented in their own modules are imported only when used."""
    local = {"check": cmd_check, "kb": cmd_kb, "creator": cmd_creator, "outreach": cmd_outreach}
    if verb in local:
        return local[verb]
    modules = {
        "reuse": ("bot.history.cli", "cmd_reuse", "reuse detection"),
        "history": ("bot.history.cli", "cmd_history", "the post history"),
        "digest": ("bot.digest", "cmd_digest", "the digest"),
        "serve": ("bot.slack.server", "cmd_serve", "the Slack app"),
        "eval": ("bot.evaluation", "cmd_eval", "the evaluation command"),
    }
    module, name, feature = modules[verb]
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("bot"):
            return _later(feature)
        raise


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")  # fmt: skip
    if not args.verbose:
        # Libraries that print progress bars or advice would mix with the report.
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        for noisy in ("sentence_transformers", "transformers", "huggingface_hub", "faiss"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        return _dispatch(args.verb)(args)
    except CrowdcultureError as exc:
        sys.stderr.write(f"crowdculture: error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("crowdculture: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last resort: never a traceback for users, unless they ask for one
        if os.environ.get("CROWDCULTURE_DEBUG"):
            raise
        log.debug("internal error", exc_info=True)
        sys.stderr.write(f"crowdculture: internal error: {type(exc).__name__}: {exc} "
                         "(set CROWDCULTURE_DEBUG=1 for details)\n")  # fmt: skip
        return 1
