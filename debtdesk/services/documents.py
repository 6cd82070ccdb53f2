"""The document archive: issuing a document, listing an account's, reprinting one.

Every issued document is kept as sent: its HTML (compressed) in the database, its PDF
where it was written, and that PDF's SHA-256. A reprint gives the original bytes while
the file is still there and unchanged; otherwise a copy rendered from the stored HTML
and marked as a copy on every page.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import platformdirs
from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.engine import sqlite_path
from debtdesk.db.models import Account, Document, Statement
from debtdesk.documents.context import Council
from debtdesk.documents.templates import TemplateRenderError, Templates
from debtdesk.domain.documents import DocumentKind
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.settings import get_setting

SHIPPED_LOGO = "wexshire-logo.png"


def council(session: Session) -> Council:
    """The sender's details for letterheads and payment instructions, from settings."""

    def setting(key: str) -> str:
        return get_setting(session, key)

    address = tuple(line.strip() for line in setting("council.address").splitlines() if line)
    return Council(
        name=setting("council.name"),
        address_lines=address,
        phone=setting("council.phone"),
        email=setting("council.email"),
        website=setting("council.website"),
        logo=setting("council.logo") or str(_shipped_logo()),
        bank_account_name=setting("bank.account_name"),
        bank_sort_code=setting("bank.sort_code"),
        bank_account_number=setting("bank.account_number"),
        card_payments=setting("council.card_payments"),
        cheques_payable_to=setting("council.cheques_payable_to"),
        service_user_number=setting("bacs.service_user_number"),
    )


def _shipped_logo() -> Path:
    from debtdesk.resources import resources_folder

    return resources_folder() / "icons" / SHIPPED_LOGO


def footer_for(reference: str, title: str) -> str:
    """The line at the foot of every page: ``Account CC000123 · Statement of account ST…``."""
    return f"Account {reference} · {title}"


def templates(session: Session) -> Templates:
    """The templates, with the team's own folder (a setting) before the shipped ones."""
    folder = get_setting(session, "documents.templates_folder")
    return Templates(Path(folder) if folder else None)


@contextmanager
def template_problems() -> Iterator[None]:
    """Turn a template that cannot be rendered (a team's own, usually) into bad input.

    The message names the template file and line; nothing of the document is kept.
    """
    try:
        yield
    except TemplateRenderError as exc:
        raise BadInput(f"{exc}; nothing was issued") from exc


def documents_folder(session: Session, db: Database) -> Path:
    """Where issued documents are written: the setting, else beside a SQLite caseload."""
    configured = get_setting(session, "documents.folder")
    if configured:
        return Path(configured).expanduser()
    path = sqlite_path(db.url)
    if path is not None:
        return path.parent / f"{path.stem}-documents"
    return Path(platformdirs.user_data_dir("debtdesk", appauthor=False)) / "documents"


def compress(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), 6)


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass(frozen=True)
class DocumentLine:
    """An issued document as the account's Statements and Documents tabs list it."""

    id: int
    kind: DocumentKind
    title: str
    issued_on: date
    pages: int
    path: str | None
    sha256: str
    actor: str


@dataclass(frozen=True)
class Reprint:
    """A document to show or print again.

    Attributes:
        pdf: The bytes to print.
        is_copy: False when they are the original file's bytes (its SHA-256 matched);
            True for a copy rendered from the stored HTML and marked as one.
        html: The stored HTML (for print preview through QPrinter).
        footer: The footer line the original carried.
        copy_note: What the copy says it is ("" for the original).
        title: What to call it (the PDF's title).
        logo: The letterhead image the HTML shows (for painting it again).
    """

    pdf: bytes
    is_copy: bool
    html: str
    footer: str
    copy_note: str
    title: str
    logo: str = ""


def document_lines(session: Session, account_id: int) -> list[DocumentLine]:
    """An account's issued documents, newest first."""
    return [
        DocumentLine(d.id, d.kind, d.title, d.issued_on, d.pages, d.path, d.sha256, d.actor)
        for d in session.scalars(
            select(Document)
            .where(Document.account_id == account_id)
            .order_by(Document.issued_on.desc(), Document.id.desc())
        )
    ]


@dataclass(frozen=True)
class StatementLine:
    """A statement as the account's Statements tab lists it."""

    number: str
    period_start: date
    period_end: date
    statement_date: date
    due_on: date
    brought_forward: int
    charged: int
    received: int
    closing_balance: int
    amount_due: int
    addressee: str
    document_id: int


def statement_lines(session: Session, account_id: int) -> list[StatementLine]:
    """An account's statements, newest first."""
    return [
        StatementLine(
            s.number,
            s.period_start,
            s.period_end,
            s.statement_date,
            s.due_on,
            s.brought_forward,
            s.charged,
            s.received,
            s.closing_balance,
            s.amount_due,
            s.addressee,
            s.document_id,
        )
        for s in session.scalars(
            select(Statement)
            .where(Statement.account_id == account_id)
            .order_by(Statement.period_start.desc())
        )
    ]


class Documents:
    """Listing and reprinting an account's documents."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def for_account(self, account_id: int) -> list[DocumentLine]:
        with self._db.sessions() as session:
            return document_lines(session, account_id)

    def statements(self, account_id: int) -> list[StatementLine]:
        with self._db.sessions() as session:
            return statement_lines(session, account_id)

    def reprint(self, document_id: int, today: date) -> Reprint:
        """The original bytes if the file still matches, else a marked copy.

        Raises:
            NotFound: no such document.
        """
        from debtdesk.documents.pdf import render_pdf_bytes

        with self._db.sessions() as session:
            document = session.get(Document, document_id)
            if document is None or document.html_zlib is None:
                raise NotFound(f"no document {document_id}")
            html = zlib.decompress(document.html_zlib).decode("utf-8")
            logo = council(session).logo
            account = session.get(Account, document.account_id) if document.account_id else None
            footer = footer_for(account.reference, document.title) if account else document.title
        if document.path and file_sha256(Path(document.path)) == document.sha256:
            pdf = Path(document.path).read_bytes()
            return Reprint(pdf, False, html, footer, "", footer, logo)
        title = document.title[:1].lower() + document.title[1:]  # keeps "ST00000042"
        note = (
            f"COPY printed on {today:%d/%m/%Y} of the {title} "
            f"issued on {document.issued_on:%d/%m/%Y}"
        )
        pdf, _pages = render_pdf_bytes(html, footer=footer, copy_note=note, logo=logo)
        return Reprint(pdf, True, html, footer, note, footer, logo)
