"""The interest run from the GUI: pick the run's date, run it, see what it posted.

The run (``InterestRuns.run``) goes on the write pool, as one transaction; it is quick, so
there is no progress bar and nothing to cancel, but the dialog does not close until it
has finished. The result is the service's own words (``describe``); when some invoices'
reference dates are after the day the Bank Rate history is known to, a warning says to
check for newer Bank Rate decisions. A refusal (a date before the last run's, another run
going, a login that may not run batches) is shown in the dialog, nothing is posted, and
the date can be changed and the run tried again.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from functools import partial

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from debtdesk.gui.action_dialog import chosen_date, date_edit
from debtdesk.gui.fields import note_label
from debtdesk.gui.formatting import sentence, uk_date
from debtdesk.gui.tasks import run_write
from debtdesk.services.errors import BadInput
from debtdesk.services.interest_run import InterestRunResult, InterestRuns, describe

TITLE = "Interest run"
INTRO = (
    "The run posts Late Payment Act interest and compensation on the overdue invoices of "
    "the customer types for businesses that have interest switched on. Each invoice's "
    "rate is fixed by its due date (Bank Rate on the reference date before it became "
    "late, plus 8%); interest is worked out to the run's date, less what earlier runs "
    "posted, and the fixed compensation is charged once. What is due is raised on an "
    "interest invoice issued on the run's date. A run cannot be dated before the last "
    "one, and a second run for the same date posts nothing."
)
NOTHING_POSTED = "Nothing was posted."
WARNING_STYLE = "color: palette(highlight); font-weight: bold;"

_log = logging.getLogger(__name__)


def result_text(result: InterestRunResult) -> str:
    """What the run posted, in the service's words (the Bank Rate warning said apart)."""
    if result.unknown_rates:
        return sentence(describe(replace(result, message="")))
    return sentence(describe(result))


def warning_text(result: InterestRunResult) -> str:
    """The Bank Rate warning, or empty."""
    return sentence(result.message) if result.unknown_rates else ""


class InterestRunDialog(QDialog):
    """One interest run: its date, Run, and what it posted or why it was refused."""

    run_finished = Signal(object)
    """The run completed: its :class:`~debtdesk.services.interest_run.InterestRunResult`."""

    def __init__(self, runs: InterestRuns, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runs = runs
        self._today = today
        self._busy = False
        self.result: InterestRunResult | None = None
        self.setWindowTitle(f"{TITLE} — debtdesk")
        self.setAccessibleName(TITLE)

        intro = note_label("About the interest run", self)
        intro.setText(INTRO)
        self.run_date = date_edit("Run date", today, self)
        self.run_date.setToolTip("The date interest is worked out to and the invoices issued on")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("Run &date:", self.run_date)
        self.note = note_label("Date note", self)

        self.message = note_label("Run result", self)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = note_label("Run warning", self)
        self.warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning.setStyleSheet(WARNING_STYLE)

        self.run_button = QPushButton("&Run", self)
        self.run_button.setDefault(True)
        self.run_button.setToolTip("Post the interest and compensation due at the run's date")
        self.close_button = QPushButton("Close", self)
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addSpacing(6)
        layout.addWidget(self.message)
        layout.addWidget(self.warning)
        layout.addStretch(1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.run_date, self.run_button)
        QWidget.setTabOrder(self.run_button, self.close_button)

        self.run_date.dateChanged.connect(self._date_changed)
        self.run_button.clicked.connect(self.start_run)
        self.close_button.clicked.connect(self.reject)
        self._say("", "")
        self._date_changed()
        self.setMinimumWidth(560)
        self.resize(640, 340)  # room for the explanation and the result, wrapped
        self.run_date.setFocus()

    def _say(self, text: str, warning: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))

    def chosen_date(self) -> date:
        """The date the run is to be made as at."""
        return chosen_date(self.run_date)

    def set_date(self, value: date) -> None:
        self.run_date.setDate(QDate(value.year, value.month, value.day))

    def _date_changed(self) -> None:
        chosen = self.chosen_date()
        note = (
            f"{uk_date(chosen)} is after today: interest would be charged for days not yet "
            "late, and no later run could be dated before it."
            if chosen > self._today
            else ""
        )
        self.note.setText(note)
        self.note.setVisible(bool(note))

    # The run

    @property
    def running(self) -> bool:
        return self._busy

    def start_run(self) -> None:
        """Run for the chosen date on the write pool."""
        if self._busy:
            return
        self._busy = True
        self.run_date.setEnabled(False)
        self.run_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self._say(f"Running for {uk_date(self.chosen_date())}…", "")
        run_write(
            partial(self._runs.run, self.chosen_date()),
            self._run_done,
            self._run_failed,
            owner=self,
        )

    def _stopped(self) -> None:
        self._busy = False
        self.run_date.setEnabled(True)
        self.run_button.setEnabled(True)
        self.close_button.setEnabled(True)

    def _run_done(self, result: InterestRunResult) -> None:
        self._stopped()
        self.result = result
        self._say(result_text(result), warning_text(result))
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.run_finished.emit(result)

    def _run_failed(self, error: Exception) -> None:
        self._stopped()
        if isinstance(error, BadInput):
            text = sentence(str(error))
            if "nothing was posted" not in text.lower():
                text = f"{text} {NOTHING_POSTED}"
        else:
            _log.error("the interest run failed", exc_info=error)
            text = f"The run failed because of an error in debtdesk: {error}. {NOTHING_POSTED}"
        self._say("", text)
        self.run_button.setDefault(True)
        self.run_date.setFocus()  # to change the date and run again

    def done(self, result: int) -> None:
        if self._busy:
            return  # a moment: the run is being written
        super().done(result)
