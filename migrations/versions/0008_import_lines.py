"""import lines: the digest of each imported JSON Lines line, so a re-import skips it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

A new table only; no existing row changes. Lines imported before this revision have no
digest and are parsed again when their file is re-imported (writing them changes nothing).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_lines",
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.Column("tweets", sa.Integer(), nullable=False),
        sa.Column("retweets", sa.Integer(), nullable=False),
        sa.Column("unattributed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_import_lines")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("import_lines")
