"""The Customer types dialog: a team leader adds customer types and changes their terms.

The types are read from ``CustomerTypes.list`` on the read pool, each with how many
accounts use it. Adding and changing are :class:`~debtdesk.gui.action_dialog.ActionDialog`
forms over one ``CustomerTypes`` call on the write pool, so a refusal (a code taken,
interest for individuals, a login that may not edit policy) is shown and the form stays
open to be put right. A form's interest box is disabled while "Individuals" is chosen,
with a tooltip saying why; the service checks the rule whatever a form sends.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.customer_types import NAME_MAX, SCOPE, TERMS_MAX_DAYS, TERMS_MIN_DAYS
from debtdesk.gui.action_dialog import ActionDialog, FormHost
from debtdesk.gui.fields import line_edit, note_label
from debtdesk.gui.formatting import sentence
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.customer_types import CustomerTypes, CustomerTypeView
from debtdesk.services.errors import BadInput

INTRO = (
    "Each account is of one customer type. A type says whether its customers are "
    "individuals or businesses, how many days after the statement date its statements "
    "are due, and whether Late Payment Act interest and compensation are charged on its "
    "overdue invoices. A type's code never changes once added; an account keeps its type "
    "when its client dies."
)
KINDS = {False: "Individuals", True: "Businesses"}
INTEREST_TIP = "Charge statutory interest and fixed compensation on this type's late invoices"
INDIVIDUALS_TIP = sentence(f"Only for businesses: {SCOPE}")
COLUMNS: tuple[Column[CustomerTypeView], ...] = (
    Column("Code", lambda t: t.code),
    Column("Name", lambda t: t.name),
    Column("Customers", lambda t: KINDS[t.is_business]),
    Column("Terms (days)", lambda t: t.terms_days, "number"),
    Column("Late Payment Act interest", lambda t: t.interest, "bool"),
    Column("Accounts", lambda t: t.accounts, "number"),
)


def type_said(view: CustomerTypeView) -> str:
    """``CAREHOME (Care home provider): businesses, due in 30 days, interest on``."""
    interest = "interest on" if view.interest else "no interest"
    days = "day" if view.terms_days == 1 else "days"
    return (
        f"{view.code} ({view.name}): {KINDS[view.is_business].lower()}, "
        f"due in {view.terms_days} {days}, {interest}"
    )


class _TypeForm(ActionDialog):
    """The fields a type has besides its code: name, kind, terms and interest."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(title, intro, ok_text, parent)
        self.name = line_edit("Name", self, "Care home or nursing home provider")
        self.name.setMaxLength(NAME_MAX)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Customers")
        for is_business, text in KINDS.items():
            self.kind.addItem(text, is_business)
        self.terms = QSpinBox(self)
        self.terms.setAccessibleName("Payment terms")
        self.terms.setRange(TERMS_MIN_DAYS, TERMS_MAX_DAYS)
        self.terms.setSuffix(" days after the statement date")
        self.interest = QCheckBox("Late Payment Act &interest and compensation", self)
        self.interest.setAccessibleName("Late Payment Act interest")
        # Said on the form too: a keyboard cannot reach a disabled box's tooltip.
        self.interest_note = note_label("Why there is no interest", self)
        self.interest_note.setText(INDIVIDUALS_TIP)
        self._interest_wanted = False
        self.kind.currentIndexChanged.connect(self._kind_changed)

    def _add_fields(self) -> None:
        self.form.addRow("&Name:", self.name)
        self.form.addRow("C&ustomers:", self.kind)
        self.form.addRow("&Terms:", self.terms)
        self.form.addRow("", self.interest)
        self.form.addRow("", self.interest_note)

    def _set(self, is_business: bool, terms_days: int, interest: bool) -> None:
        self.terms.setValue(terms_days)
        self.interest.setChecked(interest)
        self.kind.setCurrentIndex(self.kind.findData(is_business))
        self._kind_changed()

    def is_business(self) -> bool:
        return bool(self.kind.currentData())

    def _kind_changed(self) -> None:
        """Individuals: interest off and not to be had (remembering it for Businesses)."""
        business = self.is_business()
        if not business and self.interest.isEnabled():
            self._interest_wanted = self.interest.isChecked()
            self.interest.setChecked(False)
        elif business and not self.interest.isEnabled():
            self.interest.setChecked(self._interest_wanted)
        self.interest.setEnabled(business)
        self.interest.setToolTip(INTEREST_TIP if business else INDIVIDUALS_TIP)
        self.interest_note.setVisible(not business)
        if self.isVisible():  # room for the note (or none left over), as wide as it was
            width = self.width()
            self.adjustSize()
            self.resize(max(width, self.width()), self.height())


class AddTypeDialog(_TypeForm):
    """A new customer type: code, name, kind, terms and interest."""

    def __init__(self, types: CustomerTypes, parent: QWidget | None = None) -> None:
        super().__init__(
            "Add a customer type",
            "The code is how imports and the caseload name the type: 2 to 20 capital "
            "letters, digits or underscores. It cannot be changed later.",
            "&Add type",
            parent,
        )
        self._types = types
        self.code = line_edit("Code", self, "CARE_HOME")
        self.code.setMaxLength(20)
        self.form.addRow("&Code:", self.code)
        self._add_fields()
        self._set(False, 14, False)

    def work(self) -> Callable[[], object]:
        return partial(
            self._types.add,
            self.code.text().strip().upper(),
            self.name.text(),
            self.is_business(),
            self.terms.value(),
            self.interest.isChecked(),
        )


class ChangeTypeDialog(_TypeForm):
    """A type's name, kind, terms and interest; only what is changed is sent."""

    def __init__(
        self, types: CustomerTypes, view: CustomerTypeView, parent: QWidget | None = None
    ) -> None:
        accounts = "1 account uses it" if view.accounts == 1 else f"{view.accounts} accounts use it"
        super().__init__(
            f"Change a customer type — {view.code}",
            f"{type_said(view)}; {accounts}. New terms apply to statements issued from now "
            "on; the due dates already given stay.",
            "&Change",
            parent,
        )
        self._types, self._view = types, view
        self.code = QLabel(view.code, self)
        self.code.setAccessibleName("Code")
        self.form.addRow("Code:", self.code)
        self._add_fields()
        self.name.setText(view.name)
        self._set(view.is_business, view.terms_days, view.interest)

    def work(self) -> Callable[[], object]:
        view = self._view
        asked: dict[str, Any] = {
            "name": self.name.text().strip(),
            "is_business": self.is_business(),
            "terms_days": self.terms.value(),
            "interest": self.interest.isChecked(),
        }
        stored = {
            "name": view.name,
            "is_business": view.is_business,
            "terms_days": view.terms_days,
            "interest": view.interest,
        }
        changes = {key: value for key, value in asked.items() if value != stored[key]}
        if not changes:
            raise BadInput("nothing has changed: change the name, customers, terms or interest")
        return partial(self._types.change, view.code, **changes)


class CustomerTypesDialog(FormHost, QDialog):
    """The customer types and the accounts of each, with Add and Change."""

    def __init__(self, types: CustomerTypes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._types = types
        self.setWindowTitle("Customer types — debtdesk")
        self.setAccessibleName("Customer types")

        intro = QLabel(INTRO, self)
        intro.setAccessibleName("About customer types")
        intro.setWordWrap(True)
        self.table = read_only_table("Customer types", self)
        self.table.setModel(LineTableModel(COLUMNS, (), self))
        self.table.activated.connect(self.change_type)
        self.add_button = QPushButton("&Add type…", self)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_type)
        self.change_button = QPushButton("&Change…", self)
        self.change_button.setAutoDefault(False)
        self.change_button.setToolTip("Or double-click the type, or press Enter on it")
        self.change_button.clicked.connect(self.change_type)
        self.change_button.setEnabled(False)
        self.message = QLabel("", self)
        self.message.setAccessibleName("Customer types message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.change_button)
        buttons.addWidget(self.message, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(860, 420)
        self.reload()

    def reload(self, select: str | None = None, message: str = "") -> None:
        """Read the types again (off the GUI thread), choosing ``select`` by code."""
        run_task(
            self._types.list,
            lambda types: self._loaded(types, select, message),
            lambda error: self.message.setText(f"The customer types could not be read: {error}"),
            owner=self,
        )

    def _loaded(self, types: list[CustomerTypeView], select: str | None, message: str) -> None:
        replace_model(self.table, LineTableModel(COLUMNS, types, self), stretch=1)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        codes = [t.code for t in types]
        if codes:  # the one asked for, else the first: Enter changes the one selected
            self.table.selectRow(codes.index(select) if select in codes else 0)
        self._selection_changed()
        self.message.setText(message)

    def selected_type(self) -> CustomerTypeView | None:
        record = selected_record(self.table)
        return record if isinstance(record, CustomerTypeView) else None

    def _selection_changed(self) -> None:
        self.change_button.setEnabled(self.selected_type() is not None)

    def add_type(self) -> ActionDialog:
        return self._open(AddTypeDialog(self._types, self), "Added")

    def change_type(self) -> ActionDialog | None:
        view = self.selected_type()
        if view is None:
            return None
        return self._open(ChangeTypeDialog(self._types, view, self), "Changed")

    def _done(self, view: CustomerTypeView) -> None:
        self.reload(view.code, f"{self._done_word} {type_said(view)}.")
