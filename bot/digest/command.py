"""`crowdculture digest [--since 7d] [--channel C] [--dry-run] [--format text|json]` (DESIGN.md, CLI contract).

The period is the `--since` length up to now (what was checked or published recently, including a minute ago).
With --channel and without --dry-run the digest is posted to that channel, once per week (send.py); otherwise
it is printed. A dry run never creates the database: no store means an empty digest.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone

from bot.digest.aggregate import build_digest
from bot.digest.model import Digest
from bot.digest.period import rolling
from bot.digest.send import send_digest, web_client
from bot.errors import UsageError


def cmd_digest(args) -> int:
    from bot.cli import _service, emit
    from bot.history.location import store_exists
    from bot.history.store import PostStore, parse_duration

    length = parse_duration(args.since)
    if length.total_seconds() <= 0:
        raise UsageError(f"--since must be longer than zero, got {args.since!r}")
    sending = bool(args.channel) and not args.dry_run
    svc = _service(args)
    client = web_client(svc.settings) if sending else None  # a missing token stops here, before any work
    tz = svc.settings.digest.timezone
    since, until = rolling(datetime.now(timezone.utc), length)
    if not sending and not store_exists(svc.settings.db_url):
        digest = Digest(since, until, args.channel, tz=tz)
    else:
        store = PostStore(svc.settings.db_url)
        try:
            if sending:
                result = send_digest(store, svc.kb, client, args.channel, since, until, tz, engine=svc)
                if args.format == "json":
                    emit({"schema": 1, **result.to_dict()})
                else:
                    print(result.message())
                return 0
            digest = build_digest(store, svc.kb, since, until, channel=args.channel, tz=tz, engine=svc)
        finally:
            store.close()
    if args.format == "json":
        emit(digest.to_dict())
    else:
        sys.stdout.write(digest.text())
    if not args.dry_run:
        sys.stderr.write("crowdculture digest: printed, not sent (give --channel C to post it to Slack)\n")
    return 0
