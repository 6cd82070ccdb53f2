"""Payment plans paid by direct debit: a collection names the plan and the instalment it
collects, once per attempt.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 20:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('instalment', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_collections_plan_id_payment_plans'), 'payment_plans',
            ['plan_id'], ['id'])
        batch_op.create_unique_constraint(
            'uq_collections_plan_instalment_attempt', ['plan_id', 'instalment', 'attempt'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.drop_constraint('uq_collections_plan_instalment_attempt', type_='unique')
        batch_op.drop_constraint(
            batch_op.f('fk_collections_plan_id_payment_plans'), type_='foreignkey')
        batch_op.drop_column('instalment')
        batch_op.drop_column('plan_id')
