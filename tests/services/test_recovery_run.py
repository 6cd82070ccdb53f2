"""The recovery run, worked by hand on RULES.md's default stages.

One invoice of £1,500.00 due Mon 2 Mar 2026. Reminder 14 days after the due date (Mon
16 Mar); final reminder 14 days after the reminder (Mon 30 Mar); officer's call 7 days
after the final reminder (Mon 6 Apr); letter of claim 14 days after the final reminder
(Mon 13 Apr); panel referral 30 days after the letter of claim (Wed 13 May).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.payment_plans import Frequency
from debtdesk.domain.referrals import ReferralKind
from debtdesk.services import ledger
from debtdesk.services.check import check
from debtdesk.services.contact_notes import ContactNotes
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.holds import Holds
from debtdesk.services.payment_plans import PaymentPlans, PlanTerms
from debtdesk.services.recovery import recovery_summary
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.referrals import Referrals
from debtdesk.services.settings import Settings
from tests.services.support import add_account, table_counts

DUE = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The recovery run renders its letters: let pytest-qt make the application."""


@pytest.fixture
def account(db: Database) -> int:
    with db.sessions.begin() as s:
        account_id = add_account(
            s, "RR000001", "Mrs Ada Brown", address="1 High Street\nWexford Vale"
        )
        ledger.raise_invoice(
            s, account_id, InvoiceKind.SUNDRY, date(2026, 2, 16), DUE,
            [(EntryKind.CHARGE, 150_000, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    return account_id


def _stages(db: Database, account: int) -> list[tuple[str, date]]:
    with db.engine.connect() as c:
        return [
            (stage, date.fromisoformat(str(day)[:10]))
            for stage, day in c.execute(
                text(
                    "SELECT stage, effective_date FROM recovery_events "
                    "WHERE account_id = :a ORDER BY id"
                ),
                {"a": account},
            )
        ]


def _tasks(db: Database, account: int) -> list[tuple[str, str]]:
    with db.engine.connect() as c:
        return [
            (kind, str(due)[:10])
            for kind, due in c.execute(
                text("SELECT kind, due_on FROM tasks WHERE account_id = :a ORDER BY id"),
                {"a": account},
            )
        ]


def test_an_account_walks_every_default_stage_on_its_day(
    db: Database, account: int, tmp_path: Path
) -> None:
    runs = RecoveryRuns(db)
    walk = [
        (date(2026, 3, 15), None),
        (date(2026, 3, 16), "reminder"),
        (date(2026, 3, 29), None),
        (date(2026, 3, 30), "final_reminder"),
        (date(2026, 4, 5), None),
        (date(2026, 4, 6), "officer_contact"),
        (date(2026, 4, 12), None),
        (date(2026, 4, 13), "letter_of_claim"),
        (date(2026, 5, 12), None),
        (date(2026, 5, 13), "panel_referral"),
        (date(2026, 9, 1), None),  # after the panel: only its decision moves it on
    ]
    expected: list[tuple[str, date]] = []
    for day, stage in walk:
        result = runs.run(day, tmp_path)
        assert result.advanced == (1 if stage else 0), (day, result.message)
        if stage:
            expected.append((stage, day))
        assert _stages(db, account) == expected, day
    # Three letters (reminder, final reminder, letter of claim), each in its print file
    # and noted on the account; two tasks (the call, the panel referral).
    letters = [p.name for p in sorted(tmp_path.glob("recovery-*/accounts/*.pdf"))]
    assert [name.split("-", 1)[1] for name in letters] == [
        "reminder-2026-03-16.pdf",
        "final_reminder-2026-03-30.pdf",
        "letter_of_claim-2026-04-13.pdf",
    ]
    assert (tmp_path / "recovery-2026-04-13" / "print-2026-04-13.pdf").exists()
    notes = [n.summary for n in ContactNotes(db).for_account(account)]
    assert len(notes) == 3 and all(n.endswith(" sent") for n in notes)
    # Tasks due two working days after their run: Wed 8 Apr; Fri 15 May.
    assert _tasks(db, account) == [
        ("recovery_call", "2026-04-08"),
        ("recovery_step", "2026-05-15"),
    ]
    assert check(db).ok


def test_a_hold_stops_the_clock_and_its_end_lets_it_go(
    db: Database, account: int, tmp_path: Path
) -> None:
    hold = Holds(db).set(
        account, HoldReason.DISPUTE, date(2026, 3, 10), review=date(2026, 4, 1), note="disputed"
    )
    assert RecoveryRuns(db).run(date(2026, 3, 16), tmp_path).advanced == 0
    Holds(db).end(hold, date(2026, 3, 20), "the dispute was looked into: the charge stands")
    result = RecoveryRuns(db).run(date(2026, 3, 20), tmp_path)
    assert result.advanced == 1
    assert _stages(db, account) == [("reminder", date(2026, 3, 20))]
    # The final reminder counts from the reminder's real date: Fri 3 Apr, not 30 Mar.
    assert RecoveryRuns(db).run(date(2026, 4, 2), tmp_path).advanced == 0
    assert RecoveryRuns(db).run(date(2026, 4, 3), tmp_path).advanced == 1


def test_a_referral_still_out_stops_the_letters_until_it_comes_back(
    db: Database, account: int, tmp_path: Path
) -> None:
    """Traced from Tue 10 Mar, returned Fri 20 Mar: no reminder on 16 Mar (the debt is
    with the agency), the reminder on 20 Mar, the day it came back."""
    referrals = Referrals(db)
    traced = referrals.refer(
        account, ReferralKind.TRACING_AGENT, date(2026, 3, 10), 150_000, "Trace UK"
    )
    assert RecoveryRuns(db).run(date(2026, 3, 16), tmp_path).advanced == 0
    summary = recovery_summary(db, account, date(2026, 3, 16))
    assert summary.waiting_because == "with Trace UK (tracing agent) since 10/03/2026"
    referrals.record_return(traced, date(2026, 3, 20), "Traced to a new address", 0)
    assert RecoveryRuns(db).run(date(2026, 3, 20), tmp_path).advanced == 1
    assert _stages(db, account) == [("reminder", date(2026, 3, 20))]


def test_a_kept_plan_holds_the_account_and_breaking_it_lifts_the_hold(
    db: Database, account: int, tmp_path: Path
) -> None:
    """£500.00 a month from Mon 9 Mar (due 9 Mar, 9 Apr, 9 May): agreeing it holds the
    account (review 9 May). 9 Mar is paid, 9 Apr is not: kept through the grace to Thu
    16 Apr, broken on Fri 17 Apr, when the hold lifts and the reminder goes."""
    plan = PaymentPlans(db).create(
        account,
        PlanTerms(50_000, Frequency.MONTHLY, date(2026, 3, 9), 150_000, PaymentMethod.CARD),
    )
    [hold] = Holds(db).for_account(account, date(2026, 3, 9))
    assert (hold.reason, hold.start_on, hold.review_on, hold.end_on) == (
        HoldReason.KEPT_PLAN, date(2026, 3, 9), date(2026, 5, 9), None,
    )  # fmt: skip
    assert hold.note == f"Plan {plan}: £500.00 a month to 09/05/2026"
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -50_000, date(2026, 3, 9), source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CARD,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")
    runs = RecoveryRuns(db)
    assert runs.run(date(2026, 3, 16), tmp_path).advanced == 0  # the reminder's day: held
    assert runs.run(date(2026, 4, 16), tmp_path).advanced == 0  # in the grace: still kept
    result = runs.run(date(2026, 4, 17), tmp_path)
    assert (result.advanced, result.plans_ended) == (1, 1)
    assert _stages(db, account) == [("reminder", date(2026, 4, 17))]
    [hold] = Holds(db).for_account(account, date(2026, 4, 17))
    assert (hold.ended_on, hold.end_note) == (
        date(2026, 4, 17),
        f"Plan {plan} broken on 17/04/2026",
    )


def test_the_highest_eligible_stage_in_one_run(db: Database, account: int, tmp_path: Path) -> None:
    Settings(db).set("recovery.highest_stage", "yes")
    result = RecoveryRuns(db).run(date(2026, 5, 1), tmp_path)
    # Due by 1 May: reminder, final, call, letter of claim (13 Apr). It goes straight to
    # the letter of claim: one letter, and no call task for the stage it passed.
    assert (result.advanced, result.letters, result.tasks) == (1, 1, 0)
    assert _stages(db, account) == [("letter_of_claim", date(2026, 5, 1))]
    # The panel counts 30 days from the letter's real date: Sun 31 May.
    assert RecoveryRuns(db).run(date(2026, 5, 30), tmp_path).advanced == 0
    assert RecoveryRuns(db).run(date(2026, 5, 31), tmp_path).advanced == 1


def test_a_run_repeated_for_its_date_does_nothing_and_an_earlier_date_is_refused(
    db: Database, account: int, tmp_path: Path
) -> None:
    first = RecoveryRuns(db).run(date(2026, 3, 16), tmp_path)
    assert (first.advanced, first.letters) == (1, 1)
    before = table_counts(db.engine)
    again = RecoveryRuns(db).run(date(2026, 3, 16), tmp_path)
    assert (again.advanced, again.letters, again.tasks) == (0, 0, 0)
    assert again.print_file == first.print_file
    assert table_counts(db.engine) == before
    with pytest.raises(BadInput, match="the last recovery run was for 16/03/2026"):
        RecoveryRuns(db).run(date(2026, 3, 15), tmp_path)
    assert table_counts(db.engine) == before


def test_paid_off_leaves_recovery_and_a_kept_plan_stops_the_letter_of_claim(
    db: Database, account: int, tmp_path: Path
) -> None:
    runs = RecoveryRuns(db)
    for day in (date(2026, 3, 16), date(2026, 3, 30), date(2026, 4, 6)):
        runs.run(day, tmp_path)
    PaymentPlans(db).create(
        account,
        PlanTerms(50_000, Frequency.MONTHLY, date(2026, 4, 10), 150_000, PaymentMethod.CARD),
    )
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -50_000, date(2026, 4, 10), source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CARD,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")
    assert runs.run(date(2026, 4, 13), tmp_path).advanced == 0  # the plan is being kept
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -100_000, date(2026, 4, 20), source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CARD,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")
    result = runs.run(date(2026, 4, 20), tmp_path)
    assert (result.cleared, result.plans_ended) == (1, 1)
    assert _stages(db, account)[-1] == ("cleared", date(2026, 4, 20))
