"""``debtdesk import bacs FILE``: apply an ARUDD, ADDACS or AUDDIS report, whole or not at all.

The file is read and checked whole first (importers.bacs_reports: malformed or hostile
XML, bad values); then its service user number must be the council's (setting
``bacs.service_user_number``; unset, the import says so); then the same bytes must not
have been imported before. Only then is it applied, in one transaction, as a batch whose
items (:class:`BacsItem`) list what became of each.

* **ARUDD** (issue 4 item 3): each item matches the collection with the same direct
  debit reference (trimmed) and amount whose collection date is within 5 working days
  of the item's original processing date, nearest first. The collected payment is
  reversed by a returned-payment entry naming it, effective on the report's processing
  date (a matched collection not yet posted is posted first, on its collection date, so
  the account shows both). The reason (1-character or 4-digit code, domain.bacs_codes)
  decides what happens to the mandate and the follow-up task; the account is flagged
  ``dd_returned``. An item matching no collection is counted unmatched and listed.
* **ADDACS**: the mandate is kept, held, cancelled (no 0C: the bank has cancelled it),
  updated with the new details, or reinstated, as the code says; a cancelled or held
  mandate's scheduled collections from the effective date are cancelled.
* **AUDDIS**: a file-level acceptance marks the mandates that file lodged as accepted; a
  rejected file puts them back to pending, to be lodged again; an instruction the paying
  bank rejected fails its mandate and cancels its collections.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, BacsItem, Batch, Collection, Mandate, MandateEvent, Task
from debtdesk.db.types import utcnow
from debtdesk.domain.bacs_codes import FollowUp, MandateChange
from debtdesk.domain.bacs_submission import TransactionCode
from debtdesk.domain.caseload import MandateStatus
from debtdesk.domain.direct_debit import CollectionStatus, MandateEventKind
from debtdesk.domain.ledger import EntrySource
from debtdesk.domain.money import format_pounds
from debtdesk.domain.roles import Permission
from debtdesk.domain.tasks import TaskKind
from debtdesk.domain.working_days import add_working_days, working_days_apart
from debtdesk.importers.bacs_reports import (
    AddacsReport,
    Amendment,
    AruddReport,
    AuddisReport,
    BacsReport,
    RejectedInstruction,
    ReturnedDebit,
    SubmissionResult,
    read_bacs_report,
)
from debtdesk.services.database import Database
from debtdesk.services.dd_run import post_collections
from debtdesk.services.errors import BadInput
from debtdesk.services.imports import FileRefused, read_file, refuse_repeat
from debtdesk.services.mandates import ScheduledCollections, record_event, snapshot
from debtdesk.services.postings import Postings
from debtdesk.services.settings import get_setting
from debtdesk.services.sql import chunks, insert_ids
from debtdesk.services.tasks import task_row
from debtdesk.services.users import require

MATCH_WINDOW_WORKING_DAYS = 5
"""An ARUDD item matches a collection dated within this many working days of its original
processing date (issue 4 item 3)."""
ACT_WITHIN_WORKING_DAYS = 3
"""Tasks from a report are due this many working days after it (FACTS.md §5.1: act on an
ADDACS within 3 working days)."""
RETURNED_FLAG = "dd_returned"
NEW_INSTRUCTION = TransactionCode.NEW_INSTRUCTION.value
CANCEL_INSTRUCTION = TransactionCode.CANCEL_INSTRUCTION.value

_FOLLOW_UP_TASKS = {
    FollowUp.RE_PRESENT: TaskKind.RE_PRESENT,
    FollowUp.NEW_INSTRUCTION: TaskKind.NEW_INSTRUCTION,
    FollowUp.OTHER_PAYMENT_METHOD: TaskKind.OTHER_PAYMENT_METHOD,
    FollowUp.DECEASED: TaskKind.DECEASED,
    FollowUp.STOP_UNTIL_RESOLVED: TaskKind.STOP_UNTIL_RESOLVED,
    FollowUp.CHECK_INSTRUCTION: TaskKind.CHECK_INSTRUCTION,
}
# AUDDIS rejection reasons (FACTS.md §5.2) and the follow-up each calls for.
_AUDDIS_TASKS = {
    "1": TaskKind.OTHER_PAYMENT_METHOD,
    "2": TaskKind.DECEASED,
    "3": TaskKind.NEW_INSTRUCTION,
    "B": TaskKind.NEW_INSTRUCTION,
    "C": TaskKind.NEW_INSTRUCTION,
    "K": TaskKind.NEW_INSTRUCTION,
}


@dataclass(frozen=True)
class BacsImportResult:
    kind: str
    items: int
    applied: int
    unmatched: int
    total: int
    """The report's items' value in pence (ARUDD); 0 for the others."""
    batch: int
    file_name: str

    @property
    def message(self) -> str:
        money = f", {format_pounds(self.total)}" if self.total else ""
        return (
            f"{self.file_name}: {self.kind} with {self.items} item{'' if self.items == 1 else 's'}"
            f"{money}: "
            f"{self.applied} applied, {self.unmatched} unmatched (batch {self.batch})"
        )


class BacsImports:
    """Applying Bacs reports, for the CLI and the GUI."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def apply(self, path: Path) -> BacsImportResult:
        """Check the whole report, then apply it in one transaction.

        Raises:
            BadInput: the file cannot be read, is refused (every problem listed), is not
                for the council's service user number, or was imported before; nothing
                was imported.
        """
        data, sha256 = read_file(path)
        report, problems = read_bacs_report(data, path.name)
        if problems or report is None:
            raise FileRefused(path.name, problems or ["not a Bacs report"])
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.RUN_BATCHES)
            _check_service_user(session, report)
            refuse_repeat(session, path.name, sha256)
            batch = Batch(
                kind=f"bacs_{report.kind.value.lower()}",
                file_name=path.name,
                file_sha256=sha256,
                as_of=report.report_date,
                actor=self._db.actor,
                parameters={},
            )
            session.add(batch)
            session.flush()
            applier = _Applier(session, batch, self._db.actor, report.report_date)
            if isinstance(report, AruddReport):
                applier.arudd(report)
                total = sum(item.amount for item in report.items)
            elif isinstance(report, AddacsReport):
                applier.addacs(report)
                total = 0
            else:
                applier.auddis(report)
                total = 0
            applier.finish()
            batch.parameters = {
                "items": applier.items,
                "applied": applier.applied,
                "unmatched": applier.unmatched,
                "total": total,
            }
            batch.finished_at = utcnow()
            return BacsImportResult(
                report.kind.value,
                applier.items,
                applier.applied,
                applier.unmatched,
                total,
                batch.id,
                path.name,
            )


def _check_service_user(session: Session, report: BacsReport) -> None:
    ours = get_setting(session, "bacs.service_user_number")
    if not ours:
        raise BadInput(
            f"{report.name}: the council's Bacs service user number is not set, so the "
            "report cannot be checked; set it (debtdesk settings set "
            "bacs.service_user_number NNNNNN); nothing was imported"
        )
    if report.service_user_number != ours:
        raise FileRefused(
            report.name,
            [
                f"service user number {report.service_user_number} is not the council's "
                f"({ours}): this report is for another service user"
            ],
        )


class _Applier:
    def __init__(self, session: Session, batch: Batch, actor: str, report_date: date) -> None:
        self.session = session
        self.batch = batch
        self.actor = actor
        self.report_date = report_date
        self.task_due = add_working_days(report_date, ACT_WITHIN_WORKING_DAYS)
        self.items = self.applied = self.unmatched = 0
        self.scheduled = ScheduledCollections(session)
        self._rows: list[dict[str, object]] = []  # the batch's items, written by finish
        self._tasks: list[tuple[int, TaskKind, str, int]] = []  # the item's place in _rows
        self._history: list[dict[str, object]] = []  # returned-debit mandate events

    # --- shared -------------------------------------------------------------------------

    def _mandates(self, references: list[str]) -> dict[str, Mandate]:
        wanted = sorted({ref.strip() for ref in references})
        found: dict[str, Mandate] = {}
        for chunk in chunks(wanted):
            for mandate in self.session.scalars(
                select(Mandate).where(Mandate.reference.in_(chunk))
            ):
                found[mandate.reference] = mandate
        self.scheduled.load(mandate.id for mandate in found.values())
        return found

    def _item(self, outcome: str, **values: object) -> int:
        """An item for the batch, written by :meth:`finish`; its place among them."""
        self.items += 1
        if outcome == "unmatched":
            self.unmatched += 1
        else:
            self.applied += 1
        self._rows.append({**_ITEM, "batch_id": self.batch.id, "outcome": outcome, **values})
        return len(self._rows) - 1

    def _no_mandate(self, values: dict[str, object]) -> None:
        """An item naming a reference no mandate has: listed on the batch as unmatched."""
        self._item(
            "unmatched", detail=f"no mandate has the reference {values['reference']!r}", **values
        )

    def _task(self, account_id: int, kind: TaskKind, details: str, item: int) -> None:
        """A follow-up for the item, made by :meth:`finish` once the items have ids."""
        self._tasks.append((account_id, kind, details, item))

    def finish(self) -> None:
        """Cancel the scheduled collections asked for; write the items, then their tasks
        and the returned debits' mandate history, a multi-row INSERT each."""
        self.scheduled.apply()
        if not self._rows:
            return
        connection = self.session.connection()
        ids = insert_ids(connection, BacsItem, self._rows)
        if self._tasks:
            connection.execute(
                insert(Task),
                [
                    task_row(
                        account_id,
                        kind,
                        self.task_due,
                        details,
                        actor=self.actor,
                        batch_id=self.batch.id,
                        bacs_item_id=ids[item],
                    )
                    for account_id, kind, details, item in self._tasks
                ],
            )
        if self._history:
            connection.execute(insert(MandateEvent), self._history)

    def _event(
        self,
        mandate: Mandate,
        kind: MandateEventKind,
        effective: date,
        before: dict[str, object] | None,
        reason: str,
    ) -> None:
        """The mandate's history event, as part of this batch."""
        record_event(
            self.session,
            mandate,
            kind,
            effective,
            before,
            actor=self.actor,
            reason=reason,
            batch_id=self.batch.id,
        )

    def _change(self, mandate: Mandate, change: MandateChange, effective: date, reason: str) -> str:
        """Apply what a report item does to its mandate; a few words on what was done."""
        before = snapshot(mandate)
        kind: MandateEventKind | None = None
        done = ""
        if change is MandateChange.CANCEL and mandate.status in (
            MandateStatus.LIVE,
            MandateStatus.PENDING,
        ):
            mandate.status = MandateStatus.CANCELLED
            mandate.instruction_due = None
            kind, done = MandateEventKind.CANCELLED, "mandate cancelled"
        elif change is MandateChange.SUSPEND and mandate.hold_reason is None:
            mandate.hold_reason = reason
            kind, done = MandateEventKind.HELD, "collections held"
        elif change is MandateChange.REINSTATE and mandate.instruction_due == CANCEL_INSTRUCTION:
            # The council's own cancellation is waiting to go: it stands, and its 0C goes.
            kind = MandateEventKind.AMENDED
            done = "the bank reinstated it, but the council's cancellation stands (0C to follow)"
        elif change is MandateChange.REINSTATE:
            mandate.status = MandateStatus.LIVE
            mandate.hold_reason = None
            kind, done = MandateEventKind.REINSTATED, "mandate reinstated"
        if change.stops_collections:
            cancelled = self.scheduled.cancel(mandate.id, effective, reason)
            if cancelled:
                done += f"; {cancelled} scheduled collection(s) cancelled"
        if kind is not None:
            self._event(mandate, kind, effective, before, reason)
        return done

    # --- ARUDD ----------------------------------------------------------------------------

    def arudd(self, report: AruddReport) -> None:
        mandates = self._mandates([item.reference for item in report.items])
        pool = self._collections(report, mandates)
        matches: list[tuple[ReturnedDebit, Mandate | None, Collection | None]] = []
        for item in report.items:
            mandate = mandates.get(item.reference.strip())
            collection = (
                self._match(item, pool[mandate.id], report.report_date) if mandate else None
            )
            matches.append((item, mandate, collection))
        # A matched collection the dd run has not posted yet is posted first.
        unposted = [c for _, _, c in matches if c is not None and c.payment_entry_id is None]
        if unposted:
            by_id = {mandate.id: mandate for mandate in mandates.values()}
            post_collections(
                self.session,
                [(c, by_id[c.mandate_id].reference) for c in unposted],
                Postings(self.batch.id, self.actor, EntrySource.BATCH),
            )
        returns = Postings(self.batch.id, self.actor, EntrySource.BATCH)
        for item, _, collection in matches:
            if collection is not None and collection.payment_entry_id is not None:
                returns.returned(
                    collection.account_id,
                    collection.payment_entry_id,
                    collection.amount,
                    report.report_date,
                    reference=item.reference.strip(),
                    description=f"Direct debit returned unpaid: {_reason_text(item)}",
                )
        returned_ids = iter(returns.post(self.session))
        flagged: set[int] = set()
        for item, mandate, collection in matches:
            if mandate is None or collection is None:
                self._unmatched_return(item, mandate)
                continue
            collection.status = CollectionStatus.RETURNED
            collection.return_entry_id = next(returned_ids)
            self._returned(report, item, mandate, collection)
            flagged.add(collection.account_id)
        self._flag(flagged)

    def _collections(
        self, report: AruddReport, mandates: dict[str, Mandate]
    ) -> dict[int, list[Collection]]:
        pool: dict[int, list[Collection]] = defaultdict(list)
        if not report.items or not mandates:
            return pool
        dates = [item.original_processing_date for item in report.items]
        low, high = min(dates) - timedelta(days=14), max(dates) + timedelta(days=14)
        ids = sorted(m.id for m in mandates.values())
        for chunk in chunks(ids):
            for collection in self.session.scalars(
                select(Collection).where(
                    Collection.mandate_id.in_(chunk),
                    Collection.status.in_((CollectionStatus.COLLECTED, CollectionStatus.SCHEDULED)),
                    Collection.collection_date.between(low, high),
                )
            ):
                pool[collection.mandate_id].append(collection)
        return pool

    @staticmethod
    def _match(
        item: ReturnedDebit, candidates: list[Collection], report_date: date
    ) -> Collection | None:
        """The nearest collection of the item's amount within the window, collected by the
        report's date (a return cannot come before the money moved); taken from the pool."""
        best: tuple[int, int, Collection] | None = None
        for collection in candidates:
            if collection.amount != item.amount or collection.collection_date > report_date:
                continue
            apart = working_days_apart(collection.collection_date, item.original_processing_date)
            if apart > MATCH_WINDOW_WORKING_DAYS:
                continue
            key = (apart, -collection.id)
            if best is None or key < best[:2]:
                best = (*key, collection)
        if best is None:
            return None
        candidates.remove(best[2])
        return best[2]

    def _returned(
        self, report: AruddReport, item: ReturnedDebit, mandate: Mandate, collection: Collection
    ) -> None:
        reason = item.reason
        text = _reason_text(item)
        done = ""
        if reason is not None:
            done = self._change(
                mandate, reason.mandate, report.report_date, f"ARUDD {item.return_code}: {text}"
            )
        self._history.append(
            {
                "mandate_id": mandate.id,
                "kind": MandateEventKind.RETURNED_DEBIT,
                "effective_date": report.report_date,
                "reason": f"{format_pounds(item.amount)} collected "
                f"{collection.collection_date:%d/%m/%Y} returned: {text}",
                "before": None,
                "after": None,
                "batch_id": self.batch.id,
                "actor": self.actor,
                "at": utcnow(),
            }
        )
        detail = (
            f"{format_pounds(item.amount)} collected {collection.collection_date:%d/%m/%Y} "
            f"returned unpaid ({text})"
        )
        if done:
            detail += f"; {done}"
        entry = self._item(
            "applied",
            amount=item.amount,
            **_as_reported(item, item.return_code, item.return_description),
            detail=detail,
            account_id=collection.account_id,
            mandate_id=mandate.id,
            collection_id=collection.id,
        )
        if reason is None:
            kind = TaskKind.UNKNOWN_RETURN
            action = "The code is not in the table: decide what to do with the mandate."
        else:
            kind = _FOLLOW_UP_TASKS.get(reason.follow_up, TaskKind.CHECK_INSTRUCTION)
            action = reason.action + "."
            if reason.follow_up is FollowUp.RE_PRESENT:
                last = item.original_processing_date + relativedelta(months=1)
                action += f" Re-present by {last:%d/%m/%Y} at the latest."
        self._task(collection.account_id, kind, f"{detail}. {action}", entry)

    def _unmatched_return(self, item: ReturnedDebit, mandate: Mandate | None) -> None:
        if mandate is None:
            why = f"no mandate has the reference {item.reference.strip()!r}"
        else:
            why = (
                f"no collection of {format_pounds(item.amount)} under {mandate.reference} "
                f"within {MATCH_WINDOW_WORKING_DAYS} working days of "
                f"{item.original_processing_date:%d/%m/%Y} is waiting to be returned"
            )
        self._item(
            "unmatched",
            amount=item.amount,
            **_as_reported(item, item.return_code, item.return_description),
            detail=why,
            account_id=mandate.account_id if mandate else None,
            mandate_id=mandate.id if mandate else None,
        )

    def _flag(self, account_ids: set[int]) -> None:
        """Flag the accounts ``dd_returned`` (one UPDATE of many rows; each one's version
        moves, so an officer's window open on it cannot write back the old flags)."""
        changed: list[dict[str, object]] = []
        for chunk in chunks(sorted(account_ids)):
            for account_id, flags in self.session.execute(
                select(Account.id, Account.flags).where(Account.id.in_(chunk))
            ):
                if RETURNED_FLAG not in flags:
                    changed.append({"flagged": account_id, "new_flags": [*flags, RETURNED_FLAG]})
        if changed:
            self.session.connection().execute(
                update(Account)
                .where(Account.id == bindparam("flagged"))
                .values(flags=bindparam("new_flags"), version=Account.version + 1),
                changed,
            )

    # --- ADDACS ---------------------------------------------------------------------------

    def addacs(self, report: AddacsReport) -> None:
        mandates = self._mandates([item.reference for item in report.items])
        for item in report.items:
            mandate = mandates.get(item.reference.strip())
            values = _as_reported(item, item.reason_code, item.reason.reason)
            if mandate is None:
                self._no_mandate(values)
                continue
            reason = f"ADDACS {item.reason_code}: {item.reason.reason}"
            change = item.mandate_change
            if change is MandateChange.UPDATE:
                done = self._update_details(
                    mandate,
                    item.new_sort_code,
                    item.new_account_number,
                    item.effective_date,
                    reason,
                    relodge=item.reason_code == "3",
                )
            else:
                done = self._change(mandate, change, item.effective_date, reason)
            entry = self._item(
                "applied",
                detail=done or "recorded; nothing to change",
                account_id=mandate.account_id,
                mandate_id=mandate.id,
                **values,
            )
            if item.follow_up is not FollowUp.NONE:
                kind = _FOLLOW_UP_TASKS.get(item.follow_up, TaskKind.CHECK_INSTRUCTION)
                details = (
                    f"{reason} (effective {item.effective_date:%d/%m/%Y}): {item.reason.action}"
                )
                self._task(mandate.account_id, kind, details, entry)

    def _update_details(
        self,
        mandate: Mandate,
        sort_code: str | None,
        account_number: str | None,
        effective: date,
        reason: str,
        *,
        relodge: bool,
    ) -> str:
        """New details from the paying bank. An account transferred to another bank (code 3)
        needs a new instruction (0N) on the new account, and no 0C to the old one; a move
        to another branch (C) needs neither (FACTS.md §5.2)."""
        before = snapshot(mandate)
        done = "instruction amended"
        if sort_code and account_number:
            mandate.sort_code = sort_code.replace("-", "")
            mandate.account_number = account_number
            mandate.set_up_by = None  # details from the bank, not keyed by an officer
            done = "new bank details recorded; collections continue"
            if relodge and mandate.status is MandateStatus.LIVE:
                mandate.instruction_due = NEW_INSTRUCTION
                done = "new bank details recorded; a new instruction (0N) goes at the next dd run"
        self._event(mandate, MandateEventKind.AMENDED, effective, before, reason)
        return done

    # --- AUDDIS ---------------------------------------------------------------------------

    def auddis(self, report: AuddisReport) -> None:
        for submission in report.submissions:
            if submission.accepted:
                detail = self._file_accepted(submission)
            else:
                detail = self._file_rejected(submission)
            self._item(
                "recorded",
                line=submission.line,
                reference=submission.originator_file_number,
                code=submission.file_error_code or ("V" if submission.accepted else "R"),
                description="file accepted" if submission.accepted else "file rejected",
                detail=detail,
            )
        self._rejected_instructions(report)

    def _file_accepted(self, submission: SubmissionResult) -> str:
        """The mandates that file lodged are confirmed."""
        lodged = self._lodged_on(submission.processing_date)
        for mandate in lodged:
            self._event(
                mandate,
                MandateEventKind.ACCEPTED,
                submission.processing_date,
                snapshot(mandate),
                f"AUDDIS: file {submission.originator_file_number} accepted",
            )
        return (
            f"file {submission.originator_file_number} of "
            f"{submission.processing_date:%d/%m/%Y} accepted: "
            f"{submission.accepted_count} instructions accepted, "
            f"{submission.rejected_count} rejected; {len(lodged)} mandate(s) confirmed"
        )

    def _file_rejected(self, submission: SubmissionResult) -> str:
        """Nothing in that file reached the banks: its 0Ns and 0Cs go again."""
        errors = "; ".join(submission.errors) or submission.file_error_code or ""
        rejected = f"AUDDIS: the whole file was rejected ({errors}); "
        lodged = self._lodged_on(submission.processing_date)
        for mandate in lodged:
            before = snapshot(mandate)
            mandate.status = MandateStatus.PENDING
            mandate.instruction_due = NEW_INSTRUCTION
            mandate.lodged_on = None
            self.scheduled.cancel(mandate.id, date.min, "Instruction file rejected")
            self._event(
                mandate,
                MandateEventKind.REJECTED,
                submission.processing_date,
                before,
                rejected + "lodged again at the next dd run",
            )
        cancellations = self._sent(MandateEventKind.CANCEL_SENT, submission.processing_date)
        for mandate in cancellations:
            before = snapshot(mandate)
            mandate.instruction_due = CANCEL_INSTRUCTION
            self._event(
                mandate,
                MandateEventKind.REJECTED,
                submission.processing_date,
                before,
                rejected + "the cancellation (0C) goes again at the next dd run",
            )
        return (
            f"file {submission.originator_file_number} of "
            f"{submission.processing_date:%d/%m/%Y} rejected ({errors}); "
            f"{len(lodged)} mandate(s) back to pending, to be lodged again; "
            f"{len(cancellations)} cancellation(s) to be sent again"
        )

    def _rejected_instructions(self, report: AuddisReport) -> None:
        """Instructions a paying bank refused: each fails its mandate."""
        mandates = self._mandates([item.reference for item in report.items])
        for rejected in report.items:
            mandate = mandates.get(rejected.reference.strip())
            values = _as_reported(
                rejected, rejected.reason_code, rejected.reason or "unknown reason"
            )
            if mandate is None:
                self._no_mandate(values)
                continue
            before = snapshot(mandate)
            mandate.status = MandateStatus.FAILED
            mandate.instruction_due = None
            cancelled = self.scheduled.cancel(
                mandate.id, date.min, "Instruction rejected by the paying bank"
            )
            reason = f"AUDDIS {rejected.reason_code}: {rejected.reason or 'unknown reason'}"
            self._event(
                mandate,
                MandateEventKind.REJECTED,
                rejected.effective_date or self.report_date,
                before,
                reason,
            )
            detail = "mandate failed"
            if cancelled:
                detail += f"; {cancelled} scheduled collection(s) cancelled"
            entry = self._item(
                "applied",
                detail=detail,
                account_id=mandate.account_id,
                mandate_id=mandate.id,
                **values,
            )
            kind = _AUDDIS_TASKS.get(rejected.reason_code, TaskKind.CHECK_INSTRUCTION)
            self._task(mandate.account_id, kind, f"{reason}: the instruction was rejected", entry)

    def _lodged_on(self, processing_date: date) -> list[Mandate]:
        """The mandates a dd run lodged (0N) with this processing date, still so."""
        return [
            m
            for m in self._sent(MandateEventKind.LODGED, processing_date)
            if m.lodged_on == processing_date
        ]

    def _sent(self, kind: MandateEventKind, processing_date: date) -> list[Mandate]:
        """The mandates whose instruction (0N or 0C) a dd run sent with this processing date."""
        return list(
            self.session.scalars(
                select(Mandate)
                .join(MandateEvent, MandateEvent.mandate_id == Mandate.id)
                .where(MandateEvent.kind == kind, MandateEvent.effective_date == processing_date)
                .order_by(Mandate.id)
            ).unique()
        )


_ITEM: dict[str, object] = {
    "line": None,
    "reference": "",
    "payer_name": "",
    "amount": None,
    "code": "",
    "description": "",
    "detail": "",
    "account_id": None,
    "mandate_id": None,
    "collection_id": None,
}
"""Every column of a Bacs item, so the rows of one INSERT name the same ones."""


def _as_reported(
    item: ReturnedDebit | Amendment | RejectedInstruction, code: str, description: str
) -> dict[str, object]:
    """An item's columns as the report gives them: where it is, who, the code and why."""
    return {
        "line": item.line,
        "reference": item.reference.strip(),
        "payer_name": item.payer_name,
        "code": code,
        "description": description,
    }


def _reason_text(item: ReturnedDebit) -> str:
    if item.reason is not None:
        return f"{item.reason.reason} (code {item.return_code})"
    return f"{item.return_description or 'no description'} (code {item.return_code}, not known)"
