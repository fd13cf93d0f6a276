"""Accessibility per site (段差なし入口, 車いすトイレ, エレベーター, 福祉スペース) from a council's list."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_site_access"
down_revision = "0017_event_sites"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The table of listed accessibility, attached to sites like capacities."""
    op.create_table(
        "site_access",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("city_code", sa.String(5), nullable=False),
        sa.Column("site_key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("access", sa.JSON, nullable=False),
        sa.Column("as_of", sa.String(100), nullable=False),
        sa.Column("source_row", sa.Integer, nullable=False),
    )
    op.create_index("ix_site_access_site", "site_access", ["site_key", "kind"])


def downgrade() -> None:
    """Drop the listed accessibility."""
    op.drop_index("ix_site_access_site", "site_access")
    op.drop_table("site_access")
