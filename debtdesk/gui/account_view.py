"""A window for one account: Summary, Ledger, Invoices, Interest, Payments, Statements, ….

The account's detail (``Accounts.detail_by_id``) is loaded off the GUI thread; the window
shows "Loading…" until it arrives. Each account opens in its own non-modal window. The
Statements tab lists the account's statements and letters (``Documents``); "Write a
letter…" (``Letters``) opens the letter dialog, and the tab reloads when one is issued.
The Payments and Direct debit tabs (``Payments``, ``Mandates``) load themselves likewise,
as does the Interest tab (``InterestWaivers``: Late Payment Act interest and its waivers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.caseload import MandateStatus
from debtdesk.gui import settings as keys
from debtdesk.gui.account_documents import AccountDocuments
from debtdesk.gui.account_summary import AccountSummary
from debtdesk.gui.account_tables import (
    assessments_model,
    invoices_model,
    ledger_model,
    packages_model,
)
from debtdesk.gui.action_dialog import ActionDialog, OneDialog
from debtdesk.gui.death_dialog import DeathDialog
from debtdesk.gui.direct_debit_tab import DirectDebitTab
from debtdesk.gui.formatting import money, uk_date
from debtdesk.gui.interest_tab import InterestTab
from debtdesk.gui.legal_panel import LegalPanel
from debtdesk.gui.letter_dialog import LetterDialog
from debtdesk.gui.notes_tab import ContactNotesTab
from debtdesk.gui.panel_history import PanelHistory
from debtdesk.gui.payments_tab import PaymentsTab
from debtdesk.gui.plans_tab import PaymentPlansTab
from debtdesk.gui.recovery_tab import RecoveryTab
from debtdesk.gui.tables import read_only_table, show_model
from debtdesk.gui.tasks import run_task
from debtdesk.services.accounts import AccountDetail, Accounts
from debtdesk.services.affordability import AffordabilityChecks
from debtdesk.services.contact_notes import ContactNotes
from debtdesk.services.deaths import Deaths
from debtdesk.services.deferred_payments import DeferredPayments
from debtdesk.services.documents import DocumentLine, Documents
from debtdesk.services.holds import Holds
from debtdesk.services.interest import InterestWaivers
from debtdesk.services.letters import Letters
from debtdesk.services.mandates import Mandates
from debtdesk.services.panel import Panels
from debtdesk.services.payment_plans import PaymentPlans
from debtdesk.services.payments import Payments
from debtdesk.services.recovery import RecoverySummary
from debtdesk.services.referrals import Referrals
from debtdesk.services.users import UserView
from debtdesk.services.write_offs import WriteOffs

LEDGER_DESCRIPTION = 2
ASSESSMENT_REASON = 3
PACKAGE_PROVIDER = 1
TAB_TITLES = (
    "Summary",
    "Ledger",
    "Invoices",
    "Interest",
    "Payments",
    "Direct debit",
    "Payment plan",
    "Contacts and notes",
    "Recovery",
    "Statements",
    "Assessments",
    "Care packages",
)
STATEMENTS_TAB = TAB_TITLES.index("Statements")
PAYMENTS_TAB = TAB_TITLES.index("Payments")
DIRECT_DEBIT_TAB = TAB_TITLES.index("Direct debit")
RECOVERY_TAB = TAB_TITLES.index("Recovery")
INTEREST_TAB = TAB_TITLES.index("Interest")


@dataclass(frozen=True)
class RecoveryKit:
    """The services behind the Payment plan, Contacts and notes, Recovery and Interest tabs
    (``panels``: the Recovery tab's Panel page)."""

    summary: Callable[[int, date], RecoverySummary]
    holds: Holds
    write_offs: WriteOffs
    plans: PaymentPlans
    checks: AffordabilityChecks
    notes: ContactNotes
    user: UserView | None
    deaths: Deaths | None = None
    referrals: Referrals | None = None
    dpa: DeferredPayments | None = None
    interest: InterestWaivers | None = None
    panels: Panels | None = None


class AccountView(QWidget, OneDialog):
    """One account as at a date, in its own window."""

    loaded = Signal()
    """The detail arrived and the tabs are filled."""

    def __init__(
        self,
        accounts: Accounts,
        account_id: int,
        as_of: date,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        documents: Documents | None = None,
        letters: Letters | None = None,
        payments: Payments | None = None,
        mandates: Mandates | None = None,
        recovery: RecoveryKit | None = None,
    ) -> None:
        """Show account ``account_id`` as at ``as_of``.

        Args:
            documents: for the Statements tab (None: the tab says it is not available).
            letters: for "Write a letter…" (None: the action is off).
            payments, mandates: for the Payments and Direct debit tabs (None: not available).
            recovery: for the Payment plan, Contacts and notes and Recovery tabs, and the
                Interest tab when it has ``interest`` (else: not available).
        """
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._accounts = accounts
        self.setWindowTitle("Account — debtdesk")
        self.setAccessibleName("Account")
        self.account_id = account_id
        self.as_of = as_of
        self.detail: AccountDetail | None = None
        self._settings = settings
        self._letters = letters
        self.letter_dialog: LetterDialog | None = None

        self._heading = QLabel("Loading…", self)
        self._heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self._heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self._heading.setFont(font)
        self._balance = QLabel("", self)
        self._balance.setFont(font)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Account tabs")
        self.ledger_table = read_only_table("Ledger")
        self.invoices_table = read_only_table("Invoices")
        self.assessments_table = read_only_table("Assessments")
        self.packages_table = read_only_table("Care packages")
        self._summary_page = QWidget()
        self._summary_layout = QVBoxLayout(self._summary_page)
        self._summary_layout.setContentsMargins(0, 0, 0, 0)
        self.summary: AccountSummary | None = None
        self.documents: AccountDocuments | None = None
        if documents is not None:
            self.documents = AccountDocuments(documents, account_id, as_of)
        statements_page = self.documents or QLabel("The document archive is not available here.")
        self.payments = PaymentsTab(payments, account_id) if payments is not None else None
        self.direct_debit = (
            DirectDebitTab(mandates, account_id, as_of) if mandates is not None else None
        )
        self.plans: PaymentPlansTab | None = None
        self.notes: ContactNotesTab | None = None
        self.recovery: RecoveryTab | None = None
        self.legal: LegalPanel | None = None
        self.panel: PanelHistory | None = None
        self.interest: InterestTab | None = None
        if recovery is not None:
            self.plans = PaymentPlansTab(recovery.plans, recovery.checks, account_id, as_of)
            self.notes = ContactNotesTab(recovery.notes, account_id)
            self.legal = (
                LegalPanel(recovery.referrals, recovery.dpa, recovery.user, account_id, as_of)
                if recovery.referrals is not None and recovery.dpa is not None
                else None
            )
            if recovery.panels is not None:
                self.panel = PanelHistory(recovery.panels, account_id)
            self.recovery = RecoveryTab(
                recovery.summary,
                recovery.holds,
                recovery.write_offs,
                recovery.user,
                account_id,
                as_of,
                legal=self.legal,
                panel=self.panel,
            )
            self.recovery.changed.connect(self.reload_money)  # a write-off posts
            if recovery.interest is not None:
                self.interest = InterestTab(recovery.interest, recovery.user, account_id, as_of)
                self.interest.changed.connect(self._interest_waived)  # a waiver credits
        missing = "Recovery is not available here."
        payments_page = self.payments or QLabel("Payments are not available here.")
        direct_debit_page = self.direct_debit or QLabel("Direct debits are not available here.")
        for title, page in zip(
            TAB_TITLES,
            (
                self._summary_page,
                self.ledger_table,
                self.invoices_table,
                self.interest or QLabel("Late Payment Act interest is not available here."),
                payments_page,
                direct_debit_page,
                self.plans or QLabel(missing),
                self.notes or QLabel(missing),
                self.recovery or QLabel(missing),
                statements_page,
                self.assessments_table,
                self.packages_table,
            ),
            strict=True,
        ):
            self.tabs.addTab(page, title)

        self.letter_action = QAction("Write a &letter…", self)
        self.letter_action.setIconText("Write a letter…")  # a tool button drops the "…" else
        self.letter_action.setShortcut(QKeySequence("Ctrl+L"))
        self.letter_action.setToolTip("Write a reminder, final reminder, letter of claim or letter")
        self.letter_action.setEnabled(False)  # once the account is loaded
        self.letter_action.triggered.connect(self.write_letter)
        self.addAction(self.letter_action)
        self.letter_button = QToolButton(self)
        self.letter_button.setDefaultAction(self.letter_action)
        self.letter_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._deaths = recovery.deaths if recovery is not None else None
        self.death_action = QAction("Record a &death…", self)
        self.death_action.setIconText("Record a death…")
        self.death_action.setToolTip("The client has died: the account becomes the estate's")
        self.death_action.setEnabled(False)  # once the account is loaded, if alive
        self.death_action.triggered.connect(self.record_death)
        self.addAction(self.death_action)
        self.death_button = QToolButton(self)
        self.death_button.setDefaultAction(self.death_action)
        self.death_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.death_button.setVisible(self._deaths is not None)

        self.message = QLabel("Loading the account…", self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.message)
        self._stack.addWidget(self.tabs)

        top = QWidget(self)
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._heading, 1)
        row.addWidget(self._balance)
        row.addSpacing(12)
        row.addWidget(self.death_button)
        row.addWidget(self.letter_button)
        layout = QVBoxLayout(self)
        layout.addWidget(top)
        layout.addWidget(self._stack, 1)

        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        geometry = settings.value(keys.ACCOUNT_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(960, 640)

        self.reload()

    def _show(self, detail: AccountDetail) -> None:
        self.detail = detail
        self.setWindowTitle(f"{detail.reference} {detail.name} — debtdesk")
        self._heading.setText(f"{detail.reference}  {detail.name}")
        self._balance.setText(f"Balance {money(detail.balance)}")
        self._balance.setAccessibleName("Balance")
        self._balance.setToolTip(f"As at {uk_date(detail.as_of)}")

        if self.summary is not None:  # shown again after a change
            self._summary_layout.removeWidget(self.summary)
            self.summary.deleteLater()
        self.summary = AccountSummary(detail, self._summary_page)
        self._summary_layout.addWidget(self.summary)
        show_model(self.ledger_table, ledger_model(detail, self), stretch=LEDGER_DESCRIPTION)
        show_model(self.invoices_table, invoices_model(detail, self))
        show_model(
            self.assessments_table, assessments_model(detail, self), stretch=ASSESSMENT_REASON
        )
        show_model(self.packages_table, packages_model(detail, self), stretch=PACKAGE_PROVIDER)
        self.ledger_table.scrollToBottom()  # the latest entries are what an officer looks at
        self.tabs.setCurrentIndex(0)
        self._stack.setCurrentWidget(self.tabs)
        self.letter_action.setEnabled(self._letters is not None)
        self.death_action.setEnabled(self._deaths is not None and detail.date_of_death is None)
        label = f"{detail.reference} {detail.name}"
        if self.direct_debit is not None:
            self.direct_debit.account_label = label
        if self.plans is not None:
            self.plans.account_label = label
            self.plans.arrears = sum(
                i.outstanding for i in detail.open_invoices if i.days_overdue > 0
            )
            self.plans.has_mandate = detail.mandate is not None and detail.mandate.status in (
                MandateStatus.PENDING.value,
                MandateStatus.LIVE.value,
            )
        if self.notes is not None:
            self.notes.account_label = label
            self.notes.people = (detail.name, *(r.name for r in detail.representatives))
        if self.recovery is not None:
            self.recovery.account_label = label
            self.recovery.balance = detail.balance
        if self.legal is not None:
            self.legal.account_label = label
            self.legal.balance = detail.balance
        if self.interest is not None:
            self.interest.account_label = label
            self.interest.customer_type = detail.customer_type_name or detail.customer_type
        self.loaded.emit()

    def reload_money(self, changed_by: QWidget | None = None) -> None:
        """Load the money tabs again: money was posted elsewhere.

        Args:
            changed_by: a tab that posted it and has reloaded itself (left alone).
        """
        for tab in (self.payments, self.direct_debit, self.plans, self.recovery, self.interest):
            if tab is not None and tab is not changed_by:
                tab.reload()

    def _interest_waived(self) -> None:
        """A waiver credited the account; the Interest tab says what was waived."""
        self.reload_money(changed_by=self.interest)

    def reload(self) -> None:
        """Load the account again (a change was made from this window)."""
        accounts, account_id, as_of = self._accounts, self.account_id, self.as_of
        run_task(
            lambda: accounts.detail_by_id(account_id, as_of), self._show, self._failed, owner=self
        )

    def record_death(self) -> ActionDialog | None:
        """Open the dialog to record the client's death (or return the one open)."""
        if self.dialog is not None:
            return self.dialog
        if self._deaths is None or self.detail is None:
            return None
        dialog = DeathDialog(
            self._deaths, self.account_id, self.as_of,
            f"{self.detail.reference} {self.detail.name}", self,
        )  # fmt: skip
        self._open_one(dialog, self._death_recorded)
        return dialog

    def _death_recorded(self, _result: object) -> None:
        self.reload()
        if self.recovery is not None:
            self.recovery.reload()

    def _failed(self, error: Exception) -> None:
        self._heading.setText("Account not available")
        self.message.setText(f"The account could not be loaded:\n{error}")

    def write_letter(self) -> LetterDialog | None:
        """Open the letter dialog for this account (or raise the one already open)."""
        if self._letters is None or self.detail is None:
            return None
        if self.letter_dialog is None:
            dialog = LetterDialog(
                self._letters,
                self.account_id,
                self.as_of,
                f"{self.detail.reference} {self.detail.name}",
                self._settings,
                self,
            )
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.issued.connect(self._letter_issued)
            dialog.finished.connect(self._letter_dialog_closed)
            self.letter_dialog = dialog
        self.letter_dialog.show()
        self.letter_dialog.raise_()
        self.letter_dialog.activateWindow()
        return self.letter_dialog

    def _letter_dialog_closed(self, _result: int) -> None:
        self.letter_dialog = None

    def _letter_issued(self, line: DocumentLine) -> None:
        if self.documents is not None:
            self.documents.reload(select_document=line.id)
            self.tabs.setCurrentIndex(STATEMENTS_TAB)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue(keys.ACCOUNT_GEOMETRY, self.saveGeometry())
        super().closeEvent(event)
