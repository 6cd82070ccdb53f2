"""The account view's Recovery tab over a real database, worked by hand.

One invoice of £1,500.00 due Mon 2 Mar 2026 (tests/services/test_recovery_run.py):
reminder Mon 16 Mar (14 days after the due date), final reminder Mon 30 Mar (14 days
after the reminder), officer's call Mon 6 Apr, letter of claim Mon 13 Apr, panel
referral Wed 13 May; after that only the panel's decision moves it on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.write_offs import WriteOffReason, WriteOffStatus
from debtdesk.gui import recovery_tab
from debtdesk.gui.recovery_dialogs import (
    DecideWriteOffDialog,
    EndHoldDialog,
    HoldDialog,
    RecommendWriteOffDialog,
)
from debtdesk.gui.recovery_tab import (
    HOLDS_PAGE,
    LIMITS_PAGE,
    WRITE_OFFS_PAGE,
    RecoveryTab,
)
from debtdesk.services import ledger
from debtdesk.services.database import Database, open_database
from debtdesk.services.holds import Holds
from debtdesk.services.recovery import LimitLine, RecoverySummary, StageLine, recovery_summary
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.users import Users, current_user
from debtdesk.services.write_offs import WriteOffs
from tests.gui.money_support import take_notice
from tests.services.test_recovery_run import account  # noqa: F401  (the fixture)

LABEL = "RR000001 Mrs Ada Brown"
BALANCE = 150_000
REMINDER = date(2026, 3, 16)


def make_tab(db: Database, account_id: int, as_of: date, qtbot: QtBot) -> RecoveryTab:
    """The tab as the login of ``db`` sees it."""
    tab = RecoveryTab(
        partial(recovery_summary, db), Holds(db), WriteOffs(db), current_user(db),
        account_id, as_of, LABEL, BALANCE,
    )  # fmt: skip
    qtbot.addWidget(tab)
    tab.resize(960, 560)
    tab.show()
    return tab


@pytest.fixture
def leader(db: Database) -> Iterator[Database]:
    """The same database opened by a team leader (approves up to £1,000.00)."""
    Users(db).add("leader", "Team Leader", UserRole.TEAM_LEADER)
    other = open_database(db.url, actor="leader")
    yield other
    other.close()


def cells(table: QWidget, row: int) -> list[str]:
    model = table.model()  # type: ignore[attr-defined]
    return [model.index(row, c).data() for c in range(model.columnCount())]


def rows(table: QWidget) -> int:
    return int(table.model().rowCount())  # type: ignore[attr-defined]


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def show_page(tab: RecoveryTab, page: int) -> None:
    tab.sections.setCurrentIndex(page)


def statuses(db: Database, account_id: int) -> list[tuple[WriteOffStatus, int | None]]:
    return [(w.status, w.entry_id) for w in WriteOffs(db).for_account(account_id)]


# The summary


def test_the_summary_before_and_after_the_reminder_run(
    db: Database,
    account: int,  # noqa: F811
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    tab = make_tab(db, account, date(2026, 3, 10), qtbot)
    assert tab.summary_text() == (
        "Not in recovery\nOverdue: £1,500.00 since 02/03/2026\nNext: Reminder on 16/03/2026."
    )
    assert tab.standing_label.isHidden()
    assert rows(tab.history_table) == 0 and rows(tab.holds_table) == 0
    assert [tab.sections.tabText(i) for i in range(4)] == [
        "&Stages (0)", "H&olds (0)", "Si&x-year limit (1)", "&Write-offs (0)"
    ]  # fmt: skip
    number, due, outstanding, last, standing = cells(tab.limits_table, 0)
    assert (due, outstanding, last, standing) == ("02/03/2026", "£1,500.00", "02/03/2032", "")
    assert number

    RecoveryRuns(db).run(REMINDER, tmp_path)
    tab.as_of = REMINDER
    tab.reload()
    assert tab.summary_text() == (
        "Stage: Reminder (since 16/03/2026)\nOverdue: £1,500.00 since 02/03/2026\n"
        "Next: Final reminder on 30/03/2026."
    )
    assert cells(tab.history_table, 0)[:4] == ["16/03/2026", "Reminder", "Letter", "tester"]
    assert tab.sections.tabText(0) == "&Stages (1)"

    # On the final reminder's day, before that day's run.
    tab.as_of = date(2026, 3, 30)
    tab.reload()
    assert tab.next_label.text() == (
        "Next: Final reminder, due 30/03/2026: the next recovery run takes it."
    )


def test_after_the_panel_referral_the_panel_decides(
    db: Database,
    account: int,  # noqa: F811
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    runs = RecoveryRuns(db)
    for day in (REMINDER, date(2026, 3, 30), date(2026, 4, 6), date(2026, 4, 13)):
        runs.run(day, tmp_path)
    tab = make_tab(db, account, date(2026, 4, 20), qtbot)
    assert tab.stage_label.text() == "Stage: Letter of claim (since 13/04/2026)"
    assert tab.next_label.text() == "Next: Debt Management Panel referral on 13/05/2026."
    runs.run(date(2026, 5, 13), tmp_path)
    tab.as_of = date(2026, 5, 20)
    tab.reload()
    assert tab.stage_label.text() == "Stage: Debt Management Panel referral (since 13/05/2026)"
    assert tab.next_label.text() == (
        "Next: Legal / county court — waiting: the Debt Management Panel decides what comes next."
    )
    history = [cells(tab.history_table, r)[:3] for r in range(rows(tab.history_table))]
    assert history == [  # the latest first; the call and the referral are tasks
        ["13/05/2026", "Debt Management Panel referral", "Task"],
        ["13/04/2026", "Letter of claim", "Letter"],
        ["06/04/2026", "Officer contact (phone)", "Task"],
        ["30/03/2026", "Final reminder", "Letter"],
        ["16/03/2026", "Reminder", "Letter"],
    ]


def test_paid_off_it_leaves_recovery(
    db: Database,
    account: int,  # noqa: F811
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    RecoveryRuns(db).run(REMINDER, tmp_path)
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -BALANCE, date(2026, 3, 20), source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CARD,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")
    RecoveryRuns(db).run(date(2026, 3, 20), tmp_path)
    tab = make_tab(db, account, date(2026, 3, 20), qtbot)
    assert tab.summary_text() == (
        "Not in recovery: it ended on 20/03/2026\nNothing overdue\nNothing comes next."
    )
    assert cells(tab.history_table, 0)[1] == "Recovery ended: nothing overdue"
    assert rows(tab.limits_table) == 0


def summary_of(**changes: object) -> RecoverySummary:
    """A summary of an account at its reminder, £1,500.00 overdue, changed as asked."""
    reminder = StageLine("reminder", "Reminder", REMINDER, "tester", 1, None, "")
    plain = RecoverySummary(
        "Reminder", (reminder,), BALANCE, date(2026, 3, 2), False, False, 0,
        "Final reminder", date(2026, 3, 30), "", (),
    )  # fmt: skip
    return replace(plain, **changes)  # type: ignore[arg-type]


def test_why_the_next_stage_waits_is_said() -> None:
    say = partial(recovery_tab.next_text, as_of=REMINDER)
    assert say(summary_of()) == "Next: Final reminder on 30/03/2026."
    under = summary_of(
        stage=None, history=(), overdue=300, next_stage="Reminder", next_due=None,
        waiting_because="£3.00 overdue, under £5.00",
    )  # fmt: skip
    assert say(under) == "Next: Reminder — waiting: £3.00 overdue, under £5.00."
    kept = summary_of(
        next_stage="Letter of claim", next_due=None, kept_plan=True, broken_plans=2,
        waiting_because="a payment plan is being kept",
    )  # fmt: skip
    assert say(kept) == "Next: Letter of claim — waiting: a payment plan is being kept."
    assert recovery_tab.standing_text(kept, [], [], REMINDER) == (
        "A payment plan is being kept.\n2 broken plans."
    )
    assert recovery_tab.standing_text(summary_of(broken_plans=1), [], [], REMINDER) == (
        "1 broken plan."
    )
    last = summary_of(next_stage=None, next_due=None, waiting_because="no stage follows")
    assert say(last) == "Nothing comes next: no stage follows."


# Holds


def test_set_a_hold_through_the_dialog_then_end_it(
    db: Database,
    account: int,  # noqa: F811
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    RecoveryRuns(db).run(REMINDER, tmp_path)
    tab = make_tab(db, account, REMINDER, qtbot)
    show_page(tab, HOLDS_PAGE)
    assert not tab.end_hold_button.isEnabled()  # no hold to end
    click(qtbot, tab.set_hold_button)
    dialog = tab.dialog
    assert isinstance(dialog, HoldDialog) and LABEL in dialog.windowTitle()
    assert dialog.chosen_reason() is HoldReason.DISPUTE
    assert dialog.has_review.isChecked() and dialog.review.date() == QDate(2026, 4, 13)
    assert not dialog.has_end.isChecked() and not dialog.end.isEnabled()
    qtbot.keyClicks(dialog.note, "Disputes the March charge")
    qtbot.mouseClick(dialog.has_review, Qt.MouseButton.LeftButton)  # neither date: refused
    click(qtbot, dialog.ok_button)
    assert "Give the hold an end date or a review date" in take_notice(dialog.notice)
    assert dialog.isVisible() and Holds(db).for_account(account, REMINDER) == []

    qtbot.mouseClick(dialog.has_review, Qt.MouseButton.LeftButton)
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible() and tab.dialog is None
    assert cells(tab.holds_table, 0) == [
        "Dispute", "16/03/2026", "", "13/04/2026", "In force", "tester",
        "Disputes the March charge",
    ]  # fmt: skip
    assert tab.next_label.text() == (
        "Next: Final reminder, due 30/03/2026 — waiting: the account is on hold."
    )
    assert tab.standing_label.text() == "On hold: Dispute (review 13/04/2026)."
    assert tab.message.text().startswith("Hold set: Dispute.")
    assert tab.sections.tabText(HOLDS_PAGE) == "H&olds (1)"

    click(qtbot, tab.end_hold_button)
    end = tab.dialog
    assert isinstance(end, EndHoldDialog)
    assert "Dispute, from 16/03/2026, review 13/04/2026, set by tester" in end.intro.text()
    click(qtbot, end.ok_button)  # no reason
    assert "Say why the hold ends" in take_notice(end.notice)
    qtbot.keyClicks(end.reason, "Charge explained; she accepts it")
    click(qtbot, end.ok_button)
    assert not end.isVisible()
    state, note = cells(tab.holds_table, 0)[4], cells(tab.holds_table, 0)[6]
    assert state == "Ended 16/03/2026 by tester"
    assert note == "Disputes the March charge — Ended: Charge explained; she accepts it"
    assert tab.next_label.text() == "Next: Final reminder on 30/03/2026."
    assert tab.standing_label.isHidden()
    assert not tab.end_hold_button.isEnabled()


def test_a_breathing_space_ends_by_itself_after_60_days(
    db: Database,
    account: int,  # noqa: F811
    qtbot: QtBot,
) -> None:
    tab = make_tab(db, account, REMINDER, qtbot)
    show_page(tab, HOLDS_PAGE)
    click(qtbot, tab.set_hold_button)
    dialog = tab.dialog
    assert isinstance(dialog, HoldDialog)
    dialog.choose_reason(HoldReason.BREATHING_SPACE)
    assert not dialog.has_end.isChecked() and not dialog.has_review.isChecked()
    # 16 Mar and the 59 days after it: the last day in force is Thu 14 May.
    assert "ends by itself after 60 days: on 14/05/2026" in dialog.advice.text()
    dialog.start.setDate(QDate(2026, 3, 17))
    assert "on 15/05/2026" in dialog.advice.text()
    click(qtbot, dialog.ok_button)
    reason, start, end, review, state = cells(tab.holds_table, 0)[:5]
    assert (reason, start, end, review) == (
        "Breathing Space (standard)", "17/03/2026", "15/05/2026", ""
    )  # fmt: skip
    assert state == "Not started yet"
    assert tab.end_hold_button.isEnabled()  # a hold not yet started can be ended

    dialog2 = tab.set_hold()
    assert isinstance(dialog2, HoldDialog)
    dialog2.choose_reason(HoldReason.MENTAL_HEALTH_CRISIS)
    assert dialog2.has_review.isChecked() and "give a review date" in dialog2.advice.text()
    dialog2.reject()


# Write-offs


def test_the_recommender_cannot_approve_and_a_team_leader_can(
    db: Database,
    account: int,  # noqa: F811
    leader: Database,
    qtbot: QtBot,
) -> None:
    on = date(2026, 6, 1)
    tab = make_tab(db, account, on, qtbot)
    show_page(tab, WRITE_OFFS_PAGE)
    click(qtbot, tab.recommend_button)
    dialog = tab.dialog
    assert isinstance(dialog, RecommendWriteOffDialog)
    assert dialog.amount.text() == "1,500.00"  # the balance
    assert "The balance is £1,500.00." in dialog.intro.text()
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, "four hundred")
    dialog.choose_reason(WriteOffReason.HARDSHIP)
    qtbot.keyClicks(dialog.evidence, "Income support only; SFS attached")
    click(qtbot, dialog.ok_button)
    assert "Amount: 'four hundred' is not an amount in pounds" in take_notice(dialog.notice)
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, "400")
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    recommended, amount, reason, status, by, decided_by, note = cells(tab.write_offs_table, 0)
    assert (amount, reason, status, by, decided_by, note) == (
        "£400.00", "Hardship or vulnerability", "Waiting for a decision", "tester", "", "",
    )  # fmt: skip
    assert recommended.count("/") == 2  # the day it was recommended, on this computer's clock
    assert tab.write_off_detail.text() == (
        "Evidence: Income support only; SFS attached\n"
        "Waiting for someone other than tester to decide it."
    )
    assert "A write-off of £400.00 is waiting for a decision." in tab.standing_label.text()
    assert not tab.recommend_button.isEnabled()  # one waiting at a time
    assert "waiting for a decision" in tab.recommend_button.toolTip()

    # "tester" recommended it: the service refuses them, and the dialog stays open.
    click(qtbot, tab.approve_button)
    approve = tab.dialog
    assert isinstance(approve, DecideWriteOffDialog)
    assert "You recommended it, so someone else must decide it." in approve.intro.text()
    click(qtbot, approve.ok_button)
    assert take_notice(approve.notice) == (
        "The person who recommended a write-off cannot approve it; nothing was posted.\n"
    )
    assert approve.isVisible()
    assert statuses(db, account) == [(WriteOffStatus.RECOMMENDED, None)]
    approve.reject()
    assert tab.dialog is None

    # The team leader approves it.
    theirs = make_tab(leader, account, on, qtbot)
    show_page(theirs, WRITE_OFFS_PAGE)
    assert theirs.selected_write_off() is not None  # the waiting one is chosen
    click(qtbot, theirs.approve_button)
    decide = theirs.dialog
    assert isinstance(decide, DecideWriteOffDialog)
    assert "You recommended it" not in decide.intro.text()
    assert "£400.00 recommended by tester" in decide.intro.text()
    qtbot.keyClicks(decide.note, "Agreed: no realistic prospect")
    click(qtbot, decide.ok_button)
    assert not decide.isVisible()
    [(status_now, entry)] = statuses(db, account)
    assert status_now is WriteOffStatus.APPROVED and entry is not None
    row = cells(theirs.write_offs_table, 0)
    assert (row[3], row[5], row[6]) == ("Approved", "leader", "Agreed: no realistic prospect")
    assert theirs.message.text() == "Write-off approved: £400.00 posted."
    [line] = WriteOffs(db).for_account(account)
    assert line.decided_at is not None
    decided = line.decided_at.astimezone().strftime("%d/%m/%Y")
    assert theirs.write_off_detail.text().endswith(
        f"\nApproved by leader on {decided}: Agreed: no realistic prospect"
    )
    assert theirs.overdue_label.text() == "Overdue: £1,100.00 since 02/03/2026"
    assert not theirs.approve_button.isEnabled() and theirs.recommend_button.isEnabled()


def test_over_authority_is_refused_naming_who_may_and_a_rejection_needs_a_reason(
    db: Database,
    account: int,  # noqa: F811
    leader: Database,
    qtbot: QtBot,
) -> None:
    WriteOffs(db).recommend(account, BALANCE, WriteOffReason.UNTRACEABLE, "Tracing agent: gone")
    tab = make_tab(leader, account, date(2026, 6, 1), qtbot)
    show_page(tab, WRITE_OFFS_PAGE)
    click(qtbot, tab.approve_button)
    approve = tab.dialog
    assert isinstance(approve, DecideWriteOffDialog)
    click(qtbot, approve.ok_button)
    assert take_notice(approve.notice) == (
        "£1,500.00 is over your authority (£1,000.00); a finance manager may approve up to "
        "£10,000.00; nothing was posted.\n"
    )
    assert statuses(db, account) == [(WriteOffStatus.RECOMMENDED, None)]
    approve.reject()

    click(qtbot, tab.reject_button)
    reject = tab.dialog
    assert isinstance(reject, DecideWriteOffDialog) and reject.on is None
    click(qtbot, reject.ok_button)
    assert "Say why the write-off is rejected" in take_notice(reject.notice)
    qtbot.keyClicks(reject.note, "Trace again first")
    click(qtbot, reject.ok_button)
    assert statuses(db, account) == [(WriteOffStatus.REJECTED, None)]
    assert cells(tab.write_offs_table, 0)[3] == "Rejected"
    assert tab.message.text() == "Write-off of £1,500.00 rejected. Nothing was posted."


# Who sees what


def test_an_officer_does_not_see_approve_or_reject(
    db: Database,
    account: int,  # noqa: F811
    qtbot: QtBot,
) -> None:
    Users(db).add("officer", "Officer", UserRole.OFFICER)
    officer = open_database(db.url, actor="officer")
    try:
        tab = make_tab(officer, account, REMINDER, qtbot)
        show_page(tab, WRITE_OFFS_PAGE)
        assert tab.approve_button.isHidden() and tab.reject_button.isHidden()
        assert tab.recommend_button.isVisible()
        show_page(tab, HOLDS_PAGE)
        assert tab.set_hold_button.isVisible() and not tab.end_hold_button.isHidden()
    finally:
        officer.close()

    nobody = RecoveryTab(
        partial(recovery_summary, db), Holds(db), WriteOffs(db), None, account, REMINDER
    )
    qtbot.addWidget(nobody)
    for button in (
        nobody.set_hold_button, nobody.end_hold_button, nobody.recommend_button,
        nobody.approve_button, nobody.reject_button,
    ):  # fmt: skip
        assert button.isHidden(), button.text()
    assert nobody.set_hold() is None and nobody.recommend_write_off() is None
    assert nobody.stage_label.text() == "Not in recovery"  # looking needs no permission


# Models and the keyboard


def test_the_recovery_models_pass_the_qt_model_tester(
    db: Database,
    account: int,  # noqa: F811
    tmp_path: Path,
    qtmodeltester: ModelTester,
) -> None:
    RecoveryRuns(db).run(REMINDER, tmp_path)
    Holds(db).set(account, HoldReason.COMPLAINT, REMINDER, review=date(2026, 4, 16))
    WriteOffs(db).recommend(account, 1_000, WriteOffReason.UNECONOMICAL, "Below cost")
    summary = recovery_summary(db, account, REMINDER)
    for model in (
        recovery_tab.history_model(summary.history),
        recovery_tab.holds_model(Holds(db).for_account(account, REMINDER)),
        recovery_tab.limits_model(summary.limits, REMINDER),
        recovery_tab.write_offs_model(WriteOffs(db).for_account(account)),
    ):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_invoices_near_or_past_the_six_year_limit_are_highlighted_and_said() -> None:
    as_of = date(2032, 1, 10)
    limits = [
        LimitLine("INV-1", date(2026, 3, 2), 10_000, date(2032, 3, 2)),  # 52 days left
        LimitLine("INV-2", date(2025, 12, 1), 20_000, date(2031, 12, 1)),  # past
        LimitLine("INV-3", date(2026, 9, 1), 30_000, date(2032, 9, 1)),  # more than 6 months
        LimitLine("INV-4", date(2026, 1, 10), 40_000, date(2032, 1, 10)),  # today
    ]
    model = recovery_tab.limits_model(limits, as_of)
    standing = [model.index(r, recovery_tab.LIMIT_STANDING).data() for r in range(4)]
    assert standing == [
        "Last day in 52 days", "Statute-barred since 02/12/2031", "", "Last day today"
    ]  # fmt: skip
    background = [model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) for r in range(4)]
    assert background == [
        recovery_tab.NEAR_BACKGROUND, recovery_tab.PAST_BACKGROUND, None,
        recovery_tab.NEAR_BACKGROUND,
    ]  # fmt: skip
    assert model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole) == QColor(0, 0, 0)
    assert model.index(2, 2).data(Qt.ItemDataRole.ForegroundRole) is None


def test_the_tab_is_named_and_keyboard_reachable(
    db: Database,
    account: int,  # noqa: F811
    qtbot: QtBot,
) -> None:
    tab = make_tab(db, account, REMINDER, qtbot)
    for table in (tab.history_table, tab.holds_table, tab.limits_table, tab.write_offs_table):
        assert table.accessibleName() and table.focusPolicy() & Qt.FocusPolicy.TabFocus
    buttons = (
        tab.set_hold_button, tab.end_hold_button, tab.recommend_button, tab.approve_button,
        tab.reject_button,
    )  # fmt: skip
    titles = [tab.sections.tabText(i) for i in range(tab.sections.count())]
    mnemonics = [text[text.index("&") + 1].lower() for text in [b.text() for b in buttons] + titles]
    assert len(set(mnemonics)) == len(mnemonics)  # each its own Alt+letter
    assert "l" not in mnemonics  # the account window's "Write a &letter…"
    for label in (tab.stage_label, tab.overdue_label, tab.next_label, tab.message):
        assert label.accessibleName()
    assert tab.sections.accessibleName()
    with qtbot.waitActive(tab):
        tab.activateWindow()
    show_page(tab, LIMITS_PAGE)
    tab.sections.tabBar().setFocus()
    qtbot.keyClick(tab.sections.tabBar(), Qt.Key.Key_Right)
    assert tab.sections.currentIndex() == WRITE_OFFS_PAGE
    qtbot.keyClick(tab, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert tab.sections.currentIndex() == HOLDS_PAGE
    qtbot.keyClick(tab, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # Set hold…
    qtbot.waitUntil(lambda: isinstance(tab.dialog, HoldDialog))
    assert tab.dialog is not None
    tab.dialog.reject()


def test_a_summary_that_cannot_be_read_is_said(db: Database, qtbot: QtBot) -> None:
    tab = RecoveryTab(
        partial(recovery_summary, db), Holds(db), WriteOffs(db), current_user(db), 999, REMINDER
    )
    qtbot.addWidget(tab)
    assert tab.message.text() == "The recovery details could not be loaded: no account with id 999."
    assert tab.summary is None and tab.holds_table.model() is None
