"""``debtdesk import bank FILE [--profile NAME]``: receipts from a bank statement, whole or not.

The file is read and checked whole first (importers.bank_statement: a camt.053 when it
is XML, else a CSV read with the named profile, ``generic`` by default); then the same
bytes must not have been imported before. Each credit is matched to an account by the
rules in :mod:`debtdesk.domain.receipts`; a matched receipt is posted as a payment
(effective on its booking date) and allocated, to the invoice it names first and then
oldest first; the rest wait in suspense for an officer. Debits on the statement are
never posted; their total is kept on the batch for the month-end reconciliation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    BankReceipt,
    Batch,
    Invoice,
    Mandate,
    Representative,
    Statement,
)
from debtdesk.db.types import utcnow
from debtdesk.domain.ledger import EntrySource, PaymentMethod
from debtdesk.domain.money import Pence, format_pounds
from debtdesk.domain.receipts import (
    MatchIndex,
    MatchRule,
    ReceiptMatch,
    ReceiptStatus,
    candidate_identifiers,
    identifier_key,
    match_receipt,
    name_key,
)
from debtdesk.domain.roles import Permission
from debtdesk.importers.bank_statement import (
    CAMT053_KIND,
    PROFILES,
    BankStatement,
    BankStatementError,
    StatementEntry,
    parse_bank_csv,
    parse_camt053,
)
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.imports import FileRefused, read_file, refuse_repeat
from debtdesk.services.postings import Postings
from debtdesk.services.sql import chunks
from debtdesk.services.users import require

KIND_PREFIX = "bank_"
_INVOICE_NUMBER = re.compile(r"^INV\d{8}$")
_STATEMENT_NUMBER = re.compile(r"^ST\d{8}$")


@dataclass(frozen=True)
class BankImportResult:
    kind: str
    items: int
    matched: int
    suspense: int
    total: Pence
    batch: int
    file_name: str

    @property
    def message(self) -> str:
        return (
            f"{self.file_name}: {self.kind} with {self.items} receipts, "
            f"{format_pounds(self.total)}: {self.matched} posted to accounts, "
            f"{self.suspense} to suspense (batch {self.batch})"
        )


def read_statement(data: bytes, name: str, profile: str | None) -> BankStatement:
    """Parse a whole bank statement: camt.053 when it is XML, else CSV by ``profile``.

    Raises:
        BadInput: an unknown profile, or the file is refused (every problem listed).
    """
    looks_xml = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    try:
        if profile is None and looks_xml:
            return parse_camt053(data, name)
        chosen = PROFILES.get(profile or "generic")
        if chosen is None:
            known = ", ".join(sorted(PROFILES))
            raise BadInput(f"unknown bank statement profile {profile!r}; the profiles are: {known}")
        return parse_bank_csv(data, name, chosen)
    except BankStatementError as exc:
        raise FileRefused(name, exc.problems) from None


class BankImports:
    """Importing bank statements, for the CLI and the GUI."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def apply(self, path: Path, profile: str | None = None) -> BankImportResult:
        """Check the whole statement, then post or hold each receipt in one transaction.

        Raises:
            BadInput: the file cannot be read, is refused, or was imported before;
                nothing was imported.
        """
        data, sha256 = read_file(path)
        statement = read_statement(data, path.name, profile)
        actor = self._db.actor
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.RUN_BATCHES)
            refuse_repeat(session, path.name, sha256)
            batch = Batch(
                kind=KIND_PREFIX + ("camt053" if statement.kind == CAMT053_KIND else "csv"),
                file_name=path.name,
                file_sha256=sha256,
                as_of=statement.period_end
                or max((e.date for e in (*statement.receipts, *statement.debits)), default=None),
                actor=actor,
                parameters={},
            )
            session.add(batch)
            session.flush()
            matches = match_all(session, statement.receipts)
            postings = Postings(batch.id, actor, EntrySource.BATCH)
            staged: dict[int, int] = {}
            for index, (receipt, match) in enumerate(zip(statement.receipts, matches, strict=True)):
                if match.account_id is not None:
                    staged[index] = postings.payment(
                        match.account_id,
                        receipt.amount,
                        receipt.date,
                        PaymentMethod.BANK_TRANSFER,
                        reference=receipt.reference,
                        description=_description(receipt),
                        invoice_id=match.invoice_id,
                    )
            ids = postings.post(session)
            rows = [
                _receipt_row(batch.id, receipt, match, ids[staged[i]] if i in staged else None)
                for i, (receipt, match) in enumerate(zip(statement.receipts, matches, strict=True))
            ]
            if rows:
                session.connection().execute(insert(BankReceipt), rows)
            matched = len(staged)
            batch.parameters = {
                "kind": statement.kind,
                "account": statement.account,
                "receipts": len(rows),
                "receipts_total": statement.receipts_total,
                "debits": len(statement.debits),
                "debits_total": sum(d.amount for d in statement.debits),
                "matched": matched,
                "suspense": len(rows) - matched,
            }
            batch.finished_at = utcnow()
            return BankImportResult(
                statement.kind,
                len(rows),
                matched,
                len(rows) - matched,
                statement.receipts_total,
                batch.id,
                path.name,
            )


def _description(receipt: StatementEntry) -> str:
    return f"Bank payment from {receipt.payer}" if receipt.payer else "Bank payment"


def _receipt_row(
    batch_id: int, receipt: StatementEntry, match: ReceiptMatch, entry_id: int | None
) -> dict[str, object]:
    return {
        "batch_id": batch_id,
        "source": (f"line {receipt.line}" if receipt.line is not None else receipt.element or "")[
            :120
        ],
        "received_on": receipt.date,
        "amount": receipt.amount,
        "reference": receipt.reference,
        "payer": (receipt.payer or "")[:200],
        "bank_reference": (receipt.bank_reference or "")[:80],
        "status": ReceiptStatus.MATCHED if entry_id is not None else ReceiptStatus.SUSPENSE,
        "rule": match.rule,
        "reason": match.reason,
        "account_id": match.account_id,
        "entry_id": entry_id,
        "version": 1,
    }


def match_all(session: Session, receipts: tuple[StatementEntry, ...]) -> list[ReceiptMatch]:
    """Each receipt's match: by identifiers in its reference, then payer and amount."""
    words = {w for r in receipts for w in candidate_identifiers(r.reference)}
    index = MatchIndex(
        accounts=_accounts(session),
        mandates=_mandates(session),
        invoices=_invoices(session, sorted(w for w in words if _INVOICE_NUMBER.match(w))),
        statements=_statements(session, sorted(w for w in words if _STATEMENT_NUMBER.match(w))),
        names_due={},
    )
    matches = [match_receipt(r.reference, r.payer, r.amount, index) for r in receipts]
    leftover = [
        i
        for i, (r, m) in enumerate(zip(receipts, matches, strict=True))
        if m.rule is MatchRule.NONE and r.payer and not m.reason.startswith("the reference names")
    ]
    if leftover:
        index = MatchIndex(
            index.accounts, index.mandates, index.invoices, index.statements, _names_due(session)
        )
        for i in leftover:
            r = receipts[i]
            matches[i] = match_receipt(r.reference, r.payer, r.amount, index)
    return matches


def _accounts(session: Session) -> dict[str, int]:
    return {
        identifier_key(ref): id_
        for id_, ref in session.execute(select(Account.id, Account.reference))
    }


def _mandates(session: Session) -> dict[str, int]:
    return {
        identifier_key(ref): account_id
        for account_id, ref in session.execute(select(Mandate.account_id, Mandate.reference))
    }


def _invoices(session: Session, numbers: list[str]) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for chunk in chunks(numbers):
        for number, account_id, invoice_id in session.execute(
            select(Invoice.number, Invoice.account_id, Invoice.id).where(Invoice.number.in_(chunk))
        ):
            found[number] = (account_id, invoice_id)
    return found


def _statements(session: Session, numbers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(numbers):
        for number, account_id in session.execute(
            select(Statement.number, Statement.account_id).where(Statement.number.in_(chunk))
        ):
            found[number] = account_id
    return found


def _names_due(session: Session) -> dict[tuple[str, str, Pence], frozenset[int]]:
    """(surname, initial, amount due on the latest statement) -> accounts, for every account
    whose latest statement asked for money, by the client's and representatives' names."""
    latest = (
        select(Statement.account_id, func.max(Statement.statement_date).label("latest"))
        .group_by(Statement.account_id)
        .subquery()
    )
    due = {
        account_id: amount
        for account_id, amount in session.execute(
            select(Statement.account_id, Statement.amount_due)
            .join(
                latest,
                (latest.c.account_id == Statement.account_id)
                & (latest.c.latest == Statement.statement_date),
            )
            .where(Statement.amount_due > 0)
        )
    }
    names: dict[int, set[str]] = defaultdict(set)
    for account_id, name in session.execute(
        select(Account.id, Account.client_name).where(Account.id.in_(select(latest.c.account_id)))
    ):
        names[account_id].add(name)
    for account_id, name in session.execute(
        select(Representative.account_id, Representative.name).where(
            Representative.account_id.in_(select(latest.c.account_id))
        )
    ):
        names[account_id].add(name)
    index: dict[tuple[str, str, Pence], set[int]] = defaultdict(set)
    for account_id, amount in due.items():
        for name in names[account_id]:
            key = name_key(name)
            if key is not None:
                index[(*key, amount)].add(account_id)
    return {key: frozenset(ids) for key, ids in index.items()}
