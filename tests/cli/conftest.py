"""Fixtures for the CLI tests: a demo caseload built once per module by the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BACKEND
from tests.services.support import make_db  # noqa: F401  (a fixture)

DEBTDESK = Path(sys.executable).with_name("debtdesk")  # the console script of this venv


def run_debtdesk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed ``debtdesk`` command in a child process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DEBTDESK_DB", None)
    return subprocess.run(
        [str(DEBTDESK), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


@dataclass(frozen=True)
class DemoDatabase:
    url: str
    demo: dict[str, Any]  # what `demo --json` printed
    check: dict[str, Any]  # what `check --json` printed then
    check_exit: int


@pytest.fixture(scope="module")
def demo_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoDatabase]:
    """200 accounts, seed 7, ending 23 Nov 2026, made by `debtdesk demo` in a subprocess."""
    folder = tmp_path_factory.mktemp("cli-demo")
    server = request.getfixturevalue("pg_server") if BACKEND == "postgresql" else None
    if server is not None:
        name = f"cli{os.getpid()}_{folder.name.replace('-', '_')}"
        server.create_database(name, template="template_debtdesk")  # type: ignore[attr-defined]
        url = server.url(name)  # type: ignore[attr-defined]
    else:
        url = f"sqlite:///{folder / 'demo.sqlite'}"
    built = run_debtdesk(
        "--db", url, "demo", "--accounts", "200", "--seed", "7", "--json",
        "--as-of", "2026-11-23", cwd=folder,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    checked = run_debtdesk("--db", url, "check", "--json", cwd=folder)
    yield DemoDatabase(
        url, json.loads(built.stdout), json.loads(checked.stdout), checked.returncode
    )
    if server is not None:
        server.drop_database(name)  # type: ignore[attr-defined]
