"""Guard for the PySide6 pin (see TECH notes, "Qt: pin PySide6 6.11.3 on Python 3.11").

PySide6 6.12.0 on Python 3.11 drops the reference count of ``None`` by one on every
binding call that returns void; after a few thousand calls the process aborts with
``Fatal Python error: none_dealloc``. This test fails cleanly (before the crash) if
such a build sneaks in.
"""

from __future__ import annotations

import os
import sys

import PySide6
import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

# tests/conftest.py sets this too; keep the guard runnable on its own, without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PINNED_PYSIDE6 = "6.11.3"
CALLS = 10_000
BATCH = 100
TOLERANCE = 50  # unrelated interpreter noise; a leaky build drifts by one per call

# References handed back to None if a leaky build is detected, so that the interpreter
# does not abort at exit (none_dealloc) and the failure is reported normally.
_repaired_refs: list[None] = []


def test_pyside6_is_pinned_version() -> None:
    assert PySide6.__version__ == PINNED_PYSIDE6, (
        f"PySide6 {PySide6.__version__} is installed but {PINNED_PYSIDE6} is pinned; "
        "6.12.0 on Python 3.11 corrupts the refcount of None. Reinstall with "
        "`make setup` (or pip install -e '.[dev]')."
    )


def test_void_calls_keep_refcount_of_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    label.setText("x")  # warm up: first call may create caches

    before = sys.getrefcount(None)
    for done in range(BATCH, CALLS + 1, BATCH):
        for _ in range(BATCH):
            label.setText("x")
        drift = sys.getrefcount(None) - before
        if abs(drift) > TOLERANCE:
            if drift < 0:
                _repaired_refs.extend([None] * -drift)
            pytest.fail(
                f"sys.getrefcount(None) changed by {drift} after {done} QLabel.setText() "
                f"calls: this PySide6 ({PySide6.__version__}) build corrupts the refcount "
                f"of None on Python {sys.version.split()[0]}; pin PySide6 {PINNED_PYSIDE6}."
            )
    assert label.text() == "x"
