"""Write-offs: recommended by one, decided by another within their authority.

The account owes £1,500.00 on one invoice. RULES.md's limits: a team leader approves up
to £1,000.00, a finance manager up to £10,000.00; above that it is referred.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from debtdesk.domain.caseload import InvoiceKind, UserRole
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.domain.write_offs import WriteOffReason, WriteOffStatus
from debtdesk.services import ledger
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import Database, open_database
from debtdesk.services.errors import BadInput, NotAllowed
from debtdesk.services.settings import Settings
from debtdesk.services.users import Users
from debtdesk.services.write_offs import WriteOffs
from tests.services.support import entries_sum, new_account, table_counts

ON = date(2026, 6, 1)


@contextmanager
def login(db: Database, name: str) -> Iterator[Database]:
    other = open_database(db.url, actor=name)
    try:
        yield other
    finally:
        other.close()


@pytest.fixture
def account(db: Database) -> int:
    with db.sessions.begin() as s:
        account_id = new_account(s, "WO000001")
        ledger.raise_invoice(
            s, account_id, InvoiceKind.SUNDRY, date(2026, 3, 2), date(2026, 3, 16),
            [(EntryKind.CHARGE, 150_000, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    for username, role in [
        ("officer", UserRole.OFFICER),
        ("leader", UserRole.TEAM_LEADER),
        ("finance", UserRole.FINANCE_MANAGER),
    ]:
        Users(db).add(username, username.title(), role)
    return account_id


def _recommend(db: Database, account: int, amount: int) -> int:
    with login(db, "officer") as officer:
        return WriteOffs(officer).recommend(
            account, amount, WriteOffReason.HARDSHIP, "Income support only; SFS attached"
        )


def test_a_team_leader_approves_within_authority_and_the_entry_is_posted(
    db: Database, account: int
) -> None:
    wo = _recommend(db, account, 40_000)  # £400.00
    with login(db, "leader") as leader:
        assert WriteOffs(leader).approve(wo, ON, "agreed") is WriteOffStatus.APPROVED
    [line] = WriteOffs(db).for_account(account)
    assert (line.status, line.decided_by, line.entry_id is not None) == (
        WriteOffStatus.APPROVED, "leader", True,
    )  # fmt: skip
    # £1,500.00 less £400.00 written off: £1,100.00, by the entries and the cached balance.
    assert entries_sum(db.engine, "WO000001") == 110_000
    detail = Accounts(db).detail("WO000001", ON)
    assert detail.balance == 110_000
    assert [i.outstanding for i in detail.invoices] == [110_000]
    assert check(db).ok


def test_the_recommender_cannot_approve_and_nothing_is_posted(db: Database, account: int) -> None:
    Users(db).change("officer", role=UserRole.TEAM_LEADER)  # promoted since recommending
    wo = _recommend(db, account, 40_000)
    before = table_counts(db.engine)
    with login(db, "OFFICER") as same, pytest.raises(NotAllowed) as refused:
        WriteOffs(same).approve(wo, ON)
    assert str(refused.value) == (
        "the person who recommended a write-off cannot approve it; nothing was posted"
    )
    assert table_counts(db.engine) == before
    assert WriteOffs(db).for_account(account)[0].status is WriteOffStatus.RECOMMENDED


def test_over_authority_is_refused_naming_who_may_and_nothing_is_posted(
    db: Database, account: int
) -> None:
    wo = _recommend(db, account, 120_000)  # £1,200.00: over a team leader's £1,000.00
    before = table_counts(db.engine)
    with login(db, "leader") as leader, pytest.raises(NotAllowed) as refused:
        WriteOffs(leader).approve(wo, ON)
    assert str(refused.value) == (
        "£1,200.00 is over your authority (£1,000.00); a finance manager may approve up to "
        "£10,000.00; nothing was posted"
    )
    assert table_counts(db.engine) == before
    with login(db, "finance") as finance:
        assert WriteOffs(finance).approve(wo, ON) is WriteOffStatus.APPROVED
    assert entries_sum(db.engine, "WO000001") == 30_000


def test_above_every_limit_it_is_referred_not_posted(db: Database, account: int) -> None:
    Settings(db).set("write_offs.limits", '{"team_leader": 10000, "finance_manager": 100000}')
    wo = _recommend(db, account, 150_000)  # £1,500.00 over the finance manager's £1,000.00
    with login(db, "finance") as finance:
        assert WriteOffs(finance).approve(wo, ON) is WriteOffStatus.REFERRED
    assert entries_sum(db.engine, "WO000001") == 150_000
    assert WriteOffs(db).for_account(account)[0].entry_id is None


def test_an_officer_may_not_approve_and_a_rejection_needs_a_reason(
    db: Database, account: int
) -> None:
    wo = _recommend(db, account, 1_000)
    Users(db).add("officer2", "Another Officer", UserRole.OFFICER)
    with login(db, "officer2") as other, pytest.raises(NotAllowed, match="may not approve"):
        WriteOffs(other).approve(wo, ON)
    with login(db, "leader") as leader:
        with pytest.raises(BadInput, match="say why"):
            WriteOffs(leader).reject(wo, "")
        WriteOffs(leader).reject(wo, "pursue: the estate has a house")
        with pytest.raises(BadInput, match="was rejected already"):
            WriteOffs(leader).approve(wo, ON)


@pytest.mark.parametrize(
    ("amount", "evidence", "problem"),
    [
        (0, "x", "more than £0.00"),
        (150_001, "x", "£1,500.01 is more than the balance of £1,500.00"),
        (100, " ", "give the evidence"),
    ],
)
def test_a_recommendation_that_cannot_stand_is_refused(
    db: Database, account: int, amount: int, evidence: str, problem: str
) -> None:
    with login(db, "officer") as officer, pytest.raises(BadInput, match=problem):
        WriteOffs(officer).recommend(account, amount, WriteOffReason.UNECONOMICAL, evidence)
    assert WriteOffs(db).for_account(account) == []
