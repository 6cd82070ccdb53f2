"""The Debt Management Panel window over a real database, worked by hand.

Mrs Ada Brown (RR000001) owes £1,500.00 due Mon 2 Mar 2026; the recovery runs take her
account to the panel referral stage on Wed 13 May 2026 (tests/services/test_panel.py).
Mr Ray Other (PN000002) owes £600.00, invoiced 1 Apr, due 15 Apr; an officer adds him.
On Thu 14 May the team plans the meeting of Wed 20 May, puts both on its agenda, orders
it, recommends, holds the meeting and records two decisions: agents for RR000001, with
an action for Ann Officer due Wed 27 May; a write-off of the £600.00 for PN000002 (gone
away). Then it is minuted, and RR000001's Recovery tab lists it on its Panel page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QModelIndex, QSettings, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import InvoiceKind, UserRole
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.domain.panel import MeetingStatus, PanelOption
from debtdesk.domain.write_offs import WriteOffReason, WriteOffStatus
from debtdesk.gui import desktop
from debtdesk.gui.account_view import RECOVERY_TAB
from debtdesk.gui.main_window import MainWindow
from debtdesk.gui.panel_agenda import AgendaModel
from debtdesk.gui.panel_decision import DecisionDialog
from debtdesk.gui.panel_dialogs import (
    AddAccountDialog,
    HoldMeetingDialog,
    PlanMeetingDialog,
    RecommendDialog,
)
from debtdesk.gui.panel_window import PanelWindow
from debtdesk.services import ledger
from debtdesk.services.case_pack import CasePacks
from debtdesk.services.database import Database, open_database
from debtdesk.services.panel import Panels
from debtdesk.services.users import Users
from debtdesk.services.worklist import Worklists
from debtdesk.services.write_offs import WriteOffs
from tests.gui.money_support import take_notice
from tests.services.support import add_account
from tests.services.test_panel import account, referred  # noqa: F401  (the fixtures)

TODAY, MEETS_ON, ACTION_DUE = date(2026, 5, 14), date(2026, 5, 20), date(2026, 5, 27)
TITLE = "Debt Management Panel, May 2026"
AGENTS = "Enforcement or tracing agents"


@pytest.fixture
def other(db: Database, referred: int) -> int:  # noqa: F811
    """PN000002, £600.00 due 15 Apr: made after the runs, so not referred by them."""
    with db.sessions.begin() as s:
        account_id = add_account(s, "PN000002", "Mr Ray Other")
        ledger.raise_invoice(
            s, account_id, InvoiceKind.SUNDRY, date(2026, 4, 1), date(2026, 4, 15),
            [(EntryKind.CHARGE, 60_000, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    Users(db).add("aofficer", "Ann Officer", UserRole.OFFICER)
    return account_id


@pytest.fixture
def window(db: Database, settings: QSettings, qtbot: QtBot) -> Iterator[MainWindow]:
    main = MainWindow(settings, today=lambda: TODAY)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.database_opened, timeout=10_000):
        main.open_location(db.url)
    yield main
    main.close_database()


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def say_yes(box: QMessageBox | None) -> None:
    """Press the confirming button of a question the pane asked."""
    assert box is not None and box.isVisible()
    [yes] = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
    yes.click()


def rows(table: object) -> list[list[str]]:
    model = table.model()  # type: ignore[attr-defined]
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def order(db: Database, meeting_id: int) -> list[str]:
    return [c.account_ref for c in Panels(db).meeting(meeting_id).cases]


def test_a_meeting_planned_ordered_held_decided_and_minuted(
    window: MainWindow,
    db: Database,
    referred: int,  # noqa: F811
    other: int,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    assert window.panel_action.isVisible() and window.panel_action.isEnabled()
    window.panel_action.trigger()
    panel = window.panel_window
    assert isinstance(panel, PanelWindow) and panel.isVisible()
    assert window.open_panel() is panel  # one window, raised again
    pane = panel.pane
    assert panel.summary.text() == "No meetings yet · 1 account waiting for the panel"
    assert pane.heading.text() == "No meeting chosen"

    # Plan the meeting: the title follows the date.
    plan = panel.plan_meeting()
    assert isinstance(plan, PlanMeetingDialog)
    assert plan.title.text() == TITLE
    plan.meets_on.setDate(QDate(2026, 6, 3))
    assert plan.title.text() == "Debt Management Panel, June 2026"
    plan.meets_on.setDate(QDate(2026, 5, 20))
    plan.attendees.setPlainText("J Taylor (chair)\n\nM Finch\n")
    click(qtbot, plan.ok_button)
    assert rows(panel.table) == [["20/05/2026", TITLE, "Planned", "0", "0"]]
    [meeting] = Panels(db).meetings()
    assert meeting.attendees == ("J Taylor (chair)", "M Finch")
    assert pane.heading.text() == f"{TITLE} — 20/05/2026, planned"
    assert pane.about.text() == (
        "Attendees: J Taylor (chair), M Finch.\n"
        "No cases on the agenda yet: add those waiting, or an account by reference."
    )
    assert not pane.held_button.isEnabled() and not pane.decide_button.isEnabled()

    # The account the recovery run referred, then one added by reference.
    assert pane.waiting_button.text() == "Add those &waiting (1)"
    click(qtbot, pane.waiting_button)
    assert rows(pane.table) == [
        ["1", "RR000001", "Mrs Ada Brown", "£1,500.00", "Recovery stage", "", ""]
    ]
    assert pane.message.text() == "1 account waiting for the panel added."
    assert pane.waiting_button.text() == "Add those &waiting (0)"
    assert not pane.waiting_button.isEnabled()
    assert panel.summary.text() == "1 meeting"

    add = pane.add_account()
    assert isinstance(add, AddAccountDialog)
    add.search.setText("rr000001")
    qtbot.waitUntil(lambda: add.found.text() == "1 account matches.", timeout=5_000)
    click(qtbot, add.ok_button)
    assert take_notice(add.notice).strip() == "RR000001 is on this meeting's agenda already."
    add.search.setText("other")
    add.search_now()
    assert rows(add.results) == [["PN000002", "Mr Ray Other", "£600.00", ""]]
    add.option.setCurrentIndex(add.option.findData(PanelOption.WRITE_OFF.value))
    click(qtbot, add.ok_button)
    assert take_notice(add.notice).strip() == "Give the reasons for the recommendation."
    add.reasons.setPlainText("Untraceable since 2024")
    click(qtbot, add.ok_button)
    assert rows(pane.table)[1] == [
        "2", "PN000002", "Mr Ray Other", "£600.00", "Officer", "Write-off", ""
    ]  # fmt: skip
    assert pane.message.text() == "PN000002 added to the agenda."
    assert pane.selected_case().account_ref == "PN000002"  # type: ignore[union-attr]
    assert order(db, meeting.id) == ["RR000001", "PN000002"]

    # Drag PN000002 above RR000001 (the model's part of an internal move), then move
    # RR000001 back up with the button.
    model = pane.model
    assert isinstance(model, AgendaModel)
    ModelTester(qtbot).check(model)
    dragged = model.mimeData([model.index(1, 0)])
    assert model.dropMimeData(dragged, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert order(db, meeting.id) == ["PN000002", "RR000001"]
    assert [r[:2] for r in rows(pane.table)] == [["1", "PN000002"], ["2", "RR000001"]]
    assert pane.message.text() == "The agenda's new order is saved."
    assert pane.selected_case().account_ref == "PN000002"  # type: ignore[union-attr]
    assert not pane.up_button.isEnabled() and pane.down_button.isEnabled()
    pane.table.selectRow(1)
    click(qtbot, pane.up_button)
    assert order(db, meeting.id) == ["RR000001", "PN000002"]
    assert [r[:2] for r in rows(pane.table)] == [["1", "RR000001"], ["2", "PN000002"]]
    assert pane.selected_case().account_ref == "RR000001"  # type: ignore[union-attr]

    recommend = pane.recommend()
    assert isinstance(recommend, RecommendDialog)
    recommend.option.setCurrentIndex(recommend.option.findData(PanelOption.AGENTS.value))
    recommend.reasons.setPlainText("No contact since the final reminder")
    click(qtbot, recommend.ok_button)
    assert rows(pane.table)[0][5] == AGENTS
    assert pane.details.text() == (
        "RR000001 Mrs Ada Brown, balance £1,500.00. Recommended: Enforcement or tracing "
        "agents — No contact since the final reminder"
    )

    # Held: the agenda is fixed.
    hold = pane.hold()
    assert isinstance(hold, HoldMeetingDialog)
    assert hold.attendees.toPlainText() == "J Taylor (chair)\nM Finch"
    hold.attendees.setPlainText("J Taylor (chair)\nM Finch\nA Officer (presenting)")
    hold.notes.setPlainText("Apologies: R Patel")
    click(qtbot, hold.ok_button)
    assert pane.heading.text() == f"{TITLE} — 20/05/2026, held"
    assert pane.about.text() == (
        "Attended: J Taylor (chair), M Finch, A Officer (presenting).\n"
        "Notes: Apologies: R Patel\n2 cases; 2 without a decision yet."
    )
    assert pane.model is not None and not pane.model.movable
    assert not pane.model.flags(pane.model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    for button in (pane.add_button, pane.recommend_button, pane.remove_button, pane.up_button,
                   pane.down_button, pane.held_button):  # fmt: skip
        assert not button.isEnabled(), button.text()

    # Minutes wait for every decision: the service's refusal is shown.
    click(qtbot, pane.minute_button)
    say_yes(pane.confirm)
    assert take_notice(pane.notice).strip() == (
        "These cases have no decision yet: RR000001, PN000002."
    )

    # Agents for RR000001, with an action for Ann Officer.
    decide = pane.record_decision()
    assert isinstance(decide, DecisionDialog)
    assert decide.chosen() is PanelOption.AGENTS and decide.amount.isHidden()
    decide.discussion.setPlainText("Trace first; the agents to collect")
    action = decide.actions.add()
    assert action.due.date() == QDate(2026, 6, 3)  # two weeks after the decision
    action.text.setText("Instruct the tracing agent")
    action.owner.setCurrentIndex(action.owner.findData("aofficer"))
    action.due.setDate(QDate(2026, 5, 27))
    blank = decide.actions.add()
    assert blank.remove.accessibleName() == "Remove action 2"
    click(qtbot, decide.ok_button)
    assert take_notice(decide.notice).strip() == (
        "Action 2 has no text: write it, or remove the row."
    )
    click(qtbot, blank.remove)
    assert len(decide.actions.rows) == 1
    click(qtbot, decide.ok_button)
    assert rows(pane.table)[0][6] == AGENTS
    assert pane.message.text() == f"Decision on RR000001 recorded: {AGENTS}."
    assert not pane.decide_button.isEnabled()  # decided
    owner = open_database(db.url, actor="aofficer")
    try:
        [task] = Worklists(owner).for_today(ACTION_DUE).items
    finally:
        owner.close()
    assert (task.account_ref, task.due) == ("RR000001", ACTION_DUE)
    assert "Instruct the tracing agent" in task.what

    # A write-off of the £600.00 for PN000002.
    pane.table.selectRow(1)
    decide = pane.record_decision()
    assert isinstance(decide, DecisionDialog)
    assert decide.chosen() is PanelOption.WRITE_OFF and not decide.amount.isHidden()
    assert decide.amount.text() == "600.00"
    decide.choose_reason(WriteOffReason.UNTRACEABLE)
    decide.discussion.setPlainText("Gone away; tracing found nothing")
    click(qtbot, decide.ok_button)
    [write_off] = WriteOffs(db).for_account(other)
    assert (write_off.amount, write_off.status) == (60_000, WriteOffStatus.RECOMMENDED)
    assert rows(panel.table) == [["20/05/2026", TITLE, "Held", "2", "0"]]

    click(qtbot, pane.minute_button)
    say_yes(pane.confirm)
    assert Panels(db).meeting(meeting.id).status is MeetingStatus.MINUTED
    assert rows(panel.table) == [["20/05/2026", TITLE, "Minuted", "2", "0"]]
    assert pane.message.text() == "The meeting is minuted."
    assert not pane.minute_button.isEnabled() and not pane.decide_button.isEnabled()

    # The case pack opens in the desktop's viewer.
    opened: list[Path] = []
    monkeypatch.setattr(desktop, "open_path", lambda path: opened.append(Path(path)) or True)
    pane.table.selectRow(0)
    click(qtbot, pane.preview_button)
    [pdf] = opened
    assert pdf.read_bytes().startswith(b"%PDF") and "RR000001" in pdf.name
    assert pane.message.text().startswith("The case pack for RR000001 (")
    # Print pack…: a print preview of the same pack, painted as its PDF is laid out.
    click(qtbot, pane.print_button)
    preview = pane.pack.preview
    assert preview is not None and preview.isVisible()
    assert preview.windowTitle().startswith("Print preview — Account RR000001")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printable = CasePacks(db).printable(referred, date(2026, 5, 20))
    assert printable.paint(printer) == CasePacks(db).pdf_bytes(referred, date(2026, 5, 20))[1]
    preview.close()
    # The agenda pack (the agenda and both case packs) and the minutes, likewise.
    click(qtbot, pane.agenda_button)
    agenda = opened[-1]
    assert agenda.read_bytes().startswith(b"%PDF") and "agenda-2026-05-20" in agenda.name
    assert re.fullmatch(r"The agenda pack \(\d+ pages\) is open in the PDF viewer\.",
                        pane.message.text())  # fmt: skip
    click(qtbot, pane.minutes_button)
    assert "minutes-2026-05-20" in opened[-1].name
    assert pane.message.text() == "The minutes are open in the PDF viewer."

    # RR000001's account window: at the agents stage, and the meeting on its Panel page.
    click(qtbot, pane.open_button)
    view = window.account_views[referred]
    qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
    view.tabs.setCurrentIndex(RECOVERY_TAB)
    tab, history = view.recovery, view.panel
    assert tab is not None and history is not None
    assert tab.summary_text().startswith(f"Stage: {AGENTS} (since 20/05/2026)")
    assert tab.sections.tabText(tab.panel_page) == "Pa&nel (1)"
    assert rows(history.table) == [["20/05/2026", TITLE, "Minuted", AGENTS, AGENTS]]
    assert history.details.text() == (
        f"{TITLE}, 20/05/2026 (minuted). Recommended: {AGENTS} — No contact since the "
        f"final reminder\nPanel decision: {AGENTS}."
    )

    # A database opened again closes the window.
    with qtbot.waitSignal(window.database_opened, timeout=10_000):
        window.open_location(db.url)
    qtbot.waitUntil(lambda: window.panel_window is None, timeout=5_000)


def test_the_agenda_model_moves_rows_only_while_planned(
    db: Database,
    referred: int,  # noqa: F811
    other: int,
    qtbot: QtBot,
) -> None:
    panels = Panels(db)
    meeting = panels.plan(MEETS_ON, TITLE)
    panels.add_awaiting(meeting)
    panels.add_case(meeting, other)
    with db.sessions.begin() as s:
        third = add_account(s, "PN000003", "Ms Jo Third")
    panels.add_case(meeting, third)
    cases = panels.meeting(meeting).cases
    model = AgendaModel(cases, movable=True)
    ModelTester(qtbot).check(model)

    def refs() -> list[str]:
        return [model.record(r).account_ref for r in range(model.rowCount())]

    drop = Qt.DropAction.MoveAction
    # Dropped on a row: before it. Below the last (-1): to the end.
    assert model.dropMimeData(model.mimeData([model.index(2, 1)]), drop, -1, -1,
                              model.index(0, 3))  # fmt: skip
    assert refs() == ["PN000003", "RR000001", "PN000002"]
    assert model.dropMimeData(model.mimeData([model.index(0, 0)]), drop, -1, -1, QModelIndex())
    assert refs() == ["RR000001", "PN000002", "PN000003"]
    assert [model.index(r, 0).data() for r in range(3)] == ["1", "2", "3"]
    # Where it is already, off either end, or not a move: nothing happens.
    assert not model.dropMimeData(model.mimeData([model.index(1, 0)]), drop, 2, 0, QModelIndex())
    assert not model.move(0, -1) and not model.move(2, +1)
    assert model.move(2, -1) and refs() == ["RR000001", "PN000003", "PN000002"]
    assert not model.dropMimeData(
        model.mimeData([model.index(1, 0)]), Qt.DropAction.CopyAction, 0, 0, QModelIndex()
    )

    fixed = AgendaModel(cases, movable=False)
    assert not fixed.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled
    assert not fixed.move(1, -1)
    assert [fixed.record(r).account_ref for r in range(3)] == [c.account_ref for c in cases]


def test_an_account_never_on_the_panel_says_so(
    window: MainWindow,
    db: Database,
    other: int,
    qtbot: QtBot,
) -> None:
    view = window.open_account(other)
    assert view is not None
    qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
    tab, history = view.recovery, view.panel
    assert tab is not None and history is not None
    assert tab.sections.tabText(tab.panel_page) == "Pa&nel (0)"
    assert rows(history.table) == []
    assert history.message.text() == (
        "This account has not been on a Debt Management Panel agenda."
    )
