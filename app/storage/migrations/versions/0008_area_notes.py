"""Notes from the 懇談会 per area, with every version kept."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_area_notes"
down_revision = "0007_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``area_notes`` and ``area_note_versions``."""
    op.create_table(
        "area_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("city_code", sa.String(5), nullable=False),
        sa.Column("area_kind", sa.String(40), nullable=False),
        sa.Column("area_code", sa.String(100), nullable=False),
        sa.Column("noted_on", sa.String(10), nullable=False),
        sa.Column("issue", sa.Text, nullable=False),
        sa.Column("proposal", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_area_notes_area", "area_notes", ["area_kind", "area_code"])
    op.create_table(
        "area_note_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("area_notes.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_area_note_versions_note", "area_note_versions", ["note_id"])


def downgrade() -> None:
    """Drop both (the notes are lost; back up first)."""
    op.drop_index("ix_area_note_versions_note", "area_note_versions")
    op.drop_table("area_note_versions")
    op.drop_index("ix_area_notes_area", "area_notes")
    op.drop_table("area_notes")
