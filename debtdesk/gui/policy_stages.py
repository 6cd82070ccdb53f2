"""The recovery stages as an editable table: the model over the policy's data and its editors.

The model holds the stages as the settings store them (``policy_data``: one mapping per
stage) and edits them in place: text as typed, days from a spin box, the anchor and the
channel from a list, the minimum overdue typed in pounds and kept in pence, the flags as
check boxes, codes as a comma list. It checks only what it must to hold a value (an
amount that is not pounds is refused, with ``refused`` saying why); the whole policy is
checked by the settings service when it is saved. Renaming a stage's code renames it in
the anchors of the stages that count from it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from debtdesk.domain.money import MoneyError, format_pounds, parse_pounds
from debtdesk.domain.recovery import DUE_DATE, Channel

Index = QModelIndex | QPersistentModelIndex

CHANNEL_NAMES = {
    Channel.LETTER.value: "Letter",
    Channel.PHONE_TASK.value: "Phone task",
    Channel.MANUAL.value: "Manual",
}
MAX_DAYS = 3650
NEW_CODE = "new_stage"
RIGHT = ("days", "money")
"""The kinds of column aligned right (numbers)."""


@dataclass(frozen=True)
class StageColumn:
    """A stage field (its ``policy_data`` key) as a column: heading, tip and kind of value.

    ``kind`` is ``"text"``, ``"days"``, ``"anchor"``, ``"channel"``, ``"money"`` (pence,
    shown and typed in pounds), ``"flag"`` or ``"codes"`` (a list, typed as a comma list).
    """

    key: str
    heading: str
    tip: str
    kind: str = "text"


COLUMNS = (
    StageColumn("code", "Code", "A short name, unique in the policy; anchors name it"),
    StageColumn("name", "Name", "The stage as officers read it"),
    StageColumn("after_days", "Days after", "Days after the anchor's date", "days"),
    StageColumn(
        "anchor",
        "Anchor",
        f"What the days count from: {DUE_DATE!r} (the oldest overdue invoice's due date) "
        "or an earlier stage",
        "anchor",
    ),
    StageColumn("channel", "Channel", "A letter, a phone task or a manual step", "channel"),
    StageColumn("template", "Template", "The letter's template, for a letter stage"),
    StageColumn("min_overdue", "Min. overdue", "The overdue amount must be at least this", "money"),
    StageColumn(
        "needs_no_kept_plan", "No kept plan", "Not while a payment plan is being kept", "flag"
    ),
    StageColumn(
        "individuals_only",
        "Individuals",
        "Individuals only: never for a business customer type",
        "flag",
    ),
    StageColumn(
        "customer_types",
        "Customer types",
        "The customer type codes it covers, commas between; empty covers every type",
        "codes",
    ),
    StageColumn(
        "dd_reasons",
        "DD reasons",
        "Direct-debit reason codes: only after a failed direct debit with one of these; "
        "empty: any or none",
        "codes",
    ),
    StageColumn(
        "automatic", "Automatic", "Reached by the recovery run (not only by a decision)", "flag"
    ),
)
COLUMN = {column.key: number for number, column in enumerate(COLUMNS)}


def new_stage(code: str, anchor: str) -> dict[str, Any]:
    """A manual stage 14 days after ``anchor``, to be filled in."""
    return {
        "code": code,
        "name": "New stage",
        "after_days": 14,
        "anchor": anchor,
        "channel": Channel.MANUAL.value,
        "template": "",
        "min_overdue": 0,
        "needs_no_kept_plan": False,
        "individuals_only": False,
        "customer_types": [],
        "dd_reasons": [],
        "automatic": True,
    }


def field_names(message: str) -> str:
    """A policy problem with the stored field names put as the table's headings."""
    for column in COLUMNS:
        message = message.replace(f", {column.key}:", f", {column.heading.lower()}:")
    return message


class StagesModel(QAbstractTableModel):
    """One row per stage, one column per field, every cell editable."""

    refused = Signal(str)
    """A value typed cannot be held (an amount that is not pounds): why."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    # The stages

    def set_stages(self, stages: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = copy.deepcopy(stages)
        self.endResetModel()

    def stages(self) -> list[dict[str, Any]]:
        """The stages as settings data (a copy)."""
        return copy.deepcopy(self._rows)

    def codes_before(self, row: int) -> list[str]:
        return [stage["code"] for stage in self._rows[:row]]

    def add_stage(self, row: int) -> int:
        """Add a new stage at ``row``, counted from the stage before it; returns its row."""
        codes = {stage["code"] for stage in self._rows}
        code, number = NEW_CODE, 1
        while code in codes:
            number += 1
            code = f"{NEW_CODE}_{number}"
        anchor = self._rows[row - 1]["code"] if row > 0 else DUE_DATE
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, new_stage(code, anchor))
        self.endInsertRows()
        return row

    def remove_stage(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def move_stage(self, row: int, to: int) -> bool:
        """Move the stage at ``row`` to ``to`` (one up or down); whether it moved."""
        if not (0 <= row < len(self._rows) and 0 <= to < len(self._rows)) or row == to:
            return False
        # Qt's destination is the row the stage goes before, counted before the move.
        if not self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), to + (to > row)):
            return False
        self._rows.insert(to, self._rows.pop(row))
        self.endMoveRows()
        return True

    # Qt's model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].heading
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tip
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section].kind in RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if COLUMNS[index.column()].kind == "flag":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = COLUMNS[index.column()]
        value = self._rows[index.row()][column.key]
        if column.kind == "flag":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return "Yes" if value else "No"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column.kind == "channel":
                return CHANNEL_NAMES.get(value, value)
            if column.kind == "money":
                return format_pounds(value)
            if column.kind == "codes":
                return ", ".join(value)
            return str(value)
        if role == Qt.ItemDataRole.EditRole:
            if column.kind == "money":
                return format_pounds(value).replace("£", "")
            if column.kind == "codes":
                return ", ".join(value)
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        column = COLUMNS[index.column()]
        row = self._rows[index.row()]
        if column.kind == "flag":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            new: Any = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif column.kind == "days":
            new = int(value)
            if not 0 <= new <= MAX_DAYS:
                return False
        elif column.kind == "channel":
            new = str(value)
            if new not in CHANNEL_NAMES:
                return False
        elif column.kind == "money":
            new = self._pence(index.row(), column, str(value))
            if new is None:
                return False
        elif column.kind == "codes":
            new = sorted({code.strip() for code in str(value).split(",") if code.strip()})
        else:
            new = str(value).strip()
        if new == row[column.key]:
            return True
        if column.key == "code":
            self._rename_anchors(index.row(), row["code"], new)
        row[column.key] = new
        self.dataChanged.emit(index, index)
        return True

    def _pence(self, row: int, column: StageColumn, text: str) -> int | None:
        where = f"Stage {row + 1} ({self._rows[row]['code']}), {column.heading.lower()}"
        try:
            pence = parse_pounds(text)
        except MoneyError as error:
            self.refused.emit(f"{where}: {error}.")
            return None
        if pence < 0:
            self.refused.emit(f"{where}: {text!r} is less than £0.00.")
            return None
        return pence

    def _rename_anchors(self, row: int, old: str, new: str) -> None:
        anchor = COLUMN["anchor"]
        for later in range(row + 1, len(self._rows)):
            if old and self._rows[later]["anchor"] == old:
                self._rows[later]["anchor"] = new
                cell = self.index(later, anchor)
                self.dataChanged.emit(cell, cell)


class StageDelegate(QStyledItemDelegate):
    """Days in a spin box, the anchor and the channel from a list, the rest as typed."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = COLUMNS[index.column()]
        editor: QWidget
        if column.kind == "days":
            spin = QSpinBox(parent)
            spin.setRange(0, MAX_DAYS)
            editor = spin
        elif column.kind == "anchor":
            combo = QComboBox(parent)
            model = index.model()
            codes = model.codes_before(index.row()) if isinstance(model, StagesModel) else []
            combo.addItems([DUE_DATE, *codes])
            editor = combo
        elif column.kind == "channel":
            combo = QComboBox(parent)
            for value, name in CHANNEL_NAMES.items():
                combo.addItem(name, value)
            editor = combo
        else:
            editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(f"Stage {index.row() + 1}, {column.heading.lower()}")
        editor.setToolTip(column.tip)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            found = editor.findData(value) if editor.itemData(0) is not None else -1
            if found < 0:
                found = editor.findText(str(value))
            if found < 0:  # an anchor naming no earlier stage: shown, to be put right
                editor.addItem(str(value))
                found = editor.count() - 1
            editor.setCurrentIndex(found)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            data = editor.currentData()
            model.setData(index, data if data is not None else editor.currentText())
        else:
            super().setModelData(editor, model, index)
