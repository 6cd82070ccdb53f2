"""The agenda pack of a Debt Management Panel meeting: one PDF, the agenda first (each
case's account, client, debt, recommendation and the page its pack starts on), then each
case's pack in agenda order (services.case_pack), every page marked OFFICIAL – SENSITIVE.

The packs' figures are as at the meeting's date, or today when the meeting is still to
come (the evidence is as up to date as it can be).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from debtdesk.db.models import User
from debtdesk.documents.context import Council
from debtdesk.documents.pdf import Rendered
from debtdesk.documents.templates import Templates
from debtdesk.services.accounts import account_detail_by_id, get_account
from debtdesk.services.case_pack import Recommendation, gather, pack_footer
from debtdesk.services.database import Database
from debtdesk.services.documents import council, template_problems, templates
from debtdesk.services.errors import BadInput
from debtdesk.services.panel import meeting_view

if TYPE_CHECKING:
    from PySide6.QtGui import QTextDocument

MARKING = "OFFICIAL – SENSITIVE"


@dataclass(frozen=True)
class AgendaItem:
    position: int
    reference: str
    client_name: str
    debt: int
    recommendation: str
    officer: str
    first_page: int


@dataclass(frozen=True)
class Agenda:
    title: str
    meets_on: date
    as_of: date
    attendees: tuple[str, ...]
    items: tuple[AgendaItem, ...]


class AgendaPacks:
    def __init__(self, db: Database) -> None:
        self._db = db

    def render(self, meeting_id: int, out: Path, today: date | None = None) -> Rendered:
        """Write the meeting's agenda pack to ``out`` (replacing it whole).

        Raises:
            NotFound: no such meeting.
            BadInput: the team's template could not be rendered, or ``out`` cannot be
                written.
        """
        from debtdesk.documents.pdf import write_pdf

        data, count = self.pdf_bytes(meeting_id, today)
        try:
            return write_pdf(data, count, out)
        except OSError as exc:
            raise BadInput(f"cannot write {out}: {exc.strerror or exc}") from exc

    def pdf_bytes(self, meeting_id: int, today: date | None = None) -> tuple[bytes, int]:
        """The meeting's agenda pack as PDF bytes, and its number of pages.

        Raises:
            NotFound: no such meeting.
            BadInput: the team's template could not be rendered.
        """
        from debtdesk.documents.case_pack import pack_document
        from debtdesk.documents.pdf import documents_pdf_bytes, ensure_qt

        ensure_qt()
        with template_problems(), self._db.sessions() as session:
            view = meeting_view(session, meeting_id)
            as_of = min(view.meets_on, today or date.today())
            sender, engine = council(session), templates(session)
            names = dict(session.execute(select(User.id, User.display_name)).tuples().all())
            parts, items = [], []
            for case in view.cases:
                account = get_account(session, case.account_id)
                officer = names.get(account.officer_id, "") if account.officer_id else ""
                pack = gather(
                    session, account.id, as_of,
                    Recommendation(
                        case.recommendation, case.reasons, case.recommended_by or officer
                    ),
                )  # fmt: skip
                parts.append(
                    (pack_document(engine, pack, sender), pack_footer(pack.reference, as_of))
                )
                items.append(
                    AgendaItem(
                        case.position,
                        case.account_ref,
                        case.client_name,
                        account_detail_by_id(session, account.id, as_of).balance,
                        case.recommendation_name,
                        officer,
                        0,
                    )  # fmt: skip
                )
            agenda = Agenda(view.title, view.meets_on, as_of, view.attendees, tuple(items))
            first = _agenda_document(engine, sender, agenda).pageCount() + 1
            numbered = []
            for item, (doc, _) in zip(items, parts, strict=True):
                numbered.append(replace(item, first_page=first))
                first += doc.pageCount()
            cover = _agenda_document(engine, sender, replace(agenda, items=tuple(numbered)))
        title = f"Debt Management Panel agenda · {view.meets_on:%d/%m/%Y}"
        return documents_pdf_bytes([(cover, title), *parts], title, MARKING)


def _agenda_document(engine: Templates, sender: Council, agenda: Agenda) -> QTextDocument:
    from debtdesk.documents.pdf import layout_document, logo_url

    html = engine.render(
        "panel_agenda.html", council=sender, agenda=agenda, logo_url=logo_url(sender.logo)
    )
    return layout_document(html, sender.logo)
