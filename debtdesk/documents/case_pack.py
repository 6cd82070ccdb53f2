"""The Debt Management Panel's case pack: what its template is given, and its layout.

:class:`CasePack` holds one account's pack as at a date, every field plain data (text,
dates, pence) gathered by services.case_pack. :func:`pack_document` renders
``case_pack.html`` and lays it out on A4, keeps each heading on the page of what
follows it, and fills the table of contents with the page each numbered section starts
on (laid out again until the pages no longer move); :func:`pack_pdf_bytes` paints it
with the protective marking at the top and foot of every page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from debtdesk.documents.context import Council
from debtdesk.documents.templates import Templates
from debtdesk.domain.money import Pence

if TYPE_CHECKING:  # Qt is loaded when a pack is laid out, not when its data is gathered
    from PySide6.QtGui import QPagedPaintDevice, QTextDocument

TEMPLATE = "case_pack.html"
TITLE = "Debt Management Panel case pack"
MARKING = "OFFICIAL – SENSITIVE"
SECTIONS = (
    "Cover sheet",
    "Debt summary",
    "Financial picture",
    "Capacity and representation",
    "Chronology",
    "Transactions",
    "Statements and letters sent",
    "Deferred payment agreement",
    "Recommendation",
)
"""The numbered sections, in order: section ``n`` is ``SECTIONS[n - 1]``."""
HEADING = "part-"
"""Anchors of the headings kept with what follows: ``part-2`` (a section), ``part-2-aged``."""
KEEP_SPACE = 120.0
"""Room (px) a heading needs below it on its page, or it starts the next: a table's
header row and a couple of its rows."""
MAX_PASSES = 5


@dataclass(frozen=True)
class ContentsLine:
    """A numbered section in the table of contents, and the page it starts on."""

    number: int
    title: str
    page: int | None  # None until the pack has been laid out once

    @property
    def anchor(self) -> str:
        return f"{HEADING}{self.number}"


@dataclass(frozen=True)
class AgedLine:
    label: str  # "1–30 days"
    amount: Pence


@dataclass(frozen=True)
class PackInvoice:
    """An open invoice and its last day to claim (Care Act 2014 s69(3))."""

    number: str
    issued: dt.date
    due: dt.date
    amount: Pence
    outstanding: Pence
    days_overdue: int
    last_day_to_claim: dt.date


@dataclass(frozen=True)
class AssessmentRow:
    effective_from: dt.date
    effective_to: dt.date | None
    weekly_contribution: Pence
    reason: str


@dataclass(frozen=True)
class PackageRow:
    service: str
    provider: str
    weekly_cost: Pence
    start: dt.date
    end: dt.date | None
    funding: str  # "Council", "Council + NHS FNC", "NHS CHC"


@dataclass(frozen=True)
class IncomeLine:
    section: str  # "Income", "Fixed costs", …
    label: str
    monthly: Pence


@dataclass(frozen=True)
class IncomeStatement:
    """The financial statement the latest payment plan was agreed on (its affordability
    check): every amount a month."""

    plan_id: int
    checked_on: dt.date | None
    lines: tuple[IncomeLine, ...]
    income: Pence
    outgoings: Pence  # fixed and flexible costs and savings
    available: Pence  # for non-priority debts such as this one


@dataclass(frozen=True)
class RepresentativeRow:
    name: str
    role: str  # "Attorney", "Deputy", "Appointee", …
    receives_correspondence: bool
    authority_checked_on: dt.date | None
    authority_reference: str
    contact: str  # address, phone and email on one line


@dataclass(frozen=True)
class HoldRow:
    reason: str
    start: dt.date
    end: dt.date | None
    review: dt.date | None
    state: str  # at the pack's date: "In force", "Ended", …
    note: str
    set_by: str


@dataclass(frozen=True)
class ChronologyRow:
    on: dt.date
    what: str
    detail: str


@dataclass(frozen=True)
class TransactionRow:
    on: dt.date
    kind: str
    description: str
    reference: str  # the invoice it belongs to, or the payment's reference
    amount: Pence
    balance: Pence


@dataclass(frozen=True)
class SentRow:
    on: dt.date
    kind: str
    title: str
    number: str  # the statement number, "" for a letter


@dataclass(frozen=True)
class DpaRow:
    on: dt.date
    outcome: str
    note: str
    actor: str


@dataclass(frozen=True)
class OptionRow:
    """An option the panel may choose, and what the records say bears on it."""

    name: str
    recommended: bool
    note: str


@dataclass(frozen=True)
class RecommendationView:
    option: str  # the option's name
    reasons: tuple[str, ...]  # one paragraph each
    officer: str


@dataclass(frozen=True)
class CasePack:
    """One account's pack as at ``as_of``; amounts in pence, every figure at that date.

    Attributes:
        correspondence_to: Who the account's letters go to, as one line.
        stage: The recovery stage reached ("" when not in recovery) and ``stage_since``.
        holds_in_force: The reasons of the holds in force at ``as_of``.
        overdue: What of the invoices is past its due date (the aged buckets but the first).
        fnc_weekly: The NHS Funded Nursing Care weekly rate in force, when a package has FNC.
        finances: The latest financial statement taken with a payment plan, if any.
        court_action: Whether the deferred payment agreement condition for court action
            (Care Act 2014 s69(2)) is met, in words.
        recommendation: The officer's, or None when not made yet.
    """

    as_of: dt.date
    reference: str
    client_name: str
    date_of_birth: dt.date | None
    date_of_death: dt.date | None
    status: str
    address_lines: tuple[str, ...]
    correspondence_to: str
    officer: str
    customer_type: str
    care_setting: str
    stage: str
    stage_since: dt.date | None
    holds_in_force: tuple[str, ...]
    balance: Pence
    unallocated: Pence
    overdue: Pence
    aged: tuple[AgedLine, ...]
    invoices: tuple[PackInvoice, ...]
    assessments: tuple[AssessmentRow, ...]
    packages: tuple[PackageRow, ...]
    fnc_weekly: Pence | None
    finances: IncomeStatement | None
    representatives: tuple[RepresentativeRow, ...]
    capacity_holds: tuple[HoldRow, ...]
    chronology: tuple[ChronologyRow, ...]
    transactions: tuple[TransactionRow, ...]
    sent: tuple[SentRow, ...]
    dpa: tuple[DpaRow, ...]
    court_action: str
    recommendation: RecommendationView | None
    options: tuple[OptionRow, ...]


def pack_document(engine: Templates, pack: CasePack, council: Council) -> QTextDocument:
    """The pack laid out on A4 pages, its contents naming the page of every section.

    Raises:
        TemplateRenderError: the template could not be rendered.
        RuntimeError: the contents' page numbers did not settle (a template whose
            contents change length with its numbers).
    """
    from debtdesk.documents.pdf import (
        anchor_pages,
        ensure_qt,
        keep_with_next,
        layout_document,
        logo_url,
    )

    ensure_qt()
    contents = tuple(ContentsLine(n, title, None) for n, title in enumerate(SECTIONS, 1))
    for _ in range(MAX_PASSES):
        html = engine.render(
            TEMPLATE,
            council=council,
            pack=pack,
            contents=contents,
            logo_url=logo_url(council.logo),
        )
        doc = layout_document(html, council.logo)
        keep_with_next(doc, HEADING, KEEP_SPACE)
        pages = anchor_pages(doc, HEADING)
        found = tuple(replace(line, page=pages.get(line.anchor)) for line in contents)
        if found == contents:
            return doc
        contents = found
    raise RuntimeError(f"the case pack's contents did not settle in {MAX_PASSES} layouts")


def pack_pdf_bytes(
    engine: Templates, pack: CasePack, council: Council, footer: str
) -> tuple[bytes, int]:
    """The pack as PDF bytes, marked on every page, and its number of pages."""
    from debtdesk.documents.pdf import document_pdf_bytes

    return document_pdf_bytes(pack_document(engine, pack, council), footer, marking=MARKING)


def paint_pack(
    device: QPagedPaintDevice, engine: Templates, pack: CasePack, council: Council, footer: str
) -> int:
    """Paint the pack onto ``device`` (a ``QPrinter``, for print preview and printing),
    laid out and marked exactly as its PDF; its number of pages."""
    from debtdesk.documents.pdf import DocumentPainter

    doc = pack_document(engine, pack, council)
    with DocumentPainter(device) as pages:
        return pages.add_document(doc, footer, marking=MARKING)
