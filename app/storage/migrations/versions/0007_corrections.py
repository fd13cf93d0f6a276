"""Corrections sent by the public, pending a coordinator's decision."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_corrections"
down_revision = "0006_capacities_and_programmes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``corrections``."""
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("resource_id", sa.Integer, sa.ForeignKey("resources.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("city_code", sa.String(5), nullable=False),
        sa.Column("proposed", sa.JSON, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text, nullable=False),
    )
    op.create_index("ix_corrections_city_status", "corrections", ["city_code", "status"])


def downgrade() -> None:
    """Drop it (pending corrections are lost; decided ones stay in the audit log)."""
    op.drop_index("ix_corrections_city_status", "corrections")
    op.drop_table("corrections")
