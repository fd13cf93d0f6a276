"""Shelters on the day: an event's hazard, and every change of an opened site kept (who, when).

A site's status is its latest record in ``event_site_updates``; nothing is overwritten.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_event_sites"
down_revision = "0016_shelter_targets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The hazard of an event, and the table of site updates."""
    with op.batch_alter_table("safety_events") as batch:
        batch.add_column(sa.Column("hazard", sa.String(20), nullable=True))
    op.create_table(
        "event_site_updates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("resource_id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("open", sa.Boolean, nullable=False),
        sa.Column("people", sa.Integer, nullable=True),
        sa.Column("capacity_day", sa.Integer, nullable=True),
        sa.Column("capacity_night", sa.Integer, nullable=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("has", sa.JSON, nullable=False),
    )
    op.create_index("ix_event_site_updates_event", "event_site_updates", ["event_id", "resource_id"])


def downgrade() -> None:
    """Drop the site updates and the event's hazard."""
    op.drop_index("ix_event_site_updates_event", "event_site_updates")
    op.drop_table("event_site_updates")
    with op.batch_alter_table("safety_events") as batch:
        batch.drop_column("hazard")
