"""First schema: posts, digest runs, user and workspace settings.

Revision ID: 0001
Revises:
Create Date: 2025-01-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(64), nullable=True),
        sa.Column("channel_private", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("author", sa.String(64), nullable=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="published"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("permalink", sa.String(1024), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("embedding", sa.LargeBinary, nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("fit", sa.Integer, nullable=True),
        sa.Column("report", sa.Text, nullable=True),
        sa.UniqueConstraint("workspace", "external_id", name="uq_posts_workspace_external_id"),
        sa.CheckConstraint("status IN ('draft', 'published')", name="ck_posts_status"),
    )
    op.create_index("ix_posts_content_hash", "posts", ["content_hash"])
    op.create_index("ix_posts_workspace_created_at", "posts", ["workspace", "created_at"])
    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("week_start", sa.Date, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace", "channel", "week_start", name="uq_digest_runs_week"),
    )
    op.create_table(
        "user_settings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("default_platforms", sa.Text, nullable=False, server_default="[]"),
        sa.UniqueConstraint("workspace", "user_id", name="uq_user_settings_user"),
    )
    op.create_table(
        "workspace_settings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("watched_channels", sa.Text, nullable=False, server_default="[]"),
        sa.UniqueConstraint("workspace", name="uq_workspace_settings_workspace"),
    )


def downgrade() -> None:
    op.drop_table("workspace_settings")
    op.drop_table("user_settings")
    op.drop_table("digest_runs")
    op.drop_index("ix_posts_workspace_created_at", table_name="posts")
    op.drop_index("ix_posts_content_hash", table_name="posts")
    op.drop_table("posts")
