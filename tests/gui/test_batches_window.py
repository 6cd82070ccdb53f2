"""Payments ▸ Imports and runs: each import is a batch, and its items say what became of them."""

from __future__ import annotations

from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.gui.batches_window import BatchesWindow
from debtdesk.services.bank_import import BankImports
from debtdesk.services.batches import Batches
from debtdesk.services.caseload import Caseload, CaseloadQuery
from debtdesk.services.database import Database
from tests.gui.money_support import write_bank_csv


def test_an_imported_statement_is_listed_with_each_receipts_fate(
    demo_db: Database, qtbot: QtBot, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    first = Caseload(demo_db).page(CaseloadQuery(), 0, 1)[0]
    path = write_bank_csv(
        tmp_path,
        ("20/11/2026", "12.34", f"{first.reference} NOV", "A PAYER"),
        ("20/11/2026", "5.00", "NO IDEA", "SOMEONE"),
    )
    batch = BankImports(demo_db).apply(path).batch

    window = BatchesWindow(Batches(demo_db))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.table.model() is not None and window.table.model().rowCount())
    qtmodeltester.check(window.table.model())
    model = window.table.model()
    assert model.index(0, 0).data() == f"{batch:,}"
    assert model.index(0, 1).data() == "Bank statement (CSV)"
    assert model.index(0, 5).data() == "2 receipts: 1 matched, 1 to suspense"

    qtbot.waitUntil(
        lambda: window.items.model() is not None and window.items.model().rowCount() == 2
    )
    items = window.items.model()
    qtmodeltester.check(items)
    rows = [[items.index(r, c).data() for c in range(items.columnCount())] for r in range(2)]
    assert rows[0][0] == "line 2"
    assert rows[0][3] == "£12.34"
    assert rows[0][6] == first.reference
    assert rows[1][3] == "£5.00"
    assert rows[1][7] == "No account reference found"
