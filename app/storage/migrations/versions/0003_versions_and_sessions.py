"""Resource versions (no lost updates), session versions (sign-out ends sessions), sign-in attempts.

Existing rows start at version 1; nothing else changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_versions_and_sessions"
down_revision = "0002_explicit_columns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``resources.version``, ``users.session_version`` and ``login_attempts``."""
    op.add_column("resources", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("users", sa.Column("session_version", sa.Integer, nullable=False, server_default="1"))
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_attempts_key_at", "login_attempts", ["key", "at"])


def downgrade() -> None:
    """Drop them again (versions and attempts are not needed by the older release)."""
    op.drop_index("ix_login_attempts_key_at", "login_attempts")
    op.drop_table("login_attempts")
    op.drop_column("users", "session_version")
    op.drop_column("resources", "version")
