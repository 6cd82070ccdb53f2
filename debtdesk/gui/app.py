"""Starting the desktop application: the QApplication, its fonts, settings and main window.

Importing this module creates nothing; :func:`run_gui` does, when the CLI calls it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

import debtdesk
from debtdesk.gui import startup_probe
from debtdesk.gui.main_window import MainWindow
from debtdesk.gui.settings import startup_database
from debtdesk.gui.tasks import wait_for_tasks
from debtdesk.resources import resource_path
from debtdesk.services.errors import BadInput
from debtdesk.services.site_config import settings_file

ORGANIZATION = "debtdesk"
APPLICATION = "debtdesk"
FONT_FAMILY = "DejaVu Sans"


def register_fonts() -> list[str]:
    """Register the fonts shipped in ``resources/fonts``; the families now available."""
    families: set[str] = set()
    for font_file in sorted(resource_path("fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(font_file))
        if font_id >= 0:
            families.update(QFontDatabase.applicationFontFamilies(font_id))
    return sorted(families)


def configure_application(app: QApplication) -> None:
    """Names (for QSettings), the shipped fonts and DejaVu Sans as the application font."""
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(debtdesk.__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons", "wexshire-logo.png"))))
    if FONT_FAMILY in register_fonts():
        font = QFont(app.font())
        font.setFamily(FONT_FAMILY)
        app.setFont(font)


def run_gui(db: str | None) -> int:
    """Show the main window on the database at ``db`` (a path or URL; None: the usual one).

    Returns:
        The exit status: 0 after a normal quit, 1 if no database could be opened.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application(app)
    settings = QSettings()
    window = MainWindow(settings)
    startup_probe.install(app, window)  # only when a measurement asks for it
    window.show()
    try:
        location = startup_database(db, settings)
    except BadInput as error:  # the machine's settings file: say what is wrong and where
        window.database_not_opened(str(settings_file()), error)
    else:
        window.open_location(location)
    status = app.exec() if window.isVisible() else 1  # closed already: nothing opened

    wait_for_tasks()
    window.close_database()
    return status if window.opened_any else 1
