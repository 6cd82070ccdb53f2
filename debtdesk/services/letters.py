"""Letters about an account from the templates: reminders, the letter of claim, an officer's own.

A letter is filled from the account as at its date (what is owed, what is overdue, the
invoices still open, who it goes to), previewed, then issued: rendered to PDF in the
documents folder, archived with its SHA-256, linked to the account and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, CustomerType, Document, User
from debtdesk.documents.context import Council, Letter, OpenItem, Page
from debtdesk.documents.templates import Templates
from debtdesk.domain.caseload import AccountStatus
from debtdesk.domain.correspondence import Contact, Representative, addressee
from debtdesk.domain.documents import LETTER_KINDS, TEMPLATES, TITLES, DocumentKind
from debtdesk.domain.roles import Permission
from debtdesk.services import audit
from debtdesk.services.accounts import account_detail_by_id, get_account
from debtdesk.services.contact_notes import log_letter
from debtdesk.services.database import Database
from debtdesk.services.documents import (
    DocumentLine,
    compress,
    council,
    documents_folder,
    footer_for,
    template_problems,
    templates,
)
from debtdesk.services.errors import BadInput
from debtdesk.services.users import require

# The letters that ask for what is overdue, and so are not sent when nothing is.
ASK_FOR_OVERDUE = (
    DocumentKind.REMINDER,
    DocumentKind.FINAL_REMINDER,
    DocumentKind.LETTER_OF_CLAIM,
)

# Days the reader has to pay or reply. A letter of claim gives the Pre-Action Protocol's
# 30 days (FACTS.md §4).
REPLY_DAYS = {
    DocumentKind.REMINDER: 14,
    DocumentKind.FINAL_REMINDER: 14,
    DocumentKind.LETTER_OF_CLAIM: 30,
    DocumentKind.LETTER: 14,
}


@dataclass(frozen=True)
class LetterPreview:
    """A letter as it would be issued: its HTML and what the PDF engine needs."""

    kind: DocumentKind
    title: str
    html: str
    footer: str
    logo: str
    addressee: str
    """Who it goes to, as one line (for the contact note the letter leaves)."""


def letter_preview(
    session: Session,
    account_id: int,
    kind: DocumentKind,
    as_of: date,
    subject: str,
    paragraphs: tuple[str, ...],
    actor: str,
    engine: Templates | None = None,
    sender: Council | None = None,
) -> LetterPreview:
    """A letter's HTML and what it is filed as. When many letters are rendered, the
    caller reads ``engine`` (the templates, compiled once) and ``sender`` (the council's
    details) once for all of them."""
    if kind not in LETTER_KINDS:
        raise BadInput(f"{kind.value} is not a letter")
    account = get_account(session, account_id)
    ctype = session.get(CustomerType, account.customer_type_id)
    assert ctype is not None
    if kind is DocumentKind.LETTER_OF_CLAIM and ctype.is_business:
        raise BadInput(
            f"{account.reference} is a {ctype.name.lower()} account: the Pre-Action Protocol "
            "for Debt Claims is for debts of individuals, so no letter of claim is sent"
        )
    if kind is DocumentKind.LETTER and not (subject.strip() and any(p.strip() for p in paragraphs)):
        raise BadInput("a letter needs a subject and at least one paragraph")
    detail = account_detail_by_id(session, account_id, as_of)
    officer = session.get(User, account.officer_id) if account.officer_id else None
    if officer is None:
        officer = session.scalar(select(User).where(User.username == actor))
    sender = sender or council(session)
    deceased = account.status is AccountStatus.DECEASED or account.date_of_death is not None
    to = addressee(
        Contact(account.client_name, account.address, account.postcode),
        deceased,
        tuple(
            Representative(r.name, r.role, r.address, r.receives_correspondence)
            for r in account.representatives
        ),
        organisation=ctype.is_business,
    )
    items = tuple(
        OpenItem(i.number, i.issued, i.due, i.amount, i.outstanding, i.days_overdue)
        for i in sorted(detail.open_invoices, key=lambda i: (i.due, i.number))
        if i.outstanding > 0
    )
    # Credit not yet set against an invoice lowers what is asked for.
    overdue = max(0, min(sum(i.outstanding for i in items if i.days_overdue > 0), detail.balance))
    if kind in ASK_FOR_OVERDUE and overdue == 0:
        raise BadInput(
            f"nothing is overdue on {account.reference} at {as_of:%d/%m/%Y}: a "
            f"{TITLES[kind].lower()} asks for money past its due date"
        )
    letter = Letter(
        date=as_of,
        reference=account.reference,
        client_name=account.client_name,
        addressee=to,
        balance=detail.balance,
        overdue=overdue,
        items=items,
        pay_by=as_of + timedelta(days=REPLY_DAYS[kind]),
        officer_name=officer.display_name if officer else "Care Contributions Team",
        officer_phone=sender.phone,
        subject=subject.strip(),
        paragraphs=tuple(p.strip() for p in paragraphs if p.strip()),
        interest_continuing=ctype.late_payment_interest,
        deceased=deceased,
        # The date the assessment was notified in writing is not recorded yet.
        agreement_date=None,
    )
    title = TITLES[kind]
    page = Page(kind.value, title, account.reference, "", as_of)
    from debtdesk.documents.pdf import logo_url

    html = (engine or templates(session)).render(
        TEMPLATES[kind], council=sender, page=page, letter=letter, logo_url=logo_url(sender.logo)
    )
    if kind is DocumentKind.LETTER:  # archived and listed by its subject
        title = f"{title}: {letter.subject}"
    return LetterPreview(
        kind, title, html, footer_for(account.reference, title), sender.logo, to.name
    )


class Letters:
    """Previewing and issuing letters."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def preview(
        self,
        account_id: int,
        kind: DocumentKind,
        as_of: date,
        subject: str = "",
        paragraphs: tuple[str, ...] = (),
    ) -> LetterPreview:
        """The letter as it would be issued; nothing is stored.

        Raises:
            BadInput: not a letter kind, a letter of claim to a business, or an
                officer's letter with no subject or text.
            NotFound: no such account.
        """
        with template_problems(), self._db.sessions() as session:
            return letter_preview(
                session, account_id, kind, as_of, subject, paragraphs, self._db.actor
            )

    def issue(
        self,
        account_id: int,
        kind: DocumentKind,
        as_of: date,
        subject: str = "",
        paragraphs: tuple[str, ...] = (),
        out: Path | None = None,
    ) -> DocumentLine:
        """Render the letter to PDF, archive it and link it to the account."""
        from debtdesk.documents.pdf import render_pdf

        written: Path | None = None
        try:
            with template_problems(), self._db.sessions.begin() as session:
                require(session, self._db.actor, Permission.WORK_ACCOUNTS)
                preview = letter_preview(
                    session, account_id, kind, as_of, subject, paragraphs, self._db.actor
                )
                account = session.get(Account, account_id)
                assert account is not None
                document = Document(
                    account_id=account_id,
                    kind=kind,
                    title=preview.title,
                    template=TEMPLATES[kind],
                    issued_on=as_of,
                    actor=self._db.actor,
                    html_zlib=compress(preview.html),
                    sha256="",
                    pages=0,
                )
                session.add(document)
                session.flush()
                folder = (out or documents_folder(session, self._db)) / "letters"
                name = f"{account.reference}-{kind.value}-{as_of.isoformat()}-{document.id}.pdf"
                written = folder / name
                rendered = render_pdf(
                    preview.html, written, footer=preview.footer, logo=preview.logo
                )
                document.path = str(written)
                document.sha256 = rendered.sha256
                document.pages = rendered.pages
                log_letter(
                    session, account_id, document.id, preview.title, preview.addressee,
                    self._db.actor,
                )  # fmt: skip
                audit.record(
                    session,
                    self._db.actor,
                    "document.issue",
                    "document",
                    str(document.id),
                    None,
                    {"account": account.reference, "kind": kind.value, "path": str(written)},
                )
        except BaseException:
            if written is not None:
                written.unlink(missing_ok=True)
            raise
        return DocumentLine(
            document.id,
            kind,
            document.title,
            as_of,
            rendered.pages,
            str(written),
            rendered.sha256,
            self._db.actor,
        )
