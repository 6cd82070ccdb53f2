"""The demo's recovery work in hand: a few accounts in each state an officer meets, made
through the same services an officer uses, as that account's officer.

From the accounts owing £100.00 or more overdue at the demo's date (active individuals,
the same ones for the same seed), a handful each get: a payment plan being kept (what
its schedule asks paid by card on the day), a plan broken by a missed
instalment (recorded as the recovery run would), a dispute hold whose review is due, a
Breathing Space, a deferred payment agreement refused and a county court claim sent, an
enforcement agent's referral come back with part of the debt, and a write-off waiting
for a team leader; each with the call that led to it in the contact notes. Nothing is
sent: the demo issues no letters.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from debtdesk.db.models import Account, CustomerType, User
from debtdesk.domain.caseload import AccountStatus
from debtdesk.domain.contacts import ContactChannel, Direction
from debtdesk.domain.deferred_payments import DpaOutcome
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.payment_plans import Frequency
from debtdesk.domain.referrals import ReferralKind
from debtdesk.domain.write_offs import WriteOffReason
from debtdesk.services import ledger
from debtdesk.services.contact_notes import ContactNotes, NewNote
from debtdesk.services.database import Database
from debtdesk.services.deferred_payments import DeferredPayments
from debtdesk.services.holds import Holds
from debtdesk.services.payment_plans import PaymentPlans, PlanTerms, review_plans
from debtdesk.services.recovery_facts import overdue_at
from debtdesk.services.referrals import Referrals
from debtdesk.services.write_offs import WriteOffs

MIN_OVERDUE = 100_00
PANEL_OVERDUE = 1_000_00
PER_STATE = 2
COURT_AFTER_DAYS = 180  # a claim is for a debt overdue at least six months


def _candidates(db: Database, as_of: date) -> list[tuple[int, str, int, date]]:
    """(account, its officer's login, pence overdue, the oldest overdue invoice's due
    date) for each account fit to seed."""
    with db.sessions() as session:
        overdue = overdue_at(session, as_of)
        rows = session.execute(
            select(Account.id, User.username)
            .join(User, User.id == Account.officer_id)
            .join(CustomerType, CustomerType.id == Account.customer_type_id)
            .where(
                Account.status == AccountStatus.ACTIVE,
                Account.date_of_death.is_(None),
                CustomerType.is_business.is_(False),
            )
            .order_by(Account.id)
        ).tuples()
        return [
            (account_id, login, overdue[account_id].amount, overdue[account_id].oldest_due)
            for account_id, login in rows
            if account_id in overdue and overdue[account_id].amount >= MIN_OVERDUE
        ]


class _Seeder:
    def __init__(self, db: Database, as_of: date) -> None:
        self.db, self.as_of = db, as_of
        self.entries = 0

    def acting(self, login: str) -> Database:
        return dataclasses.replace(self.db, actor=login)

    def note(self, db: Database, account: int, days_ago: int, summary: str, outcome: str) -> None:
        moment = datetime.combine(self.as_of - timedelta(days=days_ago), time(10, 30), UTC)
        ContactNotes(db).add(
            account,
            NewNote(moment, ContactChannel.PHONE, Direction.OUTBOUND, "Client", summary, outcome),
        )

    def pay(self, account: int, pence: int, on: date, login: str) -> None:
        with self.db.sessions.begin() as session:
            ledger.post_entry(
                session, account, EntryKind.PAYMENT, -pence, on, source=EntrySource.USER,
                actor=login, method=PaymentMethod.CARD, description="Card payment (plan)",
            )  # fmt: skip
            ledger.allocate(session, account, login)
        self.entries += 1

    def kept_plan(self, account: int, login: str, overdue: int) -> None:
        db = self.acting(login)
        start = self.as_of - timedelta(days=63)
        instalment = max(10_00, overdue // 6 // 100 * 100)
        self.note(db, account, 64, "Called about the arrears; agreed a monthly plan",
                  "Plan agreed: first payment on the start date")  # fmt: skip
        plans = PaymentPlans(db)
        plan = plans.create(
            account, PlanTerms(instalment, Frequency.MONTHLY, start, overdue, PaymentMethod.CARD)
        )
        self.keep_up(plans, account, plan, login, self.as_of)

    def keep_up(
        self, plans: PaymentPlans, account: int, plan: int, login: str, through: date
    ) -> None:
        """Pay each line of the plan's schedule due by ``through`` on its day, as far as
        what was paid by then leaves it short (a contribution is often paid already)."""
        [view] = [v for v in plans.for_account(account, through) if v.id == plan]
        for line in (x for x in view.lines if x.due <= through):
            [then] = [v for v in plans.for_account(account, line.due) if v.id == plan]
            [same] = [x for x in then.lines if x.label == line.label]
            if same.outstanding:
                self.pay(account, same.outstanding, line.due, login)

    def broken_plan(self, account: int, login: str, overdue: int) -> None:
        """Agreed 40 days ago: the second instalment, due about 10 days ago, was missed, so
        the plan broke in the last few days (on the worklist for a fortnight)."""
        db = self.acting(login)
        start = self.as_of - timedelta(days=40)
        instalment = max(10_00, overdue // 4 // 100 * 100)
        self.note(db, account, 41, "Agreed a plan over four months",
                  "Plan agreed by phone")  # fmt: skip
        plans = PaymentPlans(db)
        plan = plans.create(
            account, PlanTerms(instalment, Frequency.MONTHLY, start, overdue, PaymentMethod.CARD)
        )
        missed = start + relativedelta(months=1)  # the second instalment, never paid
        self.keep_up(plans, account, plan, login, missed - timedelta(days=1))
        self.note(db, account, 3, "Second instalment missed; no answer",
                  "Left a message asking them to call back")  # fmt: skip
        with self.db.sessions.begin() as session:
            review_plans(session, self.as_of, login)

    def dispute(self, account: int, login: str, _overdue: int) -> None:
        db = self.acting(login)
        self.note(db, account, 21, "Daughter says the care was not received for two weeks",
                  "Disputed: asked the care provider for visit records")  # fmt: skip
        Holds(db).set(
            account, HoldReason.DISPUTE, self.as_of - timedelta(days=21),
            review=self.as_of, note="Care visits disputed: provider's records asked for",
        )  # fmt: skip

    def breathing_space(self, account: int, login: str, _overdue: int) -> None:
        db = self.acting(login)
        start = self.as_of - timedelta(days=40)
        self.note(db, account, 40, "Debt adviser called: a Breathing Space has started",
                  "Recovery stopped until the moratorium ends")  # fmt: skip
        Holds(db).set(
            account, HoldReason.BREATHING_SPACE, start,
            note="Standard Breathing Space notified by the Insolvency Service",
        )  # fmt: skip

    def county_court(self, account: int, login: str, overdue: int) -> None:
        db = self.acting(login)
        dpa = DeferredPayments(db)
        dpa.record(account, DpaOutcome.OFFERED, self.as_of - timedelta(days=70),
                   "Offered by letter with the council's factsheet")  # fmt: skip
        dpa.record(account, DpaOutcome.REFUSED, self.as_of - timedelta(days=50),
                   "Son phoned: the family will not take one")  # fmt: skip
        self.note(db, account, 50, "Son refused a deferred payment agreement",
                  "To the panel: county court claim recommended")  # fmt: skip
        Referrals(db).refer(
            account, ReferralKind.COUNTY_COURT_CLAIM, self.as_of - timedelta(days=28), overdue,
            "Legal Services, Wexshire CC", "LS/2026/0417",
        )  # fmt: skip

    def agent_returned(self, account: int, login: str, overdue: int) -> None:
        db = self.acting(login)
        referrals = Referrals(db)
        referral = referrals.refer(
            account, ReferralKind.TRACING_AGENT, self.as_of - timedelta(days=120), overdue,
            "Trace UK", "TR-55120",
        )  # fmt: skip
        referrals.record_return(
            referral, self.as_of - timedelta(days=35), "Traced to a new address", 0
        )
        self.note(db, account, 34, "Traced: new address recorded; called the new number",
                  "Will pay by card next week")  # fmt: skip

    def write_off(self, account: int, login: str, overdue: int) -> None:
        db = self.acting(login)
        self.note(db, account, 14, "Spoke to the client's social worker about hardship",
                  "Income below the minimum income guarantee: write-off recommended")  # fmt: skip
        WriteOffs(db).recommend(
            account, min(overdue, 250_00), WriteOffReason.HARDSHIP,
            "Financial reassessment shows no disposable income; social worker's email on file",
        )  # fmt: skip


def seed_recovery(db: Database, as_of: date, seed: int) -> int:
    """Put the demo's recovery work in hand; the ledger entries it posted."""
    seeder = _Seeder(db, as_of)
    court = as_of - timedelta(days=COURT_AFTER_DAYS)
    states: tuple[tuple[Callable[[int, str, int], None], int, date], ...] = (
        (seeder.kept_plan, MIN_OVERDUE, as_of),
        (seeder.broken_plan, MIN_OVERDUE, as_of),
        (seeder.dispute, MIN_OVERDUE, as_of),
        (seeder.breathing_space, MIN_OVERDUE, as_of),
        (seeder.county_court, PANEL_OVERDUE, court),  # the panel sees £1,000 or more
        (seeder.agent_returned, MIN_OVERDUE, as_of),
        (seeder.write_off, MIN_OVERDUE, as_of),
    )
    candidates = _candidates(db, as_of)
    pool = random.Random(seed).sample(candidates, len(candidates))
    used: set[int] = set()
    for state, needs, since in states:
        for _ in range(PER_STATE):
            pick = next(
                (c for c in pool if c[0] not in used and c[2] >= needs and c[3] <= since), None
            )
            if pick is None:
                break
            used.add(pick[0])
            state(*pick[:3])
    return seeder.entries
