"""Bluesky: each member's personal data server, resolved from the DID and kept

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

``social_checkpoints.pds`` keeps the URL of the server that holds a Bluesky member's own
repository (read from their DID document), so that ``com.atproto.repo.listRecords`` goes there
without asking the PLC directory every run. A nullable column added in place: every row kept.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("social_checkpoints", sa.Column("pds", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("social_checkpoints") as batch:
        batch.drop_column("pds")
