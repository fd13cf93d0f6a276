"""A user's cities as rows of ``user_cities``, no longer a comma-separated string in ``users.cities``."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_user_cities"
down_revision = "0014_partition_by_prefecture"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Move each user's codes into ``user_cities`` (blanks and repeats dropped), then the column."""
    op.create_table(
        "user_cities",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("city_code", sa.String(5), primary_key=True),
    )
    conn = op.get_bind()
    rows = [{"user_id": user_id, "city_code": code}
            for user_id, cities in conn.execute(sa.text("SELECT id, cities FROM users")).all()
            for code in dict.fromkeys(c.strip() for c in (cities or "").split(",")) if code]
    if rows:
        conn.execute(sa.text("INSERT INTO user_cities (user_id, city_code) VALUES (:user_id, :city_code)"),
                     rows)
    # Both backends drop a plain column in place; SQLite's table rebuild (batch mode) would
    # delete the users' tokens and areas through their ON DELETE CASCADE keys.
    op.execute("ALTER TABLE users DROP COLUMN cities")


def downgrade() -> None:
    """The codes back into ``users.cities``, in code order, and ``user_cities`` gone."""
    op.execute("ALTER TABLE users ADD COLUMN cities VARCHAR(200) DEFAULT '' NOT NULL")
    conn = op.get_bind()
    codes: dict[int, list[str]] = {}
    for user_id, code in conn.execute(sa.text("SELECT user_id, city_code FROM user_cities "
                                              "ORDER BY user_id, city_code")).all():
        codes.setdefault(user_id, []).append(code)
    for user_id, cities in codes.items():
        conn.execute(sa.text("UPDATE users SET cities = :cities WHERE id = :id"),
                     {"cities": ",".join(cities), "id": user_id})
    op.drop_table("user_cities")
