"""Panel meetings, agendas and decisions on a real database, worked by hand.

The account owes £1,500.00 due Mon 2 Mar 2026 (tests/services/test_recovery_run.py): the
recovery runs take it to the panel referral stage on Wed 13 May 2026. A meeting on Wed
20 May takes it from there; the panel decides a county court claim, with an action for
the officer due Wed 27 May.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.deferred_payments import DpaOutcome
from debtdesk.domain.panel import CaseSource, MeetingStatus, PanelOption
from debtdesk.domain.write_offs import WriteOffReason, WriteOffStatus
from debtdesk.services.case_pack import CasePacks
from debtdesk.services.database import Database, open_database
from debtdesk.services.deferred_payments import DeferredPayments
from debtdesk.services.errors import BadInput
from debtdesk.services.panel import Panels
from debtdesk.services.panel_decisions import NewAction, PanelDecisions, WriteOffTerms
from debtdesk.services.panel_minutes import PanelMinutes
from debtdesk.services.recovery import recovery_summary
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.users import Users
from debtdesk.services.worklist import ItemKind, Worklists
from debtdesk.services.write_offs import WriteOffs
from tests.services.support import add_account, pdf_text, table_counts
from tests.services.test_recovery_run import account  # noqa: F401  (the fixture)

REFERRAL, MEETING, ACTION_DUE = date(2026, 5, 13), date(2026, 5, 20), date(2026, 5, 27)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The recovery runs render letters: let pytest-qt make the application."""


@pytest.fixture
def referred(db: Database, account: int, tmp_path: Path) -> int:  # noqa: F811
    """The account walked to the panel referral stage by the recovery runs."""
    for day in (
        date(2026, 3, 16), date(2026, 3, 30), date(2026, 4, 6), date(2026, 4, 13), REFERRAL
    ):  # fmt: skip
        RecoveryRuns(db).run(day, tmp_path)
    assert recovery_summary(db, account, REFERRAL).stage == "Debt Management Panel referral"
    return account


def _held_meeting(db: Database) -> tuple[int, int]:
    """A meeting with the referred account added from the waiting list, then held."""
    panels = Panels(db)
    meeting = panels.plan(MEETING, "Debt Management Panel, May 2026", ["J Taylor"])
    [case] = panels.add_awaiting(meeting)
    panels.recommend(case, PanelOption.COUNTY_COURT, "No contact since the letter of claim")
    panels.hold(meeting, ["J Taylor (chair)", "M Finch", "Officer"])
    return meeting, case


def test_the_referred_account_waits_for_the_panel_and_goes_on_the_agenda(
    db: Database, referred: int
) -> None:
    panels = Panels(db)
    assert panels.awaiting() == [referred]
    meeting = panels.plan(MEETING, "Debt Management Panel, May 2026")
    with db.sessions.begin() as s:
        other = add_account(s, "PN000002", "Mr Ray Other")
    second = panels.add_case(meeting, other, PanelOption.WRITE_OFF, "Untraceable since 2024")
    [first] = panels.add_awaiting(meeting)
    assert panels.awaiting() == []
    view = panels.meeting(meeting)
    assert [(c.account_ref, c.position, c.source, c.recommended_by) for c in view.cases] == [
        ("PN000002", 1, CaseSource.OFFICER, "tester"),  # recommended as it was added
        ("RR000001", 2, CaseSource.RECOVERY_STAGE, ""),  # no recommendation yet
    ]
    panels.reorder(meeting, [first, second])
    assert [c.account_ref for c in panels.meeting(meeting).cases] == ["RR000001", "PN000002"]
    with pytest.raises(BadInput, match="RR000001 is on this meeting's agenda already"):
        panels.add_case(meeting, referred)
    with pytest.raises(BadInput, match="each of the meeting's cases once"):
        panels.reorder(meeting, [first])
    panels.remove_case(second)
    assert [(c.account_ref, c.position) for c in panels.meeting(meeting).cases] == [("RR000001", 1)]


def test_a_decision_moves_the_recovery_on_and_puts_its_action_on_the_worklist(
    db: Database, referred: int
) -> None:
    """Before: at the panel referral stage, the panel to decide what comes next. The claim
    is refused until the deferred payment agreement is dealt with; then the account is at
    "Legal / county court" from 20/05, and the action is on the officer's worklist on
    27/05, not before."""
    Users(db).add("aofficer", "Ann Officer", UserRole.OFFICER)
    meeting, case = _held_meeting(db)
    before = recovery_summary(db, referred, MEETING)
    assert (before.stage, before.next_stage) == (
        "Debt Management Panel referral", "Legal / county court",
    )  # fmt: skip
    decide = PanelDecisions(db)
    action = NewAction("Send the file to legal services", "aofficer", ACTION_DUE)
    rows = table_counts(db.engine)
    with pytest.raises(BadInput, match="RR000001: no deferred payment agreement offer"):
        decide.record(case, PanelOption.COUNTY_COURT, "Claim agreed", MEETING, [action])
    assert table_counts(db.engine) == rows
    DeferredPayments(db).record(
        referred, DpaOutcome.NOT_AVAILABLE, date(2026, 5, 18), "Lives at home; rents"
    )
    decide.record(case, PanelOption.COUNTY_COURT, "Claim agreed; costs to be added", MEETING,
                  [action])  # fmt: skip
    after = recovery_summary(db, referred, MEETING)
    assert (after.stage, after.history[-1].effective_date, after.history[-1].note) == (
        "Legal / county court", MEETING,
        "Panel decision, 20/05/2026: County court claim",
    )  # fmt: skip
    assert after.next_stage == "Enforcement or tracing agents"
    owner = open_database(db.url, actor="aofficer")  # the action's owner sees it
    try:
        mine = Worklists(owner).for_today(ACTION_DUE)
        early = Worklists(owner).for_today(date(2026, 5, 26))
    finally:
        owner.close()
    [task] = [i for i in mine.items if "Send the file to legal services" in i.what]
    assert (task.kind, task.due, task.account_ref) == (ItemKind.TASK, ACTION_DUE, "RR000001")
    assert not mine.everyone and early.items == ()
    with pytest.raises(BadInput, match="this case has its decision already"):
        decide.record(case, PanelOption.AGENTS, "again", MEETING)
    Panels(db).minute(meeting)
    assert Panels(db).meeting(meeting).status is MeetingStatus.MINUTED
    rows = CasePacks(db).pack(referred, ACTION_DUE).chronology
    assert [(r.on, r.what, r.detail) for r in rows if "Panel decision" in r.what] == [
        (MEETING, "Debt Management Panel decision",
         "County court claim: Claim agreed; costs to be added"),
    ]  # fmt: skip
    [(_, line)] = Panels(db).for_account(referred)
    assert (line.recommendation, line.decision) == (
        PanelOption.COUNTY_COURT, PanelOption.COUNTY_COURT,
    )  # fmt: skip


def test_a_write_off_decision_starts_a_recommendation(db: Database, referred: int) -> None:
    _, case = _held_meeting(db)
    with pytest.raises(BadInput, match="needs the amount and the reason"):
        PanelDecisions(db).record(case, PanelOption.WRITE_OFF, "Uneconomic", MEETING)
    PanelDecisions(db).record(
        case, PanelOption.WRITE_OFF, "Cost of a claim exceeds the debt", MEETING,
        write_off=WriteOffTerms(1_500_00, WriteOffReason.UNECONOMICAL),
    )  # fmt: skip
    [waiting] = WriteOffs(db).for_account(referred)
    assert (waiting.amount, waiting.status) == (1_500_00, WriteOffStatus.RECOMMENDED)
    assert waiting.evidence.startswith("Panel decision, 20/05/2026: Write-off.")
    assert recovery_summary(db, referred, MEETING).stage == "Write-off"


def test_decisions_wait_for_the_meeting_and_minutes_for_every_decision(
    db: Database, referred: int
) -> None:
    panels = Panels(db)
    meeting = panels.plan(MEETING, "Debt Management Panel, May 2026")
    with pytest.raises(BadInput, match="the meeting has no cases on its agenda"):
        panels.hold(meeting, ["J Taylor"])
    [case] = panels.add_awaiting(meeting)
    with pytest.raises(BadInput, match=re.escape("is planned: decisions are recorded once")):
        PanelDecisions(db).record(case, PanelOption.AGENTS, "Trace first", MEETING)
    with pytest.raises(BadInput, match="say who attended"):
        panels.hold(meeting, [" "])
    panels.hold(meeting, ["J Taylor"])
    with pytest.raises(BadInput, match="these cases have no decision yet: RR000001"):
        panels.minute(meeting)
    with pytest.raises(BadInput, match="its agenda can no longer change"):
        panels.add_case(meeting, referred)


def test_the_minutes_print_from_the_records(db: Database, referred: int, tmp_path: Path) -> None:
    Users(db).add("aofficer", "Ann Officer", UserRole.OFFICER)
    minutes = PanelMinutes(db)
    planned = Panels(db).plan(MEETING, "Not yet held")
    with pytest.raises(BadInput, match="has not been held: there are no minutes yet"):
        minutes.write(planned, tmp_path / "none.pdf")
    meeting, case = _held_meeting(db)
    draft = pdf_text(minutes.write(meeting, tmp_path / "draft.pdf"))
    assert "Draft: the minutes are not yet closed." in draft
    assert "No decision recorded yet." in draft
    DeferredPayments(db).record(referred, DpaOutcome.NOT_AVAILABLE,
                                date(2026, 5, 18), "Lives at home; rents")  # fmt: skip
    PanelDecisions(db).record(
        case, PanelOption.COUNTY_COURT, "Claim agreed; costs to be added", MEETING,
        [NewAction("Send the file to legal services", "aofficer", ACTION_DUE)],
    )  # fmt: skip
    Panels(db).minute(meeting)
    text = pdf_text(minutes.write(meeting, tmp_path / "minutes.pdf"))
    for said in (
        "OFFICIAL – SENSITIVE",
        "Debt Management Panel: minutes",
        "Debt Management Panel, May 2026, 20 May 2026",
        "Present: J Taylor (chair), M Finch, Officer",
        "1. RR000001 Mrs Ada Brown: debt £1,500.00",
        "Officer's recommendation: County court claim. No contact since the letter of claim",
        "Discussion: Claim agreed; costs to be added",
        "Decision (20/05/2026): County court claim",
        "Send the file to legal services Ann Officer 27/05/2026",
        "Debt Management Panel minutes · 20/05/2026 Page 1 of 1",
    ):
        assert said in text, said
    assert "Draft" not in text
