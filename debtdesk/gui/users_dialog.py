"""The Users dialog: an administrator adds users and changes their role or whether they are active.

The users are read from ``Users.list`` on the read pool; adding and changing are
:class:`~debtdesk.gui.action_dialog.ActionDialog` forms over one ``Users`` call on the
write pool, so a refusal (a login taken, the last active administrator) is shown and the
form stays open to be put right. Below the users, a read-only table says what each role
may do (``domain.roles.PERMISSIONS``) and the most it may write off (the team's
write-off limits setting).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.money import Pence, format_pounds
from debtdesk.domain.roles import (
    PERMISSION_NAMES,
    Permission,
    limits_from_data,
    may,
    write_off_limit,
)
from debtdesk.gui.action_dialog import ActionDialog, FormHost
from debtdesk.gui.formatting import label, yes_no
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.tables import fit_height, read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.errors import BadInput
from debtdesk.services.settings import Settings
from debtdesk.services.users import Users, UserView

INTRO = (
    "Who may use debtdesk, and in which role. A user is known by their login: the name "
    "they sign in to the computer with. A user who is not active may do nothing; debtdesk "
    "keeps at least one active administrator."
)
USER_COLUMNS: tuple[Column[UserView], ...] = (
    Column("Login", lambda u: u.username),
    Column("Name", lambda u: u.display_name),
    Column("Role", lambda u: u.role.value, "code"),
    Column("Active", lambda u: u.active, "bool"),
)
ROLE_COLUMNS: tuple[Column[tuple[str, ...]], ...] = (
    Column("Permission", lambda row: row[0]),
    *(Column(label(role.value), lambda row, i=i: row[i]) for i, role in enumerate(UserRole, 1)),
)


def role_rows(limits: dict[UserRole, Pence]) -> list[tuple[str, ...]]:
    """One row per permission (Yes or No for each role), then each role's write-off limit."""
    rows = [
        (name, *(yes_no(may(role, permission)) for role in UserRole))
        for permission, name in PERMISSION_NAMES.items()
    ]
    authority: list[str] = []
    for role in UserRole:
        if not may(role, Permission.APPROVE_WRITE_OFFS):
            authority.append("Recommends only")
        elif role is UserRole.ADMINISTRATOR:
            authority.append(f"{format_pounds(write_off_limit(role, limits))} (the highest)")
        else:
            authority.append(format_pounds(write_off_limit(role, limits)))
    rows.append(("Write-off limit", *authority))
    return rows


def user_said(user: UserView) -> str:
    """``Jo Smith (jsmith): team leader, active``."""
    state = "active" if user.active else "not active"
    return f"{user.display_name} ({user.username}): {label(user.role.value).lower()}, {state}"


def _role_combo(role: UserRole, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName("Role")
    for each in UserRole:
        combo.addItem(label(each.value), each.value)
    combo.setCurrentIndex(combo.findData(role.value))
    return combo


class AddUserDialog(ActionDialog):
    """A new user: login, name and role."""

    def __init__(self, users: Users, parent: QWidget | None = None) -> None:
        super().__init__(
            "Add a user",
            "The login is the name the person signs in to the computer with; debtdesk "
            "knows them by it. The name is the one letters and worklists show.",
            "&Add user",
            parent,
        )
        self._users = users
        self.login = QLineEdit(self)
        self.login.setAccessibleName("Login")
        self.display_name = QLineEdit(self)
        self.display_name.setAccessibleName("Name")
        self.role = _role_combo(UserRole.OFFICER, self)
        self.form.addRow("&Login:", self.login)
        self.form.addRow("&Name:", self.display_name)
        self.form.addRow("&Role:", self.role)

    def work(self) -> Callable[[], object]:
        role = UserRole(self.role.currentData())
        return partial(self._users.add, self.login.text(), self.display_name.text(), role)


class ChangeUserDialog(ActionDialog):
    """A user's role, and whether they are active."""

    def __init__(self, users: Users, user: UserView, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Change a user — {user.display_name}",
            f"{user_said(user)}. A user who is not active may do nothing in debtdesk; "
            "their name stays on what they did.",
            "&Change",
            parent,
        )
        self._users, self._user = users, user
        self.role = _role_combo(user.role, self)
        self.active = QCheckBox("&Active", self)
        self.active.setAccessibleName("Active")
        self.active.setChecked(user.active)
        self.form.addRow("&Role:", self.role)
        self.form.addRow("", self.active)

    def work(self) -> Callable[[], object]:
        role, active = UserRole(self.role.currentData()), self.active.isChecked()
        if role is self._user.role and active == self._user.active:
            raise BadInput("nothing has changed: choose another role, or tick or clear Active")
        return partial(self._users.change, self._user.username, role=role, active=active)


class UsersDialog(FormHost, QDialog):
    """The users, with Add and Change, and what each role may do."""

    changed = Signal()
    """A user was added or changed (the login's own role may be among them)."""

    def __init__(self, users: Users, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users, self._settings = users, settings
        self.setWindowTitle("Users — debtdesk")
        self.setAccessibleName("Users")

        intro = QLabel(INTRO, self)
        intro.setAccessibleName("About users")
        intro.setWordWrap(True)
        self.table = read_only_table("Users", self)
        self.table.setModel(LineTableModel(USER_COLUMNS, (), self))
        self.table.activated.connect(self.change_user)
        self.add_button = QPushButton("&Add user…", self)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_user)
        self.change_button = QPushButton("&Change role or active…", self)
        self.change_button.setAutoDefault(False)
        self.change_button.setToolTip("Or double-click the user, or press Enter on them")
        self.change_button.clicked.connect(self.change_user)
        self.change_button.setEnabled(False)
        self.message = QLabel("", self)
        self.message.setAccessibleName("Users message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.change_button)
        buttons.addWidget(self.message, 1)

        roles_heading = QLabel("What each role may do", self)
        font = roles_heading.font()
        font.setBold(True)
        roles_heading.setFont(font)
        self.roles = read_only_table("What each role may do", self)
        self.roles.setModel(LineTableModel(ROLE_COLUMNS, (), self))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(roles_heading)
        layout.addWidget(self.roles)
        layout.addWidget(close)
        self.resize(820, 600)
        self.reload()

    def reload(self, select: str | None = None, message: str = "") -> None:
        """Read the users and the write-off limits again (off the GUI thread)."""
        users, settings = self._users, self._settings
        run_task(
            lambda: (users.list(), settings.get("write_offs.limits")),
            lambda loaded: self._loaded(*loaded, select, message),
            lambda error: self.message.setText(f"The users could not be read: {error}"),
            owner=self,
        )

    def _loaded(
        self, users: list[UserView], limits_text: str, select: str | None, message: str
    ) -> None:
        replace_model(self.table, LineTableModel(USER_COLUMNS, users, self), stretch=1)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        rows = [u.username for u in users]
        if rows:  # the one asked for, else the first: Enter changes the one selected
            self.table.selectRow(rows.index(select) if select in rows else 0)
        self._selection_changed()
        limits, _problems = limits_from_data(json.loads(limits_text))
        replace_model(self.roles, LineTableModel(ROLE_COLUMNS, role_rows(limits or {}), self), 0)
        fit_height(self.roles, len(PERMISSION_NAMES) + 1)
        self.message.setText(message)

    def selected_user(self) -> UserView | None:
        record = selected_record(self.table)
        return record if isinstance(record, UserView) else None

    def _selection_changed(self) -> None:
        self.change_button.setEnabled(self.selected_user() is not None)

    def add_user(self) -> ActionDialog:
        return self._open(AddUserDialog(self._users, self), "Added")

    def change_user(self) -> ActionDialog | None:
        user = self.selected_user()
        if user is None:
            return None
        return self._open(ChangeUserDialog(self._users, user, self), "Changed")

    def _done(self, user: UserView) -> None:
        self.reload(user.username, f"{self._done_word} {user_said(user)}.")
        self.changed.emit()
