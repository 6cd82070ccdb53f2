"""The caseload's search box and filters (officer, status, balance band) for the main toolbar."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from debtdesk.domain.caseload import BALANCE_BAND_LABELS, AccountStatus
from debtdesk.gui.formatting import label
from debtdesk.services.caseload import CaseloadQuery, Officer

SEARCH_DELAY_MS = 250
"""Typing waits this long for the next key before searching."""


class CaseloadFilters(QWidget):
    """A search box and three filter combos; ``changed`` fires when the officer asks anew."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Reference, name or postcode")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search caseload")
        self.search.setToolTip("Search by account reference, client name or postcode (Ctrl+F)")
        self.search.setMinimumWidth(240)

        self.officer = self._combo("Officer filter", [("All officers", None)])
        self.status = self._combo(
            "Status filter", [("All statuses", None)] + [(label(s), s.value) for s in AccountStatus]
        )
        self.band = self._combo(
            "Balance filter",
            [("All balances", None)] + [(text, key) for key, text in BALANCE_BAND_LABELS.items()],
        )

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        for text, widget in (
            ("&Search:", self.search),
            ("O&fficer:", self.officer),
            ("S&tatus:", self.status),
            ("&Balance:", self.band),
        ):
            caption = QLabel(text, self)
            caption.setBuddy(widget)
            layout.addWidget(caption)
            layout.addWidget(widget, 2 if widget is self.search else 0)
            layout.addSpacing(8)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.changed)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.flush)

    def _combo(self, accessible_name: str, items: list[tuple[str, str | None]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(accessible_name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for text, data in items:
            combo.addItem(text, data)
        combo.currentIndexChanged.connect(self.changed)
        return combo

    def apply(self, query: CaseloadQuery) -> CaseloadQuery:
        """``query`` with this search and these filters (its order kept)."""
        return replace(
            query,
            search=self.search.text().strip(),
            officer=self.officer.currentData(),
            status=self.status.currentData(),
            band=self.band.currentData(),
        )

    def set_officers(self, officers: list[Officer]) -> None:
        """Fill the officer combo, keeping the chosen officer if they are still there."""
        chosen = self.officer.currentData()
        self.officer.blockSignals(True)
        self.officer.clear()
        self.officer.addItem("All officers", None)
        for officer in officers:
            self.officer.addItem(officer.display_name, officer.username)
        index = self.officer.findData(chosen) if chosen is not None else 0
        self.officer.setCurrentIndex(max(index, 0))
        self.officer.blockSignals(False)
        if chosen is not None and index < 0:
            self.changed.emit()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def flush(self) -> None:
        """Search now rather than after the typing delay."""
        if self._debounce.isActive():
            self._debounce.stop()
            self.changed.emit()
