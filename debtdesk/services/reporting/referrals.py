"""The referral list (``referrals``): every referral to agents, legal or the court made by the
as-at date, one a row, with what came back by then and how long the open ones have been out.

As at the date: a referral made after it is not listed, and one returned after it is shown
as it stood, still open (no return, nothing recovered, its days out counted to the date).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from debtdesk.db.models import Referral
from debtdesk.domain.money import format_pounds, json_pounds
from debtdesk.reports.report import Column, Kind, Report, Sheet, Table, Value, count, money
from debtdesk.services.referrals import ReferralLine, referral_lines
from debtdesk.services.reporting.catalogue import ReportParams

ABOUT = (
    "Every referral to enforcement or tracing agents, legal services or the county court "
    "made on or before the date: the debt referred, and what the agency reported back by "
    "the date (the day returned, the outcome, the referred debt recovered). A referral "
    "still out at the date shows how many days it has been out. Totals: the debt referred "
    "and recovered."
)
COLUMNS = (
    Column("Account"),
    Column("Client"),
    Column("Kind"),
    Column("Agency"),
    Column("Reference"),
    Column("Referred on", Kind.DATE),
    money("Amount referred"),
    Column("Returned on", Kind.DATE),
    Column("Outcome"),
    money("Recovered"),
    count("Days out"),
)


def as_at(line: ReferralLine, as_of: date) -> ReferralLine:
    """The referral as it stood at ``as_of``: a return after that day not yet made."""
    if line.returned_on is not None and line.returned_on > as_of:
        return replace(line, returned_on=None, outcome="", recovered=0)
    return line


def _row(line: ReferralLine, as_of: date) -> list[Value]:
    return [
        line.account_ref,
        line.client_name,
        line.kind_name,
        line.agency,
        line.reference or None,
        line.referred_on,
        line.amount,
        line.returned_on,
        line.outcome or None,
        line.recovered,
        line.days_out(as_of),
    ]


def build(session: Session, params: ReportParams) -> Report:
    """The referrals made on or before ``params.as_of``, as they stood that day."""
    as_of = params.as_of
    lines = [as_at(line, as_of) for line in referral_lines(session, Referral.referred_on <= as_of)]
    still_open = sum(1 for line in lines if line.is_open)
    referred = sum(line.amount for line in lines)
    recovered = sum(line.recovered for line in lines)
    return Report(
        name="referrals",
        title="Referrals",
        about=ABOUT,
        parameters=(("As at", as_of),),
        sheets=(
            Sheet(
                "Referrals",
                (Table(COLUMNS, [_row(line, as_of) for line in lines]),),
                "one row a referral, by the day referred",
                freeze_columns=1,
            ),
        ),
        summary={
            "referrals": len(lines),
            "open": still_open,
            "referred": json_pounds(referred),
            "recovered": json_pounds(recovered),
        },
        text=(
            f"Referrals at {as_of:%d/%m/%Y}: {len(lines)} ({still_open} open), "
            f"{format_pounds(referred)} referred, {format_pounds(recovered)} recovered"
        ),
    )
