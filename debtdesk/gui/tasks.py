"""Work off the GUI thread: ``run_task`` for reads, ``run_write`` for writes.

Modelled on Picard's ``picard.util.thread.run_task``. Reads run on a shared pool and may
overlap; writes (opening and migrating a database, later posting and importing) run on a
single-worker pool so they happen one at a time, in the order asked. ``on_done`` and
``on_error`` are always called on the GUI thread, through a queued signal.

Tests set :data:`SYNCHRONOUS` (see ``tests/gui/conftest.py``): the function then runs at
once on the calling thread and its callback before ``run_task`` returns, as Picard's test
thread pool does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal, Slot

T = TypeVar("T")

SYNCHRONOUS = False
"""Run tasks at once on the calling thread (for tests)."""

READ_THREADS = 4

_log = logging.getLogger(__name__)
_pools: dict[str, QThreadPool] = {}
_relay: _Relay | None = None


class _Relay(QObject):
    """Lives on the GUI thread; a callable emitted from a worker is called there."""

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._call)

    @Slot(object)
    def _call(self, callback: Callable[[], None]) -> None:
        callback()


def _get_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None:
            _relay.moveToThread(app.thread())
    return _relay


def _pool(name: str) -> QThreadPool:
    pool = _pools.get(name)
    if pool is None:
        pool = QThreadPool()
        pool.setObjectName(f"debtdesk-{name}")
        pool.setMaxThreadCount(1 if name == "writes" else READ_THREADS)
        _pools[name] = pool
    return pool


def _finish(
    outcome: tuple[bool, Any],
    on_done: Callable[[Any], None] | None,
    on_error: Callable[[Exception], None] | None,
    owner: QObject | None,
) -> None:
    if owner is not None and not shiboken6.isValid(owner):
        return  # the widget that asked has gone; nobody wants the answer
    ok, value = outcome
    if ok:
        if on_done is not None:
            on_done(value)
    elif on_error is not None:
        on_error(value)
    elif SYNCHRONOUS:
        raise value
    else:
        _log.error("background task failed", exc_info=value)


def _submit(
    pool_name: str,
    func: Callable[[], T],
    on_done: Callable[[T], None] | None,
    on_error: Callable[[Exception], None] | None,
    owner: QObject | None,
) -> None:
    if SYNCHRONOUS:
        try:
            outcome: tuple[bool, Any] = (True, func())
        except Exception as exc:  # handed to on_error, as in threaded mode
            outcome = (False, exc)
        _finish(outcome, on_done, on_error, owner)
        return

    relay = _get_relay()

    def work() -> None:
        try:
            result: tuple[bool, Any] = (True, func())
        except Exception as exc:  # handed to on_error on the GUI thread
            result = (False, exc)
        relay.deliver.emit(partial(_finish, result, on_done, on_error, owner))

    _pool(pool_name).start(work)


def run_task(
    func: Callable[[], T],
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    *,
    owner: QObject | None = None,
) -> None:
    """Run a read ``func`` on the read pool; then ``on_done(result)`` or ``on_error(exc)``.

    Args:
        func: the work; it must not touch widgets.
        on_done: called on the GUI thread with what ``func`` returned.
        on_error: called on the GUI thread with the exception ``func`` raised; without
            it the exception is logged (raised, in synchronous mode).
        owner: a widget whose deletion cancels the callbacks.
    """
    _submit("reads", func, on_done, on_error, owner)


def run_write(
    func: Callable[[], T],
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    *,
    owner: QObject | None = None,
) -> None:
    """Like :func:`run_task`, on the single-worker pool: writes run one at a time, in order."""
    _submit("writes", func, on_done, on_error, owner)


def wait_for_tasks(msecs: int = 30_000) -> bool:
    """Wait for running tasks to finish (at exit); False if some were still running."""
    return all(pool.waitForDone(msecs) for pool in _pools.values())
