"""Late Payment Act interest: Bank Rate's history (seeded from resources/bank_rate.csv),
the interest each run charged on each invoice, waivers, interest invoices, and interest
only for business customer types.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 22:45:00

"""
from datetime import UTC, datetime
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from debtdesk.domain.interest import read_history
from debtdesk.resources import resource_path


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KINDS = ('statement', 'opening_balance', 'sundry')


def _kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name='invoice_kind', native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values))


def upgrade() -> None:
    """Upgrade schema."""
    bank_rates = op.create_table('bank_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('basis_points', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by', sa.String(length=64), nullable=True),
    sa.Column('withdrawn_reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_rates')),
    sa.UniqueConstraint('effective_date', name=op.f('uq_bank_rates_effective_date'))
    )
    op.create_table('interest_charges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('reference_date', sa.Date(), nullable=False),
    sa.Column('bank_rate_bp', sa.Integer(), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('accrued', sa.BigInteger(), nullable=False),
    sa.Column('interest', sa.BigInteger(), nullable=False),
    sa.Column('compensation', sa.BigInteger(), nullable=False),
    sa.Column('charge_invoice_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_interest_charges_batch_id_batches')),
    sa.ForeignKeyConstraint(['charge_invoice_id'], ['invoices.id'], name=op.f('fk_interest_charges_charge_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_interest_charges_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_charges')),
    sa.UniqueConstraint('invoice_id', 'batch_id', name='uq_interest_charges_run')
    )
    with op.batch_alter_table('interest_charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interest_charges_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interest_charges_invoice_id'), ['invoice_id'], unique=False)
    op.create_table('interest_waivers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('credited', sa.BigInteger(), nullable=False),
    sa.Column('credit_entry_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['credit_entry_id'], ['ledger_entries.id'], name=op.f('fk_interest_waivers_credit_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_interest_waivers_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_waivers')),
    sa.UniqueConstraint('invoice_id', 'part', name='uq_interest_waivers_part')
    )
    with op.batch_alter_table('interest_waivers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interest_waivers_invoice_id'), ['invoice_id'], unique=False)
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=_kind(KINDS), type_=_kind(KINDS + ('interest',)),
                              existing_nullable=False)
    with op.batch_alter_table('customer_types', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'interest_business', 'is_business OR NOT late_payment_interest')

    history = read_history(resource_path('bank_rate.csv').read_text(encoding='utf-8'))
    now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC, like every timestamp
    op.bulk_insert(bank_rates, [
        {'effective_date': change.effective,
         'basis_points': int(change.rate * 100),
         'note': 'Shipped with debtdesk (FACTS.md §2)', 'added_by': 'debtdesk',
         'added_at': now, 'withdrawn_reason': '', 'version': 1}
        for change in history.changes
    ])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('customer_types', schema=None) as batch_op:
        batch_op.drop_constraint('ck_customer_types_interest_business', type_='check')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=_kind(KINDS + ('interest',)), type_=_kind(KINDS),
                              existing_nullable=False)
    with op.batch_alter_table('interest_waivers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_waivers_invoice_id'))
    op.drop_table('interest_waivers')
    with op.batch_alter_table('interest_charges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_charges_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_interest_charges_batch_id'))
    op.drop_table('interest_charges')
    op.drop_table('bank_rates')
