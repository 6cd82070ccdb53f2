"""Reports ▸ one report: its as-at date (and a period report's first day), the workbook to
write, Run with a progress bar and Cancel, then Open or Show in folder.

The report is built and written by ``Reports.write`` off the GUI thread (it only reads
the database). Its progress callback runs on the worker thread and emits ``progressed``,
which Qt queues to the GUI thread. Cancel sets the flag the writer polls; a cancelled
report leaves no file (and an older workbook at the path as it was). What the service
refuses (a missing folder, a period that starts after it ends) is said in the dialog.
While a report runs the dialog does not close: closing cancels it, then closes.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from debtdesk.gui.formatting import plural, sentence, uk_date
from debtdesk.gui.run_progress import RunProgress
from debtdesk.gui.tasks import run_task
from debtdesk.reports.report import Report
from debtdesk.reports.workbook import ReportCancelled
from debtdesk.services.errors import BadInput
from debtdesk.services.reporting.catalogue import ReportSpec
from debtdesk.services.reporting.runs import Reports

EXCEL_FILTER = "Excel workbooks (*.xlsx)"
NOTHING_WRITTEN = "Nothing was written."
ERROR_STYLE = "color: #a00000;"

_log = logging.getLogger(__name__)


def documents_folder() -> Path:
    """The user's Documents folder, or the home folder on a machine without one."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def default_name(spec: ReportSpec, as_of: date) -> str:
    """``aged-debt-2026-11-24.xlsx``: the report and its as-at date."""
    return f"{spec.name}-{as_of.isoformat()}.xlsx"


def ask_path(parent: QWidget, start: str) -> Path | None:
    """Where the officer wants the workbook, or None (Qt asks before overwriting)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Save the report as", start, EXCEL_FILTER)
    return Path(path) if path else None


def _date_edit(name: str, value: date, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day), parent)
    edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # not the form's width
    edit.setAccessibleName(name)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


def _chosen(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class ReportDialog(RunProgress):
    """One report of the catalogue: its parameters, the run, and the workbook written."""

    progressed = Signal(str, int, int)
    """``(stage, rows written, rows in all)``: emitted on the worker thread."""

    written = Signal(object)
    """The workbook was written: its :class:`~pathlib.Path`."""

    nothing_kept = NOTHING_WRITTEN

    def __init__(
        self, spec: ReportSpec, reports: Reports, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.spec, self._reports = spec, reports
        self.report: Report | None = None
        self.path: Path | None = None  # the workbook last written
        self._start_edited = self._path_edited = self._setting = False
        self.setWindowTitle(f"{spec.title} — debtdesk")
        self.setAccessibleName(f"{spec.title} report")

        self.about = QLabel(sentence(spec.about), self)
        self.about.setAccessibleName("What the report is")
        self.about.setWordWrap(True)
        self.as_of = _date_edit("As at", today, self)
        self.as_of.setToolTip("Entries effective on or before this date count")
        self.start: QDateEdit | None = None
        form = QFormLayout()
        form.addRow("&As at:", self.as_of)
        if spec.default_start is not None:
            self.start = _date_edit(spec.start_label, spec.default_start(today), self)
            self.start.setToolTip("The period's first day; it ends on the as-at date")
            form.addRow(f"&{spec.start_label}:", self.start)
        self.workbook = QLineEdit(str(documents_folder() / default_name(spec, today)), self)
        self.workbook.setAccessibleName("Workbook")
        self.workbook.setToolTip("The Excel workbook to write (.xlsx)")
        self.browse_button = QPushButton("&Browse…", self)
        self.browse_button.setToolTip("Choose the folder and name of the workbook")
        where = QHBoxLayout()
        where.addWidget(self.workbook, 1)
        where.addWidget(self.browse_button)
        form.addRow("&Workbook:", where)
        self.replaces = QLabel("A file of this name exists: running the report replaces it.", self)
        self.replaces.setAccessibleName("Workbook note")
        self.replaces.setWordWrap(True)
        form.addRow("", self.replaces)
        label = form.labelForField(where)
        if isinstance(label, QLabel):
            label.setBuddy(self.workbook)  # Alt+W: the line edit, not the row

        (self.open_button, self.folder_button), buttons = self._run_widgets(
            what="Report",
            progress_format="%v of %m rows",
            run_tip="Build the report and write the workbook",
            cancel=("&Cancel", "Stop the report; nothing is written"),
            results=(
                ("&Open", "Open the workbook in the spreadsheet program"),
                ("Show in fol&der", "Open the folder the workbook is in"),
            ),
        )

        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(self.stage)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.as_of.dateChanged.connect(self._as_of_changed)
        if self.start is not None:
            self.start.dateChanged.connect(self._start_changed)
        self.workbook.textEdited.connect(self._path_typed)
        self.workbook.textChanged.connect(self._show_replaces)
        self.browse_button.clicked.connect(self.browse)
        self.progressed.connect(self._show_progress)
        self.run_button.clicked.connect(self.start_run)
        self.cancel_button.clicked.connect(self.cancel_run)
        self.close_button.clicked.connect(self.reject)
        self.open_button.clicked.connect(self.open_workbook)
        self.folder_button.clicked.connect(self.show_folder)
        for widget in (self.stage, self.progress, self.cancel_button, self.message):
            widget.hide()
        for widget in (self.open_button, self.folder_button):
            widget.hide()
        self._show_replaces()
        self.setMinimumWidth(640)

    # The parameters

    def as_of_date(self) -> date:
        return _chosen(self.as_of)

    def start_date(self) -> date | None:
        return None if self.start is None else _chosen(self.start)

    def _as_of_changed(self) -> None:
        as_of, spec = self.as_of_date(), self.spec
        self._setting = True
        if self.start is not None and spec.default_start is not None and not self._start_edited:
            start = spec.default_start(as_of)
            self.start.setDate(QDate(start.year, start.month, start.day))
        if not self._path_edited:
            folder = Path(self.workbook.text()).parent
            self.workbook.setText(str(folder / default_name(spec, as_of)))
        self._setting = False

    def _start_changed(self) -> None:
        if not self._setting:
            self._start_edited = True

    def _path_typed(self) -> None:
        self._path_edited = True

    def _show_replaces(self) -> None:
        """Say when the workbook named is a file already (but not the one just written)."""
        text = self.workbook.text().strip()
        path = Path(text).expanduser() if text else None
        self.replaces.setVisible(path is not None and path != self.path and path.is_file())

    def browse(self) -> None:
        """Choose the workbook's folder and name in a file dialog."""
        chosen = ask_path(self, self.workbook.text())
        if chosen is not None:
            self.workbook.setText(str(chosen))
            self._path_edited = True

    # The run

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setVisible(bool(text))

    def _inputs(self, enabled: bool) -> None:
        for widget in (self.as_of, self.start, self.workbook, self.browse_button):
            if widget is not None:
                widget.setEnabled(enabled)
        self.run_button.setVisible(enabled)

    def _target(self) -> Path | None:
        text = self.workbook.text().strip()
        path = Path(text).expanduser() if text else None
        if path is None or not path.is_absolute():
            self._say(
                "Give the workbook's whole path (folder and name), or choose it with Browse….",
                error=True,
            )
            self.workbook.setFocus()
            return None
        return path

    def start_run(self) -> None:
        """Build the report and write its workbook off the GUI thread."""
        path = self._target()
        if path is None or self.running:
            return
        self.open_button.hide()
        self.folder_button.hide()
        self._inputs(False)
        cancel = self._begin()
        self.cancel_button.setText("&Cancel")
        self.stage.setText("Reading the data…")
        reports, name, progressed = self._reports, self.spec.name, self.progressed
        as_of, start = self.as_of_date(), self.start_date()

        def progress(done: int, total: int) -> None:
            progressed.emit("Writing the workbook", done, total)

        run_task(
            lambda: reports.write(name, path, as_of, start, progress=progress, cancel=cancel),
            self._run_done,
            self._run_failed,
            owner=self,
        )

    def _run_done(self, result: tuple[Report, Path]) -> None:
        self._stopped()
        self._inputs(True)
        self.report, self.path = result
        self.workbook.setText(str(self.path))  # with the .xlsx it was given
        rows = plural(self.report.row_count, "row")
        self._say(
            f"{self.spec.title} at {uk_date(self.as_of_date())}: {rows} written to {self.path}."
        )
        self._show_replaces()
        self.open_button.show()
        self.folder_button.show()
        self.open_button.setDefault(True)
        self.open_button.setFocus()
        self.written.emit(self.path)

    def _failure(self, error: Exception) -> str | None:
        if not isinstance(error, ReportCancelled):
            return super()._failure(error)
        closing = self._close_when_stopped
        self._stopped()
        if closing:
            self.reject()
            return None
        return f"The report was cancelled. {self.nothing_kept}"

    def _run_failed(self, error: Exception) -> None:
        if not isinstance(error, (BadInput, ReportCancelled)):
            _log.error("the %s report failed", self.spec.name, exc_info=error)
        text = self._failure(error)
        if text is None:
            return
        self._inputs(True)
        self.run_button.setDefault(True)
        self._say(text, error=not isinstance(error, ReportCancelled))

    # The workbook

    def open_workbook(self) -> None:
        if self.path is not None:
            self._open(self.path)

    def show_folder(self) -> None:
        if self.path is not None:
            self._open(self.path.parent)
