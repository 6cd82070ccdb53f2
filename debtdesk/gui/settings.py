"""What the GUI remembers between runs (QSettings keys) and which database it opens at start."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

from debtdesk.services.database import default_database

WINDOW_GEOMETRY = "main_window/geometry"
WINDOW_STATE = "main_window/state"
CASELOAD_HEADER = "main_window/caseload_header"
ACCOUNT_GEOMETRY = "account_view/geometry"
LAST_DATABASE = "database/last"


def last_database(settings: QSettings) -> str | None:
    value = settings.value(LAST_DATABASE)
    return str(value) if value else None


def remember_database(settings: QSettings, location: str) -> None:
    """Remember a database opened; ``location`` is a path, or a URL without its password."""
    settings.setValue(LAST_DATABASE, location)


def startup_database(db: str | None, settings: QSettings) -> str:
    """The database to open: the one asked for, else ``$DEBTDESK_DB``, the last one, the default."""
    if db:
        return db
    if os.environ.get("DEBTDESK_DB"):
        return default_database()
    return last_database(settings) or default_database()
