"""The Debt Management Panel's agenda dialogs: plan a meeting, add an account, the
officer's recommendation on a case, and the meeting held.

Each is an :class:`~debtdesk.gui.action_dialog.ActionDialog` over one ``Panels`` call; the
service checks everything (a title, reasons, who attended, an agenda that may still
change), and its refusal is shown with the dialog left open to be put right. Add account
searches the caseload (``Caseload``) by reference or name as the officer types.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QMessageBox, QPlainTextEdit, QWidget

from debtdesk.domain.panel import OPTION_NAMES, PanelOption
from debtdesk.gui.action_dialog import ActionDialog, chosen_date, date_edit
from debtdesk.gui.fields import line_edit, note_label, text_box, titled
from debtdesk.gui.formatting import money, sentence
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.caseload import Caseload, CaseloadQuery, CaseloadRow
from debtdesk.services.errors import BadInput
from debtdesk.services.panel import CaseLine, MeetingView, Panels

SEARCH_DELAY_MS = 250
"""Typing pauses this long before the caseload is searched."""
SHOWN = 6
"""The matches shown for a search; more means the search should be narrower."""
NO_RECOMMENDATION = "Not yet: recommend later"


def people(edit: QPlainTextEdit) -> list[str]:
    """The names typed one to a line, blank lines left out."""
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


def default_title(meets_on: date) -> str:
    """``Debt Management Panel, May 2026``."""
    return f"Debt Management Panel, {meets_on:%B %Y}"


def option_combo(name: str, parent: QWidget, none_text: str = "") -> QComboBox:
    """The panel's options (and, with ``none_text``, a first choice of none)."""
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    if none_text:
        combo.addItem(none_text, None)
    for option, option_name in OPTION_NAMES.items():
        combo.addItem(option_name, option.value)
    return combo


def chosen_option(combo: QComboBox) -> PanelOption | None:
    value = combo.currentData()
    return PanelOption(value) if value else None


def choose_option(combo: QComboBox, option: PanelOption | None) -> None:
    combo.setCurrentIndex(max(0, combo.findData(option.value if option else None)))


def confirm(
    parent: QWidget, title: str, question: str, more: str, yes: str, then: Callable[[], None]
) -> QMessageBox:
    """Ask first, without blocking: ``then()`` (a bound method) if the officer says ``yes``.

    Returns:
        The open question (for a test to answer).
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(more)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(yes_button)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    yes_button.clicked.connect(then)
    box.open()
    return box


class PlanMeetingDialog(ActionDialog):
    """A new meeting: its date, title and who is to attend; the meeting's id."""

    def __init__(self, panels: Panels, meets_on: date, parent: QWidget | None = None) -> None:
        super().__init__(
            "Plan a panel meeting",
            "Cases go on its agenda once it is planned: those the recovery run referred "
            "to the panel, and any account an officer adds.",
            "&Plan meeting",
            parent,
        )
        self._panels = panels
        self.meets_on = date_edit("Meets on", meets_on, self)
        self.title = line_edit("Title", self, text=default_title(meets_on))
        self.attendees = text_box("Attendees", self, "One a line: the chair, members, officers")
        self.form.addRow("Meets &on:", self.meets_on)
        self.form.addRow("&Title:", self.title)
        self.form.addRow("&Attendees:", self.attendees)
        self._title_typed = False
        self.title.textEdited.connect(self._typed)
        self.meets_on.dateChanged.connect(self._date_changed)

    def _typed(self, _text: str) -> None:
        self._title_typed = True

    def _date_changed(self) -> None:
        if not self._title_typed:  # the title follows the date until the officer writes one
            self.title.setText(default_title(chosen_date(self.meets_on)))

    def work(self) -> Callable[[], object]:
        panels, meets_on = self._panels, chosen_date(self.meets_on)
        title, attendees = self.title.text(), people(self.attendees)
        return lambda: panels.plan(meets_on, title, attendees)


MATCH_COLUMNS: tuple[Column[CaseloadRow], ...] = (
    Column("Account", lambda r: r.reference),
    Column("Client", lambda r: r.name),
    Column("Balance", lambda r: r.balance, "money"),
    Column("Officer", lambda r: r.officer),
)
MATCH_CLIENT = 1


class AddAccountDialog(ActionDialog):
    """Put an account, found by reference or name, at the end of the agenda."""

    def __init__(
        self,
        panels: Panels,
        caseload: Caseload,
        meeting: MeetingView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"Add an account — {meeting.title}",
            "Find the account by its reference or the client's name. It goes at the end of "
            "the agenda; the recommendation can wait.",
            "&Add to agenda",
            parent,
        )
        self._panels, self._caseload, self._meeting_id = panels, caseload, meeting.id
        self._on_agenda = {case.account_ref for case in meeting.cases}
        self._asked = 0
        self.matches: list[CaseloadRow] = []
        self.search = line_edit("Find account", self, "Reference or name, e.g. CC000123")
        self.results = read_only_table("Matching accounts", self)
        self.results.setModel(LineTableModel(MATCH_COLUMNS, (), self))
        rows = SHOWN * self.results.verticalHeader().defaultSectionSize()
        header = self.results.horizontalHeader().sizeHint().height()
        self.results.setFixedHeight(header + rows + 2 * self.results.frameWidth())
        self.found = note_label("Search result", self)
        self.option = option_combo("Recommendation", self, NO_RECOMMENDATION)
        self.reasons = text_box("Reasons", self, "Why the panel should take this course")
        self.form.addRow("&Find:", self.search)
        self.form.addRow("", self.results)
        self.form.addRow("", self.found)
        self.form.addRow("&Recommendation:", self.option)
        self.form.addRow("Rea&sons:", self.reasons)
        self.setMinimumWidth(620)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.search.textChanged.connect(self._typing)
        self.search.setFocus()

    def _typing(self, _text: str) -> None:
        self._timer.start()

    def search_now(self) -> None:
        """Search the caseload for what is typed (off the GUI thread)."""
        self._timer.stop()
        text = self.search.text().strip()
        self._asked += 1
        asked, caseload = self._asked, self._caseload
        if not text:
            self._show_matches([], 0, asked)
            return
        query = CaseloadQuery(search=text)
        run_task(
            lambda: (caseload.page(query, 0, SHOWN), caseload.count(query)),
            lambda found: self._show_matches(*found, asked),
            self._search_failed,
            owner=self,
        )

    def _show_matches(self, rows: list[CaseloadRow], total: int, asked: int) -> None:
        if asked != self._asked:
            return  # the officer typed on: a later search is coming
        self.matches = rows
        replace_model(self.results, LineTableModel(MATCH_COLUMNS, rows, self), MATCH_CLIENT)
        if rows:
            self.results.selectRow(0)
        if not self.search.text().strip():
            self.found.setText("")
        elif not rows:
            self.found.setText("No account matches.")
        elif total > len(rows):
            self.found.setText(f"{total:,} accounts match: the first {len(rows)} are shown.")
        else:
            self.found.setText("1 account matches." if total == 1 else f"{total} accounts match.")

    def _search_failed(self, error: Exception) -> None:
        self.found.setText(sentence(f"the search failed: {error}"))

    def chosen(self) -> CaseloadRow | None:
        record = selected_record(self.results)
        return record if isinstance(record, CaseloadRow) else None

    def work(self) -> Callable[[], object]:
        row = self.chosen()
        if row is None:
            raise BadInput("find the account and choose it in the list")
        if row.reference in self._on_agenda:
            raise BadInput(f"{row.reference} is on this meeting's agenda already")
        option, reasons = chosen_option(self.option), self.reasons.toPlainText()
        if option is not None and not reasons.strip():
            raise BadInput("give the reasons for the recommendation")
        panels, meeting_id, account_id = self._panels, self._meeting_id, row.id
        return lambda: panels.add_case(meeting_id, account_id, option, reasons)


class RecommendDialog(ActionDialog):
    """The officer's recommendation on a case, and the reasons the panel reads."""

    def __init__(self, panels: Panels, case: CaseLine, parent: QWidget | None = None) -> None:
        label = f"{case.account_ref} {case.client_name}"
        super().__init__(
            titled("Recommendation", label),
            f"The balance is {money(case.balance)}. The panel reads the recommendation and "
            "the reasons in the case pack, and decides between the options.",
            "Sa&ve",
            parent,
        )
        self._panels, self._case_id = panels, case.id
        self.option = option_combo("Recommendation", self)
        choose_option(self.option, case.recommendation)
        self.reasons = text_box("Reasons", self, "Why the panel should take this course")
        self.reasons.setPlainText(case.reasons)
        self.form.addRow("&Recommendation:", self.option)
        self.form.addRow("Rea&sons:", self.reasons)

    def work(self) -> Callable[[], object]:
        option = chosen_option(self.option)
        assert option is not None
        panels, case_id, reasons = self._panels, self._case_id, self.reasons.toPlainText()
        return lambda: panels.recommend(case_id, option, reasons)


class HoldMeetingDialog(ActionDialog):
    """The meeting took place: who attended, and notes; then its decisions are recorded."""

    def __init__(self, panels: Panels, meeting: MeetingView, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Meeting held — {meeting.title}",
            "Once held, the agenda is fixed and each case's decision can be recorded; when "
            "every case is decided the meeting can be minuted.",
            "Meeting &held",
            parent,
        )
        self._panels, self._meeting_id = panels, meeting.id
        self.attendees = text_box("Attended", self, "One a line: who was there, and their role")
        self.attendees.setPlainText("\n".join(meeting.attendees))
        self.notes = text_box("Notes", self, "Optional: apologies, declarations of interest")
        self.notes.setPlainText(meeting.notes)
        self.form.addRow("&Attended:", self.attendees)
        self.form.addRow("&Notes:", self.notes)

    def work(self) -> Callable[[], object]:
        panels, meeting_id = self._panels, self._meeting_id
        attendees, notes = people(self.attendees), self.notes.toPlainText()
        return lambda: panels.hold(meeting_id, attendees, notes)
