"""What the statement run, recovery run and report dialogs share while a run goes: the
stage, the progress bar, the message and the Run, Cancel and Close buttons
(:meth:`RunProgress._run_widgets` makes them); Cancel (a flag the run polls; a cancelled
run keeps nothing), closing only once it has stopped, how a failure reads, and opening
the run's files.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton

from debtdesk.gui import desktop
from debtdesk.gui.formatting import sentence
from debtdesk.services.errors import BadInput
from debtdesk.services.statement_run import RunCancelled


class RunProgress(QDialog):
    """A run's dialog while the run goes on the write pool."""

    stage: Any
    progress: Any
    message: Any
    cancel_button: Any
    close_button: Any
    nothing_kept = "Nothing was kept."

    _cancel: threading.Event | None = None
    _close_when_stopped = False

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _text(self, name: str) -> QLabel:
        """A wrapping plain-text label with its accessible name."""
        label = QLabel("", self)
        label.setAccessibleName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _run_widgets(
        self,
        *,
        what: str,
        progress_format: str,
        run_tip: str,
        cancel: tuple[str, str],
        results: Sequence[tuple[str, str]],
    ) -> tuple[list[QPushButton], QHBoxLayout]:
        """Make ``stage``, ``progress``, ``message`` and the Run, Cancel and Close buttons;
        the buttons that act on the run's result (``(text, tip)`` each, left of the row),
        and the row of buttons.

        Args:
            what: "Run" or "Report", in the widgets' accessible names.
            progress_format: the bar's text ("%v of %m").
            run_tip: what Run does.
            cancel: Cancel's text and tip.
            results: the result buttons' texts and tips.
        """
        self.stage = QLabel("", self)
        self.stage.setAccessibleName("Stage")
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(f"{what} progress")
        self.progress.setFormat(progress_format)
        self.message = self._text(f"{what} message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        made = []
        for text, tip in results:
            button = QPushButton(text, self)
            button.setToolTip(tip)
            made.append(button)
        self.run_button = QPushButton("&Run", self)
        self.run_button.setDefault(True)
        self.run_button.setToolTip(run_tip)
        self.cancel_button = QPushButton(cancel[0], self)
        self.cancel_button.setToolTip(cancel[1])
        self.close_button = QPushButton("Close", self)
        row = QHBoxLayout()
        for button in made:
            row.addWidget(button)
        row.addStretch(1)
        for button in (self.run_button, self.cancel_button, self.close_button):
            row.addWidget(button)
        return made, row

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def _begin(self) -> threading.Event:
        """Show the run going (Cancel, a busy bar); the flag the run is to poll."""
        cancel = threading.Event()
        self._cancel = cancel
        self.close_button.hide()
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("&Cancel run")
        self.cancel_button.show()
        self.stage.setText("Starting the run…")
        self.stage.show()
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.show()
        self._say("")
        return cancel

    def cancel_run(self) -> None:
        """Ask the run to stop; it keeps nothing."""
        if self._cancel is None:
            return
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.stage.setText("Stopping the run…")

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        if not self.running:
            return
        self.stage.setText(f"{stage}…")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    def _stopped(self) -> None:
        self._cancel = None
        self._close_when_stopped = False
        self.cancel_button.hide()
        self.close_button.show()
        self.progress.hide()
        self.stage.hide()

    def _failure(self, error: Exception) -> str | None:
        """After a failed or cancelled run: what to say, or None when the dialog closed
        (it was closed while running, and the run has now stopped)."""
        closing = self._close_when_stopped
        self._stopped()
        if closing and isinstance(error, RunCancelled):
            self.reject()
            return None
        if isinstance(error, RunCancelled):
            return f"The run was cancelled. {self.nothing_kept}"
        if isinstance(error, BadInput):
            return f"{sentence(str(error))} {self.nothing_kept}"
        return f"The run failed: {error}. {self.nothing_kept}"

    def _open(self, path: object) -> None:
        if not desktop.open_path(str(path)):
            self._say(f"{self.message.text()}\nCould not open {path}.")

    def done(self, result: int) -> None:
        if self.running:
            self._close_when_stopped = True  # stop the run, then close
            self.cancel_run()
            return
        super().done(result)
