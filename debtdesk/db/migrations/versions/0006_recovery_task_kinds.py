"""Tasks from recovery stages: a phone call, and a step the officer carries out.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 19:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BEFORE = ('re_present', 'new_instruction', 'other_payment_method', 'deceased',
          'stop_until_resolved', 'check_instruction', 'unknown_return')
AFTER = BEFORE + ('recovery_call', 'recovery_step')


def _kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name='task_kind', native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values))


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=_kind(BEFORE), type_=_kind(AFTER),
                              existing_nullable=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=_kind(AFTER), type_=_kind(BEFORE),
                              existing_nullable=False)
