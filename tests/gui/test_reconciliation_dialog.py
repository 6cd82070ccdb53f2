"""Payments ▸ Month-end reconciliation on the demo caseload: the month, the tables, Export…."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.gui import prompts
from debtdesk.gui.line_model import RAW_ROLE
from debtdesk.gui.main_window import MainWindow
from debtdesk.gui.reconciliation_dialog import months_before
from debtdesk.services.database import Database
from debtdesk.services.reconciliation import Reconciliations
from debtdesk.services.suspense import Suspense
from tests.gui.conftest import AS_OF
from tests.gui.money_support import write_bank_csv


def test_months_offered_run_back_from_this_month() -> None:
    assert months_before(AS_OF, 3) == [(2026, 11), (2026, 10), (2026, 9)]
    assert months_before(AS_OF, 12)[-1] == (2025, 12)


def test_the_reconciliation_shows_the_month_and_exports_it(
    demo_db: Database,
    settings: QSettings,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester: ModelTester,
) -> None:
    from debtdesk.services.bank_import import BankImports

    BankImports(demo_db).apply(
        write_bank_csv(tmp_path, ("03/11/2026", "100.00", "MYSTERY", "John Smith"))
    )
    window = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(window)
    window.open_location(demo_db.url)
    try:
        window.payments.reconciliation_action.trigger()
        dialog = window.payments.windows["reconciliation"]
        assert dialog.month.currentText() == "October 2026"  # the last complete month
        assert dialog.period.text() == "01/10/2026 to 31/10/2026"
        october = Reconciliations(demo_db).month(2026, 10)
        assert dialog.result == october

        dialog.month.setCurrentIndex(0)  # November: the receipt waits in suspense
        november = Reconciliations(demo_db).month(2026, 11)
        assert dialog.result == november
        ledger = dialog.ledger_table.model()
        qtmodeltester.check(ledger)
        assert ledger.rowCount() == len(november.by_type) + 1
        last = ledger.rowCount() - 1
        assert ledger.index(last, 0).data() == november.total.label
        assert ledger.index(last, 0).data(Qt.ItemDataRole.FontRole).bold()
        assert ledger.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
        assert ledger.index(last, 7).data(RAW_ROLE) == november.total.closing
        assert ledger.index(last, 7).data().startswith("£")
        alignment = Qt.AlignmentFlag(ledger.index(last, 7).data(Qt.ItemDataRole.TextAlignmentRole))
        assert alignment & Qt.AlignmentFlag.AlignRight

        methods = dialog.methods_table.model()
        qtmodeltester.check(methods)
        assert methods.rowCount() == len(november.methods)
        assert [methods.index(r, 0).data() for r in range(3)] == [
            "Direct debit",
            "Direct debit returned",
            "Bank transfer",
        ]
        suspense = dialog.suspense_table.model()
        qtmodeltester.check(suspense)
        assert suspense.index(0, 1).data() == "£100.00"  # received
        assert suspense.index(0, 4).data() == "£100.00"  # closing
        if november.problems:
            assert "not reconcile" in dialog.problems.text()
            assert all(problem in dialog.problems.text() for problem in november.problems)
        else:
            assert dialog.problems.text() == "The month reconciles."
        assert "£100.00 in" in dialog.bank.text()

        target = tmp_path / "out" / "november"
        target.parent.mkdir()
        monkeypatch.setattr(prompts, "ask_save_file", lambda *_args: target)
        assert dialog.export_button.isEnabled()
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        written = target.with_name("november.xlsx")
        book = load_workbook(written)
        assert book.sheetnames == ["Cover", "Ledger", "Receipts by method", "Suspense", "Problems"]
        cover = {row[0].value: row[1].value for row in book["Cover"].iter_rows() if row[0].value}
        assert cover["Month"] == "November 2026"
        ledger = [[c.value for c in row] for row in book["Ledger"].iter_rows()]
        assert len(ledger) == len(november.by_type) + 2  # the header, a row a type, totals
        closing = sum(Decimal(str(row[7])) for row in ledger[1:-1])
        assert closing == Decimal(november.total.closing).scaleb(-2)
        assert dialog.message.text() == f"Saved November 2026 to {written}."
        assert Suspense(demo_db).worklist()  # reading and exporting changed nothing
    finally:
        window.close_database()
