"""Payments and returned payments staged and posted in bulk, then allocated.

An import or run that moves money on thousands of accounts (a dd run, an ARUDD, a bank
statement) stages its entries here and posts them with one multi-row INSERT, one UPDATE
per account's balance, and allocation a few queries per 500 accounts, where
:func:`~debtdesk.services.ledger.post_entry` would take several statements per entry.
The rules are the ledger's: a returned payment reverses the payment it names and undoes
what that payment paid; the account's credit is then allocated oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Allocation, LedgerEntry
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.services.errors import BadInput
from debtdesk.services.ledger import allocate_accounts
from debtdesk.services.sql import chunks, insert_ids, unindexed


@dataclass
class Postings:
    """Entries waiting to be posted together for one batch."""

    batch_id: int
    actor: str
    source: EntrySource
    _rows: list[dict[str, object]] = field(default_factory=list)
    _named: dict[int, int] = field(default_factory=dict)  # row index -> invoice it names
    _reversed: set[int] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self._rows)

    def payment(
        self,
        account_id: int,
        amount: int,
        effective: date,
        method: PaymentMethod,
        *,
        reference: str = "",
        description: str = "",
        invoice_id: int | None = None,
    ) -> int:
        """Stage a payment of ``amount`` pence received; its place in the posted ids.

        Args:
            invoice_id: an invoice the payment names: it pays that one first.

        Raises:
            BadInput: the amount is not more than zero.
        """
        if amount <= 0:
            raise BadInput(f"a payment must be more than zero, not {amount} pence")
        if invoice_id is not None:
            self._named[len(self._rows)] = invoice_id
        return self._stage(
            account_id, EntryKind.PAYMENT, -amount, effective, method, reference, description, None
        )

    def returned(
        self,
        account_id: int,
        payment_entry_id: int,
        amount: int,
        effective: date,
        *,
        reference: str = "",
        description: str = "",
    ) -> int:
        """Stage the return of a direct debit payment: a returned-payment entry naming it.

        Raises:
            BadInput: the payment was already reversed, or the amount is not more than zero.
        """
        if amount <= 0:
            raise BadInput(f"a returned payment must be more than zero, not {amount} pence")
        if payment_entry_id in self._reversed:
            raise BadInput(f"payment entry {payment_entry_id} is returned twice")
        self._reversed.add(payment_entry_id)
        return self._stage(
            account_id,
            EntryKind.RETURNED_PAYMENT,
            amount,
            effective,
            PaymentMethod.DIRECT_DEBIT,
            reference,
            description,
            payment_entry_id,
        )

    def _stage(
        self,
        account_id: int,
        kind: EntryKind,
        amount: int,
        effective: date,
        method: PaymentMethod,
        reference: str,
        description: str,
        reverses_id: int | None,
    ) -> int:
        self._rows.append(
            {
                "account_id": account_id,
                "kind": kind,
                "amount": amount,
                "effective_date": effective,
                "source": self.source,
                "actor": self.actor,
                "batch_id": self.batch_id,
                "invoice_id": None,
                "period_start": None,
                "method": method,
                "reference": reference[:60],
                "description": description,
                "reverses_id": reverses_id,
            }
        )
        return len(self._rows) - 1

    def post(self, session: Session) -> list[int]:
        """Write the staged entries, undo what returned payments paid, allocate; the ids.

        Raises:
            BadInput: a returned payment names an entry already reversed.
        """
        if not self._rows:
            return []
        connection = session.connection()
        self._refuse_reversed_twice(session)
        ids = insert_ids(connection, LedgerEntry, self._rows)
        moved: dict[int, int] = {}
        for row in self._rows:
            account_id = int(row["account_id"])  # type: ignore[call-overload]
            moved[account_id] = moved.get(account_id, 0) + int(row["amount"])  # type: ignore[call-overload]
        connection.execute(
            update(Account)
            .where(Account.id == bindparam("moved_account"))
            .values(balance=Account.balance + bindparam("moved_by")),
            [{"moved_account": a, "moved_by": amount} for a, amount in moved.items()],
        )
        self._undo_allocations(session)
        named = {ids[index]: invoice_id for index, invoice_id in self._named.items()}
        allocate_accounts(session, moved, self.actor, named)
        return ids

    def _refuse_reversed_twice(self, session: Session) -> None:
        wanted = sorted(self._reversed)
        for chunk in chunks(wanted):
            already = session.scalars(
                select(LedgerEntry.reverses_id).where(LedgerEntry.reverses_id.in_(chunk))
            ).first()
            if already is not None:
                raise BadInput(f"payment entry {already} was already returned")

    def _undo_allocations(self, session: Session) -> None:
        """A returned payment no longer pays its invoices: undo each live allocation."""
        effective = {
            int(row["reverses_id"]): row["effective_date"]  # type: ignore[call-overload]
            for row in self._rows
            if row["reverses_id"] is not None
        }
        wanted = sorted(effective)
        undo: list[dict[str, object]] = []
        for chunk in chunks(wanted):
            undone = set(
                session.scalars(
                    select(Allocation.reverses_id).where(
                        Allocation.entry_id.in_(chunk), Allocation.reverses_id.is_not(None)
                    )
                )
            )
            for allocation in session.execute(
                select(
                    Allocation.id,
                    Allocation.account_id,
                    Allocation.entry_id,
                    Allocation.invoice_id,
                    Allocation.amount,
                    Allocation.effective_date,
                ).where(Allocation.entry_id.in_(chunk), unindexed(Allocation.reverses_id).is_(None))
            ):
                if allocation.id in undone:
                    continue
                undo.append(
                    {
                        "account_id": allocation.account_id,
                        "entry_id": allocation.entry_id,
                        "invoice_id": allocation.invoice_id,
                        "amount": -allocation.amount,
                        "effective_date": max(
                            effective[allocation.entry_id], allocation.effective_date
                        ),
                        "actor": self.actor,
                        "reverses_id": allocation.id,
                    }
                )
        if undo:
            session.connection().execute(insert(Allocation), undo)
