"""Capacity per site from a council's list; council programmes and their rules."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_capacities_and_programmes"
down_revision = "0005_city_statistics"
branch_labels = None
depends_on = None


def _dataset_column() -> sa.Column:
    return sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="CASCADE"),
                     nullable=False)


def upgrade() -> None:
    """Add ``site_capacities`` and ``programmes``."""
    op.create_table(
        "site_capacities",
        sa.Column("id", sa.Integer, primary_key=True),
        _dataset_column(),
        sa.Column("city_code", sa.String(5), nullable=False),
        sa.Column("site_key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("as_of", sa.String(100), nullable=False),
        sa.Column("source_row", sa.Integer, nullable=False),
    )
    op.create_index("ix_site_capacities_site", "site_capacities", ["site_key", "kind"])
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer, primary_key=True),
        _dataset_column(),
        sa.Column("city_code", sa.String(5), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("operator", sa.Text, nullable=False),
        sa.Column("rules", sa.Text, nullable=False),
        sa.Column("count_reported", sa.String(100), nullable=False),
        sa.Column("as_of", sa.String(200), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("source_id", sa.String(100), nullable=False),
    )
    op.create_index("ix_programmes_city", "programmes", ["city_code"])


def downgrade() -> None:
    """Drop both (each can be imported again from its file)."""
    op.drop_index("ix_programmes_city", "programmes")
    op.drop_table("programmes")
    op.drop_index("ix_site_capacities_site", "site_capacities")
    op.drop_table("site_capacities")
