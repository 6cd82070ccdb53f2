"""The main window: menus, the caseload search and filters, the dashboard and the caseload
table (two tabs, the dashboard first), and the status bar.

Statements ▸ Statement run… opens the run dialog (one at a time); a finished run
refreshes the caseload. The Payments menu (``payments_menu``) imports Bacs reports and
bank statements, makes the interest run, and opens the suspense and failed-debit
worklists and the month-end reconciliation; money posted there refreshes the caseload
and the open accounts' tabs. Recovery ▸ Recovery run… opens the recovery run dialog (one
at a time); a finished run refreshes the worklist counts, the open worklist and the open
accounts' recovery, plan, notes and documents tabs. Recovery ▸ Debt Management Panel…
opens the panel window (one at a time; gui.panel_window): a change there (a decision
moves recovery on and makes tasks) refreshes the worklist counts, the open worklist and
the open accounts' recovery tabs. The Team menu (``team_menu``) opens
the recovery policy, the customer types, the Bank Rate history and the users, each shown
only to a login whose role may use it. The Reports menu (``reports_menu``) has one entry a
report of the catalogue, each opening its dialog (as-at date, period, workbook, progress).

The dashboard (gui.dashboard) is the start page. It loads once the caseload's first page
has arrived (the table is what an officer works in; the dashboard's figures take longer),
and again wherever the window already reloads after a change: View ▸ Refresh, a statement
run, money posted, a recovery run, the panel, the worklist, the users, and a change made in
an account's window (a write-off, a plan, a hold, a waiver, a direct debit, a note).
Searching or filtering shows the caseload tab.

The window owns the open :class:`~debtdesk.services.database.Database`. Opening one (at
start, or File ▸ Open/New) runs on the write pool, since it may migrate; everything the
window shows afterwards is read through services on the read pool.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

import PySide6
from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QWidget,
)

import debtdesk
from debtdesk.domain.roles import Permission
from debtdesk.gui import database_dialogs
from debtdesk.gui import settings as keys
from debtdesk.gui.account_view import AccountView, RecoveryKit
from debtdesk.gui.caseload_filters import CaseloadFilters
from debtdesk.gui.caseload_model import CaseloadModel
from debtdesk.gui.dashboard import DashboardView
from debtdesk.gui.officer_worklist import OfficerWorklist, worklist_counts_text
from debtdesk.gui.panel_window import PanelWindow
from debtdesk.gui.payments_menu import PaymentsMenu
from debtdesk.gui.recovery_run_dialog import RecoveryRunDialog
from debtdesk.gui.referral_export import ReferralExport
from debtdesk.gui.reports_menu import ReportsMenu
from debtdesk.gui.statement_run_dialog import StatementRunDialog
from debtdesk.gui.tables import read_only_table
from debtdesk.gui.tasks import run_task, run_write
from debtdesk.gui.team_menu import TeamMenu
from debtdesk.services.accounts import Accounts
from debtdesk.services.affordability import AffordabilityChecks
from debtdesk.services.caseload import Caseload, Officer
from debtdesk.services.contact_notes import ContactNotes
from debtdesk.services.dashboard import Dashboards
from debtdesk.services.database import Database, open_database
from debtdesk.services.deaths import Deaths
from debtdesk.services.deferred_payments import DeferredPayments
from debtdesk.services.documents import Documents
from debtdesk.services.holds import Holds
from debtdesk.services.interest import InterestWaivers
from debtdesk.services.letters import Letters
from debtdesk.services.mandates import Mandates
from debtdesk.services.panel import Panels
from debtdesk.services.payment_plans import PaymentPlans
from debtdesk.services.payments import Payments
from debtdesk.services.recovery import recovery_summary
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.referrals import Referrals
from debtdesk.services.statement_periods import StatementPeriods
from debtdesk.services.statement_run import StatementRuns
from debtdesk.services.users import UserView, current_user
from debtdesk.services.worklist import Worklists
from debtdesk.services.write_offs import WriteOffs

COLUMN_WIDTHS = (110, 240, 90, 90, 170, 120, 120)
CLIENT_COLUMN = 1  # takes the width left over


class MainWindow(QMainWindow):
    """The officer's caseload, searchable and sortable, with an account window per account."""

    database_opened = Signal()
    database_failed = Signal(str)

    def __init__(
        self,
        settings: QSettings | None = None,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else QSettings()
        self._today = today
        self.database: Database | None = None
        self.opened_any = False
        self._accounts: Accounts | None = None
        self._caseload: Caseload | None = None
        self._total: int | None = None
        self.account_views: dict[int, AccountView] = {}
        self.run_dialog: StatementRunDialog | None = None
        self.recovery_run_dialog: RecoveryRunDialog | None = None
        self.setWindowTitle("debtdesk")
        self.setObjectName("main_window")

        self.model = CaseloadModel(self)
        self.filters = CaseloadFilters(self)
        self.table = read_only_table("Caseload", self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(CLIENT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setToolTip("Double-click or press Enter to open an account")
        self.dashboard = DashboardView(today, self)
        self._dashboard_waits = False
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("main_tabs")
        self.tabs.setAccessibleName("Dashboard and caseload")
        self.tabs.addTab(self.dashboard, "&Dashboard")
        self.tabs.addTab(self.table, "&Caseload")
        self.setCentralWidget(self.tabs)

        toolbar = QToolBar("Search and filters", self)
        toolbar.setObjectName("caseload_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.filters)
        self.addToolBar(toolbar)

        self.database_label = QLabel("No database open", self)
        self.database_label.setAccessibleName("Database")
        self.count_label = QLabel("", self)
        self.count_label.setAccessibleName("Accounts shown")
        self.worklist_label = QLabel("", self)
        self.worklist_label.setAccessibleName("Due today")
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.worklist_label)
        self.statusBar().addPermanentWidget(self.count_label)

        self._make_menus()
        self.setTabOrder(self.filters.search, self.filters.officer)
        self.setTabOrder(self.filters.officer, self.filters.status)
        self.setTabOrder(self.filters.status, self.filters.band)
        self.setTabOrder(self.filters.band, self.table)
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.filters.search, self._focus_table)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)

        self.filters.changed.connect(self._filters_changed)
        self.model.counted.connect(self._show_count)
        self.model.modelReset.connect(self._show_count)
        self.model.load_failed.connect(self._load_failed)
        self.model.counted.connect(self._caseload_arrived)
        self.model.load_failed.connect(self._caseload_arrived)
        self.table.activated.connect(self._open_index)
        self._restore_settings()
        self.filters.search.setFocus()

    # Menus

    def _action(self, text: str, slot: Callable[[], object], shortcut: object = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_action = self._action(
            "&New database…", self.new_database, QKeySequence.StandardKey.New
        )
        self.open_action = self._action(
            "&Open database…", self.choose_database, QKeySequence.StandardKey.Open
        )
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addActions([self.new_action, self.open_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view_menu = bar.addMenu("&View")
        self.find_action = self._action("&Find…", self._find, QKeySequence.StandardKey.Find)
        self.refresh_action = self._action(
            "&Refresh", self.refresh, QKeySequence.StandardKey.Refresh
        )
        view_menu.addActions([self.find_action, self.refresh_action])

        statements_menu = bar.addMenu("&Statements")
        self.statement_run_action = self._action("Statement &run…", self.open_statement_run)
        self.statement_run_action.setEnabled(False)  # once a database is open
        statements_menu.addAction(self.statement_run_action)

        self.payments = PaymentsMenu(
            self, bar.addMenu("&Payments"), self._settings, self._today, self.open_account
        )
        self.payments.money_posted.connect(self._money_posted)

        recovery_menu = bar.addMenu("&Recovery")
        self.worklist_action = self._action(
            "&Worklist", self.open_worklist, QKeySequence("Ctrl+Shift+W")
        )
        self.worklist_action.setToolTip("What is due today across your caseload")
        self.worklist_action.setEnabled(False)  # once a database is open
        recovery_menu.addAction(self.worklist_action)
        self.panel_action = self._action("Debt &Management Panel…", self.open_panel)
        self.panel_action.setToolTip(
            "The panel's meetings: agendas, case packs, decisions and minutes"
        )
        self.panel_action.setEnabled(False)  # once a database is open
        recovery_menu.addAction(self.panel_action)
        self.panel_window: PanelWindow | None = None
        self.recovery_run_action = self._action("Recovery &run…", self.open_recovery_run)
        self.recovery_run_action.setToolTip(
            "Move overdue accounts on a stage, write their letters and make their tasks"
        )
        self.recovery_run_action.setEnabled(False)  # once a database is open
        recovery_menu.addSeparator()
        recovery_menu.addAction(self.recovery_run_action)
        self.referral_export = ReferralExport(self, self._today)
        recovery_menu.addAction(self.referral_export.action)
        self.worklist: OfficerWorklist | None = None
        self._user: UserView | None = None

        self.reports = ReportsMenu(self, bar.addMenu("Rep&orts"), self._today)
        self.team = TeamMenu(self, bar.addMenu("&Team"), self._today)
        self.team.users_changed.connect(self.load_user)
        self.team.users_changed.connect(self.dashboard.refresh)  # names, caseloads

        help_menu = bar.addMenu("&Help")
        self.about_action = self._action("&About debtdesk", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.about_action)

    # Opening a database

    def open_location(self, location: str) -> None:
        """Open (creating and migrating if needed) a database by path or URL, off the GUI thread."""
        self.database_label.setText(f"Opening {location}…")
        run_write(
            lambda: open_database(location),
            self._database_ready,
            lambda error: self.database_not_opened(location, error),
            owner=self,
        )

    def choose_database(self) -> None:
        start = str(Path(self.database.display_name).parent) if self.database else ""
        path = database_dialogs.ask_open_path(self, start)
        if path:
            self.open_location(path)

    def new_database(self) -> None:
        start = str(Path(self.database.display_name).parent) if self.database else ""
        path = database_dialogs.ask_new_path(self, start)
        if path:
            self.open_location(path)

    def _database_ready(self, database: Database) -> None:
        old = self.database
        for view in list(self.account_views.values()):
            view.close()
        if self.run_dialog is not None:
            self.run_dialog.close()  # opening waited for any run to finish (one write at a time)
        if self.recovery_run_dialog is not None:
            self.recovery_run_dialog.close()
        self.database = database
        self.opened_any = True
        self._accounts = Accounts(database)
        self._caseload = Caseload(database)
        self._total = None
        name = database.display_name
        if ":***@" not in name:  # never remember (or lose) a server password
            keys.remember_database(self._settings, name)
        self.database_label.setText(name)
        self.database_label.setToolTip(name)
        title = Path(name).name if database.is_sqlite else name
        self.setWindowTitle(f"{title} — debtdesk")
        self.dashboard.set_source(Dashboards(database), database.actor)
        self._dashboard_waits = True  # for the caseload's first page (_caseload_arrived)
        self.model.set_caseload(self._caseload)
        self.statement_run_action.setEnabled(True)
        self.worklist_action.setEnabled(True)
        self.recovery_run_action.setEnabled(True)
        self.panel_action.setEnabled(True)
        if self.worklist is not None:
            self.worklist.close()
        if self.panel_window is not None:
            self.panel_window.close()
        self._user = None
        self.team.set_database(database)
        self.referral_export.set_database(database)
        self.load_user()
        self.payments.set_database(database)
        self.reports.set_database(database)
        self.count_worklist()
        self._load_officers_and_total()
        if old is not None:
            old.close()
        self.database_opened.emit()

    def database_not_opened(self, location: str, error: Exception) -> None:
        self.database_label.setText(
            self.database.display_name if self.database else "No database open"
        )
        self.database_failed.emit(str(error))
        if database_dialogs.offer_another(
            self, location, error, can_stay=self.database is not None
        ):
            self.choose_database()
        elif self.database is None:
            self.close()

    def close_database(self) -> None:
        """Close the open database (at exit, once background work has finished)."""
        self.dashboard.set_source(None, "")
        self.model.set_caseload(None)
        if self.database is not None:
            self.database.close()
            self.database = None

    # Caseload

    def refresh(self) -> None:
        """Load the caseload, officers and totals again (View ▸ Refresh)."""
        if self._caseload is None:
            return
        self.model.reload()
        self._load_officers_and_total()
        self.dashboard.refresh()

    def _load_officers_and_total(self) -> None:
        caseload, database = self._caseload, self.database
        assert caseload is not None and database is not None
        run_task(caseload.officers, self._officers_loaded, self._officers_failed, owner=self)
        run_task(database.account_count, self._total_loaded, self._load_failed, owner=self)

    def _officers_loaded(self, officers: list[Officer]) -> None:
        self.filters.set_officers(officers)

    def _officers_failed(self, error: Exception) -> None:
        self._load_failed(f"Could not load the officers: {error}")

    def _total_loaded(self, total: int) -> None:
        self._total = total
        self._show_count()

    def _filters_changed(self) -> None:
        self.show_caseload()
        self.model.set_query(self.filters.apply(self.model.query))

    def show_caseload(self) -> None:
        """Bring the caseload tab forward (a search or a filter is about it)."""
        self.tabs.setCurrentWidget(self.table)

    def _find(self) -> None:
        self.show_caseload()
        self.filters.focus_search()

    def _caseload_arrived(self, *_answer: object) -> None:
        """The caseload's first page is in (or failed): now load the dashboard."""
        if self._dashboard_waits:
            self._dashboard_waits = False
            self.dashboard.refresh()

    def _data_changed(self) -> None:
        """Something changed the figures (an account's window, the worklist)."""
        self.dashboard.refresh()

    def _show_count(self) -> None:
        matching = self.model.matching
        if self.database is None:
            text = ""
        elif matching is None:
            text = "Searching…"
        elif self._total is None or matching == self._total:
            text = f"{matching:,} account{'' if matching == 1 else 's'}"
        else:
            text = f"{matching:,} of {self._total:,} accounts"
        self.count_label.setText(text)

    def _load_failed(self, message: object) -> None:
        self.statusBar().showMessage(str(message), 15_000)

    # Accounts

    def _focus_table(self) -> None:
        """Down from the search box: into the results, on the first row."""
        self.show_caseload()
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_account(self.model.account_id(index.row()))

    def open_account(self, account_id: int) -> AccountView | None:
        """Show the account's window, opening it if it is not open already."""
        if self._accounts is None:
            return None
        view = self.account_views.get(account_id)
        if view is None:
            assert self.database is not None
            view = AccountView(
                self._accounts,
                account_id,
                self._today(),
                self._settings,
                self,
                documents=Documents(self.database),
                letters=Letters(self.database),
                payments=Payments(self.database),
                mandates=Mandates(self.database),
                recovery=RecoveryKit(
                    partial(recovery_summary, self.database),
                    Holds(self.database),
                    WriteOffs(self.database),
                    PaymentPlans(self.database),
                    AffordabilityChecks(self.database),
                    ContactNotes(self.database),
                    self._user,
                    Deaths(self.database),
                    Referrals(self.database),
                    DeferredPayments(self.database),
                    InterestWaivers(self.database),
                    Panels(self.database),
                ),
            )
            self.account_views[account_id] = view
            for tab in (view.recovery, view.plans, view.direct_debit, view.interest, view.notes):
                if tab is not None:  # a write-off, plan, hold, waiver or note changes figures
                    tab.changed.connect(self._data_changed)
            view.destroyed.connect(lambda _=None, i=account_id: self.account_views.pop(i, None))
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    # Recovery

    def open_worklist(self) -> OfficerWorklist | None:
        """Recovery ▸ Worklist: today's work (the open window if there is one)."""
        if self.database is None:
            return None
        if self.worklist is None:
            worklist = OfficerWorklist(self.database, self._today(), self._settings, self)
            worklist.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            worklist.open_account.connect(self.open_account)
            worklist.changed.connect(self.count_worklist)
            worklist.changed.connect(self._data_changed)
            worklist.destroyed.connect(self._worklist_closed)
            self.worklist = worklist
            worklist.reload()
        self.worklist.show()
        self.worklist.raise_()
        self.worklist.activateWindow()
        return self.worklist

    def load_user(self) -> None:
        """Read the login's user record again and show what it may do."""
        database = self.database
        if database is not None:
            run_task(lambda: current_user(database), self._user_loaded, lambda _e: None, owner=self)

    def _user_loaded(self, user: UserView | None) -> None:
        """Show only what the user may do (the services refuse the rest anyway)."""
        self._user = user
        runs = user is not None and user.may(Permission.RUN_BATCHES)
        for action in (
            self.statement_run_action,
            self.recovery_run_action,
            self.payments.bacs_action,
            self.payments.bank_action,
            self.payments.interest_action,
        ):
            action.setVisible(runs)
        works = user is not None and user.may(Permission.WORK_ACCOUNTS)
        self.worklist_action.setVisible(works)
        self.panel_action.setVisible(works)
        self.team.set_user(user)

    def _worklist_closed(self) -> None:
        self.worklist = None

    def open_panel(self) -> PanelWindow | None:
        """Recovery ▸ Debt Management Panel…: the panel window (the open one if there is one)."""
        if self.database is None:
            return None
        if self.panel_window is None:
            window = PanelWindow(self.database, self._today(), self._settings, self)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            # Bound methods, not lambdas: a lambda holding the window would keep it alive.
            window.open_account.connect(self.open_account)
            window.changed.connect(self._panel_changed)
            window.destroyed.connect(self._panel_closed)
            self.panel_window = window
            window.reload()
        self.panel_window.show()
        self.panel_window.raise_()
        self.panel_window.activateWindow()
        return self.panel_window

    def _panel_changed(self) -> None:
        """A decision may have moved an account on and given officers tasks."""
        self.count_worklist()
        self.dashboard.refresh()
        if self.worklist is not None:
            self.worklist.reload()
        for view in self.account_views.values():
            view.reload_money()  # the recovery tab among them
            if view.panel is not None:
                view.panel.reload()

    def _panel_closed(self) -> None:
        self.panel_window = None

    def open_recovery_run(self) -> RecoveryRunDialog | None:
        """Recovery ▸ Recovery run…: the run dialog (the open one if there is one)."""
        if self.database is None:
            return None
        if self.recovery_run_dialog is None:
            dialog = RecoveryRunDialog(RecoveryRuns(self.database), self._today(), self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            # Bound methods, not lambdas: a lambda holding the window would keep it alive.
            dialog.run_finished.connect(self._recovery_run_finished)
            dialog.finished.connect(self._recovery_run_dialog_closed)
            self.recovery_run_dialog = dialog
        self.recovery_run_dialog.show()
        self.recovery_run_dialog.raise_()
        self.recovery_run_dialog.activateWindow()
        return self.recovery_run_dialog

    def _recovery_run_finished(self, _result: object) -> None:
        """Stages, plans, letters, notes and tasks have changed: show them again."""
        self.count_worklist()
        self.dashboard.refresh()
        if self.worklist is not None:
            self.worklist.reload()
        for view in self.account_views.values():
            view.reload_money()  # the recovery and payment plan tabs among them
            for tab in (view.notes, view.documents):
                if tab is not None:
                    tab.reload()

    def _recovery_run_dialog_closed(self, _result: int) -> None:
        self.recovery_run_dialog = None

    def count_worklist(self) -> None:
        """Show today's worklist counts in the status bar (nothing for a login not a user)."""
        if self.database is None:
            return
        worklists, today = Worklists(self.database), self._today()
        run_task(
            lambda: worklist_counts_text(worklists.for_today(today).counts()),
            self.worklist_label.setText,
            lambda _error: self.worklist_label.setText(""),
            owner=self,
        )

    # Statements

    def open_statement_run(self) -> StatementRunDialog | None:
        """Statements ▸ Statement run…: the run dialog (the open one if there is one)."""
        if self.database is None:
            return None
        if self.run_dialog is None:
            dialog = StatementRunDialog(
                StatementRuns(self.database), StatementPeriods(self.database), self._today(), self
            )
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            # Bound methods, not lambdas: a lambda holding the window would keep it alive.
            dialog.run_finished.connect(self._run_finished)
            dialog.finished.connect(self._run_dialog_closed)
            self.run_dialog = dialog
        self.run_dialog.show()
        self.run_dialog.raise_()
        self.run_dialog.activateWindow()
        return self.run_dialog

    def _run_finished(self, _result: object) -> None:
        self.refresh()  # balances have changed

    def _run_dialog_closed(self, _result: int) -> None:
        self.run_dialog = None

    def _money_posted(self) -> None:
        self.refresh()  # balances have changed
        for view in self.account_views.values():
            view.reload_money()

    # Help

    def show_about(self) -> None:
        if self.database is None:
            database = "<p>Database: none open</p>"
        else:
            database = (
                f"<p>Database: {html.escape(self.database.display_name)}<br>"
                f"Schema revision: {html.escape(self.database.migration.to_revision)}</p>"
            )
        QMessageBox.about(
            self,
            "About debtdesk",
            f"<h3>debtdesk {debtdesk.__version__}</h3>"
            "<p>Care contributions billing, payments and debt recovery.</p>"
            f"{database}"
            f"<p>Qt {qVersion()}, PySide6 {PySide6.__version__}</p>",
        )

    # Settings

    def _restore_settings(self) -> None:
        geometry = self._settings.value(keys.WINDOW_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        state = self._settings.value(keys.WINDOW_STATE)
        if state is not None:
            self.restoreState(state)
        header = self._settings.value(keys.CASELOAD_HEADER)
        if header is not None:
            self.table.horizontalHeader().restoreState(header)

    def save_settings(self) -> None:
        self._settings.setValue(keys.WINDOW_GEOMETRY, self.saveGeometry())
        self._settings.setValue(keys.WINDOW_STATE, self.saveState())
        self._settings.setValue(keys.CASELOAD_HEADER, self.table.horizontalHeader().saveState())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        for view in list(self.account_views.values()):
            view.close()
        if self.run_dialog is not None:
            self.run_dialog.close()  # a run going on is asked to stop
        if self.recovery_run_dialog is not None:
            self.recovery_run_dialog.close()
        if self.panel_window is not None:
            self.panel_window.close()  # it remembers its size
        self.payments.close_windows()
        self.team.close_windows()
        self.reports.close_windows()
        super().closeEvent(event)
