"""HTML to A4 PDF: page size, footer and page numbers, pagination, escaping, copies, the logo."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinter

from debtdesk.documents.pdf import logo_url, paint_html, render_pdf, render_pdf_bytes
from debtdesk.documents.templates import Templates
from tests.documents.conftest import pdf_info, pdf_text

FOOTER = "Account CC000123 · Statement ST00000042"
# 200 numbered lines of 10pt DejaVu Sans (about 15.5 px each) on a 970 px body: about
# 62 lines a page, so 4 pages (anything from 49 to 66 lines a page still gives 4).
LONG = "<p>" + "<br>".join(f"Line {n:03d}" for n in range(1, 201)) + "</p>"


def test_a_one_page_statement_is_a4_with_its_footer(tmp_path: Path) -> None:
    rendered = render_pdf("<h1>Statement of account</h1>", tmp_path / "s.pdf", footer=FOOTER)

    assert rendered.pages == 1
    info = pdf_info(rendered.path)
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("595 x 842 pts")
    text = pdf_text(rendered.path)
    assert "Statement of account" in text
    assert FOOTER in text and "Page 1 of 1" in text


def test_a_long_document_runs_onto_numbered_pages_without_losing_a_line(tmp_path: Path) -> None:
    rendered = render_pdf(LONG, tmp_path / "long.pdf", footer=FOOTER)

    assert rendered.pages == 4
    seen: list[str] = []
    for page in range(1, 5):
        text = pdf_text(rendered.path, page)
        assert f"Page {page} of 4" in text and FOOTER in text
        seen += re.findall(r"Line (\d{3})", pdf_text(rendered.path, page, body=True))
    assert seen == [f"{n:03d}" for n in range(1, 201)]


def test_a_name_prints_as_written(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "name.html").write_text("<p>To: {{ name }}</p>", encoding="utf-8")
    html = Templates(team).render("name.html", name='O\'Brien & <Sons> "Ltd"')

    rendered = render_pdf(html, tmp_path / "n.pdf")

    assert 'To: O\'Brien & <Sons> "Ltd"' in pdf_text(rendered.path)


def _grey_pixels(path: Path, page: int) -> int:
    """Light grey pixels (the COPY mark's colour) on the right half of a page, at 20 dpi."""
    pgm = subprocess.run(
        ["pdftoppm", "-gray", "-r", "20", "-f", str(page), "-l", str(page), str(path)],
        capture_output=True,
        check=True,
    ).stdout
    _magic, size, _white, pixels = pgm.split(b"\n", 3)
    width = int(size.split()[0])
    right = (pixels[row + width // 2 : row + width] for row in range(0, len(pixels), width))
    return sum(1 for half in right for value in half if 200 < value < 245)


def test_only_a_copy_is_marked_on_every_page(tmp_path: Path) -> None:
    note = "COPY printed on 23/11/2026 of the statement issued on 01/11/2026"
    original = render_pdf(LONG, tmp_path / "original.pdf", footer=FOOTER)
    copy = render_pdf(LONG, tmp_path / "copy.pdf", footer=FOOTER, copy_note=note)

    assert "CO" not in pdf_text(original.path)
    assert _grey_pixels(original.path, 1) < 50  # the edges of the footer's letters
    for page in range(1, 5):
        assert note in pdf_text(copy.path, page)
        assert _grey_pixels(copy.path, page) > 500  # 200 px letters: hundreds of pixels


def test_the_logo_is_drawn_when_there_is_one(tmp_path: Path) -> None:
    image = QImage(60, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    logo = tmp_path / "logo.png"
    assert image.save(str(logo))
    html = f'<p><img src="{logo_url(str(logo))}" width="60" height="30"></p><p>Text</p>'

    assert logo_url("") == "" and logo_url(str(tmp_path / "missing.png")) == ""
    rendered = render_pdf(html, tmp_path / "logo.pdf", logo=str(logo))

    images = subprocess.run(
        ["pdfimages", "-list", str(rendered.path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]  # two header lines
    assert len(images) == 1 and images[0].split()[3:5] == ["60", "30"]


def test_bytes_for_a_preview(tmp_path: Path) -> None:
    data, pages = render_pdf_bytes(LONG, footer=FOOTER)

    assert data.startswith(b"%PDF-") and pages == 4
    (tmp_path / "b.pdf").write_bytes(data)
    assert "Page 4 of 4" in pdf_text(tmp_path / "b.pdf", 4)


def test_a_printer_at_1200_dpi_gets_the_same_pages(tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))

    assert paint_html(printer, LONG, footer=FOOTER) == 4

    assert pdf_info(tmp_path / "printed.pdf")["Page size"].startswith("595 x 842 pts")
    last = pdf_text(tmp_path / "printed.pdf", 4)
    assert "Page 4 of 4" in last and "Line 200" in last
