"""A small form whose OK carries out one service call on the write pool.

A subclass adds its fields to :attr:`ActionDialog.form` and implements
:meth:`ActionDialog.work`, which reads the fields and returns the call to make (raising
``BadInput`` or ``MoneyError`` for what cannot be read). OK runs the call; when it
succeeds the dialog emits ``succeeded`` with what it returned and closes; when the service
refuses, its message is shown and the dialog stays open to be put right.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.money import MoneyError
from debtdesk.gui.prompts import refusal
from debtdesk.gui.tasks import run_write
from debtdesk.services.errors import BadInput


def date_edit(name: str, value: date, parent: QWidget) -> QDateEdit:
    """A UK-format date field with a calendar, named for screen readers."""
    edit = QDateEdit(QDate(value.year, value.month, value.day), parent)
    edit.setAccessibleName(name)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


def chosen_date(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class ActionDialog(QDialog):
    """OK does the action (once); a refusal keeps the dialog open."""

    succeeded = Signal(object)
    """The action was done: what the service returned."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.notice: QMessageBox | None = None
        self._busy = False

        self.intro = QLabel(intro, self)
        self.intro.setAccessibleName("About this")
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setVisible(bool(intro))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def work(self) -> Callable[[], object]:
        """The service call the fields ask for (raise BadInput for fields that are wrong)."""
        raise NotImplementedError

    def accept(self) -> None:
        if self._busy:
            return
        try:
            call = self.work()
        except (BadInput, MoneyError) as error:
            self.notice = refusal(self, self.windowTitle(), error)
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        run_write(call, self._done, self._failed, owner=self)

    def _done(self, result: object) -> None:
        self._busy = False
        self.succeeded.emit(result)
        super().accept()

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self.notice = refusal(self, self.windowTitle(), error)

    def done(self, result: int) -> None:
        if self._busy:
            return  # a moment: the change is being written
        super().done(result)


class OneDialog:
    """For a widget that has one action's dialog open at a time: ``after(result)`` runs
    once the dialog's action has succeeded; ``dialog`` is the open one, None once closed.

    The dialog's signals reach bound methods here, never a closure over the host: with a
    closure, deleting the closed dialog could crash PySide (6.11) when the host has no
    parent. ``after`` itself may be a closure; it is only held by the host.
    """

    dialog: ActionDialog | None = None
    _after: Callable[[object], None] | None = None

    def _open_one(
        self, dialog: ActionDialog, after: Callable[[object], None], *, replace: bool = False
    ) -> ActionDialog:
        """Open ``dialog`` (closing the one open first when ``replace``)."""
        if replace and self.dialog is not None:
            self.dialog.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._after = after
        dialog.succeeded.connect(self._one_succeeded)
        dialog.finished.connect(self._one_closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _one_succeeded(self, result: object) -> None:
        after, self._after = self._after, None
        if after is not None:
            after(result)

    def _one_closed(self, _result: int) -> None:
        self.dialog, self._after = None, None


class DialogHost(OneDialog):
    """For a tab that opens one action's dialog at a time and, when it succeeds, reloads
    itself (choosing the record the action made) and says what was done.

    The host gives ``reload(select, message)`` and a ``changed`` signal.
    """

    _done_text: str = ""
    _done_select: int | None = None

    def _open(self, dialog: ActionDialog, done: str, select: int | None = None) -> ActionDialog:
        self._done_text, self._done_select = done, select
        return self._open_one(dialog, self._succeeded)

    def _succeeded(self, result: object) -> None:
        self._done(self._done_text, self._done_select or result)

    def _done(self, text: str, select: object) -> None:
        self.reload(select if isinstance(select, int) else None, text)  # type: ignore[attr-defined]
        self.changed.emit()  # type: ignore[attr-defined]


class FormHost(OneDialog):
    """For a window listing records that opens one add-or-change form at a time: a new
    form closes the one open, and ``_done(result)`` (the host's) runs when it succeeds,
    with ``_done_word`` ("Added", "Changed") saying which it was.
    """

    _done_word: str = ""

    def _open(self, dialog: ActionDialog, done: str) -> ActionDialog:
        self._done_word = done
        return self._open_one(dialog, self._done, replace=True)  # type: ignore[attr-defined]
