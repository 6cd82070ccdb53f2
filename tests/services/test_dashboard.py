"""The dashboard's figures (services.dashboard) on a small caseload worked out by hand.

Periods run from the default anchor, Monday 31 March 2025, 28 days each. At the as-at
date, Friday 20 November 2026:

* the period containing it is 9 Nov - 6 Dec 2026 ("this period" for failed debits);
* the last complete period is 12 Oct - 8 Nov 2026, the one before 14 Sep - 11 Oct 2026;
* the trend's 13 period ends run back 28 days at a time from 8 Nov 2026 to 7 Dec 2025.

Ages are ``as_of - due date`` in days (RULES.md): 1-30, 31-60, ... 91-180, over 365.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    Batch,
    Collection,
    Hold,
    LedgerEntry,
    Mandate,
    PaymentPlan,
    Task,
    User,
)
from debtdesk.domain.caseload import InvoiceKind, MandateStatus, UserRole
from debtdesk.domain.direct_debit import CollectionStatus
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.payment_plans import Frequency, PlanStatus
from debtdesk.domain.periods import Period
from debtdesk.domain.tasks import TaskKind, TaskStatus
from debtdesk.services import ledger
from debtdesk.services.dashboard import Dashboards
from debtdesk.services.database import Database
from debtdesk.services.worklist import ItemKind
from tests.services.support import add_account

AS_OF = date(2026, 11, 20)
USER = EntrySource.USER


def _invoice(s: Session, account: int, issued: date, due: date, pence: int) -> None:
    ledger.raise_invoice(
        s, account, InvoiceKind.STATEMENT, issued, due,
        [(EntryKind.CHARGE, pence, None, "Contribution")], source=USER, actor="tester",
    )  # fmt: skip


def _entry(
    s: Session, account: int, kind: EntryKind, pence: int, day: date, **kw: Any
) -> LedgerEntry:
    return ledger.post_entry(s, account, kind, pence, day, source=USER, actor="tester", **kw)


def _returned_debit(
    s: Session, account: int, mandate: int, batch: int, pence: int, collected: date, back: date
) -> None:
    """A direct debit collected on ``collected`` and returned unpaid (ARUDD) on ``back``."""
    dd = PaymentMethod.DIRECT_DEBIT
    payment = _entry(s, account, EntryKind.PAYMENT, -pence, collected, method=dd)
    returned = _entry(
        s, account, EntryKind.RETURNED_PAYMENT, pence, back, method=dd, reverses=payment
    )
    s.add(
        Collection(
            mandate_id=mandate,
            account_id=account,
            amount=pence,
            collection_date=collected,
            processing_date=collected,
            transaction_code="17",
            status=CollectionStatus.RETURNED,
            batch_id=batch,
            payment_entry_id=payment.id,
            return_entry_id=returned.id,
        )  # fmt: skip
    )


def _caseload(db: Database) -> None:
    with db.sessions.begin() as s:
        officer = User(username="ofc", display_name="Olu Officer", role=UserRole.OFFICER)
        other = User(username="other", display_name="Another Officer", role=UserRole.OFFICER)
        s.add_all([officer, other])
        s.flush()
        a = add_account(s, "DB000001", "Ann Able")
        b = add_account(s, "DB000002", "Bob Baker")
        c = add_account(s, "DB000003", "Cal Cole")
        d = add_account(s, "DB000004", "Dee Dunn")
        e = add_account(s, "DB000005", "Eve Ede")
        for account_id in (a, b):
            s.get_one(Account, account_id).officer_id = officer.id

        # A: £100 charged 12 Oct (due 26 Oct, 25 days old), a £10 recalculation credit
        # for the period before, £60 paid 30 Oct: £30 left at 1-30 days. £50 charged 9 Nov
        # is due 23 Nov: not yet due. Balance £80.
        _invoice(s, a, date(2026, 10, 12), date(2026, 10, 26), 100_00)
        _entry(s, a, EntryKind.CREDIT, -10_00, date(2026, 10, 12), period_start=date(2026, 9, 14))
        _entry(s, a, EntryKind.PAYMENT, -60_00, date(2026, 10, 30), method=PaymentMethod.CARD)
        ledger.allocate(s, a, "tester")
        _invoice(s, a, date(2026, 11, 9), date(2026, 11, 23), 50_00)

        # B: £200 due 15 Jun is 158 days old (91-180). £30 paid 25 Nov, after the date:
        # it must not count anywhere.
        _invoice(s, b, date(2026, 6, 1), date(2026, 6, 15), 200_00)
        _entry(s, b, EntryKind.PAYMENT, -30_00, date(2026, 11, 25), method=PaymentMethod.CARD)
        ledger.allocate(s, b, "tester")

        # C: £80 due 15 Sep 2025 is 431 days old (over 365). Direct debits: £40 collected
        # 26 Oct and returned 28 Oct (last period), £80 collected 10 Nov and returned
        # 12 Nov (this period), £15 collected 16 Nov and returned 23 Nov (after the date:
        # at 20 Nov it is a payment, unallocated credit of £15). Balance £65.
        _invoice(s, c, date(2025, 9, 1), date(2025, 9, 15), 80_00)
        mandate = Mandate(
            account_id=c, reference="DDDB000003", payer_name="C COLE", sort_code="200000",
            account_number="12345678", status=MandateStatus.LIVE,
        )  # fmt: skip
        batch = Batch(kind="bacs_arudd", actor="tester")
        s.add_all([mandate, batch])
        s.flush()
        for pence, collected, back in (
            (40_00, date(2026, 10, 26), date(2026, 10, 28)),
            (80_00, date(2026, 11, 10), date(2026, 11, 12)),
            (15_00, date(2026, 11, 16), date(2026, 11, 23)),
        ):
            _returned_debit(s, c, mandate.id, batch.id, pence, collected, back)

        # D: £25 paid 20 Oct with no bill, and a £5 credit that names no period (not a
        # charge, e.g. a waiver): £30 of unallocated credit.
        _entry(s, d, EntryKind.PAYMENT, -25_00, date(2026, 10, 20), method=PaymentMethod.CASH)
        _entry(s, d, EntryKind.CREDIT, -5_00, date(2026, 10, 15))

        # E: £120 charged 14 Sep (the period before last), £90 paid 1 Oct: £30 left, due
        # 28 Sep, 53 days old (31-60).
        _invoice(s, e, date(2026, 9, 14), date(2026, 9, 28), 120_00)
        _entry(s, e, EntryKind.PAYMENT, -90_00, date(2026, 10, 1), method=PaymentMethod.CARD)
        ledger.allocate(s, e, "tester")

        _worklist(s, officer.id, other.id, a, b, c)


def _worklist(s: Session, officer: int, other: int, a: int, b: int, c: int) -> None:
    def task(account: int, due: date, to: int | None, status: TaskStatus = TaskStatus.OPEN) -> Task:
        return Task(
            account_id=account, kind=TaskKind.RECOVERY_CALL, title="Call", due_on=due,
            status=status, assigned_to=to, created_by="tester",
        )  # fmt: skip

    s.add_all(
        [
            task(a, date(2026, 11, 19), None),  # theirs, due: counts
            task(c, date(2026, 11, 20), officer),  # given to them, due today: counts
            task(a, date(2026, 11, 25), None),  # not due yet
            task(b, date(2026, 11, 2), other),  # given to someone else
            task(a, date(2026, 11, 2), None, TaskStatus.DONE),  # done
            # Review due 18 Nov: to review. Ended 10 Nov, lifted 11 Nov: within 14 days.
            Hold(account_id=b, reason=HoldReason.DISPUTE, start_on=date(2026, 10, 1),
                 review_on=date(2026, 11, 18), set_by="tester"),
            Hold(account_id=a, reason=HoldReason.COMPLAINT, start_on=date(2026, 10, 1),
                 end_on=date(2026, 11, 10), set_by="tester"),
            # Broken 15 Nov (within 14 days) counts; broken 1 Oct does not.
            _plan(a, date(2026, 11, 15)),
            _plan(b, date(2026, 10, 1)),
        ]
    )  # fmt: skip


def _plan(account: int, broken: date) -> PaymentPlan:
    return PaymentPlan(
        account_id=account, instalment=10_00, frequency=Frequency.WEEKLY,
        start_on=date(2026, 9, 1), total=100_00, method=PaymentMethod.CARD,
        status=PlanStatus.BROKEN, tolerance=0, grace_days=0, broken_on=broken,
        created_by="tester",
    )  # fmt: skip


def test_the_figures_at_a_date(db: Database) -> None:
    _caseload(db)
    figures = Dashboards(db).figures(AS_OF, "OFC")  # the login, whatever its case

    # Balances: A £80, B £200, C £65, D -£30, E £30.
    assert figures.total == 345_00
    assert figures.aged == {
        "not_due": 50_00, "1_30": 30_00, "31_60": 30_00, "61_90": 0,
        "91_180": 200_00, "181_365": 0, "over_365": 80_00,
    }  # fmt: skip
    assert figures.overdue == 340_00
    assert figures.unallocated == -45_00  # C's £15 and D's £30

    # Last complete period, 12 Oct - 8 Nov: charged £100 - £10 credit = £90 (D's £5
    # credit names no period); collected A £60 + D £25 + C £40 - £40 returned = £85.
    this = figures.this_period
    assert this.period == Period(date(2026, 10, 12))
    assert (this.charged, this.collected) == (90_00, 85_00)
    assert this.rate == Decimal("0.9444")  # 85 / 90 = 0.94444...
    # The one before, 14 Sep - 11 Oct: E charged £120 and paid £90.
    last = figures.last_period
    assert last.period == Period(date(2026, 9, 14))
    assert (last.charged, last.collected, last.rate) == (120_00, 90_00, Decimal("0.75"))

    # Failed direct debits: this period to 20 Nov, the £80 returned 12 Nov (the £15
    # returned 23 Nov is after the date); the period before, the £40 returned 28 Oct.
    assert (figures.failed.period, figures.failed.until) == (Period(date(2026, 11, 9)), AS_OF)
    assert (figures.failed.count, figures.failed.amount) == (1, 80_00)
    assert (figures.failed_before.count, figures.failed_before.amount) == (1, 40_00)

    officer = figures.officer
    assert officer is not None
    assert (officer.username, officer.name, officer.accounts) == ("ofc", "Olu Officer", 2)
    assert (officer.debt, officer.overdue) == (280_00, 230_00)  # A and B; B's £200 and A's £30
    assert officer.worklist == {
        ItemKind.TASK: 2,
        ItemKind.BROKEN_PLAN: 1,
        ItemKind.HOLD_REVIEW: 1,
        ItemKind.HOLD_LIFTED: 1,
    }


def test_the_trend_is_the_debt_at_each_period_end(db: Database) -> None:
    _caseload(db)
    trend = Dashboards(db).figures(AS_OF, "ofc").trend
    ends = [point.period.end for point in trend]
    assert len(trend) == 13
    assert ends[0] == date(2025, 12, 7) and ends[-1] == date(2026, 11, 8)
    # C's £80 (Sep 2025) throughout; B's £200 from 1 Jun 2026 (after the 24 May end);
    # E's £120 - £90 from 14 Sep (the day after the 13 Sep end); by 8 Nov A's £100 - £10
    # - £60, D's -£25 - £5 and C's £40 - £40 add up to nothing.
    assert [p.total for p in trend] == [80_00] * 7 + [280_00] * 4 + [310_00, 310_00]


def test_nothing_charged_has_no_rate_and_a_stranger_has_no_figures(db: Database) -> None:
    figures = Dashboards(db).figures(AS_OF, "nobody")
    assert figures.total == 0 and figures.unallocated == 0
    assert figures.this_period.rate is None and figures.last_period.rate is None
    assert (figures.failed.count, figures.failed.amount) == (0, 0)
    assert [p.total for p in figures.trend] == [0] * 13
    assert figures.officer is None


def test_an_earlier_date_sees_only_what_was_effective_by_then(db: Database) -> None:
    _caseload(db)
    # At 31 Oct: A's £50 of 9 Nov and C's debits of November have not happened.
    figures = Dashboards(db).figures(date(2026, 10, 31), "ofc")
    # A £100 - £10 - £60 = £30; B £200; C £80 + £40 - £40; D -£30; E £30.
    assert figures.total == 310_00
    assert figures.aged["not_due"] == 0
    assert (figures.failed.period, figures.failed.count) == (Period(date(2026, 10, 12)), 1)
    assert figures.failed.amount == 40_00
