"""``debtdesk --self-test``: passes on this source; fails at the step whose part is missing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from debtdesk import resources
from debtdesk.db import migrate
from debtdesk.selftest import run_self_test

ROOT = Path(__file__).resolve().parents[2]
STEPS = ["resources", "database", "demo caseload", "statement PDFs", "workbook", "main window"]


def test_the_self_test_passes_from_source(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("DEBTDESK_DB", None)
    env.pop("QT_QPA_PLATFORM", None)  # it must choose offscreen itself: there is no display
    env["TMPDIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "debtdesk", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("debtdesk ") and "(from source, linux)" in lines[0]
    results = [line for line in lines if line.startswith("self-test: ")]
    assert [line.split(":")[1].strip() for line in results[:-1]] == STEPS
    assert all(": ok in " in line for line in results[:-1])
    assert re.fullmatch(r"self-test: PASSED in \d+\.\d s", results[-1])
    by_step = dict(zip(STEPS, results, strict=False))
    assert f"schema revision {migrate.SCHEMA_HEAD}" in by_step["database"]
    assert "120 accounts" in by_step["demo caseload"]
    assert "DejaVuSans" in by_step["statement PDFs"]
    assert "the demo's balance" in by_step["workbook"]
    assert "(Qt platform offscreen)" in by_step["main window"]
    # It cleaned up after itself: its temporary folder is gone.
    assert list(tmp_path.iterdir()) == []


def test_missing_resources_fail_the_first_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "resources"
    shutil.copytree(resources.resources_folder(), broken)
    (broken / "fonts" / "DejaVuSans.ttf").unlink()
    monkeypatch.setattr(resources, "resources_folder", lambda: broken)

    assert run_self_test() == 1

    out = capsys.readouterr().out
    assert f"self-test: resources: FAILED: {broken / 'fonts' / 'DejaVuSans.ttf'} is missing" in out
    assert "self-test: database" not in out and "PASSED" not in out


def test_a_missing_migration_script_fails_the_database_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    newest = sorted((scripts / "versions").glob(f"{migrate.SCHEMA_HEAD}_*.py"))
    assert len(newest) == 1
    newest[0].unlink()  # as if the bundle had left the newest script out
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    previous = f"{int(migrate.SCHEMA_HEAD) - 1:04d}"

    assert run_self_test() == 1

    out = capsys.readouterr().out
    assert "self-test: resources: ok" in out
    assert (
        f"self-test: database: FAILED: the migration scripts end at {previous}, "
        f"this build needs {migrate.SCHEMA_HEAD}"
    ) in out
    assert "PASSED" not in out
