"""The statement run account by account: hand-worked statements on a real database.

Every figure is worked out by hand in the comments from RULES.md: a period is 28 days from
the anchor Monday (31/03/2025); each day charges min(assessed weekly contribution, weekly
cost of the care that day) / 7, summed over the period and rounded half-up once; the
statement is dated the day after the period ends and is due 14 days later (INDIVIDUAL);
every run recalculates every period up to its own and posts the differences, charges on
the one invoice and credits as CREDIT entries naming their period. The PDFs are read
back with pdftotext.

The periods used (start - end, statement date, due date for an individual):

    P0  31/03/2025 - 27/04/2025, 28/04/2025, 12/05/2025
    P1  28/04/2025 - 25/05/2025, 26/05/2025, 09/06/2025
    P2  26/05/2025 - 22/06/2025, 23/06/2025, 07/07/2025
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    CarePackage,
    Document,
    FinancialAssessment,
    Invoice,
    LedgerEntry,
    Representative,
    Statement,
)
from debtdesk.domain.caseload import AccountStatus, InvoiceKind, RepresentativeRole
from debtdesk.domain.charging import Funding
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.periods import Period
from debtdesk.services import ledger
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.statement_run import RunResult, StatementRuns
from tests.services.support import add_account, add_care, pdf_text

P0 = Period(date(2025, 3, 31))
P1 = Period(date(2025, 4, 28))
P2 = Period(date(2025, 5, 26))


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """Rendering needs Qt: let pytest-qt make the (widget) application, not the run."""


@dataclass(frozen=True)
class Issued:
    """One account's statement from one run, as stored and as printed."""

    row: Statement
    text: str  # the PDF's text laid out as printed (a row on a line), whitespace collapsed
    raw: str  # its text in reading order (the address block in one piece)
    invoices: list[Invoice]  # the invoices the run raised for the account
    entries: list[tuple[EntryKind, int, date | None, date, bool, str]]
    # ^ what the run posted: (kind, pence, period start, effective, on an invoice, text)


def _run(db: Database, period: Period, out: Path) -> RunResult:
    return StatementRuns(db).run(period.end, out)


def _issued(db: Database, reference: str, period: Period) -> Issued:
    with db.sessions() as s:
        account_id = s.scalar(select(Account.id).where(Account.reference == reference))
        row = s.scalars(
            select(Statement).where(
                Statement.account_id == account_id, Statement.period_start == period.start
            )
        ).one()
        document = s.get(Document, row.document_id)
        assert document is not None and document.path
        invoices = list(
            s.scalars(
                select(Invoice)
                .where(Invoice.account_id == account_id, Invoice.batch_id == row.batch_id)
                .order_by(Invoice.id)
            )
        )
        entries = [
            (e.kind, e.amount, e.period_start, e.effective_date, e.invoice_id is not None,
             e.description)
            for e in s.scalars(
                select(LedgerEntry)
                .where(LedgerEntry.account_id == account_id, LedgerEntry.batch_id == row.batch_id)
                .order_by(LedgerEntry.id)
            )
        ]  # fmt: skip
    path = Path(document.path)
    return Issued(row, pdf_text(path), pdf_text(path, layout=False), invoices, entries)


def _figures(row: Statement) -> tuple[int, int, int, int, int, int, date, date]:
    """(brought forward, charged, received, closing, amount due, arrears, date, due)."""
    return (
        row.brought_forward,
        row.charged,
        row.received,
        row.closing_balance,
        row.amount_due,
        row.arrears,
        row.statement_date,
        row.due_on,
    )


def _pay(s: Session, account_id: int, pence: int, day: date, method: PaymentMethod) -> None:
    ledger.post_entry(
        s, account_id, EntryKind.PAYMENT, -pence, day,
        source=EntrySource.USER, actor="tester", method=method,
    )  # fmt: skip
    ledger.allocate(s, account_id, "tester")


def _balance_at(db: Database, reference: str, day: date) -> int:
    return Accounts(db).detail(reference, day).balance


def _statement_count(db: Database) -> int:
    with db.sessions() as s:
        return len(s.scalars(select(Statement.id)).all())


def test_a_mid_period_assessment_change_is_charged_day_by_day_and_rounded_once(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = add_account(s, "SR000001", "Mrs Edith Cole", address="4 Quay Street")
        # Care costs £200.00 a week throughout, more than either assessment: the
        # assessment is what each day charges. £85.50 a week to Wednesday 9 April, then
        # £100.28 a week from Thursday 10 April 2025 (day 11 of P0).
        s.add(
            CarePackage(
                account_id=account, service="Home care", weekly_cost=20000,
                start_date=P0.start, end_date=None, funding=Funding.COUNCIL,
            )
        )  # fmt: skip
        s.add(
            FinancialAssessment(
                account_id=account,
                effective_from=P0.start,
                effective_to=date(2025, 4, 9),
                weekly_contribution=8550,
            )
        )
        s.add(FinancialAssessment(account_id=account, effective_from=date(2025, 4, 10),
                                  effective_to=None, weekly_contribution=10028))  # fmt: skip

    result = _run(db, P0, tmp_path)

    # 31/03-09/04, 10 days at £85.50: 8550 × 10 / 7 = 12214 2/7 p (£122.14 to the penny);
    # 10/04-27/04, 18 days at £100.28: 10028 × 18 / 7 = 25786 2/7 p (£257.86).
    # The period is rounded once: 12214 2/7 + 25786 2/7 = 38000 4/7 -> 38001p, £380.01,
    # a penny more than the stretches rounded one by one (£380.00): a rounding line of 1p.
    assert (result.issued, result.already_issued, result.total_charged) == (1, 0, 38001)
    issued = _issued(db, "SR000001", P0)
    # First statement: nothing brought forward, nothing received; due 14 days after 28/04.
    assert _figures(issued.row) == (
        0, 38001, 0, 38001, 38001, 0, date(2025, 4, 28), date(2025, 5, 12),
    )  # fmt: skip
    [invoice] = issued.invoices
    assert (invoice.kind, invoice.amount, invoice.issued_on, invoice.due_on) == (
        InvoiceKind.STATEMENT, 38001, date(2025, 4, 28), date(2025, 5, 12),
    )  # fmt: skip
    assert (invoice.period_start, invoice.period_end) == (P0.start, P0.end)
    assert issued.row.invoice_id == invoice.id
    assert issued.entries == [
        (EntryKind.CHARGE, 38001, P0.start, date(2025, 4, 28), True,
         "Charge for 31/03/2025 to 27/04/2025"),
    ]  # fmt: skip
    text = issued.text
    assert "Statement number: ST00000001" in text
    assert "Period: 31/03/2025 to 27/04/2025" in text
    assert "Charge for 31/03/2025 to 27/04/2025 £380.01" in text
    assert "31/03/2025 to 09/04/2025, 10 days at £85.50 a week £122.14" in text
    assert "10/04/2025 to 27/04/2025, 18 days at £100.28 a week £257.86" in text
    assert "Rounding: the period is rounded once, to the penny £0.01" in text
    assert "Balance at 28 April 2025 £380.01" in text
    assert "Amount due £380.01 by 12 May 2025" in text
    assert "arrears" not in text
    assert _balance_at(db, "SR000001", date(2025, 4, 28)) == 38001
    assert check(db).ok


def test_charges_stop_at_death_and_the_statement_goes_to_the_personal_representatives(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = add_account(
            s, "SR000002", "Mr Arthur Jones", address="3 Mill Row\nWexford Vale", postcode="WX3 3CC"
        )
        add_care(s, account, P0.start, 7000, 10000)  # £70.00 a week, care at £100.00
    # P0: 28 days × £70 / 7 = £280.00, to Mr Jones himself.
    _run(db, P0, tmp_path)
    assert _issued(db, "SR000002", P0).row.addressee == "Mr Arthur Jones"

    with db.sessions.begin() as s:
        # Mr Jones died on Tuesday 6 May 2025, day 9 of P1; his daughter is his executor.
        person = s.get(Account, account)
        assert person is not None
        person.status = AccountStatus.DECEASED
        person.date_of_death = date(2025, 5, 6)
        s.add(
            Representative(
                account_id=account, name="Ms Karen Jones", role=RepresentativeRole.EXECUTOR,
                address="8 Elm Close\nOtherton\nOT1 1ZZ", receives_correspondence=True,
            )
        )  # fmt: skip

    result = _run(db, P1, tmp_path)

    # The day of death is the last chargeable day: 28/04-06/05 is 9 days at £70 / 7 =
    # £90.00, and nothing for the 19 days after. P0's £280.00 (due 12/05, unpaid) is
    # brought forward and is arrears; closing £280 + £90 = £370.00, due 09/06/2025.
    assert result.total_charged == 9000
    issued = _issued(db, "SR000002", P1)
    assert _figures(issued.row) == (
        28000, 9000, 0, 37000, 37000, 28000, date(2025, 5, 26), date(2025, 6, 9),
    )  # fmt: skip
    assert issued.entries == [
        (EntryKind.CHARGE, 9000, P1.start, date(2025, 5, 26), True,
         "Charge for 28/04/2025 to 25/05/2025"),
    ]  # fmt: skip
    name = "The personal representatives of the late Mr Arthur Jones"
    assert issued.row.addressee == name
    # The address block goes to the estate, care of the executor, at her address.
    assert f"{name} c/o Ms Karen Jones 8 Elm Close Otherton OT1 1ZZ" in issued.raw
    text = issued.text
    assert "3 Mill Row" not in text
    assert "Client: Mr Arthur Jones" in text
    assert "28/04/2025 to 06/05/2025, 9 days at £70.00 a week £90.00" in text
    assert "Amount due £370.00 by 9 June 2025" in text
    assert "This includes £280.00 of arrears" in text
    # To an estate: no direct debit offered; the debt is the estate's.
    assert "It is owed by the estate of the late Mr Arthur Jones" in text
    assert "we will set one up" not in text
    assert "We are sorry for your loss" in text

    # The next period charges nothing at all, but the estate still owes £370.00: it gets
    # a statement with no charges, and all of it is arrears now (both invoices are due).
    result = _run(db, P2, tmp_path)
    assert (result.issued, result.total_charged) == (1, 0)
    issued = _issued(db, "SR000002", P2)
    assert _figures(issued.row) == (
        37000, 0, 0, 37000, 37000, 37000, date(2025, 6, 23), date(2025, 7, 7),
    )  # fmt: skip
    assert issued.invoices == [] and issued.entries == []
    assert "No charges on this statement £0.00" in issued.text
    assert issued.row.addressee == name


def test_a_backdated_chc_award_credits_the_periods_it_covers_by_name(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = add_account(s, "SR000003", "Mr Colin Barr")
        add_care(s, account, P0.start, 7000, 10000)  # £70.00 a week, care at £100.00
    _run(db, P0, tmp_path)  # P0: £280.00, due 12/05
    _run(db, P1, tmp_path)  # P1: £280.00, due 09/06; nothing paid: £560.00 owed
    with db.sessions.begin() as s:
        # NHS Continuing Healthcare awarded late, from Monday 14 April 2025 (day 15 of P0):
        # the council's package ends the day before and the NHS funds the care from then.
        package = s.scalars(select(CarePackage).where(CarePackage.account_id == account)).one()
        package.end_date = date(2025, 4, 13)
        s.add(
            CarePackage(
                account_id=account, service="Nursing care (CHC)", weekly_cost=150000,
                start_date=date(2025, 4, 14), end_date=None, funding=Funding.CHC,
            )
        )  # fmt: skip

    result = _run(db, P2, tmp_path)

    # Recalculated: P0 is now 14 days × £70 / 7 = £140.00, £280.00 was charged: a credit
    # of £140.00 naming P0. P1 is now nothing, £280.00 was charged: a credit of £280.00
    # naming P1. P2 charges nothing. So no invoice, two CREDIT entries dated 23/06/2025.
    # Brought forward £560.00 (P1's closing), charged -£420.00, closing £140.00.
    assert result.total_charged == -42000
    issued = _issued(db, "SR000003", P2)
    assert issued.invoices == [] and issued.row.invoice_id is None
    assert issued.entries == [
        (EntryKind.CREDIT, -14000, P0.start, date(2025, 6, 23), False,
         "Recalculated charge for 31/03/2025 to 27/04/2025"),
        (EntryKind.CREDIT, -28000, P1.start, date(2025, 6, 23), False,
         "Recalculated charge for 28/04/2025 to 25/05/2025"),
    ]  # fmt: skip
    # The credits are set against the oldest invoice first: £140 + £140 clear P0's
    # £280.00, the other £140 goes to P1's, leaving £140.00 of P1's invoice (due 09/06,
    # before this statement): all £140.00 still owed is arrears.
    assert _figures(issued.row) == (
        56000, -42000, 0, 14000, 14000, 14000, date(2025, 6, 23), date(2025, 7, 7),
    )  # fmt: skip
    detail = Accounts(db).detail("SR000003", date(2025, 6, 23))
    assert detail.balance == 14000 and detail.unallocated == 0
    assert [(i.issued, i.outstanding) for i in detail.open_invoices] == [(date(2025, 5, 26), 14000)]
    text = issued.text
    assert "Recalculated charge for 31/03/2025 to 27/04/2025 -£140.00" in text
    assert "Now due £140.00, previously charged £280.00" in text
    assert "31/03/2025 to 13/04/2025, 14 days at £70.00 a week £140.00" in text
    assert "Recalculated charge for 28/04/2025 to 25/05/2025 -£280.00" in text
    assert "Now due £0.00, previously charged £280.00" in text
    assert "Balance at 23 June 2025 £140.00" in text
    assert "Amount due £140.00 by 7 July 2025" in text
    assert "This includes £140.00 of arrears" in text
    assert check(db).ok


def test_a_backdated_increase_is_charged_on_the_same_invoice_as_the_period(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = add_account(s, "SR000004", "Ms Dora Hale")
        add_care(s, account, P0.start, 7000, 10000)  # £70.00 a week, care at £100.00
    _run(db, P0, tmp_path)  # P0: £280.00
    with db.sessions.begin() as s:
        _pay(s, account, 28000, date(2025, 5, 9), PaymentMethod.BANK_TRANSFER)
        # A reassessment reported late: £84.00 a week from Monday 14 April 2025.
        first = s.scalars(
            select(FinancialAssessment).where(FinancialAssessment.account_id == account)
        ).one()
        first.effective_to = date(2025, 4, 13)
        s.add(FinancialAssessment(account_id=account, effective_from=date(2025, 4, 14),
                                  effective_to=None, weekly_contribution=8400))  # fmt: skip

    result = _run(db, P1, tmp_path)

    # P0 recalculated: 14 days at £70 (£140.00) + 14 days at £84 (£168.00) = £308.00;
    # £280.00 was charged: a supplementary £28.00. P1: 28 days at £84 / 7 = £336.00.
    # Both on one invoice of £364.00, issued 26/05/2025 and due 09/06/2025.
    assert result.total_charged == 36400
    issued = _issued(db, "SR000004", P1)
    [invoice] = issued.invoices
    assert (invoice.amount, invoice.issued_on, invoice.due_on) == (
        36400, date(2025, 5, 26), date(2025, 6, 9),
    )  # fmt: skip
    assert (invoice.period_start, invoice.period_end) == (P1.start, P1.end)
    assert issued.row.invoice_id == invoice.id
    assert issued.entries == [
        (EntryKind.CHARGE, 2800, P0.start, date(2025, 5, 26), True,
         "Recalculated charge for 31/03/2025 to 27/04/2025"),
        (EntryKind.CHARGE, 33600, P1.start, date(2025, 5, 26), True,
         "Charge for 28/04/2025 to 25/05/2025"),
    ]  # fmt: skip
    # Brought forward £280.00, charged £364.00, the £280.00 paid on 09/05: closing £364.00.
    # P0's invoice is paid, the new one is not yet due: no arrears.
    assert _figures(issued.row) == (
        28000, 36400, -28000, 36400, 36400, 0, date(2025, 5, 26), date(2025, 6, 9),
    )  # fmt: skip
    text = issued.text
    assert "Recalculated charge for 31/03/2025 to 27/04/2025 £28.00" in text
    assert "Now due £308.00, previously charged £280.00" in text
    assert "31/03/2025 to 13/04/2025, 14 days at £70.00 a week £140.00" in text
    assert "14/04/2025 to 27/04/2025, 14 days at £84.00 a week £168.00" in text
    assert "Charge for 28/04/2025 to 25/05/2025 £336.00" in text
    assert "28/04/2025 to 25/05/2025, 28 days at £84.00 a week £336.00" in text
    assert "09/05/2025 Payment received (bank transfer) -£280.00" in text
    assert "Amount due £364.00 by 9 June 2025" in text
    assert "arrears" not in text


def test_a_period_never_run_is_charged_with_the_next_on_one_invoice(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        early = add_account(s, "SR000005", "Mr Ian Pike", postcode="WX1 1AA")
        add_care(s, early, P0.start, 7000, 10000)  # £70.00 a week, care at £100.00
        late = add_account(s, "SR000006", "Mrs Jo Penn", postcode="WX2 2AA")
        # Care and assessment start on Monday 12 May 2025, day 15 of P1: £49.00 a week
        # (the care costs £300.00, more).
        add_care(s, late, date(2025, 5, 12), 4900, 30000)
    first = _run(db, P0, tmp_path)
    # P0: Mr Pike £280.00; Mrs Penn nothing charged and nothing owed, so no statement.
    assert (first.issued, first.total_charged) == (1, 28000)

    # P1 is never run; P2 is.
    result = _run(db, P2, tmp_path)

    # Mr Pike: P1 (not charged before) £280.00 + P2 £280.00 = £560.00, one invoice.
    # Mrs Penn: P1 14 days × £49 / 7 = £98.00 + P2 28 days × £49 / 7 = £196.00 = £294.00.
    # The run charged £560.00 + £294.00 = £854.00.
    assert (result.issued, result.total_charged) == (2, 85400)
    pike = _issued(db, "SR000005", P2)
    [invoice] = pike.invoices
    assert (invoice.amount, invoice.due_on) == (56000, date(2025, 7, 7))
    assert pike.entries == [
        (EntryKind.CHARGE, 28000, P1.start, date(2025, 6, 23), True,
         "Charge for 28/04/2025 to 25/05/2025 (not charged before)"),
        (EntryKind.CHARGE, 28000, P2.start, date(2025, 6, 23), True,
         "Charge for 26/05/2025 to 22/06/2025"),
    ]  # fmt: skip
    # Brought forward £280.00 from P0's statement, unpaid and due 12/05: arrears £280.00.
    # Closing £280 + £560 = £840.00.
    assert _figures(pike.row) == (
        28000, 56000, 0, 84000, 84000, 28000, date(2025, 6, 23), date(2025, 7, 7),
    )  # fmt: skip
    assert "Charge for 28/04/2025 to 25/05/2025 (not charged before) £280.00" in pike.text
    assert "Balance brought forward from your statement of 28 April 2025 £280.00" in pike.text

    penn = _issued(db, "SR000006", P2)
    [invoice] = penn.invoices
    assert invoice.amount == 29400
    assert penn.entries == [
        (EntryKind.CHARGE, 9800, P1.start, date(2025, 6, 23), True,
         "Charge for 28/04/2025 to 25/05/2025 (not charged before)"),
        (EntryKind.CHARGE, 19600, P2.start, date(2025, 6, 23), True,
         "Charge for 26/05/2025 to 22/06/2025"),
    ]  # fmt: skip
    assert _figures(penn.row) == (
        0, 29400, 0, 29400, 29400, 0, date(2025, 6, 23), date(2025, 7, 7),
    )  # fmt: skip
    assert "12/05/2025 to 25/05/2025, 14 days at £49.00 a week £98.00" in penn.text
    assert "Balance brought forward £0.00" in penn.text


def test_a_representative_receives_the_statement_for_the_client(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = add_account(
            s, "SR000007", "Mr A Smith", address="1 High Street\nWexford Vale", postcode="WX1 2AB"
        )
        add_care(s, account, P0.start, 3500, 10000)  # £35.00 a week: P0 £140.00
        s.add(
            Representative(
                account_id=account, name="Mr B Smith", role=RepresentativeRole.RELATIVE,
                address="99 Far Away\nFarton\nFA1 9ZZ", receives_correspondence=False,
            )
        )  # fmt: skip
        s.add(
            Representative(
                account_id=account, name="Mrs J Smith", role=RepresentativeRole.ATTORNEY,
                address="12 Oak Lane\nWexford Vale\nWX2 2BB", receives_correspondence=True,
            )
        )  # fmt: skip

    _run(db, P0, tmp_path)

    issued = _issued(db, "SR000007", P0)
    # The attorney marked to receive correspondence, at her own address; the relative who
    # does not receive it is not named; the client is named beside the reference.
    assert issued.row.addressee == "Mrs J Smith, attorney for Mr A Smith"
    assert "Mrs J Smith, attorney for Mr A Smith 12 Oak Lane Wexford Vale WX2 2BB" in issued.raw
    assert "Client: Mr A Smith" in issued.text
    assert "Mr B Smith" not in issued.text and "Far Away" not in issued.text
    assert "1 High Street" not in issued.text
    assert "Amount due £140.00 by 12 May 2025" in issued.text


def test_nothing_charged_and_nothing_owed_gets_no_statement(db: Database, tmp_path: Path) -> None:
    with db.sessions.begin() as s:
        add_account(s, "SR000008", "Mr No Care")  # never any care
        cleared = add_account(s, "SR000009", "Mrs Paid Up")
        in_credit = add_account(s, "SR000010", "Mr Over Paid")
        # Two weeks' care, 31/03-13/04/2025, at £70.00 a week: 14 × £70 / 7 = £140.00.
        add_care(s, cleared, P0.start, 7000, 10000, end=date(2025, 4, 13))
        add_care(s, in_credit, P0.start, 7000, 10000, end=date(2025, 4, 13))

    first = _run(db, P0, tmp_path)
    assert (first.issued, first.total_charged) == (2, 28000)  # £140.00 each, none for 08

    with db.sessions.begin() as s:
        _pay(s, cleared, 14000, date(2025, 5, 1), PaymentMethod.CARD)  # paid exactly
        _pay(s, in_credit, 15000, date(2025, 5, 1), PaymentMethod.CARD)  # £10.00 too much

    result = _run(db, P1, tmp_path)

    # P1 charges nobody. Mr No Care and Mrs Paid Up have nothing charged and a nil
    # balance: no statement. Mr Over Paid: £140.00 brought forward, £150.00 received,
    # closing -£10.00, a credit the council holds: he gets one, with nothing to pay.
    assert (result.issued, result.total_charged) == (1, 0)
    with db.sessions() as s:
        on_file = {
            (reference, start)
            for reference, start in s.execute(
                select(Account.reference, Statement.period_start).join(
                    Statement, Statement.account_id == Account.id
                )
            )
        }
    assert on_file == {
        ("SR000009", P0.start),
        ("SR000010", P0.start),
        ("SR000010", P1.start),
    }
    issued = _issued(db, "SR000010", P1)
    assert _figures(issued.row) == (
        14000, 0, -15000, -1000, 0, 0, date(2025, 5, 26), date(2025, 6, 9),
    )  # fmt: skip
    assert "Your account is in credit by £10.00: there is nothing to pay." in issued.text
    assert "Amount due" not in issued.text

    # Mr Over Paid's £10.00 is refunded on 02/06/2025: at P2's statement date (23/06)
    # nobody is charged anything or owes anything (or is owed). The run issues no
    # statement and writes no print file.
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, in_credit, EntryKind.REFUND, 1000, date(2025, 6, 2),
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    later = _run(db, P2, tmp_path)
    assert (later.issued, later.total_charged, later.print_file) == (0, 0, None)
    assert _statement_count(db) == 3
    assert not (tmp_path / "statements-2025-06-22").exists()


def test_brought_forward_payments_closing_balance_due_date_and_arrears(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = add_account(s, "SR000011", "Mrs Vera Lamb")
        add_care(s, account, P0.start, 7000, 10000)  # £70.00 a week: £280.00 a period
    _run(db, P0, tmp_path)  # P0 £280.00, due 12/05/2025
    with db.sessions.begin() as s:
        _pay(s, account, 10000, date(2025, 5, 2), PaymentMethod.CARD)
        _pay(s, account, 5000, date(2025, 5, 20), PaymentMethod.CHEQUE)
        # Effective after P1's statement date (26/05): not on P1's statement.
        _pay(s, account, 4000, date(2025, 5, 30), PaymentMethod.BANK_TRANSFER)

    _run(db, P1, tmp_path)

    # Brought forward £280.00 (the statement of 28/04/2025); P1 charges £280.00; received
    # £100.00 (02/05) + £50.00 (20/05) = £150.00; closing 280 + 280 - 150 = £410.00, due
    # 09/06/2025. Arrears: P0's £280.00 was due 12/05, before 26/05, and £150.00 of it
    # was paid by then: £130.00. P1's own invoice is not yet due.
    p1 = _issued(db, "SR000011", P1)
    assert _figures(p1.row) == (
        28000, 28000, -15000, 41000, 41000, 13000, date(2025, 5, 26), date(2025, 6, 9),
    )  # fmt: skip
    text = p1.text
    assert "Balance brought forward from your statement of 28 April 2025 £280.00" in text
    assert "02/05/2025 Payment received (card) -£100.00" in text
    assert "20/05/2025 Payment received (cheque) -£50.00" in text
    assert "30/05/2025" not in text
    assert "Balance at 26 May 2025 £410.00" in text
    assert "Amount due £410.00 by 9 June 2025" in text
    assert "This includes £130.00 of arrears that were due before this statement" in text
    # The statement's closing balance is the ledger's balance at the statement date.
    assert _balance_at(db, "SR000011", date(2025, 5, 26)) == 41000

    with db.sessions.begin() as s:
        # £25.00 in cash taken on 23/05 but entered only after P1's run: P1 could not
        # show it, so P2 must.
        _pay(s, account, 2500, date(2025, 5, 23), PaymentMethod.CASH)

    _run(db, P2, tmp_path)

    # Brought forward £410.00 (P1's closing); P2 charges £280.00; received £25.00 (cash,
    # 23/05) + £40.00 (30/05) = £65.00; closing 410 + 280 - 65 = £625.00, due 07/07.
    # Ledger at 23/06: 3 × £280 - (100 + 50 + 40 + 25) = 840 - 215 = £625.00.
    # Arrears: P0 and P1 (£560.00) were due before 23/06; £215.00 paid: £345.00.
    p2 = _issued(db, "SR000011", P2)
    assert _figures(p2.row) == (
        41000, 28000, -6500, 62500, 62500, 34500, date(2025, 6, 23), date(2025, 7, 7),
    )  # fmt: skip
    text = p2.text
    assert "Balance brought forward from your statement of 26 May 2025 £410.00" in text
    assert "23/05/2025 Payment received (cash) -£25.00" in text
    assert "30/05/2025 Payment received (bank transfer) -£40.00" in text
    assert "02/05/2025" not in text and "20/05/2025" not in text
    assert "Amount due £625.00 by 7 July 2025" in text
    assert "This includes £345.00 of arrears" in text
    assert _balance_at(db, "SR000011", date(2025, 6, 23)) == 62500
    assert check(db).ok


def test_funded_nursing_care_lowers_the_cost_from_the_day_its_rate_changes(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = add_account(s, "SR000012", "Mrs Nora Hart")
        # A nursing home at £900.00 a week gross, the NHS paying FNC to the home; assessed
        # at £700.00 a week. The FNC rate (seeded) is £235.88 a week to 31/03/2025 and
        # £254.06 from Tuesday 01/04/2025, day 2 of P0.
        add_care(s, account, P0.start, 70000, 90000, funding=Funding.FNC)

    result = _run(db, P0, tmp_path)

    # 31/03: cost 900.00 - 235.88 = £664.12 < £700: 66412 / 7 = 9487 3/7 p (£94.87).
    # 01/04-27/04, 27 days: cost 900.00 - 254.06 = £645.94: 64594 × 27 / 7 = 1744038 / 7
    # = 249148 2/7 p (£2,491.48). Period: 9487 3/7 + 249148 2/7 = 258635 5/7 -> £2,586.36;
    # the stretches rounded one by one make £2,586.35: a rounding line of 1p.
    assert result.total_charged == 258636
    issued = _issued(db, "SR000012", P0)
    assert (issued.row.charged, issued.row.closing_balance) == (258636, 258636)
    text = issued.text
    assert "31/03/2025 to 31/03/2025, 1 day at £664.12 a week £94.87" in text
    assert "01/04/2025 to 27/04/2025, 27 days at £645.94 a week £2,491.48" in text
    assert "Rounding: the period is rounded once, to the penny £0.01" in text
    assert "Amount due £2,586.36 by 12 May 2025" in text


def test_interest_is_listed_with_other_charges_not_with_payments(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = add_account(s, "SR000009", "Mr Ivor Price")
        add_care(s, account, P0.start, 7000, 10000)  # £70.00 a week: £280.00 a period
    _run(db, P0, tmp_path)
    with db.sessions.begin() as s:
        # Between the statements: £12.34 interest on 10/05/2025 and £50.00 paid on 15/05.
        invoice = s.scalar(select(Invoice.id).where(Invoice.account_id == account))
        ledger.post_entry(
            s, account, EntryKind.INTEREST, 1234, date(2025, 5, 10), invoice_id=invoice,
            source=EntrySource.USER, actor="tester", description="INV00000001",
        )  # fmt: skip
        _pay(s, account, 5000, date(2025, 5, 15), PaymentMethod.CARD)
    _run(db, P1, tmp_path)
    # P1: brought forward £280.00 + P1's £280.00 + other charges £12.34 - £50.00 received
    # = £522.34. Stored: charged £292.34 (the statement's and the other charges),
    # received -£50.00, so brought forward + charged + received = closing.
    issued = _issued(db, "SR000009", P1)
    assert (issued.row.brought_forward, issued.row.charged, issued.row.received) == (
        28000, 29234, -5000,
    )  # fmt: skip
    assert issued.row.closing_balance == 52234 == _balance_at(db, "SR000009", P1.statement_date)
    text = issued.text
    assert "Other charges since your last statement" in text
    assert "10/05/2025 Interest on late payment: INV00000001 £12.34" in text
    assert "15/05/2025 Payment received (card) -£50.00" in text
    other = text.index("Other charges since your last statement")
    payments = text.index("Payments and credits since your last statement")
    assert other < text.index("Interest on late payment") < payments
    assert payments < text.index("Payment received (card)")
