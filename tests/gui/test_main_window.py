"""The main window on a demo caseload: search, filters, sorting, opening accounts, settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import debtdesk
from debtdesk.db.migrate import SCHEMA_HEAD
from debtdesk.gui import database_dialogs
from debtdesk.gui import settings as keys
from debtdesk.gui.account_view import TAB_TITLES
from debtdesk.gui.caseload_model import BALANCE_COLUMN, PAGE_SIZE, RAW_ROLE
from debtdesk.gui.main_window import MainWindow
from debtdesk.services.caseload import Caseload, CaseloadQuery
from debtdesk.services.database import Database
from tests.gui.conftest import AS_OF, DEMO_ACCOUNTS


def make_window(settings: QSettings, qtbot: QtBot, location: str | None) -> MainWindow:
    window = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    if location is not None:
        window.open_location(location)
    return window


@pytest.fixture
def window(demo_db: Database, settings: QSettings, qtbot: QtBot) -> Iterator[MainWindow]:
    main = make_window(settings, qtbot, demo_db.url)
    yield main
    main.close_database()


def click_header(window: MainWindow, qtbot: QtBot, column: int) -> None:
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def test_opens_the_database_and_shows_the_caseload(window: MainWindow, demo_db: Database) -> None:
    assert window.database is not None
    assert window.model.matching == DEMO_ACCOUNTS
    assert window.model.rowCount() == PAGE_SIZE
    assert window.count_label.text() == f"{DEMO_ACCOUNTS} accounts"
    assert window.database_label.text() == demo_db.display_name
    assert window.filters.officer.count() == 1 + len(Caseload(demo_db).officers())


def test_search_sort_and_open_an_account(
    window: MainWindow, demo_db: Database, qtbot: QtBot
) -> None:
    caseload = Caseload(demo_db)
    everyone = caseload.page(CaseloadQuery(), 0, DEMO_ACCOUNTS + 10)
    surname = everyone[0].name.split()[-1]
    expected = caseload.count(CaseloadQuery(search=surname))
    assert 0 < expected < DEMO_ACCOUNTS

    window.filters.search.setFocus()
    qtbot.keyClicks(window.filters.search, surname)
    assert window.model.matching == DEMO_ACCOUNTS  # debounced: nothing yet
    qtbot.waitUntil(lambda: window.model.matching == expected, timeout=3000)
    assert window.model.rowCount() == expected
    assert window.count_label.text() == f"{expected} of {DEMO_ACCOUNTS} accounts"
    assert all(
        surname.lower() in f"{row.reference} {row.name} {row.postcode}".lower()
        for row in map(window.model.row_for, range(window.model.rowCount()))
    )

    window.filters.search.clear()
    window.filters.flush()
    assert window.model.matching == DEMO_ACCOUNTS

    click_header(window, qtbot, BALANCE_COLUMN)
    header = window.table.horizontalHeader()
    if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder:
        click_header(window, qtbot, BALANCE_COLUMN)
    assert header.sortIndicatorSection() == BALANCE_COLUMN
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    first = window.model.index(0, BALANCE_COLUMN)
    assert first.data(RAW_ROLE) == max(row.balance for row in everyone)

    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(0, 0))
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    account_id = window.model.account_id(0)
    view = window.account_views[account_id]
    assert view.isVisible()
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == list(TAB_TITLES)
    assert view.detail is not None and view.detail.id == account_id
    assert view.ledger_table.model().rowCount() > 0
    assert window.open_account(account_id) is view  # a second open raises the same window


def test_double_click_opens_the_account(window: MainWindow, qtbot: QtBot) -> None:
    rect = window.table.visualRect(window.model.index(2, 1))
    # Qt 6 item views act on a double-click only where the button was pressed first.
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.account_id(2) in window.account_views


def test_filters_narrow_the_caseload(window: MainWindow, demo_db: Database) -> None:
    caseload = Caseload(demo_db)
    window.filters.status.setCurrentIndex(window.filters.status.findData("ceased"))
    assert window.model.query.status == "ceased"
    assert window.model.matching == caseload.count(CaseloadQuery(status="ceased"))
    officer = caseload.officers()[0]
    window.filters.officer.setCurrentIndex(window.filters.officer.findData(officer.username))
    band = window.filters.band.findData("100_999")
    window.filters.band.setCurrentIndex(band)
    query = CaseloadQuery(officer=officer.username, status="ceased", band="100_999")
    assert window.model.matching == caseload.count(query)


def test_ctrl_f_focuses_the_search_box_and_down_leaves_it(window: MainWindow, qtbot: QtBot) -> None:
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    window.activateWindow()
    qtbot.waitActive(window)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filters.search.hasFocus()
    qtbot.keyClick(window.filters.search, Qt.Key.Key_Down)  # down into the results
    assert window.table.hasFocus()
    assert window.table.currentIndex().row() == 0


def test_key_widgets_have_accessible_names(window: MainWindow) -> None:
    for widget in (
        window.table,
        window.filters.search,
        window.filters.officer,
        window.filters.status,
        window.filters.band,
    ):
        assert widget.accessibleName()


def test_settings_remember_the_window_the_sort_and_the_database(
    window: MainWindow, demo_db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    window.table.sortByColumn(BALANCE_COLUMN, Qt.SortOrder.DescendingOrder)
    window.close()
    assert keys.last_database(settings) == demo_db.display_name
    assert settings.value(keys.WINDOW_GEOMETRY) is not None

    again = make_window(settings, qtbot, demo_db.url)
    try:
        header = again.table.horizontalHeader()
        assert header.sortIndicatorSection() == BALANCE_COLUMN
        assert again.model.query.sort == "balance" and again.model.query.descending
    finally:
        again.close_database()


def test_refresh_and_about(
    window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.refresh_action.trigger()
    assert window.model.matching == DEMO_ACCOUNTS
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: shown.append(text))
    window.about_action.trigger()
    assert f"<h3>debtdesk {debtdesk.__version__}</h3>" in shown[0]
    assert f"Database: {demo_db.display_name}<br>" in shown[0]
    assert f"Schema revision: {SCHEMA_HEAD}</p>" in shown[0]


def test_a_database_that_cannot_be_opened_is_explained(
    settings: QSettings, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explained: list[tuple[str, str, bool]] = []

    def offer_another(_parent: object, location: str, error: Exception, *, can_stay: bool) -> bool:
        explained.append((location, str(error), can_stay))
        return False

    monkeypatch.setattr(database_dialogs, "offer_another", offer_another)
    window = make_window(settings, qtbot, str(tmp_path))  # a folder, not a database
    assert explained == [(str(tmp_path), f"{tmp_path} is a folder, not a database file", False)]
    assert window.database is None
    assert not window.isVisible()  # "Quit": nothing else to show


def test_a_failed_switch_keeps_the_open_database(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(
        database_dialogs,
        "offer_another",
        lambda *_args, can_stay: asked.append(can_stay) or True,
    )
    monkeypatch.setattr(database_dialogs, "ask_open_path", lambda *_args: None)
    opened = window.database
    window.open_location(str(tmp_path))
    assert asked == [True]
    assert window.database is opened
    assert window.isVisible()


def test_new_database_opens_an_empty_caseload(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.sqlite"
    monkeypatch.setattr(database_dialogs, "ask_new_path", lambda *_args: str(path))
    window.new_action.trigger()
    assert window.database is not None
    assert window.database.display_name == str(path)
    assert window.model.matching == 0
    assert window.count_label.text() == "0 accounts"
    assert path.exists()


def test_the_reports_menu_lists_every_report_once_a_database_is_open(window: MainWindow) -> None:
    from debtdesk.services.reporting.catalogue import CATALOGUE

    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "Rep&orts")
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text().replace("&", "") for a in actions] == [f"{s.title}…" for s in CATALOGUE]
    assert all(a.isEnabled() for a in actions)
