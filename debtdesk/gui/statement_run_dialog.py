"""The 4-weekly statement run from the GUI: pick the period, see what it will do, run it.

The periods (``StatementPeriods.choices``) and the preview (``StatementRuns.preview``)
are read off the GUI thread; the run (``StatementRuns.run``) goes on the write pool.
The run reports progress from its worker thread through the dialog's ``progressed``
signal, which Qt queues to the GUI thread; Cancel sets a flag the run polls, and a
cancelled run keeps nothing. While a run is going the dialog does not close: closing
asks the run to stop, and the dialog closes once it has (unless the run had finished
by then: its result is shown).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.periods import Period
from debtdesk.gui.formatting import money, plural, sentence, uk_date
from debtdesk.gui.run_progress import RunProgress
from debtdesk.gui.tasks import run_task, run_write
from debtdesk.services.errors import BadInput
from debtdesk.services.statement_periods import RunPeriod, RunPeriods, StatementPeriods
from debtdesk.services.statement_run import RunPreview, RunResult, StatementRuns

NOTHING_KEPT = "Nothing was kept: no charges were posted and no statements were issued."


def period_label(choice: RunPeriod, last_run: Period | None) -> str:
    """How the period picker shows a period: its dates, then whether it is due or run."""
    notes = []
    if choice.next_due:
        notes.append("next due")
    if choice.already_run:
        notes.append("last run" if choice.period == last_run else "run already")
    if not choice.ended:
        notes.append("not yet ended")
    text = str(choice.period)
    return f"{text} — {', '.join(notes)}" if notes else text


class StatementRunDialog(RunProgress):
    """One statement run: the period, its preview, progress with cancel, and the result."""

    progressed = Signal(str, int, int)
    """``(stage, done, total)``: emitted on the run's worker thread, delivered on the GUI's."""

    run_finished = Signal(object)
    """The run completed: its :class:`~debtdesk.services.statement_run.RunResult`."""

    nothing_kept = NOTHING_KEPT

    def __init__(
        self,
        runs: StatementRuns,
        periods: StatementPeriods,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runs = runs
        self._today = today
        self._choices: RunPeriods | None = None
        self._preview: RunPreview | None = None
        self.result: RunResult | None = None
        self.setWindowTitle("Statement run — debtdesk")
        self.setAccessibleName("Statement run")

        self.period = QComboBox(self)
        self.period.setAccessibleName("Period")
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.statement_date = self._value("Statement date")
        self.last_run = self._value("Last run")
        self.statements = self._value("Statements")
        self.total_charged = self._value("Total charged")
        form = QFormLayout()
        form.addRow("&Period:", self.period)
        form.addRow("Statement date:", self.statement_date)
        form.addRow("Last run:", self.last_run)
        form.addRow("Statements:", self.statements)
        form.addRow("Total charged:", self.total_charged)

        self.note = self._text("Preview note")
        (self.open_print_button, self.open_folder_button), buttons = self._run_widgets(
            what="Run",
            progress_format="%v of %m",
            run_tip="Charge the period and issue the statements",
            cancel=("&Cancel run", "Stop the run; nothing of it is kept"),
            results=(
                ("Open print &file", "The run's statements in one PDF, for the print room"),
                ("Open f&older", "The print file and each account's own PDF"),
            ),
        )

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addSpacing(6)
        layout.addWidget(self.stage)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.period.currentIndexChanged.connect(self._period_changed)
        self.progressed.connect(self._show_progress)
        self.run_button.clicked.connect(self.start_run)
        self.cancel_button.clicked.connect(self.cancel_run)
        self.close_button.clicked.connect(self.reject)
        self.open_print_button.clicked.connect(self.open_print_file)
        self.open_folder_button.clicked.connect(self.open_folder)

        for widget in (
            self.stage,
            self.progress,
            self.cancel_button,
            self.open_print_button,
            self.open_folder_button,
        ):
            widget.hide()
        self.run_button.setEnabled(False)
        self.setMinimumWidth(620)
        self._clear_preview("Loading the periods…")
        run_task(
            lambda: periods.choices(today),
            self._show_choices,
            lambda error: self._say(sentence(f"the periods could not be read: {error}")),
            owner=self,
        )

    def _value(self, name: str) -> QLabel:
        label = QLabel("", self)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    # The period and its preview

    def _show_choices(self, choices: RunPeriods) -> None:
        self._choices = choices
        self.last_run.setText(
            f"Period ending {uk_date(choices.last_run.end)}"
            if choices.last_run
            else "None on record"
        )
        self.period.blockSignals(True)
        self.period.clear()
        for choice in choices.periods:
            self.period.addItem(period_label(choice, choices.last_run))
        due = next(i for i, c in enumerate(choices.periods) if c.period == choices.next_due)
        self.period.setCurrentIndex(due)
        self.period.blockSignals(False)
        self._period_changed()

    def selected_period(self) -> Period | None:
        index = self.period.currentIndex()
        if self._choices is None or index < 0:
            return None
        return self._choices.periods[index].period

    def _period_changed(self) -> None:
        period = self.selected_period()
        if period is None:
            return
        self._preview = None
        self.run_button.setEnabled(False)
        self.statement_date.setText(uk_date(period.statement_date))
        self._clear_preview("Working out what the run would do…")
        runs = self._runs
        run_task(
            lambda: runs.preview(period.end),
            self._show_preview,
            lambda error: self._preview_failed(period, error),
            owner=self,
        )

    def _clear_preview(self, note: str) -> None:
        self.statements.setText("…")
        self.total_charged.setText("…")
        self._note(note)
        self._say("")

    def _show_preview(self, preview: RunPreview) -> None:
        if preview.period != self.selected_period() or self.running:
            return  # another period was chosen meanwhile
        self._preview = preview
        period = preview.period
        last_end = preview.last_period_end
        if last_end is not None and period.end < last_end:
            self.statements.setText(plural(preview.already_issued, "statement") + " issued")
            self.total_charged.setText("—")
            self._note(
                f"The last run was for the period ending {uk_date(last_end)}: a run for an "
                "earlier period cannot be made."
            )
        elif preview.already_issued or (last_end is not None and period.end == last_end):
            issued = preview.already_issued
            self.statements.setText(f"{issued:,} issued" if issued else "—")
            self.total_charged.setText("—")
            verb = "was" if issued == 1 else "were"
            how_many = f": {plural(issued, 'statement')} {verb} issued" if issued else ""
            self._note(
                f"This period has been run already{how_many}. Running it again would issue nothing."
            )
        else:
            self.statements.setText(f"{preview.statements:,} to issue")
            self.total_charged.setText(money(preview.total_charged))
            notes = []
            if not preview.statements:
                notes.append("No account needs a statement for this period.")
            if period.end >= self._today:
                notes.append(
                    f"This period ends on {uk_date(period.end)}: running it now raises its "
                    "charges before it has ended."
                )
            self._note(" ".join(notes))
            self.run_button.setEnabled(True)

    def _preview_failed(self, period: Period, error: Exception) -> None:
        if period != self.selected_period():
            return
        self.statements.setText("—")
        self.total_charged.setText("—")
        self._note("")
        self._say(sentence(str(error)) if isinstance(error, BadInput) else f"Error: {error}")

    # The run

    def start_run(self) -> None:
        """Run the previewed period on the write pool, with progress and cancel."""
        preview = self._preview
        if preview is None or self.running or self.result is not None:
            return
        self.period.setEnabled(False)
        self.run_button.hide()
        cancel = self._begin()
        runs, end, progressed = self._runs, preview.period.end, self.progressed
        run_write(
            lambda: runs.run(end, progress=progressed.emit, cancelled=cancel.is_set),
            self._run_done,
            self._run_failed,
            owner=self,
        )

    def _run_done(self, result: RunResult) -> None:
        self._stopped()
        self.result = result
        self.statements.setText(f"{result.issued or result.already_issued:,} issued")
        self.period.setItemText(self.period.currentIndex(), f"{result.period} — run just now")
        self.total_charged.setText(money(result.total_charged) if result.issued else "—")
        if result.issued or not result.already_issued:
            text = (
                f"{plural(result.issued, 'statement')} issued for "
                f"{result.period}, charging "
                f"{money(result.total_charged)} in total."
            )
        else:
            text = sentence(result.message)
        if result.print_file is not None:
            text += f"\nPrint file: {result.print_file}"
        self._say(text)
        self._note("")
        self.open_print_button.setVisible(result.print_file is not None)
        self.open_folder_button.setVisible(result.out is not None)
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.run_finished.emit(result)

    def _run_failed(self, error: Exception) -> None:
        text = self._failure(error)
        if text is None:
            return
        self.period.setEnabled(True)
        self.run_button.show()
        self._period_changed()  # what a run would do now, and Run again
        self._say(text)

    # The result

    def open_print_file(self) -> None:
        if self.result is not None and self.result.print_file is not None:
            self._open(self.result.print_file)

    def open_folder(self) -> None:
        if self.result is not None and self.result.out is not None:
            self._open(self.result.out)
