"""HTML to A4 pages through Qt: the page geometry, footer, copy marking, logo and PDF output.

One layout serves every paged device: :class:`DocumentPainter` lays a document out on
A4 with 15 mm margins in 96-dpi units, keeps a footer strip at the bottom of each page
("Account CC000123 · Statement ST00000042" on the left, "Page 1 of 2" on the right),
marks every page of a reprint as a copy and, when asked, prints a protective marking
("OFFICIAL – SENSITIVE") at the top and foot of every page. :func:`render_pdf` writes one
document to a file, :func:`render_pdf_bytes` gives it as bytes, and the GUI passes a
``QPrinter`` to :func:`paint_html` for print preview and printing. A report that needs
to know where its parts fall (a table of contents) lays itself out with
:func:`layout_document`, reads :func:`anchor_pages`, keeps its headings off the foot of a
page with :func:`keep_with_next`, and paints that document with
:func:`document_pdf_bytes`. Nothing here needs a display.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)

from debtdesk.resources import resource_path

FONT_FAMILY = "DejaVu Sans"
LOGO_URL = "debtdesk-logo"
RESOLUTION = 96  # layout units: CSS pixels, 96 to the inch
MARGIN_MM = 15.0
FOOTER_MM = 10.0
CREATOR = "debtdesk"

_PX_PER_MM = RESOLUTION / 25.4
_A4 = QPageLayout(
    QPageSize(QPageSize.PageSizeId.A4),
    QPageLayout.Orientation.Portrait,
    QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
    QPageLayout.Unit.Millimeter,
)
_PAINT_RECT = _A4.paintRectPixels(RESOLUTION)
PAGE_WIDTH = float(_PAINT_RECT.width())  # 679 px: 180 mm
FOOTER_HEIGHT = round(FOOTER_MM * _PX_PER_MM)  # 38 px
BODY_HEIGHT = float(_PAINT_RECT.height() - FOOTER_HEIGHT)  # 970 px of the 1008
_EDGE = 2.0  # px: see DocumentPainter.add

_qt_lock = threading.Lock()
_application: QGuiApplication | None = None  # the one ensure_qt made, kept alive
_fonts_registered = False
_logos: dict[tuple[str, int, int], QImage] = {}
_per_thread = threading.local()


@dataclass(frozen=True)
class Rendered:
    """A PDF written to disk: where, the SHA-256 of its bytes and its number of pages."""

    path: Path
    sha256: str
    pages: int


def ensure_qt() -> None:
    """Make sure Qt can render: a (Q)GuiApplication exists and the shipped fonts are registered.

    With no application yet, one is created, offscreen when there is no display (or
    ``QT_QPA_PLATFORM`` says so). Safe to call any number of times; the first call
    without an application must come from the main thread.
    """
    global _application, _fonts_registered
    with _qt_lock:
        if QGuiApplication.instance() is None:
            no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
            if no_display and not os.environ.get("QT_QPA_PLATFORM"):
                os.environ["QT_QPA_PLATFORM"] = "offscreen"
            _application = QGuiApplication(["debtdesk"])
        if not _fonts_registered:
            for font_file in sorted(resource_path("fonts").glob("*.ttf")):
                if QFontDatabase.addApplicationFont(str(font_file)) < 0:
                    raise OSError(f"Qt could not load the font {font_file}")
            _fonts_registered = True


def logo_url(logo: str) -> str:
    """What templates get as ``logo_url``: :data:`LOGO_URL` if ``logo`` is a readable image."""
    return LOGO_URL if _logo_image(logo) is not None else ""


def _logo_image(logo: str) -> QImage | None:
    """The image at path ``logo`` (cached while the file is unchanged), or None."""
    if not logo:
        return None
    try:
        stat = os.stat(logo)
    except OSError:
        return None
    key = (logo, stat.st_mtime_ns, stat.st_size)
    with _qt_lock:
        image = _logos.get(key)
        if image is None:
            image = QImage(logo)
            if image.isNull():
                return None
            _logos[key] = image
    return image


def _font(pixels: int, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def _layout_device() -> QImage:
    """A 96-dpi device to measure text with, whatever the screen's resolution (one a thread)."""
    device: QImage | None = getattr(_per_thread, "device", None)
    if device is None:
        device = QImage(1, 1, QImage.Format.Format_Mono)
        device.setDotsPerMeterX(round(RESOLUTION / 0.0254))
        device.setDotsPerMeterY(round(RESOLUTION / 0.0254))
        _per_thread.device = device
    return device


def setup_page(device: QPagedPaintDevice) -> None:
    """Give ``device`` the page every document is laid out for: A4 portrait, 15 mm margins."""
    if not device.setPageLayout(_A4):
        raise ValueError("the device does not accept an A4 page with 15 mm margins")


def layout_document(html: str, logo: str = "") -> QTextDocument:
    """``html`` laid out in pages of the body area, with the logo at :data:`LOGO_URL`."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(_layout_device())
    doc.setUseDesignMetrics(True)  # the same line breaks on every platform and device
    doc.setDocumentMargin(0)
    doc.setDefaultFont(QFont(FONT_FAMILY, 10))
    image = _logo_image(logo)
    if image is not None:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(LOGO_URL), image)
    doc.setPageSize(QSizeF(PAGE_WIDTH, BODY_HEIGHT))
    doc.setHtml(html)
    return doc


def _anchored_blocks(doc: QTextDocument, prefix: str) -> Iterator[tuple[str, QTextBlock]]:
    """Each anchor named ``prefix…`` (``<a name="…">``) and the block it is in, in order."""
    block = doc.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            for name in fragments.fragment().charFormat().anchorNames():
                if name.startswith(prefix):
                    yield name, block
            fragments += 1
        block = block.next()


def _line_top(doc: QTextDocument, block: QTextBlock) -> float:
    """Where the block's first line starts, from the top of the document (96-dpi px)."""
    # Finish the layout first: Qt lays a document out lazily, and a position asked for
    # part-way gives a wrong page (and leaves later blocks unpainted after a change).
    doc.pageCount()
    top = doc.documentLayout().blockBoundingRect(block).top()
    layout = block.layout()
    return top + (layout.lineAt(0).y() if layout.lineCount() else 0.0)


def anchor_pages(doc: QTextDocument, prefix: str = "") -> dict[str, int]:
    """The page (1 for the first) on which each anchor named ``prefix…`` starts its line.

    ``doc`` is laid out by :func:`layout_document`: its pages are the body's height.
    """
    return {
        name: int(_line_top(doc, block) // BODY_HEIGHT) + 1
        for name, block in _anchored_blocks(doc, prefix)
    }


def keep_with_next(doc: QTextDocument, prefix: str, space: float) -> int:
    """Start a new page before each heading (a block holding an anchor named ``prefix…``)
    that would leave less than ``space`` px of its page below its first line; how many.

    Qt keeps neither a heading with what follows nor a block together, so a heading may
    otherwise end a page with its table on the next. Headings are checked in order, each
    after the breaks before it have moved it.
    """
    moved = 0
    for _name, block in list(_anchored_blocks(doc, prefix)):
        down = _line_top(doc, block) % BODY_HEIGHT  # how far down its page it starts
        if down < 1 or BODY_HEIGHT - down >= space:
            continue
        page_break = QTextBlockFormat()
        page_break.setPageBreakPolicy(QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        QTextCursor(block).mergeBlockFormat(page_break)
        moved += 1
    return moved


class DocumentPainter:
    """Paints documents one after another onto a paged device, each from a new page.

    Use as a context manager: entering sets the device's page to A4 (see
    :func:`setup_page`) and begins one painter, leaving ends it. Layout is in 96-dpi
    units and the painter is scaled to the device, so a 96-dpi ``QPdfWriter`` and a
    1200-dpi ``QPrinter`` show the same pages.
    """

    def __init__(self, device: QPagedPaintDevice) -> None:
        """Paint onto ``device`` (a ``QPdfWriter`` or ``QPrinter``)."""
        self.device = device
        self.painter = QPainter()
        self.pages = 0  # pages painted so far, all documents together
        # Sizes in pixels: a point size would follow the device's resolution and the
        # painter is already scaled to it.
        self._footer_font = _font(11)  # 8.25 pt
        self._note_font = _font(13, bold=True)  # 9.75 pt
        self._mark_font = _font(200, bold=True)

    def __enter__(self) -> DocumentPainter:
        """Set the page up and begin painting."""
        setup_page(self.device)
        if not self.painter.begin(self.device):
            raise OSError("could not start painting (is the output file writable?)")
        scale = self.device.logicalDpiX() / RESOLUTION
        self.painter.scale(scale, scale)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Finish the output."""
        if not self.painter.end() and exc_type is None:
            raise OSError("could not finish the output")

    def add(
        self, html: str, footer: str = "", copy_note: str = "", logo: str = "", marking: str = ""
    ) -> int:
        """Paint one document from a new page; the number of pages it took.

        Args:
            html: The document (what :class:`~debtdesk.documents.templates.Templates` gives).
            footer: Printed at the bottom left of every page.
            copy_note: "" for an original; on a reprint, printed at the top of every
                page, with a large "COPY" across it.
            logo: Path to the logo image templates show at ``logo_url`` ("" for none).
            marking: A protective marking ("OFFICIAL – SENSITIVE") printed at the top and
                the foot of every page, or "" for none.
        """
        return self.add_document(layout_document(html, logo), footer, copy_note, marking)

    def add_document(
        self, doc: QTextDocument, footer: str = "", copy_note: str = "", marking: str = ""
    ) -> int:
        """Paint a document laid out by :func:`layout_document` from a new page; its pages.

        The arguments are as :meth:`add`'s.
        """
        count = doc.pageCount()
        layout = doc.documentLayout()
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, QColor("black"))  # not the theme's
        painter = self.painter
        for page in range(count):
            if self.pages:
                self.device.newPage()
            if copy_note:
                self._mark_copy(copy_note, below_marking=bool(marking))
            if marking:
                self._mark_protection(marking)
            top = page * BODY_HEIGHT
            painter.save()
            painter.translate(0, -top)
            painter.setClipRect(QRectF(0, top, PAGE_WIDTH, BODY_HEIGHT))
            # Qt writes every line that touches the box it is given, clipped out of sight
            # but still in the PDF's text; a slightly smaller box keeps out the line that
            # starts exactly at the page's foot. (It also writes the last line above the
            # box, unseen: QTextLayout::draw's loop starts one line early.)
            context.clip = QRectF(0, top + _EDGE, PAGE_WIDTH, BODY_HEIGHT - 2 * _EDGE)
            layout.draw(painter, context)
            painter.restore()
            self._footer(footer, f"Page {page + 1} of {count}")
            self.pages += 1
        return count

    def _footer(self, left: str, right: str) -> None:
        painter = self.painter
        top = BODY_HEIGHT + FOOTER_HEIGHT * 0.4
        painter.setPen(QPen(QColor(160, 160, 160), 0.5))
        painter.drawLine(0, int(top), int(PAGE_WIDTH), int(top))
        painter.setPen(QColor(68, 68, 68))
        painter.setFont(self._footer_font)
        text_box = QRectF(0, top + 3, PAGE_WIDTH, FOOTER_HEIGHT * 0.6 - 3)
        painter.drawText(text_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, left)
        painter.drawText(text_box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, right)

    def _mark_protection(self, marking: str) -> None:
        """The protective marking, centred in the top margin and again below the footer."""
        painter = self.painter
        margin = MARGIN_MM * _PX_PER_MM
        painter.setFont(self._note_font)
        painter.setPen(QColor(0, 0, 0))
        centre = Qt.AlignmentFlag.AlignCenter
        painter.drawText(QRectF(0, -margin * 0.8, PAGE_WIDTH, margin * 0.4), centre, marking)
        foot = BODY_HEIGHT + FOOTER_HEIGHT
        painter.drawText(QRectF(0, foot + margin * 0.2, PAGE_WIDTH, margin * 0.4), centre, marking)

    def _mark_copy(self, note: str, below_marking: bool = False) -> None:
        """A large light-grey diagonal "COPY" behind the page, and the note in the top margin
        (lower down when a protective marking is there too)."""
        painter = self.painter
        painter.save()
        painter.translate(PAGE_WIDTH / 2, (BODY_HEIGHT + FOOTER_HEIGHT) / 2)
        painter.rotate(-55)
        painter.setFont(self._mark_font)
        painter.setPen(QColor(225, 225, 225))
        painter.drawText(QRectF(-600, -150, 1200, 300), Qt.AlignmentFlag.AlignCenter, "COPY")
        painter.restore()
        margin = MARGIN_MM * _PX_PER_MM
        painter.setFont(self._note_font)
        painter.setPen(QColor(150, 0, 0))
        top = -margin * (0.4 if below_marking else 0.75)
        painter.drawText(
            QRectF(0, top, PAGE_WIDTH, margin * (0.35 if below_marking else 0.5)),
            Qt.AlignmentFlag.AlignCenter,
            note,
        )


def paint_html(
    device: QPagedPaintDevice,
    html: str,
    footer: str = "",
    copy_note: str = "",
    logo: str = "",
    marking: str = "",
) -> int:
    """Paint one document onto ``device`` (e.g. a ``QPrinter`` for preview); its page count.

    The device is set to A4 with 15 mm margins first, so a preview shows the PDF's pages.
    """
    ensure_qt()
    with DocumentPainter(device) as pages:
        return pages.add(html, footer, copy_note, logo, marking)


def new_pdf_writer(target: str | QIODevice, title: str = "") -> QPdfWriter:
    """A ``QPdfWriter`` on a file path or device, at the layout's 96 dpi."""
    writer = QPdfWriter(target)
    writer.setResolution(RESOLUTION)
    writer.setCreator(CREATOR)
    if title:
        writer.setTitle(title)
    return writer


def documents_pdf_bytes(
    parts: list[tuple[QTextDocument, str]], title: str, marking: str = ""
) -> tuple[bytes, int]:
    """Several laid-out documents, each from a new page with its own footer, as one PDF's
    bytes (an agenda and its case packs), and the number of pages."""
    ensure_qt()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = new_pdf_writer(buffer, title=title)
    with DocumentPainter(writer) as pages:
        count = sum(pages.add_document(doc, footer, marking=marking) for doc, footer in parts)
    buffer.close()
    return bytes(data.data()), count


def document_pdf_bytes(
    doc: QTextDocument, footer: str = "", copy_note: str = "", marking: str = ""
) -> tuple[bytes, int]:
    """A document laid out by :func:`layout_document` as PDF bytes, and its number of pages.

    The footer is also the PDF's title.
    """
    ensure_qt()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = new_pdf_writer(buffer, title=footer)
    with DocumentPainter(writer) as pages:
        count = pages.add_document(doc, footer, copy_note, marking)
    buffer.close()
    return bytes(data.data()), count


def render_pdf_bytes(
    html: str, footer: str = "", copy_note: str = "", logo: str = "", marking: str = ""
) -> tuple[bytes, int]:
    """One document as PDF bytes (for previews and reprints), and its number of pages.

    The footer is also the PDF's title.
    """
    ensure_qt()
    return document_pdf_bytes(layout_document(html, logo), footer, copy_note, marking)


def write_pdf(data: bytes, pages: int, path: Path) -> Rendered:
    """Write PDF bytes to ``path`` (replacing it whole, never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.part")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Rendered(path=path, sha256=hashlib.sha256(data).hexdigest(), pages=pages)


def render_pdf(
    html: str,
    path: Path,
    footer: str = "",
    copy_note: str = "",
    logo: str = "",
    marking: str = "",
) -> Rendered:
    """Write one document to ``path`` as an A4 PDF (replacing it whole, never half-written)."""
    data, count = render_pdf_bytes(html, footer, copy_note, logo, marking)
    return write_pdf(data, count, path)
