"""Preview pack…: a case's Debt Management Panel case pack in the desktop's PDF viewer.

The pack (``CasePacks.pdf_bytes``) is made off the GUI thread with the case's
recommendation, as at the meeting's date (or today, for a meeting still to come), written
to a temporary file and handed to the desktop (gui.desktop), as the account's documents
are. What happened is said through ``said``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Signal

from debtdesk.gui import desktop
from debtdesk.gui.formatting import sentence
from debtdesk.gui.tasks import run_task
from debtdesk.services.case_pack import CasePacks, Recommendation
from debtdesk.services.panel import CaseLine, MeetingView


def pack_date(meeting: MeetingView, today: date) -> date:
    """The day a case pack is made as at: the meeting's, or today's before it."""
    return min(today, meeting.meets_on)


class PackPreview(QObject):
    """Makes a case's pack and opens it; one at a time is not needed (each is its own file)."""

    said = Signal(str)

    def __init__(self, packs: CasePacks, today: date, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._packs, self._today = packs, today

    def open(self, meeting: MeetingView, case: CaseLine, officer: str) -> None:
        """Make the pack of ``case`` (recommended by ``officer``) and open it."""
        packs, as_of = self._packs, pack_date(meeting, self._today)
        recommendation = Recommendation(case.recommendation, case.reasons, officer)
        self.said.emit(f"Making the case pack for {case.account_ref}…")
        run_task(
            lambda: packs.pdf_bytes(case.account_id, as_of, recommendation),
            lambda made: self._show(case, *made),
            self._failed,
            owner=self,
        )

    def _show(self, case: CaseLine, data: bytes, pages: int) -> None:
        path = desktop.temporary_pdf(data, f"case-pack-{case.account_ref}")
        self.said.emit(
            f"The case pack for {case.account_ref} ({pages} pages) is open in the PDF viewer."
            if desktop.open_path(path)
            else f"No PDF viewer opened {path}."
        )

    def _failed(self, error: Exception) -> None:
        self.said.emit(sentence(f"the case pack could not be made: {error}"))
