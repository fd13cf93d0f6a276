"""Figures published per city: shelter capacity totals and vacant-house survey totals."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_city_statistics"
down_revision = "0004_targets_and_measures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``city_statistics``."""
    op.create_table(
        "city_statistics",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("city_code", sa.String(5), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("as_of", sa.String(100), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_index("ix_city_statistics_city", "city_statistics", ["city_code"])


def downgrade() -> None:
    """Drop it (its figures can be imported again from the facts tables)."""
    op.drop_index("ix_city_statistics_city", "city_statistics")
    op.drop_table("city_statistics")
