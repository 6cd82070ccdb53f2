"""A run's rendering: many documents into one print file and one PDF per account, on all cores.

Documents are painted one after another into a PDF with one painter (the fonts are
embedded once), then that PDF is split into each item's own file with pikepdf, which is
far cheaper than a ``QPdfWriter`` per item. A big batch is cut into contiguous chunks,
one per process (spawned; each its own Qt), and the chunks' PDFs are merged in order
into the print file. Nothing appears at the given paths until everything has been
written: a cancelled or failed run leaves no new file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import multiprocessing
import os
import queue
import secrets
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pikepdf

from debtdesk.documents.pdf import CREATOR, DocumentPainter, ensure_qt, new_pdf_writer

# Starting a worker (Python, Qt, fonts) takes about 0.4 s. Measured on two cores with
# the shipped statement (about 7 ms a page here): 100 statements 0.70 s in this process,
# 0.66 s in two; 300 statements 2.1 s and 1.4 s. (Tiny test pages break even at ~500.)
MIN_ITEMS_FOR_WORKERS = 100
MIN_ITEMS_PER_WORKER = 50
_RENDER_UNITS = 3  # progress: painting an item is about three quarters of its cost,
_WRITE_UNITS = 1  # writing its own file the last quarter
_ITEM_UNITS = _RENDER_UNITS + _WRITE_UNITS


class BatchCancelled(Exception):
    """The run was cancelled; nothing it wrote is left behind."""


class BatchError(RuntimeError):
    """A worker process failed; the message is the worker's."""


@dataclass(frozen=True)
class BatchItem:
    """One document of the run: its HTML, its footer and where its own PDF goes."""

    html: str
    footer: str
    path: Path


@dataclass(frozen=True)
class ItemResult:
    """One document as written: its own PDF, and where it is in the print file.

    Attributes:
        path: The document's own PDF.
        sha256: The SHA-256 of that file's bytes.
        first_page: Its first page in the print file, counting from 1 as a PDF viewer does.
        pages: How many pages it has.
    """

    path: Path
    sha256: str
    first_page: int
    pages: int


@dataclass(frozen=True)
class BatchResult:
    """The print file (its SHA-256 and page count) and every item, in the order given."""

    print_file: Path
    sha256: str
    pages: int
    items: tuple[ItemResult, ...]


_Report = Callable[[int], None]
_Written = list[tuple[str, int]]  # per item: sha256 of its own file, its page count


def render_batch(
    items: Sequence[BatchItem],
    print_file: Path,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    title: str = "",
    logo: str = "",
) -> BatchResult:
    """Render ``items`` into one print file, in the order given, and each into its own PDF.

    Args:
        items: The documents; each starts on a new page of the print file.
        print_file: The merged PDF to print and post.
        workers: Processes to use (default: one per available core). Fewer than
            :data:`MIN_ITEMS_FOR_WORKERS` items, or one worker: all in this process.
        progress: Called as ``progress(done, total)`` from the calling thread as items
            complete; ``done == total`` only once every file is in place.
        cancelled: Polled while working; returning True stops the run.
        title: The print file's title (PDF metadata).
        logo: Path of the image templates show at ``logo_url`` ("" for none).

    Raises:
        BatchCancelled: ``cancelled()`` returned True; partial output has been removed.
        BatchError: a worker process failed (its message is kept); output removed.
        ValueError: there are no items.
    """
    if not items:
        raise ValueError("a batch needs at least one document")
    is_cancelled = cancelled or (lambda: False)
    tracker = _Progress(len(items), progress)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    made_dirs = _make_dirs([print_file, *(item.path for item in items)])
    print_partial = _partial(print_file, token)
    chunks = _chunks(len(items), _worker_count(len(items), workers))
    parts = (
        [_partial(print_file, f"{token}-part{n}") for n in range(len(chunks))]
        if len(chunks) > 1
        else []
    )
    try:
        if len(chunks) == 1:
            ensure_qt()
            written = _render_chunk(
                items, print_partial, token, title, logo, tracker.add, is_cancelled
            )
        else:
            written = _render_in_workers(
                items, chunks, parts, token, logo, tracker.add, is_cancelled
            )
            _merge(parts, print_partial, title)
        if is_cancelled():
            raise BatchCancelled()
        results = _commit(items, written, token)
        os.replace(print_partial, print_file)
    except BaseException:
        for partial in [*(_partial(item.path, token) for item in items), print_partial, *parts]:
            partial.unlink(missing_ok=True)
        for made in reversed(made_dirs):
            with contextlib.suppress(OSError):  # something else is in it now
                made.rmdir()
        raise
    for part in parts:
        part.unlink()
    with print_file.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    tracker.finish()
    return BatchResult(print_file, digest, sum(r.pages for r in results), tuple(results))


def _render_chunk(
    items: Sequence[BatchItem],
    part: Path,
    token: str,
    title: str,
    logo: str,
    report: _Report,
    cancelled: Callable[[], bool],
) -> _Written:
    """Paint ``items`` into ``part`` with one painter, then split it into each item's file."""
    writer = new_pdf_writer(str(part), title)
    counts: list[int] = []
    with DocumentPainter(writer) as pages:
        for item in items:
            if cancelled():
                raise BatchCancelled()
            counts.append(pages.add(item.html, item.footer, logo=logo))
            report(_RENDER_UNITS)
    del pages, writer  # Qt closes the file
    written: _Written = []
    with pikepdf.open(part) as source:
        first = 0
        for item, count in zip(items, counts, strict=True):
            if cancelled():
                raise BatchCancelled()
            with pikepdf.new() as single:
                single.pages.extend(source.pages[first : first + count])
                single.docinfo["/Title"] = item.footer
                single.docinfo["/Creator"] = CREATOR
                buffer = io.BytesIO()
                single.save(buffer)
            data = buffer.getvalue()
            _partial(item.path, token).write_bytes(data)
            written.append((hashlib.sha256(data).hexdigest(), count))
            first += count
            report(_WRITE_UNITS)
    return written


def _render_in_workers(
    items: Sequence[BatchItem],
    chunks: list[tuple[int, int]],
    parts: list[Path],
    token: str,
    logo: str,
    report: _Report,
    cancelled: Callable[[], bool],
) -> _Written:
    """Render each chunk in its own spawned process; the items' results in order."""
    context = multiprocessing.get_context("spawn")
    messages: multiprocessing.Queue[tuple[Any, ...]] = context.Queue()
    processes: list[BaseProcess] = [
        context.Process(
            target=_worker,
            args=(n, list(items[start:stop]), parts[n], token, logo, messages),
            name=f"debtdesk-render-{n}",
            daemon=True,
        )
        for n, (start, stop) in enumerate(chunks)
    ]
    done: dict[int, _Written] = {}
    try:
        for process in processes:
            process.start()
        while len(done) < len(processes):
            if cancelled():
                raise BatchCancelled()
            try:
                message = messages.get(timeout=0.05)
            except queue.Empty:
                last = _last_words(processes, done, messages, chunks)
                if last is None:
                    continue
                message = last
            kind, n = message[0], message[1]
            if kind == "progress":
                report(message[2])
            elif kind == "done":
                done[n] = message[2]
            else:
                start, stop = chunks[n]
                error = BatchError(f"rendering documents {start + 1}-{stop}: {message[2]}")
                error.add_note(message[3])
                raise error
        for process in processes:
            process.join()
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
            if process.pid is not None:
                process.join()
        messages.close()
    return [entry for n in range(len(processes)) for entry in done[n]]


def _last_words(
    processes: list[BaseProcess],
    done: dict[int, _Written],
    messages: multiprocessing.Queue[tuple[Any, ...]],
    chunks: list[tuple[int, int]],
) -> tuple[Any, ...] | None:
    """A message still in the pipe from a worker that has exited, or None if all are running.

    Raises:
        BatchError: a worker exited without saying why (it crashed or was killed).
    """
    gone = [n for n, process in enumerate(processes) if n not in done and not process.is_alive()]
    if not gone:
        return None
    try:
        return messages.get(timeout=1.0)  # what it sent before exiting is still in flight
    except queue.Empty:
        n = gone[0]
        start, stop = chunks[n]
        code = processes[n].exitcode
        raise BatchError(
            f"the process rendering documents {start + 1}-{stop} stopped (exit code {code})"
        ) from None


def _worker(
    n: int,
    items: list[BatchItem],
    part: Path,
    token: str,
    logo: str,
    messages: multiprocessing.Queue[tuple[Any, ...]],
) -> None:
    """A worker process: render chunk ``n`` and split it, reporting through ``messages``."""
    try:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a worker never needs a display
        ensure_qt()
        written = _render_chunk(
            items,
            part,
            token,
            "",
            logo,
            lambda units: messages.put(("progress", n, units)),
            lambda: False,
        )
        messages.put(("done", n, written))
    except BaseException as exc:  # everything goes back to the caller
        summary = "".join(traceback.format_exception_only(exc)).strip()
        messages.put(("error", n, summary, traceback.format_exc()))


def _merge(parts: list[Path], target: Path, title: str) -> None:
    """Concatenate the part PDFs, in order, into ``target``."""
    sources = [pikepdf.open(part) for part in parts]
    try:
        with pikepdf.new() as merged:
            for source in sources:
                merged.pages.extend(source.pages)
            if title:
                merged.docinfo["/Title"] = title
            merged.docinfo["/Creator"] = CREATOR
            merged.save(target)
    finally:
        for source in sources:
            source.close()


def _commit(items: Sequence[BatchItem], written: _Written, token: str) -> list[ItemResult]:
    """Move each item's file into place; the results with print-file page numbers."""
    results: list[ItemResult] = []
    first_page = 1
    for item, (digest, count) in zip(items, written, strict=True):
        os.replace(_partial(item.path, token), item.path)
        results.append(ItemResult(item.path, digest, first_page, count))
        first_page += count
    return results


def _partial(path: Path, token: str) -> Path:
    """Where ``path`` is written before the run succeeds: a hidden file beside it."""
    return path.with_name(f".{path.name}.{token}.part")


def _make_dirs(paths: list[Path]) -> list[Path]:
    """Create the folders the paths need; the ones created, parents first."""
    made: list[Path] = []
    for folder in dict.fromkeys(path.parent for path in paths):
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        for directory in reversed(missing):
            directory.mkdir(exist_ok=True)
            made.append(directory)
    return made


def _worker_count(item_count: int, workers: int | None) -> int:
    """How many processes to use: one when the batch is small."""
    if workers is None:
        workers = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
    if item_count < MIN_ITEMS_FOR_WORKERS:
        return 1
    return max(1, min(workers, item_count // MIN_ITEMS_PER_WORKER))


def _chunks(item_count: int, count: int) -> list[tuple[int, int]]:
    """``count`` contiguous (start, stop) ranges of near-equal size covering the items."""
    size, extra = divmod(item_count, count)
    bounds: list[tuple[int, int]] = []
    start = 0
    for n in range(count):
        stop = start + size + (1 if n < extra else 0)
        bounds.append((start, stop))
        start = stop
    return bounds


class _Progress:
    """Turns units of work into ``progress(done, total)`` calls, each time ``done`` grows."""

    def __init__(self, total: int, callback: Callable[[int, int], None] | None) -> None:
        self.total = total
        self.callback = callback
        self.units = 0
        self.reported = 0

    def add(self, units: int) -> None:
        """Count ``units`` more work; ``done`` stays below total until :meth:`finish`."""
        self.units += units
        done = min(self.units // _ITEM_UNITS, self.total - 1)
        if done > self.reported and self.callback is not None:
            self.reported = done
            self.callback(done, self.total)

    def finish(self) -> None:
        """Everything is written."""
        if self.callback is not None:
            self.callback(self.total, self.total)
