"""The Recovery policy dialog: a team leader edits the stages and the team's figures.

The stages are a table edited in place (``policy_stages``); below them, whether a run
moves an account to its highest eligible stage, the plan tolerance and grace days, and
each approving role's write-off limit, in pounds. Save reads every value and checks it
with the settings' own cleaners (the recovery policy and the write-off limits through
their domain readers) before anything is written, then stores the values that changed in
one ``Settings.set_many`` call, one transaction, on the write pool. A refusal (a stage's
field, an amount, a login that may not edit policy) is shown in the dialog, which stays
open with nothing written.
"""

from __future__ import annotations

import json
import re
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.money import MoneyError, parse_pounds
from debtdesk.domain.recovery import DEFAULT_POLICY, policy_data
from debtdesk.domain.roles import Permission, may
from debtdesk.gui.fields import pounds_text
from debtdesk.gui.formatting import label, sentence
from debtdesk.gui.policy_stages import COLUMNS, StageDelegate, StagesModel, field_names
from debtdesk.gui.prompts import refusal
from debtdesk.gui.tables import COLUMN_PADDING
from debtdesk.gui.tasks import run_task, run_write
from debtdesk.services.errors import BadInput
from debtdesk.services.settings import SPECS, Settings

INTRO = (
    "The stages a recovery run moves an overdue account through, in order. A stage falls "
    "due so many days after its anchor: “due” (the oldest overdue invoice's due date) or "
    "an earlier stage. Double-click a cell or press F2 to change it; Space ticks a box. "
    "Nothing is saved until Save, which checks the whole policy first."
)
NOTHING_SAVED = "Nothing was saved."
FIGURE_NAMES = {
    "recovery.highest_stage": "Highest eligible stage",
    "plans.tolerance": "Plan tolerance",
    "plans.grace_days": "Grace days",
}
KEYS = ("recovery.policy", *FIGURE_NAMES, "write_offs.limits")
LIMIT_ROLES = tuple(
    role
    for role in UserRole
    if role is not UserRole.ADMINISTRATOR and may(role, Permission.APPROVE_WRITE_OFFS)
)
"""The roles whose own limit means something (an officer only recommends)."""
MIN_SCREEN = 1024
"""On a screen at least this wide the dialog is kept within it."""
_STAGE = re.compile(r"\bstage (\d+) \([^)]*\), ([^:]+):", re.IGNORECASE)
"""A problem's stage and field (its heading, lower case), as ``field_names`` puts them."""


def _pounds_edit(name: str, parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setAccessibleName(name)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("0" * 14))
    return edit


def _clean(key: str, value: str) -> str:
    """The value as the setting stores it; BadInput naming the field if it is refused."""
    try:
        return SPECS[key].clean(value)
    except BadInput as error:
        if key in FIGURE_NAMES:
            raise BadInput(f"{FIGURE_NAMES[key]}: {error}") from None
        raise BadInput(field_names(str(error))) from None


class PolicyDialog(QDialog):
    """The recovery stages, the plan figures and the write-off limits; Save keeps them."""

    saved = Signal(dict)
    """The settings that changed, as stored."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._stored: dict[str, str] | None = None
        self._busy = False
        self.setWindowTitle("Recovery policy — debtdesk")
        self.setAccessibleName("Recovery policy")

        intro = QLabel(INTRO, self)
        intro.setAccessibleName("About the recovery policy")
        intro.setWordWrap(True)
        self.model = StagesModel(self)
        self.model.refused.connect(self._say)
        self.table = self._stages_table()
        stage_buttons = self._stage_buttons()

        self.message = QLabel("", self)
        self.message.setAccessibleName("Problem")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet("color: palette(highlight); font-weight: bold;")
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip("Check the whole policy and keep it")
        self.save_button.setEnabled(False)  # once the settings are loaded
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(stage_buttons)
        layout.addLayout(self._figures())
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.load()

    # Building

    def _stages_table(self) -> QTableView:
        table = QTableView(self)
        table.setAccessibleName("Recovery stages")
        table.setModel(self.model)
        table.setItemDelegate(StageDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)
        table.setMinimumHeight(header.sizeHint().height() + 9 * (table.fontMetrics().height() + 10))
        return table

    def _stage_buttons(self) -> QHBoxLayout:
        def button(text: str, tip: str, slot: object) -> QPushButton:
            made = QPushButton(text, self)
            made.setToolTip(tip)
            made.setAutoDefault(False)
            made.clicked.connect(slot)
            return made

        self.add_button = button("&Add stage", "A new stage after the one chosen", self.add_stage)
        self.remove_button = button("&Remove stage", "Take the chosen stage out", self.remove_stage)
        self.up_button = button("Move &up", "The chosen stage one place earlier", self.move_up)
        self.down_button = button("Move do&wn", "The chosen stage one place later", self.move_down)
        self.defaults_button = button(
            "Restore the &defaults",
            "Put back the stages RULES.md sets out (nothing is saved until Save)",
            self.restore_defaults,
        )
        row = QHBoxLayout()
        for each in (self.add_button, self.remove_button, self.up_button, self.down_button):
            row.addWidget(each)
        row.addStretch(1)
        row.addWidget(self.defaults_button)
        for signal in (
            self.model.modelReset,
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.rowsMoved,
        ):
            signal.connect(self._update_buttons)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        return row

    def _figures(self) -> QHBoxLayout:
        run = QGroupBox("Recovery run", self)
        self.highest_stage = QCheckBox("Move an account to its &highest eligible stage", run)
        self.highest_stage.setAccessibleName("Move to the highest eligible stage")
        self.highest_stage.setToolTip(
            "Ticked: one run takes an account through every stage due by its date; "
            "not ticked: one stage a run"
        )
        QVBoxLayout(run).addWidget(self.highest_stage)

        plans = QGroupBox("Payment plans", self)
        self.tolerance = _pounds_edit("Plan tolerance (£)", plans)
        self.tolerance.setToolTip(SPECS["plans.tolerance"].description)
        self.grace_days = QSpinBox(plans)
        self.grace_days.setAccessibleName("Grace days")
        self.grace_days.setRange(0, 60)
        self.grace_days.setSuffix(" days")
        self.grace_days.setToolTip(SPECS["plans.grace_days"].description)
        form = QFormLayout(plans)
        form.addRow("&Tolerance (£):", self.tolerance)
        form.addRow("&Grace:", self.grace_days)

        limits = QGroupBox("Write-off limits", self)
        limits.setToolTip(
            "The most each role may approve; an administrator, the highest of them; "
            "above every limit a write-off is referred"
        )
        form = QFormLayout(limits)
        self.limits: dict[UserRole, QLineEdit] = {}
        for role in LIMIT_ROLES:
            edit = _pounds_edit(f"Write-off limit, {label(role.value).lower()} (£)", limits)
            self.limits[role] = edit
            form.addRow(f"{label(role.value)} (£):", edit)

        row = QHBoxLayout()
        for box in (run, plans, limits):
            row.addWidget(box)
        row.addStretch(1)
        return row

    # Loading

    def load(self) -> None:
        """Read the settings (off the GUI thread) and show them."""
        run_task(self._settings.all, self._loaded, self._load_failed, owner=self)

    def _loaded(self, values: dict[str, str]) -> None:
        self._stored = {key: values[key] for key in KEYS}
        self.model.set_stages(json.loads(values["recovery.policy"]))
        self.highest_stage.setChecked(values["recovery.highest_stage"] == "yes")
        self.tolerance.setText(pounds_text(parse_pounds(values["plans.tolerance"])))
        self.grace_days.setValue(int(values["plans.grace_days"]))
        limits = json.loads(values["write_offs.limits"])
        for role, edit in self.limits.items():
            edit.setText(pounds_text(limits.get(role.value, 0)))
        self._size_columns()
        self.save_button.setEnabled(True)
        self.table.setFocus()
        self.table.setCurrentIndex(self.model.index(0, 0))

    def _load_failed(self, error: Exception) -> None:
        self._say(f"The settings could not be read: {error}")

    def _size_columns(self) -> None:
        """Columns as wide as what they hold; the dialog as wide as the table (on screen)."""
        self.table.resizeColumnsToContents()
        for column in range(len(COLUMNS)):
            self.table.setColumnWidth(column, self.table.columnWidth(column) + COLUMN_PADDING)
        width = sum(self.table.columnWidth(c) for c in range(len(COLUMNS)))
        width += self.table.verticalHeader().width() + 2 * self.table.frameWidth() + 40
        screen = self.screen().availableGeometry().width()
        if screen >= MIN_SCREEN:  # else the table scrolls
            width = min(width, screen - 40)
        self.resize(max(width, self.width()), max(self.sizeHint().height(), 620))
        self._keep_on_screen()

    def _keep_on_screen(self) -> None:
        """Grown once the policy is loaded, the dialog is moved back onto the screen if
        its new width carried it past the edge."""
        room, frame = self.screen().availableGeometry(), self.frameGeometry()
        x = max(room.left(), min(frame.left(), room.right() + 1 - frame.width()))
        y = max(room.top(), min(frame.top(), room.bottom() + 1 - frame.height()))
        if (x, y) != (frame.left(), frame.top()):
            self.move(x, y)

    # The stages

    def _current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def _update_buttons(self) -> None:
        row, count = self._current_row(), self.model.rowCount()
        self.remove_button.setEnabled(row >= 0 and count > 1)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

    def _go_to(self, row: int, column: int = 0) -> None:
        self.table.setCurrentIndex(self.model.index(row, column))
        self.table.setFocus()

    def add_stage(self) -> None:
        row = self.model.add_stage(self._current_row() + 1)
        self._go_to(row, 0)

    def remove_stage(self) -> None:
        row = self._current_row()
        if row >= 0 and self.model.rowCount() > 1:
            self.model.remove_stage(row)
            self._go_to(min(row, self.model.rowCount() - 1), self.table.currentIndex().column())

    def _move(self, by: int) -> None:
        row, column = self._current_row(), max(self.table.currentIndex().column(), 0)
        if row >= 0 and self.model.move_stage(row, row + by):
            self._go_to(row + by, column)

    def move_up(self) -> None:
        self._move(-1)

    def move_down(self) -> None:
        self._move(1)

    def restore_defaults(self) -> None:
        self.model.set_stages(policy_data(DEFAULT_POLICY))
        self._go_to(0)
        self._say("The default stages are back; Save keeps them.")

    # Saving

    def values(self) -> dict[str, str]:
        """Every setting the dialog edits, as the settings would store it.

        Raises:
            BadInput: a value is refused (the stage and field, or the figure, named).
        """
        assert self._stored is not None
        limits = json.loads(self._stored["write_offs.limits"])  # keeps the others' limits
        for role, edit in self.limits.items():
            limits[role.value] = self._limit(role, edit.text())
        typed = {
            "recovery.policy": json.dumps(self.model.stages()),
            "recovery.highest_stage": "yes" if self.highest_stage.isChecked() else "no",
            "plans.tolerance": self.tolerance.text(),
            "plans.grace_days": str(self.grace_days.value()),
            "write_offs.limits": json.dumps(limits),
        }
        return {key: _clean(key, value) for key, value in typed.items()}

    @staticmethod
    def _limit(role: UserRole, text: str) -> int:
        name = f"Write-off limit, {label(role.value).lower()}"
        try:
            pence = parse_pounds(text)
        except MoneyError as error:
            raise BadInput(f"{name}: {error}") from None
        if pence < 0:
            raise BadInput(f"{name}: {text!r} is less than £0.00")
        return pence

    def changes(self) -> dict[str, str]:
        """The values that differ from those stored (BadInput as :meth:`values`)."""
        assert self._stored is not None
        return {k: v for k, v in self.values().items() if v != self._stored[k]}

    def save(self) -> None:
        """Check everything, then store what changed in one transaction; close once stored."""
        if self._busy or self._stored is None:
            return
        self.table.setFocus()  # an editor still open hands its value to the model
        try:
            changes = self.changes()
        except BadInput as error:
            self._refused(error)
            return
        if not changes:
            self.accept()
            return
        self._busy = True
        self.save_button.setEnabled(False)
        self._say("Saving…")
        run_write(partial(self._settings.set_many, changes), self._saved, self._failed, owner=self)

    def _saved(self, stored: dict[str, str]) -> None:
        self._busy = False
        self._stored = {**(self._stored or {}), **stored}
        self.saved.emit(stored)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self.save_button.setEnabled(True)
        if isinstance(error, BadInput):
            self._refused(error)
        else:
            self._say(NOTHING_SAVED)
            refusal(self, "Recovery policy", error)  # a bug: logged and said as such

    def _refused(self, error: BadInput) -> None:
        text = str(error)
        self._say(f"{sentence(text)}\n{NOTHING_SAVED}")
        found = _STAGE.search(text)
        if found and 0 < int(found[1]) <= self.model.rowCount():  # show the cell named
            headings = [column.heading.lower() for column in COLUMNS]
            column = headings.index(found[2]) if found[2] in headings else 0
            self.table.setCurrentIndex(self.model.index(int(found[1]) - 1, column))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def done(self, result: int) -> None:
        if self._busy:
            return  # a moment: the settings are being written
        super().done(result)
