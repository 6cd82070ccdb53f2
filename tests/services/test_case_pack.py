"""The Debt Management Panel's case pack: its figures are `account show`'s, its contents
name the right pages, every page is marked, and its chronology is in date order.

The chronology is worked by hand on one account: £300.00 invoiced on 16 Feb 2026, due
Mon 2 Mar; a call on 9 Mar; the reminder on 16 Mar (14 days after the due date, RULES.md);
a dispute hold from 20 Mar ended on 25 Mar; a £50.00 monthly plan from 1 Apr (its kept
plan hold with it, reviewed at the sixth instalment, 1 Sep); £50.00 paid on 3 Apr, £50.00
by direct debit on 1 May returned on 5 May, so the second instalment (due 1 May, 7 days'
grace) is £50.00 short and the plan breaks on 9 May; a deferred payment agreement offered
on 20 May. The pack is as at 30 Jun: a call on 15 Jul and a hold from 1 Jul are after it.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from debtdesk.cli import main
from debtdesk.db.models import Account, LedgerEntry, Representative
from debtdesk.documents.case_pack import MARKING, SECTIONS, ChronologyRow, SentRow
from debtdesk.domain.caseload import InvoiceKind, RepresentativeRole
from debtdesk.domain.charging import Funding
from debtdesk.domain.contacts import ContactChannel, Direction
from debtdesk.domain.deferred_payments import DpaOutcome
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.money import format_pounds, parse_pounds
from debtdesk.domain.panel import OPTION_NAMES, PanelOption
from debtdesk.domain.payment_plans import Frequency
from debtdesk.services import ledger
from debtdesk.services.case_pack import CasePacks, Recommendation
from debtdesk.services.contact_notes import ContactNotes, NewNote
from debtdesk.services.database import Database
from debtdesk.services.deferred_payments import DeferredPayments
from debtdesk.services.errors import BadInput
from debtdesk.services.holds import Holds
from debtdesk.services.payment_plans import PaymentPlans, PlanTerms
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.statement_run import StatementRuns
from tests.services.support import DEMO_AS_OF, add_account, add_care
from tests.services.support import pdf_text as poppler_text

AS_OF = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """Packs (and the recovery run's letters) render with Qt: pytest-qt makes the app."""


def _longest_history(db: Database) -> tuple[int, str]:
    """The demo account with the most ledger entries among those owing something overdue."""
    with db.sessions() as s:
        rows = s.execute(
            select(Account.id, Account.reference, func.count(LedgerEntry.id))
            .join(LedgerEntry, LedgerEntry.account_id == Account.id)
            .group_by(Account.id, Account.reference)
            .order_by(func.count(LedgerEntry.id).desc(), Account.id)
        ).tuples()
        packs = CasePacks(db)
        for account_id, reference, _entries in rows:
            pack = packs.pack(account_id, DEMO_AS_OF)
            if pack.overdue and len(pack.invoices) >= 3:
                return account_id, reference
    raise AssertionError("the demo has no account with overdue invoices")


def _shown(reference: str, url: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """`debtdesk account show REF --as-of D --json`, run through the CLI's main."""
    capsys.readouterr()
    args = ["--db", url, "account", "show", reference, "--as-of", DEMO_AS_OF.isoformat(), "--json"]
    assert main(args) == 0
    shown: dict[str, object] = json.loads(capsys.readouterr().out)
    return shown


def pdf_text(path: Path) -> str:
    """The PDF's text in one line, its ligatures ("ﬀ" in "Oﬀered") spelt out."""
    return unicodedata.normalize("NFKC", poppler_text(path))


def _pounds(text: object) -> str:
    """A JSON amount ("1234.50") as the pack prints it (£1,234.50)."""
    return format_pounds(parse_pounds(str(text)))


def _uk(iso: object) -> str:
    return date.fromisoformat(str(iso)).strftime("%d/%m/%Y")


def test_every_figure_agrees_with_account_show(
    demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    account_id, reference = _longest_history(demo)
    shown = _shown(reference, demo.url, capsys)
    out = CasePacks(demo).write(account_id, tmp_path / "pack.pdf", DEMO_AS_OF)
    text = pdf_text(out)

    assert f"Balance {_pounds(shown['balance'])}" in text
    assert f"Debt total (balance) {_pounds(shown['balance'])}" in text
    assert f"Unallocated credit {_pounds(shown['unallocated'])}" in text
    aged = shown["aged"]
    assert isinstance(aged, dict)
    labels = {
        "not_due": "Not yet due",
        "1_30": "1–30 days",
        "31_60": "31–60 days",
        "61_90": "61–90 days",
        "91_180": "91–180 days",
        "181_365": "181–365 days",
        "over_365": "Over 365 days",
    }
    assert set(aged) == set(labels)
    for bucket, label in labels.items():
        assert f"{label} {_pounds(aged[bucket])}" in text, bucket
    overdue = sum(parse_pounds(str(v)) for k, v in aged.items() if k != "not_due")
    assert f"Overdue {format_pounds(overdue)}" in text
    invoices = shown["open_invoices"]
    assert isinstance(invoices, list) and len(invoices) >= 3
    for inv in invoices:
        row = (
            f"{inv['number']} {_uk(inv['issued'])} {_uk(inv['due'])} "
            f"{_pounds(inv['amount'])} {_pounds(inv['outstanding'])} "
        )
        assert row in text, row
    table = text.split("Open invoices and the six-year limit", 1)[1].split("Last day to claim:")[0]
    numbers = {str(inv["number"]) for inv in invoices}
    assert set(re.findall(r"\b[A-Z]+\d{5,}\b", table)) == numbers


def _pages(path: Path) -> list[str]:
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout.split("\f")[:-1]


def test_the_contents_give_the_page_each_section_starts_on(demo: Database, tmp_path: Path) -> None:
    account_id, _reference = _longest_history(demo)
    out = CasePacks(demo).write(account_id, tmp_path / "pack.pdf", DEMO_AS_OF)
    pages = _pages(out)

    assert re.search(r"^\s*Contents\s*$", pages[1], re.MULTILINE)
    listed = {
        int(number): (title, int(page))
        for number, title, page in re.findall(
            r"^\s*(\d)\s+(\S.*?)\s+(\d+)\s*$", pages[1], re.MULTILINE
        )
    }
    assert [title for title, _page in listed.values()] == list(SECTIONS)
    for number, (title, page) in listed.items():
        heading = re.compile(rf"^\s*{number}\s+{re.escape(title)}\s*$", re.MULTILINE)
        found = [i + 1 for i, text in enumerate(pages) if i != 1 and heading.search(text)]
        assert found and found[0] == page, (title, page, found)
    assert listed[1][1] == 1 and listed[2][1] == 3  # the cover, then the contents
    assert len({page for _title, page in listed.values()}) >= 4  # spread over the pack
    assert listed[9][1] > listed[6][1]


def test_every_page_is_marked_numbered_and_dated(demo: Database, tmp_path: Path) -> None:
    account_id, reference = _longest_history(demo)
    out = CasePacks(demo).write(account_id, tmp_path / "pack.pdf", DEMO_AS_OF)
    pages = _pages(out)

    assert len(pages) >= 5
    for number, text in enumerate(pages, 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0] == lines[-1] == MARKING, number  # at the top and at the foot
        assert f"Page {number} of {len(pages)}" in text
        assert f"Account {reference} · Debt Management Panel case pack as at 23/11/2026" in text


@pytest.fixture
def history(db: Database, tmp_path: Path) -> tuple[int, int]:
    """The account worked by hand in the module's docstring: (account, plan)."""
    with db.sessions.begin() as s:
        account_id = add_account(
            s, "CP000001", "Mrs Ada Brown", address="1 High Street\nWexford Vale"
        )
        ledger.raise_invoice(
            s, account_id, InvoiceKind.SUNDRY, date(2026, 2, 16), date(2026, 3, 2),
            [(EntryKind.CHARGE, 300_00, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    notes = ContactNotes(db)
    notes.add(account_id, NewNote(
        datetime(2026, 3, 9, 12, 0, tzinfo=UTC), ContactChannel.PHONE, Direction.OUTBOUND,
        "Mrs Ada Brown", "Called about the overdue invoice", "Will pay at the end of the month",
    ))  # fmt: skip
    RecoveryRuns(db).run(date(2026, 3, 16), tmp_path)
    holds = Holds(db)
    dispute = holds.set(
        account_id, HoldReason.DISPUTE, date(2026, 3, 20), review=date(2026, 4, 20),
        note="Care visits disputed",
    )  # fmt: skip
    holds.end(dispute, date(2026, 3, 25), "Provider confirmed the visits")
    plan = PaymentPlans(db).create(
        account_id,
        PlanTerms(50_00, Frequency.MONTHLY, date(2026, 4, 1), 300_00, PaymentMethod.CARD),
    )
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account_id, EntryKind.PAYMENT, -50_00, date(2026, 4, 3), source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CARD, description="Card payment",
        )  # fmt: skip
        collected = ledger.post_entry(
            s, account_id, EntryKind.PAYMENT, -50_00, date(2026, 5, 1), source=EntrySource.USER,
            actor="tester", method=PaymentMethod.DIRECT_DEBIT,
            description="Direct debit collection",
        )  # fmt: skip
        ledger.allocate(s, account_id, "tester")
        ledger.post_entry(
            s, account_id, EntryKind.RETURNED_PAYMENT, 50_00, date(2026, 5, 5),
            source=EntrySource.USER, actor="tester", method=PaymentMethod.DIRECT_DEBIT,
            description="Direct debit returned unpaid: refer to payer (ARUDD 0)",
            reverses=collected,
        )  # fmt: skip
    DeferredPayments(db).record(
        account_id, DpaOutcome.OFFERED, date(2026, 5, 20), "Offered by letter with the factsheet"
    )
    notes.add(account_id, NewNote(
        datetime(2026, 7, 15, 12, 0, tzinfo=UTC), ContactChannel.PHONE, Direction.INBOUND,
        "Mrs Ada Brown", "Asked for a copy of the statement",
    ))  # fmt: skip
    holds.set(account_id, HoldReason.COMPLAINT, date(2026, 7, 1), review=date(2026, 8, 1))
    return account_id, plan


def test_the_chronology_is_every_event_by_the_date_in_date_order(
    db: Database, history: tuple[int, int]
) -> None:
    account_id, plan = history

    pack = CasePacks(db).pack(account_id, AS_OF)

    assert [(row.on, row.what, row.detail) for row in pack.chronology] == [
        (date(2026, 3, 9), "Phone call to Mrs Ada Brown",
         "Called about the overdue invoice. Outcome: Will pay at the end of the month."),
        (date(2026, 3, 16), "Stage: Reminder", "Reminder sent (recovery run)."),
        (date(2026, 3, 20), "Hold set", "Dispute, review 20/04/2026: Care visits disputed"),
        (date(2026, 3, 25), "Hold ended", "Dispute: Provider confirmed the visits"),
        (date(2026, 4, 1), "Payment plan agreed",
         f"Plan {plan}: £50.00 a month from 01/04/2026, covering £300.00 of arrears"),
        (date(2026, 4, 1), "Hold set",
         f"Payment plan being kept, review 01/09/2026: Plan {plan}: £50.00 a month to 01/09/2026"),
        (date(2026, 5, 5), "Direct debit returned",
         "£50.00: Direct debit returned unpaid: refer to payer (ARUDD 0)"),
        (date(2026, 5, 9), "Payment plan broken", f"Plan {plan}"),
        (date(2026, 5, 20), "Deferred payment agreement",
         "Offered, awaiting an answer: Offered by letter with the factsheet"),
    ]  # fmt: skip


def test_the_pack_prints_the_chronology_and_the_figures_at_its_date(
    db: Database, history: tuple[int, int], tmp_path: Path
) -> None:
    account_id, _plan = history

    out = CasePacks(db).write(account_id, tmp_path / "pack.pdf", AS_OF)

    text = pdf_text(out)
    # £300.00 less £50.00 paid (the other £50.00 came back): £250.00, 120 days overdue.
    assert "Balance £250.00" in text and "Overdue £250.00" in text
    assert "Unallocated credit £0.00" in text
    assert "91–180 days £250.00" in text
    chronology = text.split("5 Chronology Date What Detail", 1)[1].split("6 Transactions")[0]
    whats = ["Phone call to Mrs Ada Brown", "Stage: Reminder", "Hold set", "Hold ended",
             "Payment plan agreed", "Direct debit returned", "Payment plan broken",
             "Deferred payment agreement"]  # fmt: skip
    positions = [chronology.index(what) for what in whats]
    assert positions == sorted(positions)
    assert "copy of the statement" not in text  # a call after the pack's date
    assert "Complaint" not in text  # a hold from after it
    assert "Offered on 20/05/2026 with no answer recorded yet" in text
    assert "The officer has not made a recommendation yet." in text


def test_the_recommendation_is_on_the_cover_and_among_the_options(
    db: Database, history: tuple[int, int], tmp_path: Path
) -> None:
    account_id, _plan = history
    recommendation = Recommendation(
        PanelOption.FURTHER_PLAN,
        "The plan broke once, over a returned direct debit.\n\nOffer a plan by card.",
        "Chandni Patel",
    )

    pack = CasePacks(db).pack(account_id, AS_OF, recommendation)
    out = CasePacks(db).write(account_id, tmp_path / "pack.pdf", AS_OF, recommendation)

    assert [(o.name, o.recommended) for o in pack.options] == [
        (OPTION_NAMES[option], option is PanelOption.FURTHER_PLAN) for option in PanelOption
    ]
    assert pack.options[0].note == "Plans agreed so far: 1, broken: 1."
    text = pdf_text(out)
    assert "Recommendation A further payment plan: The plan broke once" in text
    assert "Recommended option: A further payment plan" in text
    assert "Offer a plan by card." in text and "Recommended by Chandni Patel." in text
    draft = CasePacks(db).pack(account_id, AS_OF, Recommendation(None, "Still looking.", "CP"))
    assert draft.recommendation is not None
    assert (draft.recommendation.option, draft.recommendation.reasons) == (
        "No option chosen yet", ("Still looking.",),
    )  # fmt: skip
    assert (
        CasePacks(db).pack(account_id, AS_OF, Recommendation(None, " ", "CP")).recommendation
        is None
    )


def test_no_such_account_is_refused_and_nothing_written(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"

    with pytest.raises(BadInput, match="no account with id 999"):
        CasePacks(db).write(999, out, AS_OF)
    with pytest.raises(BadInput, match="no account with reference 'XX000001'"):
        CasePacks(db).account_id("XX000001")

    assert not out.exists()


def test_the_financial_picture_representation_and_statements_are_what_the_records_hold(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account_id = add_account(s, "CP000002", "Mrs Ada Brown", address="1 High Street")
        add_care(s, account_id, date(2026, 1, 5), 120_00, 1_100_00, funding=Funding.FNC)
        s.add(Representative(
            account_id=account_id, name="Mrs Jane Brown", role=RepresentativeRole.ATTORNEY,
            receives_correspondence=True, authority_checked_on=date(2025, 1, 10),
            authority_reference="LPA PA-1234", phone="01632 960111",
        ))  # fmt: skip
    Holds(db).set(
        account_id, HoldReason.CAPACITY, date(2026, 2, 1), review=date(2026, 8, 1),
        note="Memory clinic referral",
    )  # fmt: skip
    statement = {
        "checked_on": "2026-03-31",
        "lines": [
            {"key": "state-pensions", "label": "State Pension", "section": "income",
             "amount": 184_90, "frequency": "weekly", "monthly": 801_23},
            {"key": "disability-benefits", "label": "Disability benefits", "section": "income",
             "amount": 312_00, "frequency": "monthly", "monthly": 312_00},
            {"key": "child-benefit", "label": "Child Benefit", "section": "income",
             "amount": 0, "frequency": "monthly", "monthly": 0},
            {"key": "gas", "label": "Gas", "section": "fixed-costs",
             "amount": 150_00, "frequency": "monthly", "monthly": 150_00},
        ],
        "income": 1_113_23, "fixed_costs": 150_00, "flexible_costs": 200_00, "savings": 0,
        "available_for_non_priority": 763_23,
    }  # fmt: skip
    PaymentPlans(db).create(
        account_id,
        PlanTerms(25_00, Frequency.MONTHLY, date(2026, 4, 1), 100_00, PaymentMethod.CARD,
                  affordability=statement),
    )  # fmt: skip

    StatementRuns(db).run(date(2026, 3, 29), tmp_path / "statements")

    pack = CasePacks(db).pack(account_id, AS_OF)

    assert pack.sent == (
        SentRow(date(2026, 3, 30), "Statement of account", "Statement of account ST00000001",
                "ST00000001"),
    )  # fmt: skip
    assert (
        ChronologyRow(date(2026, 3, 30), "Statement sent", "Statement of account ST00000001")
        in pack.chronology
    )
    assert pack.fnc_weekly == 267_68  # the FNC rate from 1 April 2026
    assert [(p.funding, p.weekly_cost) for p in pack.packages] == [("Council + NHS FNC", 1_100_00)]
    assert pack.finances is not None
    assert (pack.finances.checked_on, pack.finances.income, pack.finances.outgoings) == (
        date(2026, 3, 31), 1_113_23, 350_00,
    )  # fmt: skip
    assert [(x.section, x.label, x.monthly) for x in pack.finances.lines] == [
        ("Income", "State Pension", 801_23),
        ("Income", "Disability benefits", 312_00),
        ("Fixed costs", "Gas", 150_00),
    ]  # the line of nothing left out
    assert pack.correspondence_to == (
        "Mrs Jane Brown, attorney for Mrs Ada Brown, 1 High Street, WX1 1AA"
    )
    [rep] = pack.representatives
    assert (rep.role, rep.authority_checked_on, rep.authority_reference, rep.contact) == (
        "Attorney", date(2025, 1, 10), "LPA PA-1234", "01632 960111",
    )  # fmt: skip
    [hold] = pack.capacity_holds
    assert (hold.start, hold.review, hold.state, hold.note) == (
        date(2026, 2, 1), date(2026, 8, 1), "In force", "Memory clinic referral",
    )  # fmt: skip
    assert set(pack.holds_in_force) == {
        "Capacity concern, no attorney or deputy", "Payment plan being kept",
    }  # fmt: skip
    text = pdf_text(CasePacks(db).write(account_id, tmp_path / "pack.pdf", AS_OF))
    assert "paid to the home at £267.68 a week" in text
    assert "Income Disability benefits £312.00" in text
    assert "Available for non-priority debts £763.23" in text
    assert "Mrs Jane Brown Attorney Yes 10/01/2025" in text
