"""The startup probe: inert unless asked for; asked for, it reports once the caseload shows."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from debtdesk.gui import startup_probe
from debtdesk.gui.caseload_model import PAGE_SIZE
from debtdesk.gui.main_window import MainWindow
from debtdesk.services.database import Database
from tests.gui.conftest import AS_OF, DEMO_ACCOUNTS


def test_without_the_variable_nothing_is_installed(
    settings: QSettings, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(startup_probe.ENVIRONMENT, raising=False)
    window = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert startup_probe.install(app, window) is None


def test_it_reports_when_the_caseload_is_on_screen_then_closes_the_window(
    demo_db: Database,
    settings: QSettings,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    started = time.time()
    monkeypatch.setenv(startup_probe.ENVIRONMENT, repr(started))
    window = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    timer = startup_probe.install(app, window)
    assert timer is not None and timer.isActive()

    window.show()
    window.open_location(demo_db.url)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    window.close_database()

    lines = [line for line in capsys.readouterr().out.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith(startup_probe.MARKER)
    outcome = json.loads(lines[0][len(startup_probe.MARKER) :])
    assert outcome["rows"] == PAGE_SIZE  # the first page of the demo's accounts
    assert outcome["matching"] == DEMO_ACCOUNTS
    assert outcome["query"] == repr(window.model.query)
    assert outcome["platform"] == "offscreen"
    marks = outcome["marks"]
    order = ["qapplication", "window_shown", "database_open", "first_rows", "painted"]
    assert list(marks) == order
    assert [marks[key] for key in order] == sorted(marks.values())
    assert marks["qapplication"] >= 0 and marks["painted"] <= time.time() - started
    assert outcome["memory_mb"]["VmRSS"] > 50  # a Qt process with a window: tens of MB
    assert not timer.isActive()  # one report only


def test_a_malformed_start_time_is_ignored_not_fatal(
    settings: QSettings,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(startup_probe.ENVIRONMENT, "yesterday")
    window = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert startup_probe.install(app, window) is None
    assert "DEBTDESK_STARTUP_PROBE='yesterday' is not a time" in capsys.readouterr().err
