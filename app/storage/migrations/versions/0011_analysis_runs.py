"""``analysis_runs``: per-city results of ``fureai batch``, keyed by parameters and data version."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_analysis_runs"
down_revision = "0010_surveys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``analysis_runs``."""
    op.create_table(
        "analysis_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("analysis", sa.String(20), nullable=False),
        sa.Column("city_code", sa.String(5), nullable=False),
        sa.Column("params_key", sa.String(64), nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("data_version", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.JSON, nullable=True),
        sa.Column("error", sa.Text, nullable=False),
        sa.UniqueConstraint("analysis", "city_code", "params_key", "data_version", name="uq_analysis_run"),
    )


def downgrade() -> None:
    """Drop it (the runs are recomputed by the next batch)."""
    op.drop_table("analysis_runs")
