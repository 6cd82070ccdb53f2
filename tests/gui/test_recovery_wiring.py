"""Recovery in the main window: the worklist from the menu and its counts in the status
bar, and an account's Payment plan, Contacts and notes and Recovery tabs loaded."""

from __future__ import annotations

import getpass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.holds import HoldReason
from debtdesk.gui.account_view import RECOVERY_TAB, TAB_TITLES
from debtdesk.gui.main_window import MainWindow
from debtdesk.gui.officer_worklist import worklist_counts_text
from debtdesk.services.database import Database
from debtdesk.services.holds import Holds
from debtdesk.services.recovery import recovery_summary
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.users import Users
from debtdesk.services.worklist import ItemKind, Worklists
from tests.gui.conftest import AS_OF


@pytest.fixture
def window(demo_window: MainWindow) -> MainWindow:
    return demo_window


def test_the_worklist_opens_from_the_menu_and_the_status_bar_counts_it(
    window: MainWindow, demo_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    RecoveryRuns(demo_db).run(AS_OF, tmp_path)  # reminders (letters: no task)
    account_id = window.model.account_id(0)
    Holds(demo_db).set(  # a dispute whose review falls today
        account_id, HoldReason.DISPUTE, AS_OF - timedelta(days=10), review=AS_OF
    )
    expected = Worklists(demo_db).for_today(AS_OF)  # "tester" and the login see everyone's
    assert ItemKind.HOLD_REVIEW in expected.counts()
    want = worklist_counts_text(expected.counts())
    window.count_worklist()
    qtbot.waitUntil(lambda: window.worklist_label.text() == want, timeout=10_000)
    window.worklist_action.trigger()
    worklist = window.worklist
    assert worklist is not None and worklist.isVisible()
    qtbot.waitUntil(lambda: worklist.summary.text() != "Loading…", timeout=10_000)
    assert len(worklist.lines) == len(expected.items)
    assert window.open_worklist() is worklist  # one window, raised again


def test_an_account_has_its_recovery_tabs(
    window: MainWindow, demo_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    RecoveryRuns(demo_db).run(AS_OF, tmp_path)
    account_id = window.model.account_id(0)
    view = window.open_account(account_id)
    assert view is not None
    qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == list(TAB_TITLES)
    tab = view.recovery
    assert tab is not None and view.plans is not None and view.notes is not None
    assert tab.account_label == f"{view.detail.reference} {view.detail.name}"  # type: ignore[union-attr]
    summary = recovery_summary(demo_db, account_id, AS_OF)
    want = f"Stage: {summary.stage}" if summary.stage else "Not in recovery"
    view.tabs.setCurrentIndex(RECOVERY_TAB)
    qtbot.waitUntil(lambda: tab.summary_text().startswith(want), timeout=10_000)


def test_an_officer_is_not_shown_runs_or_imports(
    demo_db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    Users(demo_db).change(getpass.getuser(), role=UserRole.OFFICER)
    main = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(main)
    main.show()
    main.open_location(demo_db.url)
    hidden = (
        main.statement_run_action,
        main.recovery_run_action,
        main.payments.bacs_action,
        main.payments.bank_action,
    )
    qtbot.waitUntil(lambda: not any(a.isVisible() for a in hidden), timeout=10_000)
    assert main.worklist_action.isVisible()
    main.close_database()


def test_recording_a_death_from_the_account_window(
    window: MainWindow, demo_db: Database, qtbot: QtBot
) -> None:
    account_id = window.model.account_id(0)
    view = window.open_account(account_id)
    assert view is not None
    qtbot.waitUntil(lambda: view.death_action.isEnabled(), timeout=10_000)
    dialog = view.record_death()
    assert dialog is not None
    dialog.died_on.setDate(QDate(2026, 11, 2))
    dialog.notified_on.setDate(QDate(2026, 11, 5))
    dialog.estate_name.setText("Mr Peter Executor")
    dialog.estate_address.setPlainText("4 Elm Close\nWexford Vale")
    with qtbot.waitSignal(dialog.succeeded, timeout=10_000):
        dialog.accept()
    qtbot.waitUntil(
        lambda: view.detail is not None and view.detail.date_of_death == date(2026, 11, 2),
        timeout=10_000,
    )
    assert view.detail.status == "deceased"  # type: ignore[union-attr]
    assert not view.death_action.isEnabled()
    [hold] = Holds(demo_db).for_account(account_id, AS_OF)
    # Reviewed 91 days after the council heard on 5 Nov: 25 + 31 + 31 + 4 days, 4 Feb 2027.
    assert (hold.reason, hold.review_on) == (HoldReason.PROBATE, date(2027, 2, 4))
