"""The Payment plans tab and the plan dialog over the real services, worked by hand.

The account owes £300.00 (one invoice raised 5 Jan 2026, so no statement falls in the
plans). The plan: £100.00 a month from Mon 2 Mar 2026, due 2 Mar, 2 Apr and 2 May; an
instalment still short by more than £1.00 seven days after it fell due breaks the plan
on the eighth day (the default tolerance and grace).

The statement, a month each (weekly × 52 / 12, 4-weekly × 13 / 12, half-up):

* income: State Pension £230.00 a week = £996.67, a work pension £400.00 a month:
  £1,396.67;
* fixed costs: rent £450.00, council tax £120.00, electricity £55.00 a month and gas
  £60.00 every 4 weeks = £65.00: £690.00;
* flexible costs: groceries £75.00 a week = £325.00, mobile phone £20.00 and clothing
  £30.00 a month: £375.00;
* available for priority debts £1,396.67 − £1,065.00 = £331.67; less priority offers of
  £50.00 leaves £281.67 for non-priority debts;
* we are owed £300.00 of £1,200.00 (£900.00 to others): our share is £281.67 / 4 =
  £70.4175, £70.41 a month rounded down; weekly £70.41 × 12 / 52 = £16.248…, £16.24.

The guideline for one adult (the team's own figures): communications £100.00, food
£300.00, personal £50.00 a month, so food and housekeeping (£325.00) is over it.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.db.models import PaymentPlan
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.payment_plans import Frequency, PlanStatus
from debtdesk.gui.plan_dialog import AMOUNT, FREQUENCY, CancelPlanDialog, PlanDialog, flexible_model
from debtdesk.gui.plans_tab import PaymentPlansTab, plans_model, schedule_model
from debtdesk.services import ledger
from debtdesk.services.affordability import AffordabilityChecks
from debtdesk.services.database import Database
from debtdesk.services.payment_plans import PaymentPlans, PlanTerms
from debtdesk.services.settings import Settings
from tests.gui.money_support import take_notice
from tests.services.support import new_account

ARREARS = 300_00
TERMS = PlanTerms(100_00, Frequency.MONTHLY, date(2026, 3, 2), ARREARS, PaymentMethod.CARD)
GUIDELINES = (
    "adults,children,communications_leisure,food_housekeeping,personal\n"
    "1,0,100.00,300.00,50.00\n"
    "2,0,150.00,500.00,80.00\n"
)


@pytest.fixture
def account(db: Database) -> int:
    """An account owing £300.00, on an invoice raised before any plan starts."""
    with db.sessions.begin() as s:
        account_id = new_account(s, "PP000001")
        ledger.raise_invoice(
            s, account_id, InvoiceKind.OPENING_BALANCE, date(2026, 1, 5), date(2026, 1, 19),
            [(EntryKind.CHARGE, ARREARS, None, "Arrears brought forward")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    return account_id


def pay(db: Database, account: int, on: date, pence: int) -> None:
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -pence, on, source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CARD,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    """A window for the tab, as the account view is: it owns the tab, and the fixture it.

    A top-level tab held only by Python would be freed with the last dialog's callback
    (which names it) while that dialog is being deleted; pytest-qt holds widgets weakly.
    """
    window = QWidget()
    QVBoxLayout(window)
    qtbot.addWidget(window)
    window.resize(1000, 600)
    window.show()
    return window


def make_tab(db: Database, account: int, as_of: date, host: QWidget) -> PaymentPlansTab:
    tab = PaymentPlansTab(
        PaymentPlans(db), AffordabilityChecks(db), account, as_of, "PP000001", ARREARS
    )
    host.layout().addWidget(tab)
    tab.show()
    return tab


def cells(table: QTableView, row: int) -> list[str]:
    model = table.model()
    return [model.index(row, c).data() for c in range(model.columnCount())]


def rows(table: QTableView) -> list[list[str]]:
    return [cells(table, row) for row in range(table.model().rowCount())]


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def next_tab_stop(widget: QWidget) -> QWidget:
    """Where Tab goes from ``widget``: the next widget in the focus chain that takes it."""
    following = widget.nextInFocusChain()
    while not (
        following.focusPolicy() & Qt.FocusPolicy.TabFocus
        and following.isVisibleTo(widget.window())
        and following.isEnabled()
    ):
        following = following.nextInFocusChain()
    return following


def new_plan_dialog(tab: PaymentPlansTab, qtbot: QtBot) -> PlanDialog:
    click(qtbot, tab.new_button)
    dialog = tab.dialog
    assert isinstance(dialog, PlanDialog) and dialog.isVisible()
    return dialog


def stored_affordability(db: Database, plan_id: int) -> dict[str, object] | None:
    with db.sessions() as s:
        plan = s.get(PaymentPlan, plan_id)
        assert plan is not None
        return plan.affordability


def key_statement(dialog: PlanDialog, qtbot: QtBot) -> None:
    """The statement in the module docstring; two lines keyed with the keyboard."""
    # Rent, typed into the table: a key starts editing the cell, Return commits it.
    table = dialog.lines
    table.setCurrentCell(dialog.row_of("rent"), AMOUNT)
    qtbot.keyClick(table, Qt.Key.Key_4)
    editor = table.indexWidget(table.currentIndex())
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "50")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits it, queued
    rent = table.item(dialog.row_of("rent"), AMOUNT)
    qtbot.waitUntil(lambda: rent.text() == "450.00")  # tidied
    assert dialog.notice is None  # Return in the table is not OK for the dialog
    # Gas every 4 weeks: the frequency cell's drop-down, moved up from Monthly.
    index = table.model().index(dialog.row_of("gas"), FREQUENCY)
    table.setCurrentIndex(index)
    table.edit(index)
    combo = table.indexWidget(index)
    assert isinstance(combo, QComboBox) and combo.currentText() == "Monthly"
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert table.item(dialog.row_of("gas"), FREQUENCY).text() == "Every 4 weeks"
    table.item(dialog.row_of("gas"), AMOUNT).setText("60")

    dialog.set_line("state-pensions", "230", Frequency.WEEKLY)
    dialog.set_line("private-work-pensions", "400.00")
    dialog.set_line("council-tax-rates", "120.00")
    dialog.set_line("electricity", "55.00")
    dialog.set_line("groceries", "75.00", Frequency.WEEKLY)
    dialog.set_line("mobile-phone", "20.00")
    dialog.set_line("clothing-footwear", "30.00")
    type_into(qtbot, dialog.other_debts, "900.00")
    type_into(qtbot, dialog.priority_offers, "50")


def test_a_new_plan_through_the_dialog_shows_its_schedule(
    db: Database, account: int, host: QWidget, qtbot: QtBot
) -> None:
    """£100.00 paid on 2 Mar; nothing for 2 Apr: short after grace, broken on 10 Apr."""
    pay(db, account, date(2026, 3, 2), 100_00)
    tab = make_tab(db, account, date(2026, 4, 20), host)
    assert tab.message.text() == "No payment plan on this account."
    assert tab.plans_table.model().rowCount() == 0 and not tab.broken.isVisible()
    assert tab.new_button.isEnabled()
    assert not tab.renegotiate_button.isEnabled() and not tab.cancel_button.isEnabled()

    dialog = new_plan_dialog(tab, qtbot)
    assert dialog.windowTitle() == "New payment plan — PP000001"
    assert dialog.total.text() == "300.00"  # the arrears, unless the officer says otherwise
    type_into(qtbot, dialog.instalment, "100")
    choose(dialog.frequency, "Monthly")
    dialog.start.setDate(QDate(2026, 3, 2))
    choose(dialog.method, "Card")
    assert dialog.schedule_summary.text() == "3 instalments, 02/03/2026 to 02/05/2026."
    qtbot.keyClicks(dialog.note, "Agreed by phone with the daughter")
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()

    [plan] = PaymentPlans(db).for_account(account, date(2026, 4, 20))
    assert (plan.instalment, plan.frequency, plan.start_on, plan.total, plan.method) == (
        100_00, Frequency.MONTHLY, date(2026, 3, 2), ARREARS, PaymentMethod.CARD
    )  # fmt: skip
    assert stored_affordability(db, plan.id) is None  # no statement was keyed
    assert rows(tab.plans_table) == [
        [str(plan.id), "Active, broken", "£100.00", "Monthly", "02/03/2026", "£300.00", "Card",
         "10/04/2026", "", "tester", "Agreed by phone with the daughter"],
    ]  # fmt: skip
    assert rows(tab.schedule_table) == [
        ["02/03/2026", "Instalment 1", "£100.00", "£100.00", "£0.00", "Paid"],
        ["02/04/2026", "Instalment 2", "£100.00", "£0.00", "£100.00", "Short after grace"],
        ["02/05/2026", "Instalment 3", "£100.00", "£0.00", "£100.00", "Not yet due"],
    ]
    assert tab._schedule_box.title() == f"Schedule — plan {plan.id} (3)"
    assert tab.broken.text() == "1 broken plan" and tab.broken.isVisible()
    assert tab.message.text() == "Plan agreed."
    assert not tab.new_button.isEnabled() and str(plan.id) in tab.new_button.toolTip()
    assert tab.renegotiate_button.isEnabled() and tab.cancel_button.isEnabled()


def test_the_affordability_check_suggests_the_instalment(
    db: Database, account: int, host: QWidget, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    Settings(db).set("affordability.guidelines", GUIDELINES)
    tab = make_tab(db, account, date(2026, 3, 1), host)
    dialog = new_plan_dialog(tab, qtbot)
    assert dialog.affordability is None and not dialog.use_suggested.isEnabled()
    assert "Key the household's income and outgoings" in dialog.check_message.text()

    key_statement(dialog, qtbot)
    figures = {
        name: figure.text()
        for name, figure in (
            ("income", dialog.income),
            ("fixed", dialog.fixed_costs),
            ("flexible", dialog.flexible_costs),
            ("savings", dialog.savings),
            ("outgoings", dialog.outgoings),
            ("for priority", dialog.available_for_priority),
            ("offers", dialog.offers),
            ("surplus", dialog.surplus),
        )
    }
    assert figures == {
        "income": "£1,396.67",
        "fixed": "£690.00",
        "flexible": "£375.00",
        "savings": "£0.00",
        "outgoings": "£1,065.00",
        "for priority": "£331.67",
        "offers": "£50.00",
        "surplus": "£281.67",
    }
    assert rows(dialog.flexible_table) == [
        ["Communications and leisure", "£20.00", "£100.00", "Within guideline"],
        ["Food and housekeeping", "£325.00", "£300.00", "Over guideline"],
        ["Personal costs", "£30.00", "£50.00", "Within guideline"],
    ]
    qtmodeltester.check(dialog.flexible_table.model())
    bold = [
        bool(font and font.bold())
        for font in (
            dialog.flexible_table.model().index(row, 0).data(Qt.ItemDataRole.FontRole)
            for row in range(3)
        )
    ]
    assert bold == [False, True, False]  # the category over its guideline stands out
    assert "Over the guideline: Food and housekeeping." in dialog.check_message.text()

    choose(dialog.frequency, "Weekly")
    assert dialog.suggested.text().startswith(
        "Suggested instalment: £16.24 a week (£70.41 a month: our share of the surplus, as "
        "we are owed £300.00 of £1,200.00)"
    )
    choose(dialog.frequency, "Monthly")
    click(qtbot, dialog.use_suggested)
    assert dialog.instalment.text() == "70.41"
    choose(dialog.frequency, "Every 4 weeks")
    click(qtbot, dialog.use_suggested)
    assert dialog.instalment.text() == "64.99"  # £70.41 × 12 / 13 = £64.993…
    choose(dialog.frequency, "Weekly")
    click(qtbot, dialog.use_suggested)
    assert dialog.instalment.text() == "16.24"
    assert dialog.schedule_summary.text().startswith("19 instalments")  # 18 × £16.24 + £7.68

    # Another adult: the guideline row for two adults has room for the food.
    dialog.household_adults.setValue(2)
    assert "Over" not in dialog.check_message.text()
    assert [row[3] for row in rows(dialog.flexible_table)] == ["Within guideline"] * 3

    dialog.start.setDate(QDate(2026, 3, 2))
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    [plan] = PaymentPlans(db).for_account(account, date(2026, 3, 1))
    assert (plan.instalment, plan.frequency) == (16_24, Frequency.WEEKLY)
    snapshot = stored_affordability(db, plan.id)
    assert snapshot is not None
    assert {key: snapshot[key] for key in (
        "income", "fixed_costs", "flexible_costs", "savings", "available_for_priority",
        "priority_offers", "available_for_non_priority", "our_debt",
        "other_non_priority_debts", "suggested_monthly", "suggested_frequency",
        "suggested_instalment", "guideline_household", "checked_on",
    )} == {
        "income": 1396_67, "fixed_costs": 690_00, "flexible_costs": 375_00, "savings": 0,
        "available_for_priority": 331_67, "priority_offers": 50_00,
        "available_for_non_priority": 281_67, "our_debt": 300_00,
        "other_non_priority_debts": 900_00, "suggested_monthly": 70_41,
        "suggested_frequency": "weekly", "suggested_instalment": 16_24,
        "guideline_household": [2, 0], "checked_on": "2026-03-01",
    }  # fmt: skip
    lines = snapshot["lines"]
    assert isinstance(lines, list) and len(lines) == 9
    assert {
        "key": "state-pensions", "label": "State Pension", "section": "income",
        "amount": 230_00, "frequency": "weekly", "monthly": 996_67,
    } in lines  # fmt: skip
    assert {
        "key": "gas", "label": "Gas", "section": "fixed-costs",
        "amount": 60_00, "frequency": "four_weekly", "monthly": 65_00,
    } in lines  # fmt: skip


def test_without_guidelines_the_flexible_costs_are_not_checked(
    db: Database, account: int, host: QWidget, qtbot: QtBot
) -> None:
    tab = make_tab(db, account, date(2026, 3, 1), host)
    dialog = new_plan_dialog(tab, qtbot)
    dialog.set_line("state-pensions", "100.00", Frequency.WEEKLY)  # £433.33 a month
    dialog.set_line("rent", "500.00")
    assert dialog.surplus.text() == "-£66.67"
    assert [row[2:] for row in rows(dialog.flexible_table)] == [["", "No guideline"]] * 3
    assert "No spending guideline" in dialog.check_message.text()
    assert dialog.suggested.text().startswith("Suggested instalment: none.")
    assert not dialog.use_suggested.isEnabled()


def test_bad_terms_are_refused_and_nothing_is_written(
    db: Database, account: int, host: QWidget, qtbot: QtBot
) -> None:
    tab = make_tab(db, account, date(2026, 3, 1), host)
    dialog = new_plan_dialog(tab, qtbot)
    refused = {
        "": "Give the instalment.",
        "abc": "Instalment: 'abc' is not an amount in pounds.",
        "0": "Instalment must be more than £0.00, not £0.00.",
        "400.00": "The instalment (£400.00) is more than the arrears the plan covers (£300.00).",
    }
    for typed, said in refused.items():
        type_into(qtbot, dialog.instalment, typed)
        click(qtbot, dialog.ok_button)
        assert take_notice(dialog.notice).strip() == said
        assert dialog.isVisible() and dialog.ok_button.isEnabled()

    # A line of the statement that is not pounds: said as it is keyed, and refused on OK.
    type_into(qtbot, dialog.instalment, "100.00")
    dialog.set_line("rent", "12x")
    assert dialog.check_message.text() == "Rent: '12x' is not an amount in pounds."
    assert dialog.affordability is None
    click(qtbot, dialog.ok_button)
    assert take_notice(dialog.notice).strip() == "Rent: '12x' is not an amount in pounds."
    assert dialog.isVisible()

    # With no mandate the method offered is a bank transfer; a direct debit is refused.
    dialog.set_line("rent", "450.00")
    assert dialog.method.currentText() == "Bank transfer"
    choose(dialog.method, "Direct debit")
    click(qtbot, dialog.ok_button)
    assert take_notice(dialog.notice).strip() == (
        "PP000001 has no direct debit mandate: set one up on the Direct debit tab first, or "
        "choose another way to pay."
    )
    assert dialog.isVisible()
    assert PaymentPlans(db).for_account(account, date(2026, 3, 1)) == []
    assert tab.plans_table.model().rowCount() == 0


def test_renegotiating_keeps_the_history_then_cancel(
    db: Database, account: int, host: QWidget, qtbot: QtBot
) -> None:
    old_id = PaymentPlans(db).create(account, TERMS)
    pay(db, account, date(2026, 3, 2), 100_00)  # the first instalment: the plan is kept
    tab = make_tab(db, account, date(2026, 3, 20), host)
    assert cells(tab.plans_table, 0)[:2] == [str(old_id), "Active"]
    assert not tab.new_button.isEnabled()

    click(qtbot, tab.renegotiate_button)
    dialog = tab.dialog
    assert isinstance(dialog, PlanDialog)
    assert dialog.windowTitle() == f"Renegotiate plan {old_id} — PP000001"
    assert f"Plan {old_id}: £100.00 a month from 02/03/2026" in dialog.intro.text()
    assert (dialog.instalment.text(), dialog.frequency.currentText()) == ("100.00", "Monthly")
    assert dialog.method.currentText() == "Card"
    assert dialog.start.date() == QDate(2026, 3, 20)  # not before today
    dialog.start.setDate(QDate(2026, 2, 1))  # before the old plan began: refused
    type_into(qtbot, dialog.instalment, "50.00")
    click(qtbot, dialog.ok_button)
    assert (
        take_notice(dialog.notice).strip()
        == "The new plan cannot start before the one it replaces."
    )
    dialog.start.setDate(QDate(2026, 4, 1))
    assert dialog.schedule_summary.text() == "6 instalments, 01/04/2026 to 01/09/2026."
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()

    new, old = PaymentPlans(db).for_account(account, date(2026, 3, 20))
    assert (old.id, old.status, old.ended_on) == (old_id, PlanStatus.REPLACED, date(2026, 4, 1))
    assert (new.status, new.replaces_id, new.instalment) == (PlanStatus.ACTIVE, old_id, 50_00)
    plans = rows(tab.plans_table)
    assert [row[:6] for row in plans] == [
        [str(new.id), "Active", "£50.00", "Monthly", "01/04/2026", "£300.00"],
        [str(old_id), "Replaced", "£100.00", "Monthly", "02/03/2026", "£300.00"],
    ]
    assert plans[1][8] == "01/04/2026"  # ended
    assert tab.selected_plan() == new
    assert [row[:3] for row in rows(tab.schedule_table)] == [
        [f"01/{month:02d}/2026", f"Instalment {n}", "£50.00"]
        for n, month in enumerate(range(4, 10), start=1)
    ]
    assert tab.message.text() == f"New terms agreed: plan {old_id} is replaced."

    # The replaced plan can be looked at but not acted on.
    tab.plans_table.selectRow(1)
    assert tab._schedule_box.title() == f"Schedule — plan {old_id} (3)"
    assert not tab.renegotiate_button.isEnabled() and not tab.cancel_button.isEnabled()
    tab.plans_table.selectRow(0)

    click(qtbot, tab.cancel_button)
    cancel = tab.dialog
    assert isinstance(cancel, CancelPlanDialog)
    click(qtbot, cancel.ok_button)  # no reason given
    assert take_notice(cancel.notice).strip() == "Give the reason."
    qtbot.keyClicks(cancel.reason, "Moved to a nursing home; deferred payment instead")
    click(qtbot, cancel.ok_button)
    assert not cancel.isVisible()
    row = cells(tab.plans_table, 0)
    assert row[:2] == [str(new.id), "Cancelled"] and row[8] == "20/03/2026"
    assert row[10] == "Cancelled: Moved to a nursing home; deferred payment instead"
    assert tab.new_button.isEnabled() and not tab.cancel_button.isEnabled()
    assert tab.broken.text() == ""


def test_the_plan_models_pass_qt_model_tester(
    db: Database, account: int, qtmodeltester: ModelTester
) -> None:
    PaymentPlans(db).create(account, TERMS)
    [plan] = PaymentPlans(db).for_account(account, date(2026, 4, 20))
    qtmodeltester.check(plans_model([plan]))
    qtmodeltester.check(schedule_model(plan.lines, date(2026, 4, 20)))
    qtmodeltester.check(flexible_model(()))


def test_every_field_of_the_dialog_is_named_and_reached_by_keyboard(
    db: Database, account: int, host: QWidget, qtbot: QtBot
) -> None:
    tab = make_tab(db, account, date(2026, 3, 1), host)
    dialog = new_plan_dialog(tab, qtbot)
    fields = dialog.findChildren(QWidget)
    inputs = [
        w
        for w in fields
        if isinstance(w, (QLineEdit, QComboBox, QSpinBox, QTableView, QPushButton))
        and w.isVisibleTo(dialog)
        and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox))  # their own inner edits
    ]
    assert len(inputs) > 12
    assert dialog.focusWidget() is dialog.instalment  # the first thing to key
    assert next_tab_stop(dialog.use_suggested) is dialog.ok_button  # the buttons come last
    assert next_tab_stop(dialog.priority_offers) is dialog.lines
    for widget in inputs:
        name = widget.accessibleName() or (widget.text() if isinstance(widget, QPushButton) else "")
        assert name, widget
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, name
