"""The account window: five tabs filled from Accounts.detail_by_id, and its table models."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QObject, QSettings, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.ageing import BUCKETS
from debtdesk.gui.account_tables import (
    aged_model,
    assessments_model,
    invoices_model,
    ledger_model,
    packages_model,
    representatives_model,
)
from debtdesk.gui.account_view import TAB_TITLES, AccountView
from debtdesk.gui.line_model import RAW_ROLE, LineTableModel
from debtdesk.services.accounts import AccountDetail, Accounts
from debtdesk.services.caseload import Caseload, CaseloadQuery
from debtdesk.services.database import Database
from tests.gui.conftest import AS_OF

ModelMaker = Callable[[AccountDetail, QObject | None], LineTableModel]


@pytest.fixture
def detail(demo_db: Database) -> AccountDetail:
    """The account with the most representatives (so every table has rows), as at AS_OF."""
    accounts = Accounts(demo_db)
    rows = Caseload(demo_db).page(CaseloadQuery(sort="balance", descending=True), 0, 30)
    details = [accounts.detail_by_id(row.id, AS_OF) for row in rows]
    return max(details, key=lambda d: (len(d.representatives) > 0, len(d.packages), d.balance))


@pytest.mark.parametrize(
    "make_model",
    [
        ledger_model,
        invoices_model,
        assessments_model,
        packages_model,
        representatives_model,
        aged_model,
    ],
)
def test_account_table_models_pass_qt_model_tester(
    detail: AccountDetail, make_model: ModelMaker, qtmodeltester: ModelTester
) -> None:
    model = make_model(detail, None)
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_ledger_model_shows_pounds_dates_and_running_balance(detail: AccountDetail) -> None:
    model = ledger_model(detail)
    last = model.rowCount() - 1
    assert model.index(last, 5).data(RAW_ROLE) == detail.balance
    assert model.index(0, 0).data().count("/") == 2  # dd/mm/yyyy
    assert model.index(0, 4).data().lstrip("-").startswith("£")
    alignment = Qt.AlignmentFlag(model.index(0, 4).data(Qt.ItemDataRole.TextAlignmentRole))
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Date",
        "Type",
        "Description",
        "Invoice",
        "Amount",
        "Balance",
    ]


def test_aged_model_lists_every_bucket(detail: AccountDetail) -> None:
    model = aged_model(detail)
    assert model.rowCount() == len(BUCKETS)
    total = sum(model.index(r, 1).data(RAW_ROLE) for r in range(model.rowCount()))
    assert total == sum(detail.aged.values())


def test_account_view_shows_five_tabs_with_data(
    demo_db: Database, detail: AccountDetail, settings: QSettings, qtbot: QtBot
) -> None:
    view = AccountView(Accounts(demo_db), detail.id, AS_OF, settings)
    qtbot.addWidget(view)
    view.show()
    assert view.detail == detail
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == list(TAB_TITLES)
    assert view.ledger_table.model().rowCount() == len(detail.ledger) > 0
    assert view.invoices_table.model().rowCount() == len(detail.invoices)
    assert view.assessments_table.model().rowCount() == len(detail.assessments)
    assert view.packages_table.model().rowCount() == len(detail.packages)
    assert detail.reference in view.windowTitle()
    assert view.summary is not None
    assert view.summary.representatives_table.model().rowCount() == len(detail.representatives)
    view.close()
    assert settings.value("account_view/geometry") is not None


def test_account_view_explains_an_account_that_cannot_be_loaded(
    demo_db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    view = AccountView(Accounts(demo_db), 10_000_000, AS_OF, settings)
    qtbot.addWidget(view)
    assert view.detail is None
    assert "no account with id 10000000" in view.message.text()
