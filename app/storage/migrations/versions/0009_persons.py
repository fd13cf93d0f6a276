"""避難行動要支援者: the sealed register, its areas, supporters' areas, reads and 安否確認."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_persons"
down_revision = "0008_area_notes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the register, its areas, supporters' areas, the reads, and the events with their marks."""
    _register()
    _events()


def _register() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("city_code", sa.String(5), nullable=False),
        sa.Column("chome_code", sa.String(100), nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_persons_city", "persons", ["city_code"])
    op.create_table(
        "person_areas",
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
        sa.Column("area_kind", sa.String(40), nullable=False),
        sa.Column("area_code", sa.String(100), nullable=False),
    )
    op.create_index("ix_person_areas_area", "person_areas", ["area_kind", "area_code"])
    op.create_index("ix_person_areas_person", "person_areas", ["person_id"])
    op.create_table(
        "user_areas",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("area_kind", sa.String(40), nullable=False),
        sa.Column("area_code", sa.String(100), nullable=False),
        sa.UniqueConstraint("user_id", "area_kind", "area_code", name="uq_user_area"),
    )
    op.create_table(
        "person_reads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
    )
    op.create_index("ix_person_reads_at", "person_reads", ["at"])


def _events() -> None:
    op.create_table(
        "safety_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("city_code", sa.String(5), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(100), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(100), nullable=True),
    )
    op.create_table(
        "safety_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("safety_events.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
    )
    op.create_index("ix_safety_marks_event", "safety_marks", ["event_id", "person_id"])


def downgrade() -> None:
    """Drop them all (the register is lost; back up first, with its key)."""
    op.drop_index("ix_safety_marks_event", "safety_marks")
    op.drop_table("safety_marks")
    op.drop_table("safety_events")
    op.drop_index("ix_person_reads_at", "person_reads")
    op.drop_table("person_reads")
    op.drop_table("user_areas")
    op.drop_index("ix_person_areas_person", "person_areas")
    op.drop_index("ix_person_areas_area", "person_areas")
    op.drop_table("person_areas")
    op.drop_index("ix_persons_city", "persons")
    op.drop_table("persons")
