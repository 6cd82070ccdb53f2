"""The Users dialog on a new database: the list, adding and changing users, refusals, roles.

The database's users are "tester" (who made it) and this machine's login, both
administrators (tests/conftest.py).
"""

from __future__ import annotations

import getpass

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import UserRole
from debtdesk.gui.users_dialog import AddUserDialog, ChangeUserDialog, UsersDialog
from debtdesk.services.database import Database, open_database
from debtdesk.services.settings import Settings
from debtdesk.services.users import Users
from tests.gui.money_support import take_notice
from tests.services.support import snapshot


def make_dialog(db: Database, qtbot: QtBot) -> UsersDialog:
    dialog = UsersDialog(Users(db), Settings(db))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def shown(dialog: UsersDialog) -> list[list[str]]:
    model = dialog.table.model()
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def select(dialog: UsersDialog, login: str) -> None:
    logins = [row[0] for row in shown(dialog)]
    dialog.table.selectRow(logins.index(login))


def role_table(dialog: UsersDialog) -> dict[str, list[str]]:
    model = dialog.roles.model()
    return {
        model.index(row, 0).data(): [model.index(row, c).data() for c in range(1, 5)]
        for row in range(model.rowCount())
    }


def test_the_dialog_lists_the_users_and_what_each_role_may_do(
    db: Database, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    Settings(db).set("write_offs.limits", '{"team_leader": 250000, "finance_manager": 500000}')
    dialog = make_dialog(db, qtbot)
    qtmodeltester.check(dialog.table.model())
    qtmodeltester.check(dialog.roles.model())
    me = getpass.getuser()
    assert sorted(shown(dialog)) == sorted(
        [["tester", "tester", "Administrator", "Yes"], [me, me, "Administrator", "Yes"]]
    )
    headings = [dialog.roles.model().headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headings == ["Permission", "Officer", "Team leader", "Finance manager", "Administrator"]
    roles = role_table(dialog)
    assert roles["Work accounts"] == ["Yes", "Yes", "Yes", "Yes"]
    assert roles["Edit policy and settings"] == ["No", "Yes", "No", "Yes"]
    assert roles["Manage users"] == ["No", "No", "No", "Yes"]
    assert roles["Write-off limit"] == [
        "Recommends only",
        "£2,500.00",
        "£5,000.00",
        "£5,000.00 (the highest)",
    ]
    assert len(roles) == 7
    assert dialog.change_button.isEnabled()  # the first user is chosen
    assert dialog.table.accessibleName() == "Users"


def test_an_administrator_adds_a_user_and_changes_their_role(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    changed: list[bool] = []
    dialog.changed.connect(lambda: changed.append(True))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    add = dialog.dialog
    assert isinstance(add, AddUserDialog) and add.isVisible()
    qtbot.keyClicks(add.login, "jsmith")
    qtbot.keyClicks(add.display_name, "Jo Smith")
    add.role.setCurrentIndex(add.role.findData(UserRole.TEAM_LEADER.value))
    qtbot.mouseClick(add.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.message.text() == "Added Jo Smith (jsmith): team leader, active."
    assert ["jsmith", "Jo Smith", "Team leader", "Yes"] in shown(dialog)
    assert dialog.selected_user() is not None and dialog.selected_user().username == "jsmith"  # type: ignore[union-attr]
    assert changed == [True]

    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    change = dialog.dialog
    assert isinstance(change, ChangeUserDialog)
    assert change.role.currentData() == UserRole.TEAM_LEADER.value and change.active.isChecked()
    change.role.setCurrentIndex(change.role.findData(UserRole.FINANCE_MANAGER.value))
    qtbot.keyClick(change.active, Qt.Key.Key_Space)
    qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.message.text() == "Changed Jo Smith (jsmith): finance manager, not active."
    stored = {u.username: u for u in Users(db).list()}["jsmith"]
    assert (stored.role, stored.active) == (UserRole.FINANCE_MANAGER, False)
    assert ["jsmith", "Jo Smith", "Finance manager", "No"] in shown(dialog)
    assert changed == [True, True]


def test_a_login_taken_is_refused_and_the_form_stays_open(db: Database, qtbot: QtBot) -> None:
    Users(db).add("jsmith", "Jo Smith", UserRole.OFFICER)
    dialog = make_dialog(db, qtbot)
    before = snapshot(db.engine)
    add = dialog.add_user()
    assert isinstance(add, AddUserDialog)
    add.login.setText("JSmith")
    add.display_name.setText("Someone Else")
    add.accept()
    assert take_notice(add.notice).startswith("There is already a user jsmith.")
    assert add.isVisible() and snapshot(db.engine) == before


def test_the_last_active_administrator_cannot_be_demoted(db: Database, qtbot: QtBot) -> None:
    Users(db).change(getpass.getuser(), active=False)  # "tester" is the only one left
    dialog = make_dialog(db, qtbot)
    before = snapshot(db.engine)
    select(dialog, "tester")
    dialog.table.activated.emit(dialog.table.currentIndex())  # Enter on the row
    change = dialog.dialog
    assert isinstance(change, ChangeUserDialog)
    change.role.setCurrentIndex(change.role.findData(UserRole.TEAM_LEADER.value))
    change.accept()
    assert take_notice(change.notice).startswith(
        "Debtdesk needs at least one active administrator."
    )
    assert change.isVisible() and snapshot(db.engine) == before

    change.role.setCurrentIndex(change.role.findData(UserRole.ADMINISTRATOR.value))
    change.accept()  # nothing changed: said, not written
    assert take_notice(change.notice).startswith("Nothing has changed")
    assert snapshot(db.engine) == before


def test_an_officer_may_not_manage_users(db: Database, qtbot: QtBot) -> None:
    Users(db).add("jsmith", "Jo Smith", UserRole.OFFICER)
    officer = open_database(db.url, actor="jsmith")
    try:
        before = snapshot(db.engine)
        dialog = make_dialog(officer, qtbot)
        add = dialog.add_user()
        add.login.setText("bjones")  # type: ignore[attr-defined]
        add.display_name.setText("Beth Jones")  # type: ignore[attr-defined]
        add.accept()
        assert take_notice(add.notice).startswith("Jo Smith (officer) may not manage users.")
        assert snapshot(db.engine) == before
    finally:
        officer.close()
