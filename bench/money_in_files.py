"""The files the money-in bench imports, made from a caseload's own rows (seeded, repeatable).

* **ARUDD**: ``ReturnedDebitItem``s for real, distinct collected direct debits (the
  demo records each direct debit it posted as a ``collections`` row): reference the
  mandate's, ``valueOf`` the amount, ``originalProcessingDate`` the collection's own
  processing date. They are the latest collections when enough of them fall within
  :data:`WINDOW_WORKING_DAYS` of the latest processing date, else collections drawn from
  the whole history, each with its own date. The header's ``currentProcessingDate`` is
  2 working days after the latest of them (FACTS.md §5.1: the report comes 1-3 working
  days after collection, which is the working day after processing). Return codes are a
  mix of 0, 0128 (refer to payer), 1, 1012 (instruction cancelled) and 2 (deceased); the
  items are split between two ``OriginatingAccountRecord``s, each with its ``Totals``.
* **Bank CSV** (the ``generic`` profile: ``date,amount,reference,payer,bank_reference``,
  dd/mm/yyyy, pounds): credits only, over the 20 working days up to the caseload's date.
  Most quote an account reference, written as payers do (``CC012345``, ``cc 012345``,
  ``REF CC-012345 CARE``); some an invoice number; some give no reference, only the
  client's name with the exact amount of the account's latest statement (the payer and
  amount rule; a caseload with no statements on record, as the demo builds it, has
  nothing for that rule to find, so these quote the balance and go to suspense); about
  5 % match nothing (:data:`BANK_MIX`).
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import quoteattr

from debtdesk.domain.working_days import add_working_days, is_working_day

SEED = 4
ARUDD_ITEMS = 5_000
BANK_ROWS = 50_000
WINDOW_WORKING_DAYS = 10
"""Returns in one ARUDD come from collections at most this many working days apart."""
RETURN_CODES = (  # (returnCode, returnDescription, weight)
    ("0", "REFER TO PAYER", 40),
    ("0128", "REFER TO PAYER", 25),
    ("1", "INSTRUCTION CANCELLED", 15),
    ("1012", "INSTRUCTION CANCELLED", 10),
    ("2", "PAYER DECEASED", 10),
)
BANK_MIX = (("account", 75), ("invoice", 12), ("payer", 8), ("unmatched", 5))
COUNCIL_ACCOUNTS = (  # the two originating accounts the returns are split between
    ("WEXSHIRE CC INCOME", "41872956", "30-96-34"),
    ("WEXSHIRE CC RESIDENTIAL", "41872964", "30-96-34"),
)


@dataclass(frozen=True)
class AruddFile:
    path: Path
    items: int
    total: int
    """Pence."""
    report_date: date
    earliest: date
    latest: date
    window: str
    """``latest`` when the items are the latest collections, else ``history``."""
    codes: dict[str, int]


@dataclass(frozen=True)
class BankFile:
    path: Path
    rows: int
    total: int
    """Pence."""
    kinds: dict[str, int]
    statements: bool
    """Whether the caseload had statements, so payer-only receipts quote a statement's
    amount due (and can match by payer and amount); else they quote the balance."""


def _pounds(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


def _connect(database: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{database}?mode=ro", uri=True)


def _collected(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    """Every collected, posted direct debit with its mandate, latest first."""
    return conn.execute(
        "SELECT c.id, c.amount, c.processing_date, c.transaction_code, m.reference, "
        "m.payer_name, m.sort_code, m.account_number "
        "FROM collections c JOIN mandates m ON m.id = c.mandate_id "
        "WHERE c.status = 'collected' AND c.payment_entry_id IS NOT NULL AND c.amount > 0 "
        "ORDER BY c.processing_date DESC, c.id"
    ).fetchall()


def write_arudd(
    database: Path, target: Path, items: int = ARUDD_ITEMS, seed: int = SEED
) -> AruddFile:
    """An ARUDD returning ``items`` distinct collections of ``database``, written to ``target``."""
    rng = random.Random(seed)
    with _connect(database) as conn:
        collected = _collected(conn)
    if len(collected) < items:
        raise RuntimeError(
            f"{database} has {len(collected):,} collected direct debits, not {items}"
        )
    latest = date.fromisoformat(str(collected[0][2]))
    start = latest
    for _ in range(WINDOW_WORKING_DAYS):
        start = _previous_working_day(start)
    recent = [row for row in collected if date.fromisoformat(str(row[2])) >= start]
    window = "latest" if len(recent) >= items else "history"
    chosen = rng.sample(recent if window == "latest" else collected, items)
    chosen.sort(key=lambda row: (str(row[4]), str(row[2])))
    dates = [date.fromisoformat(str(row[2])) for row in chosen]
    report_date = add_working_days(max(dates), 2)
    codes = [c for c, _, w in RETURN_CODES for _ in range(w)]
    descriptions = {c: d for c, d, _ in RETURN_CODES}
    counts: dict[str, int] = {}
    halves = (chosen[: items * 3 // 5], chosen[items * 3 // 5 :])
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<BACSDocument xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="newbacs-advices.xsd">',
        " <Data>",
        "  <ARUDD>",
        f'   <Header reportType="REFT1019" adviceNumber="105" '
        f'currentProcessingDate="{report_date.isoformat()}"/>',
        '   <AddresseeInformation name="WEXSHIRE COUNTY COUNCIL"/>',
        '   <ServiceLicenseInformation userName="WEXSHIRE CC" userNumber="418276"/>',
        "   <Advice>",
        "    <OriginatingAccountRecords>",
    ]
    total = 0
    for (name, number, sort_code), rows in zip(COUNCIL_ACCOUNTS, halves, strict=True):
        lines.append("     <OriginatingAccountRecord>")
        lines.append(
            f'      <OriginatingAccount name="{name}" number="{number}" sortCode="{sort_code}" '
            'type="0" bankName="LLOYDS BANK PLC" branchName="WEXFORD VALE"/>'
        )
        value = 0
        for _id, amount, processing, trans, ref, payer, payer_sort, payer_account in rows:
            code = rng.choice(codes)
            counts[code] = counts.get(code, 0) + 1
            value += int(str(amount))
            payer_name = quoteattr(str(payer).upper()[:18])
            sort = str(payer_sort)
            lines.append(
                f'      <ReturnedDebitItem ref="{ref}" transCode="{trans}" returnCode="{code}" '
                f'returnDescription="{descriptions[code]}" originalProcessingDate="{processing}" '
                f'valueOf="{_pounds(int(str(amount)))}" currency="GBP">'
            )
            lines.append(
                f'       <PayerAccount number="{payer_account}" ref="{ref}" name={payer_name} '
                f'sortCode="{sort[:2]}-{sort[2:4]}-{sort[4:]}" bankName="BARCLAYS BANK PLC" '
                'branchName="WEXFORD VALE"/>'
            )
            lines.append("      </ReturnedDebitItem>")
        lines.append(
            f'      <Totals numberOf="{len(rows)}" valueOf="{_pounds(value)}" currency="GBP"/>'
        )
        lines.append("     </OriginatingAccountRecord>")
        total += value
    lines += [
        "    </OriginatingAccountRecords>",
        "   </Advice>",
        "  </ARUDD>",
        " </Data>",
        " <SignatureMethod>Vanilla</SignatureMethod>",
        " <Signature>MIIPQwYJKoZIhvcNAQcCoIIPNDCCDzACAQExDzANBglghkgBZQMEAgEFADALBgkqhkiG9w0BBwGg"
        "</Signature>",
        "</BACSDocument>",
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return AruddFile(
        target,
        items,
        total,
        report_date,
        min(dates),
        max(dates),
        window,
        dict(sorted(counts.items())),
    )


def _previous_working_day(day: date) -> date:
    day = date.fromordinal(day.toordinal() - 1)
    while not is_working_day(day):
        day = date.fromordinal(day.toordinal() - 1)
    return day


def _working_days_to(end: date, count: int) -> list[date]:
    days = [end if is_working_day(end) else _previous_working_day(end)]
    while len(days) < count:
        days.append(_previous_working_day(days[-1]))
    return days[::-1]


def _reference_text(rng: random.Random, reference: str) -> str:
    """An account reference as payers write it: as given, spaced, lower case, with words."""
    letters, digits = reference[:2], reference[2:]
    return rng.choice(
        (
            reference,
            reference,
            f"{letters} {digits}",
            reference.lower(),
            f"REF {letters}-{digits} CARE",
            f"{reference} CARE FEES",
            f"CONTRIBUTION {reference}",
        )
    )


_STRANGERS = (
    "Northgate Estates Ltd",
    "A Zylberstein",
    "HMRC REFUND",
    "P Quennell-Vartanian",
    "Mr K Oyelaran-Whitcombe",
    "Trustees of the Ashby Fund",
)


def write_bank_csv(
    database: Path, target: Path, as_of: date, rows: int = BANK_ROWS, seed: int = SEED
) -> BankFile:
    """A generic-profile CSV of ``rows`` credits for ``database``'s accounts, to ``target``."""
    rng = random.Random(seed + 1)
    with _connect(database) as conn:
        accounts = conn.execute(
            "SELECT id, reference, client_name, balance FROM accounts"
        ).fetchall()
        due = dict(
            conn.execute(
                "SELECT s.account_id, s.amount_due FROM statements s JOIN "
                "(SELECT account_id, max(statement_date) AS latest FROM statements "
                "GROUP BY account_id) l ON l.account_id = s.account_id "
                "AND l.latest = s.statement_date WHERE s.amount_due > 0"
            ).fetchall()
        )
        invoices = conn.execute(
            "SELECT i.number, i.amount, a.client_name FROM invoices i "
            "JOIN accounts a ON a.id = i.account_id "
            "WHERE i.amount > 0 AND i.issued_on >= date(?, '-180 days')",
            (as_of.isoformat(),),
        ).fetchall()
    by_id = {row[0]: row for row in accounts}
    statements = bool(due)
    if not statements:  # no statement on record (the demo issues none): what each owes
        due = {row[0]: int(row[3]) for row in accounts if int(row[3]) > 0}
    owing = sorted(due)
    days = _working_days_to(as_of, 20)
    kinds = [k for k, w in BANK_MIX for _ in range(w)]
    counts: dict[str, int] = {}
    out = ["date,amount,reference,payer,bank_reference"]
    total = 0
    for n in range(1, rows + 1):
        kind = rng.choice(kinds)
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "account":
            _id, ref, name, _balance = rng.choice(accounts)
            amount = due.get(_id) or rng.randint(500, 40_000)
            reference, payer = _reference_text(rng, str(ref)), str(name)
        elif kind == "invoice":
            number, invoice_amount, name = rng.choice(invoices)
            amount = int(invoice_amount) if rng.random() < 0.7 else rng.randint(100, invoice_amount)
            reference, payer = rng.choice((f"{number}", f"INV {str(number)[3:]}")), str(name)
        elif kind == "payer":
            _id = rng.choice(owing)
            amount, payer = due[_id], str(by_id[_id][2])
            reference = rng.choice(("", "CARE FEES", "PAYMENT", "MUM CARE HOME"))
        else:
            amount = rng.randint(100, 250_000)
            reference = rng.choice(("", "SO", "TRF", "REFUND")) + f" {rng.randint(10**6, 10**7):d}"
            payer = rng.choice(_STRANGERS)
        total += amount
        day = rng.choice(days)
        payer_cell = f'"{payer}"' if "," in payer else payer
        out.append(f"{day:%d/%m/%Y},{_pounds(amount)},{reference.strip()},{payer_cell},FP{n:08d}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return BankFile(target, rows, total, dict(sorted(counts.items())), statements)
