"""The recovery run dialog on one overdue account: a run, a repeat, refusals, cancel, the menu.

The account (tests/services/test_recovery_run.py) owes £1,500.00 due Mon 2 Mar 2026: its
reminder falls due on Mon 16 Mar and its final reminder on Mon 30 Mar.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import UserRole
from debtdesk.gui import desktop
from debtdesk.gui.account_view import RECOVERY_TAB
from debtdesk.gui.main_window import MainWindow
from debtdesk.gui.recovery_run_dialog import NOTHING_KEPT, RecoveryRunDialog
from debtdesk.services.contact_notes import ContactNotes
from debtdesk.services.database import Database, open_database
from debtdesk.services.recovery import recovery_summary
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.settings import Settings
from debtdesk.services.users import Users
from tests.gui.conftest import AS_OF
from tests.services.support import table_counts
from tests.services.test_recovery_run import account  # noqa: F401

REMINDER_DAY = date(2026, 3, 16)
FINAL_REMINDER_DAY = date(2026, 3, 30)


@pytest.fixture
def documents(db: Database, tmp_path: Path) -> Path:
    """Where the runs write their files: a folder under the test's own."""
    folder = tmp_path / "documents"
    Settings(db).set("documents.folder", str(folder))
    return folder


@pytest.fixture
def opened_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the dialog hands to the desktop to open (nothing is really opened)."""
    opened: list[str] = []
    monkeypatch.setattr(desktop, "open_path", lambda path: opened.append(str(path)) or True)
    return opened


def make_dialog(db: Database, qtbot: QtBot, on: date | None = None) -> RecoveryRunDialog:
    dialog = RecoveryRunDialog(RecoveryRuns(db), AS_OF)
    qtbot.addWidget(dialog)
    dialog.show()
    if on is not None:
        dialog.set_date(on)
    return dialog


def stage_of(db: Database, account_id: int) -> str | None:
    return recovery_summary(db, account_id, AS_OF).stage


def test_the_dialog_says_what_a_run_does(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    assert dialog.chosen_date() == AS_OF  # today
    assert dialog.run_date.accessibleName() == "Run date"
    intro = dialog.intro.text()
    for words in (
        "every overdue account that is not on hold",
        "one print file",
        "a PDF for each account",
        "phone task",
        "cannot be dated before the last one",
    ):
        assert words in intro
    assert dialog.run_button.isDefault() and dialog.run_button.isEnabled()
    assert not dialog.note.isVisible()
    assert not dialog.progress.isVisible() and not dialog.cancel_button.isVisible()
    assert not dialog.open_print_button.isVisible()

    dialog.set_date(date(2026, 11, 23))
    assert dialog.note.isVisible() and "23/11/2026 is after today" in dialog.note.text()
    dialog.set_date(AS_OF)
    assert not dialog.note.isVisible()


def test_a_run_moves_the_account_on_and_writes_its_letter(
    db: Database,
    account: int,  # noqa: F811
    documents: Path,
    qtbot: QtBot,
    opened_paths: list[str],
) -> None:
    dialog = make_dialog(db, qtbot, REMINDER_DAY)
    stages: list[tuple[str, int, int]] = []
    dialog.progressed.connect(lambda *report: stages.append(report))
    with qtbot.waitSignal(dialog.run_finished) as finished:
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)

    result = finished.args[0]
    assert (result.as_of, result.advanced, result.letters, result.tasks) == (REMINDER_DAY, 1, 1, 0)
    assert {stage for stage, _, _ in stages} >= {"Payment plans", "Rendering letters"}
    text = dialog.message.text()
    assert text.startswith("Recovery run for 16/03/2026: 1 account moved on a stage")
    assert "1 letter written" in text and "0 tasks made" in text
    assert f"Print file: {result.print_file}" in text
    assert result.print_file.exists() and result.print_file.is_relative_to(documents)
    assert list((result.print_file.parent / "accounts").glob("*.pdf"))  # the account's own
    assert stage_of(db, account) == "Reminder"
    assert not dialog.progress.isVisible() and not dialog.cancel_button.isVisible()
    assert not dialog.run_button.isVisible() and not dialog.run_date.isEnabled()
    assert dialog.close_button.isVisible()

    assert dialog.open_print_button.isVisible()
    qtbot.mouseClick(dialog.open_print_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened_paths == [str(result.print_file), str(result.print_file.parent)]


def test_the_same_date_again_does_nothing_new(
    db: Database,
    account: int,  # noqa: F811
    documents: Path,
    qtbot: QtBot,
) -> None:
    first = RecoveryRuns(db).run(REMINDER_DAY)
    before = table_counts(db.engine)
    dialog = make_dialog(db, qtbot, REMINDER_DAY)
    with qtbot.waitSignal(dialog.run_finished) as finished:
        dialog.start_run()

    result = finished.args[0]
    assert (result.advanced, result.letters, result.tasks) == (0, 0, 0)
    text = dialog.message.text()
    assert text.startswith("The recovery run for 16/03/2026 was made on")
    assert "nothing new" in text
    assert f"Print file: {first.print_file}" in text  # the earlier run's, still to hand
    assert dialog.open_print_button.isVisible()
    assert table_counts(db.engine) == before
    assert len(ContactNotes(db).for_account(account)) == 1  # the one reminder


def test_an_earlier_date_is_refused_and_another_may_be_chosen(
    db: Database,
    account: int,  # noqa: F811
    documents: Path,
    qtbot: QtBot,
) -> None:
    RecoveryRuns(db).run(REMINDER_DAY)
    before = table_counts(db.engine)
    folders = sorted(documents.iterdir())
    dialog = make_dialog(db, qtbot, date(2026, 3, 15))
    finished: list[object] = []
    dialog.run_finished.connect(finished.append)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)

    assert finished == [] and dialog.result is None
    assert dialog.message.text() == (
        "The last recovery run was for 16/03/2026; a run for an earlier date (15/03/2026) "
        f"cannot be made. {NOTHING_KEPT}"
    )
    assert table_counts(db.engine) == before
    assert sorted(documents.iterdir()) == folders
    assert dialog.run_date.isEnabled() and dialog.run_button.isVisible()
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isVisible()

    dialog.set_date(FINAL_REMINDER_DAY)  # put right: the next stage's day
    with qtbot.waitSignal(dialog.run_finished):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("Recovery run for 30/03/2026: 1 account moved")
    assert stage_of(db, account) == "Final reminder"


def test_a_login_that_may_not_run_batches_is_refused(
    db: Database,
    account: int,  # noqa: F811
    documents: Path,
    qtbot: QtBot,
) -> None:
    Users(db).add("jsmith", "Jo Smith", UserRole.OFFICER)
    officer = open_database(db.url, actor="jsmith")
    try:
        before = table_counts(db.engine)
        dialog = make_dialog(officer, qtbot, REMINDER_DAY)
        dialog.start_run()
        text = dialog.message.text()
        assert text.startswith("Jo Smith (officer) may not") and text.endswith(NOTHING_KEPT)
        assert dialog.result is None and dialog.run_button.isVisible()
        assert table_counts(db.engine) == before
        assert not documents.exists()
    finally:
        officer.close()


def test_cancel_part_way_keeps_nothing(
    db: Database,
    account: int,  # noqa: F811
    documents: Path,
    qtbot: QtBot,
) -> None:
    before = table_counts(db.engine)
    dialog = make_dialog(db, qtbot, REMINDER_DAY)
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
    assert table_counts(db.engine) == before
    assert stage_of(db, account) is None
    assert not list(documents.rglob("*recovery-*"))  # no run folder, not even half a one
    assert dialog.run_button.isVisible() and dialog.run_button.isEnabled()  # it may run again
    assert dialog.run_date.isEnabled()


def test_closing_during_a_run_stops_it_then_closes(
    db: Database,
    account: int,  # noqa: F811
    documents: Path,
    qtbot: QtBot,
) -> None:
    dialog = make_dialog(db, qtbot, REMINDER_DAY)
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
    assert stage_of(db, account) is None


@pytest.fixture
def window(db: Database, settings: QSettings, qtbot: QtBot) -> Iterator[MainWindow]:
    main = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close_database()


def test_the_recovery_menu_opens_one_run_dialog_and_a_run_refreshes_the_window(
    window: MainWindow,
    db: Database,
    account: int,  # noqa: F811
    documents: Path,
    qtbot: QtBot,
) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Recovery")
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "&Worklist",
        "Debt &Management Panel…",
        "Recovery &run…",
        "Referral &list…",
    ]
    assert not window.recovery_run_action.isEnabled()
    assert window.open_recovery_run() is None
    with qtbot.waitSignal(window.database_opened, timeout=10_000):
        window.open_location(db.url)
    assert window.recovery_run_action.isEnabled()

    view = window.open_account(account)
    assert view is not None and view.recovery is not None
    qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
    view.tabs.setCurrentIndex(RECOVERY_TAB)
    tab = view.recovery
    qtbot.waitUntil(lambda: tab.summary_text().startswith("Not in recovery"), timeout=10_000)
    window.worklist_label.setText("stale")

    window.recovery_run_action.trigger()
    dialog = window.recovery_run_dialog
    assert isinstance(dialog, RecoveryRunDialog) and dialog.isVisible()
    assert dialog.chosen_date() == AS_OF
    assert window.open_recovery_run() is dialog  # one at a time, raised again
    dialog.set_date(REMINDER_DAY)
    with qtbot.waitSignal(dialog.run_finished):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)

    # The status bar counted again.
    qtbot.waitUntil(lambda: window.worklist_label.text() != "stale", timeout=10_000)
    qtbot.waitUntil(
        lambda: tab.summary_text().startswith("Stage: Reminder (since 16/03/2026)"),
        timeout=10_000,
    )
    assert view.notes is not None
    qtbot.waitUntil(lambda: len(view.notes.lines) == 1, timeout=10_000)  # type: ignore[union-attr]

    dialog.close()
    assert window.recovery_run_dialog is None
    window.recovery_run_action.trigger()
    assert window.recovery_run_dialog is not None
    assert window.recovery_run_dialog is not dialog  # a new run, a new dialog
    window.recovery_run_dialog.close()
