"""What a report needs of the PDF engine: the page each anchor falls on, headings kept off
the foot of a page, and a protective marking at the top and foot of every page."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QTextDocument

from debtdesk.documents.pdf import (
    BODY_HEIGHT,
    anchor_pages,
    document_pdf_bytes,
    keep_with_next,
    layout_document,
    render_pdf,
    write_pdf,
)
from tests.documents.conftest import pdf_text

MARKING = "OFFICIAL – SENSITIVE"


def _lines(first: int, last: int) -> str:
    return "".join(f"<p>Line {n:03d}</p>" for n in range(first, last + 1))


def _heading(name: str, text: str) -> str:
    return f'<p style="font-size: 13pt"><a name="{name}"></a>{text}</p>'


def _page_of(path: Path, text: str, pages: int) -> int:
    """The first page whose body shows ``text``."""
    return next(p for p in range(1, pages + 1) if text in pdf_text(path, p, body=True))


def test_each_anchor_is_on_the_page_the_pdf_shows_it(tmp_path: Path) -> None:
    html = (
        _heading("part-1", "First part")
        + _lines(1, 90)
        + _heading("part-2", "Second part")
        + "<table><thead><tr><td>Head</td></tr></thead>"
        + "".join(f"<tr><td>Row {n:03d}</td></tr>" for n in range(1, 121))
        + "</table>"
        + _heading("part-3", "Third part")
        + _heading("other", "Not a part")
    )
    doc = layout_document(html)

    found = anchor_pages(doc, "part-")

    assert set(found) == {"part-1", "part-2", "part-3"}
    data, pages = document_pdf_bytes(doc)
    out = write_pdf(data, pages, tmp_path / "parts.pdf").path
    for name, text in (("part-1", "First part"), ("part-2", "Second part"), ("part-3", "Third")):
        assert found[name] == _page_of(out, text, pages), name
    assert found["part-1"] == 1 and found["part-3"] > found["part-2"] > 1


def _top_of(doc: QTextDocument, text: str) -> float:
    """Where the block holding ``text`` starts, from the top of the document."""
    block = doc.begin()
    while text not in block.text():
        block = block.next()
    top: float = doc.documentLayout().blockBoundingRect(block).top()
    return top


def _heading_near_the_foot() -> tuple[str, list[str]]:
    """Lines, a heading starting within 60 px of the first page's foot, more lines; the
    lines' numbers."""
    for count in range(1, 80):
        numbers = [f"{n:03d}" for n in (*range(1, count + 1), *range(201, 241))]
        html = _lines(1, count) + _heading("part-x", "Late heading") + _lines(201, 240)
        doc = layout_document(html)
        doc.pageCount()  # the whole layout, before asking where a block is
        if BODY_HEIGHT - 60 < _top_of(doc, "Late heading") < BODY_HEIGHT:
            return html, numbers
    raise AssertionError("no count of lines puts the heading near the foot")


def test_a_heading_at_the_foot_of_a_page_moves_to_the_next_with_nothing_lost(
    tmp_path: Path,
) -> None:
    html, numbers = _heading_near_the_foot()
    doc = layout_document(html)
    assert anchor_pages(doc, "part-") == {"part-x": 1}

    assert keep_with_next(doc, "part-", 120) == 1
    assert keep_with_next(doc, "part-", 120) == 0  # now at the top of its page

    assert anchor_pages(doc, "part-") == {"part-x": 2}
    assert BODY_HEIGHT <= _top_of(doc, "Late heading") < BODY_HEIGHT + 20  # below its margin
    data, pages = document_pdf_bytes(doc)
    out = write_pdf(data, pages, tmp_path / "kept.pdf").path
    assert _page_of(out, "Late heading", pages) == 2
    bodies = "".join(pdf_text(out, page, body=True) for page in range(1, pages + 1))
    assert re.findall(r"Line (\d{3})", bodies) == numbers


def test_a_heading_with_room_below_it_stays(tmp_path: Path) -> None:
    doc = layout_document(_lines(1, 10) + _heading("part-x", "Early heading") + _lines(11, 20))

    assert keep_with_next(doc, "part-", 120) == 0
    assert anchor_pages(doc, "part-") == {"part-x": 1}


def test_what_follows_a_long_table_is_painted_after_headings_are_kept(tmp_path: Path) -> None:
    """Qt lays a document out lazily: headings moved while it was part-way through once
    left what follows a long table unpainted (with 31 lines before it, say)."""
    rows = "".join(f"<tr><td>Row {n:03d}</td><td>text</td></tr>" for n in range(1, 150))
    closing = "".join(
        _heading(f"part-{n}", f"Closing part {n}") + "<p>Its text.</p>" for n in range(1, 4)
    )
    for before in range(1, 40, 3):
        html = (
            _heading("part-0", "Opening")
            + _lines(1, before)
            + _heading("part-a", "The table")
            + f"<table><thead><tr><td>A</td><td>B</td></tr></thead>{rows}</table>"
            + closing
        )
        doc = layout_document(html)  # nothing asked of it yet: laid out lazily

        keep_with_next(doc, "part-", 120)
        data, pages = document_pdf_bytes(doc)

        text = pdf_text(write_pdf(data, pages, tmp_path / f"after{before}.pdf").path)
        assert all(f"Closing part {n}" in text for n in range(1, 4)), before


def test_a_marking_heads_and_foots_every_page_beside_a_copy_note(tmp_path: Path) -> None:
    note = "COPY printed on 23/11/2026 of the case pack"
    html = _lines(1, 130)

    marked = render_pdf(html, tmp_path / "marked.pdf", footer="Pack", marking=MARKING)
    copy = render_pdf(html, tmp_path / "copy.pdf", footer="Pack", copy_note=note, marking=MARKING)

    assert marked.pages == copy.pages >= 2
    for page in range(1, marked.pages + 1):
        lines = [line.strip() for line in pdf_text(marked.path, page).splitlines() if line.strip()]
        assert lines[0] == lines[-1] == MARKING
        assert f"Page {page} of {marked.pages}" in lines[-2]
        copied = [line.strip() for line in pdf_text(copy.path, page).splitlines() if line.strip()]
        assert copied[:2] == [MARKING, note] and copied[-1] == MARKING
    assert MARKING not in pdf_text(render_pdf(html, tmp_path / "plain.pdf").path)
