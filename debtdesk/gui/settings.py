"""What the GUI remembers between runs (QSettings keys) and which database it opens at start."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

from debtdesk.services.database import user_database
from debtdesk.services.site_config import configured_database

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
    """The database to open at start.

    In order: the one asked for (``--db``), ``$DEBTDESK_DB``, the ``[database] url`` of the
    machine's settings file, the one last opened, the user's own file. The settings file is
    IT's machine-wide choice, a managed policy, so it beats the database last used: an
    officer who opened another one for a while (File ▸ Open) is back on the team's
    database at the next start, and can still open another one for the session.

    Raises:
        BadInput: the machine's settings file cannot be read or parsed; the message names
            the file and, for a mistake in it, the line.
    """
    return (
        db
        or os.environ.get("DEBTDESK_DB")
        or configured_database()
        or last_database(settings)
        or user_database()
    )
