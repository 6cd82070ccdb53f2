"""The demo's recovery work in hand (services.demo_recovery) on the `demo` fixture's
caseload: each state it promises is there, as the services read it, and the ledger
still proves out."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from debtdesk.db.models import (
    Account,
    ContactNote,
    CustomerType,
    Hold,
    InterestCharge,
    Invoice,
    PaymentPlan,
)
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.payment_plans import PlanStatus
from debtdesk.domain.referrals import ReferralKind
from debtdesk.domain.write_offs import WriteOffStatus
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.deferred_payments import DeferredPayments
from debtdesk.services.holds import held_accounts
from debtdesk.services.payment_plans import kept_plans
from debtdesk.services.referrals import Referrals
from debtdesk.services.write_offs import WriteOffs
from tests.services.support import DEMO_AS_OF

AS_OF = DEMO_AS_OF


def test_every_state_of_recovery_is_in_hand_and_noted(demo: Database) -> None:
    with demo.sessions() as s:
        plans = list(s.scalars(select(PaymentPlan)))
        holds = list(s.scalars(select(Hold)))
        noted = set(s.scalars(select(ContactNote.account_id)))
        officers = {a.id: a.officer_id for a in s.scalars(select(Account))}
        active = [p.account_id for p in plans if p.status is PlanStatus.ACTIVE]
        assert set(active) and kept_plans(s, active, AS_OF) == set(active)
        broken = [p for p in plans if p.status is PlanStatus.BROKEN]
        assert broken and all(
            p.broken_on and AS_OF - timedelta(days=14) <= p.broken_on <= AS_OF for p in broken
        )
        disputes = [h for h in holds if h.reason is HoldReason.DISPUTE]
        assert disputes and all(h.review_on == AS_OF for h in disputes)
        spaces = [h for h in holds if h.reason is HoldReason.BREATHING_SPACE]
        assert spaces and all(h.end_on == h.start_on + timedelta(days=59) for h in spaces)
        stops = [*disputes, *spaces]
        assert held_accounts(s, [h.account_id for h in stops], AS_OF) == {
            h.account_id for h in stops
        }
        # A kept plan holds its account; a broken one's hold lifted the day it broke.
        plan_holds = {h.account_id: h for h in holds if h.reason is HoldReason.KEPT_PLAN}
        assert held_accounts(s, active, AS_OF) == set(active)
        assert all(plan_holds[p.account_id].ended_on == p.broken_on for p in broken)
    lines = Referrals(demo).listing()
    claims = [r for r in lines if r.kind is ReferralKind.COUNTY_COURT_CLAIM]
    assert claims and all(r.is_open for r in claims)
    for claim in claims:  # court action only after the agreement was refused
        assert DeferredPayments(demo).court_action_blocked(claim.account_id) is None
    traced = [r for r in lines if r.kind is ReferralKind.TRACING_AGENT]
    assert traced and all(not r.is_open for r in traced)
    waiting = WriteOffs(demo).waiting()
    assert waiting and all(w.status is WriteOffStatus.RECOMMENDED for w in waiting)
    seeded = (
        {p.account_id for p in plans}
        | {h.account_id for h in holds}
        | {r.account_id for r in lines}
        | {w.account_id for w in waiting}
    )
    assert seeded <= noted, "each account's call is in its contact notes"
    assert all(officers[a] is not None for a in seeded)
    assert check(demo).ok


def test_the_demo_charges_interest_on_business_invoices_of_the_last_half_year(
    demo: Database,
) -> None:
    with demo.sessions() as s:
        rows = s.execute(
            select(Invoice.due_on, CustomerType.is_business, InterestCharge.batch_id)
            .join(InterestCharge, InterestCharge.invoice_id == Invoice.id)
            .join(Account, Account.id == Invoice.account_id)
            .join(CustomerType, CustomerType.id == Account.customer_type_id)
        ).all()
    assert rows, "the demo's business customers pay late"
    assert all(business for _, business, _ in rows)
    assert min(due for due, _, _ in rows) >= AS_OF - timedelta(days=182)
    assert len({batch for _, _, batch in rows}) == 1  # one run, at the demo's date
