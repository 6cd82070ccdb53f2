"""An account's recovery at a glance: stage, next stage and its date, what stops it, and
each open invoice's last day to claim. £1,500.00 due Mon 2 Mar 2026 (RULES.md stages)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from debtdesk.domain.contacts import ContactChannel, Direction
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.services import ledger
from debtdesk.services.contact_notes import ContactNotes, NewNote
from debtdesk.services.database import Database
from debtdesk.services.holds import Holds
from debtdesk.services.recovery import recovery_summary
from debtdesk.services.recovery_run import RecoveryRuns
from tests.services.test_recovery_run import account  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The recovery run renders its letters: let pytest-qt make the application."""


def test_before_and_after_the_reminder(db: Database, account: int, tmp_path: Path) -> None:  # noqa: F811
    before = recovery_summary(db, account, date(2026, 3, 10))
    assert (before.stage, before.next_stage, before.next_due) == (
        None, "Reminder", date(2026, 3, 16),
    )  # fmt: skip
    assert (before.overdue, before.oldest_overdue_due, before.waiting_because) == (
        150_000, date(2026, 3, 2), "",
    )  # fmt: skip
    RecoveryRuns(db).run(date(2026, 3, 16), tmp_path)
    after = recovery_summary(db, account, date(2026, 3, 16))
    assert (after.stage, after.next_stage, after.next_due) == (
        "Reminder", "Final reminder", date(2026, 3, 30),
    )  # fmt: skip
    assert [(h.code, h.effective_date) for h in after.history] == [("reminder", date(2026, 3, 16))]
    Holds(db).set(account, HoldReason.COMPLAINT, date(2026, 3, 17), review=date(2026, 4, 17))
    held = recovery_summary(db, account, date(2026, 3, 20))
    assert (held.on_hold, held.waiting_because) == (True, "on hold")


def test_the_six_years_restart_with_a_part_payment_or_an_acknowledgment(
    db: Database,
    account: int,  # noqa: F811
) -> None:
    [line] = recovery_summary(db, account, date(2026, 3, 10)).limits
    assert (line.due, line.last_day_to_claim) == (date(2026, 3, 2), date(2032, 3, 2))
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -10_000, date(2026, 4, 10), source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CARD,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")
    [line] = recovery_summary(db, account, date(2026, 4, 10)).limits
    assert (line.outstanding, line.last_day_to_claim) == (140_000, date(2032, 4, 10))
    ContactNotes(db).add(
        account,
        NewNote(
            datetime(2026, 5, 5, 9, 0, tzinfo=UTC), ContactChannel.LETTER, Direction.INBOUND,
            "Mrs Ada Brown", "Letter agreeing she owes the balance", acknowledges_debt=True,
        ),
    )  # fmt: skip
    [line] = recovery_summary(db, account, date(2026, 5, 5)).limits
    assert line.last_day_to_claim == date(2032, 5, 5)
