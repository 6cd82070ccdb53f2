"""The direct debit failures report (``dd-failures``): returned direct debits and mandates the
paying banks cancelled, by Bacs reason code and 4-weekly period.

The periods are the collection report's (services.reporting.collection.report_spans): the
13 ending with the last complete at the as-at date D, then the current period to D.

* A **returned debit** is a collection an ARUDD returned unpaid (services.bacs_import): it is
  dated by its returned-payment entry, effective on the ARUDD's processing date (RULES.md),
  and its reason is the ARUDD item's code, read through domain.bacs_codes (a 4-digit XML
  code and its description give the 1-character code; a code not in the table is shown
  as reported). A return with no ARUDD item (the demo's history) has no code.
* A **cancellation** is an ADDACS advice with a cancelling code (0, 1, 2, B: the mandate is
  cancelled) that matched a mandate, dated by the ADDACS report's date, when debtdesk
  applied it.

Only those dated on or before D count, whenever they were imported. Two queries in all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from debtdesk.db.models import Account, BacsItem, Batch, Collection, LedgerEntry, Mandate, User
from debtdesk.domain.bacs_codes import ADDACS_CODES, ARUDD_CODES, MandateChange, arudd_reason
from debtdesk.domain.money import format_pounds, json_pounds
from debtdesk.reports.report import Column, Kind, Report, Sheet, Table, Value, count, money
from debtdesk.services.reporting.catalogue import ReportParams
from debtdesk.services.reporting.collection import Span, report_spans, span_of

ARUDD, ADDACS = "ARUDD return", "ADDACS cancellation"
CANCELLING = tuple(c for c, r in ADDACS_CODES.items() if r.mandate is MandateChange.CANCEL)
"""ADDACS codes that cancel the mandate (0, 1, 2, B)."""
NOT_RECORDED = "not recorded (no ARUDD item)"

ABOUT = (
    "Direct debits returned unpaid and mandates cancelled by the paying bank, by Bacs reason "
    "code and 4-weekly period: the 13 periods ending with the last one complete at the "
    "date, then the current period to the date when the date ends no period. A returned "
    "debit counts on the ARUDD's processing date (when its payment was reversed), with the "
    "ARUDD's return code (4-digit XML codes read as their 1-character code; a code not in "
    "the Bacs table is shown as reported). A cancellation is an ADDACS advice that "
    "cancelled a mandate (codes " + ", ".join(CANCELLING) + ") and matched one of ours, on "
    "the ADDACS report's date. Only those dated on or before the date count, whenever "
    "they were imported; items that matched no collection or mandate are listed on their "
    "import batch, not here. Officer is the account's officer now."
)


@dataclass(frozen=True)
class Failure:
    """One returned debit or cancellation: when, whose, which code."""

    day: date
    report: str  # ARUDD or ADDACS
    code: str
    reason: str
    amount: int | None
    cells: list[Value]  # its row on the detail sheet


def _arudd_code(code: str | None, description: str | None) -> tuple[str, str]:
    """The return's code and reason as the Bacs table has them, or as reported."""
    if code is None:
        return "", NOT_RECORDED
    reason = arudd_reason(code, description or "")
    if reason is not None:
        return reason.code, reason.reason
    return code, f"{description or 'no description'} (not in the Bacs table)"


def returned_debits(session: Session, first: date, as_of: date) -> list[Failure]:
    """Collections returned unpaid with their returns effective from ``first`` to ``as_of``."""
    returned = aliased(LedgerEntry)
    rows = session.execute(
        select(
            returned.effective_date,
            Account.reference,
            Account.client_name,
            User.display_name,
            Collection.collection_date,
            returned.amount,
            BacsItem.code,
            BacsItem.description,
            Collection.attempt,
            Collection.instalment,
        )
        .join(returned, returned.id == Collection.return_entry_id)
        .join(Account, Account.id == Collection.account_id)
        .outerjoin(User, User.id == Account.officer_id)
        .outerjoin(BacsItem, BacsItem.collection_id == Collection.id)
        .where(returned.effective_date >= first, returned.effective_date <= as_of)
        .order_by(returned.effective_date, Account.reference, Collection.id)
    ).tuples()
    failures = []
    for day, ref, client, officer, collected, pence, raw, described, attempt, instalment in rows:
        code, reason = _arudd_code(raw, described)
        cells: list[Value] = [day, ref, client, officer or "", collected, int(pence), code, reason,
                              attempt, instalment]  # fmt: skip
        failures.append(Failure(day, ARUDD, code, reason, int(pence), cells))
    return failures


def cancellations(session: Session, first: date, as_of: date) -> list[Failure]:
    """ADDACS cancellations applied to a mandate, their reports dated ``first`` to ``as_of``."""
    rows = session.execute(
        select(
            Batch.as_of,
            Account.reference,
            Account.client_name,
            User.display_name,
            Mandate.reference,
            BacsItem.code,
        )
        .join(Batch, Batch.id == BacsItem.batch_id)
        .join(Account, Account.id == BacsItem.account_id)
        .join(Mandate, Mandate.id == BacsItem.mandate_id)
        .outerjoin(User, User.id == Account.officer_id)
        .where(
            Batch.kind == "bacs_addacs",
            BacsItem.outcome == "applied",
            BacsItem.code.in_(CANCELLING),
            Batch.as_of >= first,
            Batch.as_of <= as_of,
        )
        .order_by(Batch.as_of, Account.reference, BacsItem.id)
    ).tuples()
    failures = []
    for day, ref, client, officer, mandate, code in rows:
        assert day is not None  # the query asks for a date
        reason = ADDACS_CODES[code].reason
        cells: list[Value] = [day, ref, client, officer or "", mandate, code, reason]
        failures.append(Failure(day, ADDACS, code, reason, None, cells))
    return failures


def _order(key: tuple[str, str, str]) -> tuple[int, int, str]:
    """ARUDD codes in the Bacs table's order, then unknown ones, then ADDACS codes."""
    report, code, _ = key
    table = list(ARUDD_CODES) if report == ARUDD else list(ADDACS_CODES)
    return (report != ARUDD, table.index(code) if code in table else len(table), code)


def _by_reason(spans: Sequence[Span], failures: Sequence[Failure]) -> Table:
    starts = [s.start for s in spans]
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0] * len(spans))
    amounts: dict[tuple[str, str, str], int] = defaultdict(int)
    for failure in failures:
        key = (failure.report, failure.code, failure.reason)
        counts[key][span_of(spans, starts, failure.day)] += 1
        amounts[key] += failure.amount or 0
    rows: list[list[Value]] = []
    for key in sorted(counts, key=_order):
        report, code, reason = key
        row = counts[key]
        amount = amounts[key] if report == ARUDD else None
        rows.append([report, code, reason, *row, sum(row), amount])
    headers = ["To date" if not s.complete else f"{s.start:%d/%m}–{s.end:%d/%m/%y}" for s in spans]
    columns = (
        Column("Report"),
        Column("Code"),
        Column("Reason"),
        *(count(h, total=True) for h in headers),
        count("Total", total=True),
        money("Amount returned"),
    )
    return Table(columns, rows)


RETURN_COLUMNS = (
    Column("Return date", Kind.DATE),
    Column("Account"),
    Column("Client"),
    Column("Officer"),
    Column("Collection date", Kind.DATE),
    money("Amount"),
    Column("Code"),
    Column("Reason"),
    count("Attempt"),
    count("Plan instalment"),
)
CANCEL_COLUMNS = (
    Column("Date", Kind.DATE),
    Column("Account"),
    Column("Client"),
    Column("Officer"),
    Column("Mandate"),
    Column("Code"),
    Column("Reason"),
)


def build(session: Session, params: ReportParams) -> Report:
    """The direct debit failures report as at ``params.as_of``."""
    as_of = params.as_of
    spans = report_spans(session, as_of)
    first = spans[0].start
    returns = returned_debits(session, first, as_of)
    cancelled = cancellations(session, first, as_of)
    returned_total = sum(f.amount or 0 for f in returns)
    return Report(
        name="dd-failures",
        title="Direct debit failures",
        about=ABOUT,
        parameters=(("As at", as_of), ("From", first)),
        sheets=(
            Sheet(
                "By reason",
                (_by_reason(spans, [*returns, *cancelled]),),
                "returns and cancellations by reason code and 4-weekly period",
                freeze_columns=3,
            ),
            Sheet(
                "Returned debits",
                (Table(RETURN_COLUMNS, [f.cells for f in returns]),),
                "one row a direct debit returned unpaid",
                freeze_columns=2,
            ),
            Sheet(
                "Mandates cancelled",
                (Table(CANCEL_COLUMNS, [f.cells for f in cancelled]),),
                "one row a mandate the paying bank cancelled (ADDACS)",
                freeze_columns=2,
            ),
        ),
        summary={
            "returned": len(returns),
            "returned_amount": json_pounds(returned_total),
            "cancelled": len(cancelled),
        },
        text=(
            f"Direct debit failures from {first:%d/%m/%Y} to {as_of:%d/%m/%Y}: "
            f"{len(returns)} returned ({format_pounds(returned_total)}), "
            f"{len(cancelled)} mandate{'' if len(cancelled) == 1 else 's'} cancelled"
        ),
    )
