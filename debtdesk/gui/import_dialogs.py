"""Payments ▸ Import Bacs report… and Import bank statement…: choose a file, import it.

The import (``BacsImports.apply`` or ``BankImports.apply``) runs on the write pool. It is
whole or nothing: a refused file (every problem listed), a file for another service user
number or one imported before is shown in a message box and nothing changes. What an
import did is said in the dialog, which stays open for the next file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from debtdesk.gui import prompts
from debtdesk.gui.tasks import run_write
from debtdesk.services.bacs_import import BacsImports
from debtdesk.services.bank_import import BankImports
from debtdesk.services.import_profiles import bank_profiles

BACS_FILTER = "Bacs reports (*.xml);;All files (*)"
BANK_FILTER = "Bank statements (*.csv *.xml *.txt);;All files (*)"
DETECT = ""  # the profile choice that lets the import tell camt.053 from CSV


class ImportDialog(QDialog):
    """A file (and for a bank statement, its layout), Import, and what the import did."""

    imported = Signal(object)
    """A file was imported: the service's result (it has a ``message``)."""

    def __init__(
        self,
        title: str,
        intro: str,
        name_filter: str,
        apply: Callable[[Path, str | None], object],
        profiles: tuple[str, ...] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._apply = apply
        self._filter = name_filter
        self._busy = False
        self.notice: QMessageBox | None = None

        about = QLabel(intro, self)
        about.setAccessibleName("About this import")
        about.setWordWrap(True)
        self.path = QLineEdit(self)
        self.path.setAccessibleName("File to import")
        self.path.setPlaceholderText("Choose the file")
        self.browse_button = QPushButton("&Browse…", self)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        file_label = QLabel("&File:", self)
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        self.profile: QComboBox | None = None
        if profiles is not None:
            self.profile = QComboBox(self)
            self.profile.setAccessibleName("Layout")
            self.profile.addItem("Tell from the file: camt.053 (XML), or generic CSV", DETECT)
            for name in profiles:
                self.profile.addItem(f"{name.capitalize()} CSV", name)
            form.addRow("&Layout:", self.profile)
        self.message = QLabel("", self)
        self.message.setAccessibleName("Import result")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = QPushButton("&Import", self)
        self.import_button.setDefault(True)
        self.close_button = QPushButton("Close", self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(600)

        self.browse_button.clicked.connect(self.browse)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        self.path.textChanged.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        self.import_button.setEnabled(bool(self.path.text().strip()) and not self._busy)

    def browse(self) -> None:
        chosen = prompts.ask_import_file(self, self.windowTitle(), self._filter)
        if chosen is not None:
            self.path.setText(str(chosen))
            self.import_button.setFocus()

    def chosen_profile(self) -> str | None:
        if self.profile is None:
            return None
        return self.profile.currentData() or None

    def start_import(self) -> None:
        """Import the chosen file on the write pool."""
        text = self.path.text().strip()
        if not text or self._busy:
            return
        path, profile, apply = Path(text), self.chosen_profile(), self._apply
        self._busy = True
        self._enable()
        self.message.setText(f"Importing {path.name}…")
        run_write(lambda: apply(path, profile), self._done, self._failed, owner=self)

    def _done(self, result: object) -> None:
        self._busy = False
        self._enable()
        self.message.setText(f"Imported. {prompts.readable(getattr(result, 'message', ''))}")
        self.path.clear()
        self.imported.emit(result)

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self._enable()
        self.message.setText("Nothing was imported.")
        self.notice = prompts.refusal(self, self.windowTitle(), error)

    def done(self, result: int) -> None:
        if self._busy:
            return  # the import finishes (or not) as a whole; wait for it
        super().done(result)


def bacs_dialog(imports: BacsImports, parent: QWidget | None = None) -> ImportDialog:
    return ImportDialog(
        "Import Bacs report",
        "An ARUDD (returned debits), ADDACS (changes to instructions) or AUDDIS (the bank's "
        "answer to new instructions) report from Bacs, as XML. It is checked whole first: "
        "a report with any problem is refused and nothing changes.",
        BACS_FILTER,
        lambda path, _profile: imports.apply(path),
        None,
        parent,
    )


def bank_dialog(imports: BankImports, parent: QWidget | None = None) -> ImportDialog:
    return ImportDialog(
        "Import bank statement",
        "Receipts from the council's bank statement: a camt.053 XML file, or a CSV in one "
        "of the layouts below. Each receipt is matched to an account and posted; the rest "
        "wait in the suspense worklist. A file with any problem is refused and nothing "
        "changes.",
        BANK_FILTER,
        imports.apply,
        bank_profiles(),
        parent,
    )
