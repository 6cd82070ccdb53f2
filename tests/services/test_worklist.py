"""The worklist at a date, worked by hand: what is due, whose it is, and reassigning.

Officer Jo has account WL000001, owing £1,500.00 due Mon 2 Mar 2026. Officer Sam has
WL000002, owing £900.00 due Mon 1 Apr 2020 (six years: last day to claim 1 Apr 2026).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from debtdesk.db.models import Account
from debtdesk.domain.caseload import InvoiceKind, UserRole
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.payment_plans import Frequency
from debtdesk.domain.write_offs import WriteOffReason
from debtdesk.services import ledger
from debtdesk.services.database import Database, open_database
from debtdesk.services.errors import NotAllowed
from debtdesk.services.holds import Holds
from debtdesk.services.payment_plans import PaymentPlans, PlanTerms
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.users import Users
from debtdesk.services.worklist import ItemKind, Worklists
from debtdesk.services.write_offs import WriteOffs
from tests.services.support import add_account


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The recovery run renders its letters: let pytest-qt make the application."""


@contextmanager
def login(db: Database, name: str) -> Iterator[Database]:
    other = open_database(db.url, actor=name)
    try:
        yield other
    finally:
        other.close()


@pytest.fixture
def caseload(db: Database) -> dict[str, int]:
    jo = Users(db).add("jo", "Jo Officer", UserRole.OFFICER).id
    sam = Users(db).add("sam", "Sam Officer", UserRole.OFFICER).id
    Users(db).add("lee", "Lee Leader", UserRole.TEAM_LEADER)
    ids = {}
    with db.sessions.begin() as s:
        for ref, officer, issued, due, pence in [
            ("WL000001", jo, date(2026, 2, 16), date(2026, 3, 2), 150_000),
            ("WL000002", sam, date(2020, 3, 18), date(2020, 4, 1), 90_000),
        ]:
            account = add_account(s, ref, f"Client {ref}", address="1 Road")
            s.execute(update(Account).where(Account.id == account).values(officer_id=officer))
            ledger.raise_invoice(
                s, account, InvoiceKind.SUNDRY, issued, due,
                [(EntryKind.CHARGE, pence, None, "Contribution")],
                source=EntrySource.USER, actor="tester",
            )  # fmt: skip
            ids[ref] = account
    return ids


def _kinds(worklist: object) -> list[tuple[str, str, date]]:
    return [(i.kind.value, i.account_ref, i.due) for i in worklist.items]  # type: ignore[attr-defined]


def test_each_officer_sees_their_own_and_a_leader_sees_everyone(
    db: Database, caseload: dict[str, int], tmp_path: Path
) -> None:
    for day in (date(2026, 3, 16), date(2026, 3, 30), date(2026, 4, 6)):
        RecoveryRuns(db).run(day, tmp_path)  # Jo's account: reminder, final, phone call
    # The call is due two working days after 6 Apr: Wed 8 Apr.
    with login(db, "jo") as jo:
        assert _kinds(Worklists(jo).for_today(date(2026, 4, 7))) == []
        assert _kinds(Worklists(jo).for_today(date(2026, 4, 8))) == [
            ("task", "WL000001", date(2026, 4, 8))
        ]
    # Sam's account went through the same runs (its call is due 8 Apr too), and its 2020
    # invoice's last day to claim was 1 Apr 2026.
    with login(db, "sam") as sam:
        items = Worklists(sam).for_today(date(2026, 4, 8)).items
        assert _kinds(Worklists(sam).for_today(date(2026, 4, 8))) == [
            ("six_years", "WL000002", date(2026, 4, 1)),
            ("task", "WL000002", date(2026, 4, 8)),
        ]
        assert "statute-barred, the last day to claim was 01/04/2026" in items[0].what
    with login(db, "lee") as lee:
        everyone = Worklists(lee).for_today(date(2026, 4, 8))
        assert everyone.everyone
        assert everyone.counts() == {ItemKind.TASK: 2, ItemKind.SIX_YEARS: 1}


def test_holds_plans_claims_and_write_offs(
    db: Database, caseload: dict[str, int], tmp_path: Path
) -> None:
    jo_account = caseload["WL000001"]
    with login(db, "jo") as jo:
        Holds(jo).set(jo_account, HoldReason.BREATHING_SPACE, date(2026, 3, 3))  # to 1 May
        PaymentPlans(jo).create(
            jo_account,
            PlanTerms(50_000, Frequency.MONTHLY, date(2026, 5, 4), 150_000, PaymentMethod.CARD),
        )
        WriteOffs(jo).recommend(jo_account, 10_000, WriteOffReason.HARDSHIP, "SFS on file")
        # The Breathing Space lifted itself on 2 May; nothing paid on 4 May: the plan
        # broke on 12 May (4 May + 8). The officer does not decide write-offs.
        assert _kinds(Worklists(jo).for_today(date(2026, 5, 12))) == [
            ("hold_lifted", "WL000001", date(2026, 5, 2)),
            ("broken_plan", "WL000001", date(2026, 5, 12)),
        ]
    with login(db, "lee") as lee:
        kinds = {i.kind for i in Worklists(lee).for_today(date(2026, 5, 12)).items}
        assert ItemKind.WRITE_OFF in kinds


def test_a_letter_of_claim_unanswered_for_thirty_days(
    db: Database, caseload: dict[str, int], tmp_path: Path
) -> None:
    for day in (date(2026, 3, 16), date(2026, 3, 30), date(2026, 4, 6), date(2026, 4, 13)):
        RecoveryRuns(db).run(day, tmp_path)
    with login(db, "jo") as jo:
        items = Worklists(jo).for_today(date(2026, 5, 13)).items
    assert [(i.kind, i.due) for i in items if i.kind is ItemKind.CLAIM_EXPIRED] == [
        (ItemKind.CLAIM_EXPIRED, date(2026, 5, 13))  # 13 Apr + 30 days
    ]


def test_only_a_leader_reassigns(db: Database, caseload: dict[str, int]) -> None:
    Holds(db).set(
        caseload["WL000001"], HoldReason.DISPUTE, date(2026, 4, 1), review=date(2026, 4, 8)
    )
    sam = next(o.id for o in Worklists(db).officers() if o.name == "Sam Officer")
    with login(db, "jo") as jo:
        assert _kinds(Worklists(jo).for_today(date(2026, 4, 8))) == [
            ("hold_review", "WL000001", date(2026, 4, 8))
        ]
        with pytest.raises(NotAllowed, match="may not reassign"):
            Worklists(jo).reassign_account(caseload["WL000001"], sam)
    with login(db, "lee") as lee:
        Worklists(lee).reassign_account(caseload["WL000001"], sam)
    with login(db, "jo") as jo:
        assert Worklists(jo).for_today(date(2026, 4, 8)).items == ()
    with login(db, "sam") as sam_db:
        refs = {i.account_ref for i in Worklists(sam_db).for_today(date(2026, 4, 8)).items}
    assert refs == {"WL000001", "WL000002"}
