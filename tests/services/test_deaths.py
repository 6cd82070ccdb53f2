"""Recording a death: the estate's letters, the probate hold, and charges stop at death."""

from __future__ import annotations

from datetime import date

import pytest

from debtdesk.domain.caseload import AccountStatus, RepresentativeRole
from debtdesk.domain.documents import DocumentKind
from debtdesk.domain.holds import HoldReason, HoldState
from debtdesk.services.accounts import Accounts
from debtdesk.services.database import Database
from debtdesk.services.deaths import Deaths, EstateContact
from debtdesk.services.errors import BadInput
from debtdesk.services.holds import Holds
from debtdesk.services.letters import Letters
from tests.services.support import add_account, table_counts

EXECUTOR = EstateContact(
    "Mr Peter Brown", RepresentativeRole.EXECUTOR, "4 Elm Close\nWexford Vale\nWX2 2BB"
)


@pytest.fixture
def account(db: Database) -> int:
    with db.sessions.begin() as s:
        return add_account(s, "DE000001", "Mrs Ada Brown", address="1 High Street")


def test_a_death_with_an_executor_and_a_probate_hold(db: Database, account: int) -> None:
    done = Deaths(db).record(account, date(2026, 3, 1), date(2026, 3, 4), estate=EXECUTOR)
    detail = Accounts(db).detail("DE000001", date(2026, 3, 4))
    assert (detail.status, detail.date_of_death) == (AccountStatus.DECEASED.value, date(2026, 3, 1))
    # Reviewed 91 days after the council heard: Wed 3 Jun 2026.
    [hold] = Holds(db).for_account(account, date(2026, 3, 4))
    assert (hold.id, hold.reason, hold.review_on, hold.state) == (
        done.hold_id, HoldReason.PROBATE, date(2026, 6, 3), HoldState.IN_FORCE,
    )  # fmt: skip
    preview = Letters(db).preview(
        account, DocumentKind.LETTER, date(2026, 3, 4), "Condolences", ("We are sorry.",)
    )
    assert preview.addressee == "The personal representatives of the late Mrs Ada Brown"
    assert "Mr Peter Brown" in preview.html


@pytest.mark.parametrize(
    ("died", "told", "estate", "problem"),
    [
        (date(2026, 3, 5), date(2026, 3, 4), None, "cannot be told on 04/03/2026"),
        (date(2026, 3, 1), date(2026, 3, 4),
         EstateContact("Mrs D Brown", RepresentativeRole.RELATIVE, "9 Lane"),
         "an executor or administrator"),
    ],
)  # fmt: skip
def test_what_cannot_be_recorded_writes_nothing(
    db: Database, account: int, died: date, told: date, estate: EstateContact | None, problem: str
) -> None:
    before = table_counts(db.engine)
    with pytest.raises(BadInput, match=problem):
        Deaths(db).record(account, died, told, estate=estate)
    assert table_counts(db.engine) == before


def test_a_death_is_recorded_once(db: Database, account: int) -> None:
    Deaths(db).record(account, date(2026, 3, 1), date(2026, 3, 4), probate_hold=False)
    with pytest.raises(BadInput, match="recorded already"):
        Deaths(db).record(account, date(2026, 3, 2), date(2026, 3, 4))
