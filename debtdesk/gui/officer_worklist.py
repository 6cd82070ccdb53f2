"""The officer's worklist: what needs doing today across the caseload, in its own window.

The list comes from ``Worklists.for_today`` off the GUI thread, soonest due first (the
service's order): tasks, broken plans, holds to review or lifted by themselves, letters
of claim unanswered 30 days, invoices nearing six years, write-offs to decide. The summary
counts them by kind (:func:`worklist_counts_text`, which the main window's status bar can
show too); the chosen item's full text is shown below the table. Open account (Enter,
double-click) opens the account's window; Close task… records what came of a task
(``Tasks.close``). A user who may reassign sees everyone's work, can narrow it to one
officer, and Reassign… gives the chosen task, or the chosen item's account, to another
officer. The list reloads after each action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from debtdesk.domain.roles import Permission
from debtdesk.gui.action_dialog import ActionDialog
from debtdesk.gui.formatting import sentence, uk_date
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.task_dialogs import CloseTaskDialog
from debtdesk.gui.tasks import run_task
from debtdesk.gui.worklist_window import WorklistWindow
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.tasks import Tasks
from debtdesk.services.users import current_user
from debtdesk.services.worklist import ITEM_NAMES, ItemKind, OfficerLine, WorkItem, Worklists

GEOMETRY = "officer_worklist/geometry"
NOTHING_DUE = "Nothing due today"
NO_OFFICER = "Unassigned"

COUNT_NAMES: Mapping[ItemKind, tuple[str, str]] = {
    ItemKind.TASK: ("task", "tasks"),
    ItemKind.BROKEN_PLAN: ("broken plan", "broken plans"),
    ItemKind.HOLD_REVIEW: ("hold to review", "holds to review"),
    ItemKind.HOLD_LIFTED: ("hold lifted", "holds lifted"),
    ItemKind.CLAIM_EXPIRED: (
        "letter of claim unanswered 30 days",
        "letters of claim unanswered 30 days",
    ),
    ItemKind.SIX_YEARS: ("invoice nearing six years", "invoices nearing six years"),
    ItemKind.WRITE_OFF: ("write-off to decide", "write-offs to decide"),
}
"""How a count of each kind reads: one, many."""


def worklist_counts_text(counts: Mapping[ItemKind, int]) -> str:
    """``2 tasks · 1 broken plan · 1 hold to review``, in the kinds' order; or
    ``Nothing due today``."""
    parts = [
        f"{counts[kind]:,} {COUNT_NAMES[kind][0 if counts[kind] == 1 else 1]}"
        for kind in ItemKind
        if counts.get(kind)
    ]
    return " · ".join(parts) if parts else NOTHING_DUE


def item_counts(items: Sequence[WorkItem]) -> dict[ItemKind, int]:
    """How many items of each kind there are (kinds with none left out)."""
    found = {kind: sum(1 for item in items if item.kind is kind) for kind in ItemKind}
    return {kind: count for kind, count in found.items() if count}


WORK_ITEM_WHAT = 5
WORK_ITEM_COLUMNS: tuple[Column[WorkItem], ...] = (
    Column("Due", lambda i: i.due, "date"),
    Column("Type", lambda i: ITEM_NAMES[i.kind]),
    Column("Account", lambda i: i.account_ref),
    Column("Client", lambda i: i.client_name),
    Column("Officer", lambda i: i.officer or NO_OFFICER),
    Column("What", lambda i: i.what),
)


def work_items_model(
    items: Sequence[WorkItem], parent: QObject | None = None
) -> LineTableModel[WorkItem]:
    return LineTableModel(WORK_ITEM_COLUMNS, items, parent)


def item_text(item: WorkItem) -> str:
    """The whole of an item, as shown below the table."""
    return (
        f"{item.account_ref} {item.client_name} ({item.officer or NO_OFFICER.lower()}): "
        f"{ITEM_NAMES[item.kind]}, due {uk_date(item.due)}. {sentence(item.what)}"
    )


class ReassignDialog(ActionDialog):
    """Give a task (for a task item) or the item's account (for any other) to an officer."""

    def __init__(
        self,
        worklists: Worklists,
        item: WorkItem,
        officers: Sequence[OfficerLine],
        parent: QWidget | None = None,
    ):
        self.item = item
        self.for_task = item.task_id is not None
        now = item.officer or "no officer"
        if self.for_task:
            title = f"Reassign task — {item.account_ref}"
            intro = (
                f"Give this task on {item.account_ref} {item.client_name} to another officer; "
                f"the account stays with {now}.\n\n{sentence(item.what)}"
            )
        else:
            title = f"Reassign account — {item.account_ref}"
            intro = (
                f"Give {item.account_ref} {item.client_name} (now with {now}) to another "
                "officer. Its open tasks go with it, except those given to an officer of "
                "their own."
            )
        super().__init__(title, intro, "Re&assign", parent)
        self._worklists = worklists
        self.officer = QComboBox(self)
        self.officer.setAccessibleName("Officer")
        for line in officers:
            self.officer.addItem(line.name, line.id)
        others = [i for i, line in enumerate(officers) if line.name != item.officer]
        if others:
            self.officer.setCurrentIndex(others[0])
        self.form.addRow("&Give to:", self.officer)

    def chosen_name(self) -> str:
        return self.officer.currentText()

    def work(self) -> Callable[[], object]:
        officer_id = self.officer.currentData()
        if officer_id is None:
            raise BadInput("choose the officer to give it to")
        worklists, item = self._worklists, self.item
        if self.for_task:
            task_id = item.task_id
            assert task_id is not None
            return lambda: worklists.reassign_task(task_id, officer_id)
        if self.chosen_name() == item.officer:
            raise BadInput(f"{item.account_ref} is already with {item.officer}")
        return lambda: worklists.reassign_account(item.account_id, officer_id)


class OfficerWorklist(WorklistWindow):
    """The worklist, in its own window; ``changed``: a task was closed or work moved."""

    open_account = Signal(int)
    """Open account: the account's id."""

    record_type = WorkItem
    stretch_column = WORK_ITEM_WHAT

    def __init__(
        self,
        database: Database,
        today: date,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Worklist", "Worklist", GEOMETRY, settings, parent)
        self._database = database
        self._worklists = Worklists(database)
        self._tasks = Tasks(database)
        self._today = today
        self.may_reassign = False
        self.officers: list[OfficerLine] = []

        self.setWindowTitle(f"Worklist for {uk_date(today)} — debtdesk")
        self.officer_filter = QComboBox(self)
        self.officer_filter.setAccessibleName("Show the work of")
        self.officer_filter.setToolTip("Everyone's work, or one officer's")
        self.officer_filter.addItem("Everyone", None)
        self.officer_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.filter_label = QLabel("Sho&w:", self)
        self.filter_label.setBuddy(self.officer_filter)
        top = QHBoxLayout()
        self.body.removeWidget(self.summary)
        top.addWidget(self.summary, 1)
        top.addWidget(self.filter_label)
        top.addWidget(self.officer_filter)
        self.body.insertLayout(0, top)

        self.table.setToolTip("Press Enter to open the account")
        self.details = QLabel("", self)
        self.details.setAccessibleName("Item details")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.insertWidget(2, self.details)
        self.open_button = QPushButton("&Open account", self)
        self.close_button = QPushButton("&Close task…", self)
        self.close_button.setToolTip("Record what came of the task")
        self.reassign_button = QPushButton("Re&assign…", self)
        self.reassign_button.setToolTip("Give the task, or the account, to another officer")
        self.add_buttons(self.open_button, self.close_button, self.reassign_button)
        for widget in (self.filter_label, self.officer_filter, self.reassign_button):
            widget.setVisible(False)  # until we know the user may reassign
        chain = (
            self.officer_filter,
            self.table,
            self.open_button,
            self.close_button,
            self.reassign_button,
            self.refresh_button,
        )
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self.table.setFocus()

        self.open_button.clicked.connect(self.open_selected)
        self.close_button.clicked.connect(self.close_selected)
        self.reassign_button.clicked.connect(self.reassign_selected)
        self.table.activated.connect(self.open_selected)
        self.officer_filter.currentIndexChanged.connect(lambda _index: self.reload())
        self.chosen_changed()
        self._load_user()
        self.reload()

    # Who is looking

    def _load_user(self) -> None:
        database = self._database

        def load() -> tuple[bool, list[OfficerLine]]:
            user = current_user(database)
            may = user is not None and user.may(Permission.REASSIGN)
            return may, (Worklists(database).officers() if may else [])

        run_task(
            load,
            lambda found: self._show_user(*found),
            lambda error: self.message.setText(sentence(f"officers could not be loaded: {error}")),
            owner=self,
        )

    def _show_user(self, may_reassign: bool, officers: list[OfficerLine]) -> None:
        self.may_reassign, self.officers = may_reassign, officers
        self.officer_filter.blockSignals(True)
        for line in officers:
            self.officer_filter.addItem(line.name, line.id)
        self.officer_filter.blockSignals(False)
        for widget in (self.filter_label, self.officer_filter, self.reassign_button):
            widget.setVisible(may_reassign)
        self.chosen_changed()

    def chosen_officer(self) -> int | None:
        """The officer whose work is shown; None: everyone's (or the user's own)."""
        if not self.may_reassign:
            return None
        officer = self.officer_filter.currentData()
        return officer if isinstance(officer, int) else None

    # The list

    def fetch(self) -> Callable[[], tuple[WorkItem, ...]]:
        worklists, today, officer = self._worklists, self._today, self.chosen_officer()
        return lambda: worklists.for_today(today, officer_id=officer).items

    def model(self, lines: Sequence[WorkItem]) -> QAbstractItemModel:
        return work_items_model(lines, self)

    def describe(self, lines: Sequence[WorkItem]) -> str:
        return worklist_counts_text(item_counts(lines))

    def key(self, line: WorkItem) -> object:
        return (line.kind, line.account_id, line.task_id, line.record_id, line.what)

    def chosen_changed(self) -> None:
        item = self.selected()
        self.details.setText(item_text(item) if item else "")
        self.open_button.setEnabled(item is not None)
        self.close_button.setEnabled(item is not None and item.task_id is not None)
        self.reassign_button.setEnabled(item is not None and self.may_reassign)

    # Actions

    def open_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self.open_account.emit(item.account_id)

    def close_selected(self) -> ActionDialog | None:
        item = self.selected()
        if item is None or item.task_id is None:
            return None
        assert item.task_id is not None
        dialog = CloseTaskDialog(
            self._tasks, item.task_id, item.account_ref,
            f"{item.account_ref} {item.client_name}, due {uk_date(item.due)}.\n\n"
            f"{sentence(item.what)}",
            self,
        )  # fmt: skip
        return self.open_dialog(dialog, lambda: f"Task for {item.account_ref} closed.")

    def reassign_selected(self) -> ActionDialog | None:
        item = self.selected()
        if item is None or not self.may_reassign:
            return None
        dialog = ReassignDialog(self._worklists, item, self.officers, self)

        def done() -> str:
            what = f"Task for {item.account_ref}" if dialog.for_task else item.account_ref
            return f"{what} given to {dialog.chosen_name()}."

        return self.open_dialog(dialog, done)
