"""A run's rendering: many documents into one print file and one PDF per account, on all cores.

Documents are painted one after another into a PDF with one painter (the fonts are
embedded once), then that PDF is split into each item's own file with pikepdf, which is
far cheaper than a ``QPdfWriter`` per item. A big batch is cut into contiguous blocks
that worker processes (spawned; each its own Qt) take one at a time as the caller hands
the items over, so rendering starts while the caller is still producing the later
items (its HTML, say); the blocks' PDFs are then joined in order into the print file by
qpdf. Nothing appears at the given paths until everything has been written: a
cancelled or failed run leaves no new file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import multiprocessing
import os
import queue
import secrets
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
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
# Workers take blocks of this many items (fewer for a small batch, never below
# MIN_ITEMS_PER_WORKER): small enough that rendering starts soon after the first items
# arrive and that the workers finish together, big enough that the print file does not
# carry many copies of the fonts (each block's PDF embeds its own).
BLOCK_ITEMS = 250
BLOCKS_PER_WORKER = 4  # at least, when the batch allows it
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
    items: Iterable[BatchItem],
    print_file: Path,
    *,
    count: int | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    title: str = "",
    logo: str = "",
) -> BatchResult:
    """Render ``items`` into one print file, in the order given, and each into its own PDF.

    Args:
        items: The documents; each starts on a new page of the print file. A sequence,
            or an iterable (a generator, say) with ``count``: then the workers render
            the first items while the later ones are still being made.
        print_file: The merged PDF to print and post.
        count: How many items an iterable gives (not needed for a sequence).
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
        ValueError: there are no items, or an iterable gave other than ``count``.
    """
    if isinstance(items, Sequence):
        count = len(items)
    elif count is None:
        items = list(items)
        count = len(items)
    if not count:
        raise ValueError("a batch needs at least one document")
    is_cancelled = cancelled or (lambda: False)
    tracker = _Progress(count, progress)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    print_partial = _partial(print_file, token)
    made_dirs = _make_dirs([print_file])
    handed: list[BatchItem] = []  # the items taken so far, in order
    parts: list[Path] = []
    try:
        processes = _worker_count(count, workers)
        if processes == 1:
            handed.extend(_exactly(items, count))
            made_dirs += _make_dirs([item.path for item in handed])
            ensure_qt()
            written = _render_chunk(
                handed, print_partial, token, title, logo, tracker.add, is_cancelled
            )
        else:
            blocks = _Blocks(items, count, _block_size(count, processes), print_file, token)
            parts = blocks.parts  # filled in as the blocks are handed out
            written = _render_in_workers(
                blocks, processes, logo, title, tracker.add, is_cancelled, handed, made_dirs
            )
            _merge(parts, print_partial)
        if is_cancelled():
            raise BatchCancelled()
        results = _commit(handed, written, token)
        os.replace(print_partial, print_file)
    except BaseException:
        for partial in [*(_partial(item.path, token) for item in handed), print_partial, *parts]:
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


def _exactly(items: Iterable[BatchItem], count: int) -> Iterator[BatchItem]:
    """The items, checking there are ``count`` of them.

    Raises:
        ValueError: there are more or fewer.
    """
    given = 0
    for item in items:
        given += 1
        if given > count:
            raise ValueError(f"the batch was said to have {count} documents but has more")
        yield item
    if given != count:
        raise ValueError(f"the batch was said to have {count} documents but has {given}")


class _Blocks:
    """The items cut into contiguous blocks as they arrive: ``(number, items, part PDF)``."""

    def __init__(
        self, items: Iterable[BatchItem], count: int, size: int, print_file: Path, token: str
    ) -> None:
        self.count = count
        self.bounds: list[tuple[int, int]] = []  # (start, stop) of each block handed out
        self.parts: list[Path] = []  # each block's PDF, in order
        self._items = _exactly(items, count)
        self._size = size
        self._print_file = print_file
        self.token = token

    def __iter__(self) -> Iterator[tuple[int, list[BatchItem], Path]]:
        start = 0
        while start < self.count:
            block = list(islice(self._items, self._size))
            if not block:
                break
            number = len(self.bounds)
            part = _partial(self._print_file, f"{self.token}-part{number}")
            self.bounds.append((start, start + len(block)))
            self.parts.append(part)
            yield number, block, part
            start += len(block)
        for _ in self._items:  # the check that there are no more than count
            pass

    def describe(self, number: int) -> str:
        start, stop = self.bounds[number]
        return f"{start + 1}-{stop}"


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
        # Once: pikepdf copies the whole page list each time one is looked up.
        source_pages = list(source.pages)
        first = 0
        for item, count in zip(items, counts, strict=True):
            if cancelled():
                raise BatchCancelled()
            with pikepdf.new() as single:
                single.pages.extend(source_pages[first : first + count])
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
    blocks: _Blocks,
    processes: int,
    logo: str,
    title: str,
    report: _Report,
    cancelled: Callable[[], bool],
    handed: list[BatchItem],
    made_dirs: list[Path],
) -> _Written:
    """Render the blocks in spawned worker processes as they arrive; the results in order.

    The workers start first (Python and Qt take a moment), then each block is handed
    over as soon as its items exist; whichever worker is free takes the next.
    """
    context = multiprocessing.get_context("spawn")
    tasks: multiprocessing.Queue[tuple[int, list[BatchItem], Path] | None] = context.Queue()
    messages: multiprocessing.Queue[tuple[Any, ...]] = context.Queue()
    workers: list[BaseProcess] = [
        context.Process(
            target=_worker,
            args=(n, tasks, messages, blocks.token, logo, title),
            name=f"debtdesk-render-{n}",
            daemon=True,
        )
        for n in range(processes)
    ]
    done: dict[int, _Written] = {}
    taken: dict[int, int] = {}  # worker -> the block it is on

    def handle(message: tuple[Any, ...]) -> None:
        kind, n = message[0], message[1]
        if kind == "progress":
            report(message[2])
        elif kind == "start":
            taken[n] = message[2]
        elif kind == "done":
            done[message[2]] = message[3]
            taken.pop(n, None)
        else:
            what = (
                f"rendering documents {blocks.describe(message[2])}"
                if message[2] >= 0
                else "starting a rendering process"
            )
            error = BatchError(f"{what}: {message[3]}")
            error.add_note(message[4])
            raise error

    try:
        for worker in workers:
            worker.start()
        for number, block, part in blocks:
            if cancelled():
                raise BatchCancelled()
            handed.extend(block)
            made_dirs += _make_dirs([item.path for item in block])
            tasks.put((number, block, part))
            while True:  # what the workers said meanwhile
                try:
                    handle(messages.get_nowait())
                except queue.Empty:
                    break
        for _ in workers:
            tasks.put(None)
        while len(done) < len(blocks.bounds):
            if cancelled():
                raise BatchCancelled()
            try:
                message = messages.get(timeout=0.05)
            except queue.Empty:
                last = _last_words(workers, taken, done, messages, blocks)
                if last is None:
                    continue
                message = last
            handle(message)
        for worker in workers:
            worker.join()
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
            if worker.pid is not None:
                worker.join()
        tasks.cancel_join_thread()  # blocks never taken need not reach a worker
        tasks.close()
        messages.close()
    return [entry for number in range(len(blocks.bounds)) for entry in done[number]]


def _last_words(
    workers: list[BaseProcess],
    taken: dict[int, int],
    done: dict[int, _Written],
    messages: multiprocessing.Queue[tuple[Any, ...]],
    blocks: _Blocks,
) -> tuple[Any, ...] | None:
    """A message still in the pipe from a worker that has exited, or None if all is well.

    Raises:
        BatchError: a worker exited without saying why (it crashed or was killed), or
            every worker has gone with blocks still to render.
    """
    gone = [n for n, worker in enumerate(workers) if not worker.is_alive()]
    if not gone:
        return None
    try:
        return messages.get(timeout=1.0)  # what it sent before exiting is still in flight
    except queue.Empty:
        pass
    for n in gone:
        if n in taken:
            raise BatchError(
                f"the process rendering documents {blocks.describe(taken[n])} stopped "
                f"(exit code {workers[n].exitcode})"
            ) from None
    if len(gone) == len(workers) and len(done) < len(blocks.bounds):
        codes = ", ".join(str(worker.exitcode) for worker in workers)
        raise BatchError(f"the rendering processes stopped (exit codes {codes})") from None
    return None


def _worker(
    n: int,
    tasks: multiprocessing.Queue[tuple[int, list[BatchItem], Path] | None],
    messages: multiprocessing.Queue[tuple[Any, ...]],
    token: str,
    logo: str,
    title: str,
) -> None:
    """A worker process: render blocks until told to stop, reporting through ``messages``.

    It also stops, leaving the rest, once the process that started it has gone (killed,
    say): nothing would collect its work, and the next run clears its folder away.
    """
    number = -1
    parent = multiprocessing.parent_process()

    def orphaned() -> bool:
        return parent is not None and not parent.is_alive()

    try:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a worker never needs a display
        ensure_qt()
        while True:
            try:
                task = tasks.get(timeout=1.0)
            except queue.Empty:
                if orphaned():
                    return
                continue
            if task is None:
                return
            number, items, part = task
            messages.put(("start", n, number))
            written = _render_chunk(
                items,
                part,
                token,
                title,
                logo,
                lambda units: messages.put(("progress", n, units)),
                orphaned,
            )
            messages.put(("done", n, number, written))
    except BaseException as exc:  # everything goes back to the caller
        summary = "".join(traceback.format_exception_only(exc)).strip()
        messages.put(("error", n, number, summary, traceback.format_exc()))


def _merge(parts: list[Path], target: Path) -> None:
    """Join the blocks' PDFs, in order, into ``target``, keeping the first one's metadata.

    qpdf's own page copying, not pikepdf's page list (which copies the whole list for
    every page it adds: 18 s instead of 2.5 s for 22,000 pages).
    """
    job = {
        "inputFile": str(parts[0].absolute()),
        "outputFile": str(target.absolute()),
        "pages": [{"file": "."}, *({"file": str(part.absolute())} for part in parts[1:])],
    }
    run = pikepdf.Job(json.dumps(job))
    run.run()
    if run.exit_code not in (0, 3):  # 3: done, with warnings
        raise BatchError(f"joining the print file failed (qpdf exit code {run.exit_code})")


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


def _block_size(item_count: int, workers: int) -> int:
    """Items to a block: :data:`BLOCK_ITEMS`, or fewer so each worker gets several."""
    wanted = item_count // (workers * BLOCKS_PER_WORKER)
    return max(MIN_ITEMS_PER_WORKER, min(BLOCK_ITEMS, wanted))


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
