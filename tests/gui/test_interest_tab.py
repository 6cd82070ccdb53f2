"""The account view's Interest tab over a real database, worked by hand.

LP000001 Ltd (BUSINESS: interest on) owes an opening balance of £5,000.00 due 15/01/2026
(tests/services/test_interest_run.py). The run of 16/03/2026 finds it 60 days late: the
reference date is 31/12/2025, Bank Rate 3.75%, so 11.75%; 5,000 × 11.75% × 60 / 365 =
£96.575 -> £96.58; compensation on £1,000–£9,999.99 is £70.00.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from functools import partial

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.gui.account_view import INTEREST_TAB, TAB_TITLES, AccountView, RecoveryKit
from debtdesk.gui.interest_tab import InterestTab, WaiveDialog, interest_model, rules_text
from debtdesk.services.accounts import Accounts
from debtdesk.services.affordability import AffordabilityChecks
from debtdesk.services.contact_notes import ContactNotes
from debtdesk.services.database import Database
from debtdesk.services.holds import Holds
from debtdesk.services.interest import InterestWaivers
from debtdesk.services.interest_run import InterestRuns
from debtdesk.services.payment_plans import PaymentPlans
from debtdesk.services.recovery import recovery_summary
from debtdesk.services.users import UserView, current_user
from debtdesk.services.write_offs import WriteOffs
from tests.gui.money_support import take_notice
from tests.services.support import table_counts
from tests.services.test_interest_run import _debt

AS_OF = date(2026, 3, 20)
LABEL = "LP000001 LP000001 Ltd"
ROW = [
    "INV00000001", "15/01/2026", "£5,000.00", "31/12/2025", "11.75%", "60", "16/03/2026",
    "£96.58", "£70.00",
]  # fmt: skip


@pytest.fixture
def account(db: Database) -> int:
    """LP000001, charged by the interest run of 16/03/2026."""
    account_id = _debt(db, "LP000001", 5_000_00, date(2026, 1, 15))
    InterestRuns(db).run(date(2026, 3, 16))
    return account_id


MakeTab = Callable[[int, UserView | None], InterestTab]


@pytest.fixture
def make_tab(db: Database, qtbot: QtBot) -> Iterator[MakeTab]:
    """Interest tabs, shown, kept alive until pytest-qt has run the events the test left
    (a dialog's deferred deletion: the tab must not be garbage-collected before it)."""
    made: list[InterestTab] = []

    def make(account_id: int, user: UserView | None) -> InterestTab:
        tab = InterestTab(InterestWaivers(db), user, account_id, AS_OF, LABEL)
        qtbot.addWidget(tab)
        tab.resize(1000, 400)
        tab.show()
        made.append(tab)
        return tab

    yield make
    made.clear()


def cells(tab: InterestTab, row: int = 0) -> list[str]:
    model = tab.table.model()
    return [model.index(row, c).data() for c in range(model.columnCount())]


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_charged_invoice_and_a_waiver_of_its_compensation(
    db: Database, account: int, qtbot: QtBot, make_tab: MakeTab
) -> None:
    tab = make_tab(account, current_user(db))
    assert cells(tab) == [*ROW, ""]
    assert tab.rules.text() == rules_text()
    assert tab.message.text() == ""
    assert tab.interest_button.isEnabled() and tab.compensation_button.isEnabled()

    # No reason: the service's refusal, the dialog stays open, nothing is written.
    before = table_counts(db.engine)
    dialog = tab.waive_compensation()
    assert isinstance(dialog, WaiveDialog)
    assert dialog.windowTitle() == f"Waive the compensation — {LABEL}"
    assert dialog.intro.text().startswith("Compensation charged on INV00000001 so far: £70.00.")
    click(qtbot, dialog.ok_button)
    assert take_notice(dialog.notice).strip() == "Say why the compensation is waived."
    assert dialog.isVisible() and tab.waive_compensation() is dialog
    assert table_counts(db.engine) == before

    dialog.on.setDate(QDate(2026, 3, 18))
    dialog.reason.setText("First late payment in ten years")
    with qtbot.waitSignal(tab.changed):
        click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    assert cells(tab) == [*ROW[:-1], "£0.00", "Compensation"]
    assert tab.message.text() == "Compensation on INV00000001 waived."
    assert not tab.compensation_button.isEnabled()
    assert tab.compensation_button.toolTip() == "The compensation on INV00000001 is waived already"
    assert tab.waive_compensation() is None
    assert tab.interest_button.isEnabled()
    # £5,000.00 + £96.58 + £70.00 charged, £70.00 credited on 18/03.
    assert Accounts(db).detail_by_id(account, AS_OF).balance == 5_096_58
    [line] = InterestWaivers(db).for_account(account)
    assert (line.compensation, line.waived) == (0, ("compensation",))


def test_the_interest_waived_too(
    db: Database, account: int, qtbot: QtBot, make_tab: MakeTab
) -> None:
    waivers = InterestWaivers(db)
    [line] = waivers.for_account(account)
    waivers.waive(line.invoice_id, "compensation", "Goodwill", date(2026, 3, 18))
    tab = make_tab(account, current_user(db))
    dialog = tab.waive_interest()
    assert isinstance(dialog, WaiveDialog)
    dialog.reason.setText("Settled at the panel")
    click(qtbot, dialog.ok_button)
    assert cells(tab)[7:] == ["£0.00", "£0.00", "Interest and compensation"]
    assert not tab.interest_button.isEnabled() and not tab.compensation_button.isEnabled()


def test_nothing_to_waive_and_nobody_to_waive_it(
    db: Database, account: int, make_tab: MakeTab
) -> None:
    user = current_user(db)
    assert user is not None
    for who in (None, replace(user, active=False)):
        tab = make_tab(account, who)
        assert cells(tab) == [*ROW, ""]
        assert tab.interest_button.isHidden() and tab.compensation_button.isHidden()
        assert tab.waive_interest() is None and tab.dialog is None


def test_an_account_never_charged_says_so(db: Database, make_tab: MakeTab) -> None:
    account = _debt(db, "LP000003", 5_000_00, date(2026, 1, 15), type_code="INDIVIDUAL")
    InterestRuns(db).run(date(2026, 3, 16))
    tab = make_tab(account, current_user(db))
    assert tab.table.isHidden() and tab.rules.isHidden()
    assert tab.interest_button.isHidden() and tab.compensation_button.isHidden()
    assert tab.message.text() == (
        "No Late Payment Act interest on this account: its customer type does not attract "
        "it, or no interest run has found one of its invoices late."
    )
    tab.customer_type = "Individual"  # the account view passes it once the account is loaded
    assert tab.message.text().startswith(
        "No Late Payment Act interest on this account: its customer type (Individual) does "
        "not attract it"
    )


def test_the_rules_line() -> None:
    assert rules_text() == (
        "Late Payment Act interest: simple, at Bank Rate on the reference date + 8%, fixed "
        "for the life of the debt; compensation £40/£70/£100 once per invoice. Days late "
        "and the sums charged are as at the latest interest run that charged on the invoice."
    )


def test_the_interest_model_passes_qt_model_tester(
    db: Database, account: int, qtbot: QtBot
) -> None:
    ModelTester(qtbot).check(interest_model(InterestWaivers(db).for_account(account)))


def recovery_kit(db: Database, interest: InterestWaivers | None) -> RecoveryKit:
    return RecoveryKit(
        partial(recovery_summary, db), Holds(db), WriteOffs(db), PaymentPlans(db),
        AffordabilityChecks(db), ContactNotes(db), current_user(db), interest=interest,
    )  # fmt: skip


def test_the_account_view_has_an_interest_tab_after_invoices(
    db: Database, account: int, settings: QSettings, qtbot: QtBot
) -> None:
    view = AccountView(
        Accounts(db), account, AS_OF, settings, recovery=recovery_kit(db, InterestWaivers(db))
    )
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.detail is not None)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == list(TAB_TITLES)
    assert TAB_TITLES[INTEREST_TAB - 1 : INTEREST_TAB + 1] == ("Invoices", "Interest")
    tab = view.interest
    assert tab is not None and view.tabs.widget(INTEREST_TAB) is tab
    assert tab.account_label == LABEL and tab.customer_type == "Business or public body"
    view.tabs.setCurrentIndex(INTEREST_TAB)
    assert cells(tab) == [*ROW, ""]

    # A waiver reloads the other money tabs; the Interest tab keeps saying what it did.
    recovery = view.recovery
    assert recovery is not None
    dialog = tab.waive_compensation()
    assert isinstance(dialog, WaiveDialog)
    dialog.reason.setText("Goodwill")
    with qtbot.waitSignal(recovery.loaded):
        click(qtbot, dialog.ok_button)
    assert tab.message.text() == "Compensation on INV00000001 waived."
    with qtbot.waitSignal(tab.loaded):  # money posted elsewhere (an interest run, say)
        view.reload_money()
    assert cells(tab)[8:] == ["£0.00", "Compensation"]
    view.close()


def test_without_the_service_the_tab_says_it_is_not_available(
    db: Database, account: int, settings: QSettings, qtbot: QtBot
) -> None:
    view = AccountView(Accounts(db), account, AS_OF, settings, recovery=recovery_kit(db, None))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.detail is not None)
    assert view.interest is None
    page = view.tabs.widget(INTEREST_TAB)
    assert isinstance(page, QLabel)
    assert page.text() == "Late Payment Act interest is not available here."
    assert view.tabs.tabText(INTEREST_TAB) == "Interest"
    view.close()
