"""Which debtdesk build brought the database to each schema revision: one row per upgrade
(or creation), so a build refusing a newer database can name the version that wrote it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 03:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('schema_builds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.String(length=32), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('upgraded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schema_builds'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('schema_builds')
