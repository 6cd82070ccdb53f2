"""The 4-weekly statement run: charge every account for a period, and issue its statement.

For each account, in postcode order, the run recalculates every period up to the one
being run (services.charges, RULES.md "What a period charges"), raises the period's
charge and the supplementary charges as one invoice, posts any recalculation credits,
and issues a statement as at the statement date. The statements are rendered into one
print file for the print room and one PDF per account, all before the transaction
commits, in a staging folder that becomes the run's folder only once it has: a run
that fails or is killed leaves nothing behind in the database, and a half-written
folder that the next run clears away.

At county size the run is mostly rendering, so the database work is done in bulk: every
statement is worked out first, then numbered and staged (:func:`post_statement`) and
posted with a few multi-row statements, the numbers taken from their series at once; the
statements' HTML is made while worker processes are already rendering the first ones.

One run at a time (services.run_lock); a run for a period already run issues nothing
and says so; a run for a period before the last run's is refused.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    Allocation,
    Batch,
    Document,
    Invoice,
    LedgerEntry,
    PaymentPlan,
    Statement,
)
from debtdesk.db.types import utcnow
from debtdesk.documents.batch import BatchCancelled, BatchItem, render_batch
from debtdesk.documents.context import Page
from debtdesk.documents.pdf import logo_url
from debtdesk.domain import statements as st
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.charging import recalculate
from debtdesk.domain.correspondence import addressee
from debtdesk.domain.direct_debit import collection_date
from debtdesk.domain.documents import TEMPLATES, TITLES, DocumentKind
from debtdesk.domain.ledger import EntryKind, EntrySource, sign_problem
from debtdesk.domain.limitation import LIMITATION_YEARS
from debtdesk.domain.payment_plans import PlanStatus
from debtdesk.domain.periods import Period, nearest_period_ends, period_ending
from debtdesk.domain.roles import Permission
from debtdesk.services import audit, run_lock
from debtdesk.services.batches import last_finished
from debtdesk.services.charges import fnc_rates
from debtdesk.services.database import Database
from debtdesk.services.documents import (
    compress,
    council,
    documents_folder,
    footer_for,
    template_problems,
    templates,
)
from debtdesk.services.errors import BadInput
from debtdesk.services.ledger import INVOICE_SERIES, allocate_accounts, invoice_number, take_numbers
from debtdesk.services.settings import get_setting, period_anchor
from debtdesk.services.sql import insert_ids
from debtdesk.services.statement_facts import AccountFacts, load_facts
from debtdesk.services.users import require

RUN_KIND = "statement_run"
STATEMENT_SERIES = "statement"
LOCK = "statement run"

Progress = Callable[[str, int, int], None]


def _footer(reference: str, number: str) -> str:
    return footer_for(reference, f"{TITLES[DocumentKind.STATEMENT]} {number}")


def _finish_moving(out: object) -> None:
    """Complete a run whose commit landed but whose folder was not yet moved into place."""
    if not out:
        return
    final = Path(str(out))
    staging = final.parent / f".{final.name}.partial"
    if not final.exists() and staging.exists():
        staging.rename(final)


class RunCancelled(Exception):
    """The person running it cancelled the run; nothing of it was kept."""


def statement_number(value: int) -> str:
    """A statement number as printed: ``ST00001234``."""
    return f"ST{value:08d}"


@dataclass(frozen=True)
class RunResult:
    """What a run did (CLI.md ``statements run --json``)."""

    period: Period
    issued: int
    already_issued: int
    total_charged: int
    out: Path | None
    print_file: Path | None
    message: str


@dataclass(frozen=True)
class RunPreview:
    """What a run for a period would do, worked out without posting anything."""

    period: Period
    statements: int
    total_charged: int
    already_issued: int
    last_period_end: date | None


def check_period_end(session: Session, period_end: date) -> Period:
    """The period ending on ``period_end``.

    Raises:
        BadInput: no period ends on that day; the message names the nearest ends.
    """
    anchor = period_anchor(session)
    period = period_ending(period_end, anchor)
    if period is None:
        before, after = nearest_period_ends(period_end, anchor)
        raise BadInput(
            f"{period_end.isoformat()} is not the last day of a 4-weekly period; "
            f"the nearest period ends are {before.isoformat()} and {after.isoformat()}"
        )
    return period


def last_run(session: Session) -> Batch | None:
    """The last finished statement run (the demo records the one its charges stand for)."""
    return last_finished(session, RUN_KIND)


def _issued_for(session: Session, period: Period) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Statement)
            .where(Statement.period_start == period.start)
        )
        or 0
    )


@dataclass
class _Planned:
    """One account's statement, worked out and (in a run) posted."""

    facts: AccountFacts
    statement: st.Statement
    invoice_id: int | None = None
    invoice: int | None = None  # its invoice's place in the run's _Book, until posted


class _Book:
    """A run's invoices, ledger entries and balance movements, staged to be posted in bulk.

    What ``raise_invoice`` and ``post_entry`` would add account by account, in the same
    order (so the same ids), written by :meth:`post` with one multi-row INSERT a table
    and one UPDATE an account.
    """

    def __init__(
        self, batch_id: int, actor: str, period: Period, first_statement: int, first_invoice: int
    ) -> None:
        self.batch_id = batch_id
        self.actor = actor
        self.period = period
        self._statement_number = first_statement
        self._invoice_number = first_invoice
        self.invoices: list[dict[str, object]] = []
        self._entries: list[tuple[int | None, dict[str, object]]] = []  # (invoice, row)
        self._balances: dict[int, int] = {}
        self.to_allocate: list[int] = []

    def statement_number(self) -> str:
        """The next statement number."""
        number = statement_number(self._statement_number)
        self._statement_number += 1
        return number

    def invoice(
        self, account_id: int, due: date, lines: list[tuple[EntryKind, int, date, str]]
    ) -> int:
        """Stage the period's invoice and its lines; its place in :attr:`invoices`."""
        if not lines:
            raise BadInput("an invoice needs at least one line")
        self.invoices.append(
            {
                "account_id": account_id,
                "number": invoice_number(self._invoice_number),
                "kind": InvoiceKind.STATEMENT,
                "issued_on": self.period.statement_date,
                "due_on": due,
                "amount": sum(amount for _, amount, _, _ in lines),
                "period_start": self.period.start,
                "period_end": self.period.end,
                "batch_id": self.batch_id,
            }
        )
        self._invoice_number += 1
        index = len(self.invoices) - 1
        for kind, amount, period_start, description in lines:
            self.entry(account_id, kind, amount, period_start, description, index)
        return index

    def entry(
        self,
        account_id: int,
        kind: EntryKind,
        amount: int,
        period_start: date,
        description: str,
        invoice: int | None = None,
    ) -> None:
        """Stage one ledger entry, effective on the statement date.

        Raises:
            BadInput: the amount's sign does not suit the kind.
        """
        problem = sign_problem(kind, amount, is_reversal=False)
        if problem:
            raise BadInput(problem)
        self._entries.append(
            (
                invoice,
                {
                    "account_id": account_id,
                    "kind": kind,
                    "amount": amount,
                    "effective_date": self.period.statement_date,
                    "source": EntrySource.RUN,
                    "actor": self.actor,
                    "batch_id": self.batch_id,
                    "period_start": period_start,
                    "method": None,
                    "reference": "",
                    "description": description,
                    "reverses_id": None,
                },
            )
        )
        self._balances[account_id] = self._balances.get(account_id, 0) + amount

    def post(self, session: Session) -> list[int]:
        """Write everything staged, then allocate credit where asked; the invoices' ids."""
        connection = session.connection()  # Core executemany: no ORM bookkeeping per row
        ids: list[int] = []
        if self.invoices:
            ids = insert_ids(connection, Invoice, self.invoices)
        if self._entries:
            rows = [
                {**row, "invoice_id": None if invoice is None else ids[invoice]}
                for invoice, row in self._entries
            ]
            connection.execute(insert(LedgerEntry), rows)
        if self._balances:
            connection.execute(
                update(Account)
                .where(Account.id == bindparam("moved_account"))
                .values(balance=Account.balance + bindparam("moved_by")),
                [
                    {"moved_account": account_id, "moved_by": amount}
                    for account_id, amount in self._balances.items()
                ],
            )
        allocate_accounts(session, self.to_allocate, self.actor)
        return ids


def post_statement(book: _Book, facts: AccountFacts, statement: st.Statement) -> _Planned:
    """Number one statement and stage what it posts: its invoice of charges, and credits.

    Called once for each statement the run issues, in print order, once every statement
    has been worked out; nothing reaches the database until the run posts the book. A
    failure here (or anywhere in the run) keeps nothing.
    """
    number = book.statement_number()
    charges = [line for line in statement.lines if line.amount > 0]
    credits = [line for line in statement.lines if line.amount < 0]
    invoice = None
    if charges:
        invoice = book.invoice(
            facts.id,
            statement.due_date,
            [
                (EntryKind.CHARGE, line.amount, line.period.start, line.description)
                for line in charges
            ],
        )
        statement = replace(
            statement, number=number, invoice_number=str(book.invoices[invoice]["number"])
        )
    else:
        statement = replace(statement, number=number)
    for line in credits:
        book.entry(facts.id, EntryKind.CREDIT, line.amount, line.period.start, line.description)
    if credits or facts.has_unallocated_credit:
        book.to_allocate.append(facts.id)
    return _Planned(facts, statement, invoice=invoice)


class _Planner:
    """Works out each account's statement for a period, without touching the ledger."""

    def __init__(self, session: Session, period: Period) -> None:
        self.period = period
        self.rates = fnc_rates(session)
        self.anchor = period_anchor(session)
        self.notice_days = int(get_setting(session, "dd.advance_notice_days"))
        self.earliest = period.statement_date - relativedelta(years=LIMITATION_YEARS)

    def plan(self, facts: AccountFacts) -> st.Statement | None:
        """The account's statement for the period, or None when it needs none."""
        basis = facts.basis(self.rates)
        differences = recalculate(
            basis, facts.charged, self.period, earliest=self.earliest, anchor=self.anchor
        )
        lines = st.charge_lines(basis, differences, self.period)
        movements = tuple(
            st.Movement(
                e.effective,
                st.movement_description(e.kind, e.method, e.description, e.is_reversal),
                e.amount,
                other_charge=st.is_other_charge(e.kind, e.amount),
            )
            for e in facts.since_last_statement(self.period)
        )
        brought_forward = facts.brought_forward(self.period)
        closing = brought_forward + sum(x.amount for x in lines) + sum(m.amount for m in movements)
        if not st.needs_statement(lines, closing):
            return None
        statement_date = self.period.statement_date
        due = statement_date + timedelta(days=facts.terms_days)
        notice = None
        if facts.mandate is not None and closing > 0:
            notice = st.DirectDebitNotice(
                facts.mandate, closing, collection_date(due, statement_date, self.notice_days)
            )
        return st.Statement(
            number="",  # numbered when it is posted (post_statement)
            reference=facts.reference,
            client_name=facts.client.name,
            addressee=addressee(facts.client, facts.deceased, tuple(facts.representatives)),
            period=self.period,
            statement_date=statement_date,
            due_date=due,
            brought_forward=brought_forward,
            brought_forward_from=facts.previous.statement_date if facts.previous else None,
            lines=lines,
            movements=movements,
            arrears=0,
            direct_debit=None if facts.deceased else notice,
            deceased=facts.deceased,
        )


class StatementRuns:
    """Previewing and making statement runs."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def preview(self, period_end: date) -> RunPreview:
        """How many statements a run would issue and what it would charge; posts nothing."""
        with self._db.sessions() as session:
            period = check_period_end(session, period_end)
            last = last_run(session)
            already = _issued_for(session, period)
            planner = _Planner(session, period)
            count = total = 0
            if not already:
                for facts in load_facts(session, period):
                    planned = planner.plan(facts)
                    if planned is not None:
                        count += 1
                        total += planned.charged
            last_end = last.as_of - timedelta(days=1) if last and last.as_of else None
            return RunPreview(period, count, total, already, last_end)

    def run(
        self,
        period_end: date,
        out: Path | None = None,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        workers: int | None = None,
    ) -> RunResult:
        """Make the statement run for the period ending ``period_end``.

        Args:
            period_end: The last day of the period to charge.
            out: The folder the run's folder is made in (default: the documents folder).
            progress: Told ``(stage, done, total)`` as the run goes.
            cancelled: Asked now and then; True stops the run and keeps nothing.
            workers: Processes rendering PDFs (default: one per core).

        Raises:
            BadInput: not a period end, a period before the last run's, or another run
                in progress.
            RunCancelled: ``cancelled`` said so.
        """
        report = progress or (lambda _stage, _done, _total: None)
        stop = cancelled or (lambda: False)
        staging: Path | None = None  # the folder being written, until it is moved
        try:
            with template_problems(), self._db.sessions() as session, session.begin():
                require(session, self._db.actor, Permission.RUN_BATCHES)
                run_lock.acquire(session, LOCK)
                period = check_period_end(session, period_end)
                already = self._already(session, period)
                if already is not None:
                    return already
                run_lock.hold_ledger(session)
                base = out or documents_folder(session, self._db)
                final = base / f"statements-{period.end.isoformat()}"
                staging = base / f".statements-{period.end.isoformat()}.partial"
                shutil.rmtree(staging, ignore_errors=True)  # a killed run's leftovers
                batch = Batch(
                    kind=RUN_KIND,
                    as_of=period.statement_date,
                    parameters={
                        "period_start": period.start.isoformat(),
                        "period_end": period.end.isoformat(),
                    },
                    actor=self._db.actor,
                )
                session.add(batch)
                session.flush()
                planned = self._post(session, batch, period, report, stop)
                self._arrears(session, planned, period)
                result = self._issue(
                    session, batch, period, planned, staging, final, report, stop, workers
                )
                batch.finished_at = utcnow()
                batch.parameters = {
                    **batch.parameters,
                    "out": str(result.out) if result.out else None,
                    "print_file": str(result.print_file) if result.print_file else None,
                    "issued": result.issued,
                    "total_charged": result.total_charged,
                }
                audit.record(
                    session,
                    self._db.actor,
                    "statements.run",
                    "batch",
                    str(batch.id),
                    None,
                    {
                        "period_end": period.end.isoformat(),
                        "issued": result.issued,
                        "total_charged": result.total_charged,
                    },
                )
        except BaseException:  # a failure, a cancel or the commit itself: keep no files
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            raise
        if staging is not None and staging.exists():
            if final.exists():
                shutil.rmtree(final)
            staging.rename(final)
        return result

    def _already(self, session: Session, period: Period) -> RunResult | None:
        """The answer when this period was run already; refuses an earlier period."""
        last = last_run(session)
        if last is None or last.as_of is None:
            return None
        if last.as_of > period.statement_date:
            raise BadInput(
                f"the last statement run was for the period ending "
                f"{(last.as_of - timedelta(days=1)).isoformat()}; a run for an earlier "
                f"period ({period.end.isoformat()}) cannot be made"
            )
        if last.as_of < period.statement_date:
            return None
        issued = _issued_for(session, period)
        params = last.parameters
        print_file = params.get("print_file")
        out = params.get("out")
        _finish_moving(out)
        return RunResult(
            period,
            0,
            issued,
            0,
            Path(str(out)) if out else None,
            Path(str(print_file)) if print_file else None,
            f"statements for {period} were issued on {last.started_at:%d/%m/%Y} "
            f"by {last.actor}: {issued} statements; nothing new issued",
        )

    def _post(
        self,
        session: Session,
        batch: Batch,
        period: Period,
        report: Progress,
        stop: Callable[[], bool],
    ) -> list[_Planned]:
        """Work out every statement, and post its invoice and credits."""
        planner = _Planner(session, period)
        accounts = load_facts(session, period)
        report("Charging accounts", 0, len(accounts))
        worked_out: list[tuple[AccountFacts, st.Statement]] = []
        for done, facts in enumerate(accounts, 1):
            if stop():
                raise RunCancelled
            if done % 200 == 0:
                report("Charging accounts", done, len(accounts))
            statement = planner.plan(facts)
            if statement is not None:
                worked_out.append((facts, statement))
        if stop():
            raise RunCancelled
        invoiced = sum(1 for _, s in worked_out if any(x.amount > 0 for x in s.lines))
        book = _Book(
            batch.id,
            self._db.actor,
            period,
            take_numbers(session, STATEMENT_SERIES, len(worked_out)) if worked_out else 0,
            take_numbers(session, INVOICE_SERIES, invoiced) if invoiced else 0,
        )
        planned = [post_statement(book, facts, statement) for facts, statement in worked_out]
        invoice_ids = book.post(session)
        for item in planned:
            if item.invoice is not None:
                item.invoice_id = invoice_ids[item.invoice]
        report("Charging accounts", len(accounts), len(accounts))
        return planned

    def _arrears(self, session: Session, planned: list[_Planned], period: Period) -> None:
        """Each statement's arrears: what of its balance was due before the statement date.
        When a payment plan is paying them off, the statement says so and its direct debit
        collects only the rest (services.dd_run leaves the arrears to the plan too)."""
        day = period.statement_date
        owed = {
            account_id: int(total)
            for account_id, total in session.execute(
                select(Invoice.account_id, func.sum(Invoice.amount))
                .where(Invoice.due_on < day, Invoice.issued_on <= day)
                .group_by(Invoice.account_id)
            )
        }
        paid = {
            account_id: int(total)
            for account_id, total in session.execute(
                select(Allocation.account_id, func.sum(Allocation.amount))
                .join(Invoice, Invoice.id == Allocation.invoice_id)
                .where(Invoice.due_on < day, Allocation.effective_date <= day)
                .group_by(Allocation.account_id)
            )
        }
        on_plan = set(
            session.scalars(
                select(PaymentPlan.account_id).where(
                    PaymentPlan.status == PlanStatus.ACTIVE, PaymentPlan.start_on <= day
                )
            )
        )
        for item in planned:
            arrears = owed.get(item.facts.id, 0) - paid.get(item.facts.id, 0)
            arrears = max(0, min(arrears, item.statement.amount_due))
            notice = item.statement.direct_debit
            planned_off = item.facts.id in on_plan and arrears > 0
            if planned_off and notice is not None:  # the plan's instalments collect those
                left = item.statement.amount_due - arrears
                notice = replace(notice, amount=left) if left > 0 else None
            item.statement = replace(
                item.statement, arrears=arrears, on_plan=planned_off, direct_debit=notice
            )

    def _issue(
        self,
        session: Session,
        batch: Batch,
        period: Period,
        planned: list[_Planned],
        staging: Path,
        final: Path,
        report: Progress,
        stop: Callable[[], bool],
        workers: int | None,
    ) -> RunResult:
        """Render every statement, archive it, and record the statements."""
        engine = templates(session)
        sender = council(session)
        last_entry_id = session.scalar(select(func.max(LedgerEntry.id))) or 0
        title = TITLES[DocumentKind.STATEMENT]
        logo = logo_url(sender.logo)
        archived: list[bytes] = []

        def items() -> Iterator[BatchItem]:
            """Each statement's HTML, made as the renderers take them."""
            for item in planned:
                statement = item.statement
                page = Page(
                    DocumentKind.STATEMENT.value,
                    title,
                    statement.reference,
                    statement.number,
                    statement.statement_date,
                )
                html = engine.render(
                    TEMPLATES[DocumentKind.STATEMENT],
                    council=sender,
                    page=page,
                    statement=statement,
                    logo_url=logo,
                )
                archived.append(compress(html))
                yield BatchItem(
                    html,
                    _footer(statement.reference, statement.number),
                    staging / "accounts" / _file_name(statement),
                )

        print_name = f"print-{period.end.isoformat()}.pdf"
        if planned:
            try:
                rendered = render_batch(
                    items(),
                    staging / print_name,
                    count=len(planned),
                    workers=workers,
                    progress=lambda done, total: report("Rendering statements", done, total),
                    cancelled=stop,
                    title=f"Statements for {period}",
                    logo=sender.logo,
                )
            except BatchCancelled as exc:
                raise RunCancelled from exc
        total_charged = sum(item.statement.charged for item in planned)
        connection = session.connection()
        document_ids: list[int] = []
        if planned:
            document_ids = insert_ids(
                connection,
                Document,
                [
                    {
                        "account_id": item.facts.id,
                        "kind": DocumentKind.STATEMENT,
                        "title": f"{title} {item.statement.number}",
                        "template": TEMPLATES[DocumentKind.STATEMENT],
                        "issued_on": item.statement.statement_date,
                        "batch_id": batch.id,
                        "actor": self._db.actor,
                        "html_zlib": html_zlib,
                        "path": str(final / "accounts" / _file_name(item.statement)),
                        "sha256": done.sha256,
                        "pages": done.pages,
                    }
                    for item, html_zlib, done in zip(planned, archived, rendered.items, strict=True)
                ],
            )
            connection.execute(
                insert(Statement),
                [
                    {
                        "number": statement.number,
                        "account_id": item.facts.id,
                        "batch_id": batch.id,
                        "period_start": period.start,
                        "period_end": period.end,
                        "statement_date": statement.statement_date,
                        "due_on": statement.due_date,
                        "invoice_id": item.invoice_id,
                        "document_id": document_id,
                        "brought_forward": statement.brought_forward,
                        # What the statement added (its own charges and the others
                        # since the last) and took off: brought forward + charged +
                        # received = closing.
                        "charged": statement.added,
                        "received": statement.received,
                        "closing_balance": statement.closing_balance,
                        "amount_due": statement.amount_due,
                        "arrears": statement.arrears,
                        "last_entry_id": last_entry_id,
                        "addressee": statement.addressee.name,
                    }
                    for item, document_id in zip(planned, document_ids, strict=True)
                    for statement in (item.statement,)
                ],
            )
        print_file = None
        if planned:
            print_file = final / print_name
            session.add(
                Document(
                    account_id=None,
                    kind=DocumentKind.PRINT_FILE,
                    title=f"Statements for {period}: print file",
                    template=TEMPLATES[DocumentKind.STATEMENT],
                    issued_on=period.statement_date,
                    batch_id=batch.id,
                    actor=self._db.actor,
                    html_zlib=None,
                    path=str(print_file),
                    sha256=rendered.sha256,
                    pages=rendered.pages,
                )
            )
        session.flush()
        return RunResult(
            period,
            len(planned),
            0,
            total_charged,
            final if planned else None,  # no statements: no folder is made
            print_file,
            f"{len(planned)} statements issued for {period}",
        )


def _file_name(statement: st.Statement) -> str:
    """The statement's own PDF in the run's ``accounts`` folder."""
    return f"{statement.reference}-{statement.number}.pdf"
