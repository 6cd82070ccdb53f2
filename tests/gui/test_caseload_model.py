"""The caseload table model: pages on demand, sorting and filtering in SQL, Qt's model rules."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import BALANCE_BANDS
from debtdesk.gui import tasks
from debtdesk.gui.caseload_model import (
    ACCOUNT_ID_ROLE,
    BALANCE_COLUMN,
    COLUMNS,
    PAGE_SIZE,
    RAW_ROLE,
    CaseloadModel,
)
from debtdesk.services.caseload import SORT_KEYS, Caseload, CaseloadQuery, CaseloadRow
from debtdesk.services.database import Database
from tests.gui.conftest import DEMO_ACCOUNTS


def fetch_all(model: CaseloadModel) -> None:
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())


def column_values(model: CaseloadModel, column: int) -> list[object]:
    return [model.index(row, column).data(RAW_ROLE) for row in range(model.rowCount())]


@pytest.fixture
def model(demo_db: Database) -> CaseloadModel:
    caseload_model = CaseloadModel()
    caseload_model.set_caseload(Caseload(demo_db))
    return caseload_model


def test_columns_are_the_service_sort_keys() -> None:
    assert tuple(name for _, name in COLUMNS) == SORT_KEYS


def test_loads_one_page_then_more_on_demand(model: CaseloadModel) -> None:
    assert model.matching == DEMO_ACCOUNTS
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == DEMO_ACCOUNTS
    assert not model.canFetchMore(QModelIndex())
    references = column_values(model, 0)
    assert references == sorted(references)
    assert len(set(references)) == DEMO_ACCOUNTS


def test_passes_qt_model_tester_with_data_sorted_and_searched(
    model: CaseloadModel, qtmodeltester: ModelTester
) -> None:
    # Qt's tester stays attached: it also checks the resets and inserts that follow.
    qtmodeltester.check(model)
    model.sort(BALANCE_COLUMN, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.fetchMore(QModelIndex())
    first_name = model.index(0, 1).data()
    model.set_query(replace(model.query, search=first_name.split()[-1]))
    qtmodeltester.check(model)
    assert 0 < model.rowCount() < DEMO_ACCOUNTS


def test_passes_python_model_tester_while_paging(
    model: CaseloadModel, qtmodeltester: ModelTester
) -> None:
    # The Python tester calls fetchMore itself, while rows are being inserted.
    model.sort(BALANCE_COLUMN, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == DEMO_ACCOUNTS


def test_sort_by_balance_largest_first(model: CaseloadModel, demo_db: Database) -> None:
    everyone = Caseload(demo_db).page(CaseloadQuery(), 0, DEMO_ACCOUNTS + 10)
    model.sort(BALANCE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "balance" and model.query.descending
    assert model.index(0, BALANCE_COLUMN).data(RAW_ROLE) == max(r.balance for r in everyone)
    fetch_all(model)
    balances = column_values(model, BALANCE_COLUMN)
    assert balances == sorted(balances, reverse=True)


def test_search_and_filters_match_the_service(model: CaseloadModel, demo_db: Database) -> None:
    caseload = Caseload(demo_db)
    reference = model.index(3, 0).data()
    model.set_query(replace(model.query, search=reference.lower()))
    assert model.matching == 1
    assert model.index(0, 0).data() == reference
    assert model.account_id(0) == model.index(0, 0).data(ACCOUNT_ID_ROLE)

    for band in BALANCE_BANDS:
        query = CaseloadQuery(band=band)
        model.set_query(query)
        assert model.matching == caseload.count(query)
    officer = caseload.officers()[0]
    query = CaseloadQuery(officer=officer.username, status="active")
    model.set_query(query)
    fetch_all(model)
    assert model.rowCount() == caseload.count(query)
    assert {model.index(r, 4).data() for r in range(model.rowCount())} <= {officer.display_name}
    assert {model.index(r, 3).data() for r in range(model.rowCount())} <= {"Active"}


def test_same_query_does_not_reload(model: CaseloadModel, qtbot: QtBot) -> None:
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_query(replace(model.query))
        model.sort(0, Qt.SortOrder.AscendingOrder)


def test_no_caseload_shows_nothing() -> None:
    model = CaseloadModel()
    assert model.rowCount() == 0
    assert model.matching == 0
    assert not model.canFetchMore(QModelIndex())


# A caseload in memory, to drive threading and failures without a database.


@dataclass
class FakeCaseload:
    rows: list[CaseloadRow]
    fail_pages_from: int | None = None
    pages_asked: list[int] = field(default_factory=list)

    def count(self, query: CaseloadQuery) -> int:
        return len(self._matching(query))

    def page(self, query: CaseloadQuery, offset: int, limit: int) -> list[CaseloadRow]:
        self.pages_asked.append(offset)
        if self.fail_pages_from is not None and offset >= self.fail_pages_from:
            raise OSError("the server went away")
        return self._matching(query)[offset : offset + limit]

    def _matching(self, query: CaseloadQuery) -> list[CaseloadRow]:
        return [r for r in self.rows if query.search.lower() in r.name.lower()]


def fake_rows(count: int) -> list[CaseloadRow]:
    return [
        CaseloadRow(i, f"CC{i:06d}", f"Client {i}", "WX1 1AA", "active", "", "individual", i)
        for i in range(1, count + 1)
    ]


def test_balance_is_pounds_right_aligned_with_raw_pence() -> None:
    credit = CaseloadRow(9, "CC000009", "Ann Other", "WX1 1AA", "active", "", "individual", -123456)
    model = CaseloadModel()
    model.set_caseload(FakeCaseload([credit]))  # type: ignore[arg-type]
    index = model.index(0, BALANCE_COLUMN)
    assert index.data() == "-£1,234.56"
    assert index.data(RAW_ROLE) == -123456
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "In credit"
    alignment = Qt.AlignmentFlag(index.data(Qt.ItemDataRole.TextAlignmentRole))
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert model.index(0, 3).data() == "Active"


def test_a_failed_page_stops_fetching_and_says_why(qtbot: QtBot) -> None:
    fake = FakeCaseload(fake_rows(450), fail_pages_from=PAGE_SIZE)
    model = CaseloadModel()
    model.set_caseload(fake)  # type: ignore[arg-type]
    assert model.rowCount() == PAGE_SIZE
    with qtbot.waitSignal(model.load_failed) as failed:
        model.fetchMore(QModelIndex())
    assert "the server went away" in failed.args[0]
    assert not model.canFetchMore(QModelIndex())
    assert model.rowCount() == PAGE_SIZE


def test_threaded_loads_drop_answers_to_an_older_query(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, qtmodeltester: ModelTester
) -> None:
    monkeypatch.setattr(tasks, "SYNCHRONOUS", False)
    fake = FakeCaseload(fake_rows(450))
    model = CaseloadModel()
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.counted, timeout=5000):
        model.set_caseload(fake)  # type: ignore[arg-type]
    assert model.rowCount() == PAGE_SIZE
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # re-entry while the first is running: ignored
    model.set_query(CaseloadQuery(search="Client 12"))  # before the page arrives
    qtbot.waitUntil(lambda: model.matching is not None and not model.is_loading, timeout=5000)
    tasks.wait_for_tasks()
    qtbot.wait(50)  # let any late answer arrive; it must be dropped
    expected = [r.reference for r in fake.rows if "client 12" in r.name.lower()]
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == expected
    assert fake.pages_asked.count(PAGE_SIZE) == 1
