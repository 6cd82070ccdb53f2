"""The worklist window on a small caseload worked by hand, on Wed 8 Apr 2026.

Officer Jo has WL000001 (£1,500.00 due Mon 2 Mar 2026) and WL000003 (£600.00 due 13 Apr
2026); officer Sam has WL000002 (£900.00 due 1 Apr 2020) and WL000004 (£450.00 due 13 Apr
2026); Lee is their team leader. Recovery runs on 16 Mar, 30 Mar and 6 Apr take the two
overdue accounts to the phone-call stage: a call task each, due two working days after
6 Apr, Wed 8 Apr. Then Jo puts a dispute hold on WL000001 from 7 Apr to review on 8 Apr,
agrees a £100.00 monthly plan on WL000003 from 23 Mar (nothing paid: broken on 31 Mar,
23 Mar + 8 days) and recommends writing off £50.00 of it on 7 Apr; a standard Breathing
Space on WL000004 from 1 Feb ended on 1 Apr (60 days), lifted by itself on 2 Apr. Sam's
2020 invoice's last day to claim was 1 Apr 2026.

So on 8 Apr Jo has a task, a broken plan and a hold to review; Sam a task, a hold lifted
and an invoice at six years; Lee sees all seven, and the write-off to decide.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from debtdesk.db.models import Account, Task, WriteOff
from debtdesk.domain.caseload import InvoiceKind, UserRole
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.payment_plans import Frequency
from debtdesk.domain.tasks import TaskStatus
from debtdesk.domain.write_offs import WriteOffReason
from debtdesk.gui.app import FONT_FAMILY, register_fonts
from debtdesk.gui.officer_worklist import (
    OfficerWorklist,
    ReassignDialog,
    worklist_counts_text,
)
from debtdesk.gui.task_dialogs import CloseTaskDialog
from debtdesk.services import ledger
from debtdesk.services.database import Database, open_database
from debtdesk.services.holds import Holds
from debtdesk.services.payment_plans import PaymentPlans, PlanTerms
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.users import Users
from debtdesk.services.worklist import ItemKind, Worklists
from debtdesk.services.write_offs import WriteOffs
from tests.gui.money_support import take_notice
from tests.services.support import add_account

TODAY = date(2026, 4, 8)
CALL = (
    "Recovery: phone the client or their representative: Officer contact (phone): "
    "reached on 06/04/2026, {} overdue"
)
EVERYONE = [  # due, type, account, client, officer, what: in the service's order
    ["31/03/2026", "Broken plan", "WL000003", "Dorothy Hughes", "Jo Officer",
     "Plan of £100.00 a month broken on 31/03/2026"],
    ["01/04/2026", "Nearing six years", "WL000002", "Arthur Pennington", "Sam Officer",
     "INV00000002 (£900.00): statute-barred, the last day to claim was 01/04/2026"],
    ["02/04/2026", "Hold lifted", "WL000004", "Kenneth Okafor", "Sam Officer",
     "Breathing Space (standard) ended 01/04/2026: recovery resumes"],
    ["07/04/2026", "Write-off to decide", "WL000003", "Dorothy Hughes", "Jo Officer",
     "£50.00 recommended by jo: Hardship or vulnerability"],
    ["08/04/2026", "Hold to review", "WL000001", "Margaret Ellis", "Jo Officer",
     "Dispute: review due 08/04/2026"],
    ["08/04/2026", "Task", "WL000001", "Margaret Ellis", "Jo Officer", CALL.format("£1,500.00")],
    ["08/04/2026", "Task", "WL000002", "Arthur Pennington", "Sam Officer",
     CALL.format("£900.00")],
]  # fmt: skip


@contextmanager
def login(db: Database, name: str) -> Iterator[Database]:
    other = open_database(db.url, actor=name)
    try:
        yield other
    finally:
        other.close()


@pytest.fixture
def caseload(db: Database, tmp_path: Path) -> dict[str, int]:
    """The accounts' ids by reference (and the users' under their logins)."""
    ids = {
        "jo": Users(db).add("jo", "Jo Officer", UserRole.OFFICER).id,
        "sam": Users(db).add("sam", "Sam Officer", UserRole.OFFICER).id,
        "lee": Users(db).add("lee", "Lee Leader", UserRole.TEAM_LEADER).id,
    }
    with db.sessions.begin() as s:
        for ref, name, officer, issued, due, pence in [
            ("WL000001", "Margaret Ellis", "jo", date(2026, 2, 16), date(2026, 3, 2), 150_000),
            ("WL000002", "Arthur Pennington", "sam", date(2020, 3, 18), date(2020, 4, 1), 90_000),
            ("WL000003", "Dorothy Hughes", "jo", date(2026, 3, 30), date(2026, 4, 13), 60_000),
            ("WL000004", "Kenneth Okafor", "sam", date(2026, 3, 30), date(2026, 4, 13), 45_000),
        ]:
            account = add_account(s, ref, name, address="1 Road")
            s.execute(update(Account).where(Account.id == account).values(officer_id=ids[officer]))
            ledger.raise_invoice(
                s, account, InvoiceKind.SUNDRY, issued, due,
                [(EntryKind.CHARGE, pence, None, "Contribution")],
                source=EntrySource.USER, actor="tester",
            )  # fmt: skip
            ids[ref] = account
    for day in (date(2026, 3, 16), date(2026, 3, 30), date(2026, 4, 6)):
        RecoveryRuns(db).run(day, tmp_path)
    with login(db, "jo") as jo:
        Holds(jo).set(ids["WL000001"], HoldReason.DISPUTE, date(2026, 4, 7), review=TODAY)
        plan = PlanTerms(10_000, Frequency.MONTHLY, date(2026, 3, 23), 60_000, PaymentMethod.CARD)
        PaymentPlans(jo).create(ids["WL000003"], plan)
        WriteOffs(jo).recommend(ids["WL000003"], 5_000, WriteOffReason.HARDSHIP, "SFS on file")
        Holds(jo).set(ids["WL000004"], HoldReason.BREATHING_SPACE, date(2026, 2, 1))
    recommended = datetime(2026, 4, 7, 10, tzinfo=UTC)  # "now" when made: the day before
    with db.sessions.begin() as s:
        s.execute(update(WriteOff).values(recommended_at=recommended))
    return ids


@pytest.fixture
def open_window(
    db: Database, settings: QSettings, qtbot: QtBot
) -> Iterator[dict[str, OfficerWorklist]]:
    """``open_window[login]``: that user's worklist on 8 Apr, shown (opened on first use)."""
    databases: list[Database] = []

    class Windows(dict[str, OfficerWorklist]):
        def __missing__(self, name: str) -> OfficerWorklist:
            database = open_database(db.url, actor=name)
            databases.append(database)
            window = OfficerWorklist(database, TODAY, settings)
            qtbot.addWidget(window)
            window.show()
            self[name] = window
            return window

    windows = Windows()
    yield windows
    for window in windows.values():
        window.close()
    for database in databases:
        database.close()


def rows(window: OfficerWorklist) -> list[list[str]]:
    model = window.table.model()
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def choose(window: OfficerWorklist, ref: str, kind: str) -> None:
    """Select the row of ``ref``'s item of type ``kind``."""
    row = next(i for i, line in enumerate(rows(window)) if line[1:3] == [kind, ref])
    window.table.selectRow(row)


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_counts_read_as_a_sentence_of_kinds() -> None:
    assert worklist_counts_text({}) == "Nothing due today"
    assert worklist_counts_text({ItemKind.HOLD_REVIEW: 2, ItemKind.TASK: 3}) == (
        "3 tasks · 2 holds to review"  # in the kinds' order, not the mapping's
    )
    assert worklist_counts_text(
        {ItemKind.BROKEN_PLAN: 1, ItemKind.CLAIM_EXPIRED: 1, ItemKind.SIX_YEARS: 1234}
    ) == ("1 broken plan · 1 letter of claim unanswered 30 days · 1,234 invoices nearing six years")


def test_a_leader_sees_everyones_work(
    caseload: dict[str, int],
    open_window: dict[str, OfficerWorklist],
    qtmodeltester: ModelTester,
) -> None:
    lee = open_window["lee"]
    assert lee.windowTitle() == "Worklist for 08/04/2026 — debtdesk"
    assert lee.summary.text() == (
        "2 tasks · 1 broken plan · 1 hold to review · 1 hold lifted · "
        "1 invoice nearing six years · 1 write-off to decide"
    )
    qtmodeltester.check(lee.table.model())
    assert [lee.table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Due", "Type", "Account", "Client", "Officer", "What"
    ]  # fmt: skip
    assert rows(lee) == EVERYONE
    assert lee.table.currentIndex().row() == 0
    assert lee.details.text() == (
        "WL000003 Dorothy Hughes (Jo Officer): Broken plan, due 31/03/2026. "
        "Plan of £100.00 a month broken on 31/03/2026."
    )
    assert lee.officer_filter.isVisible() and lee.reassign_button.isVisible()
    names = [lee.officer_filter.itemText(i) for i in range(lee.officer_filter.count())]
    assert names[0] == "Everyone"  # then every active user (the administrators too)
    assert [n for n in names if n.endswith(("Officer", "Leader"))] == [
        "Jo Officer", "Lee Leader", "Sam Officer"
    ]  # fmt: skip
    assert not lee.close_button.isEnabled()  # not a task
    choose(lee, "WL000002", "Task")
    assert lee.close_button.isEnabled()
    assert lee.details.text().endswith(f"{CALL.format('£900.00')}.")


def test_an_officer_sees_only_her_own_and_cannot_reassign(
    caseload: dict[str, int], open_window: dict[str, OfficerWorklist]
) -> None:
    jo = open_window["jo"]
    assert jo.summary.text() == "1 task · 1 broken plan · 1 hold to review"
    assert [line[1:3] for line in rows(jo)] == [
        ["Broken plan", "WL000003"], ["Hold to review", "WL000001"], ["Task", "WL000001"]
    ]  # fmt: skip
    assert not jo.officer_filter.isVisible() and not jo.filter_label.isVisible()
    assert not jo.reassign_button.isVisible() and not jo.reassign_button.isEnabled()
    assert jo.reassign_selected() is None


def test_choosing_an_officer_shows_only_theirs(
    caseload: dict[str, int], open_window: dict[str, OfficerWorklist]
) -> None:
    lee = open_window["lee"]
    choose(lee, "WL000002", "Task")
    lee.officer_filter.setCurrentIndex(lee.officer_filter.findText("Sam Officer"))
    assert lee.summary.text() == "1 task · 1 hold lifted · 1 invoice nearing six years"
    assert rows(lee) == [EVERYONE[1], EVERYONE[2], EVERYONE[6]]
    assert lee.selected().account_ref == "WL000002"  # the chosen item stays chosen
    assert lee.selected().task_id is not None
    lee.officer_filter.setCurrentIndex(lee.officer_filter.findText("Lee Leader"))
    assert lee.summary.text() == "Nothing due today"
    assert rows(lee) == [] and lee.details.text() == ""
    assert not lee.open_button.isEnabled() and not lee.reassign_button.isEnabled()
    lee.officer_filter.setCurrentIndex(0)
    assert rows(lee) == EVERYONE


def test_reassign_moves_an_account_or_a_task(
    db: Database,
    caseload: dict[str, int],
    open_window: dict[str, OfficerWorklist],
    qtbot: QtBot,
) -> None:
    lee = open_window["lee"]
    changed: list[bool] = []
    lee.changed.connect(lambda: changed.append(True))
    choose(lee, "WL000003", "Broken plan")
    click(qtbot, lee.reassign_button)
    dialog = lee.dialog
    assert isinstance(dialog, ReassignDialog) and not dialog.for_task
    assert dialog.windowTitle() == "Reassign account — WL000003"
    assert dialog.chosen_name() != "Jo Officer"  # the first officer it is not with
    dialog.officer.setCurrentIndex(dialog.officer.findText("Jo Officer"))
    click(qtbot, dialog.ok_button)
    assert "WL000003 is already with Jo Officer" in take_notice(dialog.notice)
    dialog.officer.setCurrentIndex(dialog.officer.findText("Sam Officer"))
    click(qtbot, dialog.ok_button)
    assert lee.message.text() == "WL000003 given to Sam Officer."
    assert changed == [True]
    assert [line[4] for line in rows(lee) if line[2] == "WL000003"] == ["Sam Officer"] * 2
    assert lee.selected().account_ref == "WL000003"

    choose(lee, "WL000002", "Task")  # Sam's call: to Jo, the account staying with Sam
    click(qtbot, lee.reassign_button)
    dialog = lee.dialog
    assert isinstance(dialog, ReassignDialog) and dialog.for_task
    assert dialog.windowTitle() == "Reassign task — WL000002"
    dialog.officer.setCurrentIndex(dialog.officer.findText("Jo Officer"))
    click(qtbot, dialog.ok_button)
    assert lee.message.text() == "Task for WL000002 given to Jo Officer."

    jo = open_window["jo"]  # opened afterwards: WL000003 is no longer hers; the call is
    assert [line[1:3] for line in rows(jo)] == [
        ["Hold to review", "WL000001"], ["Task", "WL000001"], ["Task", "WL000002"]
    ]  # fmt: skip
    assert rows(jo)[2][4] == "Sam Officer"  # whose account it is
    with login(db, "sam") as sam:
        items = Worklists(sam).for_today(TODAY).items
    assert {(i.kind, i.account_ref) for i in items} == {
        (ItemKind.BROKEN_PLAN, "WL000003"),
        (ItemKind.SIX_YEARS, "WL000002"),
        (ItemKind.HOLD_LIFTED, "WL000004"),
    }


def test_close_task_records_the_outcome_and_the_task_leaves_the_list(
    db: Database,
    caseload: dict[str, int],
    open_window: dict[str, OfficerWorklist],
    qtbot: QtBot,
) -> None:
    jo = open_window["jo"]
    choose(jo, "WL000001", "Task")
    click(qtbot, jo.close_button)
    dialog = jo.dialog
    assert isinstance(dialog, CloseTaskDialog)
    assert dialog.windowTitle() == "Close task — WL000001"
    click(qtbot, dialog.ok_button)
    assert "Say what came of the task" in take_notice(dialog.notice)
    assert dialog.isVisible()
    dialog.result_choice.setCurrentIndex(1)  # cancelled: no longer needed
    qtbot.keyClicks(dialog.outcome, "Client rang first; dispute logged")
    click(qtbot, dialog.ok_button)
    assert jo.message.text() == "Task for WL000001 closed."
    assert jo.summary.text() == "1 broken plan · 1 hold to review"
    assert "Task" not in [line[1] for line in rows(jo)]
    with login(db, "jo") as other:
        assert ItemKind.TASK not in Worklists(other).for_today(TODAY).counts()
    with db.sessions() as s:
        task = s.scalars(select(Task).where(Task.account_id == caseload["WL000001"])).one()
        assert (task.status, task.outcome) == (
            TaskStatus.CANCELLED, "Client rang first; dispute logged"
        )  # fmt: skip
        assert task.closed_by == "jo"


def test_enter_or_double_click_opens_the_account(
    caseload: dict[str, int], open_window: dict[str, OfficerWorklist], qtbot: QtBot
) -> None:
    lee = open_window["lee"]
    choose(lee, "WL000004", "Hold lifted")
    lee.table.setFocus()
    with qtbot.waitSignal(lee.open_account) as opened:
        qtbot.keyClick(lee.table, Qt.Key.Key_Return)
    assert opened.args == [caseload["WL000004"]]

    choose(lee, "WL000001", "Task")
    with qtbot.waitSignal(lee.open_account) as opened:
        click(qtbot, lee.open_button)
    assert opened.args == [caseload["WL000001"]]

    rect = lee.table.visualRect(lee.table.model().index(0, 3))
    with qtbot.waitSignal(lee.open_account) as opened:  # a press, then the double click
        qtbot.mouseClick(lee.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(lee.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [caseload["WL000003"]]


def test_a_screenshot_of_a_leaders_worklist(
    caseload: dict[str, int],
    open_window: dict[str, OfficerWorklist],
    qapp: QApplication,
    tmp_path: Path,
) -> None:
    """``DEBTDESK_SCREENSHOTS=docs/screenshots`` saves it for the documentation too."""
    before = QFont(qapp.font())
    if FONT_FAMILY in register_fonts():
        font = QFont(before)
        font.setFamily(FONT_FAMILY)
        qapp.setFont(font)
    try:
        lee = open_window["lee"]
        lee.resize(1300, 400)
        lee.reload()
        choose(lee, "WL000001", "Task")
        image = lee.grab()
        assert image.width() == 1300 and image.height() == 400
        assert image.save(str(tmp_path / "worklist.png"))
        folder = os.environ.get("DEBTDESK_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            assert image.save(str(Path(folder) / "worklist.png"))
    finally:
        qapp.setFont(before)
