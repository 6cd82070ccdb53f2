"""The minutes of a Debt Management Panel meeting, as a PDF in the council's style
(``resources/templates/panel_minutes.html``).

They are made from the records: who attended, each case in agenda order with the debt at
the meeting's date, the officer's recommendation and reasons, what was discussed, the
decision and its actions (whose, by when). A meeting not yet minuted prints as a draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from debtdesk.db.models import PanelAction, PanelDecision, User
from debtdesk.documents.pdf import render_pdf, render_pdf_bytes
from debtdesk.domain.panel import OPTION_NAMES, MeetingStatus
from debtdesk.services.accounts import account_detail_by_id
from debtdesk.services.database import Database
from debtdesk.services.documents import council, template_problems, templates
from debtdesk.services.errors import BadInput
from debtdesk.services.panel import meeting_view

MARKING = "OFFICIAL – SENSITIVE"


@dataclass(frozen=True)
class MinutedAction:
    text: str
    owner: str
    due: date


@dataclass(frozen=True)
class MinutedCase:
    position: int
    reference: str
    client_name: str
    debt: int
    recommendation: str
    reasons: str
    decision: str
    discussion: str
    decided_on: date | None
    actions: tuple[MinutedAction, ...]


@dataclass(frozen=True)
class Minutes:
    title: str
    meets_on: date
    status: str
    attendees: tuple[str, ...]
    notes: str
    cases: tuple[MinutedCase, ...]


class PanelMinutes:
    def __init__(self, db: Database) -> None:
        self._db = db

    def html(self, meeting_id: int) -> tuple[str, str, str]:
        """(HTML, footer, logo) of the meeting's minutes.

        Raises:
            NotFound: no such meeting.
            BadInput: the meeting has not been held yet.
        """
        with template_problems(), self._db.sessions() as session:
            view = meeting_view(session, meeting_id)
            if view.status is MeetingStatus.PLANNED:
                raise BadInput(
                    f"the meeting of {view.meets_on:%d/%m/%Y} has not been held: there are "
                    "no minutes yet"
                )
            cases = []
            for case in view.cases:
                decision = session.scalar(
                    select(PanelDecision).where(PanelDecision.case_id == case.id)
                )
                actions: Sequence[tuple[str, str, date]] = (
                    session.execute(
                        select(PanelAction.text, User.display_name, PanelAction.due_on)
                        .join(User, User.id == PanelAction.owner_id)
                        .where(PanelAction.decision_id == decision.id)
                        .order_by(PanelAction.id)
                    )
                    .tuples()
                    .all()
                    if decision is not None
                    else []
                )
                cases.append(
                    MinutedCase(
                        case.position,
                        case.account_ref,
                        case.client_name,
                        account_detail_by_id(session, case.account_id, view.meets_on).balance,
                        case.recommendation_name,
                        case.reasons,
                        OPTION_NAMES[decision.option] if decision else "",
                        decision.discussion if decision else "",
                        decision.decided_on if decision else None,
                        tuple(MinutedAction(*row) for row in actions),
                    )  # fmt: skip
                )
            minutes = Minutes(
                view.title, view.meets_on, view.status.value, view.attendees, view.notes,
                tuple(cases),
            )  # fmt: skip
            sender = council(session)
            from debtdesk.documents.pdf import logo_url

            html = templates(session).render(
                "panel_minutes.html", council=sender, minutes=minutes,
                logo_url=logo_url(sender.logo),
            )  # fmt: skip
        footer = f"Debt Management Panel minutes · {view.meets_on:%d/%m/%Y}"
        return html, footer, sender.logo

    def pdf_bytes(self, meeting_id: int) -> bytes:
        html, footer, logo = self.html(meeting_id)
        return render_pdf_bytes(html, footer, logo=logo, marking=MARKING)[0]

    def write(self, meeting_id: int, out: Path) -> Path:
        """Write the minutes to ``out``; the path."""
        html, footer, logo = self.html(meeting_id)
        try:
            render_pdf(html, out, footer, logo=logo, marking=MARKING)
        except OSError as exc:
            raise BadInput(f"cannot write {out}: {exc.strerror or exc}") from exc
        return out
