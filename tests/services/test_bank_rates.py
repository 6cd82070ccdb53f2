"""Bank Rate's history in the database: shipped rows, a new decision as a new row, a
mistake withdrawn only while no interest rests on it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.services import ledger
from debtdesk.services.bank_rates import BankRates, bank_rate_history, shipped_history
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.interest_run import InterestRuns
from tests.services.support import add_account, table_counts


def test_a_new_database_holds_the_shipped_history(db: Database) -> None:
    shipped = shipped_history()
    with db.sessions() as s:
        history = bank_rate_history(s)
    assert history == shipped
    assert (len(history.changes), history.known_to) == (34, date(2026, 6, 18))
    assert history.changes[-1].effective == date(2025, 12, 18)
    assert history.changes[-1].rate == Decimal("3.75")
    assert history.rate_on(date(2020, 3, 18)) == Decimal("0.25")  # the day before 0.10%


def test_a_decision_is_added_and_a_mistake_withdrawn(db: Database) -> None:
    rates = BankRates(db)
    added = rates.add(date(2026, 7, 30), Decimal("4.00"), "MPC 30 July 2026")
    assert rates.list()[0].effective == date(2026, 7, 30) and not rates.list()[0].used
    before = table_counts(db.engine)
    for day, rate, message in (
        (date(2026, 7, 30), "3.50", "Bank Rate from 30/07/2026 is recorded already (4.00%)"),
        (date(2026, 9, 17), "26", "a Bank Rate of 26% is not between 0% and 25%"),
        (date(2026, 9, 17), "3.755", "3.755%: Bank Rate is set in hundredths of a percent"),
    ):
        with pytest.raises(BadInput, match=re.escape(message)):
            rates.add(day, Decimal(rate))
    assert table_counts(db.engine) == before
    rates.withdraw(added, "Typed in before the announcement")
    with db.sessions() as s:
        assert bank_rate_history(s).changes[-1].effective == date(2025, 12, 18)
    with pytest.raises(BadInput, match="withdrawn already"):
        rates.withdraw(added, "again")


def test_a_rate_interest_rests_on_stays(db: Database) -> None:
    """A debt due 15/01/2026 is charged at the rate in force on 31/12/2025 (3.75% from
    18/12/2025): that row cannot be withdrawn, and no decision can now take effect on or
    before 31/12/2025."""
    with db.sessions.begin() as s:
        account = add_account(s, "BR000001", "Homes Ltd", type_code="BUSINESS")
        ledger.raise_invoice(
            s, account, InvoiceKind.OPENING_BALANCE, date(2026, 1, 15), date(2026, 1, 15),
            [(EntryKind.CHARGE, 1_000_00, None, "Balance")], source=EntrySource.USER,
            actor="tester",
        )  # fmt: skip
    InterestRuns(db).run(date(2026, 3, 16))
    rates = BankRates(db)
    used = next(r for r in rates.list() if r.effective == date(2025, 12, 18))
    assert used.used
    with pytest.raises(BadInput, match="interest has been worked out with the rate from 18/12"):
        rates.withdraw(used.id, "mistake")
    with pytest.raises(BadInput, match="charged at the rate in force on 31/12/2025"):
        rates.add(date(2025, 12, 31), Decimal("3.50"))
    rates.add(date(2026, 1, 1), Decimal("3.50"))  # after it: fine
