"""The account view's Statements tab: its statements and letters, to open, preview and print.

Both lists come from ``Documents`` off the GUI thread. A document is fetched for
reprinting (``Documents.reprint``) off the GUI thread too: the original PDF while the
archived file is unchanged, else a copy marked as one, which the preview and the
printout show as well.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QItemSelection, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.documents import DocumentKind
from debtdesk.domain.periods import Period
from debtdesk.gui import desktop, printing
from debtdesk.gui.formatting import sentence
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.tables import read_only_table, show_model
from debtdesk.gui.tasks import run_task
from debtdesk.services.documents import DocumentLine, Documents, Reprint, StatementLine

STATEMENT_COLUMNS: tuple[Column[StatementLine], ...] = (
    Column("Number", lambda s: s.number),
    Column("Date", lambda s: s.statement_date, "date"),
    Column("Period", lambda s: str(Period(s.period_start))),
    Column("Charged", lambda s: s.charged, "money"),
    Column("Received", lambda s: s.received, "money"),
    Column("Closing balance", lambda s: s.closing_balance, "money"),
    Column("Amount due", lambda s: s.amount_due, "money"),
    Column("Due by", lambda s: s.due_on, "date"),
)

DOCUMENT_COLUMNS: tuple[Column[DocumentLine], ...] = (
    Column("Issued", lambda d: d.issued_on, "date"),
    Column("Document", lambda d: d.title),
    Column("Pages", lambda d: d.pages, "number"),
    Column("Issued by", lambda d: d.actor),
)
DOCUMENT_TITLE = 1


def document_id(record: StatementLine | DocumentLine) -> int:
    """The archived document a row of either list stands for."""
    return record.document_id if isinstance(record, StatementLine) else record.id


def statements_model(
    lines: list[StatementLine], parent: QObject | None = None
) -> LineTableModel[StatementLine]:
    return LineTableModel(STATEMENT_COLUMNS, lines, parent)


def documents_model(
    lines: list[DocumentLine], parent: QObject | None = None
) -> LineTableModel[DocumentLine]:
    """The account's documents other than its statements (those are in the other list)."""
    others = [line for line in lines if line.kind is not DocumentKind.STATEMENT]
    return LineTableModel(DOCUMENT_COLUMNS, others, parent)


class AccountDocuments(QWidget):
    """Statements above, letters below; Open, Print preview and Print act on the selection."""

    loaded = Signal()
    """The lists were (re)loaded."""

    def __init__(
        self,
        documents: Documents,
        account_id: int,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._documents = documents
        self.account_id = account_id
        self._today = today
        self._lines: dict[int, DocumentLine] = {}
        self.preview: QWidget | None = None  # the last print preview shown

        self.statements_table = read_only_table("Statements")
        self.documents_table = read_only_table("Letters and other documents")
        self._statements_box = QGroupBox("Statements", self)
        QVBoxLayout(self._statements_box).addWidget(self.statements_table)
        self._documents_box = QGroupBox("Letters and other documents", self)
        QVBoxLayout(self._documents_box).addWidget(self.documents_table)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._statements_box)
        splitter.addWidget(self._documents_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.open_button = QPushButton("&Open", self)
        self.open_button.setToolTip("Open the document's PDF in your PDF viewer")
        self.preview_button = QPushButton("Print pre&view…", self)
        self.preview_button.setToolTip("Reprint: see the pages as they will print")
        self.print_button = QPushButton("&Print…", self)
        self.print_button.setToolTip("Reprint: choose a printer and print")
        self.message = QLabel("", self)
        self.message.setAccessibleName("Documents message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.open_button.clicked.connect(self.open_selected)
        self.preview_button.clicked.connect(self.preview_selected)
        self.print_button.clicked.connect(self.print_selected)
        for table in (self.statements_table, self.documents_table):
            table.activated.connect(self.open_selected)
        self._enable_buttons()
        self.reload()

    # Loading

    def reload(self, select_document: int | None = None) -> None:
        """Load both lists again; then select ``select_document`` if given."""
        documents, account_id = self._documents, self.account_id
        self.message.setText("Loading…")
        run_task(
            lambda: (documents.statements(account_id), documents.for_account(account_id)),
            lambda lists: self._show(*lists, select_document=select_document),
            lambda error: self.message.setText(f"The documents could not be loaded: {error}"),
            owner=self,
        )

    def _show(
        self,
        statements: list[StatementLine],
        lines: list[DocumentLine],
        select_document: int | None,
    ) -> None:
        self._lines = {line.id: line for line in lines}
        self._put(self.statements_table, statements_model(statements, self), None)
        self._put(self.documents_table, documents_model(lines, self), DOCUMENT_TITLE)
        self._statements_box.setTitle(f"Statements ({len(statements)})")
        others = self.documents_table.model().rowCount()
        self._documents_box.setTitle(f"Letters and other documents ({others})")
        self.message.setText("")
        if select_document is not None:
            self._select(select_document)
        self._enable_buttons()
        self.loaded.emit()

    def _put(self, table: QTableView, model: LineTableModel, stretch: int | None) -> None:
        old, old_selection = table.model(), table.selectionModel()
        show_model(table, model, stretch)
        for replaced in (old_selection, old):  # a view does not delete what it is given
            if replaced is not None:
                replaced.deleteLater()
        slot = (
            self._statement_selected if table is self.statements_table else self._document_selected
        )
        table.selectionModel().selectionChanged.connect(slot)

    # One selection across both lists: choosing in one clears the other.

    def _statement_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if not selected.isEmpty():
            self.documents_table.clearSelection()
        self._enable_buttons()

    def _document_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if not selected.isEmpty():
            self.statements_table.clearSelection()
        self._enable_buttons()

    def _select(self, wanted: int) -> None:
        for table in (self.statements_table, self.documents_table):
            model = table.model()
            for row in range(model.rowCount()):
                if document_id(model.record(row)) == wanted:
                    table.selectRow(row)
                    table.scrollTo(model.index(row, 0))
                    table.setFocus()
                    return

    # The selected document

    def selected_document(self) -> int | None:
        """The id of the document selected in either list, or None."""
        for table in (self.statements_table, self.documents_table):
            model = table.model()
            rows = table.selectionModel().selectedRows() if table.selectionModel() else []
            if rows and model is not None:
                return document_id(model.record(rows[0].row()))
        return None

    def _enable_buttons(self) -> None:
        chosen = self.selected_document() is not None
        for button in (self.open_button, self.preview_button, self.print_button):
            button.setEnabled(chosen)

    def _with_reprint(self, action: Callable[[Reprint], None]) -> None:
        chosen = self.selected_document()
        if chosen is None:
            return
        documents, today = self._documents, self._today
        self.message.setText("Fetching the document…")
        run_task(
            lambda: documents.reprint(chosen, today),
            lambda reprint: self._fetched(reprint, action),
            lambda error: self.message.setText(sentence(f"could not fetch it: {error}")),
            owner=self,
        )

    def _fetched(self, reprint: Reprint, action: Callable[[Reprint], None]) -> None:
        self.message.setText(
            "The archived file is missing or changed: this is a copy from the stored text."
            if reprint.is_copy
            else ""
        )
        action(reprint)

    # Actions

    def open_selected(self) -> None:
        """Open the document in the desktop's PDF viewer (the archived file if unchanged)."""
        chosen = self.selected_document()
        line = self._lines.get(chosen) if chosen is not None else None

        def show(reprint: Reprint) -> None:
            path = line.path if line is not None and line.path and not reprint.is_copy else None
            target = path or desktop.temporary_pdf(reprint.pdf, reprint.title)
            if not desktop.open_path(target):
                self.message.setText(f"No PDF viewer opened {target}.")

        self._with_reprint(show)

    def preview_selected(self) -> None:
        """Reprint: a print preview of the document, marked COPY when it is a copy."""

        def show(reprint: Reprint) -> None:
            dialog = printing.preview_dialog(reprint, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.preview = dialog
            dialog.open()

        self._with_reprint(show)

    def print_selected(self) -> None:
        """Reprint: choose a printer and print the document."""

        def send(reprint: Reprint) -> None:
            if printing.print_with_dialog(reprint, self):
                self.message.setText(f"Sent {reprint.title} to the printer.")

        self._with_reprint(send)
