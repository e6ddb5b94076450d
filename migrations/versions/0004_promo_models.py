"""learned promotional models: profile websites, decision versions, community models

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN keeps every row in place (no table copy), also for WITHOUT ROWID tables.
    op.add_column("accounts", sa.Column("url", sa.Text(), nullable=True))
    op.add_column("tweets", sa.Column("promo_model", sa.String(length=64), nullable=True))
    op.create_table(
        "promo_models",
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("labels", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_promo_models")),
    )


def downgrade() -> None:
    op.drop_table("promo_models")
    with op.batch_alter_table("tweets") as batch:
        batch.drop_column("promo_model")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("url")
