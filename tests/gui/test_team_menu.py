"""The main window's Team menu: shown by role, one dialog of each, a role change seen at once."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import UserRole
from debtdesk.gui.bank_rate_dialog import BankRateDialog
from debtdesk.gui.customer_types_dialog import CustomerTypesDialog
from debtdesk.gui.main_window import MainWindow
from debtdesk.gui.policy_dialog import PolicyDialog
from debtdesk.gui.users_dialog import ChangeUserDialog, UsersDialog
from debtdesk.services.database import Database
from debtdesk.services.users import Users
from tests.gui.conftest import AS_OF


def open_window(db: Database, settings: QSettings, qtbot: QtBot) -> MainWindow:
    window = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_opened, timeout=10_000):
        window.open_location(db.url)
    return window


def team_menu_shown(window: MainWindow) -> list[str]:
    """The Team menu's actions shown ([] when the menu itself is hidden)."""
    menu_action = window.team._menu.menuAction()
    if not menu_action.isVisible():
        return []
    return [a.text() for a in menu_action.menu().actions() if a.isVisible()]


def test_an_administrator_sees_all_four_and_each_opens_once(
    db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    window = open_window(db, settings, qtbot)
    try:
        assert team_menu_shown(window) == [
            "Recovery &policy…",
            "Customer &types…",
            "&Bank Rate history…",
            "&Users…",
        ]
        window.team.policy_action.trigger()
        policy = window.team.windows["policy"]
        assert isinstance(policy, PolicyDialog) and policy.isVisible()
        assert window.team.open_policy() is policy  # raised again, not a second one
        window.team.users_action.trigger()
        assert isinstance(window.team.windows["users"], UsersDialog)
        window.team.customer_types_action.trigger()
        types = window.team.windows["customer_types"]
        assert isinstance(types, CustomerTypesDialog) and types.isVisible()
        assert window.team.open_customer_types() is types
        window.team.bank_rates_action.trigger()
        rates = window.team.windows["bank_rates"]
        assert isinstance(rates, BankRateDialog) and rates.isVisible()
        assert window.team.open_bank_rates() is rates
        policy.close()
        qtbot.waitUntil(lambda: "policy" not in window.team.windows)  # deleted on close
    finally:
        window.close()
        window.close_database()


def test_an_officer_sees_none_and_a_team_leader_the_policy_types_and_bank_rates(
    db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    Users(db).change(getpass.getuser(), role=UserRole.OFFICER)
    window = open_window(db, settings, qtbot)
    try:
        assert team_menu_shown(window) == []
        assert not window.team.policy_action.isVisible()
        assert not window.team.customer_types_action.isVisible()
        assert not window.team.bank_rates_action.isVisible()
        assert not window.team.users_action.isVisible()
    finally:
        window.close_database()

    Users(db).change(getpass.getuser(), role=UserRole.TEAM_LEADER)
    window = open_window(db, settings, qtbot)
    try:
        assert team_menu_shown(window) == [
            "Recovery &policy…",
            "Customer &types…",
            "&Bank Rate history…",
        ]
    finally:
        window.close_database()


def test_an_administrator_who_changes_their_own_role_loses_the_users_action(
    db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    window = open_window(db, settings, qtbot)
    try:
        dialog = window.team.open_users()
        assert isinstance(dialog, UsersDialog)
        logins = [dialog.table.model().index(r, 0).data() for r in range(2)]
        dialog.table.selectRow(logins.index(getpass.getuser()))
        change = dialog.change_user()
        assert isinstance(change, ChangeUserDialog)
        change.role.setCurrentIndex(change.role.findData(UserRole.TEAM_LEADER.value))
        qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.team.users_action.isVisible(), timeout=5_000)
        assert team_menu_shown(window) == [
            "Recovery &policy…",
            "Customer &types…",
            "&Bank Rate history…",
        ]
        assert window.statement_run_action.isVisible()  # a team leader runs batches
    finally:
        window.close()
        window.close_database()
