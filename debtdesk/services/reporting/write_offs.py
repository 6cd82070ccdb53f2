"""The write-offs report (``write-offs``): write-offs recommended and decided in a period, as
they stood at its last day D, by reason and by the authority that approved them.

A write-off is in the period when it was recommended in it (the local day it was recorded),
or decided in it though recommended before (said in its Note). Its status at D is its
decision if that was made by D, else ``recommended`` (waiting):

* approved: its write-off entry is effective on or before D. The entry is dated with the
  approval (services.write_offs), so the amount approved in the period is exactly the
  write-off entries effective in it, whenever they were posted;
* refused, or referred to the chief finance officer (above every limit, nothing posted):
  the local day the decision was recorded is on or before D.

The authority is the decider's role, as it is now, and that role's limit in the team's
settings now (no history of either is kept).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, LedgerEntry, User, WriteOff
from debtdesk.domain.caseload import UserRole
from debtdesk.domain.money import Pence, format_pounds, json_pounds
from debtdesk.domain.roles import write_off_limit
from debtdesk.domain.write_offs import REASON_NAMES, WriteOffStatus
from debtdesk.reports.report import Column, Kind, Report, Sheet, Table, Value, count, money
from debtdesk.services.reporting.catalogue import ReportParams, financial_year_start
from debtdesk.services.settings import write_off_limits

RECOMMENDED, APPROVED, REFUSED = "recommended", "approved", "refused"
REFERRED = "referred to the chief finance officer"
_DECIDED = {
    WriteOffStatus.APPROVED: APPROVED,
    WriteOffStatus.REJECTED: REFUSED,
    WriteOffStatus.REFERRED: REFERRED,
}
APPROVERS = (UserRole.TEAM_LEADER, UserRole.FINANCE_MANAGER, UserRole.ADMINISTRATOR)

ABOUT = (
    "Every write-off recommended in the period, and every one decided in it that was "
    "recommended before it (see Note), with its status at the period's last day: approved "
    "(its write-off entry is effective by then; an approval is dated by the approver), "
    "refused, referred to the chief finance officer (above every limit, nothing posted), "
    "or still recommended if decided later. Approved in the period is the amount of the "
    "write-off entries effective in it. Authority is the decider's role and that role's "
    "limit, as they are now. By reason counts recommendations made and approvals given in "
    "the period; By authority, the approvals by the approver's role."
)

COLUMNS = (
    Column("Reference"),
    Column("Client"),
    Column("Recommended on", Kind.DATE),
    Column("Recommended by"),
    money("Amount"),
    Column("Reason"),
    Column("Status at the date"),
    Column("Decided on", Kind.DATE),
    Column("Decided by"),
    Column("Authority"),
    money("Approved in the period"),
    Column("Note"),
)


@dataclass(frozen=True)
class Decided:
    """A write-off as it stood at a date: its status, and the decision if made by then."""

    status: str
    on: date | None


def local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def decided_at(row: WriteOff, entry_date: date | None, as_of: date) -> Decided:
    """Where ``row`` stood at the end of ``as_of``."""
    if row.status is WriteOffStatus.APPROVED:
        on = entry_date
    elif row.decided_at is not None and row.status in _DECIDED:
        on = local_day(row.decided_at)
    else:
        on = None
    if on is None or on > as_of:
        return Decided(RECOMMENDED, None)
    return Decided(_DECIDED[row.status], on)


def authority(role: UserRole | None, limits: dict[UserRole, Pence], status: str) -> str:
    """The decider's role and what it may approve: "team leader (up to £1,000.00)"."""
    if role is None:
        return "not a user now"
    name = role.value.replace("_", " ")
    if status == REFERRED:
        top = max(limits.values(), default=0)
        return f"{name} (above every limit, {format_pounds(top)})"
    return f"{name} (up to {format_pounds(write_off_limit(role, limits))})"


def build(session: Session, params: ReportParams) -> Report:
    """The write-offs report for ``params.start`` to ``params.as_of``."""
    as_of = params.as_of
    start = params.start or financial_year_start(as_of)
    users = {
        login.lower(): (name, role)
        for login, name, role in session.execute(
            select(User.username, User.display_name, User.role)
        ).tuples()
    }
    limits = write_off_limits(session)

    def who(login: str | None) -> str:
        return users.get(login.lower(), (login, None))[0] if login else ""

    rows: list[list[Value]] = []
    by_reason: dict[str, list[int]] = {name: [0, 0, 0, 0] for name in REASON_NAMES.values()}
    by_role: dict[str, list[int]] = {r.value.replace("_", " "): [0, 0] for r in APPROVERS}
    tally: dict[str, int] = defaultdict(int)
    approved_total = 0
    for row, reference, client, entry_date in session.execute(
        select(WriteOff, Account.reference, Account.client_name, LedgerEntry.effective_date)
        .join(Account, Account.id == WriteOff.account_id)
        .outerjoin(LedgerEntry, LedgerEntry.id == WriteOff.entry_id)
        .order_by(WriteOff.recommended_at, WriteOff.id)
    ).tuples():
        recommended_on = local_day(row.recommended_at)
        at = decided_at(row, entry_date, as_of)
        recommended = start <= recommended_on <= as_of
        decided = at.on is not None and at.on >= start
        if not (recommended or decided):
            continue
        reason = REASON_NAMES[row.reason]
        role = users.get((row.decided_by or "").lower(), ("", None))[1]
        approved = row.amount if decided and at.status == APPROVED else None
        if recommended:
            tally["recommended"] += 1
            by_reason[reason][0] += 1
            by_reason[reason][1] += row.amount
        if decided:
            tally[at.status] += 1
        if approved is not None:
            approved_total += approved
            by_reason[reason][2] += 1
            by_reason[reason][3] += approved
            group = by_role.setdefault(role.value.replace("_", " ") if role else "unknown", [0, 0])
            group[0] += 1
            group[1] += approved
        note = ""
        if recommended_on < start:
            note = "recommended before the period"
        elif recommended_on > as_of:
            note = "recommended after the date; the approval is dated in the period"
        rows.append(
            [
                reference,
                client,
                recommended_on,
                who(row.recommended_by),
                row.amount,
                reason,
                at.status,
                at.on,
                who(row.decided_by) if at.on else "",
                authority(role, limits, at.status) if at.on else "",
                approved,
                note,
            ]
        )
    return _report(start, as_of, rows, by_reason, by_role, tally, approved_total)


def _report(
    start: date,
    as_of: date,
    rows: list[list[Value]],
    by_reason: dict[str, list[int]],
    by_role: dict[str, list[int]],
    tally: dict[str, int],
    approved_total: int,
) -> Report:
    reason_columns = (
        Column("Reason"),
        count("Recommended", total=True),
        money("Amount recommended"),
        count("Approved", total=True),
        money("Amount approved"),
    )
    role_columns = (Column("Approver's role"), count("Approved", total=True), money("Amount"))
    summary = {
        "recommended": tally["recommended"],
        "approved": tally[APPROVED],
        "approved_amount": json_pounds(approved_total),
        "refused": tally[REFUSED],
        "referred": tally[REFERRED],
    }
    return Report(
        name="write-offs",
        title="Write-offs",
        about=ABOUT,
        parameters=(("From", start), ("To (as at)", as_of)),
        sheets=(
            Sheet(
                "Write-offs",
                (Table(COLUMNS, rows),),
                "one row a write-off recommended or decided in the period",
                freeze_columns=1,
            ),
            Sheet(
                "By reason",
                (Table(reason_columns, [[k, *v] for k, v in by_reason.items()]),),
                "recommended and approved in the period, by reason",
            ),
            Sheet(
                "By authority",
                (Table(role_columns, [[k, *v] for k, v in by_role.items()]),),
                "approved in the period, by the approver's role",
            ),
        ),
        summary=summary,
        text=(
            f"Write-offs {start:%d/%m/%Y} to {as_of:%d/%m/%Y}: {tally['recommended']:,} "
            f"recommended, {tally[APPROVED]:,} approved ({format_pounds(approved_total)}), "
            f"{tally[REFUSED]:,} refused, {tally[REFERRED]:,} referred"
        ),
    )
