"""What a main-window menu that opens windows has in common: one window of each kind,
raised again when chosen again, all closed when the database changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from debtdesk.services.database import Database


class MenuWindows(QObject):
    """The windows a menu opened, by kind, over the open database."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database: Database | None = None
        self.windows: dict[str, QWidget] = {}

    def close_windows(self) -> None:
        for widget in list(self.windows.values()):
            widget.close()
        self.windows.clear()

    def _show(self, key: str, make: Callable[[Database], QWidget]) -> QWidget | None:
        """The window of kind ``key``, made over the database the first time; None
        while no database is open."""
        if self.database is None:
            return None
        widget = self.windows.get(key)
        if widget is None:
            widget = make(self.database)
            widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            widget.destroyed.connect(lambda _=None, k=key: self.windows.pop(k, None))
            self.windows[key] = widget
        widget.show()
        widget.raise_()
        widget.activateWindow()
        return widget
