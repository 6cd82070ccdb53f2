"""The statement run dialog on a demo caseload: periods, preview, a whole run, cancel, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from debtdesk.gui import desktop
from debtdesk.gui.formatting import money
from debtdesk.gui.main_window import MainWindow
from debtdesk.gui.statement_run_dialog import NOTHING_KEPT, StatementRunDialog
from debtdesk.services.database import Database
from debtdesk.services.settings import Settings
from debtdesk.services.statement_periods import StatementPeriods
from debtdesk.services.statement_run import StatementRuns
from tests.gui.conftest import AS_OF


@pytest.fixture
def run_db(demo_db: Database, tmp_path: Path) -> Database:
    """The demo caseload, a run's folder made under the test's own (on either backend)."""
    Settings(demo_db).set("documents.folder", str(tmp_path / "documents"))
    return demo_db


def make_dialog(db: Database, qtbot: QtBot) -> StatementRunDialog:
    dialog = StatementRunDialog(StatementRuns(db), StatementPeriods(db), AS_OF)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def issued_for(db: Database, dialog: StatementRunDialog) -> int:
    """Statements on record for the dialog's period, counted by the service."""
    period = dialog.selected_period()
    assert period is not None
    return StatementRuns(db).preview(period.end).already_issued


@pytest.fixture
def opened_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the dialog hands to the desktop to open (nothing is really opened)."""
    opened: list[str] = []
    monkeypatch.setattr(desktop, "open_path", lambda path: opened.append(str(path)) or True)
    return opened


def test_periods_and_preview_of_the_next_run(run_db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(run_db, qtbot)
    choices = StatementPeriods(run_db).choices(AS_OF)
    assert dialog.period.count() == len(choices.periods) == 3
    assert dialog.selected_period() == choices.next_due
    assert "next due" in dialog.period.currentText()
    assert "last run" in dialog.period.itemText(1)
    assert dialog.period.currentText().startswith("09/11/2026 to 06/12/2026")

    preview = StatementRuns(run_db).preview(choices.next_due.end)
    assert preview.statements > 0
    assert dialog.statements.text() == f"{preview.statements:,} to issue"
    assert dialog.total_charged.text() == money(preview.total_charged)
    assert dialog.statement_date.text() == "07/12/2026"
    assert dialog.last_run.text() == "Period ending 08/11/2026"
    assert "not yet ended" in dialog.period.currentText()
    assert "before it has ended" in dialog.note.text()
    assert dialog.run_button.isEnabled()

    dialog.period.setCurrentIndex(1)  # the demo's last run
    assert "run already" in dialog.note.text()
    assert not dialog.run_button.isEnabled()


def test_a_run_to_completion(
    run_db: Database, qtbot: QtBot, opened_paths: list[str], tmp_path: Path
) -> None:
    dialog = make_dialog(run_db, qtbot)
    expected = StatementRuns(run_db).preview(dialog.selected_period().end)  # type: ignore[union-attr]
    stages: list[tuple[str, int, int]] = []
    dialog.progressed.connect(lambda *report: stages.append(report))
    with qtbot.waitSignal(dialog.run_finished) as finished:
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)

    result = finished.args[0]
    assert result.issued == expected.statements > 0
    assert result.total_charged == expected.total_charged
    assert {stage for stage, _, _ in stages} == {"Charging accounts", "Rendering statements"}
    assert stages[-1][1] == stages[-1][2]  # the last report says everything is done
    text = dialog.message.text()
    assert text.startswith(f"{result.issued} statements issued for 09/11/2026 to 06/12/2026")
    assert money(result.total_charged) in text
    assert str(result.print_file) in text
    assert result.print_file.exists()
    assert result.print_file.is_relative_to(tmp_path / "documents")
    assert dialog.statements.text() == f"{result.issued} issued"
    assert issued_for(run_db, dialog) == result.issued
    assert not dialog.progress.isVisible() and not dialog.cancel_button.isVisible()
    assert not dialog.period.isEnabled() and not dialog.run_button.isVisible()

    qtbot.mouseClick(dialog.open_print_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened_paths == [str(result.print_file), str(result.out)]


def test_cancel_part_way_keeps_nothing(run_db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = make_dialog(run_db, qtbot)
    reports: list[str] = []

    def cancel_at_first_report(stage: str, _done: int, _total: int) -> None:
        reports.append(stage)
        if len(reports) == 1:
            assert dialog.progress.isVisible()
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
            assert dialog.cancel_button.text() == "Cancelling…"

    dialog.progressed.connect(cancel_at_first_report)
    dialog.start_run()

    assert reports  # the run had started
    assert dialog.result is None
    assert dialog.message.text() == f"The run was cancelled. {NOTHING_KEPT}"
    assert issued_for(run_db, dialog) == 0
    assert not list(tmp_path.rglob("*statements-*"))  # no run folder, not even half a one
    assert dialog.run_button.isVisible() and dialog.run_button.isEnabled()  # it may run again
    assert dialog.period.isEnabled()


def test_closing_during_a_run_stops_it_then_closes(run_db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(run_db, qtbot)
    closed: list[bool] = []

    def close_once(*_report: object) -> None:
        if not closed:
            closed.append(dialog.close())
            assert dialog.isVisible()  # it waits for the run to stop
            assert dialog.cancel_button.text() == "Cancelling…"

    dialog.progressed.connect(close_once)
    with qtbot.waitSignal(dialog.rejected):
        dialog.start_run()
    assert closed == [False]  # not closed while the run was going
    assert not dialog.isVisible()  # closed once it had stopped
    assert dialog.result is None
    assert issued_for(run_db, dialog) == 0


def test_a_refused_run_is_explained(run_db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(run_db, qtbot)
    dialog.period.setCurrentIndex(0)  # before the last run's period
    assert "an earlier period cannot be made" in dialog.note.text()
    assert not dialog.run_button.isEnabled()
    dialog.start_run()  # as if it had been clicked: the service refuses
    text = dialog.message.text()
    assert text.startswith("The last statement run was for the period ending 2026-11-08")
    assert text.endswith(NOTHING_KEPT)
    assert dialog.result is None


def test_the_statements_menu_opens_one_run_dialog(
    run_db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    window = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(window)
    window.show()
    assert not window.statement_run_action.isEnabled()
    window.open_location(run_db.url)
    try:
        assert window.statement_run_action.isEnabled()
        window.statement_run_action.trigger()
        dialog = window.run_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.selected_period() is not None
        assert window.open_statement_run() is dialog
        dialog.close()
        assert window.run_dialog is None
    finally:
        window.close_database()
