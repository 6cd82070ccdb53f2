"""The Customer types dialog on a new database: the list, adding and changing types, the
interest box for individuals, refusals.

A new database has BUSINESS (businesses, 30 days, interest on), ESTATE and INDIVIDUAL
(individuals, 14 days, no interest); "tester" is an administrator (tests/conftest.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import UserRole
from debtdesk.gui.customer_types_dialog import (
    AddTypeDialog,
    ChangeTypeDialog,
    CustomerTypesDialog,
)
from debtdesk.services.customer_types import CustomerTypes
from debtdesk.services.database import Database, open_database
from debtdesk.services.users import Users
from tests.gui.money_support import take_notice
from tests.services.support import add_account, snapshot

ACT_SCOPE = (
    "the Late Payment of Commercial Debts (Interest) Act 1998 applies only where both "
    "parties act in the course of a business"
)


def make_dialog(db: Database, qtbot: QtBot) -> CustomerTypesDialog:
    dialog = CustomerTypesDialog(CustomerTypes(db))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def shown(dialog: CustomerTypesDialog) -> list[list[str]]:
    model = dialog.table.model()
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def change(dialog: CustomerTypesDialog, code: str) -> ChangeTypeDialog:
    dialog.table.selectRow([row[0] for row in shown(dialog)].index(code))
    opened = dialog.change_type()
    assert isinstance(opened, ChangeTypeDialog)
    return opened


def test_the_dialog_lists_the_types_and_the_accounts_of_each(
    db: Database, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    with db.sessions.begin() as session:
        add_account(session, "CC001", "Ann Able")
        add_account(session, "CC002", "Estate of Bob Best", type_code="ESTATE")
        add_account(session, "CC003", "Cy Dee")
    dialog = make_dialog(db, qtbot)
    qtmodeltester.check(dialog.table.model())
    model = dialog.table.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Code",
        "Name",
        "Customers",
        "Terms (days)",
        "Late Payment Act interest",
        "Accounts",
    ]
    assert shown(dialog) == [
        ["BUSINESS", "Business or public body", "Businesses", "30", "Yes", "0"],
        ["ESTATE", "Estate of a person who has died", "Individuals", "14", "No", "1"],
        ["INDIVIDUAL", "Individual", "Individuals", "14", "No", "2"],
    ]
    assert dialog.change_button.isEnabled()  # the first type is chosen
    assert dialog.table.accessibleName() == "Customer types"


def test_a_care_home_type_is_added_with_interest(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    add = dialog.dialog
    assert isinstance(add, AddTypeDialog) and add.isVisible()
    assert add.kind.currentText() == "Individuals" and add.terms.value() == 14
    assert not add.interest.isEnabled() and not add.interest.isChecked()
    qtbot.keyClicks(add.code, "carehome")
    qtbot.keyClicks(add.name, "Care home provider")
    add.kind.setCurrentIndex(add.kind.findText("Businesses"))
    add.terms.setValue(30)
    assert add.interest.isEnabled()
    qtbot.mouseClick(add.interest, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(add.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.message.text() == (
        "Added CAREHOME (Care home provider): businesses, due in 30 days, interest on."
    )
    assert ["CAREHOME", "Care home provider", "Businesses", "30", "Yes", "0"] in shown(dialog)
    assert dialog.selected_type() is not None and dialog.selected_type().code == "CAREHOME"  # type: ignore[union-attr]


def test_the_interest_box_is_off_and_disabled_for_individuals_saying_why(
    db: Database, qtbot: QtBot
) -> None:
    dialog = make_dialog(db, qtbot)
    form = change(dialog, "BUSINESS")
    assert form.interest.isEnabled() and form.interest.isChecked()
    assert not form.interest_note.isVisible()
    assert form.interest.toolTip() == (
        "Charge statutory interest and fixed compensation on this type's late invoices"
    )
    form.kind.setCurrentIndex(form.kind.findText("Individuals"))
    assert not form.interest.isEnabled() and not form.interest.isChecked()
    assert form.interest.toolTip() == f"Only for businesses: {ACT_SCOPE}."
    assert form.interest_note.isVisible() and form.interest_note.text() == form.interest.toolTip()
    form.kind.setCurrentIndex(form.kind.findText("Businesses"))
    assert form.interest.isEnabled() and form.interest.isChecked()  # as it was
    assert not form.interest_note.isVisible()


def test_a_business_type_becomes_one_for_individuals_with_its_interest_off(
    db: Database, qtbot: QtBot
) -> None:
    dialog = make_dialog(db, qtbot)
    form = change(dialog, "BUSINESS")
    form.kind.setCurrentIndex(form.kind.findText("Individuals"))
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == (
        "Changed BUSINESS (Business or public body): individuals, due in 30 days, no interest."
    )
    assert shown(dialog)[0] == [
        "BUSINESS",
        "Business or public body",
        "Individuals",
        "30",
        "No",
        "0",
    ]


def test_the_service_refuses_interest_for_individuals_whatever_the_form_sends(
    db: Database, qtbot: QtBot
) -> None:
    dialog = make_dialog(db, qtbot)
    before = snapshot(db.engine)
    form = change(dialog, "INDIVIDUAL")
    assert not form.interest.isEnabled()
    form.interest.setChecked(True)  # as a form that let it through would
    form.accept()
    assert take_notice(form.notice).startswith(
        f"INDIVIDUAL is a type for individuals: {ACT_SCOPE}, so interest cannot be "
        "switched on for it."
    )
    assert form.isVisible() and snapshot(db.engine) == before


def test_a_change_sends_only_what_was_changed(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    form = change(dialog, "BUSINESS")
    CustomerTypes(db).change("BUSINESS", name="Business, charity or public body")  # meanwhile
    form.terms.setValue(28)
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == (
        "Changed BUSINESS (Business, charity or public body): businesses, due in 28 days, "
        "interest on."
    )
    stored = {t.code: t for t in CustomerTypes(db).list()}["BUSINESS"]
    assert (stored.name, stored.terms_days) == ("Business, charity or public body", 28)


def test_nothing_changed_or_a_code_taken_is_said_and_nothing_written(
    db: Database, qtbot: QtBot
) -> None:
    dialog = make_dialog(db, qtbot)
    before = snapshot(db.engine)
    form = change(dialog, "ESTATE")
    assert form.code.text() == "ESTATE"  # shown, not editable
    form.accept()
    assert take_notice(form.notice).startswith("Nothing has changed")
    form.close()

    add = dialog.add_type()
    assert isinstance(add, AddTypeDialog)
    add.code.setText("ESTATE")
    add.name.setText("Another estate")
    add.accept()
    assert take_notice(add.notice).startswith(
        "There is already a customer type ESTATE (Estate of a person who has died)."
    )
    assert add.isVisible() and snapshot(db.engine) == before


def test_an_officer_may_not_add_a_type(db: Database, qtbot: QtBot) -> None:
    Users(db).add("jsmith", "Jo Smith", UserRole.OFFICER)
    officer = open_database(db.url, actor="jsmith")
    try:
        before = snapshot(db.engine)
        dialog = make_dialog(officer, qtbot)
        add = dialog.add_type()
        assert isinstance(add, AddTypeDialog)
        add.code.setText("CAREHOME")
        add.name.setText("Care home provider")
        add.accept()
        assert take_notice(add.notice).startswith("Jo Smith (officer) may not edit policy")
        assert snapshot(db.engine) == before
    finally:
        officer.close()
