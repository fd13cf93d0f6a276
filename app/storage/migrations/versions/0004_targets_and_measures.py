"""Who places are for (category, target groups) and more census measures per population unit.

Existing resources are classified from the category and 対象 texts they already carry, with the
parser of this release; population units get the new measures when their source is re-imported
(until then they are unknown, never zero).
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from app.domain.targets import category_of, target_groups

revision = "0004_targets_and_measures"
down_revision = "0003_versions_and_sessions"
branch_labels = None
depends_on = None

MEASURES = ("age85", "children", "foreign", "older_living_alone", "older_couples", "infant_households")


def upgrade() -> None:
    """Add the columns, then classify the resources already stored."""
    for name in MEASURES:
        op.add_column("population_units", sa.Column(name, sa.Float, nullable=True))
    op.add_column("resources", sa.Column("category", sa.String(40), nullable=False, server_default=""))
    op.add_column("resources", sa.Column("targets", sa.JSON, nullable=False, server_default="[]"))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name, attributes FROM resources")).all()
    for resource_id, name, attributes in rows:
        attributes = json.loads(attributes) if isinstance(attributes, str) else (attributes or {})
        category = category_of(attributes.get("category", "") or name)
        targets = target_groups(attributes.get("target_group", ""), category)
        if category or targets:
            conn.execute(sa.text("UPDATE resources SET category = :c, targets = :t WHERE id = :i"),
                         {"c": category, "t": json.dumps(targets), "i": resource_id})


def downgrade() -> None:
    """Drop the columns (the texts they were read from stay in the attributes)."""
    op.drop_column("resources", "targets")
    op.drop_column("resources", "category")
    for name in reversed(MEASURES):
        op.drop_column("population_units", name)
