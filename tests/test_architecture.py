"""Module boundaries (STYLE.md 1): import-linter's contracts hold, and they bite.

``domain/`` imports only the standard library and small pure libraries (dateutil,
holidays); never Qt, SQLAlchemy, Alembic, openpyxl or another part of debtdesk.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ROOT / "debtdesk" / "domain"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PURE_LIBRARIES = {"dateutil", "holidays"}
FORBIDDEN = {"PySide6", "sqlalchemy", "alembic", "openpyxl"}


def _lint_imports(cwd: Path, extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_import_linter_contracts_are_kept() -> None:
    result = _lint_imports(ROOT)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "Contracts: 3 kept, 0 broken." in report
    assert "domain is pure" in report and "gui never touches SQLAlchemy" in report


def _copy_of_project(tmp_path: Path) -> Path:
    """The debtdesk package and pyproject.toml (so the project's own contracts), copied."""
    shutil.copytree(
        ROOT / "debtdesk", tmp_path / "debtdesk", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path / "debtdesk"


@pytest.mark.parametrize(
    ("module", "intruder", "contract"),
    [
        ("domain/money.py", "import sqlalchemy", "domain is pure"),
        ("domain/money.py", "from PySide6 import QtCore", "domain is pure"),
        ("domain/periods.py", "import openpyxl", "domain is pure"),
        ("domain/periods.py", "from debtdesk.services import ledger", "domain is pure"),
        ("gui/formatting.py", "from sqlalchemy import select", "gui never touches SQLAlchemy"),
        ("gui/formatting.py", "from debtdesk.db import models", "gui never touches SQLAlchemy"),
        ("documents/context.py", "from debtdesk.db import models", "documents render what"),
        ("documents/context.py", "import sqlalchemy", "documents render what"),
    ],
)
def test_the_contracts_bite(tmp_path: Path, module: str, intruder: str, contract: str) -> None:
    """The same check on a copy of the project with one forbidden import added."""
    package = _copy_of_project(tmp_path)
    path = package / module
    path.write_text(path.read_text() + f"\n{intruder}  # an intruder\n")
    result = _lint_imports(tmp_path, extra_path=tmp_path)
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert f"debtdesk.{module[:-3].replace('/', '.')}" in report
    # An impure domain module also breaks the documents contract (documents use domain).
    broken = [line for line in report.splitlines() if line.endswith(" BROKEN")]
    assert any(line.startswith(contract) for line in broken), broken


# --- the same rule, checked without import-linter ----------------------------------------


def imported_modules(source: str, module: str) -> list[str]:
    """Every module a source file imports, relative imports made absolute."""
    package = module.rsplit(".", 1)[0]
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            found.append(stem)
            # `from debtdesk import db` imports debtdesk.db
            found += [f"{stem}.{alias.name}" for alias in node.names if stem == "debtdesk"]
    return found


def impure_imports(source: str, module: str) -> list[str]:
    """The imports a domain module may not make: anything but the standard library,
    dateutil, holidays and debtdesk.domain itself."""
    bad = []
    for name in imported_modules(source, module):
        top = name.split(".")[0]
        if top == "debtdesk":
            if name != "debtdesk" and not (
                name == "debtdesk.domain" or name.startswith("debtdesk.domain.")
            ):
                bad.append(name)
        elif top in FORBIDDEN or (
            top not in sys.stdlib_module_names and top not in PURE_LIBRARIES | {"__future__"}
        ):
            bad.append(name)
    return bad


def test_no_domain_module_imports_anything_impure() -> None:
    modules = sorted(DOMAIN.rglob("*.py"))
    assert len(modules) >= 5
    offenders = {
        str(path.relative_to(ROOT)): bad
        for path in modules
        if (
            bad := impure_imports(
                path.read_text(),
                "debtdesk." + ".".join(path.relative_to(ROOT / "debtdesk").with_suffix("").parts),
            )
        )
    }
    assert offenders == {}


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("import sqlalchemy", ["sqlalchemy"]),
        ("from sqlalchemy.orm import Session", ["sqlalchemy.orm"]),
        ("import PySide6.QtCore", ["PySide6.QtCore"]),
        ("import alembic", ["alembic"]),
        ("def f():\n    import openpyxl\n", ["openpyxl"]),  # hidden in a function
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import sqlalchemy\n",
         ["sqlalchemy"]),
        ("from debtdesk.db.models import Account", ["debtdesk.db.models"]),
        ("from debtdesk import services", ["debtdesk.services"]),
        ("from .. import gui", ["debtdesk.gui"]),
        ("from ..services.ledger import post_entry", ["debtdesk.services.ledger"]),
        ("import requests", ["requests"]),
        # allowed:
        ("from . import money\nfrom .periods import Period", []),
        ("from debtdesk.domain.money import Pence", []),
        ("from __future__ import annotations\nimport re, datetime\nfrom decimal import Decimal",
         []),
        ("from dateutil.relativedelta import relativedelta\nimport holidays", []),
    ],
)  # fmt: skip
def test_the_scan_catches_impure_imports(source: str, bad: list[str]) -> None:
    assert impure_imports(source, "debtdesk.domain.example") == bad
