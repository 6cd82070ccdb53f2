"""The document archive: issued statements and letters kept as sent, and reprinted.

Statements come from a real run on a copy of the demo caseload (60 accounts, seed 3; the
run for the period 09/11/2026 to 06/12/2026, dated 07/12/2026). Letters are written for
a hand-made account whose figures are worked out in the comments. PDFs are read back
with pdftotext.
"""

from __future__ import annotations

import hashlib
import subprocess
import zlib
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, AuditEvent, Document, Representative, Statement
from debtdesk.domain.caseload import AccountStatus, InvoiceKind, RepresentativeRole
from debtdesk.domain.documents import DocumentKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.services import ledger
from debtdesk.services.database import Database
from debtdesk.services.documents import Documents
from debtdesk.services.errors import BadInput
from debtdesk.services.letters import Letters
from debtdesk.services.settings import Settings
from debtdesk.services.statement_run import StatementRuns
from tests.services.support import add_account, add_care, pdf_text, table_counts

END = date(2026, 12, 6)
STATEMENT_DATE = date(2026, 12, 7)
LETTER_DATE = date(2025, 6, 20)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """Rendering needs Qt: let pytest-qt make the (widget) application, not the service."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    [line] = [x for x in info.stdout.splitlines() if x.startswith("Pages:")]
    return int(line.split()[1])


def _page_texts(path: Path) -> list[str]:
    """Each page's text in reading order, whitespace collapsed."""
    return [
        " ".join(
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                capture_output=True, text=True, check=True,
            ).stdout.split()
        )
        for n in range(1, _pages(path) + 1)
    ]  # fmt: skip


def _written(tmp_path: Path, data: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_every_issued_statement_is_archived_with_its_file_and_hash(
    demo: Database, tmp_path: Path
) -> None:
    result = StatementRuns(demo).run(END, tmp_path)
    assert result.issued > 0 and result.print_file is not None

    with demo.sessions() as s:
        rows = s.execute(
            select(Statement, Document, Account.reference)
            .join(Document, Document.id == Statement.document_id)
            .join(Account, Account.id == Statement.account_id)
            .where(Statement.period_end == END)
        ).all()
        [print_file] = s.scalars(
            select(Document).where(Document.kind == DocumentKind.PRINT_FILE)
        ).all()
    assert len(rows) == result.issued
    pages = 0
    for statement, document, reference in rows:
        assert document.kind is DocumentKind.STATEMENT
        assert document.account_id == statement.account_id
        assert document.batch_id == statement.batch_id
        assert document.issued_on == STATEMENT_DATE
        assert document.title == f"Statement of account {statement.number}"
        assert document.path is not None
        path = Path(document.path)
        assert path == tmp_path / "statements-2026-12-06" / "accounts" / (
            f"{reference}-{statement.number}.pdf"
        )
        assert _sha256(path) == document.sha256
        assert _pages(path) == document.pages >= 1
        assert document.html_zlib is not None
        html = zlib.decompress(document.html_zlib).decode("utf-8")
        assert reference in html and statement.number in html
        pages += document.pages
    # The print file holds every statement, one after another, and is archived too.
    assert print_file.path == str(result.print_file)
    assert _sha256(result.print_file) == print_file.sha256
    assert _pages(result.print_file) == print_file.pages == pages

    # The account's Statements and Documents tabs list what was issued.
    statement, document, _ = rows[0]
    [line] = Documents(demo).statements(statement.account_id)
    assert (line.number, line.document_id, line.closing_balance) == (
        statement.number, document.id, statement.closing_balance,
    )  # fmt: skip
    listed = Documents(demo).for_account(statement.account_id)
    assert [(d.id, d.sha256, d.path) for d in listed] == [
        (document.id, document.sha256, document.path)
    ]


def test_a_reprint_is_the_original_until_the_file_changes_then_a_marked_copy(
    demo: Database, tmp_path: Path
) -> None:
    StatementRuns(demo).run(END, tmp_path / "out")
    with demo.sessions() as s:
        document = s.scalars(
            select(Document).where(Document.kind == DocumentKind.STATEMENT).order_by(Document.id)
        ).first()
    assert document is not None and document.path is not None
    path = Path(document.path)
    original = path.read_bytes()
    printed = pdf_text(path)
    documents = Documents(demo)

    same = documents.reprint(document.id, date(2026, 12, 10))
    assert (same.pdf, same.is_copy, same.copy_note) == (original, False, "")

    path.write_bytes(original + b"% touched\n")  # the archived file no longer matches
    changed = documents.reprint(document.id, date(2026, 12, 10))
    assert changed.is_copy and changed.pdf != original
    copy_text = pdf_text(_written(tmp_path, changed.pdf, "copy.pdf"))
    assert "COPY printed on 10/12/2026" in copy_text
    assert "issued on 07/12/2026" in copy_text
    # Under the marking it is the statement as issued: every word of it is there (the
    # big diagonal COPY splits the page's text, so word order is not compared).
    assert not Counter(printed.split()) - Counter(copy_text.split())
    assert path.read_bytes() == original + b"% touched\n"  # a reprint changes no file

    path.unlink()
    gone = documents.reprint(document.id, date(2026, 12, 11))
    assert gone.is_copy
    assert "COPY printed on 11/12/2026" in pdf_text(_written(tmp_path, gone.pdf, "gone.pdf"))
    assert not path.exists()


def test_a_copy_names_the_statement_by_its_number_as_issued(demo: Database, tmp_path: Path) -> None:
    StatementRuns(demo).run(END, tmp_path / "out")
    with demo.sessions() as s:
        document = s.scalars(
            select(Document).where(Document.kind == DocumentKind.STATEMENT).order_by(Document.id)
        ).first()
    assert document is not None and document.path is not None
    number = document.title.rsplit(" ", 1)[1]  # "Statement of account ST00000001"
    Path(document.path).unlink()
    copy = Documents(demo).reprint(document.id, date(2026, 12, 10))
    assert number in copy.copy_note


# --- letters ------------------------------------------------------------------------------


def _owing_account(
    s: Session, reference: str, name: str, type_code: str = "INDIVIDUAL", terms: int = 14
) -> int:
    """Two 4-weekly invoices of £280.00 and a £100.00 payment, as at 20/06/2025.

    P0's invoice (issued 28/04, due 28/04 + terms) and P1's (issued 26/05, due 26/05 +
    terms); £100.00 paid by card on 01/06/2025 goes to the oldest, P0's.
    """
    account = add_account(
        s, reference, name, address="7 Rope Walk\nWexford Vale", postcode="WX4 4DD",
        type_code=type_code,
    )  # fmt: skip
    for start, issued in (
        (date(2025, 3, 31), date(2025, 4, 28)),
        (date(2025, 4, 28), date(2025, 5, 26)),
    ):
        ledger.raise_invoice(
            s, account, InvoiceKind.STATEMENT, issued, issued + timedelta(days=terms),
            [(EntryKind.CHARGE, 28000, start, "Contribution")],
            source=EntrySource.RUN, actor="tester",
        )  # fmt: skip
    ledger.post_entry(
        s, account, EntryKind.PAYMENT, -10000, date(2025, 6, 1),
        source=EntrySource.USER, actor="tester", method=PaymentMethod.CARD,
    )  # fmt: skip
    ledger.allocate(s, account, "tester")
    return account


# As at 20/06/2025 the account owes £280 + £280 - £100 = £460.00: INV00000001 (due
# 12/05/2025, 39 days overdue) £180.00 still owed, INV00000002 (due 09/06/2025, 11 days
# overdue) £280.00. All £460.00 is overdue. A reminder or final reminder asks for it by
# 20/06 + 14 days = 4 July 2025; a letter of claim gives 30 days, to 20 July 2025.
OWED = [
    "INV00000001 28/04/2025 12/05/2025 £280.00 £180.00 39",
    "INV00000002 26/05/2025 09/06/2025 £280.00 £280.00 11",
]


@pytest.mark.parametrize(
    ("kind", "title", "asks"),
    [
        (DocumentKind.REMINDER, "Reminder: payment overdue", "Please pay £460.00 by 4 July 2025"),
        (
            DocumentKind.FINAL_REMINDER,
            "Final reminder: payment overdue",
            "Please pay £460.00 by 4 July 2025, or contact us by that date",
        ),
        (
            DocumentKind.LETTER_OF_CLAIM,
            "Letter of claim",
            "claims £460.00 from you, as at the date of this letter",
        ),
    ],
)
def test_a_letter_is_previewed_then_issued_and_archived(
    db: Database, tmp_path: Path, kind: DocumentKind, title: str, asks: str
) -> None:
    with db.sessions.begin() as s:
        account = _owing_account(s, "LT000001", "Mrs Ada Brown")
    letters = Letters(db)
    counts = table_counts(db.engine)

    preview = letters.preview(account, kind, LETTER_DATE)

    assert "LT000001" in preview.html and "Mrs Ada Brown" in preview.html
    assert preview.footer.startswith("Account LT000001 · ")
    assert table_counts(db.engine) == counts  # a preview stores nothing
    assert not (tmp_path / "letters").exists()

    issued = letters.issue(account, kind, LETTER_DATE, out=tmp_path)

    path = Path(str(issued.path))
    assert path.parent == tmp_path / "letters"
    assert path.name == f"LT000001-{kind.value}-2025-06-20-{issued.id}.pdf"
    assert _sha256(path) == issued.sha256
    assert _pages(path) == issued.pages
    with db.sessions() as s:
        document = s.get(Document, issued.id)
        assert document is not None
        assert (document.kind, document.account_id, document.issued_on) == (
            kind, account, LETTER_DATE,
        )  # fmt: skip
        assert (document.path, document.sha256) == (str(path), issued.sha256)
        assert document.html_zlib is not None
        assert zlib.decompress(document.html_zlib).decode() == preview.html  # as previewed
        audited = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "document.issue", AuditEvent.entity_id == str(issued.id)
            )
        ).one()
        assert audited.after == {"account": "LT000001", "kind": kind.value, "path": str(path)}
    text = pdf_text(path)
    assert title in text
    assert "Account LT000001" in text
    assert "Dear Mrs Ada Brown" in text
    assert "Mrs Ada Brown 7 Rope Walk Wexford Vale WX4 4DD" in pdf_text(path, layout=False)
    for row in OWED:
        assert row in text
    assert asks in text
    assert [d.id for d in Documents(db).for_account(account)] == [issued.id]
    # Reprinted while untouched, it is the file as sent.
    assert Documents(db).reprint(issued.id, date(2025, 7, 1)).pdf == path.read_bytes()


def test_an_officers_own_letter_needs_a_subject_and_text(db: Database, tmp_path: Path) -> None:
    with db.sessions.begin() as s:
        account = _owing_account(s, "LT000002", "Mr Ben Ode")
    letters = Letters(db)
    counts = table_counts(db.engine)
    with pytest.raises(BadInput, match="subject"):
        letters.issue(account, DocumentKind.LETTER, LETTER_DATE, "", ("Some text",), tmp_path)
    with pytest.raises(BadInput, match="subject"):
        letters.issue(account, DocumentKind.LETTER, LETTER_DATE, "Visit", ("  ",), tmp_path)
    assert table_counts(db.engine) == counts
    assert not (tmp_path / "letters").exists()

    issued = letters.issue(
        account, DocumentKind.LETTER, LETTER_DATE, "Your visit on Tuesday",
        ("Thank you for coming in.", "We have set up\nyour plan."), tmp_path,
    )  # fmt: skip

    assert issued.title == "Letter: Your visit on Tuesday"  # listed by its subject
    text = pdf_text(Path(str(issued.path)))
    assert "Re: Your visit on Tuesday — account LT000002" in text
    assert "Thank you for coming in." in text
    assert "We have set up your plan." in text
    assert _sha256(Path(str(issued.path))) == issued.sha256


def test_a_letter_of_claim_to_a_business_is_refused(db: Database, tmp_path: Path) -> None:
    with db.sessions.begin() as s:
        # A care home owing the council: a BUSINESS customer, terms 30 days.
        account = _owing_account(s, "LT000003", "Sunnyside Care Ltd", "BUSINESS", terms=30)
    letters = Letters(db)
    counts = table_counts(db.engine)

    for attempt in (letters.preview, letters.issue):
        with pytest.raises(BadInput, match="Pre-Action Protocol"):
            attempt(account, DocumentKind.LETTER_OF_CLAIM, LETTER_DATE)

    assert table_counts(db.engine) == counts
    assert not (tmp_path / "letters").exists()
    # Reminders go to every customer type: a business may have one.
    reminder = letters.issue(account, DocumentKind.REMINDER, LETTER_DATE, out=tmp_path)
    assert Path(str(reminder.path)).exists()
    # A firm is not greeted by its name.
    assert "Dear Sir or Madam" in pdf_text(Path(str(reminder.path)))


def test_a_letter_of_claim_claims_only_what_is_overdue(db: Database, tmp_path: Path) -> None:
    with db.sessions.begin() as s:
        # Terms of 30 days: INV00000001 due 28/05/2025 (23 days overdue at 20/06), £180.00
        # still owed after the £100.00 payment; INV00000002 due 25/06/2025, not yet due,
        # £280.00. The claim is £180.00; the £280.00 is named as not part of it.
        account = _owing_account(s, "LT000005", "Mrs Cara Dunn", terms=30)

    issued = Letters(db).issue(account, DocumentKind.LETTER_OF_CLAIM, LETTER_DATE, out=tmp_path)

    text = pdf_text(Path(str(issued.path)))
    assert "amount claimed £180.00" in text
    assert "claims £180.00 from you" in text
    assert "A further £280.00 on the account is not yet due and is not part of this claim" in text
    assert "Amount claimed at 20 June 2025 £180.00" in " ".join(text.split())
    assert "Amount claimed £180.00" in text  # the Reply Form
    assert "INV00000001 28/04/2025 28/05/2025 £280.00 £180.00 23" in text
    assert "INV00000002" not in text


def test_no_reminder_or_claim_when_nothing_is_overdue(db: Database, tmp_path: Path) -> None:
    with db.sessions.begin() as s:
        # Terms of 60 days: INV00000001 falls due on 27/06/2025, after the letter's date.
        account = _owing_account(s, "LT000006", "Mr Dev Ennis", terms=60)
    letters = Letters(db)
    counts = table_counts(db.engine)
    for kind in (
        DocumentKind.REMINDER,
        DocumentKind.FINAL_REMINDER,
        DocumentKind.LETTER_OF_CLAIM,
    ):
        with pytest.raises(BadInput, match="nothing is overdue on LT000006 at 20/06/2025"):
            letters.issue(account, kind, LETTER_DATE, out=tmp_path)
    assert table_counts(db.engine) == counts
    assert not (tmp_path / "letters").exists()


def test_a_name_with_markup_characters_prints_as_written(db: Database, tmp_path: Path) -> None:
    name = 'Mr Tom "Tiger" O\'Neill & <Sons>'
    with db.sessions.begin() as s:
        account = add_account(s, "LT000004", name, address='1 <Main> & Co\'s "Yard"')
        add_care(s, account, date(2025, 3, 31), 7000, 10000)  # P0: £280.00
    subject = 'Fees & "charges" <b>not bold</b>'
    paragraph = "Use <script>alert('x')</script> & carry on"

    letter = Letters(db).issue(
        account, DocumentKind.LETTER, date(2025, 4, 1), subject, (paragraph,), tmp_path
    )
    run = StatementRuns(db).run(date(2025, 4, 27), tmp_path)

    text = pdf_text(Path(str(letter.path)))
    assert f"Dear {name}" in text
    assert f"Re: {subject} — account LT000004" in text
    assert paragraph in text
    raw = pdf_text(Path(str(letter.path)), layout=False)
    assert f'{name} 1 <Main> & Co\'s "Yard" WX1 1AA' in raw
    assert run.issued == 1 and run.out is not None
    [statement] = (run.out / "accounts").glob("LT000004-*.pdf")
    assert f'{name} 1 <Main> & Co\'s "Yard" WX1 1AA' in pdf_text(statement, layout=False)


def test_the_letter_of_claim_encloses_the_four_protocol_documents(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = _owing_account(s, "LT000005", "Mrs Ada Brown")
    issued = Letters(db).issue(account, DocumentKind.LETTER_OF_CLAIM, LETTER_DATE, out=tmp_path)
    path = Path(str(issued.path))

    text = pdf_text(path)
    # FACTS.md §4: the statement of account, the Information Sheet and the Reply Form
    # (Annex 1), and a Financial Statement (Annex 2), listed on the letter...
    assert (
        "Enclosures 1. Statement of account 2. Information Sheet 3. Reply Form "
        "4. Financial Statement" in text
    )
    # ...and each enclosed, in that order, starting on a page of its own.
    pages = _page_texts(path)
    heads = [
        (1, "Statement of account"),
        (2, "Information Sheet"),
        (3, "Reply Form"),
        (4, "Financial Statement"),
    ]
    starts = []
    for number, title in heads:
        head = (
            f"Enclosure {number} of 4 to our letter of claim dated 20 June 2025 · "
            f"account LT000005 {title}"
        )
        [page] = [n for n, page in enumerate(pages) if page.startswith(head)]
        starts.append(page)
    assert 0 < starts[0] < starts[1] < starts[2] < starts[3]
    # The Protocol's 30 days to reply, and the amount, on the letter itself.
    assert "within 30 days of the date of this letter, that is by 20 July 2025" in text
    assert "Pre-Action Protocol for Debt Claims — amount claimed £460.00" in text
    assert "No interest or other charges are being added to this debt." in text
    assert issued.pages == len(pages)


def test_letters_to_an_estate_go_to_the_personal_representatives(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = _owing_account(s, "LT000006", "Mr Arthur Jones")
        person = s.get(Account, account)
        assert person is not None
        person.status = AccountStatus.DECEASED
        person.date_of_death = date(2025, 6, 2)
        s.add(
            Representative(
                account_id=account, name="Carver & Co Solicitors",
                role=RepresentativeRole.SOLICITOR, address="2 Law Lane\nOtherton\nOT2 2YY",
                receives_correspondence=True,
            )
        )  # fmt: skip
    issued = Letters(db).issue(account, DocumentKind.LETTER_OF_CLAIM, LETTER_DATE, out=tmp_path)

    raw = pdf_text(Path(str(issued.path)), layout=False)
    assert (
        "The personal representatives of the late Mr Arthur Jones c/o Carver & Co Solicitors "
        "2 Law Lane Otherton OT2 2YY"
    ) in raw
    assert "Dear Sir or Madam" in raw
    assert "the estate of the late Mr Arthur Jones" in raw
    assert "Yours faithfully" in raw


def test_a_letter_from_a_broken_template_is_refused_and_not_kept(
    db: Database, tmp_path: Path
) -> None:
    with db.sessions.begin() as s:
        account = _owing_account(s, "LT000007", "Mrs Fay Grant")
    own = tmp_path / "own-templates"
    own.mkdir()
    (own / "reminder.html").write_text("<p>{{ letter.overdue|money }</p>\n", encoding="utf-8")
    Settings(db).set("documents.templates_folder", str(own))
    counts = table_counts(db.engine)
    letters = Letters(db)

    for attempt in (letters.preview, letters.issue):
        with pytest.raises(BadInput, match=r"reminder\.html line 1: .*nothing was issued"):
            attempt(account, DocumentKind.REMINDER, LETTER_DATE)

    assert table_counts(db.engine) == counts
