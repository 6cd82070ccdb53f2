"""The statement run as a whole: once only, in order, all or nothing, one at a time.

Each test runs on a private copy of the shared demo caseload (60 accounts, seed 3, to
23/11/2026), whose last statement run on record is the period ending 08/11/2026; the next
period is 09/11/2026 to 06/12/2026, with its statements dated 07/12/2026.

"Nothing left behind" is proven by counting every table's rows before and after, and by
listing the output folder: no ``statements-<end>`` folder and no ``.partial`` one.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from debtdesk.db.models import Batch, Document, Invoice, LedgerEntry, Statement
from debtdesk.documents.batch import render_batch
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.services import ledger, statement_run
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.settings import Settings
from debtdesk.services.statement_run import RUN_KIND, RunCancelled, StatementRuns
from tests.conftest import BACKEND
from tests.services.support import add_account, add_care, table_counts

END = date(2026, 12, 6)  # the period after the demo's last run (ending 08/11/2026)
STATEMENT_DATE = date(2026, 12, 7)
FOLDER = "statements-2026-12-06"
STAGING = ".statements-2026-12-06.partial"


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """Rendering needs Qt: let pytest-qt make the (widget) application, not the run."""


def _files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path -> SHA-256), hidden ones included."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _left_in(out: Path) -> list[str]:
    """What a run left in its output folder (names, hidden ones included)."""
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


def _run_rows(db: Database) -> tuple[int, int, int, int]:
    """(statements for the period, their invoices, documents of the runs, run batches)."""
    with db.sessions() as s:
        batches = s.scalars(
            select(Batch.id).where(Batch.kind == RUN_KIND, Batch.as_of == STATEMENT_DATE)
        ).all()
        count = func.count()
        return (
            s.scalar(select(count).where(Statement.period_end == END)) or 0,
            s.scalar(select(count).where(Invoice.batch_id.in_(batches))) or 0,
            s.scalar(select(count).where(Document.batch_id.in_(batches))) or 0,
            len(batches),
        )


def _assert_issued_once(db: Database, out: Path, issued: int) -> None:
    """The period's run is on record exactly once, and its statements agree with the ledger."""
    statements, invoices, documents, batches = _run_rows(db)
    assert batches == 1
    assert statements == issued > 0
    assert documents == issued + 1  # one per statement, and the print file
    with db.sessions() as s:
        # At most one invoice an account: the statement's own.
        invoiced = s.scalar(
            select(func.count(func.distinct(Statement.invoice_id))).where(
                Statement.period_end == END
            )
        )
        assert invoices == invoiced
        rows = s.execute(
            select(Statement.account_id, Statement.closing_balance, Document.path)
            .join(Document, Document.id == Statement.document_id)
            .where(Statement.period_end == END)
        ).all()
    assert len({account for account, _, _ in rows}) == issued  # one statement an account
    accounts = Accounts(db)
    for account_id, closing, path in rows:
        assert accounts.detail_by_id(account_id, STATEMENT_DATE).balance == closing
        assert Path(path).parent.parent == out / FOLDER
    assert len(_files(out / FOLDER / "accounts")) == issued
    assert not (out / STAGING).exists()
    assert check(db).ok


def test_a_repeated_run_issues_nothing_new(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    preview = StatementRuns(demo).preview(END)
    first = StatementRuns(demo).run(END, out)

    assert (first.issued, first.already_issued) == (preview.statements, 0)
    assert first.total_charged == preview.total_charged
    assert (first.out, first.print_file) == (out / FOLDER, out / FOLDER / "print-2026-12-06.pdf")
    _assert_issued_once(demo, out, first.issued)
    with demo.sessions() as s:
        # total_charged is what the run posted: its charges and credits, nothing else.
        posted = s.scalar(
            select(func.sum(LedgerEntry.amount)).where(
                LedgerEntry.batch_id.in_(
                    select(Batch.id).where(Batch.kind == RUN_KIND, Batch.as_of == STATEMENT_DATE)
                ),
                LedgerEntry.kind.in_((EntryKind.CHARGE, EntryKind.CREDIT)),
            )
        )
    assert first.total_charged == int(posted or 0)
    # An account the run passed over had nothing charged and owed nothing.
    with demo.sessions() as s:
        stated = set(s.scalars(select(Statement.account_id).where(Statement.period_end == END)))
        passed_over = [
            a for a in s.scalars(select(LedgerEntry.account_id).distinct()) if a not in stated
        ]
    for account_id in passed_over:
        assert Accounts(demo).detail_by_id(account_id, STATEMENT_DATE).balance == 0
    counts, files = table_counts(demo.engine), _files(out)

    again = StatementRuns(demo).run(END, out)

    assert (again.issued, again.already_issued, again.total_charged) == (0, first.issued, 0)
    assert (again.out, again.print_file) == (first.out, first.print_file)
    assert table_counts(demo.engine) == counts
    assert _files(out) == files
    repeat = StatementRuns(demo).preview(END)
    assert (repeat.statements, repeat.already_issued) == (0, first.issued)


def test_a_period_before_the_last_run_is_refused(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    counts = table_counts(demo.engine)
    # The demo's last run was for the period ending 08/11/2026; 11/10/2026 is the one before.
    with pytest.raises(BadInput, match=r"2026-11-08.*earlier period \(2026-10-11\)"):
        StatementRuns(demo).run(date(2026, 10, 11), out)
    assert table_counts(demo.engine) == counts

    first = StatementRuns(demo).run(END, out)
    counts, files = table_counts(demo.engine), _files(out)
    with pytest.raises(BadInput, match=r"2026-12-06.*earlier period \(2026-11-08\)"):
        StatementRuns(demo).run(date(2026, 11, 8), out)
    assert table_counts(demo.engine) == counts
    assert _files(out) == files
    _assert_issued_once(demo, out, first.issued)


def test_a_day_that_ends_no_period_is_refused_naming_the_nearest_ends(
    demo: Database, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    counts = table_counts(demo.engine)
    # 01/12/2026 is in the period 09/11/2026 - 06/12/2026; the one before ended 08/11/2026.
    with pytest.raises(BadInput) as refused:
        StatementRuns(demo).run(date(2026, 12, 1), out)
    assert str(refused.value) == (
        "2026-12-01 is not the last day of a 4-weekly period; "
        "the nearest period ends are 2026-11-08 and 2026-12-06"
    )
    # The day after a period ends starts the next: its nearest ends are 06/12 and 03/01.
    with pytest.raises(BadInput, match="2026-12-06 and 2027-01-03"):
        StatementRuns(demo).run(date(2026, 12, 7), out)
    assert table_counts(demo.engine) == counts
    assert _left_in(out) == []


def _fail_after(calls: int, real: Callable[..., Any], error: Exception) -> Callable[..., Any]:
    """``real``, which raises ``error`` on its call after the first ``calls``."""
    made = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal made
        if made == calls:
            raise error
        made += 1
        return real(*args, **kwargs)

    return wrapper


def test_a_failure_part_way_through_charging_leaves_nothing_then_a_rerun_completes_once(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    expected = StatementRuns(demo).preview(END)
    counts = table_counts(demo.engine)
    invoices = _fail_after(7, statement_run.post_statement, RuntimeError("disk on fire"))
    monkeypatch.setattr("debtdesk.services.statement_run.post_statement", invoices)

    with pytest.raises(RuntimeError, match="disk on fire"):
        StatementRuns(demo).run(END, out)

    assert table_counts(demo.engine) == counts  # no invoice, entry, statement, batch…
    assert _left_in(out) == []
    monkeypatch.undo()
    result = StatementRuns(demo).run(END, out)
    assert (result.issued, result.total_charged) == (expected.statements, expected.total_charged)
    _assert_issued_once(demo, out, result.issued)
    again = StatementRuns(demo).run(END, out)
    assert (again.issued, again.already_issued) == (0, result.issued)


def test_a_failure_after_the_files_are_written_leaves_none_of_them(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    counts = table_counts(demo.engine)
    real = render_batch
    rendered: list[Path] = []

    def render_then_fail(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        rendered.append(result.print_file)
        assert result.print_file.exists()  # the files really were written
        raise OSError("the archive share went away")

    monkeypatch.setattr("debtdesk.services.statement_run.render_batch", render_then_fail)
    with pytest.raises(OSError, match="archive share"):
        StatementRuns(demo).run(END, out)

    assert rendered and not rendered[0].exists()
    assert table_counts(demo.engine) == counts
    assert _left_in(out) == []
    monkeypatch.undo()
    result = StatementRuns(demo).run(END, out)
    _assert_issued_once(demo, out, result.issued)


def _audit_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's last step before it commits (its audit record) fails."""

    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr("debtdesk.services.statement_run.audit.record", fail)


def test_a_failure_as_the_run_commits_keeps_nothing_in_the_database(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    counts = table_counts(demo.engine)
    _audit_fails(monkeypatch)
    with pytest.raises(RuntimeError, match="audit trail"):
        StatementRuns(demo).run(END, out)
    assert table_counts(demo.engine) == counts
    assert not (out / FOLDER).exists()
    monkeypatch.undo()
    # Whatever the failed run left in its staging folder, the next run clears it away.
    result = StatementRuns(demo).run(END, out)
    _assert_issued_once(demo, out, result.issued)
    assert _left_in(out) == [FOLDER]


def test_a_failure_as_the_run_commits_leaves_no_staging_folder(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _audit_fails(monkeypatch)
    with pytest.raises(RuntimeError, match="audit trail"):
        StatementRuns(demo).run(END, out)
    assert _left_in(out) == []


def test_a_run_whose_folder_was_not_moved_into_place_is_finished_by_the_rerun(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Committed, then stopped before its staging folder became the run's folder."""
    out = tmp_path / "out"
    real_rename = Path.rename

    def crash_on_moving(self: Path, target: Any) -> Any:
        if self.name == STAGING:
            raise KeyboardInterrupt  # the power went, say
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", crash_on_moving)
    with pytest.raises(KeyboardInterrupt):
        StatementRuns(demo).run(END, out)
    monkeypatch.undo()
    assert _left_in(out) == [STAGING]
    issued = _run_rows(demo)[0]
    assert issued > 0  # the run's transaction had committed

    again = StatementRuns(demo).run(END, out)

    assert (again.issued, again.already_issued) == (0, issued)
    assert _left_in(out) == [FOLDER]
    _assert_issued_once(demo, out, issued)
    with demo.sessions() as s:
        for path, sha256 in s.execute(
            select(Document.path, Document.sha256).where(Document.path.is_not(None))
        ):
            assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == sha256


@pytest.mark.parametrize("when", ["at once", "part-way through rendering"])
def test_a_cancelled_run_keeps_nothing(demo: Database, tmp_path: Path, when: str) -> None:
    out = tmp_path / "out"
    counts = table_counts(demo.engine)
    rendered = 0

    def progress(stage: str, done: int, _total: int) -> None:
        nonlocal rendered
        if stage == "Rendering statements":
            rendered = done

    def cancelled() -> bool:
        return when == "at once" or rendered >= 10

    with pytest.raises(RunCancelled):
        StatementRuns(demo).run(END, out, progress=progress, cancelled=cancelled)

    assert (rendered >= 10) == (when != "at once")
    assert table_counts(demo.engine) == counts
    assert _left_in(out) == []
    result = StatementRuns(demo).run(END, out)
    _assert_issued_once(demo, out, result.issued)


def test_a_second_run_while_one_holds_the_lock_is_refused(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    other = tmp_path / "other"
    second: dict[str, Any] = {}

    def try_another_run() -> None:
        started = time.monotonic()
        try:
            second["result"] = StatementRuns(demo).run(END, other)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            second["error"] = exc
        second["seconds"] = time.monotonic() - started

    def progress(stage: str, _done: int, _total: int) -> None:
        # While the first run is posting (it holds the lock), a second one is tried.
        if stage == "Charging accounts" and not second:
            attempt = threading.Thread(target=try_another_run)
            attempt.start()
            attempt.join(timeout=60)
            assert not attempt.is_alive()

    first = StatementRuns(demo).run(END, out, progress=progress)

    assert isinstance(second.get("error"), BadInput), second
    assert "another statement run" in str(second["error"])
    # SQLite: refused after waiting about a second for the write lock, not its usual ten.
    # PostgreSQL: at once.
    assert second["seconds"] < 5
    if BACKEND == "sqlite":
        assert second["seconds"] >= 0.9
    assert _left_in(other) == []
    _assert_issued_once(demo, out, first.issued)


_KILLED_RUN = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pathlib import Path

    from debtdesk.services.database import open_database
    from debtdesk.services.statement_run import StatementRuns

    def progress(stage, done, total):
        print(stage, done, total, flush=True)
        if stage == "Rendering statements":
            sys.stdin.readline()  # hold here, part-way through, until the test kills us

    url, end, out = sys.argv[1:]
    StatementRuns(open_database(url, actor="tester")).run(
        date.fromisoformat(end), Path(out), progress=progress
    )
    print("finished", flush=True)
    """
)


def _advisory_locks_gone(db: Database, deadline: float) -> bool:
    """Wait (up to ``deadline``) for PostgreSQL to end the killed run's backend."""
    while time.monotonic() < deadline:
        with db.engine.connect() as connection:
            held = connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    "WHERE l.locktype = 'advisory' AND d.datname = current_database()"
                )
            ).scalar_one()
        if not held:
            return True
        time.sleep(0.05)
    return False


def test_a_run_killed_part_way_through_rendering_leaves_nothing_and_reruns(
    demo: Database, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    expected = StatementRuns(demo).preview(END)
    counts = table_counts(demo.engine)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    errors = tmp_path / "child-stderr.txt"
    with errors.open("w") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", _KILLED_RUN, demo.url, END.isoformat(), str(out)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
            cwd=Path(__file__).parents[2],
        )
    said: list[str] = []
    try:
        assert child.stdout is not None
        for line in child.stdout:  # blocks until the child speaks; it holds at rendering
            said.append(line.strip())
            if line.startswith("Rendering statements"):
                break
        assert said and said[-1].startswith("Rendering statements"), errors.read_text()
        assert (out / STAGING).is_dir()  # it had started writing its files
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()  # (already dead unless an assertion above failed)
        child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, errors.read_text()
    assert "finished" not in said
    if BACKEND == "postgresql":
        assert _advisory_locks_gone(demo, time.monotonic() + 30)

    assert table_counts(demo.engine) == counts
    assert not (out / FOLDER).exists()

    result = StatementRuns(demo).run(END, out)

    assert (result.issued, result.total_charged) == (expected.statements, expected.total_charged)
    assert _left_in(out) == [FOLDER]  # the killed run's half-written folder is gone
    _assert_issued_once(demo, out, result.issued)


@pytest.mark.skipif(
    BACKEND != "postgresql",
    reason="on SQLite the officer's open write transaction holds the run's lock",
)
def test_a_run_waits_for_a_payment_being_posted_and_shows_it(db: Database, tmp_path: Path) -> None:
    """An officer takes a payment on a shared (PostgreSQL) caseload during a run."""
    p0, p1, p2 = date(2025, 4, 27), date(2025, 5, 25), date(2025, 6, 22)
    with db.sessions.begin() as s:
        ongoing = add_account(s, "RC000001", "Mr Still Cared For")
        add_care(s, ongoing, date(2025, 3, 31), 7000, 10000)
        ended = add_account(s, "RC000002", "Mrs Care Ended")
        # Care in P0 only (31/03-27/04/2025) at £70.00 a week: £280.00, never paid.
        add_care(s, ended, date(2025, 3, 31), 7000, 10000, end=p0)
    StatementRuns(db).run(p0, tmp_path)

    # Monday 26/05/2025, P1's statement date: Mrs Care Ended's daughter pays £10.00 by
    # card. The officer's transaction has posted it (its ledger id is taken) but not yet
    # committed when the team leader starts the run for P1: the run waits for it.
    officer = db.sessions()
    officer.begin()
    ledger.post_entry(
        officer, ended, EntryKind.PAYMENT, -1000, date(2025, 5, 26),
        source=EntrySource.USER, actor="officer", method=PaymentMethod.CARD,
    )  # fmt: skip
    outcome: dict[str, Any] = {}

    def run_p1() -> None:
        try:
            outcome["result"] = StatementRuns(db).run(p1, tmp_path)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    runner = threading.Thread(target=run_p1)
    try:
        runner.start()
        # The run is waiting on the ledger lock behind the officer's transaction.
        deadline = time.monotonic() + 20
        while not _waiting_on_ledger(db) and runner.is_alive():
            assert time.monotonic() < deadline, "the run never waited for the posting"
            time.sleep(0.05)
        assert "result" not in outcome  # it has not gone ahead without the payment
    finally:
        officer.commit()
        officer.close()
    runner.join(timeout=60)
    assert "error" not in outcome, outcome.get("error")

    # P1: brought forward £280.00, nothing charged, the £10.00 paid on the statement
    # date shown: closing £270.00, the ledger's balance at 26/05.
    with db.sessions() as s:
        row = s.scalars(
            select(Statement).where(Statement.account_id == ended, Statement.period_end == p1)
        ).one()
    assert Accounts(db).detail("RC000002", date(2025, 5, 26)).balance == 27000
    assert (row.brought_forward, row.received, row.closing_balance) == (28000, -1000, 27000)

    StatementRuns(db).run(p2, tmp_path)

    # P2: brought forward £270.00 and nothing new: the payment is not shown twice.
    with db.sessions() as s:
        row = s.scalars(
            select(Statement).where(Statement.account_id == ended, Statement.period_end == p2)
        ).one()
    assert (row.brought_forward, row.received, row.closing_balance) == (27000, 0, 27000)


def _waiting_on_ledger(db: Database) -> bool:
    """Whether a session is waiting for a lock on ledger_entries (PostgreSQL)."""
    with db.engine.connect() as connection:
        return bool(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted "
                    "AND relation = 'ledger_entries'::regclass"
                )
            )
        )


def test_a_teams_broken_template_is_refused_by_name_and_line_and_nothing_is_kept(
    demo: Database, tmp_path: Path
) -> None:
    own = tmp_path / "own-templates"
    own.mkdir()
    # Line 2 asks for a value statements do not have.
    (own / "statement.html").write_text(
        '{% extends "base.html" %}{% block body %}\n{{ statement.weekly_total }}\n{% endblock %}\n',
        encoding="utf-8",
    )
    Settings(demo).set("documents.templates_folder", str(own))
    out = tmp_path / "out"
    counts = table_counts(demo.engine)

    with pytest.raises(BadInput) as refused:
        StatementRuns(demo).run(END, out)

    message = str(refused.value)
    assert f"{own / 'statement.html'} line 2" in message
    assert "weekly_total" in message and "nothing was issued" in message
    assert table_counts(demo.engine) == counts
    assert _left_in(out) == []
