"""The recovery run from the GUI: pick the run's date, run it, see what it did.

The run (``RecoveryRuns.run``) goes on the write pool. It reports progress from its
worker thread through the dialog's ``progressed`` signal, which Qt queues to the GUI
thread; Cancel sets a flag the run polls, and a cancelled run keeps nothing. A refusal
(a date before the last run's, a login that may not run batches) is shown in the dialog
and the date can be changed and the run tried again. While a run is going the dialog
does not close: closing asks the run to stop, and the dialog closes once it has (unless
the run had finished by then: its result is shown).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from debtdesk.gui.action_dialog import chosen_date, date_edit
from debtdesk.gui.formatting import plural, sentence, uk_date
from debtdesk.gui.run_progress import RunProgress
from debtdesk.gui.tasks import run_write
from debtdesk.services.recovery_run import RecoveryRunResult, RecoveryRuns

INTRO = (
    "The run moves every overdue account that is not on hold on by its next recovery "
    "stage, as at the run's date. It writes the stages' letters into one print file, with "
    "a PDF for each account, and makes a phone task (or a task for the officer's step) for "
    "the stages that need one. A run cannot be dated before the last one, and a second run "
    "for the same date does nothing new."
)
NOTHING_KEPT = "Nothing was kept: no account was moved on and no letters or tasks were made."


def result_text(result: RecoveryRunResult) -> str:
    """What a finished run did, as the officer reads it (the service's words for a repeat)."""
    counts = (result.advanced, result.letters, result.tasks, result.cleared, result.plans_ended)
    if not any(counts):
        text = sentence(result.message)  # nothing due, or the date was run already
    else:
        moved = result.advanced - result.cleared
        parts = [f"{plural(moved, 'account')} moved on a stage"]
        if result.cleared:
            parts.append(f"{plural(result.cleared, 'account')} left recovery")
        parts.append(f"{plural(result.letters, 'letter')} written")
        parts.append(f"{plural(result.tasks, 'task')} made")
        if result.plans_ended:
            parts.append(f"{plural(result.plans_ended, 'payment plan')} ended")
        text = f"Recovery run for {uk_date(result.as_of)}: {', '.join(parts)}."
    if result.print_file is not None:
        text += f"\nPrint file: {result.print_file}"
    return text


class RecoveryRunDialog(RunProgress):
    """One recovery run: its date, progress with cancel, and the result."""

    progressed = Signal(str, int, int)
    """``(stage, done, total)``: emitted on the run's worker thread, delivered on the GUI's."""

    run_finished = Signal(object)
    """The run completed: its :class:`~debtdesk.services.recovery_run.RecoveryRunResult`."""

    nothing_kept = NOTHING_KEPT

    def __init__(self, runs: RecoveryRuns, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runs = runs
        self._today = today
        self.result: RecoveryRunResult | None = None
        self.setWindowTitle("Recovery run — debtdesk")
        self.setAccessibleName("Recovery run")

        self.intro = self._text("About the recovery run")
        self.intro.setText(INTRO)
        self.run_date = date_edit("Run date", today, self)
        self.run_date.setToolTip("The date the run is made as at; stages fall due by it")
        form = QFormLayout()
        form.addRow("Run &date:", self.run_date)
        self.note = self._text("Date note")

        (self.open_print_button, self.open_folder_button), buttons = self._run_widgets(
            what="Run",
            progress_format="%v of %m",
            run_tip="Move overdue accounts on, write the letters, make the tasks",
            cancel=("&Cancel run", "Stop the run; nothing of it is kept"),
            results=(
                ("Open print &file", "The run's letters in one PDF, for the print room"),
                ("Open f&older", "The print file and each account's own PDF"),
            ),
        )

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addSpacing(6)
        layout.addWidget(self.stage)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

        chain = (
            self.run_date,
            self.run_button,
            self.cancel_button,
            self.open_print_button,
            self.open_folder_button,
            self.close_button,
        )
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

        self.run_date.dateChanged.connect(self._date_changed)
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
            self.message,
        ):
            widget.hide()
        self._date_changed()
        self.setMinimumWidth(560)
        self.run_date.setFocus()

    def chosen_date(self) -> date:
        """The date the run is to be made as at."""
        return chosen_date(self.run_date)

    def set_date(self, value: date) -> None:
        self.run_date.setDate(QDate(value.year, value.month, value.day))

    def _date_changed(self) -> None:
        chosen = self.chosen_date()
        if chosen > self._today:
            note = (
                f"{uk_date(chosen)} is after today: the run would move accounts on before "
                "their stages fall due, and no later run could be dated before it."
            )
        else:
            note = ""
        self.note.setText(note)
        self.note.setVisible(bool(note))

    # The run

    def start_run(self) -> None:
        """Run for the chosen date on the write pool, with progress and cancel."""
        if self.running or self.result is not None:
            return
        self.run_date.setEnabled(False)
        self.run_button.hide()
        cancel = self._begin()
        self.cancel_button.setFocus()
        run_write(
            partial(
                self._runs.run,
                self.chosen_date(),
                progress=self.progressed.emit,
                cancelled=cancel.is_set,
            ),
            self._run_done,
            self._run_failed,
            owner=self,
        )

    def _run_done(self, result: RecoveryRunResult) -> None:
        self._stopped()
        self.result = result
        self._say(result_text(result))
        has_file = result.print_file is not None
        self.open_print_button.setVisible(has_file)
        self.open_folder_button.setVisible(has_file)
        self.close_button.setDefault(True)
        (self.open_print_button if has_file else self.close_button).setFocus()
        self.run_finished.emit(result)

    def _run_failed(self, error: Exception) -> None:
        text = self._failure(error)
        if text is None:
            return
        self.run_date.setEnabled(True)
        self.run_button.show()
        self.run_button.setDefault(True)
        self._say(text)
        self.run_date.setFocus()  # to change the date and run again

    # The result

    def open_print_file(self) -> None:
        if self.result is not None and self.result.print_file is not None:
            self._open(self.result.print_file)

    def open_folder(self) -> None:
        if self.result is not None and self.result.print_file is not None:
            self._open(self.result.print_file.parent)
