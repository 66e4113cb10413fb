"""The post store: posts, digest runs and per-user / per-workspace settings in one SQL database.

SQLite (the default: one file, WAL mode so readers never wait for the writer) or PostgreSQL by URL (psycopg 3).
Opening a store runs the Alembic migrations up to the newest revision, so nobody runs `alembic` by hand. Every
write is one transaction: an import is stored whole or not at all. A database that is down, locked or refuses
a write becomes a `StorageError` with one readable line, after a few retries for the transient cases.

Privacy: a `Scope` (workspace, channel) sees the posts of its workspace, except those of private channels other
than its own. Every query that serves a scope applies that rule in SQL.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar

import numpy as np
from sqlalchemy import create_engine, delete, event, func, or_, select, true, update
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from bot.errors import StorageError
from bot.history.location import normalise_url, sqlite_path
from bot.history.schema import STATUSES, DigestRun, Post, UserSettings, WorkspaceSettings, utcnow
from bot.text import normalise_for_copy

log = logging.getLogger(__name__)
T = TypeVar("T")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
RETRIES = 3  # after the first attempt, for "database is locked" and dropped connections
BUSY_TIMEOUT_MS = 3000  # SQLite waits this long for a lock before reporting "database is locked"
CHUNK = 500  # rows per IN (...) query; SQLite allows 32766 parameters, PostgreSQL 65535


# Scope ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """Where a draft is checked. `workspace=None` is the operator's view (the CLI): every post.

    `channel_private` describes the scope's own channel (for what gets recorded from it); what the scope may
    see depends only on the workspace and channel."""

    workspace: str | None
    channel: str | None = None
    channel_private: bool = False

    def allows(self, workspace: str, channel: str | None, private: bool) -> bool:
        if self.workspace is None:
            return True
        return workspace == self.workspace and (not private or (channel is not None and channel == self.channel))

    def where(self):
        """The same rule as `allows`, as a SQL condition on `posts`."""
        if self.workspace is None:
            return true()
        visible = Post.channel_private.is_(False)
        if self.channel is not None:
            visible = or_(visible, Post.channel == self.channel)
        return (Post.workspace == self.workspace) & visible


# Values in and out ------------------------------------------------------------------------------------------------

@dataclass
class PostIn:
    """A post to store. `embedding` is the normalised whole-text vector (float32) when known."""

    external_id: str
    platform: str
    text: str
    workspace: str = "cli"
    channel: str | None = None
    channel_private: bool = False
    author: str | None = None
    status: str = "published"
    created_at: datetime | None = None
    permalink: str | None = None
    embedding: np.ndarray | None = None
    language: str | None = None
    fit: int | None = None
    report: dict | None = None


@dataclass
class StoredPost:
    id: int
    external_id: str
    workspace: str
    channel: str | None
    channel_private: bool
    author: str | None
    platform: str
    text: str
    status: str
    created_at: datetime
    permalink: str | None
    content_hash: str
    language: str | None
    fit: int | None
    report: dict | None = None
    embedding: np.ndarray | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        return {"id": self.external_id, "workspace": self.workspace, "channel": self.channel,
                "platform": self.platform, "status": self.status, "created_at": self.created_at.isoformat(),
                "author": self.author, "permalink": self.permalink, "fit": self.fit, "text": self.text}  # fmt: skip


@dataclass
class EmbeddingBatch:
    ids: np.ndarray  # int64 posts.id
    vectors: np.ndarray  # float32 (n, dim)
    visibility: list[tuple[str, str | None, bool]]  # (workspace, channel, channel_private) per row


def content_hash(text: str) -> str:
    """Equal for two texts that differ only by case, accents, punctuation, emoji, hashtags, mentions and links."""
    return hashlib.sha256(normalise_for_copy(text).encode("utf-8")).hexdigest()


def vector_bytes(vector) -> bytes | None:
    return None if vector is None else np.asarray(vector, dtype=np.float32).ravel().tobytes()


def _stored(row: Post, with_embedding: bool = True) -> StoredPost:
    emb = np.frombuffer(row.embedding, dtype=np.float32) if with_embedding and row.embedding else None
    report = None
    if row.report:
        try:
            report = json.loads(row.report)
        except ValueError:
            log.warning("post %s: stored report is not valid JSON; ignored", row.id)
    return StoredPost(row.id, row.external_id, row.workspace, row.channel, bool(row.channel_private), row.author,
                      row.platform, row.text, row.status, row.created_at, row.permalink, row.content_hash,
                      row.language, row.fit, report, emb)  # fmt: skip


def _row(post: PostIn) -> Post:
    if post.status not in STATUSES:
        raise ValueError(f"post {post.external_id!r}: status must be draft or published, not {post.status!r}")
    return Post(external_id=post.external_id, workspace=post.workspace, channel=post.channel,
                channel_private=post.channel_private, author=post.author, platform=post.platform, text=post.text,
                status=post.status, created_at=post.created_at or utcnow(), permalink=post.permalink,
                content_hash=content_hash(post.text), embedding=vector_bytes(post.embedding),
                language=post.language, fit=post.fit,
                report=json.dumps(post.report, ensure_ascii=False) if post.report is not None else None)  # fmt: skip


# Engine, migrations, errors ------------------------------------------------------------------------------------

def safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(orig).strip().splitlines() if ln.strip()]
    return lines[0] if lines else type(orig).__name__


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def make_engine(url: str) -> Engine:
    """The engine for `url`. Bound parameters (post texts, the Slack installation tokens stored in the same database)
    are left out of SQLAlchemy's log lines and error messages (hide_parameters)."""
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"not a database URL: {url!r} (e.g. sqlite:///path/to/file.db or "
                           "postgresql://user@host/dbname)") from None  # fmt: skip
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the directory of the database {path}: {exc.strerror}") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, hide_parameters=True)
            _sqlite_events(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args={"connect_timeout": 5}
                                   if parsed.get_backend_name() == "postgresql" else {})  # fmt: skip
    except NoSuchModuleError:
        raise StorageError(f"unsupported database URL {safe_url(url)}; use sqlite:/// or postgresql://") from None
    except ModuleNotFoundError as exc:
        raise StorageError(f"the database driver {exc.name!r} is not installed; for PostgreSQL: "
                           "pip install 'crowdculture[postgres]'") from None  # fmt: skip
    return engine


def _sqlite_events(engine: Engine) -> None:
    """WAL, a busy timeout, and real transactions (BEGIN IMMEDIATE for writes, so writers queue instead of failing)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA secure_delete=ON")  # a purged post is overwritten, not left in a free page
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest Alembic revision (a no-op when it is there already)."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == head:
            return
    with engine.execution_options(write=True).begin() as conn:
        if engine.dialect.name == "postgresql":  # two processes opening a new database migrate one after the other
            conn.execute(sql("SELECT pg_advisory_xact_lock(4242001)"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.info("database schema upgraded to revision %s", head)


# The store --------------------------------------------------------------------------------------------------------

class PostStore:
    """Open (creating and migrating when needed) the database at `url`; close() when done."""

    def __init__(self, url: str, migrate_schema: bool = True):
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self._write_engine = self.engine.execution_options(write=True)
        if migrate_schema:
            self._retry(lambda: migrate(self.engine), "prepare")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    # Transactions with retries and readable errors ------------------------------------------------------------
    def _retry(self, fn: Callable[[], T], what: str, conflict_ok: bool = False) -> T:
        """Run fn, retrying transient failures with backoff; any other database failure becomes a StorageError.

        A unique-key conflict (another process stored the same key first) is retried once, so the re-run sees
        that row; with `conflict_ok` it is raised as IntegrityError for the caller to handle instead."""
        conflicts = 0
        for attempt in range(RETRIES + 1):
            try:
                return fn()
            except IntegrityError as exc:
                if conflict_ok:
                    raise
                conflicts += 1
                if conflicts > 1:
                    raise StorageError(f"database {safe_url(self.url)}: cannot {what}: {_reason(exc)}") from None
            except (DBAPIError, OSError) as exc:
                if attempt < RETRIES and isinstance(exc, DBAPIError) and _transient(exc):
                    delay = 0.1 * 3**attempt
                    log.info("database busy or unreachable (%s); retrying in %.1fs", _reason(exc), delay)
                    time.sleep(delay)
                    continue
                raise StorageError(f"database {safe_url(self.url)}: cannot {what}: {_reason(exc)}") from None
        raise StorageError(f"database {safe_url(self.url)}: cannot {what}: still busy after {RETRIES} retries")

    def _write(self, fn: Callable[[Session], T], what: str, conflict_ok: bool = False) -> T:
        """Run fn in one write transaction (committed whole or rolled back), retried when transient."""

        def run() -> T:
            with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
                return fn(session)

        return self._retry(run, what, conflict_ok)

    def _read(self, fn: Callable[[Session], T], what: str) -> T:
        def run() -> T:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                return fn(session)

        return self._retry(run, what)

    # Posts ------------------------------------------------------------------------------------------------------
    def add_posts(self, posts: list[PostIn]) -> list[StoredPost]:
        """Store posts in one transaction; those whose (workspace, external_id) is already stored are skipped.

        Returns the posts added, with their ids (in input order)."""
        rows = [_row(p) for p in posts]

        def run(session: Session) -> list[StoredPost]:
            existing: set[tuple[str, str]] = set()
            by_ws: dict[str, list[str]] = {}
            for r in rows:
                by_ws.setdefault(r.workspace, []).append(r.external_id)
            for ws, ext_ids in by_ws.items():
                for i in range(0, len(ext_ids), CHUNK):
                    found = session.scalars(select(Post.external_id).where(
                        Post.workspace == ws, Post.external_id.in_(ext_ids[i : i + CHUNK])))  # fmt: skip
                    existing.update((ws, e) for e in found)
            new, seen = [], set()
            for r in rows:
                key = (r.workspace, r.external_id)
                if key not in existing and key not in seen:
                    seen.add(key)
                    new.append(r)
            session.add_all(new)
            session.flush()
            return [_stored(r) for r in new]

        return self._write(run, "store the posts (nothing was stored)")

    def add_checked(self, report, workspace: str, channel: str | None, platform: str, author: str | None = None,
                    status: str = "draft", channel_private: bool = False, permalink: str | None = None,
                    created_at: datetime | None = None, external_id: str | None = None) -> StoredPost:
        """Store (or update, for the same external id) a draft that was just checked, with its report."""
        fit = report.platform(platform).fit if report.platform(platform) else None
        post = PostIn(external_id or report.id or f"check-{uuid.uuid4().hex[:12]}", platform, report.text,
                      workspace, channel, channel_private, author, status, created_at, permalink,
                      report.embedding, report.language, fit, report.to_dict())  # fmt: skip
        row = _row(post)

        def run(session: Session) -> StoredPost:
            old = session.scalars(select(Post).where(Post.workspace == workspace,
                                                     Post.external_id == row.external_id)).first()  # fmt: skip
            if old is None:
                session.add(row)
                session.flush()
                return _stored(row)
            for name in ("channel", "channel_private", "author", "platform", "text", "status", "permalink",
                         "content_hash", "embedding", "language", "fit", "report"):  # fmt: skip
                setattr(old, name, getattr(row, name))
            session.flush()
            return _stored(old)

        return self._write(run, "record the draft")

    def mark_published(self, workspace: str, external_id: str, permalink: str | None = None,
                       published_at: datetime | None = None) -> bool:
        """A stored draft went out: status 'published' (and its permalink / date when given). False if unknown."""
        values: dict = {"status": "published"}
        if permalink:
            values["permalink"] = permalink
        if published_at:
            values["created_at"] = published_at

        def run(session: Session) -> bool:
            res = session.execute(update(Post).where(Post.workspace == workspace, Post.external_id == external_id)
                                  .values(**values))  # fmt: skip
            return res.rowcount > 0

        return self._write(run, "mark the post published")

    def list_posts(self, workspace: str | None = None, channel: str | None = None, since: datetime | None = None,
                   until: datetime | None = None, limit: int | None = None, scope: Scope | None = None,
                   platform: str | None = None, with_embeddings: bool = False) -> list[StoredPost]:
        """Posts, newest first; `since` inclusive, `until` exclusive; `scope` applies the privacy rule."""
        q = select(Post)
        if scope is not None:
            q = q.where(scope.where())
        if workspace is not None:
            q = q.where(Post.workspace == workspace)
        if channel is not None:
            q = q.where(Post.channel == channel)
        if platform is not None:
            q = q.where(Post.platform == platform)
        if since is not None:
            q = q.where(Post.created_at >= since)
        if until is not None:
            q = q.where(Post.created_at < until)
        q = q.order_by(Post.created_at.desc(), Post.id.desc())
        if limit is not None:
            q = q.limit(limit)
        return self._read(lambda s: [_stored(r, with_embeddings) for r in s.scalars(q)], "read the posts")

    def get_posts(self, ids, scope: Scope | None = None) -> dict[int, StoredPost]:
        """Posts by id (with embeddings), only those the scope may see; ids that are gone are left out."""
        ids = [int(i) for i in ids]

        def run(session: Session) -> dict[int, StoredPost]:
            out = {}
            for i in range(0, len(ids), CHUNK):
                q = select(Post).where(Post.id.in_(ids[i : i + CHUNK]))
                if scope is not None:
                    q = q.where(scope.where())
                out.update({r.id: _stored(r) for r in session.scalars(q)})
            return out

        return self._read(run, "read the posts")

    def posts_with_hash(self, digest: str, scope: Scope | None = None, limit: int = 50) -> list[StoredPost]:
        """Posts whose normalised text is the same (the newest `limit`: emoji-only posts all share one hash)."""
        q = select(Post).where(Post.content_hash == digest).order_by(Post.id.desc()).limit(limit)
        if scope is not None:
            q = q.where(scope.where())
        return self._read(lambda s: [_stored(r) for r in s.scalars(q)], "read the posts")

    def count(self) -> int:
        return self._read(lambda s: s.scalar(select(func.count(Post.id))) or 0, "count the posts")

    def iter_embeddings(self, after_id: int = 0, batch_size: int = 20000) -> Iterator[EmbeddingBatch]:
        """Every stored embedding with what the index needs to filter by scope, in id order, in batches."""
        last = after_id
        while True:
            q = (select(Post.id, Post.embedding, Post.workspace, Post.channel, Post.channel_private)
                 .where(Post.id > last, Post.embedding.is_not(None)).order_by(Post.id).limit(batch_size))  # fmt: skip
            rows = self._read(lambda s, q=q: s.execute(q).all(), "read the post embeddings")
            if not rows:
                return
            last = rows[-1][0]
            yield EmbeddingBatch(
                np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
                np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1),
                [(r[2], r[3], bool(r[4])) for r in rows],
            )

    def purge(self, older_than: timedelta, workspace: str | None = None) -> int:
        """Delete posts created more than `older_than` ago (of one workspace, or all); returns how many.

        On SQLite the write-ahead log still holds the pages as they were before: it is checkpointed and emptied,
        so that the purged texts are gone from disk, not only from queries."""
        cutoff = utcnow() - older_than
        q = delete(Post).where(Post.created_at < cutoff)
        if workspace is not None:
            q = q.where(Post.workspace == workspace)
        deleted = self._write(lambda s: s.execute(q).rowcount or 0, "purge old posts")
        if deleted and self.backend == "sqlite":
            with self.engine.connect() as conn:
                busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()[0]
            if busy:
                log.warning("purge: the write-ahead log is in use by a reader; purged texts leave it at the next "
                            "checkpoint")  # fmt: skip
        return deleted

    # Settings for the Slack app -----------------------------------------------------------------------------------
    def get_user_platforms(self, workspace: str, user_id: str) -> list[str]:
        q = select(UserSettings.default_platforms).where(UserSettings.workspace == workspace,
                                                         UserSettings.user_id == user_id)  # fmt: skip
        return json.loads(self._read(lambda s: s.scalar(q), "read the user settings") or "[]")

    def set_user_platforms(self, workspace: str, user_id: str, platforms: list[str]) -> None:
        value = json.dumps(list(platforms))

        def run(session: Session) -> None:
            row = session.scalars(select(UserSettings).where(UserSettings.workspace == workspace,
                                                             UserSettings.user_id == user_id)).first()  # fmt: skip
            if row is None:
                session.add(UserSettings(workspace=workspace, user_id=user_id, default_platforms=value))
            else:
                row.default_platforms = value

        self._write(run, "save the user settings")

    def get_watched_channels(self, workspace: str) -> list[str]:
        q = select(WorkspaceSettings.watched_channels).where(WorkspaceSettings.workspace == workspace)
        return json.loads(self._read(lambda s: s.scalar(q), "read the workspace settings") or "[]")

    def set_watched_channels(self, workspace: str, channels: list[str]) -> None:
        value = json.dumps(list(channels))

        def run(session: Session) -> None:
            row = session.scalars(select(WorkspaceSettings).where(WorkspaceSettings.workspace == workspace)).first()
            if row is None:
                session.add(WorkspaceSettings(workspace=workspace, watched_channels=value))
            else:
                row.watched_channels = value

        self._write(run, "save the workspace settings")

    # Digest runs --------------------------------------------------------------------------------------------------
    def record_digest_run(self, workspace: str, channel: str, week_start: date) -> bool:
        """Claim the digest of that week for that channel: True once, False for every later (or concurrent) call."""

        def run(session: Session) -> bool:
            session.add(DigestRun(workspace=workspace, channel=channel, week_start=week_start, sent_at=utcnow()))
            session.flush()
            return True

        try:
            return self._write(run, "record the digest run", conflict_ok=True)
        except IntegrityError:
            return False

    def release_digest_run(self, workspace: str, channel: str, week_start: date) -> bool:
        """Forget a claimed week whose digest did not go out, so that a retry can send it."""
        q = delete(DigestRun).where(DigestRun.workspace == workspace, DigestRun.channel == channel,
                                    DigestRun.week_start == week_start)  # fmt: skip
        return self._write(lambda s: (s.execute(q).rowcount or 0) > 0, "release the digest run")


def parse_duration(text: str) -> timedelta:
    """'90d', '12w', '36h' → timedelta (for `history purge --older-than` and `digest --since`)."""
    from bot.errors import UsageError

    s = str(text).strip().lower()
    units = {"d": "days", "w": "weeks", "h": "hours"}
    if len(s) >= 2 and s[-1] in units and s[:-1].isdigit():
        return timedelta(**{units[s[-1]]: int(s[:-1])})
    raise UsageError(f"not a duration: {text!r}; use a number followed by d (days), w (weeks) or h (hours), e.g. 90d")


def as_utc(value: datetime | date | str | None) -> datetime | None:
    """A created_at given as ISO text, date or datetime → aware UTC datetime (naive means UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
