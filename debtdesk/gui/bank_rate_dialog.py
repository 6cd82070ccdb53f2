"""The Bank Rate history dialog: a team leader records the Bank of England's decisions that
Late Payment Act interest is worked out from, and the day the history is known to.

The decisions and the known-to day are read from ``BankRates`` on the read pool. A
decision is added, and a mistaken one withdrawn, through
:class:`~debtdesk.gui.action_dialog.ActionDialog` forms over one ``BankRates`` call on the
write pool, so a refusal (a day recorded already, a rate out of range, a login that may
not edit policy) is shown and the form stays open to be put right. Nothing is edited: a
withdrawn row stays in the list, marked so with its reason, and a row interest was worked
out with cannot be withdrawn (Withdraw… is disabled for it, saying why).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from debtdesk.gui.action_dialog import ActionDialog, OneDialog, chosen_date, date_edit
from debtdesk.gui.fields import line_edit, note_label, text_box
from debtdesk.gui.formatting import uk_date
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.prompts import refusal
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task, run_write
from debtdesk.services.bank_rates import BankRateLine, BankRates, parse_rate

TITLE = "Bank Rate history"
INTRO = (
    "Late Payment Act interest is Bank Rate plus 8%, taking the Bank Rate in force on the "
    "reference date (31 December or 30 June) before a debt became late; the rate then stays "
    "fixed for that debt. "
    "Record each Bank of England decision here as it is made. A decision is never changed: "
    "one entered by mistake may be withdrawn, saying why, until interest has been worked "
    "out with it; after that it stays."
)
WITHDRAW_TIP = "Withdraw the chosen decision, entered by mistake (it stays listed, marked so)"
USED_TIP = "Interest has been worked out with this rate: it stays; record a new decision instead"
WITHDRAWN_TIP = "This decision is withdrawn already"


def rate_text(line: BankRateLine) -> str:
    return f"{line.rate:.2f}%"


def status(line: BankRateLine) -> str:
    """``In use``, ``Not used yet`` or ``Withdrawn: <reason>``."""
    if line.withdrawn_at is not None:
        return f"Withdrawn: {line.withdrawn_reason}" if line.withdrawn_reason else "Withdrawn"
    return "In use" if line.used else "Not used yet"


def rate_said(line: BankRateLine) -> str:
    """``Bank Rate 4.00% from 30/07/2026``."""
    return f"Bank Rate {rate_text(line)} from {uk_date(line.effective)}"


COLUMNS: tuple[Column[BankRateLine], ...] = (
    Column("Effective from", lambda r: r.effective, "date"),
    Column("Rate", rate_text),
    Column("Note", lambda r: r.note),
    Column("Added by", lambda r: r.added_by),
    Column("Status", status),
)
STATUS_COLUMN = 4


def known_to_text(day: date) -> str:
    return (
        f"Known to {uk_date(day)}: a reference date after it is worked out from the last "
        "decision and flagged."
    )


class AddRateDialog(ActionDialog):
    """A new decision: the day it takes effect, the rate as a percentage, a note."""

    def __init__(self, rates: BankRates, today: date, parent: QWidget | None = None) -> None:
        super().__init__(
            "Add a Bank Rate decision",
            "The rate the Bank of England's Monetary Policy Committee set, and the day it "
            "takes effect. It cannot take effect on or before a reference date interest "
            "has been charged at.",
            "&Add decision",
            parent,
        )
        self._rates = rates
        self.effective = date_edit("Effective from", today, self)
        self.rate = line_edit("Bank Rate (per cent)", self, "3.75")
        self.rate.setMaxLength(8)
        self.note = line_edit("Note", self, "MPC decision of 30 July 2026")
        self.note.setMaxLength(200)
        self.form.addRow("&Effective from:", self.effective)
        self.form.addRow("&Bank Rate (%):", self.rate)
        self.form.addRow("&Note:", self.note)

    def work(self) -> Callable[[], object]:
        rate = parse_rate(self.rate.text())  # BadInput is shown, the form stays open
        return partial(self._rates.add, chosen_date(self.effective), rate, self.note.text())

    def done_text(self) -> str:
        rate = parse_rate(self.rate.text())
        return f"Added: Bank Rate {rate:.2f}% from {uk_date(chosen_date(self.effective))}."


class WithdrawRateDialog(ActionDialog):
    """Withdraw a decision entered by mistake, saying why."""

    def __init__(self, rates: BankRates, line: BankRateLine, parent: QWidget | None = None) -> None:
        note = f" ({line.note})" if line.note else ""
        super().__init__(
            f"Withdraw a Bank Rate decision — {uk_date(line.effective)}",
            f"{rate_said(line)}{note}. No interest has been worked out with it. Withdrawn, "
            "it stays in the list, marked so with the reason, and is no longer used.",
            "&Withdraw",
            parent,
        )
        self._rates, self._line = rates, line
        self.reason = text_box("Reason", self, "Typed in before the announcement")
        self.form.addRow("&Reason:", self.reason)

    def work(self) -> Callable[[], object]:
        return partial(self._rates.withdraw, self._line.id, self.reason.toPlainText())

    def done_text(self) -> str:
        return f"Withdrawn: {rate_said(self._line)}."


class BankRateDialog(QDialog, OneDialog):
    """The decisions, newest first, with Add and Withdraw; the day the history is known to."""

    def __init__(self, rates: BankRates, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rates, self._today = rates, today
        self.dialog: ActionDialog | None = None
        self.notice: QMessageBox | None = None
        self._select_after: int | None = None
        self.setWindowTitle(f"{TITLE} — debtdesk")
        self.setAccessibleName(TITLE)

        intro = note_label("About the Bank Rate history", self)
        intro.setText(INTRO)
        self.table = read_only_table("Bank Rate decisions", self)
        self.table.setModel(LineTableModel(COLUMNS, (), self))

        self.known_to_label = note_label("History known to", self)
        self.known_to = date_edit("Known to date", today, self)
        self.known_to.setToolTip(
            "The last decision day you have checked the Bank of England's site for"
        )
        self.known_to.setEnabled(False)  # once loaded
        known_to_caption = QLabel("&Known to:", self)
        known_to_caption.setBuddy(self.known_to)
        self.save_button = QPushButton("&Save", self)
        self.save_button.setAccessibleName("Save known to")
        self.save_button.setToolTip("Record that the history is complete up to this day")
        self.save_button.setAutoDefault(False)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_known_to)
        known_row = QHBoxLayout()
        known_row.addWidget(known_to_caption)
        known_row.addWidget(self.known_to)
        known_row.addWidget(self.save_button)
        known_row.addStretch(1)

        self.add_button = QPushButton("&Add decision…", self)
        self.add_button.setToolTip("Record a Bank of England decision")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_rate)
        self.withdraw_button = QPushButton("&Withdraw…", self)
        self.withdraw_button.setAutoDefault(False)
        self.withdraw_button.setEnabled(False)
        self.withdraw_button.clicked.connect(self.withdraw_rate)
        self.message = note_label("Bank Rate message", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addWidget(self.message, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addSpacing(6)
        layout.addWidget(self.known_to_label)
        layout.addLayout(known_row)
        layout.addWidget(close)
        self.resize(940, 540)
        self.reload()

    def reload(self, select: int | None = None, message: str = "") -> None:
        """Read the decisions and the known-to day again (off the GUI thread)."""
        rates = self._rates
        run_task(
            lambda: (rates.list(), rates.known_to()),
            lambda loaded: self._loaded(*loaded, select, message),
            lambda error: self.message.setText(f"The Bank Rate history could not be read: {error}"),
            owner=self,
        )

    def _loaded(
        self, lines: list[BankRateLine], known_to: date, select: int | None, message: str
    ) -> None:
        replace_model(self.table, LineTableModel(COLUMNS, lines, self), stretch=STATUS_COLUMN)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        ids = [line.id for line in lines]
        if ids:  # the one asked for, else the newest
            self.table.selectRow(ids.index(select) if select in ids else 0)
        self._selection_changed()
        self.known_to_label.setText(known_to_text(known_to))
        self.known_to.setDate(QDate(known_to.year, known_to.month, known_to.day))
        self.known_to.setEnabled(True)
        self.save_button.setEnabled(True)
        self.message.setText(message)

    def selected_line(self) -> BankRateLine | None:
        record = selected_record(self.table)
        return record if isinstance(record, BankRateLine) else None

    def _selection_changed(self) -> None:
        """Withdraw… only for a row no interest rests on; its tooltip says why not."""
        line = self.selected_line()
        tip = WITHDRAW_TIP
        if line is not None and line.withdrawn_at is not None:
            tip = WITHDRAWN_TIP
        elif line is not None and line.used:
            tip = USED_TIP
        self.withdraw_button.setEnabled(line is not None and tip == WITHDRAW_TIP)
        self.withdraw_button.setToolTip(tip)

    # Actions

    def add_rate(self) -> ActionDialog:
        return self._open(AddRateDialog(self._rates, self._today, self), None)

    def withdraw_rate(self) -> ActionDialog | None:
        line = self.selected_line()
        if line is None or not self.withdraw_button.isEnabled():
            return None
        return self._open(WithdrawRateDialog(self._rates, line, self), line.id)

    def _open(self, dialog: AddRateDialog | WithdrawRateDialog, select: int | None) -> ActionDialog:
        self._select_after = select
        return self._open_one(dialog, self._done, replace=True)

    def _done(self, result: object) -> None:
        """The form's call succeeded (it is still open): show the list again, saying so."""
        form = self.dialog
        text = form.done_text() if isinstance(form, (AddRateDialog, WithdrawRateDialog)) else ""
        self.reload(result if isinstance(result, int) else self._select_after, text)

    def save_known_to(self) -> None:
        """Record the known-to day (on the write pool); a refusal is shown."""
        day = chosen_date(self.known_to)
        self.save_button.setEnabled(False)
        run_write(
            partial(self._rates.set_known_to, day),
            lambda _none: self.reload(
                self.selected_id(), f"The history is known to {uk_date(day)}."
            ),
            self._save_failed,
            owner=self,
        )

    def _save_failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        self.notice = refusal(self, TITLE, error)

    def selected_id(self) -> int | None:
        line = self.selected_line()
        return line.id if line is not None else None
