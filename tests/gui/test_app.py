"""Starting the GUI: no QApplication at import, resources, fonts, which database, run_gui."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from debtdesk import resources
from debtdesk.gui import app as gui_app
from debtdesk.gui import database_dialogs
from debtdesk.gui import settings as keys
from debtdesk.gui.main_window import MainWindow
from debtdesk.services.database import Database, DatabaseTooNew
from debtdesk.services.errors import BadInput
from debtdesk.services.site_config import SettingsFileError


def test_importing_the_gui_creates_no_application() -> None:
    code = (
        "import debtdesk.gui.app, debtdesk.gui.main_window\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "assert QCoreApplication.instance() is None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_resources_folder_beside_the_package_and_in_a_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (resources.resources_folder() / "fonts" / "DejaVuSans.ttf").is_file()
    (tmp_path / "resources" / "fonts").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_path("fonts") == tmp_path / "resources" / "fonts"


def test_shipped_fonts_become_the_application_font(qapp: QApplication) -> None:
    before = QFont(qapp.font())
    try:
        gui_app.configure_application(qapp)
        assert "DejaVu Sans" in gui_app.register_fonts()
        assert qapp.font().family() == "DejaVu Sans"
        assert qapp.organizationName() == "debtdesk" == qapp.applicationName()
    finally:
        qapp.setFont(before)
        qapp.setOrganizationName("debtdesk-tests")
        qapp.setApplicationName("debtdesk-tests")


def test_startup_database_order(
    settings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEBTDESK_DB", raising=False)
    assert keys.startup_database("given.sqlite", settings) == "given.sqlite"
    assert keys.startup_database(None, settings).endswith("debtdesk.sqlite")
    keys.remember_database(settings, str(tmp_path / "last.sqlite"))
    assert keys.startup_database(None, settings) == str(tmp_path / "last.sqlite")
    monkeypatch.setenv("DEBTDESK_DB", str(tmp_path / "env.sqlite"))
    assert keys.startup_database(None, settings) == str(tmp_path / "env.sqlite")


def test_failure_text_names_the_problem(tmp_path: Path) -> None:
    heading, detail = database_dialogs.failure_text("x.sqlite", DatabaseTooNew("revision zz"))
    assert "newer debtdesk" in heading and "revision zz" in detail
    heading, detail = database_dialogs.failure_text("x.sqlite", BadInput("not a database"))
    assert "could not be opened" in heading and "x.sqlite" in detail
    problem = SettingsFileError(
        "the settings file C:\\ProgramData\\debtdesk\\debtdesk.ini is not valid"
    )
    heading, detail = database_dialogs.failure_text("debtdesk.ini", problem)
    assert heading == "This computer's debtdesk settings file is not valid"
    assert detail.startswith(f"{problem}\n\nIT set it up to name the team's database")


def _close_main_windows_soon(app: QApplication) -> QTimer:
    """Quit run_gui's event loop once it runs; the caller stops the timer afterwards."""

    def close() -> None:
        for widget in app.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
        app.quit()

    timer = QTimer(app)
    timer.setSingleShot(True)
    timer.timeout.connect(close)
    timer.start(0)
    return timer


def test_run_gui_opens_the_database_and_returns_on_quit(
    qapp: QApplication, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gui_app, "configure_application", lambda _app: None)
    timer = _close_main_windows_soon(qapp)
    try:
        assert gui_app.run_gui(demo_db.url) == 0
    finally:
        timer.stop()
        # Closing the last window also posted a Quit event; left queued, it would end
        # the next test's event loops (qtbot.wait, waitSignal) at once.
        QCoreApplication.removePostedEvents(qapp, QEvent.Type.Quit)
    assert keys.last_database(QSettings()) == demo_db.display_name


def test_run_gui_returns_1_when_no_database_opens(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gui_app, "configure_application", lambda _app: None)
    explained: list[str] = []
    monkeypatch.setattr(
        database_dialogs,
        "offer_another",
        lambda _p, location, *_a, **_k: explained.append(location),
    )
    assert gui_app.run_gui(str(tmp_path)) == 1  # the window closed before the event loop ran
    assert explained == [str(tmp_path)]
