"""``debtdesk dd run --as-of D``: the direct debit cycle, whole or nothing.

One run, in one transaction:

1. **Instructions.** Each mandate waiting to send an instruction gets its record: a new
   one its ``0N`` (it is then lodged, and live, from the file's processing date), an
   officer's cancellation of a lodged one its ``0C``.
2. **Schedule.** The statement is the advance notice (FACTS.md §5.4; issue 4 item 2): a
   live mandate not on hold collects each statement's amount due, issued on or after the
   mandate was lodged (an imported ``live`` mandate counts as lodged), on the due date
   moved to the next working day and never earlier than the notice period (setting
   ``dd.advance_notice_days``) after the statement date. Every such collection dated on or
   before D and not yet scheduled is scheduled, a past one too. It collects no more than
   the account owes once collections already scheduled are counted; a statement whose
   debt has been paid another way is recorded as not needed. Transaction codes: 01 for
   a mandate's first collection, 17 after, 19 when care has ended and it clears the
   balance (the 19 closes the instruction at the bank, so the mandate is then cancelled).
   While the account has an active payment plan, a statement's collection leaves out the
   statement's arrears: the plan covers them.
3. **Plans.** An active payment plan paid by direct debit collects each instalment due on
   or after its mandate was lodged, on the due date moved to the next working day and
   never earlier than the notice period after the later of the plan's agreement (its
   schedule is the advance notice) and the lodging; like a statement's, no more than the
   account owes.
4. **Post.** Each scheduled collection dated before D with no return is posted as a
   payment effective on its collection date and allocated oldest first.
5. **Files.** The instructions and the new collections are written for the bureau as
   Standard 18 records (multi-day, with each record's processing date) and as the common
   bureau CSV (FACTS.md §5.5), only once the transaction has committed.

A repeated run for the same date finds nothing new and writes no files; a run dated
before the last one is refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Batch, Collection, Mandate, PaymentPlan, Statement
from debtdesk.db.types import utcnow
from debtdesk.domain import bacs_submission as bacs
from debtdesk.domain.caseload import AccountStatus, MandateStatus
from debtdesk.domain.direct_debit import CollectionStatus, MandateEventKind, collection_date
from debtdesk.domain.ledger import EntrySource, PaymentMethod
from debtdesk.domain.money import format_pounds
from debtdesk.domain.payment_plans import PlanStatus, schedule
from debtdesk.domain.roles import Permission
from debtdesk.domain.working_days import add_working_days, next_working_day
from debtdesk.services import run_lock
from debtdesk.services.batches import last_finished
from debtdesk.services.database import Database
from debtdesk.services.documents import documents_folder
from debtdesk.services.errors import BadInput
from debtdesk.services.mandates import record_event, snapshot
from debtdesk.services.postings import Postings
from debtdesk.services.settings import get_setting
from debtdesk.services.sql import chunks, pence_sum
from debtdesk.services.users import require

RUN_KIND = "dd_run"
LOCK = "dd run"
_COUNTED = (CollectionStatus.SCHEDULED, CollectionStatus.COLLECTED, CollectionStatus.RETURNED)


@dataclass(frozen=True)
class DdRunResult:
    as_of: date
    instructions: int
    scheduled: int
    collected: int
    collected_total: int
    files: tuple[Path, ...]
    batch: int


def originator(session: Session) -> bacs.Originator:
    """The council as Bacs service user, from the settings.

    Raises:
        BadInput: the service user number or collection account is not set, or is wrong.
    """
    values = {
        key: get_setting(session, key)
        for key in (
            "bacs.service_user_number",
            "bank.sort_code",
            "bank.account_number",
            "bank.account_name",
        )
    }
    missing = [key for key, value in values.items() if not value]
    if missing:
        raise BadInput(
            "direct debit files cannot be written until these are set: "
            + ", ".join(missing)
            + " (debtdesk settings set KEY VALUE); nothing was done"
        )
    return bacs.Originator(
        values["bacs.service_user_number"],
        values["bank.sort_code"],
        values["bank.account_number"],
        values["bank.account_name"],
    )


def instruction_processing_date(as_of: date) -> date:
    """Day 2 of a file submitted on ``as_of``: when its instructions are lodged."""
    return add_working_days(next_working_day(as_of), 1)


def post_collections(
    session: Session, rows: Sequence[tuple[Collection, str]], postings: Postings
) -> None:
    """Post collections (each with its mandate's reference) as direct debit payments on their
    collection dates, allocated, and mark them collected."""
    for collection, reference in rows:
        postings.payment(
            collection.account_id,
            collection.amount,
            collection.collection_date,
            PaymentMethod.DIRECT_DEBIT,
            reference=reference,
            description=f"Direct debit collection ({collection.transaction_code})",
        )
    for (collection, _), entry_id in zip(rows, postings.post(session), strict=True):
        collection.status = CollectionStatus.COLLECTED
        collection.payment_entry_id = entry_id


class DirectDebitRun:
    """The dd run, for the CLI and the GUI."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def run(self, as_of: date, out: Path | None = None) -> DdRunResult:
        """Send instructions, schedule and post collections, write the bureau files.

        Args:
            as_of: the run's date, D.
            out: the folder the files are written in (default: the documents folder's
                ``bacs`` folder).

        Raises:
            BadInput: D is before the last run's date, the council's Bacs settings are
                missing, a record Bacs would refuse, or another run is in progress;
                nothing was done.
        """
        actor = self._db.actor
        written: list[Path] = []
        try:
            with self._db.sessions() as session, session.begin():
                require(session, self._db.actor, Permission.RUN_BATCHES)
                run_lock.acquire(session, LOCK)
                previous = last_finished(session, RUN_KIND)
                if previous is not None and previous.as_of and as_of < previous.as_of:
                    raise BadInput(
                        f"a dd run for {as_of:%d/%m/%Y} is before the last dd run "
                        f"({previous.as_of:%d/%m/%Y}); nothing was done"
                    )
                folder = out or documents_folder(session, self._db) / "bacs"
                batch = Batch(kind=RUN_KIND, as_of=as_of, actor=actor, parameters={})
                session.add(batch)
                session.flush()
                cycle = _Cycle(session, batch, as_of, actor)
                instructions = cycle.instructions()
                scheduled = cycle.schedule() + cycle.represent()
                posted, total = cycle.post()
                files = cycle.write(folder, instructions, scheduled)
                written = [part for part, _ in files]
                batch.parameters = {
                    "instructions": len(instructions),
                    "scheduled": len(scheduled),
                    "collected": posted,
                    "collected_total": total,
                    "files": [str(final) for _, final in files],
                }
                batch.finished_at = utcnow()
            for part, final in files:
                part.replace(final)
            written = []
        finally:
            for part in written:
                part.unlink(missing_ok=True)
        return DdRunResult(
            as_of,
            len(instructions),
            len(scheduled),
            posted,
            total,
            tuple(final for _, final in files),
            batch.id,
        )


@dataclass(frozen=True)
class _Due:
    """A collection due: a statement's amount due or a plan's instalment."""

    mandate: Mandate
    account_id: int
    status: AccountStatus
    balance: int
    when: date
    order: int
    wanted: int
    label: str
    nothing_owed: str
    nothing_wanted: str = ""
    statement_id: int | None = None
    plan_id: int | None = None
    instalment: int | None = None


class _Cycle:
    def __init__(self, session: Session, batch: Batch, as_of: date, actor: str) -> None:
        self.session = session
        self.batch = batch
        self.as_of = as_of
        self.actor = actor
        self.notice_days = int(get_setting(session, "dd.advance_notice_days"))

    def instructions(self) -> list[bacs.SubmissionRecord]:
        session, records = self.session, []
        processing = instruction_processing_date(self.as_of)
        for mandate in session.scalars(
            select(Mandate).where(Mandate.instruction_due.is_not(None)).order_by(Mandate.id)
        ):
            before = snapshot(mandate)
            code = bacs.TransactionCode(mandate.instruction_due or "")
            records.append(
                bacs.SubmissionRecord(
                    mandate.sort_code,
                    mandate.account_number,
                    mandate.payer_name,
                    code,
                    0,
                    mandate.reference,
                    processing,
                )
            )
            mandate.instruction_due = None
            if code is bacs.TransactionCode.NEW_INSTRUCTION:
                mandate.status = MandateStatus.LIVE
                mandate.lodged_on = processing
                kind = MandateEventKind.LODGED
                reason = "New instruction (0N) sent to the bureau"
            else:
                kind = MandateEventKind.CANCEL_SENT
                reason = "Cancellation (0C) sent to the bureau"
            record_event(
                session,
                mandate,
                kind,
                processing,
                before,
                actor=self.actor,
                reason=reason,
                batch_id=self.batch.id,
            )
        session.flush()
        return records

    def schedule(self) -> list[tuple[Collection, Mandate]]:
        """Schedule every collection now due that is not yet scheduled, statements' and
        plans' instalments together in date order (so a mandate's first one is its 01)."""
        due = sorted(
            self._statements_due() + self._instalments_due(), key=lambda d: (d.when, d.order)
        )
        if not due:
            return []
        pending = self._pending(sorted({d.account_id for d in due}))
        previous = self._previous([d.mandate.id for d in due])
        result: list[tuple[Collection, Mandate]] = []
        for d in due:
            mandate = d.mandate
            if mandate.status is not MandateStatus.LIVE:
                continue  # closed by a final collection earlier in this run
            owed = d.balance - pending[d.account_id]
            amount = min(d.wanted, owed)
            collection = Collection(
                mandate_id=mandate.id,
                account_id=d.account_id,
                statement_id=d.statement_id,
                plan_id=d.plan_id,
                instalment=d.instalment,
                attempt=1,
                collection_date=d.when,
                processing_date=bacs.processing_date_for(d.when),
                batch_id=self.batch.id,
            )
            self.session.add(collection)
            if amount <= 0:
                collection.amount = 0
                collection.transaction_code = ""
                collection.status = CollectionStatus.NOT_NEEDED
                collection.note = d.nothing_owed if d.wanted > 0 else d.nothing_wanted
                continue
            final = d.status is AccountStatus.CEASED and amount == owed
            code = bacs.collection_transaction_code(previous[mandate.id], final=final)
            collection.amount = amount
            collection.transaction_code = code.value
            collection.status = CollectionStatus.SCHEDULED
            collection.note = d.label
            previous[mandate.id] += 1
            pending[d.account_id] += amount
            result.append((collection, mandate))
            if final:
                self._close(mandate, code, d.when)
        self.session.flush()
        return result

    def _statements_due(self) -> list[_Due]:
        """Each statement's collection due by D and not yet scheduled. While the account has
        an active plan, the statement's arrears are left to the plan."""
        already = select(Collection.id).where(
            Collection.statement_id == Statement.id, Collection.attempt == 1
        )
        rows = self.session.execute(
            select(Statement, Mandate, Account.status, Account.balance)
            .join(Mandate, Mandate.account_id == Statement.account_id)
            .join(Account, Account.id == Statement.account_id)
            .where(
                Mandate.status == MandateStatus.LIVE,
                Mandate.hold_reason.is_(None),
                or_(Mandate.lodged_on.is_(None), Statement.statement_date >= Mandate.lodged_on),
                Statement.amount_due > 0,
                Account.status != AccountStatus.DECEASED,
                ~already.exists(),
            )
            .order_by(Statement.statement_date, Statement.id)
        ).all()
        found = [
            (statement, mandate, status, balance, when)
            for statement, mandate, status, balance in rows
            if (
                when := collection_date(
                    statement.due_on, statement.statement_date, self.notice_days
                )
            )
            <= self.as_of
        ]
        planned = self._plan_starts(sorted({statement.account_id for statement, *_ in found}))
        result = []
        for order, (statement, mandate, status, balance, when) in enumerate(found):
            start = planned.get(statement.account_id)
            arrears = statement.arrears if start is not None and start <= when else 0
            result.append(
                _Due(
                    mandate,
                    statement.account_id,
                    status,
                    balance,
                    when,
                    order,
                    wanted=statement.amount_due - arrears,
                    statement_id=statement.id,
                    label=f"Statement {statement.number}",
                    nothing_owed=f"Nothing owed when scheduled ({statement.number} paid)",
                    nothing_wanted=(
                        f"Statement {statement.number}: only arrears, which the plan covers"
                    ),
                )  # fmt: skip
            )
        return result

    def _plan_starts(self, account_ids: list[int]) -> dict[int, date]:
        """The start of each account's active payment plan, among ``account_ids``."""
        starts: dict[int, date] = {}
        for chunk in chunks(account_ids):
            for account_id, start in self.session.execute(
                select(PaymentPlan.account_id, PaymentPlan.start_on).where(
                    PaymentPlan.account_id.in_(chunk),
                    PaymentPlan.status == PlanStatus.ACTIVE,
                )
            ).tuples():
                starts[account_id] = start
        return starts

    def _instalments_due(self) -> list[_Due]:
        """Each instalment of an active plan paid by direct debit due by D, not yet scheduled."""
        rows = self.session.execute(
            select(PaymentPlan, Mandate, Account.status, Account.balance)
            .join(Mandate, Mandate.account_id == PaymentPlan.account_id)
            .join(Account, Account.id == PaymentPlan.account_id)
            .where(
                PaymentPlan.status == PlanStatus.ACTIVE,
                PaymentPlan.method == PaymentMethod.DIRECT_DEBIT,
                Mandate.status == MandateStatus.LIVE,
                Mandate.hold_reason.is_(None),
                Account.status != AccountStatus.DECEASED,
            )
            .order_by(PaymentPlan.id)
        ).all()
        taken = self._plan_collections([plan.id for plan, *_ in rows])
        result: list[_Due] = []
        for plan, mandate, status, balance in rows:
            agreed = plan.created_at.astimezone().date()
            notice_from = max(agreed, mandate.lodged_on or agreed)
            for instalment in schedule(plan.start_on, plan.frequency, plan.instalment, plan.total):
                if mandate.lodged_on is not None and instalment.due < mandate.lodged_on:
                    continue  # due before the mandate could collect: paid another way
                when = collection_date(instalment.due, notice_from, self.notice_days)
                if when > self.as_of:
                    break
                if (plan.id, instalment.number) in taken:
                    continue
                label = f"Payment plan {plan.id}, instalment {instalment.number}"
                result.append(
                    _Due(
                        mandate,
                        plan.account_id,
                        status,
                        balance,
                        when,
                        len(result),
                        wanted=instalment.amount,
                        plan_id=plan.id,
                        instalment=instalment.number,
                        label=label,
                        nothing_owed=f"{label}: nothing owed when scheduled",
                    )  # fmt: skip
                )
        return result

    def _plan_collections(self, plan_ids: list[int]) -> set[tuple[int, int]]:
        """(plan, instalment) of every instalment already scheduled once."""
        taken: set[tuple[int, int]] = set()
        for chunk in chunks(sorted(set(plan_ids))):
            for plan_id, number in self.session.execute(
                select(Collection.plan_id, Collection.instalment).where(
                    Collection.plan_id.in_(chunk), Collection.attempt == 1
                )
            ).tuples():
                assert plan_id is not None and number is not None
                taken.add((plan_id, number))
        return taken

    def _close(self, mandate: Mandate, code: bacs.TransactionCode, when: date) -> None:
        """A last collection ends the mandate: a 19 closes it at the bank; a first
        collection that is also the last is a 01, so a 0C follows at the next run."""
        before = snapshot(mandate)
        mandate.status = MandateStatus.CANCELLED
        if code is bacs.TransactionCode.FINAL_COLLECTION:
            kind = MandateEventKind.FINAL_COLLECTION
            reason = "Final collection (19): care has ended; it closes the instruction"
        else:
            mandate.instruction_due = bacs.TransactionCode.CANCEL_INSTRUCTION.value
            kind = MandateEventKind.CANCEL_REQUESTED
            reason = "Care has ended and the first collection is also the last: 0C to follow"
        record_event(
            self.session,
            mandate,
            kind,
            when,
            before,
            actor=self.actor,
            reason=reason,
            batch_id=self.batch.id,
        )

    def represent(self) -> list[tuple[Collection, Mandate]]:
        """Schedule the re-presentations (18) officers asked for, dated on or before D."""
        session = self.session
        taken = select(Collection.represents_id).where(Collection.represents_id.is_not(None))
        rows = session.execute(
            select(Collection, Mandate)
            .join(Mandate, Mandate.id == Collection.mandate_id)
            .where(
                Collection.status == CollectionStatus.RETURNED,
                Collection.represent_on.is_not(None),
                Collection.represent_on <= self.as_of,
                Collection.id.not_in(taken),
                Mandate.status == MandateStatus.LIVE,
                Mandate.hold_reason.is_(None),
            )
            .order_by(Collection.represent_on, Collection.id)
        ).all()
        result = []
        for original, mandate in rows:
            when = next_working_day(original.represent_on)
            collection = Collection(
                mandate_id=mandate.id,
                account_id=original.account_id,
                statement_id=original.statement_id,
                plan_id=original.plan_id,
                instalment=original.instalment,
                attempt=original.attempt + 1,
                represents_id=original.id,
                amount=original.amount,
                collection_date=when,
                processing_date=bacs.processing_date_for(when),
                transaction_code=bacs.TransactionCode.RE_PRESENTATION.value,
                status=CollectionStatus.SCHEDULED,
                batch_id=self.batch.id,
                note=f"Re-presentation of the collection of {original.collection_date:%d/%m/%Y}",
            )
            session.add(collection)
            result.append((collection, mandate))
        session.flush()
        return result

    def _pending(self, account_ids: list[int]) -> dict[int, int]:
        pending: dict[int, int] = defaultdict(int)
        for chunk in chunks(account_ids):
            for account_id, total in self.session.execute(
                select(Collection.account_id, pence_sum(Collection.amount))
                .where(
                    Collection.account_id.in_(chunk),
                    Collection.status == CollectionStatus.SCHEDULED,
                )
                .group_by(Collection.account_id)
            ):
                pending[account_id] = int(total)
        return pending

    def _previous(self, mandate_ids: list[int]) -> dict[int, int]:
        wanted = sorted(set(mandate_ids))
        counts: dict[int, int] = defaultdict(int)
        for chunk in chunks(wanted):
            for mandate_id, count in self.session.execute(
                select(Collection.mandate_id, func.count())
                .where(
                    Collection.mandate_id.in_(chunk),
                    Collection.status.in_(_COUNTED),
                )
                .group_by(Collection.mandate_id)
            ):
                counts[mandate_id] = count
        return counts

    def post(self) -> tuple[int, int]:
        """Post every scheduled collection dated before D: (how many, total pence)."""
        session = self.session
        rows = [
            (collection, reference)
            for collection, reference in session.execute(
                select(Collection, Mandate.reference)
                .join(Mandate, Mandate.id == Collection.mandate_id)
                .where(
                    Collection.status == CollectionStatus.SCHEDULED,
                    Collection.collection_date < self.as_of,
                )
                .order_by(Collection.collection_date, Collection.id)
            )
        ]
        post_collections(session, rows, Postings(self.batch.id, self.actor, EntrySource.RUN))
        session.flush()
        return len(rows), sum(collection.amount for collection, _ in rows)

    def write(
        self,
        folder: Path,
        instructions: list[bacs.SubmissionRecord],
        scheduled: list[tuple[Collection, Mandate]],
    ) -> list[tuple[Path, Path]]:
        """Write the bureau files as ``.part`` files: (part, final) pairs."""
        collections = [
            bacs.SubmissionRecord(
                mandate.sort_code,
                mandate.account_number,
                mandate.payer_name,
                bacs.TransactionCode(collection.transaction_code),
                collection.amount,
                mandate.reference,
                collection.processing_date,
            )
            for collection, mandate in scheduled
        ]
        if not instructions and not collections:
            return []
        council = originator(self.session)
        problems = [
            str(p)
            for name, records in (("instructions", instructions), ("collections", collections))
            if records
            for p in bacs.check_submission(council, records)
        ]
        if problems:
            raise BadInput(
                "Bacs would refuse these records, so nothing was done:\n  " + "\n  ".join(problems)
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BadInput(f"cannot create {folder}: {exc.strerror}") from exc
        stem = f"dd-{self.as_of.isoformat()}-{self.batch.id:06d}"
        files: list[tuple[Path, Path]] = []
        try:
            for name, records in (("instructions", instructions), ("collections", collections)):
                if not records:
                    continue
                for suffix, text in (
                    ("std18.txt", bacs.standard18_file(council, records)),
                    ("bureau.csv", bacs.bureau_csv(council, records)),
                ):
                    final = folder / f"{stem}-{name}.{suffix}"
                    part = final.with_name(final.name + ".part")
                    files.append((part, final))
                    part.write_bytes(text.encode("ascii"))
        except OSError as exc:
            for part, _ in files:
                part.unlink(missing_ok=True)
            raise BadInput(f"cannot write the bureau files in {folder}: {exc}") from exc
        return files


def describe(result: DdRunResult) -> str:
    """One line for the CLI and the GUI."""
    return (
        f"dd run {result.as_of:%d/%m/%Y}: {result.instructions} instructions, "
        f"{result.scheduled} collections scheduled, {result.collected} collected "
        f"({format_pounds(result.collected_total)})"
    )
