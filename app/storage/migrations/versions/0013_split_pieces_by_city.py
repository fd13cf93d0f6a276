"""Kept split pieces indexed by (split, city): a city's analysis reads its own pieces, not the nation's."""

from __future__ import annotations

from alembic import op

revision = "0013_split_pieces_by_city"
down_revision = "0012_demand_splits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The (split_id, area_city) index replaces the split_id one (it serves both lookups)."""
    op.create_index("ix_demand_split_pieces_city", "demand_split_pieces", ["split_id", "area_city"])
    op.drop_index("ix_demand_split_pieces_split", "demand_split_pieces")


def downgrade() -> None:
    """Back to the split_id index."""
    op.create_index("ix_demand_split_pieces_split", "demand_split_pieces", ["split_id"])
    op.drop_index("ix_demand_split_pieces_city", "demand_split_pieces")
