"""The account view's Interest tab: the Late Payment Act interest and compensation the
interest runs charged on the account's invoices, and the officer's waiver of either.

One row per invoice charged (``InterestWaivers.for_account``, read off the GUI thread):
its due date and amount, the reference date and the statutory rate fixed for the debt,
the days late and what was charged so far, as at the latest run that charged on it.
"Waive interest…" and "Waive compensation…" open a dialog making one
``InterestWaivers.waive`` call, which credits back what was posted; the tab reloads and
emits ``changed`` (the owner reloads the money tabs). They are hidden from a user who may
not work accounts; the service checks again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from debtdesk.domain.interest import COMPENSATION_BANDS, STATUTORY_MARGIN, TOP_COMPENSATION
from debtdesk.domain.roles import Permission
from debtdesk.gui.action_dialog import ActionDialog, DialogHost, chosen_date, date_edit
from debtdesk.gui.fields import line_edit, note_label, titled
from debtdesk.gui.formatting import money, sentence
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.interest import InterestLine, InterestWaivers
from debtdesk.services.interest_run import COMPENSATION, INTEREST, percent
from debtdesk.services.users import UserView

PART_NAMES = {INTEREST: "interest", COMPENSATION: "compensation"}


def waived_text(waived: Sequence[str]) -> str:
    """``Compensation``, ``Interest and compensation``; empty when neither is waived."""
    parts = [PART_NAMES[part] for part in PART_NAMES if part in waived]
    text = " and ".join(parts)
    return text[:1].upper() + text[1:]


INTEREST_COLUMNS: tuple[Column[InterestLine], ...] = (
    Column("Invoice", lambda line: line.number),
    Column("Due", lambda line: line.due, "date"),
    Column("Amount", lambda line: line.amount, "money"),
    Column("Reference date", lambda line: line.reference_date, "date"),
    Column("Rate", lambda line: percent(line.rate)),
    Column("Days late", lambda line: line.days, "number"),
    Column("As at", lambda line: line.as_of, "date"),
    Column("Interest", lambda line: line.interest, "money"),
    Column("Compensation", lambda line: line.compensation, "money"),
    Column("Waived", lambda line: waived_text(line.waived)),
)
WAIVED = len(INTEREST_COLUMNS) - 1


def interest_model(
    lines: Sequence[InterestLine], parent: QObject | None = None
) -> LineTableModel[InterestLine]:
    return LineTableModel(INTEREST_COLUMNS, lines, parent)


def _pounds(pence: int) -> str:
    """``£70``: a whole-pound sum as the Act states it."""
    return money(pence).removesuffix(".00")


def rules_text() -> str:
    """How the interest and compensation are worked out, in one line."""
    sums = "/".join(_pounds(fixed) for _, fixed in COMPENSATION_BANDS)
    return (
        f"Late Payment Act interest: simple, at Bank Rate on the reference date + "
        f"{STATUTORY_MARGIN}%, fixed for the life of the debt; compensation "
        f"{sums}/{_pounds(TOP_COMPENSATION)} once per invoice. Days late and the sums "
        "charged are as at the latest interest run that charged on the invoice."
    )


def none_text(customer_type: str) -> str:
    """What the tab says when no interest was ever charged on the account."""
    which = f" ({customer_type})" if customer_type else ""
    return (
        f"No Late Payment Act interest on this account: its customer type{which} does not "
        "attract it, or no interest run has found one of its invoices late."
    )


def refusal_reason(line: InterestLine | None, part: str) -> str:
    """Why the part cannot be waived on the chosen line; empty when it can."""
    if line is None:
        return "Choose an invoice first"
    if part in line.waived:
        return f"The {part} on {line.number} is waived already"
    charged = line.interest if part == INTEREST else line.compensation
    if charged <= 0:
        return f"No {part} has been charged on {line.number}"
    return ""


class WaiveDialog(ActionDialog):
    """Waive one invoice's interest or compensation: a reason and the day of the credit."""

    def __init__(
        self,
        waivers: InterestWaivers,
        line: InterestLine,
        part: str,
        as_of: date,
        account_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        charged = line.interest if part == INTEREST else line.compensation
        super().__init__(
            titled(f"Waive the {part}", account_label),
            f"{part.capitalize()} charged on {line.number} so far: {money(charged)}. Waiving "
            f"it credits that back to the account on the day below, and no later interest "
            f"run charges {part} on this invoice again. It cannot be undone here.",
            f"&Waive {part}",
            parent,
        )
        self._waivers, self._invoice_id, self._part = waivers, line.invoice_id, part
        self.on = date_edit("Credited on", as_of, self)
        self.reason = line_edit("Why it is waived", self, "What was decided, and by whom")
        self.form.addRow("Credited &on:", self.on)
        self.form.addRow("W&hy:", self.reason)

    def work(self) -> Callable[[], object]:
        waivers, invoice_id, part = self._waivers, self._invoice_id, self._part
        on, reason = chosen_date(self.on), self.reason.text()
        return lambda: waivers.waive(invoice_id, part, reason, on)


class InterestTab(DialogHost, QWidget):
    """The invoices charged interest, how it was worked out, and the waivers."""

    loaded = Signal()
    changed = Signal()
    """A waiver was recorded (and what was posted credited back)."""

    def __init__(
        self,
        waivers: InterestWaivers,
        user: UserView | None,
        account_id: int,
        as_of: date,
        account_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._waivers = waivers
        self.account_id, self.as_of = account_id, as_of
        self.account_label = account_label
        self._customer_type = ""
        self.lines: list[InterestLine] = []
        self.has_loaded = False
        self.dialog: ActionDialog | None = None
        self._may_work = user is not None and user.may(Permission.WORK_ACCOUNTS)

        self.table = read_only_table("Late Payment Act interest", self)
        self.rules = note_label("How the interest is worked out", self)
        self.rules.setText(rules_text())
        self.interest_button = QPushButton("Waive &interest…", self)
        self.compensation_button = QPushButton("Waive &compensation…", self)
        self.message = note_label("Interest message", self)
        buttons = QHBoxLayout()
        for button in (self.interest_button, self.compensation_button):
            button.setVisible(False)  # once there is something to waive, if the user may
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.rules)
        layout.addLayout(buttons)
        layout.addStretch(0)  # keeps the message at the top when the table is hidden

        self.interest_button.clicked.connect(self.waive_interest)
        self.compensation_button.clicked.connect(self.waive_compensation)
        self._enable_buttons()
        self.reload()

    @property
    def customer_type(self) -> str:
        """The account's customer type, named when there is no interest to show."""
        return self._customer_type

    @customer_type.setter
    def customer_type(self, value: str) -> None:
        self._customer_type = value
        if self.has_loaded and not self.lines:
            self.message.setText(none_text(value))

    def reload(self, select: int | None = None, message: str = "") -> None:
        """Load the account's interest again, keeping (or moving to) the chosen invoice."""
        chosen = self.selected()
        keep = select or (chosen.invoice_id if chosen else None)
        waivers, account_id = self._waivers, self.account_id
        self.message.setText("Loading…")
        run_task(
            lambda: waivers.for_account(account_id),
            lambda lines: self._show(lines, keep, message),
            lambda error: self.message.setText(
                sentence(f"the interest could not be loaded: {error}")
            ),
            owner=self,
        )

    def _show(self, lines: list[InterestLine], select: int | None, message: str) -> None:
        self.lines = lines
        self.has_loaded = True
        replace_model(self.table, interest_model(lines, self), WAIVED)
        self.table.selectionModel().selectionChanged.connect(self._enable_buttons)
        ids = [line.invoice_id for line in lines]
        if ids:
            self.table.selectRow(ids.index(select) if select in ids else 0)
        for widget in (self.table, self.rules):
            widget.setVisible(bool(lines))
        for button in (self.interest_button, self.compensation_button):
            button.setVisible(self._may_work and bool(lines))
        self.message.setText(message or ("" if lines else none_text(self._customer_type)))
        self._enable_buttons()
        self.loaded.emit()

    def selected(self) -> InterestLine | None:
        record = selected_record(self.table)
        return record if isinstance(record, InterestLine) else None

    def _enable_buttons(self) -> None:
        line = self.selected()
        for button, part in (
            (self.interest_button, INTEREST),
            (self.compensation_button, COMPENSATION),
        ):
            why_not = refusal_reason(line, part)
            button.setEnabled(not why_not)
            if why_not or line is None:
                button.setToolTip(why_not)
            else:
                button.setToolTip(
                    f"Credit back the {part} charged on {line.number} and charge no more of it"
                )

    def waive_interest(self) -> ActionDialog | None:
        return self._waive(INTEREST)

    def waive_compensation(self) -> ActionDialog | None:
        return self._waive(COMPENSATION)

    def _waive(self, part: str) -> ActionDialog | None:
        button = self.interest_button if part == INTEREST else self.compensation_button
        line = self.selected()
        if line is None or not button.isVisibleTo(self) or not button.isEnabled():
            return None
        if self.dialog is not None:
            return self.dialog
        dialog = WaiveDialog(self._waivers, line, part, self.as_of, self.account_label, self)
        return self._open(dialog, f"{part.capitalize()} on {line.number} waived.", line.invoice_id)
