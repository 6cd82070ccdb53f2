"""``debtdesk demo``: a realistic, synthetic caseload, the same for the same seed and date.

Invented people in the fictional county of Wexshire (services.demo_people), each made by
services.demo_accounts with charges from the same charging rules a statement run uses,
so a later run finds nothing to recalculate. The rows are written with bulk inserts (a
county-sized caseload has millions) in one transaction, into an empty database. Then a
few accounts are put in each state of recovery through the services
(services.demo_recovery), and an interest run charges the business customers' late
payments of the last half year.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    Allocation,
    Batch,
    CarePackage,
    Collection,
    Counter,
    CustomerType,
    FinancialAssessment,
    Invoice,
    LedgerEntry,
    Mandate,
    Representative,
    User,
)
from debtdesk.db.models import Setting as StoredSetting
from debtdesk.db.types import utcnow
from debtdesk.domain.caseload import UserRole
from debtdesk.domain.periods import last_complete_period
from debtdesk.services import audit
from debtdesk.services.charges import fnc_rates
from debtdesk.services.database import Database
from debtdesk.services.demo_accounts import AccountMaker, Setting
from debtdesk.services.demo_ledger import Ids, Rows
from debtdesk.services.demo_recovery import seed_recovery
from debtdesk.services.errors import BadInput
from debtdesk.services.interest_run import InterestRuns
from debtdesk.services.ledger import INVOICE_SERIES
from debtdesk.services.settings import period_anchor
from debtdesk.services.statement_run import RUN_KIND

CHUNK = 1000  # accounts written per round of bulk inserts

# The demo council's bank details (made up, like Wexshire), so its statements show how
# a real one's read; a real caseload starts with them not set (services.settings).
DEMO_SETTINGS = {
    "bank.sort_code": "309634",
    "bank.account_number": "41872956",
    "bacs.service_user_number": "418276",
}

TEAM_LEADER = "jtaylor"
"""The demo's runs are made by one of its team leaders (in OFFICERS)."""
INTEREST_DAYS = 182
"""The demo charges Late Payment Act interest on invoices due in the last half year."""

OFFICERS = (
    ("aokafor", "Amara Okafor", UserRole.OFFICER),
    ("bhughes", "Ben Hughes", UserRole.OFFICER),
    ("cpatel", "Chandni Patel", UserRole.OFFICER),
    ("dmcbride", "Dan McBride", UserRole.OFFICER),
    ("ewhitaker", "Emma Whitaker", UserRole.OFFICER),
    ("fkowalski", "Filip Kowalski", UserRole.OFFICER),
    ("gosei", "Grace Osei", UserRole.OFFICER),
    ("hlloyd", "Huw Lloyd", UserRole.OFFICER),
    ("jtaylor", "Jo Taylor", UserRole.TEAM_LEADER),
    ("kshah", "Kiran Shah", UserRole.TEAM_LEADER),
    ("mfinch", "Martin Finch", UserRole.FINANCE_MANAGER),
)

# Table, its model, and the Rows attribute that holds its rows, in insert order.
TABLES = (
    ("accounts", Account, "accounts"),
    ("representatives", Representative, "representatives"),
    ("financial_assessments", FinancialAssessment, "assessments"),
    ("care_packages", CarePackage, "packages"),
    ("mandates", Mandate, "mandates"),
    ("invoices", Invoice, "invoices"),
    ("ledger_entries", LedgerEntry, "entries"),
    ("allocations", Allocation, "allocations"),
    ("collections", Collection, "collections"),
)
_ID_NAMES = {
    "accounts": "account",
    "representatives": "representative",
    "financial_assessments": "assessment",
    "care_packages": "package",
    "mandates": "mandate",
    "invoices": "invoice",
    "ledger_entries": "entry",
    "allocations": "allocation",
    "collections": "collection",
}


@dataclass(frozen=True)
class DemoResult:
    accounts: int
    entries: int
    balance_total: int


def _write(session: Session, rows: Rows) -> None:
    for _, model, attr in TABLES:
        data = getattr(rows, attr)
        if data:
            session.connection().execute(insert(model), data)


def _officers(session: Session) -> tuple[int, ...]:
    ids = []
    for username, display, role in OFFICERS:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, display_name=display, role=role)
            session.add(user)
            session.flush()
        if role is UserRole.OFFICER:
            ids.append(user.id)
    return tuple(ids)


def build_demo(db: Database, accounts: int, seed: int, as_of: date) -> DemoResult:
    """Fill an empty database with ``accounts`` synthetic accounts ending at ``as_of``.

    Raises:
        BadInput: the database already has accounts, or ``accounts`` is not positive.
    """
    if accounts < 1:
        raise BadInput("--accounts must be at least 1")
    with db.sessions.begin() as session:
        if session.scalar(select(func.count()).select_from(Account)):
            raise BadInput("the demo fills an empty database, and this one has accounts")
        batch = Batch(
            kind="demo",
            as_of=as_of,
            actor=db.actor,
            parameters={"accounts": accounts, "seed": seed},
        )
        session.add(batch)
        session.flush()
        # Interest on the business customers' invoices falling due in the last half year.
        charge_from = (as_of - timedelta(days=INTEREST_DAYS)).isoformat()
        for key, value in {**DEMO_SETTINGS, "interest.charge_from": charge_from}.items():
            if session.get(StoredSetting, key) is None:
                session.add(StoredSetting(key=key, value=value, updated_by=db.actor))
        setting = Setting(
            as_of=as_of,
            anchor=period_anchor(session),
            fnc=fnc_rates(session),
            types={
                t.code: (t.id, t.payment_terms_days) for t in session.scalars(select(CustomerType))
            },
            officers=_officers(session),
            batch_id=batch.id,
        )
        ids = Ids()
        for table, _, _ in TABLES:
            highest = session.scalar(text(f"SELECT max(id) FROM {table}"))  # fixed names
            setattr(ids, _ID_NAMES[table], (highest or 0) + 1)
        maker = AccountMaker(random.Random(seed), setting, ids)
        rows = Rows()
        for number in range(1, accounts + 1):
            maker.make(number, rows)
            if number % CHUNK == 0:
                _write(session, rows)
                rows = Rows()
        _write(session, rows)
        counter = session.get(Counter, INVOICE_SERIES)
        if counter is None:
            session.add(Counter(name=INVOICE_SERIES, value=ids.invoice - 1))
        else:
            counter.value = max(counter.value, ids.invoice - 1)
        if session.get_bind().dialect.name == "postgresql":
            for table, _, _ in TABLES:  # explicit ids leave the sequences behind
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table}), 1))"
                    )
                )
        batch.finished_at = utcnow()
        # The demo's charges stand for the statement runs of the periods it covers: the
        # last of them is on record, so the next run is the following period's.
        last = last_complete_period(as_of, setting.anchor)
        session.add(
            Batch(
                kind=RUN_KIND,
                as_of=last.statement_date,
                actor=db.actor,
                parameters={
                    "period_start": last.start.isoformat(),
                    "period_end": last.end.isoformat(),
                    "history": "charged by the demo build",
                },
                finished_at=utcnow(),
            )
        )
        audit.record(
            session,
            db.actor,
            "demo.build",
            "batch",
            batch.id,
            None,
            {
                "accounts": accounts,
                "seed": seed,
                "as_of": as_of.isoformat(),
                "entries": maker.entries,
                "balance_total": maker.balance_total,
            },
        )
    seed_recovery(db, as_of, seed)
    # The business customers' late payments since charge_from, run by the demo's team leader.
    InterestRuns(dataclasses.replace(db, actor=TEAM_LEADER)).run(as_of)
    with db.sessions() as session:
        balance_total = session.scalar(select(func.sum(Account.balance))) or 0
        entries = session.scalar(select(func.count()).select_from(LedgerEntry)) or 0
    return DemoResult(accounts, int(entries), int(balance_total))
