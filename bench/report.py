"""Figures and their verdicts: a measurement's samples, its floor and target; the table and JSON.

A time target passes when the p95 is under the limit; a floor target when the median is
within the allowed ratio of the floor's median. Both must hold where both are set.
"""

from __future__ import annotations

import json
import math
import platform
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def p95(samples: list[float]) -> float:
    """The 95th percentile by nearest rank (the 19th of 20 samples)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Measurement:
    """One row of the table: samples of the thing measured, and of its floor if it has one."""

    name: str
    size: int
    samples: list[float]
    floor: list[float] | None = None
    limit: float | None = None  # the p95 must be under this
    max_ratio: float | None = None  # the median must be within this multiple of the floor's
    unit: str = "ms"
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return p95(self.samples)

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor) if self.floor else None

    @property
    def ratio(self) -> float | None:
        floor = self.floor_median
        return self.median / floor if floor else None

    @property
    def target(self) -> str:
        parts = []
        if self.max_ratio is not None:
            parts.append(f"≤{self.max_ratio:g}× floor")
        if self.limit is not None:
            parts.append(f"p95 <{self.limit:,g} {self.unit}")
        return ", ".join(parts)

    @property
    def passed(self) -> bool | None:
        """True or False against the target; None when there is no target."""
        if self.limit is None and self.max_ratio is None:
            return None
        ok = True
        if self.limit is not None:
            ok = ok and self.p95 < self.limit
        if self.max_ratio is not None:
            ratio = self.ratio
            ok = ok and ratio is not None and ratio <= self.max_ratio
        return ok

    def as_json(self) -> dict[str, Any]:
        return {
            "measurement": self.name,
            "size": self.size,
            "unit": self.unit,
            "n": len(self.samples),
            "median": round(self.median, 3),
            "p95": round(self.p95, 3),
            "min": round(min(self.samples), 3),
            "floor_median": None if self.floor_median is None else round(self.floor_median, 3),
            "floor_p95": None if not self.floor else round(p95(self.floor), 3),
            "ratio_to_floor": None if self.ratio is None else round(self.ratio, 2),
            "target": self.target or None,
            "limit": self.limit,
            "max_ratio": self.max_ratio,
            "passed": self.passed,
            "note": self.note or None,
            "details": self.details,
        }


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms" and value >= 10_000:
        return f"{value / 1000:,.1f} s"
    digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:,.{digits}f} {unit}"


def table(measurements: list[Measurement]) -> str:
    """A plain-text table, one row per measurement, columns aligned."""
    header = ("measurement", "size", "median", "p95", "floor", "ratio", "target", "result")
    rows = [header]
    for m in measurements:
        verdict = {True: "pass", False: "FAIL", None: "—"}[m.passed]
        rows.append(
            (
                m.name,
                f"{m.size:,}",
                _number(m.median, m.unit),
                _number(m.p95, m.unit),
                _number(m.floor_median, m.unit),
                "—" if m.ratio is None else f"{m.ratio:.2f}×",
                m.target or "—",
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {1, 2, 3, 4, 5}
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append(" | ".join(cells).rstrip())
        if number == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    import sqlite3

    import sqlalchemy

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "machine": platform.machine(),
        "cpus": __import__("os").cpu_count(),
    }
    try:
        import PySide6

        info["pyside6"] = PySide6.__version__
    except ImportError:
        pass
    return info


def write_json(path: Path, measurements: list[Measurement], extra: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        **extra,
        "environment": environment(),
        "results": [m.as_json() for m in measurements],
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
