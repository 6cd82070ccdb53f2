"""The unallocated cash and suspense report (``unallocated``): credit on accounts not yet set
against a bill, and receipts nobody has placed, as at a date D.

**Account credit**: every account whose balance at D is less than what its invoices still
owe at D (services.reporting.ageing's arithmetic: only entries and allocations effective on
or before D count, whenever they were posted), shown as a positive amount of credit.

**Suspense**: every bank receipt put in suspense (not matched on import) that was received
on or before D, with what of it was still in suspense at the end of D: its amount less the
parts an officer allocated or refunded by then, counted by the day the officer acted (the
UTC day of the action), exactly as services.reconciliation counts suspense. So this sheet's
total for a month's last day is that month's suspense closing figure. (A receipt allocated
later becomes a payment effective on the day it was received, so it is also on the
account's ledger at D if the report is run after the allocation: the reconciliation's
control account shows it as suspense at D all the same.)

Both sheets are read for every account and receipt at once, in a few grouped queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, BankReceipt, Batch, CustomerType, SuspenseAction, User
from debtdesk.domain.money import format_pounds, json_pounds
from debtdesk.domain.receipts import ReceiptStatus
from debtdesk.reports.report import Column, Kind, Report, Sheet, Table, Value, count, money
from debtdesk.services.reporting.ageing import balances_at, outstanding_invoices
from debtdesk.services.reporting.catalogue import ReportParams
from debtdesk.services.sql import chunks, pence_sum

ABOUT = (
    "Account credit: every account whose balance at the date is less than what its bills "
    "still owe, so it holds credit not yet set against a bill (shown as a positive amount), "
    "counting only entries and payments effective on or before the date, whenever posted. "
    "Suspense: every bank receipt that went to suspense, received on or before the date "
    "and not wholly allocated or refunded by the end of that day (by the day the officer "
    "acted), with what of it was still held; the total is the month-end reconciliation's "
    "suspense closing figure for a month ending on the date. Officer and customer type are "
    "as they are now."
)

CREDIT_COLUMNS = (
    Column("Reference"),
    Column("Client"),
    Column("Officer"),
    Column("Customer type"),
    money("Unallocated credit (shown positive)"),
    money("Balance"),
    Column("Oldest open bill due", Kind.DATE),
)
SUSPENSE_COLUMNS = (
    Column("Received on", Kind.DATE),
    money("Amount"),
    money("Still in suspense at the date"),
    Column("Payer"),
    Column("Payer's reference"),
    Column("Bank reference"),
    Column("Source file or batch"),
    count("Days in suspense at the date"),
)


@dataclass(frozen=True)
class Credit:
    """An account's credit at a date: what is not set against a bill (positive pence)."""

    account_id: int
    credit: int
    balance: int
    oldest_due: date | None  # the earliest due date of a bill still owing


def account_credits(session: Session, as_of: date) -> list[Credit]:
    """Every account holding unallocated credit at ``as_of`` (balance less open bills < 0)."""
    balances = balances_at(session, as_of)
    owed: dict[int, int] = {}
    oldest: dict[int, date] = {}
    for account_id, due_on, outstanding in outstanding_invoices(session, as_of):
        owed[account_id] = owed.get(account_id, 0) + outstanding
        if outstanding > 0 and (account_id not in oldest or due_on < oldest[account_id]):
            oldest[account_id] = due_on
    credits = []
    for account_id in balances.keys() | owed.keys():
        balance = balances.get(account_id, 0)
        unallocated = balance - owed.get(account_id, 0)
        if unallocated < 0:
            credits.append(Credit(account_id, -unallocated, balance, oldest.get(account_id)))
    return credits


def _accounts(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str, str, str]]:
    """Reference, client, officer and customer type of each account in ``ids``."""
    found: dict[int, tuple[str, str, str, str]] = {}
    for chunk in chunks(sorted(ids)):
        for account_id, reference, client, officer, type_code in session.execute(
            select(
                Account.id,
                Account.reference,
                Account.client_name,
                User.display_name,
                CustomerType.code,
            )
            .join(CustomerType, CustomerType.id == Account.customer_type_id)
            .outerjoin(User, User.id == Account.officer_id)
            .where(Account.id.in_(chunk))
        ).tuples():
            found[account_id] = (reference, client, officer or "", type_code)
    return found


@dataclass(frozen=True)
class Held:
    """A receipt in suspense at a date and what of it was still held then."""

    received_on: date
    amount: int
    held: int
    payer: str
    reference: str
    bank_reference: str
    source: str


def end_of_day(day: date) -> datetime:
    """The first moment after ``day`` (UTC), before which an officer's action counts."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def suspense_at(session: Session, as_of: date) -> list[Held]:
    """Receipts in suspense at the end of ``as_of``, oldest first."""
    acted = (
        select(SuspenseAction.receipt_id, pence_sum(SuspenseAction.amount).label("out"))
        .where(SuspenseAction.at < end_of_day(as_of))
        .group_by(SuspenseAction.receipt_id)
        .subquery()
    )
    rows = session.execute(
        select(BankReceipt, Batch.file_name, acted.c.out)
        .join(Batch, Batch.id == BankReceipt.batch_id)
        .outerjoin(acted, acted.c.receipt_id == BankReceipt.id)
        .where(BankReceipt.status != ReceiptStatus.MATCHED, BankReceipt.received_on <= as_of)
        .order_by(BankReceipt.received_on, BankReceipt.id)
    ).tuples()
    held = []
    for receipt, file_name, out in rows:
        left = receipt.amount - int(out or 0)
        if left > 0:
            where = f"{file_name}, {receipt.source}" if file_name else receipt.source
            held.append(
                Held(
                    receipt.received_on,
                    receipt.amount,
                    left,
                    receipt.payer,
                    receipt.reference,
                    receipt.bank_reference,
                    where or f"batch {receipt.batch_id}",
                )
            )
    return held


def _credit_rows(session: Session, credits: Sequence[Credit]) -> list[list[Value]]:
    names = _accounts(session, (c.account_id for c in credits))
    rows: list[list[Value]] = [
        [*names[c.account_id], c.credit, c.balance, c.oldest_due] for c in credits
    ]
    rows.sort(key=lambda row: str(row[0]))
    return rows


def build(session: Session, params: ReportParams) -> Report:
    """The unallocated cash and suspense report as at ``params.as_of``."""
    as_of = params.as_of
    credits = account_credits(session, as_of)
    held = suspense_at(session, as_of)
    credit_total = sum(c.credit for c in credits)
    suspense_total = sum(h.held for h in held)
    suspense_rows: list[list[Value]] = [
        [
            h.received_on,
            h.amount,
            h.held,
            h.payer,
            h.reference,
            h.bank_reference,
            h.source,
            (as_of - h.received_on).days,
        ]
        for h in held
    ]
    return Report(
        name="unallocated",
        title="Unallocated cash and suspense",
        about=ABOUT,
        parameters=(("As at", as_of),),
        sheets=(
            Sheet(
                "Account credit",
                (Table(CREDIT_COLUMNS, _credit_rows(session, credits)),),
                "one row an account holding credit not set against a bill",
                freeze_columns=1,
            ),
            Sheet(
                "Suspense",
                (Table(SUSPENSE_COLUMNS, suspense_rows),),
                "one row a receipt still (partly) in suspense at the end of the date",
            ),
        ),
        summary={
            "accounts": len(credits),
            "account_credit": json_pounds(credit_total),
            "suspense_items": len(held),
            "suspense": json_pounds(suspense_total),
        },
        text=(
            f"Unallocated at {as_of:%d/%m/%Y}: {len(credits):,} accounts in credit "
            f"{format_pounds(credit_total)}; {len(held):,} receipts in suspense "
            f"{format_pounds(suspense_total)}"
        ),
    )
