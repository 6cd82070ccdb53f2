"""Officers' follow-up tasks: created by imports and runs, listed, and closed with an outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from debtdesk.db.models import Account, BacsItem, Batch, Task
from debtdesk.db.types import utcnow
from debtdesk.domain.roles import Permission
from debtdesk.domain.tasks import TASK_TITLES, TaskKind, TaskStatus
from debtdesk.services import audit
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.users import require


def task_row(
    account_id: int,
    kind: TaskKind,
    due: date,
    details: str,
    *,
    actor: str,
    batch_id: int | None = None,
    bacs_item_id: int | None = None,
) -> dict[str, object]:
    """An open task's values, for an ``insert(Task)`` of many in the caller's transaction."""
    return {
        "account_id": account_id,
        "kind": kind,
        "title": TASK_TITLES[kind],
        "details": details,
        "due_on": due,
        "status": TaskStatus.OPEN,
        "batch_id": batch_id,
        "bacs_item_id": bacs_item_id,
        "created_by": actor,
        "outcome": "",
    }


class Tasks:
    """Closing tasks."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def close(self, task_id: int, outcome: str, *, done: bool = True) -> None:
        """Mark a task done (or cancelled) with what came of it.

        Raises:
            NotFound: no such task.
            BadInput: it is already closed, or no outcome was given.
        """
        if not outcome.strip():
            raise BadInput("say what came of the task")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            task = session.get(Task, task_id)
            if task is None:
                raise NotFound(f"no task {task_id}")
            if task.status is not TaskStatus.OPEN:
                raise BadInput(f"task {task_id} is already {task.status.value}")
            task.status = TaskStatus.DONE if done else TaskStatus.CANCELLED
            task.closed_by = self._db.actor
            task.closed_at = utcnow()
            task.outcome = outcome.strip()
            audit.record(
                session,
                self._db.actor,
                "task.close",
                "task",
                task_id,
                {"status": TaskStatus.OPEN.value},
                {"status": task.status.value, "outcome": task.outcome},
            )


@dataclass(frozen=True)
class FailedDebitLine:
    """An open task from a Bacs report item: the failed-debit worklist's row."""

    task_id: int
    account_id: int
    account_ref: str
    client_name: str
    kind: str
    title: str
    details: str
    due_on: date
    report: str
    """The report's file name and kind."""
    reference: str
    code: str
    amount: int | None
    collection_id: int | None
    """The returned collection, which an officer may re-present."""


def failed_debits(db: Database) -> list[FailedDebitLine]:
    """Open tasks created by ARUDD, ADDACS and AUDDIS items, soonest due first."""
    with db.sessions() as session:
        rows = session.execute(
            select(Task, Account.reference, Account.client_name, BacsItem, Batch)
            .join(Account, Account.id == Task.account_id)
            .join(BacsItem, BacsItem.id == Task.bacs_item_id)
            .join(Batch, Batch.id == BacsItem.batch_id)
            .where(Task.status == TaskStatus.OPEN)
            .order_by(Task.due_on, Task.id)
        ).all()
        return [
            FailedDebitLine(
                task.id,
                task.account_id,
                reference,
                name,
                task.kind.value,
                task.title,
                task.details,
                task.due_on,
                f"{batch.file_name} ({batch.kind.removeprefix('bacs_').upper()})",
                item.reference,
                item.code,
                item.amount,
                item.collection_id,
            )
            for task, reference, name, item, batch in rows
        ]
