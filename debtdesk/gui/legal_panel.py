"""The Recovery tab's Legal and agents page: the deferred payment agreement decision court
action waits for, and the account's referrals to agents, legal and the county court.

At the top, in plain words, the latest deferred payment agreement decision and whether
a legal referral or county court claim may start (Care Act s69(2)); below, the
referrals, open and returned. Actions: Record DPA decision…, Refer…, Record return….
Everything is read off the GUI thread; each action is one service call in a dialog, and
the page reloads after it. What the user's role does not allow is hidden.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from debtdesk.domain.roles import Permission
from debtdesk.gui.action_dialog import ActionDialog, DialogHost
from debtdesk.gui.formatting import sentence, uk_date
from debtdesk.gui.legal_dialogs import DpaDialog, ReferDialog, ReturnDialog
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.deferred_payments import DeferredPayments, DpaLine
from debtdesk.services.referrals import ReferralLine, Referrals
from debtdesk.services.users import UserView

TITLE = "&Legal and agents"

REFERRAL_COLUMNS: tuple[Column[ReferralLine], ...] = (
    Column("Referred to", lambda r: r.kind_name),
    Column("Referred on", lambda r: r.referred_on, "date"),
    Column("Amount", lambda r: r.amount, "money"),
    Column("Agency", lambda r: r.agency),
    Column("Their reference", lambda r: r.reference),
    Column("Returned on", lambda r: r.returned_on, "date"),
    Column("Recovered", lambda r: r.recovered if not r.is_open else None, "money"),
    Column("Outcome", lambda r: r.outcome),
)
OUTCOME = len(REFERRAL_COLUMNS) - 1


def referrals_model(
    lines: list[ReferralLine], parent: QObject | None = None
) -> LineTableModel[ReferralLine]:
    return LineTableModel(REFERRAL_COLUMNS, lines, parent)


def dpa_text(decisions: list[DpaLine], court_blocked: str | None) -> str:
    """The latest decision and what it means for court action, in two sentences."""
    if decisions:
        last = decisions[-1]
        said = (
            f"Deferred payment agreement: {last.outcome_name.lower()}, {uk_date(last.decided_on)}"
        )
        said += f" ({last.note})." if last.note else "."
    else:
        said = "Deferred payment agreement: no decision recorded."
    if court_blocked is None:
        return f"{said} A legal referral or county court claim may start."
    return f"{said} Court action waits: {court_blocked}."


class LegalPanel(DialogHost, QWidget):
    """The deferred payment agreement standing above; the referrals; the actions."""

    loaded = Signal()
    changed = Signal()
    """A decision or a referral was recorded."""
    counted = Signal(int)
    """How many referrals the account has, each time they are loaded."""

    def __init__(
        self,
        referrals: Referrals,
        dpa: DeferredPayments,
        user: UserView | None,
        account_id: int,
        as_of: date,
        account_label: str = "",
        balance: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._referrals, self._dpa = referrals, dpa
        self.account_id, self.as_of = account_id, as_of
        self.account_label = account_label
        self.balance = balance
        """Offered as a referral's amount; the owner keeps it up to date."""
        self.lines: list[ReferralLine] = []
        self.decisions: list[DpaLine] = []
        self.court_blocked: str | None = None
        self.has_loaded = False
        self.dialog: ActionDialog | None = None
        may_work = user is not None and user.may(Permission.WORK_ACCOUNTS)

        self.dpa_label = QLabel("", self)
        self.dpa_label.setAccessibleName("Deferred payment agreement")
        self.dpa_label.setWordWrap(True)
        self.dpa_label.setTextFormat(Qt.TextFormat.PlainText)
        self.table = read_only_table("Referrals", self)
        self.dpa_button = QPushButton("Record &DPA decision…", self)
        self.dpa_button.setToolTip(
            "A deferred payment agreement offered, answered, or none available"
        )
        self.refer_button = QPushButton("Re&fer…", self)
        self.refer_button.setToolTip(
            "To enforcement or tracing agents, legal, or a county court claim"
        )
        self.return_button = QPushButton("Record re&turn…", self)
        self.return_button.setToolTip("What came back from the chosen referral")
        self.message = QLabel("", self)
        self.message.setAccessibleName("Legal and agents message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        for button in (self.dpa_button, self.refer_button, self.return_button):
            button.setVisible(may_work)
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.dpa_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.dpa_button.clicked.connect(self.record_dpa)
        self.refer_button.clicked.connect(self.refer)
        self.return_button.clicked.connect(self.return_selected)
        self._enable_buttons()
        self.reload()

    def reload(self, select: int | None = None, message: str = "") -> None:
        """Load the decisions and referrals again, keeping (or moving to) the chosen one."""
        chosen = self.selected()
        keep = select or (chosen.id if chosen else None)
        referrals, dpa, account_id = self._referrals, self._dpa, self.account_id
        self.message.setText("Loading…")
        run_task(
            lambda: (
                referrals.for_account(account_id),
                dpa.for_account(account_id),
                dpa.court_action_blocked(account_id),
            ),
            lambda loaded: self._show(*loaded, keep, message),
            lambda error: self.message.setText(
                sentence(f"the referrals could not be loaded: {error}")
            ),
            owner=self,
        )

    def _show(
        self,
        lines: list[ReferralLine],
        decisions: list[DpaLine],
        court_blocked: str | None,
        select: int | None,
        message: str,
    ) -> None:
        self.lines, self.decisions, self.court_blocked = lines, decisions, court_blocked
        self.has_loaded = True
        self.dpa_label.setText(dpa_text(decisions, court_blocked))
        replace_model(self.table, referrals_model(lines, self), OUTCOME)
        self.table.selectionModel().selectionChanged.connect(self._enable_buttons)
        ids = [line.id for line in lines]
        if ids:
            first_open = next((i for i, line in enumerate(lines) if line.is_open), 0)
            self.table.selectRow(ids.index(select) if select in ids else first_open)
        self.message.setText(message or ("" if lines else "No referrals on this account."))
        self._enable_buttons()
        self.counted.emit(len(lines))
        self.loaded.emit()

    def selected(self) -> ReferralLine | None:
        record = selected_record(self.table)
        return record if isinstance(record, ReferralLine) else None

    def _enable_buttons(self) -> None:
        line = self.selected()
        self.return_button.setEnabled(line is not None and line.is_open)

    def record_dpa(self) -> ActionDialog | None:
        if not self.dpa_button.isVisibleTo(self):
            return None
        if self.dialog is not None:
            return self.dialog
        latest = self.decisions[-1] if self.decisions else None
        dialog = DpaDialog(self._dpa, self.account_id, self.as_of, latest, self.account_label, self)
        chosen = self.selected()  # the dialog returns the decision's id, not a referral's
        keep = chosen.id if chosen else -1
        return self._open(dialog, "Deferred payment agreement decision recorded.", keep)

    def refer(self) -> ActionDialog | None:
        if not self.refer_button.isVisibleTo(self):
            return None
        if self.dialog is not None:
            return self.dialog
        dialog = ReferDialog(
            self._referrals, self.account_id, self.as_of, self.balance, self.court_blocked,
            self.account_label, self,
        )  # fmt: skip
        return self._open(dialog, "Referral recorded.")

    def return_selected(self) -> ActionDialog | None:
        line = self.selected()
        if line is None or not self.return_button.isVisibleTo(self) or not line.is_open:
            return None
        if self.dialog is not None:
            return self.dialog
        dialog = ReturnDialog(self._referrals, line, self.as_of, self.account_label, self)
        return self._open(dialog, f"Return recorded: {line.kind_name.lower()}.", line.id)
