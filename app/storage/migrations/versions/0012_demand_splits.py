"""``demand_splits``: the population split across a kind's areas, kept per data version."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_demand_splits"
down_revision = "0011_analysis_runs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``demand_splits`` and ``demand_split_pieces`` (empty: filled by the next analysis)."""
    op.create_table(
        "demand_splits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("area_kind", sa.String(40), nullable=False),
        sa.Column("units", sa.String(20), nullable=False),
        sa.Column("measure", sa.String(30), nullable=False),
        sa.Column("data_version", sa.String(64), nullable=False),
        sa.Column("resolved_measure", sa.String(30), nullable=False),
        sa.Column("unit_type", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("area_kind", "units", "measure", "data_version", name="uq_demand_split"),
    )
    op.create_table(
        "demand_split_pieces",
        sa.Column("split_id", sa.Integer, sa.ForeignKey("demand_splits.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("area_code", sa.String(100), nullable=False),
        sa.Column("area_name", sa.String(200), nullable=False),
        sa.Column("area_city", sa.String(5), nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("x", sa.Float, nullable=False),
        sa.Column("y", sa.Float, nullable=False),
    )
    op.create_index("ix_demand_split_pieces_split", "demand_split_pieces", ["split_id"])


def downgrade() -> None:
    """Drop both (they are a cache: the next analysis splits again)."""
    op.drop_index("ix_demand_split_pieces_split", "demand_split_pieces")
    op.drop_table("demand_split_pieces")
    op.drop_table("demand_splits")
