"""One invented account for the demo: the client, their care, their money, their history.

Community and residential clients; contributions uprated each April; packages that start
and stop; deaths with an executor; CHC and FNC; representatives of every kind; and about
three years of 4-weekly charges (from domain.charging, exactly as a statement run would
raise them) paid by direct debit, bank transfer, card and cheque: some on time, some
late, some short, some missed, a few direct debits returned unpaid.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from debtdesk.domain import charging
from debtdesk.domain.bacs_submission import processing_date_for
from debtdesk.domain.caseload import AccountStatus, CareSetting, MandateStatus, RepresentativeRole
from debtdesk.domain.charging import Assessment, ChargeBasis, Funding, RateChange
from debtdesk.domain.direct_debit import CollectionStatus
from debtdesk.domain.ledger import PaymentMethod
from debtdesk.domain.money import round_half_up
from debtdesk.domain.periods import last_complete_period
from debtdesk.domain.working_days import add_working_days, next_working_day
from debtdesk.services import demo_people
from debtdesk.services.demo_ledger import AccountBook, Ids, Rows, posted

HISTORY_YEARS = 3

# April uprating of contributions: roughly the state pension's rise each year.
UPRATING = {
    2023: Decimal("0.101"),
    2024: Decimal("0.085"),
    2025: Decimal("0.041"),
    2026: Decimal("0.048"),
}
DEFAULT_UPRATING = Decimal("0.04")

PAYERS = {  # how people pay, and how many of them
    "direct_debit": 45,
    "prompt": 20,
    "late": 12,
    "partial": 8,
    "sporadic": 10,
    "non_payer": 5,
}
RECEIVES_LETTERS = {
    RepresentativeRole.ATTORNEY,
    RepresentativeRole.DEPUTY,
    RepresentativeRole.APPOINTEE,
    RepresentativeRole.SOLICITOR,
}
ROLES = {  # representatives of the living, and how common each is
    RepresentativeRole.ATTORNEY: 30,
    RepresentativeRole.DEPUTY: 10,
    RepresentativeRole.APPOINTEE: 20,
    RepresentativeRole.RELATIVE: 25,
    RepresentativeRole.SOLICITOR: 5,
    RepresentativeRole.ADVOCATE: 10,
}
RETURN_REASON = "Direct debit returned unpaid: refer to payer (ARUDD 0)"


def first_monday_of_april(year: int) -> date:
    day = date(year, 4, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def pounds(rng: random.Random, low: int, high: int) -> int:
    """A random amount between whole pounds, with pence, in pence."""
    return rng.randint(low, high) * 100 + rng.choice((0, 0, 25, 50, 75, rng.randint(1, 99)))


@dataclass(frozen=True)
class Setting:
    """What every account of one demo build shares."""

    as_of: date
    anchor: date
    fnc: tuple[RateChange, ...]
    types: dict[str, tuple[int, int]]  # code -> (id, payment terms in days)
    officers: tuple[int, ...]
    batch_id: int


class AccountMaker:
    """Makes accounts one after another into shared rows, from one random generator."""

    def __init__(self, rng: random.Random, setting: Setting, ids: Ids) -> None:
        self.rng = rng
        self.s = setting
        self.ids = ids
        self.history_start = setting.as_of - relativedelta(years=HISTORY_YEARS)
        self.last_period = last_complete_period(setting.as_of, setting.anchor)
        self.limit = setting.as_of - relativedelta(years=6)
        self.balance_total = 0
        self.entries = 0

    def make(self, number: int, rows: Rows) -> None:
        """Account ``CC{number:06d}`` with everything it has, appended to ``rows``."""
        rng, as_of = self.rng, self.s.as_of
        account_id = self.ids.take("account")
        reference = f"CC{number:06d}"
        roll = rng.random()
        type_code = "BUSINESS" if roll < 0.02 else "ESTATE" if roll < 0.05 else "INDIVIDUAL"
        setting = CareSetting.RESIDENTIAL if rng.random() < 0.45 else CareSetting.COMMUNITY
        span = (as_of - timedelta(days=70) - self.history_start).days
        start = self.history_start + timedelta(
            days=0 if rng.random() < 0.45 else rng.randint(0, span)
        )
        title, first, surname = demo_people.person(rng)
        if type_code == "BUSINESS":
            name, dob = rng.choice(demo_people.BUSINESSES), None
        else:
            name = f"{title} {first} {surname}"
            dob = date(rng.randint(1924, 1972), rng.randint(1, 12), rng.randint(1, 28))
        address, postcode = demo_people.address(rng)

        latest = as_of - timedelta(days=1)
        end = death = chc_from = None  # the last day of care; the date of death; CHC's start
        if type_code == "ESTATE" or (type_code == "INDIVIDUAL" and rng.random() < 0.08):
            death = min(
                latest, start + timedelta(days=rng.randint(60, max(61, (latest - start).days)))
            )
            end = death
        elif type_code == "INDIVIDUAL" and rng.random() < 0.07:
            end = min(
                latest, start + timedelta(days=rng.randint(56, max(57, (latest - start).days)))
            )
        if type_code == "INDIVIDUAL" and setting is CareSetting.RESIDENTIAL and rng.random() < 0.08:
            chc_day = start + timedelta(days=rng.randint(60, 600))
            if chc_day < (end or latest):
                chc_from = chc_day
        if death:
            status = AccountStatus.DECEASED
        elif end is not None and end < as_of:
            status = AccountStatus.CEASED
        else:
            status = AccountStatus.ACTIVE

        basis = ChargeBasis(
            self._assessments(account_id, start, setting, rows),
            self._packages(account_id, start, end, chc_from, setting, rows),
            death,
            self.s.fnc,
        )
        type_id, terms = self.s.types[type_code]
        behaviour = rng.choices(list(PAYERS), list(PAYERS.values()))[0]
        if type_code == "BUSINESS":
            behaviour = rng.choice(("prompt", "late"))
        mandate: tuple[int, str] | None = None
        if behaviour == "direct_debit":
            method = PaymentMethod.DIRECT_DEBIT
            mandate = (self.ids.take("mandate"), f"WXCC{number:06d}")
            rows.mandates.append(
                {
                    "id": mandate[0],
                    "account_id": account_id,
                    "reference": mandate[1],
                    "payer_name": f"{first[0]} {surname}".upper()[:18],
                    "sort_code": f"{rng.randint(10, 99)}{rng.randint(0, 9999):04d}",
                    "account_number": f"{rng.randint(0, 99_999_999):08d}",
                    "status": MandateStatus.LIVE,
                    "lodged_on": add_working_days(start, 3),
                    "created_at": posted(start),
                }
            )
        else:
            method = rng.choices(
                (PaymentMethod.BANK_TRANSFER, PaymentMethod.CARD, PaymentMethod.CHEQUE), (5, 3, 2)
            )[0]
        self._representatives(account_id, start, death, rows)
        book = AccountBook(self.ids, rows, account_id, self.s.batch_id)
        flags = self._history(book, basis, terms, behaviour, method, death, mandate, rows)
        rows.accounts.append(
            {
                "id": account_id,
                "reference": reference,
                "client_name": name,
                "date_of_birth": dob,
                "address": address,
                "postcode": postcode,
                "social_care_client_id": f"SC{rng.randint(1_000_000, 9_999_999)}",
                "care_setting": setting,
                "status": status,
                "date_of_death": death,
                "officer_id": rng.choice(self.s.officers),
                "customer_type_id": type_id,
                "flags": flags,
                "balance": book.balance,
                "search_text": f"{reference} {name} {postcode}".lower(),
                "version": 1,
                "created_at": posted(start),
            }
        )
        self.balance_total += book.balance
        self.entries += book.entries

    def _assessments(
        self, account_id: int, start: date, setting: CareSetting, rows: Rows
    ) -> tuple[Assessment, ...]:
        rng, as_of = self.rng, self.s.as_of
        residential = setting is CareSetting.RESIDENTIAL
        weekly = pounds(rng, 150, 420) if residential else pounds(rng, 8, 160)
        changes: list[tuple[date, int, str]] = [(start, weekly, "Financial assessment")]
        for year in range(start.year, as_of.year + 1):
            uprating = first_monday_of_april(year)
            if start < uprating <= as_of:
                weekly = round_half_up(weekly * (1 + UPRATING.get(year, DEFAULT_UPRATING)))
                changes.append((uprating, weekly, f"April {year} benefit uprating"))
        if rng.random() < 0.12:
            day = start + timedelta(days=rng.randint(30, max(31, (as_of - start).days - 1)))
            if day < as_of and day not in {c[0] for c in changes}:
                changes.append(
                    (day, max(0, weekly + pounds(rng, -40, 30)), "Change in circumstances")
                )
                changes.sort()
        result = []
        for i, (day, amount, reason) in enumerate(changes):
            until = changes[i + 1][0] - timedelta(days=1) if i + 1 < len(changes) else None
            rows.assessments.append(
                {
                    "id": self.ids.take("assessment"),
                    "account_id": account_id,
                    "effective_from": day,
                    "effective_to": until,
                    "weekly_contribution": amount,
                    "reason": reason,
                    "created_at": posted(day),
                }
            )
            result.append(Assessment(day, until, amount))
        return tuple(result)

    def _packages(
        self,
        account_id: int,
        start: date,
        end: date | None,
        chc_from: date | None,
        setting: CareSetting,
        rows: Rows,
    ) -> tuple[charging.CarePackage, ...]:
        rng = self.rng
        specs: list[tuple[str, str, int, date, date | None, Funding]] = []
        main_end = end if chc_from is None else chc_from - timedelta(days=1)
        if setting is CareSetting.RESIDENTIAL:
            home = rng.choice(demo_people.HOMES)
            if rng.random() < 0.3:
                cost = pounds(rng, 950, 1500)
                specs.append(("Nursing care (FNC)", home, cost, start, main_end, Funding.FNC))
            else:
                cost = pounds(rng, 720, 1150)
                specs.append(("Residential care", home, cost, start, main_end, Funding.COUNCIL))
            if chc_from is not None:
                specs.append(("NHS Continuing Healthcare", home, cost, chc_from, end, Funding.CHC))
        else:
            provider = rng.choice(demo_people.HOME_CARE)
            specs.append(
                ("Home care", provider, pounds(rng, 60, 640), start, main_end, Funding.COUNCIL)
            )
            if rng.random() < 0.3:
                day_start = start + timedelta(days=rng.randint(0, 400))
                day_end = day_start + timedelta(days=rng.randint(28, 500))
                if end is not None:
                    day_end = min(day_end, end)
                if day_start < self.s.as_of and day_start <= day_end:
                    specs.append(
                        (
                            "Day opportunities",
                            "Wexshire Day Services",
                            pounds(rng, 30, 120),
                            day_start,
                            day_end,
                            Funding.COUNCIL,
                        )
                    )
        result = []
        for service, provider, cost, first, last, funding in specs:
            rows.packages.append(
                {
                    "id": self.ids.take("package"),
                    "account_id": account_id,
                    "service": service,
                    "provider": provider,
                    "weekly_cost": cost,
                    "start_date": first,
                    "end_date": last,
                    "funding": funding,
                }
            )
            result.append(charging.CarePackage(first, last, cost, funding))
        return tuple(result)

    def _representatives(
        self, account_id: int, start: date, death: date | None, rows: Rows
    ) -> None:
        rng = self.rng
        reps: list[tuple[RepresentativeRole, bool, date | None]] = []
        if rng.random() < 0.35:
            role = rng.choices(list(ROLES), list(ROLES.values()))[0]
            receives = role in RECEIVES_LETTERS or (
                role is RepresentativeRole.RELATIVE and rng.random() < 0.5
            )
            checked = start + timedelta(days=rng.randint(0, 60)) if receives else None
            reps.append((role, receives and death is None, checked))
        if death is not None:
            probate = death + timedelta(days=rng.randint(20, 120))
            reps.append((RepresentativeRole.EXECUTOR, True, probate))
        for role, receives, checked in reps:
            title, first, surname = demo_people.person(rng)
            if role is RepresentativeRole.SOLICITOR:
                name = f"{surname} & {rng.choice(demo_people.SURNAMES)} Solicitors"
            else:
                name = f"{title} {first[0]} {surname}"
            address, postcode = demo_people.address(rng)
            rows.representatives.append(
                {
                    "id": self.ids.take("representative"),
                    "account_id": account_id,
                    "name": name,
                    "role": role,
                    "address": f"{address}\n{postcode}",
                    "phone": f"01632 {rng.randint(960000, 960999)}",
                    "email": "",
                    "receives_correspondence": receives,
                    "authority_checked_on": checked
                    if checked and checked <= self.s.as_of
                    else None,
                    "authority_reference": "",
                }
            )

    def _history(
        self,
        book: AccountBook,
        basis: ChargeBasis,
        terms: int,
        behaviour: str,
        method: PaymentMethod,
        death: date | None,
        mandate: tuple[int, str] | None,
        rows: Rows,
    ) -> list[str]:
        """Charges, payments and returns in date order; the account's flags.

        Each direct debit payment is also a collection under the mandate (01 first, then 17).
        """
        rng, as_of = self.rng, self.s.as_of
        # (day, order, sequence, kind, payload): on one day, invoices come before payments.
        events: list[tuple[date, int, int, str, object]] = []
        sequence = itertools.count()
        for diff in charging.recalculate(
            basis, {}, self.last_period, earliest=self.limit, anchor=self.s.anchor
        ):
            due = diff.period.statement_date + timedelta(days=terms)
            events.append((diff.period.statement_date, 0, next(sequence), "charge", (diff, due)))
            for day, amount in self._payments(behaviour, due, diff.difference, death):
                events.append((day, 1, next(sequence), "payment", amount))
        if death is not None and behaviour != "direct_debit" and rng.random() < 0.5:
            # The estate settles some or all of the debt once probate is granted.
            day = death + timedelta(days=rng.randint(120, 300))
            events.append((day, 2, next(sequence), "estate", None))
        heapq.heapify(events)
        flags: list[str] = []
        collections: dict[int, dict[str, object]] = {}
        while events:
            day, _, _, kind, payload = heapq.heappop(events)
            if day > as_of:
                break
            if kind == "charge":
                diff, due = payload  # type: ignore[misc]
                book.charge(diff.period, diff.difference, due)
            elif kind == "return":
                returned = book.return_payment(payload, day, RETURN_REASON)  # type: ignore[arg-type]
                collection = collections[payload]  # type: ignore[index]
                collection["status"] = CollectionStatus.RETURNED
                collection["return_entry_id"] = returned
                if "dd_returned" not in flags:
                    flags.append("dd_returned")
            elif kind == "estate":
                share = Decimal(rng.choice(("1", "1", "0.6")))
                amount = round_half_up(book.outstanding * share)
                if amount > 0:
                    book.pay(day, amount, PaymentMethod.CHEQUE, "", "Payment from the estate")
            else:
                reference = rng.choice(("", "", f"{rng.randint(100000, 999999)}"))
                if method is PaymentMethod.DIRECT_DEBIT and mandate is not None:
                    entry = book.pay(day, payload, method, mandate[1], "Direct debit collection")  # type: ignore[arg-type]
                    collections[entry] = self._collection(
                        mandate[0],
                        book.account_id,
                        day,
                        payload,  # type: ignore[arg-type]
                        entry,
                        first=not collections,
                    )
                    rows.collections.append(collections[entry])
                    if rng.random() < 0.03:
                        back = add_working_days(day, 2)
                        heapq.heappush(events, (back, 1, next(sequence), "return", entry))
                else:
                    text = f"Payment by {method.value.replace('_', ' ')}"
                    book.pay(day, payload, method, reference, text)  # type: ignore[arg-type]
        return flags

    def _collection(
        self, mandate_id: int, account_id: int, day: date, amount: int, entry: int, *, first: bool
    ) -> dict[str, object]:
        """A collection row for a direct debit payment the demo posted."""
        return {
            "id": self.ids.take("collection"),
            "mandate_id": mandate_id,
            "account_id": account_id,
            "statement_id": None,
            "attempt": 1,
            "represents_id": None,
            "amount": amount,
            "collection_date": day,
            "processing_date": processing_date_for(day),
            "transaction_code": "01" if first else "17",
            "status": CollectionStatus.COLLECTED,
            "batch_id": self.s.batch_id,
            "payment_entry_id": entry,
            "return_entry_id": None,
            "note": "Collected before debtdesk (demo history)",
            "represent_on": None,
            "created_at": posted(day),
        }

    def _payments(
        self, behaviour: str, due: date, amount: int, death: date | None
    ) -> Iterator[tuple[date, int]]:
        rng = self.rng
        if death is not None and due > death + timedelta(days=40):
            return  # nobody pays the dead person's bills until the estate does
        if behaviour == "direct_debit":
            yield next_working_day(due), amount
        elif behaviour == "prompt":
            if rng.random() < 0.04:  # a round sum: the extra waits as credit
                amount = -(-amount // 1000) * 1000
            yield due - timedelta(days=rng.randint(0, 10)), amount
        elif behaviour == "late":
            yield due + timedelta(days=rng.randint(5, 75)), amount
        elif behaviour == "partial":
            share = Decimal(rng.randint(40, 90)) / 100
            yield due + timedelta(days=rng.randint(-3, 20)), round_half_up(amount * share)
        elif behaviour == "sporadic":
            if rng.random() < 0.6:
                yield due + timedelta(days=rng.randint(0, 40)), amount
        elif rng.random() < 0.08:  # a non-payer's occasional token payment
            yield due + timedelta(days=rng.randint(10, 90)), min(amount, pounds(rng, 5, 40))
