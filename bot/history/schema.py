"""The post-history tables (SQLAlchemy 2 typed declarative). Alembic migrations create them; see migrations/.

Times are stored and returned as timezone-aware UTC on every backend (SQLite keeps no time zone, so the
`UTCDateTime` type adds it back). Embeddings are float32 bytes; JSON columns are plain text for portability.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

STATUSES = ("draft", "published")


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on the Python side, whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("workspace", "external_id", name="uq_posts_workspace_external_id"),
        CheckConstraint("status IN ('draft', 'published')", name="ck_posts_status"),
        Index("ix_posts_workspace_created_at", "workspace", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    external_id: Mapped[str] = mapped_column(String(255))
    workspace: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(64))
    channel_private: Mapped[bool] = mapped_column(Boolean, default=False)
    author: Mapped[str | None] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="published")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    permalink: Mapped[str | None] = mapped_column(String(1024))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of normalise_for_copy(text)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)  # float32, L2-normalised
    language: Mapped[str | None] = mapped_column(String(8))
    fit: Mapped[int | None] = mapped_column(Integer)  # 0-100 fit for `platform`, when the post was analysed
    report: Mapped[str | None] = mapped_column(Text)  # the analysis report's JSON (DESIGN.md schema 1)


class DigestRun(Base):
    """One weekly digest sent to one channel: the unique key makes 'send once' hold across processes."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("workspace", "channel", "week_start", name="uq_digest_runs_week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(64))
    week_start: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UserSettings(Base):
    __tablename__ = "user_settings"
    __table_args__ = (UniqueConstraint("workspace", "user_id", name="uq_user_settings_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    default_platforms: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of platform ids


class WorkspaceSettings(Base):
    __tablename__ = "workspace_settings"
    __table_args__ = (UniqueConstraint("workspace", name="uq_workspace_settings_workspace"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(64))
    watched_channels: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of channel ids
