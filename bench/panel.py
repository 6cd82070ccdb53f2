"""The Debt Management Panel's packs at county size (issue 7's speed targets).

``python -m bench.panel [N]`` (default 25000): on a copy of the cached N-account caseload,

* an account is given **ten years of history** (2016-11-28 to 2026-11-23): a 4-weekly
  charge and a payment each period (130 invoices, 130 payments, allocated), a call noted
  every quarter, two holds set and ended, two payment plans (one renegotiated), a
  returned direct debit, a deferred payment agreement offered and refused;
* **one pack**: ``CasePacks(db).pdf_bytes(account, 2026-11-23)`` for it, timed
  ``--repeat`` times (default 5) after one warm-up; target under 2 s;
* **an agenda of 20 cases**: that account and the 19 with the most ledger entries on a
  meeting's agenda, ``AgendaPacks(db).render(meeting, out)`` timed 3 times; target under
  20 s.

The issue names a time, not a floor: the figures are reported as a ratio of the median
to that target (under 1 passes), with the pages made.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import build
from bench.report import Measurement, table
from bench.statements import copy_database

AS_OF = date(2026, 11, 23)
START = date(2016, 11, 28)  # a Monday: 130 four-weekly periods to AS_OF
PACK_TARGET_S, AGENDA_TARGET_S = 2.0, 20.0
CASES = 20


def ten_years(db: object) -> int:
    """Add the account with ten years of history; its id."""
    from sqlalchemy import select

    from debtdesk.db.models import Account, CustomerType
    from debtdesk.domain.caseload import InvoiceKind
    from debtdesk.domain.contacts import ContactChannel, Direction
    from debtdesk.domain.deferred_payments import DpaOutcome
    from debtdesk.domain.holds import HoldReason
    from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
    from debtdesk.domain.payment_plans import Frequency
    from debtdesk.services import ledger
    from debtdesk.services.contact_notes import ContactNotes, NewNote
    from debtdesk.services.deferred_payments import DeferredPayments
    from debtdesk.services.holds import Holds
    from debtdesk.services.payment_plans import PaymentPlans, PlanTerms

    with db.sessions.begin() as s:  # type: ignore[attr-defined]
        individual = s.scalar(select(CustomerType.id).where(CustomerType.code == "INDIVIDUAL"))
        row = Account(
            reference="CC999999", client_name="Mrs Decade Longhistory", address="1 Long Lane",
            postcode="WX1 9ZZ", customer_type_id=individual,
            search_text="cc999999 mrs decade longhistory wx1 9zz",
        )  # fmt: skip
        s.add(row)
        s.flush()
        account = row.id
        day = START
        for n in range(130):
            due = day + timedelta(days=14)
            ledger.raise_invoice(
                s, account, InvoiceKind.STATEMENT, day, due,
                [(EntryKind.CHARGE, 400_00 + 5 * n, day, f"Contribution period {n + 1}")],
                source=EntrySource.USER, actor="bench",
            )  # fmt: skip
            if n % 5:  # one period in five goes unpaid: arrears build up
                ledger.post_entry(
                    s, account, EntryKind.PAYMENT, -(400_00 + 5 * n), due + timedelta(days=3),
                    source=EntrySource.USER, actor="bench", method=PaymentMethod.BANK_TRANSFER,
                )  # fmt: skip
            day += timedelta(days=28)
        ledger.allocate(s, account, "bench")
    notes = ContactNotes(db)  # type: ignore[arg-type]
    for quarter in range(40):
        moment = datetime.combine(START + timedelta(days=91 * quarter), datetime.min.time(), UTC)
        notes.add(account, NewNote(moment, ContactChannel.PHONE, Direction.OUTBOUND, "Client",
                                   f"Quarterly call {quarter + 1} about the arrears",
                                   "Promised to pay"))  # fmt: skip
    holds = Holds(db)  # type: ignore[arg-type]
    for start in (date(2019, 3, 4), date(2023, 6, 5)):
        hold = holds.set(account, HoldReason.DISPUTE, start, review=start + timedelta(days=28))
        holds.end(hold, start + timedelta(days=21), "Resolved")
    plans = PaymentPlans(db)  # type: ignore[arg-type]
    first = plans.create(
        account, PlanTerms(50_00, Frequency.MONTHLY, date(2021, 1, 4), 1_000_00, PaymentMethod.CARD)
    )
    plans.renegotiate(
        first, PlanTerms(40_00, Frequency.MONTHLY, date(2021, 6, 1), 800_00, PaymentMethod.CARD)
    )
    dpa = DeferredPayments(db)  # type: ignore[arg-type]
    dpa.record(account, DpaOutcome.OFFERED, date(2026, 6, 1), "By letter")
    dpa.record(account, DpaOutcome.REFUSED, date(2026, 6, 22), "By phone")
    return account


def busiest(db: object, count: int) -> list[int]:
    from sqlalchemy import func, select

    from debtdesk.db.models import LedgerEntry

    with db.sessions() as s:  # type: ignore[attr-defined]
        return list(
            s.scalars(
                select(LedgerEntry.account_id)
                .group_by(LedgerEntry.account_id)
                .order_by(func.count().desc(), LedgerEntry.account_id)
                .limit(count)
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.panel")
    parser.add_argument("size", nargs="?", type=int, default=25_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    from debtdesk.documents.pdf import ensure_qt
    from debtdesk.domain.panel import PanelOption
    from debtdesk.services.case_pack import CasePacks
    from debtdesk.services.database import open_database
    from debtdesk.services.panel import Panels
    from debtdesk.services.panel_agenda import AgendaPacks

    build.ensure(args.out, args.size, log=lambda m: print(m, file=sys.stderr))
    copy = args.out / f"panel-{args.size}.sqlite"
    copy_database(build.database_path(args.out, args.size), copy)
    db = open_database(str(copy), actor="bench")
    ensure_qt()
    account = ten_years(db)
    packs = CasePacks(db)
    _, pages = packs.pdf_bytes(account, AS_OF)  # warm-up
    pack_times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        packs.pdf_bytes(account, AS_OF)
        pack_times.append(time.perf_counter() - started)
    panels = Panels(db)
    meeting = panels.plan(AS_OF + timedelta(days=7), "Bench panel")
    for other in [account, *[a for a in busiest(db, CASES) if a != account][: CASES - 1]]:
        panels.add_case(meeting, other, PanelOption.COUNTY_COURT, "Bench")
    agenda_times, agenda_pages = [], 0
    for _ in range(3):
        started = time.perf_counter()
        agenda_pages = AgendaPacks(db).render(meeting, args.out / "agenda.pdf", AS_OF).pages
        agenda_times.append(time.perf_counter() - started)
    db.close()
    rows = [
        Measurement(f"case pack, 10 years ({pages} pages)", args.size,
                    [t * 1000 for t in pack_times], limit=PACK_TARGET_S * 1000),
        Measurement(f"agenda of {CASES} ({agenda_pages} pages)", args.size,
                    [t * 1000 for t in agenda_times], limit=AGENDA_TARGET_S * 1000),
    ]  # fmt: skip
    print(table(rows))
    for row, target in zip(rows, (PACK_TARGET_S, AGENDA_TARGET_S), strict=True):
        median = statistics.median(row.samples) / 1000
        print(
            f"{row.name}: median {median:.2f} s = {median / target:.2f} × the {target:g} s target"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
