"""``debtdesk demo``: a realistic, synthetic caseload, the same for the same seed.

Invented people in the fictional county of Wexshire: community and residential clients,
contributions uprated each April, packages that start and stop, deaths, CHC and FNC,
representatives of every kind, and about three years of 4-weekly charges paid by direct
debit, bank transfer, card and cheque, some late, some short, some missed, a few direct
debits returned. Charges come from the same charging rules a statement run uses
(domain.charging.recalculate), so a later run finds nothing to recalculate; payments are
allocated oldest first by domain.allocation, event by event as they would have been.

The rows are written with bulk inserts (a county-sized caseload has millions), inside
one transaction, after the database is checked to be empty.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    Allocation,
    Batch,
    CarePackage,
    Counter,
    CustomerType,
    FinancialAssessment,
    FncRate,
    Invoice,
    LedgerEntry,
    Mandate,
    Representative,
    User,
)
from debtdesk.db.types import utcnow
from debtdesk.domain import charging
from debtdesk.domain.allocation import OpenCredit, OpenInvoice, allocate_oldest_first
from debtdesk.domain.caseload import (
    AccountStatus,
    CareSetting,
    InvoiceKind,
    MandateStatus,
    RepresentativeRole,
    UserRole,
)
from debtdesk.domain.charging import Assessment, ChargeBasis, Funding, RateChange
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.money import round_half_up
from debtdesk.domain.periods import last_complete_period
from debtdesk.domain.working_days import add_working_days, next_working_day
from debtdesk.services import audit, demo_people
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.ledger import INVOICE_SERIES, invoice_number
from debtdesk.services.settings import period_anchor

HISTORY_YEARS = 3
CHUNK = 1000  # accounts written per round of bulk inserts

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

# April uprating of contributions, roughly the state pension's rise each year.
UPRATING = {
    2023: Decimal("0.101"),
    2024: Decimal("0.085"),
    2025: Decimal("0.041"),
    2026: Decimal("0.048"),
}
DEFAULT_UPRATING = Decimal("0.04")

PAYERS = (  # behaviour, weight
    ("direct_debit", 45),
    ("prompt", 20),
    ("late", 12),
    ("partial", 8),
    ("sporadic", 10),
    ("non_payer", 5),
)


@dataclass(frozen=True)
class DemoResult:
    accounts: int
    entries: int
    balance_total: int


@dataclass
class _Ids:
    """Next id per table: the demo fills an empty database, so ids are assigned here."""

    account: int = 1
    representative: int = 1
    assessment: int = 1
    package: int = 1
    invoice: int = 1
    entry: int = 1
    allocation: int = 1
    mandate: int = 1


@dataclass
class _Rows:
    accounts: list[dict[str, Any]] = field(default_factory=list)
    representatives: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    packages: list[dict[str, Any]] = field(default_factory=list)
    mandates: list[dict[str, Any]] = field(default_factory=list)
    invoices: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    allocations: list[dict[str, Any]] = field(default_factory=list)


def _posted(day: date) -> datetime:
    """When a historical entry was keyed: that evening, UTC."""
    return datetime.combine(day, time(18, 0), tzinfo=UTC)


def _first_monday_of_april(year: int) -> date:
    day = date(year, 4, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _pounds(rng: random.Random, low: int, high: int) -> int:
    """Whole pounds and a random number of pence, in pence."""
    return rng.randint(low, high) * 100 + rng.choice((0, 0, 25, 50, 75, rng.randint(1, 99)))


class _Builder:
    def __init__(
        self,
        rng: random.Random,
        as_of: date,
        anchor: date,
        fnc: tuple[RateChange, ...],
        types: dict[str, tuple[int, int]],
        officers: list[int],
        batch_id: int,
    ) -> None:
        self.rng = rng
        self.as_of = as_of
        self.anchor = anchor
        self.fnc = fnc
        self.types = types
        self.officers = officers
        self.batch_id = batch_id
        self.ids = _Ids()
        self.history_start = as_of - relativedelta(years=HISTORY_YEARS)
        self.last_period = last_complete_period(as_of, anchor)
        self.limit = as_of - relativedelta(years=6)
        self.balance_total = 0
        self.entry_count = 0

    # --- one account -------------------------------------------------------------------

    def account(self, number: int, rows: _Rows) -> None:
        rng = self.rng
        account_id = self.ids.account
        self.ids.account += 1
        reference = f"CC{number:06d}"
        roll = rng.random()
        type_code = "BUSINESS" if roll < 0.02 else "ESTATE" if roll < 0.05 else "INDIVIDUAL"
        setting = CareSetting.RESIDENTIAL if rng.random() < 0.45 else CareSetting.COMMUNITY
        span = (self.as_of - timedelta(days=70) - self.history_start).days
        offset = 0 if rng.random() < 0.45 else rng.randint(0, span)
        start = self.history_start + timedelta(days=offset)
        title, first, surname = demo_people.person(rng)
        if type_code == "BUSINESS":
            name = rng.choice(demo_people.BUSINESSES)
            dob = None
        else:
            name = f"{title} {first} {surname}"
            dob = date(rng.randint(1924, 1972), rng.randint(1, 12), rng.randint(1, 28))
        address, postcode = demo_people.address(rng)

        end: date | None = None  # the last day of care
        death: date | None = None
        chc_from: date | None = None
        latest = self.as_of - timedelta(days=1)
        if type_code == "ESTATE" or (type_code == "INDIVIDUAL" and rng.random() < 0.08):
            death = start + timedelta(days=rng.randint(60, max(61, (latest - start).days)))
            death = min(death, latest)
            end = death
        elif type_code == "INDIVIDUAL" and rng.random() < 0.07:
            end = start + timedelta(days=rng.randint(56, max(57, (latest - start).days)))
            end = min(end, latest)
        if type_code == "INDIVIDUAL" and setting is CareSetting.RESIDENTIAL and rng.random() < 0.06:
            chc_day = start + timedelta(days=rng.randint(90, 900))
            if chc_day < (end or latest):
                chc_from = chc_day
        status = (
            AccountStatus.DECEASED
            if death
            else AccountStatus.CEASED
            if end is not None and end < self.as_of
            else AccountStatus.ACTIVE
        )

        assessments = self._assessments(account_id, start, setting, rows)
        packages = self._packages(account_id, start, end, chc_from, setting, rows)
        basis = ChargeBasis(tuple(assessments), tuple(packages), death, self.fnc)
        type_id, terms = self.types[type_code]
        behaviour = rng.choices([p for p, _ in PAYERS], [w for _, w in PAYERS])[0]
        if type_code == "BUSINESS":
            behaviour = rng.choice(("prompt", "late"))
        method = self._method(behaviour)
        flags: list[str] = []
        mandate_ref = None
        if method is PaymentMethod.DIRECT_DEBIT:
            mandate_ref = f"WXCC{number:06d}"
            rows.mandates.append(
                dict(
                    id=self.ids.mandate,
                    account_id=account_id,
                    reference=mandate_ref,
                    payer_name=f"{first[0]} {surname}".upper()[:18],
                    sort_code=f"{rng.randint(10, 99)}{rng.randint(0, 9999):04d}",
                    account_number=f"{rng.randint(0, 99_999_999):08d}",
                    status=MandateStatus.LIVE,
                    lodged_on=add_working_days(start, 3),
                    created_at=_posted(start),
                )
            )
            self.ids.mandate += 1
        self._representatives(account_id, start, death, rows)
        balance = self._history(account_id, basis, terms, behaviour, method, death, rows, flags)
        rows.accounts.append(
            dict(
                id=account_id,
                reference=reference,
                client_name=name,
                date_of_birth=dob,
                address=address,
                postcode=postcode,
                social_care_client_id=f"SC{rng.randint(1_000_000, 9_999_999)}",
                care_setting=setting,
                status=status,
                date_of_death=death,
                officer_id=rng.choice(self.officers),
                customer_type_id=type_id,
                flags=flags,
                balance=balance,
                search_text=f"{reference} {name} {postcode}".lower(),
                version=1,
                created_at=_posted(start),
            )
        )
        self.balance_total += balance

    def _method(self, behaviour: str) -> PaymentMethod:
        if behaviour == "direct_debit":
            return PaymentMethod.DIRECT_DEBIT
        return self.rng.choices(
            (PaymentMethod.BANK_TRANSFER, PaymentMethod.CARD, PaymentMethod.CHEQUE), (5, 3, 2)
        )[0]

    def _assessments(
        self, account_id: int, start: date, setting: CareSetting, rows: _Rows
    ) -> list[Assessment]:
        rng = self.rng
        weekly = (
            _pounds(rng, 150, 420) if setting is CareSetting.RESIDENTIAL else _pounds(rng, 8, 160)
        )
        changes: list[tuple[date, int, str]] = [(start, weekly, "Financial assessment")]
        for year in range(start.year, self.as_of.year + 1):
            uprating = _first_monday_of_april(year)
            if start < uprating <= self.as_of:
                weekly = round_half_up(weekly * (1 + UPRATING.get(year, DEFAULT_UPRATING)))
                changes.append((uprating, weekly, f"April {year} benefit uprating"))
        if rng.random() < 0.12:
            day = start + timedelta(days=rng.randint(30, max(31, (self.as_of - start).days - 1)))
            if day < self.as_of and day not in {c[0] for c in changes}:
                changes.append(
                    (day, max(0, weekly + _pounds(rng, -40, 30)), "Change in circumstances")
                )
                changes.sort()
        result = []
        for i, (day, amount, reason) in enumerate(changes):
            until = changes[i + 1][0] - timedelta(days=1) if i + 1 < len(changes) else None
            rows.assessments.append(
                dict(
                    id=self.ids.assessment,
                    account_id=account_id,
                    effective_from=day,
                    effective_to=until,
                    weekly_contribution=amount,
                    reason=reason,
                    created_at=_posted(day),
                )
            )
            self.ids.assessment += 1
            result.append(Assessment(day, until, amount))
        return result

    def _packages(
        self,
        account_id: int,
        start: date,
        end: date | None,
        chc_from: date | None,
        setting: CareSetting,
        rows: _Rows,
    ) -> list[charging.CarePackage]:
        rng = self.rng
        specs: list[tuple[str, str, int, date, date | None, Funding]] = []
        main_end = end if chc_from is None else chc_from - timedelta(days=1)
        if setting is CareSetting.RESIDENTIAL:
            nursing = rng.random() < 0.3
            home = rng.choice(demo_people.HOMES)
            cost = _pounds(rng, 950, 1500) if nursing else _pounds(rng, 720, 1150)
            funding = Funding.FNC if nursing else Funding.COUNCIL
            service = "Nursing care (FNC)" if nursing else "Residential care"
            specs.append((service, home, cost, start, main_end, funding))
            if chc_from is not None:
                specs.append(("NHS Continuing Healthcare", home, cost, chc_from, end, Funding.CHC))
        else:
            cost = _pounds(rng, 60, 640)
            specs.append(
                (
                    "Home care",
                    rng.choice(demo_people.HOME_CARE),
                    cost,
                    start,
                    main_end,
                    Funding.COUNCIL,
                )
            )
            if rng.random() < 0.3:
                day_start = start + timedelta(days=rng.randint(0, 400))
                day_end = day_start + timedelta(days=rng.randint(28, 500))
                if day_start < self.as_of:
                    if end is not None:
                        day_end = min(day_end, end)
                    if day_start <= day_end:
                        specs.append(
                            (
                                "Day opportunities",
                                "Wexshire Day Services",
                                _pounds(rng, 30, 120),
                                day_start,
                                day_end,
                                Funding.COUNCIL,
                            )
                        )
        result = []
        for service, provider, cost, first, last, funding in specs:
            rows.packages.append(
                dict(
                    id=self.ids.package,
                    account_id=account_id,
                    service=service,
                    provider=provider,
                    weekly_cost=cost,
                    start_date=first,
                    end_date=last,
                    funding=funding,
                )
            )
            self.ids.package += 1
            result.append(charging.CarePackage(first, last, cost, funding))
        return result

    def _representatives(
        self, account_id: int, start: date, death: date | None, rows: _Rows
    ) -> None:
        rng = self.rng
        reps: list[tuple[RepresentativeRole, bool, date | None]] = []
        if rng.random() < 0.35:
            role = rng.choices(
                (
                    RepresentativeRole.ATTORNEY,
                    RepresentativeRole.DEPUTY,
                    RepresentativeRole.APPOINTEE,
                    RepresentativeRole.RELATIVE,
                    RepresentativeRole.SOLICITOR,
                    RepresentativeRole.ADVOCATE,
                ),
                (30, 10, 20, 25, 5, 10),
            )[0]
            receives = role in {
                RepresentativeRole.ATTORNEY,
                RepresentativeRole.DEPUTY,
                RepresentativeRole.APPOINTEE,
                RepresentativeRole.SOLICITOR,
            }
            if role is RepresentativeRole.RELATIVE:
                receives = rng.random() < 0.5
            checked = start + timedelta(days=rng.randint(0, 60)) if receives else None
            reps.append((role, receives and death is None, checked))
        if death is not None:
            reps.append(
                (RepresentativeRole.EXECUTOR, True, death + timedelta(days=rng.randint(20, 120)))
            )
        for role, receives, checked in reps:
            title, first, surname = demo_people.person(rng)
            if role is RepresentativeRole.SOLICITOR:
                name = f"{surname} & {rng.choice(demo_people.SURNAMES)} Solicitors"
            else:
                name = f"{title} {first[0]} {surname}"
            address, postcode = demo_people.address(rng)
            rows.representatives.append(
                dict(
                    id=self.ids.representative,
                    account_id=account_id,
                    name=name,
                    role=role,
                    address=f"{address}\n{postcode}",
                    phone=f"01632 {rng.randint(960000, 960999)}",
                    email="",
                    receives_correspondence=receives,
                    authority_checked_on=checked if checked and checked <= self.as_of else None,
                    authority_reference="",
                )
            )
            self.ids.representative += 1

    # --- charges, payments and allocation, event by event ------------------------------

    def _history(
        self,
        account_id: int,
        basis: ChargeBasis,
        terms: int,
        behaviour: str,
        method: PaymentMethod,
        death: date | None,
        rows: _Rows,
        flags: list[str],
    ) -> int:
        rng = self.rng
        differences = charging.recalculate(
            basis, {}, self.last_period, earliest=self.limit, anchor=self.anchor
        )
        # (date, order, kind, payload): invoices before payments on the same day.
        events: list[tuple[date, int, str, Any]] = []
        for diff in differences:
            if diff.difference <= 0:
                continue  # nothing charged before, so only positive charges arise
            period = diff.period
            issued = period.statement_date
            due = issued + timedelta(days=terms)
            invoice_id = self.ids.invoice
            self.ids.invoice += 1
            rows.invoices.append(
                dict(
                    id=invoice_id,
                    account_id=account_id,
                    number=invoice_number(invoice_id),
                    kind=InvoiceKind.STATEMENT,
                    issued_on=issued,
                    due_on=due,
                    amount=diff.difference,
                    period_start=period.start,
                    period_end=period.end,
                    batch_id=self.batch_id,
                    created_at=_posted(issued),
                )
            )
            self._entry(
                rows,
                account_id,
                EntryKind.CHARGE,
                diff.difference,
                issued,
                invoice_id=invoice_id,
                period_start=period.start,
                description=f"Contribution {period}",
            )
            events.append(
                (
                    issued,
                    0,
                    "invoice",
                    (invoice_id, invoice_number(invoice_id), due, issued, diff.difference),
                )
            )
            for pay_day, amount in self._payments(behaviour, method, due, diff.difference, death):
                events.append((pay_day, 1, "payment", amount))
        if death is not None and behaviour != "direct_debit" and rng.random() < 0.5:
            # The estate settles some or all of the debt once probate is granted.
            events.append((death + timedelta(days=rng.randint(120, 300)), 2, "estate", None))
        events.sort(key=lambda e: (e[0], e[1]))

        open_invoices: dict[int, list[Any]] = {}
        credits: dict[int, list[Any]] = {}  # entry id -> [effective, available]
        allocations_of: dict[
            int, list[tuple[int, int, int]]
        ] = {}  # entry -> [(alloc id, invoice, amount)]
        balance = sum(d.difference for d in differences if d.difference > 0)
        for day, _, kind, payload in events:
            if day > self.as_of:
                continue
            if kind == "invoice":
                invoice_id, number, due, issued, amount = payload
                open_invoices[invoice_id] = [number, due, issued, amount]
            elif kind in ("payment", "estate"):
                amount = payload if kind == "payment" else sum(v[3] for v in open_invoices.values())
                if kind == "estate":
                    amount = round_half_up(amount * Decimal(rng.choice(("1", "1", "0.6"))))
                if amount <= 0:
                    continue
                pay_method = method if kind == "payment" else PaymentMethod.CHEQUE
                entry_id = self._entry(
                    rows,
                    account_id,
                    EntryKind.PAYMENT,
                    -amount,
                    day,
                    method=pay_method,
                    reference=rng.choice(("", "", f"{rng.randint(100000, 999999)}")),
                    description="Direct debit collection"
                    if pay_method is PaymentMethod.DIRECT_DEBIT
                    else "Payment from the estate"
                    if kind == "estate"
                    else f"Payment by {pay_method.value.replace('_', ' ')}",
                )
                balance -= amount
                credits[entry_id] = [day, amount]
                if pay_method is PaymentMethod.DIRECT_DEBIT and rng.random() < 0.03:
                    returned = add_working_days(day, 2)
                    if returned <= self.as_of:
                        self._allocate(rows, account_id, open_invoices, credits, allocations_of)
                        self._return(
                            rows,
                            account_id,
                            entry_id,
                            amount,
                            returned,
                            open_invoices,
                            credits,
                            allocations_of,
                        )
                        balance += amount
                        if "dd_returned" not in flags:
                            flags.append("dd_returned")
                        continue
            self._allocate(rows, account_id, open_invoices, credits, allocations_of)
        return balance

    def _payments(
        self, behaviour: str, method: PaymentMethod, due: date, amount: int, death: date | None
    ) -> Iterator[tuple[date, int]]:
        rng = self.rng
        if death is not None and due > death + timedelta(days=40):
            return  # nobody pays the dead person's bills until the estate does
        if behaviour == "direct_debit":
            yield next_working_day(due), amount
        elif behaviour == "prompt":
            yield due - timedelta(days=rng.randint(0, 10)), amount
        elif behaviour == "late":
            yield due + timedelta(days=rng.randint(5, 75)), amount
        elif behaviour == "partial":
            share = Decimal(rng.randint(40, 90)) / 100
            yield due + timedelta(days=rng.randint(-3, 20)), round_half_up(amount * share)
        elif behaviour == "sporadic":
            if rng.random() < 0.6:
                yield due + timedelta(days=rng.randint(0, 40)), amount
        elif rng.random() < 0.08:  # non-payer: an occasional token payment
            yield due + timedelta(days=rng.randint(10, 90)), min(amount, _pounds(rng, 5, 40))

    def _entry(
        self,
        rows: _Rows,
        account_id: int,
        kind: EntryKind,
        amount: int,
        day: date,
        *,
        invoice_id: int | None = None,
        period_start: date | None = None,
        method: PaymentMethod | None = None,
        reference: str = "",
        description: str = "",
        reverses_id: int | None = None,
    ) -> int:
        entry_id = self.ids.entry
        self.ids.entry += 1
        self.entry_count += 1
        rows.entries.append(
            dict(
                id=entry_id,
                account_id=account_id,
                kind=kind,
                amount=amount,
                effective_date=day,
                posted_at=_posted(day),
                source=EntrySource.RUN,
                batch_id=self.batch_id,
                actor="demo",
                invoice_id=invoice_id,
                period_start=period_start,
                method=method,
                reference=reference,
                description=description,
                reverses_id=reverses_id,
            )
        )
        return entry_id

    def _allocate(
        self,
        rows: _Rows,
        account_id: int,
        open_invoices: dict[int, list[Any]],
        credits: dict[int, list[Any]],
        allocations_of: dict[int, list[tuple[int, int, int]]],
    ) -> None:
        available = [OpenCredit(i, c[0], c[1]) for i, c in credits.items() if c[1] > 0]
        owing = [
            OpenInvoice(i, v[0], v[1], v[2], v[3]) for i, v in open_invoices.items() if v[3] > 0
        ]
        if not available or not owing:
            return
        for alloc in allocate_oldest_first(owing, available):
            alloc_id = self.ids.allocation
            self.ids.allocation += 1
            rows.allocations.append(
                dict(
                    id=alloc_id,
                    account_id=account_id,
                    entry_id=alloc.entry_id,
                    invoice_id=alloc.invoice_id,
                    amount=alloc.amount,
                    effective_date=alloc.effective,
                    posted_at=_posted(alloc.effective),
                    actor="demo",
                    reverses_id=None,
                )
            )
            open_invoices[alloc.invoice_id][3] -= alloc.amount
            credits[alloc.entry_id][1] -= alloc.amount
            allocations_of.setdefault(alloc.entry_id, []).append(
                (alloc_id, alloc.invoice_id, alloc.amount)
            )
        for invoice_id in [i for i, v in open_invoices.items() if v[3] == 0]:
            del open_invoices[invoice_id]

    def _return(
        self,
        rows: _Rows,
        account_id: int,
        entry_id: int,
        amount: int,
        day: date,
        open_invoices: dict[int, list[Any]],
        credits: dict[int, list[Any]],
        allocations_of: dict[int, list[tuple[int, int, int]]],
    ) -> None:
        """A direct debit returned unpaid (ARUDD 0, refer to payer): undo its allocations."""
        self._entry(
            rows,
            account_id,
            EntryKind.RETURNED_PAYMENT,
            amount,
            day,
            method=PaymentMethod.DIRECT_DEBIT,
            reverses_id=entry_id,
            description="Direct debit returned unpaid: refer to payer (ARUDD 0)",
        )
        for alloc_id, invoice_id, allocated in allocations_of.pop(entry_id, []):
            rows.allocations.append(
                dict(
                    id=self.ids.allocation,
                    account_id=account_id,
                    entry_id=entry_id,
                    invoice_id=invoice_id,
                    amount=-allocated,
                    effective_date=day,
                    posted_at=_posted(day),
                    actor="demo",
                    reverses_id=alloc_id,
                )
            )
            self.ids.allocation += 1
            invoice = rows_invoice(rows, invoice_id)
            if invoice_id in open_invoices:
                open_invoices[invoice_id][3] += allocated
            else:
                open_invoices[invoice_id] = [
                    invoice["number"],
                    invoice["due_on"],
                    invoice["issued_on"],
                    allocated,
                ]
        credits[entry_id][1] = 0


def rows_invoice(rows: _Rows, invoice_id: int) -> dict[str, Any]:
    for invoice in reversed(rows.invoices):
        if invoice["id"] == invoice_id:
            return invoice
    raise KeyError(invoice_id)


def _write(session: Session, rows: _Rows) -> None:
    for model, data in (
        (Account, rows.accounts),
        (Representative, rows.representatives),
        (FinancialAssessment, rows.assessments),
        (CarePackage, rows.packages),
        (Mandate, rows.mandates),
        (Invoice, rows.invoices),
        (LedgerEntry, rows.entries),
        (Allocation, rows.allocations),
    ):
        if data:
            session.connection().execute(insert(model.__table__), data)


def build_demo(db: Database, accounts: int, seed: int, as_of: date) -> DemoResult:
    """Fill an empty database with ``accounts`` synthetic accounts ending at ``as_of``.

    Raises:
        BadInput: the database already has accounts, or ``accounts`` is not positive.
    """
    if accounts < 1:
        raise BadInput("--accounts must be at least 1")
    rng = random.Random(seed)
    with db.sessions.begin() as session:
        if session.scalar(select(func.count()).select_from(Account)):
            raise BadInput("the demo fills an empty database, and this one has accounts")
        anchor = period_anchor(session)
        fnc = tuple(
            RateChange(r.effective_from, r.weekly)
            for r in session.scalars(select(FncRate).order_by(FncRate.effective_from))
        )
        types = {
            t.code: (t.id, t.payment_terms_days) for t in session.scalars(select(CustomerType))
        }
        officer_ids = []
        for username, display, role in OFFICERS:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                user = User(username=username, display_name=display, role=role)
                session.add(user)
                session.flush()
            if role is UserRole.OFFICER:
                officer_ids.append(user.id)
        batch = Batch(
            kind="demo",
            as_of=as_of,
            actor=db.actor,
            parameters={"accounts": accounts, "seed": seed},
        )
        session.add(batch)
        session.flush()
        builder = _Builder(rng, as_of, anchor, fnc, types, officer_ids, batch.id)
        for table, attr in (
            ("invoices", "invoice"),
            ("ledger_entries", "entry"),
            ("allocations", "allocation"),
            ("accounts", "account"),
            ("representatives", "representative"),
            ("financial_assessments", "assessment"),
            ("care_packages", "package"),
            ("mandates", "mandate"),
        ):
            highest = session.scalar(text(f"SELECT max(id) FROM {table}"))  # noqa: S608 (fixed names)
            setattr(builder.ids, attr, (highest or 0) + 1)
        rows = _Rows()
        for number in range(1, accounts + 1):
            builder.account(number, rows)
            if number % CHUNK == 0:
                _write(session, rows)
                rows = _Rows()
        _write(session, rows)
        last_invoice = builder.ids.invoice - 1
        counter = session.get(Counter, INVOICE_SERIES)
        if counter is None:
            session.add(Counter(name=INVOICE_SERIES, value=last_invoice))
        else:
            counter.value = max(counter.value, last_invoice)
        if session.get_bind().dialect.name == "postgresql":
            for table in (
                "accounts",
                "representatives",
                "financial_assessments",
                "care_packages",
                "mandates",
                "invoices",
                "ledger_entries",
                "allocations",
            ):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table}), 1))"
                    )
                )
        batch.finished_at = utcnow()
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
                "entries": builder.entry_count,
                "balance_total": builder.balance_total,
            },
        )
    return DemoResult(accounts, builder.entry_count, builder.balance_total)
