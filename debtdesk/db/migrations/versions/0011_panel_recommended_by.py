"""Who made a panel case's recommendation.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 23:35:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('panel_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recommended_by', sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('panel_cases', schema=None) as batch_op:
        batch_op.drop_column('recommended_by')
