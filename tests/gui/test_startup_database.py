"""Which database the GUI opens at start, with the machine's settings file in play."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from debtdesk.gui import app as gui_app
from debtdesk.gui import database_dialogs
from debtdesk.gui import settings as keys
from debtdesk.services.database import user_database
from debtdesk.services.site_config import SettingsFileError

TEAM_URL = "postgresql+psycopg://debtdesk@db.council.local/debtdesk"


def test_the_settings_file_beats_the_last_database(
    ini: Path, settings: QSettings, tmp_path: Path
) -> None:
    keys.remember_database(settings, str(tmp_path / "last.sqlite"))
    ini.write_text(f"[database]\nurl = {TEAM_URL}\n", encoding="utf-8")
    assert keys.startup_database(None, settings) == TEAM_URL


def test_the_environment_beats_the_settings_file(
    ini: Path, settings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ini.write_text(f"[database]\nurl = {TEAM_URL}\n", encoding="utf-8")
    monkeypatch.setenv("DEBTDESK_DB", str(tmp_path / "env.sqlite"))
    assert keys.startup_database(None, settings) == str(tmp_path / "env.sqlite")


def test_db_beats_the_environment_and_the_settings_file(
    ini: Path, settings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ini.write_text(f"[database]\nurl = {TEAM_URL}\n", encoding="utf-8")
    monkeypatch.setenv("DEBTDESK_DB", str(tmp_path / "env.sqlite"))
    assert keys.startup_database("given.sqlite", settings) == "given.sqlite"


def test_an_empty_setting_leaves_the_last_database_then_the_users_own(
    ini: Path, settings: QSettings, tmp_path: Path
) -> None:
    ini.write_text("[database]\nurl =\n", encoding="utf-8")
    assert keys.startup_database(None, settings) == user_database()
    keys.remember_database(settings, str(tmp_path / "last.sqlite"))
    assert keys.startup_database(None, settings) == str(tmp_path / "last.sqlite")


def test_a_broken_settings_file_is_not_passed_over(
    ini: Path, settings: QSettings, tmp_path: Path
) -> None:
    """Not the last database instead: that could be a private copy, not the team's."""
    keys.remember_database(settings, str(tmp_path / "last.sqlite"))
    ini.write_text(f"[database]\nurl {TEAM_URL}\n", encoding="utf-8")
    with pytest.raises(SettingsFileError, match=r"line 2"):
        keys.startup_database(None, settings)
    assert keys.startup_database("given.sqlite", settings) == "given.sqlite"


def test_run_gui_explains_a_broken_settings_file(
    ini: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The officer reads what is wrong and where; no traceback, and no database opened."""
    ini.write_text(f"[database]\nurl {TEAM_URL}\n", encoding="utf-8")
    monkeypatch.setattr(gui_app, "configure_application", lambda _app: None)
    explained: list[str] = []
    monkeypatch.setattr(
        database_dialogs,
        "offer_another",
        lambda _p, _location, error, **_k: explained.append(str(error)),
    )
    assert gui_app.run_gui(None) == 1  # told, and chose not to open another
    assert len(explained) == 1
    assert str(ini) in explained[0] and "line 2" in explained[0]
