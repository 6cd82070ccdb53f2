"""Writing a letter to an account: choose the kind, see it as it will go, issue it.

The preview comes from ``Letters.preview`` off the GUI thread and is shown in a text
browser; Issue (``Letters.issue``, on the write pool) is offered only once the letter
as it stands has been previewed, so nothing is sent unseen. A refusal (a letter of
claim to a business, an officer's letter with no text) is said in the dialog.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFont, QImage, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from debtdesk.documents.pdf import FONT_FAMILY, LOGO_URL, PAGE_WIDTH
from debtdesk.domain.documents import LETTER_KINDS, TITLES, DocumentKind
from debtdesk.gui.formatting import sentence
from debtdesk.gui.tasks import run_task, run_write
from debtdesk.services.documents import DocumentLine
from debtdesk.services.errors import BadInput
from debtdesk.services.letters import LetterPreview, Letters

GEOMETRY = "letter_dialog/geometry"
TYPING_PAUSE_MS = 400  # the preview follows the officer's own letter after a pause
KIND_LABELS = {**TITLES, DocumentKind.LETTER: "Letter in your own words"}
KIND_NOTES = {
    DocumentKind.REMINDER: "Lists what is still owed and asks for the overdue amount within "
    "14 days, offering a plan to pay in instalments.",
    DocumentKind.FINAL_REMINDER: "Asks again within 14 days and says a letter of claim and "
    "court proceedings may follow.",
    DocumentKind.LETTER_OF_CLAIM: "The Pre-Action Protocol letter before a county court "
    "claim: 30 days to reply, with the Information Sheet and Reply Form. Not for "
    "business accounts.",
    DocumentKind.LETTER: "Your subject and text, with the letterhead, the greeting and "
    "your signature. Leave a blank line between paragraphs.",
}
PREVIEW_MARGIN = 24


def paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of ``text``, split on blank lines; runs of spaces and newlines become one."""
    blocks = (block.split() for block in re.split(r"\n\s*\n", text))
    return tuple(" ".join(words) for words in blocks if words)


class LetterDialog(QDialog):
    """A letter to one account as at a date: kind, (own words), preview and issue."""

    issued = Signal(object)
    """A letter was issued: its :class:`~debtdesk.services.documents.DocumentLine`."""

    def __init__(
        self,
        letters: Letters,
        account_id: int,
        as_of: date,
        account_label: str,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._letters = letters
        self.account_id = account_id
        self.as_of = as_of
        self._settings = settings
        self._asked: tuple[DocumentKind, str, tuple[str, ...]] | None = None
        self._previewed: tuple[DocumentKind, str, tuple[str, ...]] | None = None
        self._issuing = False
        self.setWindowTitle(f"Write a letter — {account_label}")
        self.setAccessibleName("Write a letter")

        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of letter")
        for kind in LETTER_KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind.value)
        self.kind_note = QLabel("", self)
        self.kind_note.setAccessibleName("About this letter")
        self.kind_note.setWordWrap(True)
        self.subject = QLineEdit(self)
        self.subject.setAccessibleName("Subject")
        self.subject.setPlaceholderText("What the letter is about")
        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName("Letter text")
        self.body.setPlaceholderText(
            "Write the letter here.\n\nLeave a blank line between paragraphs. "
            "The greeting, the account details and the signature are added for you."
        )
        self.body.setTabChangesFocus(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Letter:", self.kind)
        form.addRow("", self.kind_note)
        form.addRow("&Subject:", self.subject)
        form.addRow("&Text:", self.body)
        self._form = form

        self.message = QLabel("", self)
        self.message.setAccessibleName("Letter message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.issue_button = QPushButton("&Issue letter", self)
        self.issue_button.setToolTip("Archive the letter as previewed and write its PDF")
        self.close_button = QPushButton("Close", self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.issue_button)
        buttons.addWidget(self.close_button)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.message)
        left_layout.addStretch(1)
        left_layout.addLayout(buttons)

        self.preview = QTextBrowser(self)
        self.preview.setAccessibleName("Letter preview")
        self.preview.setOpenLinks(False)
        # Laid out at the page's width, so lines break where they will on paper.
        page = int(PAGE_WIDTH) + 2 * PREVIEW_MARGIN
        self.preview.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
        self.preview.setLineWrapColumnOrWidth(page)
        scroll_bar = self.preview.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.preview.setMinimumWidth(page + scroll_bar + 2 * self.preview.frameWidth() + 2)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([380, self.preview.minimumWidth()])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.preview_now)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.subject.textChanged.connect(self._edited)
        self.body.textChanged.connect(self._edited)
        self.issue_button.clicked.connect(self.issue)
        self.close_button.clicked.connect(self.reject)

        geometry = settings.value(GEOMETRY) if settings is not None else None
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1180, 820)
        self._kind_changed()

    # What is asked for

    def current_kind(self) -> DocumentKind:
        return DocumentKind(self.kind.currentData())

    def _request(self) -> tuple[DocumentKind, str, tuple[str, ...]]:
        kind = self.current_kind()
        if kind is not DocumentKind.LETTER:
            return kind, "", ()
        return kind, self.subject.text(), paragraphs(self.body.toPlainText())

    def _kind_changed(self) -> None:
        own_words = self.current_kind() is DocumentKind.LETTER
        self.kind_note.setText(KIND_NOTES[self.current_kind()])
        for field in (self.subject, self.body):
            field.setEnabled(own_words)
            self._form.setRowVisible(field, own_words)
        self.preview_now()
        if own_words:
            self.subject.setFocus()

    def _edited(self) -> None:
        self._enable_issue()
        self._typing.start()

    # Preview

    def preview_now(self) -> None:
        """Ask for the preview of the letter as it stands now."""
        self._typing.stop()
        request = self._request()
        self._asked = request
        kind, subject, paras = request
        if kind is DocumentKind.LETTER and not (subject.strip() and paras):
            self._previewed = None
            self.preview.clear()
            self._say("Write a subject and the letter's text to see it here.")
            self._enable_issue()
            return
        self._say("Preparing the preview…")
        letters, account_id, as_of = self._letters, self.account_id, self.as_of
        run_task(
            lambda: letters.preview(account_id, kind, as_of, subject, paras),
            lambda preview: self._show_preview(request, preview),
            lambda error: self._preview_failed(request, error),
            owner=self,
        )

    def _show_preview(self, request: tuple, preview: LetterPreview) -> None:
        if request != self._asked:
            return  # the officer has changed the letter since
        document = QTextDocument(self.preview)
        document.setDefaultFont(QFont(FONT_FAMILY, 10))
        document.setDocumentMargin(PREVIEW_MARGIN)
        logo = QImage(preview.logo) if preview.logo else QImage()
        if not logo.isNull():
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(LOGO_URL), logo)
        document.setHtml(preview.html)
        self.preview.setDocument(document)
        self._previewed = request
        self._say("")
        self._enable_issue()

    def _preview_failed(self, request: tuple, error: Exception) -> None:
        if request != self._asked:
            return
        self._previewed = None
        self.preview.clear()
        self._say(self._explain(error))
        self._enable_issue()

    # Issue

    def _enable_issue(self) -> None:
        ready = self._previewed is not None and self._previewed == self._request()
        self.issue_button.setEnabled(ready and not self._issuing)

    def issue(self) -> None:
        """Issue the letter as previewed: archived, its PDF written, linked to the account."""
        if self._previewed is None or self._previewed != self._request() or self._issuing:
            return
        kind, subject, paras = self._previewed
        self._issuing = True
        self._enable_issue()
        self._say(f"Issuing the {KIND_LABELS[kind].lower()}…")
        letters, account_id, as_of = self._letters, self.account_id, self.as_of
        run_write(
            lambda: letters.issue(account_id, kind, as_of, subject, paras),
            self._issued,
            self._issue_failed,
            owner=self,
        )

    def _issued(self, line: DocumentLine) -> None:
        self._issuing = False
        self._previewed = None  # issued once: change something to issue another
        self._enable_issue()
        pages = f"{line.pages} page{'' if line.pages == 1 else 's'}"
        self._say(f"{line.title} issued ({pages}) and archived in {line.path}.")
        self.issued.emit(line)

    def _issue_failed(self, error: Exception) -> None:
        self._issuing = False
        self._enable_issue()
        self._say(self._explain(error))

    @staticmethod
    def _explain(error: Exception) -> str:
        if isinstance(error, BadInput):
            return sentence(str(error))
        return sentence(f"the letter could not be made: {error}")

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def done(self, result: int) -> None:
        if self._issuing:
            return  # a moment: the letter is being written, and the account view waits for it
        if self._settings is not None:
            self._settings.setValue(GEOMETRY, self.saveGeometry())
        super().done(result)
