"""Preview pack…, Agenda pack… and Minutes…: a case's Debt Management Panel case pack, a
meeting's agenda pack or its minutes, in the desktop's PDF viewer.

The pack (``CasePacks.pdf_bytes``) is made off the GUI thread with the case's
recommendation, as at the meeting's date (or today, for a meeting still to come), written
to a temporary file and handed to the desktop (gui.desktop), as the account's documents
are. What happened is said through ``said``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from debtdesk.gui import desktop
from debtdesk.gui.formatting import sentence
from debtdesk.gui.printing import painted_preview
from debtdesk.gui.tasks import run_task
from debtdesk.services.case_pack import CasePacks, PrintablePack, Recommendation
from debtdesk.services.panel import CaseLine, MeetingView
from debtdesk.services.panel_agenda import AgendaPacks
from debtdesk.services.panel_minutes import PanelMinutes


def pack_date(meeting: MeetingView, today: date) -> date:
    """The day a case pack is made as at: the meeting's, or today's before it."""
    return min(today, meeting.meets_on)


class PackPreview(QObject):
    """Makes a case's pack and opens it; one at a time is not needed (each is its own file)."""

    said = Signal(str)

    def __init__(
        self,
        packs: CasePacks,
        agendas: AgendaPacks,
        minutes: PanelMinutes,
        today: date,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._packs, self._agendas, self._minutes, self._today = packs, agendas, minutes, today
        self._parent_widget: QWidget | None = None
        self.preview: QPrintPreviewDialog | None = None
        """The pack's print preview, while it is open."""

    def print_pack(self, meeting: MeetingView, case: CaseLine, parent: QWidget) -> None:
        """The case's pack in a print preview, which prints from its Print button."""
        packs, as_of = self._packs, pack_date(meeting, self._today)
        recommendation = Recommendation(case.recommendation, case.reasons, case.recommended_by)
        self._parent_widget = parent
        self.said.emit(f"Making the case pack for {case.account_ref}…")
        run_task(
            lambda: packs.printable(case.account_id, as_of, recommendation),
            self._preview,
            self._failed,
            owner=self,
        )

    def _preview(self, printable: PrintablePack) -> None:
        self.preview = painted_preview(printable.title, printable.paint, self._parent_widget)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.said.emit(f"{printable.title}: print preview.")
        self.preview.open()

    def open_agenda(self, meeting: MeetingView) -> None:
        """The meeting's agenda pack: the agenda, then each case pack in order."""
        agendas, today, name = self._agendas, self._today, f"agenda-{meeting.meets_on}"
        self.said.emit("Making the agenda pack…")
        run_task(
            lambda: agendas.pdf_bytes(meeting.id, today),
            lambda made: self._open_file(name, f"The agenda pack ({made[1]} pages) is", made[0]),
            self._failed,
            owner=self,
        )

    def open_minutes(self, meeting: MeetingView) -> None:
        """The meeting's minutes (a draft until minuted)."""
        minutes, name = self._minutes, f"minutes-{meeting.meets_on}"
        self.said.emit("Making the minutes…")
        run_task(
            lambda: minutes.pdf_bytes(meeting.id),
            lambda data: self._open_file(name, "The minutes are", data),
            self._failed,
            owner=self,
        )

    def _open_file(self, name: str, what_is: str, data: bytes) -> None:
        path = desktop.temporary_pdf(data, name)
        self.said.emit(
            f"{what_is} open in the PDF viewer."
            if desktop.open_path(path)
            else f"No PDF viewer opened {path}."
        )

    def open(self, meeting: MeetingView, case: CaseLine) -> None:
        """Make the pack of ``case`` (with its recommendation, and who made it) and open it."""
        packs, as_of = self._packs, pack_date(meeting, self._today)
        recommendation = Recommendation(case.recommendation, case.reasons, case.recommended_by)
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
        self.said.emit(sentence(f"the document could not be made: {error}"))
