"""Render every document template with sample data, to PDF and PNG, for a person to look at.

    .venv/bin/python tools/preview_templates.py OUT_DIR [--templates DIR] [--no-png]
        [--no-logo] [--html]

Builds the contexts by hand (a council, statements, letters: an attorney, an estate, an
account in credit, a busy statement, a letter of claim with a refused offer...), renders
each template from resources/templates/ (a team's folder given with --templates is
searched first), lays the HTML out on A4 with Qt and writes one PDF per sample to
OUT_DIR, then a PNG of every page at 80 dpi with poppler's pdftoppm.

The HTML comes from debtdesk.documents.templates.Templates and the PDF from
debtdesk.documents.pdf, so the pages are exactly what debtdesk issues. Exits 1 if any
template failed to render. (tools/docs_pages.py renders the pages in docs/ from
documents a demo caseload really issued.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from debtdesk.documents.context import Council, Letter, OpenItem, Page  # noqa: E402
from debtdesk.documents.pdf import ensure_qt, logo_url, render_pdf  # noqa: E402
from debtdesk.documents.templates import TemplateRenderError, Templates  # noqa: E402
from debtdesk.domain.correspondence import Addressee  # noqa: E402
from debtdesk.domain.documents import TITLES  # noqa: E402
from debtdesk.domain.money import round_half_up  # noqa: E402
from debtdesk.domain.periods import Period, period_containing  # noqa: E402
from debtdesk.domain.statements import (  # noqa: E402
    ChargeLine,
    DirectDebitNotice,
    Movement,
    Statement,
    StretchLine,
)
from debtdesk.resources import resource_path  # noqa: E402

SHIPPED_LOGO = "wexshire-logo.png"


# ---------------------------------------------------------------- sample contexts


def sample_council() -> Council:
    return Council(
        name="Wexshire County Council",
        address_lines=(
            "Care Contributions Team",
            "County Hall",
            "Market Street",
            "Wexford Vale",
            "WX1 1AA",
        ),
        phone="01632 960000",
        email="care.contributions@wexshire.example",
        website="www.wexshire.example/paycare",
        logo="",
        bank_account_name="WEXSHIRE CC",
        bank_sort_code="401276",
        bank_account_number="71234567",
        card_payments="Pay by card at www.wexshire.example/paycare or call 01632 960001 (24 hours)",
        cheques_payable_to="Wexshire County Council",
        service_user_number="123456",
    )


ATTORNEY = Addressee(
    lines=(
        "Mrs Joan O'Brien & <Sons>, attorney for Mr Albert Smith",
        "14 Orchard Close",
        "Little Wexford",
        "Wexford Vale",
        "WX3 4PQ",
    ),
    name="Mrs Joan O'Brien & <Sons>, attorney for Mr Albert Smith",
    salutation="Dear Mrs Joan O'Brien & <Sons>",
)

CLIENT = Addressee(
    lines=("Mr Albert Smith", "Flat 3, Riverside Court", "Wexford Vale", "WX2 7LM"),
    name="Mr Albert Smith",
    salutation="Dear Mr Albert Smith",
)

ESTATE = Addressee(
    lines=(
        "The personal representatives of the late Mr Albert Smith",
        "c/o Hale & Partners Solicitors",
        "2 Bridge Street",
        "Wexford Vale",
        "WX1 3BT",
    ),
    name="The personal representatives of the late Mr Albert Smith",
    salutation="Dear Sir or Madam",
)


def stretch(start: date, days: int, weekly: int) -> tuple[StretchLine, Fraction]:
    exact = Fraction(weekly * days, 7)
    end = start + timedelta(days=days - 1)
    return StretchLine(start, end, days, weekly, round_half_up(exact)), exact


def charge_line(
    period: Period, parts: list[tuple[int, int]], before: int, current: bool
) -> ChargeLine:
    """A charge line from (days, weekly pence) parts, rounded once as the rules say."""
    lines: list[StretchLine] = []
    exact = Fraction(0)
    day = period.start
    for days, weekly in parts:
        line, amount = stretch(day, days, weekly)
        lines.append(line)
        exact += amount
        day += timedelta(days=days)
    due = round_half_up(exact)
    rounding = due - sum(s.amount for s in lines)
    return ChargeLine(period, due, before, tuple(lines), rounding, current)


def sample_statement() -> Statement:
    period = period_containing(date(2026, 11, 1))
    earlier = Period(period.start - timedelta(days=28))
    lines = (
        charge_line(earlier, [(28, 9210)], 34200, current=False),
        charge_line(period, [(9, 8545), (19, 9215)], 0, current=True),
    )
    statement_date = period.statement_date
    movements = (
        Movement(
            earlier.statement_date + timedelta(days=12), "Payment received (direct debit)", -34200
        ),
        Movement(period.start + timedelta(days=20), "Payment received (bank transfer)", -5000),
    )
    draft = Statement(
        number="ST-2026-000417",
        reference="CC000123",
        client_name="Mr Albert Smith",
        addressee=ATTORNEY,
        period=period,
        statement_date=statement_date,
        due_date=statement_date + timedelta(days=14),
        brought_forward=61240,
        brought_forward_from=earlier.statement_date,
        lines=lines,
        movements=movements,
        arrears=22040,
        invoice_number="INV-000981",
        direct_debit=None,
    )
    notice = DirectDebitNotice("WEXCC000123", draft.amount_due, draft.due_date + timedelta(days=1))
    return replace(draft, direct_debit=notice)


def sample_statement_in_credit() -> Statement:
    period = period_containing(date(2026, 11, 1))
    earlier = Period(period.start - timedelta(days=28))
    return Statement(
        number="ST-2026-000418",
        reference="CC000456",
        client_name="Mr Albert Smith",
        addressee=CLIENT,
        period=period,
        statement_date=period.statement_date,
        due_date=period.statement_date + timedelta(days=14),
        brought_forward=0,
        brought_forward_from=None,
        lines=(charge_line(earlier, [], 36840, current=False),),
        movements=(),
        arrears=0,
    )


def sample_statement_busy() -> Statement:
    """More than a typical account: three charge lines, four movements, a long address."""
    period = period_containing(date(2026, 11, 1))
    earlier = Period(period.start - timedelta(days=28))
    before = Period(earlier.start - timedelta(days=28))
    addressee = Addressee(
        lines=(
            "Mr Desmond Fitzgerald-Harrington, deputy for Mrs Margaret Fitzgerald-Harrington",
            "Flat 12, The Old Rectory",
            "42 Church Lane",
            "Upper Wexford",
            "Wexford Vale",
            "WX4 9ZZ",
        ),
        name="Mr Desmond Fitzgerald-Harrington, deputy for Mrs Margaret Fitzgerald-Harrington",
        salutation="Dear Mr Desmond Fitzgerald-Harrington",
    )
    movements = (
        Movement(earlier.statement_date + timedelta(days=2), "Payment received (card)", -2000),
        Movement(earlier.statement_date + timedelta(days=5), "Payment returned unpaid", 2000),
        Movement(period.start + timedelta(days=9), "Payment received (cheque)", -15000),
        Movement(period.start + timedelta(days=20), "Adjustment: transport charge", -1250),
    )
    return Statement(
        number="ST-2026-000419",
        reference="CC004711",
        client_name="Mrs Margaret Fitzgerald-Harrington",
        addressee=addressee,
        period=period,
        statement_date=period.statement_date,
        due_date=period.statement_date + timedelta(days=14),
        brought_forward=45000,
        brought_forward_from=earlier.statement_date,
        lines=(
            charge_line(before, [(28, 4000)], 0, current=False),
            charge_line(earlier, [(10, 9210), (18, 10000)], 36840, current=False),
            charge_line(period, [(28, 10000)], 0, current=True),
        ),
        movements=movements,
        arrears=30000,
    )


def sample_statement_clear() -> Statement:
    """An account that owes nothing: no charges, no movements, nothing due."""
    period = period_containing(date(2026, 11, 1))
    return Statement(
        number="ST-2026-000420",
        reference="CC000789",
        client_name="Mr Albert Smith",
        addressee=CLIENT,
        period=period,
        statement_date=period.statement_date,
        due_date=period.statement_date + timedelta(days=14),
        brought_forward=0,
        brought_forward_from=None,
        lines=(),
        movements=(),
        arrears=0,
    )


def sample_items(as_of: date) -> tuple[OpenItem, ...]:
    rows = [
        ("INV-000871", date(2026, 8, 25), 35812, 12812),
        ("INV-000924", date(2026, 9, 22), 36840, 36840),
        ("INV-000981", date(2026, 10, 20), 35999, 35999),
    ]
    items = []
    for number, issued, amount, outstanding in rows:
        due = issued + timedelta(days=14)
        items.append(OpenItem(number, issued, due, amount, outstanding, (as_of - due).days))
    return tuple(items)


def sample_letter(kind: str, addressee: Addressee = ATTORNEY, **changes: Any) -> Letter:
    sent = date(2026, 11, 23)
    items = sample_items(sent)
    wait = 30 if kind == "letter_of_claim" else 14
    letter = Letter(
        date=sent,
        reference="CC000123",
        client_name="Mr Albert Smith",
        addressee=addressee,
        balance=sum(i.outstanding for i in items),
        overdue=sum(i.outstanding for i in items if i.days_overdue > 0),
        items=items,
        pay_by=sent + timedelta(days=wait),
        officer_name="Priya Sharma",
        officer_phone="01632 960123",
        agreement_date=date(2025, 6, 2),
    )
    return replace(letter, **changes)


def samples() -> list[tuple[str, str, dict[str, Any]]]:
    """(output name, template kind, context variables) for every preview."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for name, statement in (
        ("statement", sample_statement()),
        ("statement-in-credit", sample_statement_in_credit()),
        ("statement-busy", sample_statement_busy()),
        ("statement-clear", sample_statement_clear()),
    ):
        out.append((name, "statement", {"statement": statement}))
    out.append(("reminder", "reminder", {"letter": sample_letter("reminder")}))
    estate = sample_letter("reminder", ESTATE, deceased=True)
    out.append(("reminder-estate", "reminder", {"letter": estate}))
    out.append(("final_reminder", "final_reminder", {"letter": sample_letter("final_reminder")}))
    estate = sample_letter("final_reminder", ESTATE, deceased=True)
    out.append(("final_reminder-estate", "final_reminder", {"letter": estate}))
    out.append(
        (
            "letter_of_claim",
            "letter_of_claim",
            {"letter": sample_letter("letter_of_claim", CLIENT)},
        )
    )
    estate = sample_letter("letter_of_claim", ESTATE, deceased=True)
    out.append(("letter_of_claim-estate", "letter_of_claim", {"letter": estate}))
    plan = (
        "You offered to pay £5.00 a month from 1 October 2026. We cannot accept this: "
        "at that rate the debt would take over 15 years to clear, and you have not sent us "
        "a financial statement showing that you cannot afford more."
    )
    out.append(
        (
            "letter_of_claim-attorney-interest",
            "letter_of_claim",
            {
                "letter": sample_letter(
                    "letter_of_claim",
                    plan_note=plan,
                    interest_continuing=True,
                    agreement_date=None,
                    balance=sum(i.outstanding for i in sample_items(date(2026, 11, 23))) - 2500,
                )
            },
        )
    )
    paragraphs = (
        "Thank you for your call on 18 November 2026 about the charges for your "
        "father's care at Willow Lodge.",
        "I have checked the account. The charge for 6 October to 2 November 2026 "
        "includes nine days at the old weekly rate of £85.45, because the new financial "
        "assessment took effect from 15 October 2026.\nThe statement shows each part "
        "separately.",
        "If you have any further questions, please call me on 01632 960123.",
    )
    officer = sample_letter(
        "letter", subject="Your query about the charges for October", paragraphs=paragraphs
    )
    out.append(("letter", "letter", {"letter": officer}))
    estate = replace(
        sample_letter("letter", ESTATE, deceased=True),
        subject="Re: The estate of the late Mr Albert Smith",
        paragraphs=("We have put the account on hold until probate is granted.",),
    )
    out.append(("letter-estate", "letter", {"letter": estate}))
    blank = sample_letter("letter", CLIENT, subject="", paragraphs=("Smith & Sons <Ltd> called.",))
    out.append(("letter-no-subject", "letter", {"letter": blank}))
    return out


def page_for(kind: str, context: dict[str, Any]) -> Page:
    if "statement" in context:
        statement: Statement = context["statement"]
        return Page(
            kind, TITLES[kind], statement.reference, statement.number, statement.statement_date
        )
    letter: Letter = context["letter"]
    return Page(kind, TITLES[kind], letter.reference, "", letter.date)


# ---------------------------------------------------------------- PNG


def to_png(pdf: Path) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found (apt-get install poppler-utils): no PNGs", file=sys.stderr)
        return []
    stem = pdf.with_suffix("")
    for old in pdf.parent.glob(f"{stem.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(stem)], check=True)
    return sorted(pdf.parent.glob(f"{stem.name}-*.png"))


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PDFs and PNGs")
    parser.add_argument("--templates", type=Path, help="a team's template folder, searched first")
    parser.add_argument("--no-png", action="store_true", help="write the PDFs only")
    parser.add_argument("--no-logo", action="store_true", help="leave the logo out")
    parser.add_argument("--html", action="store_true", help="also write the rendered HTML")
    args = parser.parse_args(argv)

    ensure_qt()
    args.out.mkdir(parents=True, exist_ok=True)
    templates = Templates(args.templates)
    logo = "" if args.no_logo else str(resource_path("icons", SHIPPED_LOGO))
    council = replace(sample_council(), logo=logo)
    failed = 0
    for name, kind, extra in samples():
        page = page_for(kind, extra)
        try:
            html = templates.render(
                f"{kind}.html", council=council, page=page, logo_url=logo_url(logo), **extra
            )
        except TemplateRenderError as exc:  # show every template's problem, not the first
            print(f"{name}: {exc}", file=sys.stderr)
            failed += 1
            continue
        if args.html:
            (args.out / f"{name}.html").write_text(html, encoding="utf-8")
        pdf = args.out / f"{name}.pdf"
        pages = render_pdf(html, pdf, f"Account {page.reference} · {page.title}", "", logo).pages
        pngs = [] if args.no_png else to_png(pdf)
        shown = ", ".join(p.name for p in pngs)
        print(f"{pdf}: {pages} page{'s' if pages != 1 else ''} {shown}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
