"""A covering index for an invoice's lines as at a date: (invoice_id, effective_date, amount)
in place of (invoice_id, amount), so what each invoice owed at a date (the aged debt report,
overdue amounts) is summed from the index alone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 00:45:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        'ix_ledger_entries_invoice_effective',
        'ledger_entries',
        ['invoice_id', 'effective_date', 'amount'],
    )
    op.drop_index('ix_ledger_entries_invoice', table_name='ledger_entries')


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index('ix_ledger_entries_invoice', 'ledger_entries', ['invoice_id', 'amount'])
    op.drop_index('ix_ledger_entries_invoice_effective', table_name='ledger_entries')
