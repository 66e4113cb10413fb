"""The `history` verbs (import, list, purge) and `reuse` (copy-paste pairs inside a JSONL file).

Input errors name the file and line and exit 2; database failures are StorageErrors (exit 1, one line).
"""

from __future__ import annotations

import sys

from bot.cli import emit, read_file, read_jsonl
from bot.errors import UsageError
from bot.progress import Progress

EMBED_BATCH = 256


def _service(args):
    from bot.cli import _service as build

    return build(args)


def read_posts(path: str, service, verb: str) -> list[dict]:
    """Lines {"id", "platform", "text", "created_at"?, "channel"?, "status"?}, checked; duplicate ids keep the first."""
    from bot.history.store import as_utc

    items, seen = [], {}
    # Ids may be numbers here, so the required keys are checked below rather than by read_jsonl.
    for obj in read_jsonl(read_file(path).splitlines(), path, required=()):
        n = obj.pop("_line")
        where = f"{path}:{n}"
        for key in ("id", "platform", "text"):
            value = obj.get(key)
            if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
                raise UsageError(f"{where}: missing or empty {key!r}")
        try:
            obj["platform"] = service.validate_platforms([str(obj["platform"])])[0]
            service.validate_text(obj["text"], "post")
            if obj.get("created_at") not in (None, ""):
                obj["created_at"] = as_utc(str(obj["created_at"])).isoformat()
        except UsageError as exc:
            raise UsageError(f"{where}: {exc}") from None
        except ValueError:
            raise UsageError(f"{where}: created_at {obj['created_at']!r} is not an ISO date or time") from None
        if obj.get("status", "published") not in ("draft", "published"):
            raise UsageError(f"{where}: status must be draft or published, not {obj['status']!r}")
        obj["id"] = str(obj["id"])
        if obj["id"] in seen:
            sys.stderr.write(f"crowdculture {verb}: {where}: duplicate id {obj['id']!r} (first on line "
                             f"{seen[obj['id']]}); keeping the first\n")  # fmt: skip
            continue
        seen[obj["id"]] = n
        items.append(obj)
    return items


# history -----------------------------------------------------------------------------------------------------------

def cmd_history(args) -> int:
    return {"import": _import, "list": _list, "purge": _purge}[args.history_verb](args)


def _import(args) -> int:
    from bot.history.store import PostIn, PostStore, as_utc, safe_url
    from bot.text import detect_language

    svc = _service(args)
    items = read_posts(args.file, svc, "history import")
    if not items:
        raise UsageError(f"{args.file}: no posts to import")
    embedder = svc.analyzer.embedder
    # Shortest first over the whole file: each model batch then pads to nearly its own length (the model sorts
    # only inside one call, and the calls are chunked for the progress bar).
    order = sorted(range(len(items)), key=lambda i: len(items[i]["text"]))
    vectors = [None] * len(items)
    with Progress(len(items), "embedding") as bar:
        for i in range(0, len(order), EMBED_BATCH):
            chunk = order[i : i + EMBED_BATCH]
            for j, vector in zip(chunk, embedder.encode([items[j]["text"] for j in chunk])):
                vectors[j] = vector
            bar.advance(len(chunk))
    posts = [PostIn(it["id"], it["platform"], it["text"], workspace=args.workspace, channel=it.get("channel"),
                    status=it.get("status", "published"), created_at=as_utc(it.get("created_at")),
                    permalink=it.get("permalink"), embedding=v, language=detect_language(it["text"]))  # fmt: skip
             for it, v in zip(items, vectors)]
    with PostStore(svc.settings.db_url) as store:
        added = store.add_posts(posts)
    skipped = len(posts) - len(added)
    note = f" ({skipped} already stored)" if skipped else ""
    print(f"stored {len(added)} posts{note} in workspace {args.workspace!r} ({safe_url(store.url)})")
    return 0


def _open_existing(args):
    """The store, or None when the database was never created (reading verbs do not create it)."""
    from bot.config import load_settings
    from bot.history.location import store_exists
    from bot.history.store import PostStore

    url = load_settings(args.config, args.db).db_url
    return PostStore(url) if store_exists(url) else None


def _list(args) -> int:
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    store = _open_existing(args)
    posts = []
    if store is not None:
        with store:
            posts = store.list_posts(limit=args.limit)
    if args.format == "json":
        emit({"schema": 1, "posts": [p.to_dict() for p in posts]})
        return 0
    if not posts:
        print("no posts stored yet (crowdculture history import FILE.jsonl)")
    for p in posts:
        text = " ".join(p.text.split())
        print(f"{p.created_at:%Y-%m-%d %H:%M}  {p.workspace:<10} {p.external_id:<14} {p.platform:<10} {p.status:<9} "
              f"{text[:70] + ('…' if len(text) > 70 else '')}")  # fmt: skip
    return 0


def _purge(args) -> int:
    from bot.config import load_settings
    from bot.history.store import parse_duration

    older_than = args.older_than or f"{load_settings(args.config, args.db).history.retention_days}d"
    age = parse_duration(older_than)
    store = _open_existing(args)
    deleted = 0
    if store is not None:
        with store:
            deleted = store.purge(age, workspace=args.workspace)
    where = f" in workspace {args.workspace!r}" if args.workspace else ""
    print(f"deleted {deleted} posts older than {older_than}{where}")
    return 0


# reuse -------------------------------------------------------------------------------------------------------------

def cmd_reuse(args) -> int:
    from bot.history.reuse import reuse_pairs

    svc = _service(args)
    items = read_posts(args.file, svc, "reuse")
    with Progress(len(items), "comparing") as bar:
        pairs = reuse_pairs(svc, items, progress=bar)
    if args.format == "json":
        emit({"schema": 1, "pairs": [p.to_dict() for p in pairs]})
        return 0
    platform = {it["id"]: it["platform"] for it in items}
    if not pairs:
        print(f"no reuse among {len(items)} posts")
    for p in pairs:
        where = "same platform" if p.same_platform else f"{platform[p.a]} → {platform[p.b]}"
        print(f"{p.kind:<10}  {p.a} → {p.b}  similarity {p.similarity:.2f}  ({where})")
    return 0
