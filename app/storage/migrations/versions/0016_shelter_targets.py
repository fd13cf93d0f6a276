"""Who each shelter is for, read from its 受入対象者 (``domain.targets.shelter_targets``).

Until this revision a shelter was one flag, welfare or not, set by any of 要配慮者|高齢者|障害者|
妊産婦|乳幼児: a nursery reserved for 妊婦・乳幼児 was every frail older person's welfare shelter.
The stored shelters and emergency sites get their target groups from the text they carry, and the
flag means "reserved for a group" (no longer "a welfare shelter for anyone").
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from app.domain.targets import facility_targets, listed_shelter_targets, open_to_all, shelter_targets

revision = "0016_shelter_targets"
down_revision = "0015_user_cities"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Classify every stored shelter and emergency site, and the hubs whose type names a group."""
    conn = op.get_bind()
    json_value = "CAST(:t AS JSON)" if conn.dialect.name == "postgresql" else ":t"
    hubs = conn.execute(sa.text("SELECT id, name, attributes, targets FROM resources "
                                "WHERE kind = 'hub'")).all()
    for resource_id, name, attributes, targets in hubs:
        attributes = json.loads(attributes) if isinstance(attributes, str) else (attributes or {})
        targets = json.loads(targets) if isinstance(targets, str) else (targets or [])
        found = facility_targets(f"{attributes.get('category', '')} {name}")
        if not targets and found:
            conn.execute(sa.text(f"UPDATE resources SET targets = {json_value} WHERE id = :i"),
                         {"t": json.dumps(found), "i": resource_id})
    rows = conn.execute(sa.text("SELECT id, kind, attributes FROM resources "
                                "WHERE kind IN ('shelter', 'emergency_site')")).all()
    for resource_id, kind, attributes in rows:
        attributes = json.loads(attributes) if isinstance(attributes, str) else (attributes or {})
        targets = listed_shelter_targets(attributes) if kind == "shelter" else \
            shelter_targets(attributes.get("target_group", ""))
        conn.execute(sa.text(f"UPDATE resources SET targets = {json_value}, welfare_shelter = :w "
                             "WHERE id = :i"),
                     {"t": json.dumps(targets), "w": kind == "shelter" and not open_to_all(targets),
                      "i": resource_id})


def downgrade() -> None:
    """Nothing to undo: the older release ignores a shelter's targets."""
