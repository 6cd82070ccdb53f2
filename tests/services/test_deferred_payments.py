"""A deferred payment agreement offer before court action (Care Act s69(2)), worked by hand.

RULES.md: "A deferred payment agreement must be offered before any court action where
one is available". A legal referral or a county court claim is refused until the latest
decision on the account is "offered and refused" or "not available to the person"; an
offer with no answer, or an agreement in place, still stops it. Agents and tracing are
not court action and need no decision.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from debtdesk.domain.deferred_payments import DpaOutcome
from debtdesk.domain.referrals import ReferralKind
from debtdesk.services.database import Database
from debtdesk.services.deferred_payments import DeferredPayments
from debtdesk.services.errors import BadInput
from debtdesk.services.referrals import Referrals
from tests.services.support import add_account, table_counts

OFFERED, REFUSED = DpaOutcome.OFFERED, DpaOutcome.REFUSED
LEGAL, CLAIM = ReferralKind.LEGAL, ReferralKind.COUNTY_COURT_CLAIM
JAN_5, FEB_2, MAR_2 = date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2)


@pytest.fixture
def account(db: Database) -> int:
    with db.sessions.begin() as s:
        return add_account(s, "DA000001", "Mr Dan Able")


def _refuse_court(db: Database, account: int, kind: ReferralKind, message: str) -> None:
    before = table_counts(db.engine)
    with pytest.raises(BadInput, match=re.escape(f"DA000001: {message}")):
        Referrals(db).refer(account, kind, MAR_2, 150_000, "Legal services")
    assert table_counts(db.engine) == before


def test_court_action_waits_for_an_offer_to_be_refused(db: Database, account: int) -> None:
    dpa = DeferredPayments(db)
    for kind in (LEGAL, CLAIM):
        _refuse_court(db, account, kind, "no deferred payment agreement offer is recorded")
    # Agents are not court action.
    Referrals(db).refer(account, ReferralKind.TRACING_AGENT, MAR_2, 150_000, "Trace UK")

    dpa.record(account, OFFERED, JAN_5, "Offered by letter with the factsheet")
    _refuse_court(db, account, LEGAL, "the deferred payment agreement offered on 05/01/2027 "
                  "has no answer yet")  # fmt: skip
    dpa.record(account, REFUSED, FEB_2, "Son phoned: they will not take one")
    assert dpa.court_action_blocked(account) is None
    Referrals(db).refer(account, LEGAL, MAR_2, 150_000, "Legal services")

    lines = dpa.for_account(account)
    assert [(x.outcome, x.outcome_name, x.decided_on, x.actor) for x in lines] == [
        (OFFERED, "Offered, awaiting an answer", JAN_5, "tester"),
        (REFUSED, "Offered and refused", FEB_2, "tester"),
    ]
    with db.engine.connect() as c:
        actions = [r[0] for r in c.execute(text("SELECT action FROM audit_events ORDER BY id"))]
    assert actions.count("dpa.record") == 2


def test_an_agreement_in_place_stops_court_action(db: Database, account: int) -> None:
    DeferredPayments(db).record(account, OFFERED, JAN_5)
    DeferredPayments(db).record(account, DpaOutcome.ACCEPTED, FEB_2)
    _refuse_court(db, account, CLAIM, "a deferred payment agreement is in place (accepted "
                  "02/02/2027): the debt is secured on the home")  # fmt: skip


def test_not_available_allows_court_action_but_needs_a_reason(db: Database, account: int) -> None:
    dpa = DeferredPayments(db)
    with pytest.raises(BadInput, match="say why no deferred payment agreement is available"):
        dpa.record(account, DpaOutcome.NOT_AVAILABLE, JAN_5, "  ")
    dpa.record(account, DpaOutcome.NOT_AVAILABLE, JAN_5, "Receives care at home; rents")
    Referrals(db).refer(account, CLAIM, MAR_2, 150_000, "HMCTS")


@pytest.mark.parametrize(
    ("first", "then", "on", "message"),
    [
        (None, REFUSED, FEB_2, "record the offer first: an agreement can be refused only"),
        (None, DpaOutcome.ACCEPTED, FEB_2, "record the offer first"),
        (OFFERED, REFUSED, date(2027, 1, 4), "the last decision (offered, awaiting an answer) "
         "was recorded for 05/01/2027; a later one cannot be dated 04/01/2027"),
    ],
)  # fmt: skip
def test_a_decision_out_of_order_is_refused_and_nothing_is_written(
    db: Database,
    account: int,
    first: DpaOutcome | None,
    then: DpaOutcome,
    on: date,
    message: str,
) -> None:
    if first is not None:
        DeferredPayments(db).record(account, first, JAN_5)
    before = table_counts(db.engine)
    with pytest.raises(BadInput, match=re.escape(message)):
        DeferredPayments(db).record(account, then, on)
    assert table_counts(db.engine) == before


def test_a_decision_cannot_be_edited_or_deleted(db: Database, account: int) -> None:
    record = DeferredPayments(db).record(account, OFFERED, JAN_5)
    for statement in (
        "UPDATE dpa_records SET outcome = 'refused' WHERE id = :id",
        "DELETE FROM dpa_records WHERE id = :id",
    ):
        with db.engine.connect() as connection:
            with pytest.raises(DBAPIError, match="dpa_records is append-only"):
                connection.execute(text(statement), {"id": record})
            connection.rollback()
    [line] = DeferredPayments(db).for_account(account)
    assert line.outcome is OFFERED
