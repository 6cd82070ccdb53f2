"""``debtdesk recovery run --as-of D``: move overdue accounts on through the recovery stages.

One transaction, one at a time, never back-dated, and a second run for the same date
does nothing new (CLI.md). In order:

1. Payment plans broken or completed by ``as_of`` are recorded (services.payment_plans).
2. An account that had reached a stage and has nothing overdue any more leaves recovery
   (a ``cleared`` event).
3. Every overdue account not on hold is given the stages domain.recovery says are due:
   the next one, or, when the team chose it (``recovery.highest_stage``), the highest
   eligible one. The account is recorded at that stage, effective ``as_of``.
4. What the stage does: a letter (one PDF per account and one print file, archived and
   noted on the account), a phone task, or a task for a step the officer carries out.

The files are written into a staging folder and moved into place once the run has
committed; a failed or cancelled run keeps nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Batch, Document, RecoveryEvent, Task
from debtdesk.db.types import utcnow
from debtdesk.documents.batch import BatchCancelled, BatchItem, render_batch
from debtdesk.domain.documents import TEMPLATES, DocumentKind
from debtdesk.domain.money import format_pounds
from debtdesk.domain.recovery import Channel, RecoveryFacts, Stage, stages_due
from debtdesk.domain.roles import Permission
from debtdesk.domain.tasks import TaskKind
from debtdesk.domain.working_days import add_working_days
from debtdesk.services import audit, run_lock
from debtdesk.services.batches import last_finished
from debtdesk.services.contact_notes import log_letter
from debtdesk.services.database import Database
from debtdesk.services.documents import (
    compress,
    documents_folder,
    template_problems,
    templates,
)
from debtdesk.services.errors import BadInput
from debtdesk.services.holds import held_accounts
from debtdesk.services.letters import letter_preview
from debtdesk.services.payment_plans import kept_plans, review_plans
from debtdesk.services.recovery_facts import (
    CLEARED,
    Overdue,
    StageHistory,
    customer_types,
    last_failed_debits,
    overdue_at,
    stage_histories,
)
from debtdesk.services.referrals import open_referrals
from debtdesk.services.settings import get_setting, recovery_policy
from debtdesk.services.sql import insert_ids
from debtdesk.services.statement_run import RunCancelled
from debtdesk.services.tasks import task_row
from debtdesk.services.users import require

RUN_KIND = "recovery_run"
LOCK = "recovery run"
TASK_WORKING_DAYS = 2
"""A stage's phone call or step is due two working days after the run."""

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RecoveryRunResult:
    as_of: date
    advanced: int
    """Accounts whose stage changed (cleared ones included)."""
    letters: int
    tasks: int
    cleared: int
    plans_ended: int
    print_file: Path | None
    message: str


@dataclass(frozen=True)
class _Move:
    account_id: int
    stage: Stage


class RecoveryRuns:
    def __init__(self, db: Database) -> None:
        self._db = db

    def run(
        self,
        as_of: date,
        out: Path | None = None,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> RecoveryRunResult:
        """Make the recovery run for ``as_of``.

        Raises:
            NotAllowed: the login may not run batches.
            BadInput: a run for a later date was made already, or another run is going.
            RunCancelled: ``cancelled`` said so; nothing was kept.
        """
        report = progress or (lambda _stage, _done, _total: None)
        stop = cancelled or (lambda: False)
        staging: Path | None = None
        final: Path | None = None
        try:
            with template_problems(), self._db.sessions() as session, session.begin():
                require(session, self._db.actor, Permission.RUN_BATCHES)
                run_lock.acquire(session, LOCK)
                already = _already(session, as_of)
                if already is not None:
                    return already
                base = out or documents_folder(session, self._db)
                final = base / f"recovery-{as_of.isoformat()}"
                staging = base / f".recovery-{as_of.isoformat()}.partial"
                shutil.rmtree(staging, ignore_errors=True)
                batch = Batch(kind=RUN_KIND, as_of=as_of, parameters={}, actor=self._db.actor)
                session.add(batch)
                session.flush()
                result = self._run(session, batch, as_of, staging, final, report, stop)
        except BaseException:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            raise
        if staging is not None and final is not None and staging.exists():
            if final.exists():
                shutil.rmtree(final)
            staging.rename(final)
        return result

    def _run(
        self,
        session: Session,
        batch: Batch,
        as_of: date,
        staging: Path,
        final: Path,
        report: Progress,
        stop: Callable[[], bool],
    ) -> RecoveryRunResult:
        actor = self._db.actor
        report("Payment plans", 0, 1)
        ended = review_plans(session, as_of, actor, batch.id)
        report("Finding overdue accounts", 0, 1)
        overdue = overdue_at(session, as_of)
        histories = stage_histories(session)
        cleared = sorted(a for a in histories if a not in overdue)
        events: list[dict[str, object]] = [
            _event(a, CLEARED, as_of, batch.id, actor, "nothing overdue: recovery ended")
            for a in cleared
        ]
        moves = self._moves(session, as_of, overdue, histories)
        if stop():
            raise RunCancelled
        letters = [m for m in moves if m.stage.channel is Channel.LETTER]
        documents = self._letters(session, batch, as_of, letters, staging, final, report, stop)
        task_due = add_working_days(as_of, TASK_WORKING_DAYS)
        tasks = [
            task_row(
                m.account_id,
                TaskKind.RECOVERY_CALL
                if m.stage.channel is Channel.PHONE_TASK
                else TaskKind.RECOVERY_STEP,
                task_due,
                f"{m.stage.name}: reached on {as_of:%d/%m/%Y}, "
                f"{format_pounds(overdue[m.account_id].amount)} overdue",
                actor=actor,
                batch_id=batch.id,
            )
            for m in moves
            if m.stage.channel is not Channel.LETTER
        ]
        task_ids = insert_ids(session.connection(), Task, tasks)
        task_of = dict(
            zip(
                [m.account_id for m in moves if m.stage.channel is not Channel.LETTER],
                task_ids,
                strict=True,
            )
        )
        for move in moves:
            events.append(
                _event(
                    move.account_id,
                    move.stage.code,
                    as_of,
                    batch.id,
                    actor,
                    "",
                    document_id=documents.get(move.account_id),
                    task_id=task_of.get(move.account_id),
                )
            )
        if events:
            session.connection().execute(insert(RecoveryEvent), events)
        print_file = final / f"print-{as_of.isoformat()}.pdf" if letters else None
        batch.finished_at = utcnow()
        batch.parameters = {
            "advanced": len(moves) + len(cleared),
            "letters": len(letters),
            "tasks": len(tasks),
            "cleared": len(cleared),
            "plans_ended": len(ended),
            "print_file": str(print_file) if print_file else None,
        }
        audit.record(session, actor, "recovery.run", "batch", batch.id, None, batch.parameters)
        return RecoveryRunResult(
            as_of,
            len(moves) + len(cleared),
            len(letters),
            len(tasks),
            len(cleared),
            len(ended),
            print_file,
            f"recovery run for {as_of:%d/%m/%Y}: {len(moves)} account(s) moved on a stage, "
            f"{len(cleared)} left recovery; {len(letters)} letter(s), {len(tasks)} task(s); "
            f"{len(ended)} payment plan(s) ended",
        )

    def _moves(
        self,
        session: Session,
        as_of: date,
        overdue: dict[int, Overdue],
        histories: dict[int, StageHistory],
    ) -> list[_Move]:
        """Each overdue account's stage due at ``as_of``, if any."""
        policy = recovery_policy(session)
        highest = get_setting(session, "recovery.highest_stage") == "yes"
        held = held_accounts(session, overdue, as_of) | set(open_referrals(session, overdue, as_of))
        kept = kept_plans(session, overdue, as_of)
        types = customer_types(session)
        reasons = last_failed_debits(session)
        moves: list[_Move] = []
        for account_id in sorted(overdue):
            if account_id in held:
                continue
            history = histories.get(account_id) or StageHistory()
            due = overdue[account_id]
            code, is_business = types[account_id]
            facts = RecoveryFacts(
                customer_type=code,
                is_business=is_business,
                reached=history.reached,
                current=history.current,
                oldest_overdue_due=due.oldest_due,
                overdue=due.amount,
                kept_plan=account_id in kept,
                on_hold=False,
                last_failed_dd_reason=reasons.get(account_id),
            )
            found = stages_due(policy, facts, as_of, highest=highest)
            if found:
                moves.append(_Move(account_id, found[-1].stage))
        return moves

    def _letters(
        self,
        session: Session,
        batch: Batch,
        as_of: date,
        letters: list[_Move],
        staging: Path,
        final: Path,
        report: Progress,
        stop: Callable[[], bool],
    ) -> dict[int, int]:
        """Render the stages' letters; archive each; the document id per account."""
        if not letters:
            return {}
        engine = templates(session)
        previews = [
            letter_preview(
                session,
                m.account_id,
                DocumentKind(m.stage.template),
                as_of,
                "",
                (),
                self._db.actor,
                engine,
            )  # fmt: skip
            for m in letters
        ]
        reference = {
            account_id: ref
            for account_id, ref in session.execute(
                select(Account.id, Account.reference).where(
                    Account.id.in_([m.account_id for m in letters])
                )
            ).tuples()
        }
        names = [
            f"{reference[m.account_id]}-{m.stage.template}-{as_of.isoformat()}.pdf" for m in letters
        ]

        def items() -> Iterator[BatchItem]:
            for preview, name in zip(previews, names, strict=True):
                yield BatchItem(preview.html, preview.footer, staging / "accounts" / name)

        try:
            rendered = render_batch(
                items(),
                staging / f"print-{as_of.isoformat()}.pdf",
                count=len(letters),
                progress=lambda done, total: report("Rendering letters", done, total),
                cancelled=stop,
                title=f"Recovery letters for {as_of:%d/%m/%Y}",
                logo=previews[0].logo,
            )
        except BatchCancelled as exc:
            raise RunCancelled from exc
        rows = [
            {
                "account_id": m.account_id,
                "kind": DocumentKind(m.stage.template),
                "title": preview.title,
                "template": TEMPLATES[DocumentKind(m.stage.template)],
                "issued_on": as_of,
                "batch_id": batch.id,
                "actor": self._db.actor,
                "html_zlib": compress(preview.html),
                "path": str(final / "accounts" / name),
                "sha256": done.sha256,
                "pages": done.pages,
            }
            for m, preview, name, done in zip(letters, previews, names, rendered.items, strict=True)
        ]
        ids = insert_ids(session.connection(), Document, rows)
        for m, preview, document_id in zip(letters, previews, ids, strict=True):
            log_letter(
                session, m.account_id, document_id, preview.title, preview.addressee,
                self._db.actor,
            )  # fmt: skip
        return {m.account_id: document_id for m, document_id in zip(letters, ids, strict=True)}


def _event(
    account_id: int,
    stage: str,
    on: date,
    batch_id: int,
    actor: str,
    note: str,
    *,
    document_id: int | None = None,
    task_id: int | None = None,
) -> dict[str, object]:
    return {
        "account_id": account_id,
        "stage": stage,
        "effective_date": on,
        "batch_id": batch_id,
        "document_id": document_id,
        "task_id": task_id,
        "actor": actor,
        "note": note,
        "at": utcnow(),
    }


def _already(session: Session, as_of: date) -> RecoveryRunResult | None:
    """Zeros for a date already run; a refusal for one before the last run's."""
    last = last_finished(session, RUN_KIND)
    if last is None or last.as_of is None or last.as_of < as_of:
        return None
    if last.as_of > as_of:
        raise BadInput(
            f"the last recovery run was for {last.as_of:%d/%m/%Y}; a run for an earlier "
            f"date ({as_of:%d/%m/%Y}) cannot be made"
        )
    print_file = (last.parameters or {}).get("print_file")
    return RecoveryRunResult(
        as_of,
        0,
        0,
        0,
        0,
        0,
        Path(str(print_file)) if print_file else None,
        f"the recovery run for {as_of:%d/%m/%Y} was made on {last.started_at:%d/%m/%Y} by "
        f"{last.actor}; nothing new",
    )
