"""A run's rendering: one print file in order, one PDF per item, in process or in two workers."""

from __future__ import annotations

import hashlib
import multiprocessing
from pathlib import Path
from typing import cast

import pytest

from debtdesk.documents.batch import (
    MIN_ITEMS_FOR_WORKERS,
    BatchCancelled,
    BatchError,
    BatchItem,
    render_batch,
)
from tests.documents.conftest import pdf_info, pdf_text

PAGE_BREAK = '<p style="page-break-before: always">'


def _item(folder: Path, n: int, pages: int = 1) -> BatchItem:
    html = f"<p>Document {n}</p>" + f"{PAGE_BREAK}Document {n} continued</p>" * (pages - 1)
    return BatchItem(html, f"Account CC{n:06d}", folder / "accounts" / f"CC{n:06d}.pdf")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_in_process_each_item_has_its_pages_and_its_own_file(tmp_path: Path) -> None:
    run = tmp_path / "run"
    items = [_item(run, 1), _item(run, 2, pages=3), _item(run, 3), _item(run, 4, pages=2)]
    calls: list[tuple[int, int]] = []

    result = render_batch(items, run / "print.pdf", workers=1, progress=lambda *c: calls.append(c))

    assert result.pages == 7 and pdf_info(run / "print.pdf")["Pages"] == "7"
    assert result.sha256 == _sha256(run / "print.pdf")
    assert [(r.first_page, r.pages) for r in result.items] == [(1, 1), (2, 3), (5, 1), (6, 2)]
    assert "Document 4 continued" in pdf_text(run / "print.pdf", 7)
    second = result.items[1]
    assert second.path == run / "accounts" / "CC000002.pdf"
    assert second.sha256 == _sha256(second.path)
    assert pdf_info(second.path)["Pages"] == "3"
    last = pdf_text(second.path, 3)
    assert "Document 2 continued" in last and "Account CC000002" in last and "Page 3 of 3" in last
    assert calls[-1] == (4, 4) and calls == sorted(calls)


def test_two_workers_keep_the_order(tmp_path: Path) -> None:
    count = MIN_ITEMS_FOR_WORKERS  # 100: the smallest batch that is split between processes
    items = [_item(tmp_path, n) for n in range(1, count + 1)]
    calls: list[tuple[int, int]] = []

    result = render_batch(
        items, tmp_path / "print.pdf", workers=2, progress=lambda *c: calls.append(c)
    )

    assert result.pages == count and pdf_info(tmp_path / "print.pdf")["Pages"] == str(count)
    for n in (1, 50, 51, 100):  # either side of where the two halves meet
        assert f"Document {n}\n" in pdf_text(tmp_path / "print.pdf", n)
        done = result.items[n - 1]
        assert done.first_page == n and done.sha256 == _sha256(done.path)
        own = pdf_text(done.path)
        assert f"Document {n}\n" in own and f"Account CC{n:06d}" in own
    assert calls[-1] == (count, count)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts", "print.pdf"]


@pytest.mark.parametrize("workers", [1, 2])
def test_cancelling_leaves_nothing(tmp_path: Path, workers: int) -> None:
    run = tmp_path / "run"
    items = [_item(run, n) for n in range(1, MIN_ITEMS_FOR_WORKERS + 1)]
    started: list[int] = []

    with pytest.raises(BatchCancelled):
        render_batch(
            items,
            run / "print.pdf",
            workers=workers,
            progress=lambda done, total: started.append(done),
            cancelled=lambda: bool(started),
        )

    assert started and list(tmp_path.iterdir()) == []
    assert multiprocessing.active_children() == []


def test_a_workers_error_reaches_the_caller(tmp_path: Path) -> None:
    items = [_item(tmp_path, n) for n in range(1, MIN_ITEMS_FOR_WORKERS + 1)]
    items[70] = BatchItem(cast(str, 400), "not HTML", tmp_path / "broken.pdf")

    with pytest.raises(BatchError, match=r"rendering documents 51-100: TypeError"):
        render_batch(items, tmp_path / "print.pdf", workers=2)

    assert list(tmp_path.iterdir()) == []
