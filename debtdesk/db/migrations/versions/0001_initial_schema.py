"""Initial schema: caseload, ledger, allocations, audit; append-only triggers; seed data.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 11:03:22.884561

"""
from datetime import date
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from debtdesk.db.append_only import create_triggers, drop_triggers


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_events_hash'))
    )
    op.create_table('batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batches')),
    sa.UniqueConstraint('file_sha256', name=op.f('uq_batches_file_sha256'))
    )
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_batches_kind'), ['kind'], unique=False)

    op.create_table('customer_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('is_business', sa.Boolean(), nullable=False),
    sa.Column('payment_terms_days', sa.Integer(), nullable=False),
    sa.Column('late_payment_interest', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_types')),
    sa.UniqueConstraint('code', name=op.f('uq_customer_types_code'))
    )
    op.create_table('fnc_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('weekly', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fnc_rates')),
    sa.UniqueConstraint('effective_from', name=op.f('uq_fnc_rates_effective_from'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('officer', 'team_leader', 'finance_manager', 'administrator', name='user_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('social_care_client_id', sa.String(length=40), nullable=True),
    sa.Column('care_setting', sa.Enum('residential', 'community', name='care_setting', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('status', sa.Enum('active', 'ceased', 'deceased', name='account_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('date_of_death', sa.Date(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('customer_type_id', sa.Integer(), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.Column('search_text', sa.String(length=240), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_type_id'], ['customer_types.id'], name=op.f('fk_accounts_customer_type_id_customer_types')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_accounts_officer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('reference', name=op.f('uq_accounts_reference'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index('ix_accounts_balance', ['balance', 'id'], unique=False)
        batch_op.create_index('ix_accounts_client_name', ['client_name', 'id'], unique=False)
        batch_op.create_index('ix_accounts_officer_id', ['officer_id'], unique=False)
        batch_op.create_index('ix_accounts_postcode', ['postcode'], unique=False)
        batch_op.create_index('ix_accounts_status', ['status'], unique=False)

    op.create_table('care_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=120), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('weekly_cost', sa.BigInteger(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('funding', sa.Enum('council', 'fnc', 'chc', name='funding', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_care_packages_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_packages'))
    )
    with op.batch_alter_table('care_packages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_packages_account_id'), ['account_id'], unique=False)

    op.create_table('financial_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('weekly_contribution', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_financial_assessments_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_financial_assessments'))
    )
    with op.batch_alter_table('financial_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_financial_assessments_account_id'), ['account_id'], unique=False)

    op.create_table('invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.Enum('statement', 'opening_balance', 'sundry', name='invoice_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_invoices_account_id_accounts')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_invoices_batch_id_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number'))
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index('ix_invoices_account_due', ['account_id', 'due_on', 'number'], unique=False)

    op.create_table('representatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('attorney', 'deputy', 'appointee', 'executor', 'relative', 'solicitor', 'advocate', name='representative_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('receives_correspondence', sa.Boolean(), nullable=False),
    sa.Column('authority_checked_on', sa.Date(), nullable=True),
    sa.Column('authority_reference', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_representatives_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_representatives'))
    )
    with op.batch_alter_table('representatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_representatives_account_id'), ['account_id'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('charge', 'payment', 'returned_payment', 'adjustment', 'credit', 'refund', 'interest', 'compensation', 'write_off', name='entry_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.Enum('batch', 'run', 'user', name='entry_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('method', sa.Enum('direct_debit', 'bank_transfer', 'card', 'cheque', 'cash', name='payment_method', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_ledger_entries_account_id_accounts')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_ledger_entries_batch_id_batches')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_ledger_entries_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['reverses_id'], ['ledger_entries.id'], name=op.f('fk_ledger_entries_reverses_id_ledger_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_ledger_entries_reverses_id'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_account_effective', ['account_id', 'effective_date', 'amount'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_ledger_entries_invoice_id', ['invoice_id'], unique=False)

    op.create_table('allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_allocations_account_id_accounts')),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_allocations_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_allocations_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['reverses_id'], ['allocations.id'], name=op.f('fk_allocations_reverses_id_allocations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocations')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_allocations_reverses_id'))
    )
    with op.batch_alter_table('allocations', schema=None) as batch_op:
        batch_op.create_index('ix_allocations_account', ['account_id', 'effective_date'], unique=False)
        batch_op.create_index('ix_allocations_entry', ['entry_id'], unique=False)
        batch_op.create_index('ix_allocations_invoice', ['invoice_id', 'effective_date', 'amount'], unique=False)
    op.create_table('counters',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_counters'))
    )
    op.create_table('mandates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=18), nullable=False),
    sa.Column('payer_name', sa.String(length=60), nullable=False),
    sa.Column('sort_code', sa.String(length=6), nullable=False),
    sa.Column('account_number', sa.String(length=8), nullable=False),
    sa.Column('status', sa.Enum('pending', 'live', 'cancelled', 'failed', name='mandate_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('lodged_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_mandates_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mandates')),
    sa.UniqueConstraint('reference', name=op.f('uq_mandates_reference'))
    )
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mandates_account_id'), ['account_id'], unique=False)
    create_triggers(op, "ledger_entries")
    create_triggers(op, "allocations")
    _seed()


def _seed() -> None:
    """The customer types every new database has (CLI.md) and the FNC rate history."""
    customer_types = sa.table(
        "customer_types",
        sa.column("code", sa.String), sa.column("name", sa.String),
        sa.column("is_business", sa.Boolean), sa.column("payment_terms_days", sa.Integer),
        sa.column("late_payment_interest", sa.Boolean),
    )
    op.bulk_insert(customer_types, [
        {"code": "INDIVIDUAL", "name": "Individual", "is_business": False,
         "payment_terms_days": 14, "late_payment_interest": False},
        {"code": "ESTATE", "name": "Estate of a person who has died", "is_business": False,
         "payment_terms_days": 14, "late_payment_interest": False},
        {"code": "BUSINESS", "name": "Business or public body", "is_business": True,
         "payment_terms_days": 30, "late_payment_interest": True},
    ])
    # NHS Funded Nursing Care standard weekly rate (England), from 1 April each year.
    # 2024/25-2026/27: FACTS.md (gov.uk "Boost in funding for care homes providing
    # nursing"); 2022/23 GBP 209.19 and 2023/24 GBP 219.71: DHSC, "Increased funding for
    # care homes providing nursing", 29 March 2023 (wired-gov.net/wg/news.nsf/articles/
    # increased+funding+for+care+homes+providing+nursing+29032023121000).
    fnc_rates = sa.table(
        "fnc_rates", sa.column("effective_from", sa.Date), sa.column("weekly", sa.BigInteger)
    )
    op.bulk_insert(fnc_rates, [
        {"effective_from": date(2022, 4, 1), "weekly": 20919},
        {"effective_from": date(2023, 4, 1), "weekly": 21971},
        {"effective_from": date(2024, 4, 1), "weekly": 23588},
        {"effective_from": date(2025, 4, 1), "weekly": 25406},
        {"effective_from": date(2026, 4, 1), "weekly": 26768},
    ])


def downgrade() -> None:
    """Downgrade schema."""
    for table in ("ledger_entries", "allocations"):
        drop_triggers(op, table)
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mandates_account_id'))
    op.drop_table('mandates')
    op.drop_table('counters')
    with op.batch_alter_table('allocations', schema=None) as batch_op:
        batch_op.drop_index('ix_allocations_invoice')
        batch_op.drop_index('ix_allocations_entry')
        batch_op.drop_index('ix_allocations_account')

    op.drop_table('allocations')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_invoice_id')
        batch_op.drop_index(batch_op.f('ix_ledger_entries_batch_id'))
        batch_op.drop_index('ix_ledger_entries_account_effective')

    op.drop_table('ledger_entries')
    with op.batch_alter_table('representatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_representatives_account_id'))

    op.drop_table('representatives')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_account_due')

    op.drop_table('invoices')
    with op.batch_alter_table('financial_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_financial_assessments_account_id'))

    op.drop_table('financial_assessments')
    with op.batch_alter_table('care_packages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_packages_account_id'))

    op.drop_table('care_packages')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index('ix_accounts_status')
        batch_op.drop_index('ix_accounts_postcode')
        batch_op.drop_index('ix_accounts_officer_id')
        batch_op.drop_index('ix_accounts_client_name')
        batch_op.drop_index('ix_accounts_balance')

    op.drop_table('accounts')
    op.drop_table('users')
    op.drop_table('settings')
    op.drop_table('fnc_rates')
    op.drop_table('customer_types')
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_batches_kind'))

    op.drop_table('batches')
    op.drop_table('audit_events')
