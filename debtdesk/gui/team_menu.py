"""The main window's Team menu: the recovery policy, the customer types and the Bank Rate
history (a team leader's), and the users (an administrator's).

Each action is shown only to a user who holds its permission (the services refuse
anyone else anyway), and the menu only when it has an action to show. Each dialog opens
once (choosing it again raises it) and closes when the database changes. A change to the
users emits ``users_changed``: the login's own role may be among them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from debtdesk.domain.roles import Permission
from debtdesk.gui.bank_rate_dialog import BankRateDialog
from debtdesk.gui.customer_types_dialog import CustomerTypesDialog
from debtdesk.gui.menu_windows import MenuWindows
from debtdesk.gui.policy_dialog import PolicyDialog
from debtdesk.gui.users_dialog import UsersDialog
from debtdesk.services.bank_rates import BankRates
from debtdesk.services.customer_types import CustomerTypes
from debtdesk.services.database import Database
from debtdesk.services.settings import Settings
from debtdesk.services.users import Users, UserView


class TeamMenu(MenuWindows):
    """The &Team menu and the dialogs it opens."""

    users_changed = Signal()
    """A user was added or changed."""

    def __init__(
        self, window: QWidget, menu: QMenu, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(window)
        self._window = window
        self._menu = menu
        self._today = today

        def action(text: str, slot: Callable[[], object], tip: str) -> QAction:
            made = QAction(text, window)
            made.setStatusTip(tip)
            made.triggered.connect(slot)
            made.setEnabled(False)  # once a database is open
            return made

        self.policy_action = action(
            "Recovery &policy…",
            self.open_policy,
            "The recovery stages, plan tolerance and grace days, write-off limits",
        )
        self.customer_types_action = action(
            "Customer &types…",
            self.open_customer_types,
            "Individuals or businesses, payment terms, Late Payment Act interest",
        )
        self.bank_rates_action = action(
            "&Bank Rate history…",
            self.open_bank_rates,
            "The Bank of England's decisions Late Payment Act interest is worked out from",
        )
        self.users_action = action(
            "&Users…", self.open_users, "Who may use debtdesk, in which role; what a role may do"
        )
        menu.addActions(
            [
                self.policy_action,
                self.customer_types_action,
                self.bank_rates_action,
                self.users_action,
            ]
        )
        self.permissions = {
            self.policy_action: Permission.EDIT_POLICY,
            self.customer_types_action: Permission.EDIT_POLICY,
            self.bank_rates_action: Permission.EDIT_POLICY,
            self.users_action: Permission.MANAGE_USERS,
        }
        self.set_user(None)  # shown once the login's user record is known

    def set_database(self, database: Database | None) -> None:
        """Work on ``database`` from now on (None: none is open); its dialogs close, and the
        actions hide until the login's user record there is known (:meth:`set_user`)."""
        self.close_windows()
        self.database = database
        for each in self.permissions:
            each.setEnabled(database is not None)
        self.set_user(None)

    def set_user(self, user: UserView | None) -> None:
        """Show the actions ``user`` may use, and the menu if there is one."""
        for each, permission in self.permissions.items():
            each.setVisible(user is not None and user.may(permission))
        self._menu.menuAction().setVisible(any(a.isVisible() for a in self.permissions))

    def open_policy(self) -> QWidget | None:
        """Team ▸ Recovery policy…"""
        return self._show("policy", lambda db: PolicyDialog(Settings(db), self._window))

    def open_customer_types(self) -> QWidget | None:
        """Team ▸ Customer types…"""
        return self._show(
            "customer_types", lambda db: CustomerTypesDialog(CustomerTypes(db), self._window)
        )

    def open_bank_rates(self) -> QWidget | None:
        """Team ▸ Bank Rate history…"""
        return self._show(
            "bank_rates", lambda db: BankRateDialog(BankRates(db), self._today(), self._window)
        )

    def open_users(self) -> QWidget | None:
        """Team ▸ Users…"""

        def make(database: Database) -> QWidget:
            dialog = UsersDialog(Users(database), Settings(database), self._window)
            dialog.changed.connect(self.users_changed)
            return dialog

        return self._show("users", make)
