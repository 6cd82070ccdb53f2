"""GUI test fixtures: synchronous tasks, QSettings in a temporary folder, a demo caseload."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from debtdesk.gui import tasks
from debtdesk.services.database import Database, open_database
from debtdesk.services.demo import build_demo
from tests.conftest import BACKEND, add_machine_login

if TYPE_CHECKING:
    from debtdesk.gui.main_window import MainWindow

DEMO_ACCOUNTS = 250  # more than one page (200) of the caseload table
DEMO_SEED = 7
AS_OF = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def synchronous_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Background tasks run at once, on the test's thread (Picard's test thread pool)."""
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)


@pytest.fixture(autouse=True)
def isolated_settings(qapp: QApplication, tmp_path: Path) -> Iterator[Path]:
    """``QSettings()`` reads and writes an INI file under the test's folder, never the user's."""
    folder = tmp_path / "settings"
    folder.mkdir()
    qapp.setOrganizationName("debtdesk-tests")
    qapp.setApplicationName("debtdesk-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder


@pytest.fixture
def settings(isolated_settings: Path) -> QSettings:
    return QSettings(str(isolated_settings / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """On SQLite, a demo caseload built once per session, for tests to copy."""
    if BACKEND != "sqlite":
        return None
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_database(str(path), actor="tester")
    add_machine_login(database)
    try:
        build_demo(database, accounts=DEMO_ACCOUNTS, seed=DEMO_SEED, as_of=AS_OF)
    finally:
        database.close()
    return path


@pytest.fixture
def demo_db(
    request: pytest.FixtureRequest, tmp_path: Path, demo_template: Path | None
) -> Iterator[Database]:
    """A database of its own for the test, filled with a small synthetic caseload."""
    if demo_template is None:  # PostgreSQL: fill the test's own database
        database: Database = request.getfixturevalue("db")
        build_demo(database, accounts=DEMO_ACCOUNTS, seed=DEMO_SEED, as_of=AS_OF)
        yield database
        return
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, copy)
    database = open_database(str(copy), actor="tester")
    yield database
    database.close()


@pytest.fixture
def demo_window(demo_db: Database, settings: QSettings, qtbot: QtBot) -> Iterator[MainWindow]:
    """The main window, shown, on the demo caseload at ``AS_OF``."""
    from debtdesk.gui.main_window import MainWindow

    main = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.database_opened, timeout=10_000):
        main.open_location(demo_db.url)
    yield main
    main.close_database()
