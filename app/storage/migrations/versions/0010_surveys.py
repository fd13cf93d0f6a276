"""「自分の避難場所を知ろう」: surveys, their printed sheets, the answers and the 自治会 tallies."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_surveys"
down_revision = "0009_persons"
branch_labels = None
depends_on = None

# Frozen here as they were at this revision (the vocabulary may grow in later revisions).
TALLY_COLUMNS = ("knows_yes", "knows_no", "alone_yes", "alone_no", "alone_unsure", "needs_help_yes",
                 "needs_help_no", "help_walking", "help_wheelchair", "help_sight", "help_hearing",
                 "help_language", "help_small_children", "help_pets", "help_other")


def upgrade() -> None:
    """Add ``surveys``, ``survey_sheets``, ``survey_answers`` and ``survey_tallies``."""
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("city_code", sa.String(5), nullable=False),
        sa.Column("area_kind", sa.String(40), nullable=False),
        sa.Column("area_code", sa.String(100), nullable=False),
        sa.Column("area_name", sa.String(200), nullable=False),
        sa.Column("hazard", sa.String(20), nullable=False),
        sa.Column("chome", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "survey_sheets",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("survey_id", sa.Integer, sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("chome", sa.String(100), nullable=False),
    )
    op.create_index("ix_survey_sheets_survey", "survey_sheets", ["survey_id"])
    _answers()
    op.create_table(
        "survey_tallies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("survey_id", sa.Integer, sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("chome", sa.String(100), nullable=False),
        sa.Column("source_file", sa.String(300), nullable=False),
        sa.Column("answers", sa.Integer, nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in TALLY_COLUMNS),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
    )


def _answers() -> None:
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("survey_id", sa.Integer, sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code", sa.String(16), nullable=True, unique=True),
        sa.Column("chome", sa.String(100), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("people", sa.Integer, nullable=False),
        sa.Column("knows", sa.String(10), nullable=False),
        sa.Column("alone", sa.String(10), nullable=False),
        sa.Column("needs_help", sa.String(10), nullable=False),
        sa.Column("help_kinds", sa.JSON, nullable=False),
        sa.Column("free_text", sa.LargeBinary, nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
    )
    op.create_index("ix_survey_answers_survey", "survey_answers", ["survey_id"])


def downgrade() -> None:
    """Drop them (the answers are lost; back up first)."""
    op.drop_table("survey_tallies")
    op.drop_index("ix_survey_answers_survey", "survey_answers")
    op.drop_table("survey_answers")
    op.drop_index("ix_survey_sheets_survey", "survey_sheets")
    op.drop_table("survey_sheets")
    op.drop_table("surveys")
