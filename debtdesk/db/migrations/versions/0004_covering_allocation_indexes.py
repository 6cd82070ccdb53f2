"""Covering indexes for allocation: an invoice's lines and a credit's allocations summed
from the index alone (invoice_id, amount) and (entry_id, amount), in place of the
single-column indexes they extend.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 19:10:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_ledger_entries_invoice', 'ledger_entries', ['invoice_id', 'amount'])
    op.drop_index('ix_ledger_entries_invoice_id', table_name='ledger_entries')
    op.create_index('ix_allocations_entry_amount', 'allocations', ['entry_id', 'amount'])
    op.drop_index('ix_allocations_entry', table_name='allocations')


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index('ix_allocations_entry', 'allocations', ['entry_id'])
    op.drop_index('ix_allocations_entry_amount', table_name='allocations')
    op.create_index('ix_ledger_entries_invoice_id', 'ledger_entries', ['invoice_id'])
    op.drop_index('ix_ledger_entries_invoice', table_name='ledger_entries')
