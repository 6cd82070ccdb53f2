"""``debtdesk import caseload``: accounts from another system, all of a file or none of it.

The file is parsed and checked whole (importers.caseload), then checked against the
database (references and direct debit references already in use), and only then written
in one transaction, recorded as a batch with the file's SHA-256 so the same file cannot
be imported twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    Batch,
    CarePackage,
    CustomerType,
    FinancialAssessment,
    Mandate,
    Representative,
    User,
)
from debtdesk.db.types import utcnow
from debtdesk.domain.caseload import (
    AccountStatus,
    CareSetting,
    InvoiceKind,
    MandateStatus,
    RepresentativeRole,
    UserRole,
)
from debtdesk.domain.charging import Funding
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.importers.caseload import CaseloadRow, Problem, read_caseload
from debtdesk.services import audit
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.ledger import raise_invoice
from debtdesk.services.sql import chunks


@dataclass(frozen=True)
class ImportResult:
    accounts: int
    entries: int
    balance_total: int
    batch: int
    officers_created: tuple[str, ...]


class ImportRefused(BadInput):
    """The file was refused whole; ``problems`` lists every reason."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.problems = problems
        listing = "\n".join(f"  {p}" for p in problems)
        super().__init__(
            f"{path.name}: refused, nothing was imported ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}):\n{listing}"
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _against_database(session: Session, rows: list[CaseloadRow]) -> list[Problem]:
    refs = [row.account_ref for row in rows]
    taken: set[str] = set()
    for chunk in chunks(refs):
        taken.update(session.scalars(select(Account.reference).where(Account.reference.in_(chunk))))
    dd_refs = [row.dd_reference for row in rows if row.dd_reference]
    dd_taken: set[str] = set()
    for chunk in chunks(dd_refs):
        dd_taken.update(
            session.scalars(select(Mandate.reference).where(Mandate.reference.in_(chunk)))
        )
    problems = [
        Problem(
            row.line,
            row.account_ref,
            "account_ref",
            "an account with this reference already exists",
        )
        for row in rows
        if row.account_ref in taken
    ]
    problems += [
        Problem(
            row.line,
            row.account_ref,
            "dd_reference",
            f"direct debit reference {row.dd_reference!r} is already used by another account",
        )
        for row in rows
        if row.dd_reference in dd_taken
    ]
    return sorted(problems, key=lambda p: (p.line or 0, p.column or ""))


def _officers(session: Session, rows: list[CaseloadRow]) -> tuple[dict[str, int], list[str]]:
    """Officer ids by the name written in the file, creating officers not yet known."""
    known: dict[str, int] = {}
    for user in session.scalars(select(User)):
        known[user.username.lower()] = user.id
        known[user.display_name.lower()] = user.id
    created = []
    for name in sorted({row.officer for row in rows if row.officer}):
        if name.lower() in known:
            continue
        username = "".join(ch for ch in name.lower() if ch.isalnum())[:60] or "officer"
        while session.scalar(
            select(func.count()).select_from(User).where(User.username == username)
        ):
            username += "1"
        user = User(username=username, display_name=name, role=UserRole.OFFICER)
        session.add(user)
        session.flush()
        known[name.lower()] = user.id
        created.append(name)
    return known, created


def _add_account(
    session: Session,
    row: CaseloadRow,
    type_id: int,
    officer_id: int | None,
    batch_id: int,
    actor: str,
) -> int:
    account = Account(
        reference=row.account_ref,
        client_name=row.client_name,
        date_of_birth=row.date_of_birth,
        address=row.address or "",
        postcode=row.postcode,
        care_setting=CareSetting(row.care_setting) if row.care_setting else None,
        status=AccountStatus.DECEASED if row.date_of_death else AccountStatus.ACTIVE,
        date_of_death=row.date_of_death,
        officer_id=officer_id,
        customer_type_id=type_id,
        flags=[],
        balance=0,
        search_text=f"{row.account_ref} {row.client_name} {row.postcode}".lower(),
    )
    session.add(account)
    session.flush()
    session.add(
        FinancialAssessment(
            account_id=account.id,
            effective_from=row.contribution_from,
            effective_to=None,
            weekly_contribution=row.weekly_contribution,
            reason="Imported with the caseload",
        )
    )
    session.add(
        CarePackage(
            account_id=account.id,
            service="Care package (imported)",
            provider="",
            weekly_cost=row.weekly_care_cost,
            start_date=row.contribution_from,
            end_date=row.date_of_death,
            funding=Funding.COUNCIL,
        )
    )
    if row.representative_name and row.representative_role:
        session.add(
            Representative(
                account_id=account.id,
                name=row.representative_name,
                role=RepresentativeRole(row.representative_role),
                receives_correspondence=True,
            )
        )
    if row.dd_reference and row.dd_sort_code and row.dd_account_number:
        session.add(
            Mandate(
                account_id=account.id,
                reference=row.dd_reference,
                payer_name=(row.dd_account_name or row.client_name)[:60],
                sort_code=row.dd_sort_code,
                account_number=row.dd_account_number,
                status=MandateStatus(row.dd_status or "pending"),
                lodged_on=row.contribution_from if row.dd_status == "live" else None,
            )
        )
    if row.opening_balance:
        day = row.opening_balance_date or row.contribution_from
        raise_invoice(
            session,
            account.id,
            InvoiceKind.OPENING_BALANCE,
            day,
            day,
            [(EntryKind.CHARGE, row.opening_balance, None, "Opening balance brought forward")],
            source=EntrySource.BATCH,
            actor=actor,
            batch_id=batch_id,
        )
    return account.id


def import_caseload(db: Database, path: Path) -> ImportResult:
    """Load every account in the file, or none.

    Raises:
        ImportRefused: the file has bad rows or clashes with the database (all listed).
        BadInput: the same file was imported before.
    """
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    sha = _sha256(path)
    with db.sessions.begin() as session:
        earlier = session.scalar(select(Batch).where(Batch.file_sha256 == sha))
        if earlier is not None:
            raise BadInput(
                f"{path.name}: this file was imported before (batch {earlier.id}, "
                f"{earlier.started_at:%d/%m/%Y %H:%M} UTC); nothing was imported"
            )
        types = {
            t.code: (t.id, t.payment_terms_days) for t in session.scalars(select(CustomerType))
        }
        rows, problems = read_caseload(path, list(types))
        if problems:
            raise ImportRefused(path, problems)
        problems = _against_database(session, rows)
        if problems:
            raise ImportRefused(path, problems)
        batch = Batch(
            kind="import_caseload",
            file_name=path.name,
            file_sha256=sha,
            actor=db.actor,
            parameters={"rows": len(rows)},
        )
        session.add(batch)
        session.flush()
        officers, created = _officers(session, rows)
        entries = 0
        total = 0
        for row in rows:
            type_id, _ = types[row.customer_type]
            _add_account(
                session,
                row,
                type_id,
                officers.get(row.officer.lower()) if row.officer else None,
                batch.id,
                db.actor,
            )
            if row.opening_balance:
                entries += 1
                total += row.opening_balance
        batch.finished_at = utcnow()
        audit.record(
            session,
            db.actor,
            "import.caseload",
            "batch",
            batch.id,
            None,
            {"file": path.name, "sha256": sha, "accounts": len(rows), "officers_created": created},
        )
    return ImportResult(len(rows), entries, total, batch.id, tuple(created))


__all__ = ["ImportRefused", "ImportResult", "import_caseload"]
