"""The Reports menu and a report's dialog on the demo caseload: the parameters and their
defaults, a whole run into a workbook read back, progress, Open and Show in folder,
cancel, refusals, and the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from debtdesk.gui import desktop, report_dialog
from debtdesk.gui.report_dialog import NOTHING_WRITTEN, ReportDialog, documents_folder
from debtdesk.gui.reports_menu import ReportsMenu
from debtdesk.services.database import Database
from debtdesk.services.reporting.catalogue import CATALOGUE, ReportSpec, spec_for
from debtdesk.services.reporting.runs import Reports
from tests.gui.conftest import AS_OF

SCREENSHOT = Path("/tmp/report-dialog.png")


def spec(name: str) -> ReportSpec:
    found = spec_for(name)
    assert found is not None
    return found


AGED = spec("aged-debt")
CASELOAD = spec("caseload")  # a period report: the 28 days to the as-at date


def make_dialog(db: Database, qtbot: QtBot, report: ReportSpec = AGED) -> ReportDialog:
    dialog = ReportDialog(report, Reports(db), AS_OF)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def set_date(edit: object, day: date) -> None:
    edit.setDate(QDate(day.year, day.month, day.day))  # type: ignore[attr-defined]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own for the workbooks (the test's folder holds the database too)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    return folder


@pytest.fixture
def opened_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the dialog hands to the desktop to open (nothing is really opened)."""
    opened: list[str] = []
    monkeypatch.setattr(desktop, "open_path", lambda path: opened.append(str(path)) or True)
    return opened


@pytest.fixture
def progress_seen(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, int]]]:
    """Every ``(value, maximum)`` the progress bar showed, as the dialog showed it."""
    seen: list[tuple[int, int]] = []
    original = ReportDialog._show_progress

    def showing(self: ReportDialog, stage: str, done: int, total: int) -> None:
        original(self, stage, done, total)
        seen.append((self.progress.value(), self.progress.maximum()))

    monkeypatch.setattr(ReportDialog, "_show_progress", showing)
    yield seen


def test_defaults(demo_db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(demo_db, qtbot)
    assert dialog.windowTitle() == "Aged debt — debtdesk"
    assert dialog.as_of_date() == AS_OF
    assert dialog.as_of.displayFormat() == "dd/MM/yyyy" and dialog.as_of.calendarPopup()
    assert dialog.as_of.text() == "20/11/2026"
    assert dialog.start is None and dialog.start_date() is None  # not a period report
    assert Path(dialog.workbook.text()) == documents_folder() / "aged-debt-2026-11-20.xlsx"
    assert dialog.run_button.isVisible() and dialog.run_button.isDefault()
    for hidden in (dialog.progress, dialog.cancel_button, dialog.open_button, dialog.message):
        assert not hidden.isVisible()


def test_the_name_follows_the_as_at_date_until_the_path_is_typed(
    demo_db: Database, qtbot: QtBot, out: Path
) -> None:
    dialog = make_dialog(demo_db, qtbot)
    set_date(dialog.as_of, date(2026, 10, 31))
    assert Path(dialog.workbook.text()) == documents_folder() / "aged-debt-2026-10-31.xlsx"
    dialog.workbook.clear()
    qtbot.keyClicks(dialog.workbook, str(out / "mine.xlsx"))
    set_date(dialog.as_of, date(2026, 9, 30))
    assert dialog.workbook.text() == str(out / "mine.xlsx")


def test_says_when_the_workbook_would_replace_a_file(
    demo_db: Database, qtbot: QtBot, out: Path
) -> None:
    dialog = make_dialog(demo_db, qtbot)
    (out / "old.xlsx").write_bytes(b"last month's")
    assert not dialog.replaces.isVisible()
    dialog.workbook.setText(str(out / "old.xlsx"))
    assert dialog.replaces.isVisible()
    assert dialog.replaces.text() == "A file of this name exists: running the report replaces it."
    dialog.workbook.setText(str(out / "new.xlsx"))
    assert not dialog.replaces.isVisible()


def test_browse(
    demo_db: Database, qtbot: QtBot, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def ask(parent: QWidget, start: str) -> Path:
        asked.append(start)
        return out / "chosen.xlsx"

    monkeypatch.setattr(report_dialog, "ask_path", ask)
    dialog = make_dialog(demo_db, qtbot)
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert asked == [str(documents_folder() / "aged-debt-2026-11-20.xlsx")]
    assert dialog.workbook.text() == str(out / "chosen.xlsx")
    set_date(dialog.as_of, date(2026, 9, 30))  # a chosen name stays
    assert dialog.workbook.text() == str(out / "chosen.xlsx")


def test_a_period_starts_by_default_and_follows_the_as_at_date_until_edited(
    demo_db: Database, qtbot: QtBot
) -> None:
    dialog = make_dialog(demo_db, qtbot, CASELOAD)
    assert dialog.start is not None
    assert dialog.start_date() == date(2026, 10, 24)  # the 28 days ending 20/11/2026
    set_date(dialog.as_of, date(2026, 12, 31))
    assert dialog.start_date() == date(2026, 12, 4)
    set_date(dialog.start, date(2026, 4, 1))
    set_date(dialog.as_of, date(2027, 1, 31))
    assert dialog.start_date() == date(2026, 4, 1)


def test_run_writes_the_workbook(
    demo_db: Database,
    qtbot: QtBot,
    out: Path,
    opened_paths: list[str],
    progress_seen: list[tuple[int, int]],
) -> None:
    dialog = make_dialog(demo_db, qtbot)
    dialog.workbook.setText(str(out / "aged"))  # .xlsx is added
    with qtbot.waitSignal(dialog.written) as written:
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    path = out / "aged.xlsx"
    assert written.args == [path] and dialog.path == path
    assert list(out.iterdir()) == [path]

    expected = Reports(demo_db).build("aged-debt", AS_OF)  # the same report, built again
    rows = expected.row_count
    assert rows > 0
    assert dialog.message.text() == f"Aged debt at 20/11/2026: {rows:,} rows written to {path}."
    assert progress_seen[-1] == (rows, rows)  # the bar reached the end

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", *(s.title for s in expected.sheets)]
    assert book["Cover"]["A1"].value == "Aged debt"
    cover = {r[0]: r[1] for r in book["Cover"].iter_rows(values_only=True) if r[0]}
    assert cover["Run by"] == "tester"
    first, sheet = expected.sheets[0], book.worksheets[1]
    table = first.tables[0]
    header = 2 if table.title else 1
    assert [c.value for c in sheet[header]] == [c.header for c in table.columns]
    read_back = [r[0] for r in sheet.iter_rows(min_row=header + 1, values_only=True)]
    assert read_back[: len(table.rows)] == [r[0] for r in table.rows]

    assert dialog.open_button.isVisible() and dialog.folder_button.isVisible()
    assert dialog.run_button.isVisible() and dialog.as_of.isEnabled()
    assert not dialog.progress.isVisible() and not dialog.cancel_button.isVisible()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert opened_paths == [str(path), str(out)]
    assert not dialog.replaces.isVisible()  # (the workbook just written)

    dialog.resize(dialog.sizeHint().expandedTo(dialog.minimumSize()))
    assert dialog.grab().save(str(SCREENSHOT))


def cancel_while_reading(dialog: ReportDialog, monkeypatch: pytest.MonkeyPatch) -> None:
    """The officer presses Cancel while the report is read from the database."""
    build = Reports.build

    def build_then_cancel(self: Reports, *args: object, **kwargs: object) -> object:
        report = build(self, *args, **kwargs)  # type: ignore[arg-type]
        assert dialog.cancel_button.isVisible() and dialog.stage.text() == "Reading the data…"
        dialog.cancel_button.click()
        return report

    monkeypatch.setattr(Reports, "build", build_then_cancel)


def test_cancel_leaves_no_file(
    demo_db: Database, qtbot: QtBot, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make_dialog(demo_db, qtbot)
    path = out / "aged.xlsx"
    path.write_bytes(b"last month's")
    dialog.workbook.setText(str(path))
    cancel_while_reading(dialog, monkeypatch)
    with qtbot.assertNotEmitted(dialog.written):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == f"The report was cancelled. {NOTHING_WRITTEN}"
    assert path.read_bytes() == b"last month's"
    assert list(out.iterdir()) == [path]
    assert dialog.run_button.isVisible() and dialog.workbook.isEnabled()
    assert not dialog.open_button.isVisible()


def test_closing_while_running_cancels_then_closes(
    demo_db: Database, qtbot: QtBot, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make_dialog(demo_db, qtbot)
    dialog.workbook.setText(str(out / "aged.xlsx"))
    build = Reports.build

    def build_then_close(self: Reports, *args: object, **kwargs: object) -> object:
        report = build(self, *args, **kwargs)  # type: ignore[arg-type]
        dialog.close()
        assert dialog.isVisible()  # it waits for the report to stop
        return report

    monkeypatch.setattr(Reports, "build", build_then_close)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert not (out / "aged.xlsx").exists()


def test_a_missing_folder_is_refused(demo_db: Database, qtbot: QtBot, out: Path) -> None:
    dialog = make_dialog(demo_db, qtbot)
    dialog.workbook.setText(str(out / "no such folder" / "aged.xlsx"))
    with qtbot.assertNotEmitted(dialog.written):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    folder = out / "no such folder"
    assert dialog.message.text() == (
        f"{folder / 'aged.xlsx'}: the folder {folder} does not exist. {NOTHING_WRITTEN}"
    )
    assert dialog.message.isVisible() and "color" in dialog.message.styleSheet()
    assert list(out.iterdir()) == []
    assert dialog.run_button.isVisible() and not dialog.open_button.isVisible()


def test_a_period_that_starts_after_it_ends_is_refused(
    demo_db: Database, qtbot: QtBot, out: Path
) -> None:
    dialog = make_dialog(demo_db, qtbot, CASELOAD)
    dialog.workbook.setText(str(out / "caseload.xlsx"))
    set_date(dialog.start, date(2026, 11, 21))
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == (
        f"The period starts on 21/11/2026, after it ends (20/11/2026). {NOTHING_WRITTEN}"
    )
    assert not (out / "caseload.xlsx").exists()


@pytest.mark.parametrize("typed", ["", "   ", "aged.xlsx"])
def test_a_path_without_a_folder_is_refused(demo_db: Database, qtbot: QtBot, typed: str) -> None:
    dialog = make_dialog(demo_db, qtbot)
    dialog.workbook.setText(typed)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("Give the workbook's whole path")
    assert not dialog.running and dialog.run_button.isVisible()


def test_keyboard_and_accessible_names(demo_db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(demo_db, qtbot, CASELOAD)
    buddies = {
        label.text(): label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()
    }
    assert buddies == {
        "&As at:": dialog.as_of,
        "&From:": dialog.start,
        "&Workbook:": dialog.workbook,
    }
    focusable = [
        w
        for w in dialog.findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and w.parent() is dialog
    ]
    assert focusable
    for widget in focusable:
        text = getattr(widget, "text", lambda: "")()
        assert widget.accessibleName() or text.replace("&", ""), widget
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.as_of.setFocus()
    chain = [dialog.focusWidget()]
    while len(chain) < 5:  # Tab goes through a date's day, month and year, then on
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        if dialog.focusWidget() is not chain[-1]:
            chain.append(dialog.focusWidget())
    assert chain == [
        dialog.as_of,
        dialog.start,
        dialog.workbook,
        dialog.browse_button,
        dialog.run_button,
    ]


def test_the_reports_menu(demo_db: Database, qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = window.menuBar().addMenu("Rep&orts")
    reports = ReportsMenu(window, menu, lambda: AS_OF)
    assert [a.text() for a in menu.actions()] == [f"{s.title}…" for s in CATALOGUE]
    assert menu.actions()[0].text() == "Aged debt…"
    assert menu.actions()[0].statusTip().startswith("Every account's debt at the date by age")
    assert all(not a.isEnabled() for a in menu.actions())
    assert reports.open_report(AGED) is None

    reports.set_database(demo_db)
    assert all(a.isEnabled() for a in menu.actions())
    reports.actions["caseload"].trigger()
    dialog = reports.windows["report:caseload"]
    assert isinstance(dialog, ReportDialog) and dialog.isVisible()
    assert dialog.spec is CASELOAD and dialog.as_of_date() == AS_OF
    assert reports.open_report(CASELOAD) is dialog  # once; chosen again, raised
    assert reports.open_report(AGED) is not dialog

    reports.set_database(None)
    assert reports.windows == {}
    assert all(not a.isEnabled() for a in menu.actions())
