"""The Recovery policy dialog on a new database: editing stages and figures, saving, refusals.

The stored policy starts as RULES.md's defaults: eight stages, the final reminder (stage
2) 14 days after the reminder, the letter of claim (stage 4) 14 days after the final
reminder; plan tolerance £1.00, write-off limits £1,000.00 (team leader) and
£10,000.00 (finance manager).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit, QSpinBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.payment_plans import DEFAULT_GRACE_DAYS
from debtdesk.domain.recovery import DEFAULT_POLICY, policy_data
from debtdesk.gui.policy_dialog import NOTHING_SAVED, PolicyDialog
from debtdesk.gui.policy_stages import COLUMN
from debtdesk.services.database import Database, open_database
from debtdesk.services.settings import SPECS, Settings
from debtdesk.services.users import Users
from tests.services.support import snapshot

KEYS = (
    "recovery.policy",
    "recovery.highest_stage",
    "plans.tolerance",
    "plans.grace_days",
    "write_offs.limits",
)


def make_dialog(db: Database, qtbot: QtBot) -> PolicyDialog:
    dialog = PolicyDialog(Settings(db))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.save_button.isEnabled()  # loaded (tasks run at once in tests)
    return dialog


def stored_policy(db: Database) -> list[dict[str, Any]]:
    return json.loads(Settings(db).get("recovery.policy"))  # type: ignore[no-any-return]


def cell(dialog: PolicyDialog, row: int, key: str) -> Any:
    return dialog.model.index(row, COLUMN[key]).data()


def edit_cell(dialog: PolicyDialog, qtbot: QtBot, row: int, key: str, editor_type: type) -> Any:
    """Open the cell's editor as a double-click or F2 would, and return it."""
    index = dialog.model.index(row, COLUMN[key])
    dialog.table.setCurrentIndex(index)
    dialog.table.edit(index)
    editor = dialog.table.viewport().findChild(editor_type)
    assert editor is not None
    return editor


def commit(qtbot: QtBot, dialog: PolicyDialog, editor: Any) -> None:
    """Enter: the delegate hands the value to the model and closes the editor (queued)."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.state() != QAbstractItemView.State.EditingState)


def test_the_dialog_shows_the_stored_policy_and_figures(
    db: Database, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    dialog = make_dialog(db, qtbot)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 8
    assert [cell(dialog, row, "code") for row in range(3)] == [
        "reminder",
        "final_reminder",
        "officer_contact",
    ]
    assert cell(dialog, 0, "min_overdue") == "£5.00"
    assert cell(dialog, 1, "after_days") == "14" and cell(dialog, 1, "anchor") == "reminder"
    assert cell(dialog, 2, "channel") == "Phone task"
    flag = dialog.model.index(3, COLUMN["individuals_only"])
    assert flag.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert not dialog.highest_stage.isChecked()
    assert dialog.tolerance.text() == "1.00"
    assert dialog.grace_days.value() == DEFAULT_GRACE_DAYS
    assert [e.text() for e in dialog.limits.values()] == ["1,000.00", "10,000.00"]
    assert [e.accessibleName() for e in dialog.limits.values()] == [
        "Write-off limit, team leader (£)",
        "Write-off limit, finance manager (£)",
    ]
    assert dialog.table.accessibleName() == "Recovery stages"
    assert not dialog.message.isVisible()


def test_a_stage_s_days_edited_from_14_to_21_are_saved(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    before = {key: Settings(db).get(key) for key in KEYS}
    spin = edit_cell(dialog, qtbot, 1, "after_days", QSpinBox)
    assert spin.value() == 14 and spin.accessibleName() == "Stage 2, days after"
    spin.setValue(21)
    commit(qtbot, dialog, spin)
    assert cell(dialog, 1, "after_days") == "21"

    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert list(saved.args[0]) == ["recovery.policy"]  # only what changed is written
    policy = stored_policy(db)
    assert policy[1]["code"] == "final_reminder" and policy[1]["after_days"] == 21
    expected = policy_data(DEFAULT_POLICY)
    expected[1]["after_days"] = 21
    assert policy == expected
    assert {key: Settings(db).get(key) for key in KEYS[1:]} == {k: before[k] for k in KEYS[1:]}
    assert not dialog.isVisible()


def test_an_anchor_naming_a_later_stage_is_refused_and_nothing_is_saved(
    db: Database, qtbot: QtBot
) -> None:
    dialog = make_dialog(db, qtbot)
    before = snapshot(db.engine)
    dialog.tolerance.setText("2.00")  # a good change: not written either
    dialog.table.setCurrentIndex(dialog.model.index(3, COLUMN["name"]))  # letter of claim
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    assert cell(dialog, 1, "code") == "letter_of_claim"
    assert dialog.table.currentIndex().row() == 1  # it went with the stage

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.message.isVisible()
    assert dialog.message.text() == (
        "Recovery policy: stage 2 (letter_of_claim), anchor: 'final_reminder' is neither "
        f"'due' nor an earlier stage.\n{NOTHING_SAVED}"
    )
    assert snapshot(db.engine) == before
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    chosen = dialog.table.currentIndex()
    assert (chosen.row(), chosen.column()) == (1, COLUMN["anchor"])

    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)  # put right
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0] == {"plans.tolerance": "2.00"}  # the stages are as they were
    assert stored_policy(db) == policy_data(DEFAULT_POLICY)


def test_the_anchor_list_offers_the_due_date_and_earlier_stages_only(
    db: Database, qtbot: QtBot
) -> None:
    dialog = make_dialog(db, qtbot)
    combo = edit_cell(dialog, qtbot, 2, "anchor", QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "due",
        "reminder",
        "final_reminder",
    ]
    assert combo.currentText() == "final_reminder"
    combo.setCurrentIndex(1)
    commit(qtbot, dialog, combo)
    assert cell(dialog, 2, "anchor") == "reminder"


def test_a_write_off_limit_typed_in_pounds_is_stored_in_pence(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    edit = dialog.limits[UserRole.TEAM_LEADER]
    edit.clear()
    qtbot.keyClicks(edit, "£2,500.00")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert json.loads(Settings(db).get("write_offs.limits")) == {
        "officer": 0,  # kept as it was
        "team_leader": 250_000,
        "finance_manager": 1_000_000,
    }


def test_a_limit_that_is_not_pounds_is_refused_naming_it(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    before = snapshot(db.engine)
    dialog.limits[UserRole.FINANCE_MANAGER].setText("ten grand")
    dialog.grace_days.setValue(10)
    dialog.save()
    assert dialog.message.text() == (
        "Write-off limit, finance manager: 'ten grand' is not an amount in pounds.\n"
        f"{NOTHING_SAVED}"
    )
    dialog.limits[UserRole.FINANCE_MANAGER].setText("-5")
    dialog.save()
    assert dialog.message.text().startswith("Write-off limit, finance manager: '-5' is less")
    dialog.tolerance.setText("a pound")
    dialog.limits[UserRole.FINANCE_MANAGER].setText("10,000")
    dialog.save()
    assert dialog.message.text() == (
        f"Plan tolerance: 'a pound' is not an amount in pounds.\n{NOTHING_SAVED}"
    )
    assert snapshot(db.engine) == before


def test_the_plan_figures_and_the_highest_stage_are_saved_together(
    db: Database, qtbot: QtBot
) -> None:
    dialog = make_dialog(db, qtbot)
    qtbot.mouseClick(dialog.highest_stage, Qt.MouseButton.LeftButton)
    dialog.tolerance.setText("£2.5")
    dialog.grace_days.setValue(10)
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    assert saved.args[0] == {
        "recovery.highest_stage": "yes",
        "plans.tolerance": "2.50",
        "plans.grace_days": "10",
    }
    assert Settings(db).get("plans.tolerance") == "2.50"
    assert Settings(db).get("recovery.highest_stage") == "yes"


def test_add_rename_remove_and_restore_stages(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    dialog.table.setCurrentIndex(dialog.model.index(2, 0))  # officer contact
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 9 and dialog.table.currentIndex().row() == 3
    assert cell(dialog, 3, "code") == "new_stage"
    assert cell(dialog, 3, "anchor") == "officer_contact"  # counted from the stage before
    code = edit_cell(dialog, qtbot, 3, "code", QLineEdit)
    code.setText("second_call")
    commit(qtbot, dialog, code)
    model = dialog.model
    model.setData(model.index(3, COLUMN["name"]), "Second call")
    model.setData(model.index(3, COLUMN["min_overdue"]), "£250")
    model.setData(model.index(3, COLUMN["customer_types"]), " res, , dom,res")
    flag = model.index(3, COLUMN["needs_no_kept_plan"])
    model.setData(flag, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert cell(dialog, 3, "min_overdue") == "£250.00"

    reminder = edit_cell(dialog, qtbot, 0, "code", QLineEdit)  # renamed: its anchors follow
    reminder.setText("first_reminder")
    commit(qtbot, dialog, reminder)
    assert cell(dialog, 1, "anchor") == "first_reminder"

    dialog.table.setCurrentIndex(model.index(7, 0))  # agents
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.saved):
        dialog.save()

    policy = stored_policy(db)
    assert [s["code"] for s in policy] == [
        "first_reminder",
        "final_reminder",
        "officer_contact",
        "second_call",
        "letter_of_claim",
        "panel_referral",
        "legal",
        "write_off",
    ]
    assert policy[1]["anchor"] == "first_reminder"
    assert {k: policy[3][k] for k in ("min_overdue", "customer_types", "needs_no_kept_plan")} == {
        "min_overdue": 25_000,
        "customer_types": ["dom", "res"],
        "needs_no_kept_plan": True,
    }

    again = make_dialog(db, qtbot)
    qtbot.mouseClick(again.defaults_button, Qt.MouseButton.LeftButton)
    assert again.model.rowCount() == 8 and "default stages are back" in again.message.text()
    with qtbot.waitSignal(again.saved):
        again.save()
    assert Settings(db).get("recovery.policy") == SPECS["recovery.policy"].default


def test_an_amount_that_is_not_pounds_is_not_taken(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    index = dialog.model.index(1, COLUMN["min_overdue"])
    assert not dialog.model.setData(index, "a fiver")
    assert dialog.message.text() == (
        "Stage 2 (final_reminder), min. overdue: 'a fiver' is not an amount in pounds."
    )
    assert cell(dialog, 1, "min_overdue") == "£0.00"


def test_a_letter_stage_without_a_template_is_refused(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    dialog.model.setData(dialog.model.index(2, COLUMN["channel"]), "letter")
    dialog.table.setCurrentIndex(dialog.model.index(0, 0))
    dialog.save()
    assert dialog.message.text().startswith(
        "Recovery policy: stage 3 (officer_contact), template: a letter stage needs its template"
    )
    chosen = dialog.table.currentIndex()  # the stage and field named
    assert (chosen.row(), chosen.column()) == (2, COLUMN["template"])
    assert stored_policy(db) == policy_data(DEFAULT_POLICY)


def test_a_login_that_may_not_edit_policy_is_refused(db: Database, qtbot: QtBot) -> None:
    Users(db).add("jsmith", "Jo Smith", UserRole.OFFICER)
    officer = open_database(db.url, actor="jsmith")
    try:
        before = snapshot(db.engine)
        dialog = make_dialog(officer, qtbot)
        dialog.grace_days.setValue(3)
        dialog.save()
        assert dialog.message.text() == (
            f"Jo Smith (officer) may not edit policy and settings.\n{NOTHING_SAVED}"
        )
        assert dialog.isVisible() and snapshot(db.engine) == before
    finally:
        officer.close()


def test_the_only_stage_cannot_be_removed_or_moved(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    dialog.model.set_stages(policy_data(DEFAULT_POLICY)[:1])
    dialog.table.setCurrentIndex(dialog.model.index(0, 0))
    assert not dialog.remove_button.isEnabled()
    assert not dialog.up_button.isEnabled() and not dialog.down_button.isEnabled()
