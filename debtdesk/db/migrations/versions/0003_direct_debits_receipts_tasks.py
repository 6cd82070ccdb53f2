"""Direct debits (mandate history, collections, Bacs report items), bank receipts and
suspense, and officers' tasks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 17:22:52.106465

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('mandate_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mandate_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('created', 'lodged', 'accepted', 'rejected', 'cancel_requested', 'cancel_sent', 'cancelled', 'held', 'released', 'amended', 'reinstated', 'returned_debit', 'final_collection', name='mandate_event_kind', native_enum=False, create_constraint=True,
              length=16), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_mandate_events_batch_id_batches')),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandates.id'], name=op.f('fk_mandate_events_mandate_id_mandates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mandate_events'))
    )
    with op.batch_alter_table('mandate_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mandate_events_mandate_id'), ['mandate_id'], unique=False)

    op.create_table('bank_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('payer', sa.String(length=200), nullable=False),
    sa.Column('bank_reference', sa.String(length=80), nullable=False),
    sa.Column('status', sa.Enum('matched', 'suspense', 'resolved', name='receipt_status', native_enum=False, create_constraint=True,
              length=8), nullable=False),
    sa.Column('rule', sa.Enum('reference', 'payer_and_amount', 'officer', 'none', name='match_rule', native_enum=False, create_constraint=True,
              length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_bank_receipts_account_id_accounts')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_bank_receipts_batch_id_batches')),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_bank_receipts_entry_id_ledger_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_receipts'))
    )
    with op.batch_alter_table('bank_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_receipts_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_receipts_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_bank_receipts_status_date', ['status', 'received_on'], unique=False)

    op.create_table('collections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mandate_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=True),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('represents_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('collection_date', sa.Date(), nullable=False),
    sa.Column('processing_date', sa.Date(), nullable=False),
    sa.Column('transaction_code', sa.String(length=2), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'collected', 'returned', 'cancelled', 'not_needed', name='collection_status', native_enum=False, create_constraint=True,
              length=10), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('payment_entry_id', sa.Integer(), nullable=True),
    sa.Column('return_entry_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('represent_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_collections_account_id_accounts')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_collections_batch_id_batches')),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandates.id'], name=op.f('fk_collections_mandate_id_mandates')),
    sa.ForeignKeyConstraint(['payment_entry_id'], ['ledger_entries.id'], name=op.f('fk_collections_payment_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['represents_id'], ['collections.id'], name=op.f('fk_collections_represents_id_collections')),
    sa.ForeignKeyConstraint(['return_entry_id'], ['ledger_entries.id'], name=op.f('fk_collections_return_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_collections_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collections')),
    sa.UniqueConstraint('represents_id', name=op.f('uq_collections_represents_id')),
    sa.UniqueConstraint('statement_id', 'attempt', name='uq_collections_statement_attempt')
    )
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collections_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collections_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_collections_mandate', ['mandate_id', 'collection_date'], unique=False)
        batch_op.create_index('ix_collections_status_date', ['status', 'collection_date'], unique=False)

    op.create_table('bacs_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('payer_name', sa.String(length=60), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('mandate_id', sa.Integer(), nullable=True),
    sa.Column('collection_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_bacs_items_account_id_accounts')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_bacs_items_batch_id_batches')),
    sa.ForeignKeyConstraint(['collection_id'], ['collections.id'], name=op.f('fk_bacs_items_collection_id_collections')),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandates.id'], name=op.f('fk_bacs_items_mandate_id_mandates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bacs_items'))
    )
    with op.batch_alter_table('bacs_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bacs_items_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bacs_items_batch_id'), ['batch_id'], unique=False)

    op.create_table('suspense_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('allocate', 'refund', name='suspense_action_kind', native_enum=False, create_constraint=True,
              length=8), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_suspense_actions_account_id_accounts')),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_suspense_actions_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_suspense_actions_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['receipt_id'], ['bank_receipts.id'], name=op.f('fk_suspense_actions_receipt_id_bank_receipts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suspense_actions'))
    )
    with op.batch_alter_table('suspense_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suspense_actions_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('re_present', 'new_instruction', 'other_payment_method', 'deceased', 'stop_until_resolved', 'check_instruction', 'unknown_return', name='task_kind', native_enum=False, create_constraint=True,
              length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'cancelled', name='task_status', native_enum=False, create_constraint=True,
              length=9), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('bacs_item_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_by', sa.String(length=64), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_tasks_account_id_accounts')),
    sa.ForeignKeyConstraint(['bacs_item_id'], ['bacs_items.id'], name=op.f('fk_tasks_bacs_item_id_bacs_items')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_tasks_batch_id_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_tasks_status_due', ['status', 'due_on'], unique=False)

    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('set_up_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('instruction_due', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('hold_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('hold_reason')
        batch_op.drop_column('instruction_due')
        batch_op.drop_column('set_up_by')

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_status_due')
        batch_op.drop_index(batch_op.f('ix_tasks_account_id'))

    op.drop_table('tasks')
    with op.batch_alter_table('suspense_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suspense_actions_receipt_id'))

    op.drop_table('suspense_actions')
    with op.batch_alter_table('bacs_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bacs_items_batch_id'))
        batch_op.drop_index(batch_op.f('ix_bacs_items_account_id'))

    op.drop_table('bacs_items')
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.drop_index('ix_collections_status_date')
        batch_op.drop_index('ix_collections_mandate')
        batch_op.drop_index(batch_op.f('ix_collections_batch_id'))
        batch_op.drop_index(batch_op.f('ix_collections_account_id'))

    op.drop_table('collections')
    with op.batch_alter_table('bank_receipts', schema=None) as batch_op:
        batch_op.drop_index('ix_bank_receipts_status_date')
        batch_op.drop_index(batch_op.f('ix_bank_receipts_batch_id'))
        batch_op.drop_index(batch_op.f('ix_bank_receipts_account_id'))

    op.drop_table('bank_receipts')
    with op.batch_alter_table('mandate_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mandate_events_mandate_id'))

    op.drop_table('mandate_events')
