"""The Debt Management Panel's case pack for one account, as at a date, from its records.

Everything is read in one read-only session into a :class:`~debtdesk.documents.case_pack.CasePack`
(nothing typed twice: the figures are ``account show``'s, the history the account's own),
then rendered from the team's ``case_pack.html`` to an A4 PDF marked OFFICIAL – SENSITIVE.
The officer's recommendation is given by the caller (the panel's case, when it has one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    CustomerType,
    Hold,
    RecoveryEvent,
)
from debtdesk.documents.case_pack import (
    TITLE,
    AgedLine,
    AssessmentRow,
    CasePack,
    DpaRow,
    HoldRow,
    PackageRow,
    PackInvoice,
    RecommendationView,
    RepresentativeRow,
    SentRow,
    TransactionRow,
)
from debtdesk.documents.context import Council
from debtdesk.documents.templates import Templates
from debtdesk.domain import holds as hold_rules
from debtdesk.domain.ageing import BUCKET_LABELS, BUCKETS
from debtdesk.domain.caseload import AccountStatus
from debtdesk.domain.charging import Funding
from debtdesk.domain.correspondence import Contact, addressee
from debtdesk.domain.correspondence import Representative as Rep
from debtdesk.domain.deferred_payments import DPA_NAMES
from debtdesk.domain.documents import TITLES, DocumentKind
from debtdesk.domain.holds import HOLD_NAMES, HoldReason, HoldState
from debtdesk.domain.panel import OPTION_NAMES, PanelOption
from debtdesk.services.accounts import account_detail_by_id, get_account
from debtdesk.services.case_pack_chronology import chronology
from debtdesk.services.case_pack_finances import finances, fnc_weekly
from debtdesk.services.case_pack_options import court_action, dpa_records, options
from debtdesk.services.database import Database
from debtdesk.services.documents import (
    council,
    document_lines,
    footer_for,
    statement_lines,
    template_problems,
    templates,
)
from debtdesk.services.errors import NotFound
from debtdesk.services.recovery import limits_for
from debtdesk.services.recovery_facts import CLEARED
from debtdesk.services.settings import recovery_policy

if TYPE_CHECKING:  # Qt is loaded only to render
    from PySide6.QtGui import QPagedPaintDevice

    from debtdesk.documents.pdf import Rendered

NOT_CHOSEN = "No option chosen yet"
FUNDING_NAMES = {
    Funding.COUNCIL: "Council",
    Funding.FNC: "Council + NHS FNC",
    Funding.CHC: "NHS CHC",
}


@dataclass(frozen=True)
class Recommendation:
    """What the officer recommends to the panel: an option (None: not chosen yet), the
    reasons (paragraphs split by blank lines) and who recommends it."""

    option: PanelOption | None
    reasons: str
    officer: str


def label(code: str) -> str:
    """A stored code as a person reads it: ``returned_payment`` -> ``Returned payment``."""
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def pack_footer(reference: str, as_of: date) -> str:
    """``Account CC000123 · Debt Management Panel case pack as at 23/11/2026``."""
    return footer_for(reference, f"{TITLE} as at {as_of:%d/%m/%Y}")


def gather(
    session: Session, account_id: int, as_of: date, recommendation: Recommendation | None = None
) -> CasePack:
    """The account's case pack as at ``as_of``.

    Raises:
        NotFound: no such account.
    """
    account = get_account(session, account_id)
    detail = account_detail_by_id(session, account_id, as_of)
    policy = recovery_policy(session)
    names = {s.code: s.name for s in policy.stages}
    stage, since = _stage(session, account_id, as_of, names)
    holds = [
        (h, hold_rules.hold_state(_rule(h), as_of))
        for h in session.scalars(
            select(Hold).where(Hold.account_id == account_id).order_by(Hold.start_on, Hold.id)
        )
    ]
    limits = {line.invoice_number: line.last_day_to_claim for line in limits_for(
        session, account_id, as_of
    )}  # fmt: skip
    invoices = tuple(
        PackInvoice(
            i.number, i.issued, i.due, i.amount, i.outstanding, i.days_overdue, limits[i.number]
        )
        for i in detail.open_invoices
    )
    decisions = dpa_records(session, account_id, as_of)
    court = court_action(decisions)
    return CasePack(
        as_of=as_of,
        reference=account.reference,
        client_name=account.client_name,
        date_of_birth=account.date_of_birth,
        date_of_death=account.date_of_death,
        status=label(account.status.value),
        address_lines=_lines(account.address, account.postcode),
        correspondence_to=_correspondence_to(session, account),
        officer=detail.officer,
        customer_type=detail.customer_type_name,
        care_setting=label(detail.care_setting),
        stage=stage,
        stage_since=since,
        holds_in_force=tuple(HOLD_NAMES[h.reason] for h, state in holds if state in _IN_FORCE),
        balance=detail.balance,
        unallocated=detail.unallocated,
        overdue=sum(detail.aged[b] for b in BUCKETS if b != "not_due"),
        aged=tuple(AgedLine(BUCKET_LABELS[b], detail.aged[b]) for b in BUCKETS),
        invoices=invoices,
        assessments=tuple(
            AssessmentRow(a.effective_from, a.effective_to, a.weekly_contribution, a.reason)
            for a in detail.assessments
        ),
        packages=tuple(
            PackageRow(
                p.service,
                p.provider,
                p.weekly_cost,
                p.start,
                p.end,
                FUNDING_NAMES[Funding(p.funding)],
            )
            for p in detail.packages
        ),
        fnc_weekly=fnc_weekly(session, detail, as_of),
        finances=finances(session, account_id, as_of),
        representatives=tuple(
            RepresentativeRow(
                r.name,
                label(r.role.value),
                r.receives_correspondence,
                r.authority_checked_on,
                r.authority_reference,
                ", ".join((*_lines(r.address), *(part for part in (r.phone, r.email) if part))),
            )
            for r in account.representatives
        ),
        capacity_holds=tuple(
            HoldRow(
                HOLD_NAMES[h.reason],
                h.start_on,
                h.end_on,
                h.review_on,
                label(state.value),
                h.note,
                h.set_by,
            )
            for h, state in holds
            if h.reason is HoldReason.CAPACITY and state is not HoldState.NOT_STARTED
        ),
        chronology=chronology(session, account_id, as_of, names),
        transactions=tuple(
            TransactionRow(
                e.effective_date,
                label(e.kind),
                e.description,
                e.invoice or e.reference,
                e.amount,
                e.running_balance,
            )
            for e in detail.ledger
        ),
        sent=_sent(session, account_id, as_of),
        dpa=tuple(DpaRow(d.decided_on, DPA_NAMES[d.outcome], d.note, d.actor) for d in decisions),
        court_action=court,
        recommendation=_recommendation(recommendation),
        options=options(
            session,
            account_id,
            as_of,
            recommendation.option if recommendation is not None else None,
            court,
            invoices,
        ),
    )


_IN_FORCE = (HoldState.IN_FORCE, HoldState.REVIEW_DUE)


def _lines(address: str, postcode: str = "") -> tuple[str, ...]:
    """An address's lines, the postcode last (once)."""
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    if postcode and (not lines or lines[-1].replace(" ", "") != postcode.replace(" ", "")):
        lines.append(postcode)
    return tuple(lines)


def _rule(hold: Hold) -> hold_rules.Hold:
    return hold_rules.Hold(
        hold.reason, hold.start_on, hold.end_on, hold.review_on, hold.set_by, hold.ended_on
    )


def _stage(
    session: Session, account_id: int, as_of: date, names: dict[str, str]
) -> tuple[str, date | None]:
    """The recovery stage reached by ``as_of`` ("" when none) and the day it was reached."""
    current: tuple[str, date | None] = ("", None)
    for stage, day in session.execute(
        select(RecoveryEvent.stage, RecoveryEvent.effective_date)
        .where(RecoveryEvent.account_id == account_id, RecoveryEvent.effective_date <= as_of)
        .order_by(RecoveryEvent.id)
    ).tuples():
        current = ("", None) if stage == CLEARED else (names.get(stage, stage), day)
    return current


def _correspondence_to(session: Session, account: Account) -> str:
    ctype = session.get(CustomerType, account.customer_type_id)
    assert ctype is not None
    deceased = account.status is AccountStatus.DECEASED or account.date_of_death is not None
    reps = tuple(
        Rep(r.name, r.role, r.address, r.receives_correspondence) for r in account.representatives
    )
    to = addressee(
        Contact(account.client_name, account.address, account.postcode),
        deceased,
        reps,
        organisation=ctype.is_business,
    )
    return ", ".join(to.lines)


def _sent(session: Session, account_id: int, as_of: date) -> tuple[SentRow, ...]:
    """The statements and letters issued by ``as_of``, oldest first."""
    numbers = {s.document_id: s.number for s in statement_lines(session, account_id)}
    return tuple(
        SentRow(d.issued_on, TITLES[d.kind], d.title, numbers.get(d.id, ""))
        for d in reversed(document_lines(session, account_id))
        if d.issued_on <= as_of and d.kind is not DocumentKind.PRINT_FILE
    )


def _recommendation(recommendation: Recommendation | None) -> RecommendationView | None:
    """The officer's recommendation as the pack prints it; None when nothing is made yet
    (no option and no reasons)."""
    if recommendation is None:
        return None
    reasons = tuple(
        " ".join(part.split()) for part in recommendation.reasons.split("\n\n") if part.strip()
    )
    if recommendation.option is None and not reasons:
        return None
    option = OPTION_NAMES[recommendation.option] if recommendation.option else NOT_CHOSEN
    return RecommendationView(option, reasons, recommendation.officer)


@dataclass(frozen=True)
class PrintablePack:
    """A pack's data and what lays it out, for print preview and printing."""

    pack: CasePack
    engine: Templates
    sender: Council
    footer: str

    @property
    def title(self) -> str:
        return self.footer

    def paint(self, device: QPagedPaintDevice) -> int:
        """Paint the pack onto ``device`` as its PDF is laid out; its pages.

        Raises:
            BadInput: the team's template could not be rendered (the message says where).
        """
        from debtdesk.documents.case_pack import paint_pack

        with template_problems():
            return paint_pack(device, self.engine, self.pack, self.sender, self.footer)


class CasePacks:
    """Case packs for the Debt Management Panel."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def account_id(self, reference: str) -> int:
        """The id of the account with this reference.

        Raises:
            NotFound: there is none.
        """
        with self._db.sessions() as session:
            found = session.scalar(
                select(Account.id).where(Account.reference == reference.strip().upper())
            )
        if found is None:
            raise NotFound(f"no account with reference {reference!r}")
        return found

    def pack(
        self, account_id: int, as_of: date, recommendation: Recommendation | None = None
    ) -> CasePack:
        """What the pack says, as data (for a preview, or a test).

        Raises:
            NotFound: no such account.
        """
        with self._db.sessions() as session:
            return gather(session, account_id, as_of, recommendation)

    def pdf_bytes(
        self, account_id: int, as_of: date, recommendation: Recommendation | None = None
    ) -> tuple[bytes, int]:
        """The pack as PDF bytes, and its number of pages.

        Raises:
            NotFound: no such account.
            BadInput: the team's template could not be rendered (the message says where).
        """
        from debtdesk.documents.case_pack import pack_pdf_bytes

        with template_problems():
            with self._db.sessions() as session:
                pack = gather(session, account_id, as_of, recommendation)
                sender, engine = council(session), templates(session)
            return pack_pdf_bytes(engine, pack, sender, pack_footer(pack.reference, as_of))

    def printable(
        self, account_id: int, as_of: date, recommendation: Recommendation | None = None
    ) -> PrintablePack:
        """What it takes to paint the pack on a printer (read off the GUI thread; painted
        on it by :meth:`PrintablePack.paint`).

        Raises:
            NotFound: no such account.
        """
        with self._db.sessions() as session:
            pack = gather(session, account_id, as_of, recommendation)
            return PrintablePack(
                pack, templates(session), council(session), pack_footer(pack.reference, as_of)
            )

    def render(
        self,
        account_id: int,
        out: Path,
        as_of: date,
        recommendation: Recommendation | None = None,
    ) -> Rendered:
        """Write the pack to ``out`` (replacing it whole); where, its SHA-256 and pages.

        Raises:
            NotFound: no such account (nothing is written).
            BadInput: as :meth:`pdf_bytes`.
        """
        from debtdesk.documents.pdf import write_pdf

        data, pages = self.pdf_bytes(account_id, as_of, recommendation)
        return write_pdf(data, pages, out)

    def write(
        self,
        account_id: int,
        out: Path,
        as_of: date,
        recommendation: Recommendation | None = None,
    ) -> Path:
        """Write the pack to ``out`` as an A4 PDF; the path written."""
        return self.render(account_id, out, as_of, recommendation).path
