"""Deferred payment agreement decisions (Care Act s69(2)), append-only.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 21:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from debtdesk.db.append_only import create_triggers, drop_triggers


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('dpa_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('not_available', 'offered', 'refused', 'accepted', name='dpa_outcome', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_dpa_records_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dpa_records'))
    )
    with op.batch_alter_table('dpa_records', schema=None) as batch_op:
        batch_op.create_index('ix_dpa_records_account', ['account_id', 'id'], unique=False)
    create_triggers(op, 'dpa_records')


def downgrade() -> None:
    """Downgrade schema."""
    drop_triggers(op, 'dpa_records')
    with op.batch_alter_table('dpa_records', schema=None) as batch_op:
        batch_op.drop_index('ix_dpa_records_account')
    op.drop_table('dpa_records')
