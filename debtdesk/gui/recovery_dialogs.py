"""The Recovery tab's actions: set a hold, end one, recommend a write-off, decide one.

Each is an :class:`~debtdesk.gui.action_dialog.ActionDialog` over one ``Holds`` or
``WriteOffs`` call. The services check everything — dates in order, who may approve
what, that the person who recommended a write-off does not decide it — and a refusal is
shown with the dialog left open to be put right.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QWidget,
)

from debtdesk.domain.holds import (
    BREATHING_SPACE_DAYS,
    CRISIS_EXTRA_DAYS,
    HOLD_NAMES,
    HoldReason,
    default_end,
)
from debtdesk.domain.money import MoneyError, parse_pounds
from debtdesk.domain.write_offs import REASON_NAMES, WriteOffReason
from debtdesk.gui.action_dialog import ActionDialog, chosen_date, date_edit
from debtdesk.gui.fields import line_edit, note_label, pounds_text, text_box, titled
from debtdesk.gui.formatting import money, uk_date
from debtdesk.services.errors import BadInput
from debtdesk.services.holds import HoldLine, Holds
from debtdesk.services.users import UserView
from debtdesk.services.write_offs import WriteOffLine, WriteOffs

REVIEW_AFTER_DAYS = 28
"""A new hold's review date is offered four weeks after its start."""


def hold_advice(reason: HoldReason, start: date) -> str:
    """What the officer should know about the dates of a hold for ``reason``."""
    if reason is HoldReason.BREATHING_SPACE:
        end = default_end(reason, start)
        return (
            f"A standard Breathing Space ends by itself after {BREATHING_SPACE_DAYS} days: "
            f"on {uk_date(end)} for this start. Give an end only if the Insolvency Service's "
            "notice says otherwise."
        )
    if reason is HoldReason.MENTAL_HEALTH_CRISIS:
        return (
            f"A crisis moratorium lasts the crisis treatment and {CRISIS_EXTRA_DAYS} days "
            "more, so its end is not known yet: give a review date, and end the hold when "
            "the treatment's end is known."
        )
    return (
        "Give an end date, a review date, or both. A hold with an end lifts itself after "
        "that day; one with only a review date stays until someone ends it, and comes up "
        "on the worklist on its review date."
    )


class HoldDialog(ActionDialog):
    """Stop the recovery clock: a reason, a start, an end or a review date, a note."""

    def __init__(
        self,
        holds: Holds,
        account_id: int,
        as_of: date,
        account_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            titled("Set a hold", account_label),
            "While a hold is in force the recovery run passes the account by: no letters, "
            "no calls, no next stage.",
            "Set &hold",
            parent,
        )
        self._holds, self._account_id = holds, account_id
        self.reason = QComboBox(self)
        self.reason.setAccessibleName("Reason")
        for reason, name in HOLD_NAMES.items():
            self.reason.addItem(name, reason.value)
        self.start = date_edit("Starts on", as_of, self)
        later = as_of + timedelta(days=REVIEW_AFTER_DAYS)
        self.has_end = QCheckBox("&Ends on:", self)
        self.has_end.setAccessibleName("Give an end date")
        self.end = date_edit("Ends on", later, self)
        self.has_review = QCheckBox("Re&view on:", self)
        self.has_review.setAccessibleName("Give a review date")
        self.review = date_edit("Review on", later, self)
        self.advice = note_label("About the dates", self)
        self.note = line_edit("Note", self, "What happened, and who told us")
        self.form.addRow("&Reason:", self.reason)
        self.form.addRow("&Starts on:", self.start)
        self.form.addRow(self.has_end, self.end)
        self.form.addRow(self.has_review, self.review)
        self.form.addRow("", self.advice)
        self.form.addRow("&Note:", self.note)
        self.has_review.setChecked(True)

        self.reason.currentIndexChanged.connect(self._reason_chosen)
        self.start.dateChanged.connect(self._show_advice)
        self.has_end.toggled.connect(self.end.setEnabled)
        self.has_review.toggled.connect(self.review.setEnabled)
        self.end.setEnabled(False)
        self._show_advice()

    def chosen_reason(self) -> HoldReason:
        return HoldReason(self.reason.currentData())

    def choose_reason(self, reason: HoldReason) -> None:
        self.reason.setCurrentIndex(self.reason.findData(reason.value))

    def _reason_chosen(self) -> None:
        reason = self.chosen_reason()
        if reason is HoldReason.BREATHING_SPACE:  # it ends by itself; nothing to review
            self.has_end.setChecked(False)
            self.has_review.setChecked(False)
        elif reason is HoldReason.MENTAL_HEALTH_CRISIS:  # no end known yet
            self.has_end.setChecked(False)
            self.has_review.setChecked(True)
        self._show_advice()

    def _show_advice(self) -> None:
        self.advice.setText(hold_advice(self.chosen_reason(), chosen_date(self.start)))

    def work(self) -> Callable[[], object]:
        holds, account_id = self._holds, self._account_id
        reason, start = self.chosen_reason(), chosen_date(self.start)
        end = chosen_date(self.end) if self.has_end.isChecked() else None
        review = chosen_date(self.review) if self.has_review.isChecked() else None
        note = self.note.text()
        return lambda: holds.set(account_id, reason, start, end=end, review=review, note=note)


def hold_said(hold: HoldLine) -> str:
    """``Dispute, from 10/03/2026 to 30/04/2026, set by tester: disputed``."""
    text = f"{hold.reason_name}, from {uk_date(hold.start_on)}"
    if hold.end_on is not None:
        text += f" to {uk_date(hold.end_on)}"
    if hold.review_on is not None:
        text += f", review {uk_date(hold.review_on)}"
    text += f", set by {hold.set_by}"
    return f"{text}: {hold.note}" if hold.note else text


class EndHoldDialog(ActionDialog):
    """End a hold from a date, saying why: recovery picks the account up again."""

    def __init__(
        self,
        holds: Holds,
        hold: HoldLine,
        as_of: date,
        account_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            titled("End a hold", account_label),
            f"{hold_said(hold)}.\n\nThe hold is not in force from the day it ends; the next "
            "recovery run takes the account on from where it was.",
            "&End hold",
            parent,
        )
        self._holds, self._hold_id = holds, hold.id
        self.on = date_edit("Ends from", max(as_of, hold.start_on), self)
        self.reason = line_edit("Why it ends", self, "What was decided, or what changed")
        self.form.addRow("Ends &from:", self.on)
        self.form.addRow("&Why:", self.reason)

    def work(self) -> Callable[[], object]:
        holds, hold_id = self._holds, self._hold_id
        on, note = chosen_date(self.on), self.reason.text()
        return lambda: holds.end(hold_id, on, note)


class RecommendWriteOffDialog(ActionDialog):
    """Recommend writing off an amount, for a reason, with the evidence; another decides."""

    def __init__(
        self,
        write_offs: WriteOffs,
        account_id: int,
        balance: int,
        account_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        owed = f"The balance is {money(balance)}. " if balance > 0 else ""
        super().__init__(
            titled("Recommend a write-off", account_label),
            f"{owed}Nothing is posted now: someone other than you, within their authority, "
            "approves or rejects the recommendation. Above every approver's limit it is "
            "referred to the chief finance officer.",
            "Re&commend",
            parent,
        )
        self._write_offs, self._account_id = write_offs, account_id
        self.amount = line_edit("Amount in pounds", self, "0.00")
        if balance > 0:
            self.amount.setText(pounds_text(balance))
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.reason = QComboBox(self)
        self.reason.setAccessibleName("Reason")
        for reason, name in REASON_NAMES.items():
            self.reason.addItem(name, reason.value)
        self.evidence = text_box(
            "Evidence", self, "What shows the debt cannot or should not be recovered"
        )
        self.form.addRow("&Amount (£):", self.amount)
        self.form.addRow("&Reason:", self.reason)
        self.form.addRow("&Evidence:", self.evidence)

    def chosen_reason(self) -> WriteOffReason:
        return WriteOffReason(self.reason.currentData())

    def choose_reason(self, reason: WriteOffReason) -> None:
        self.reason.setCurrentIndex(self.reason.findData(reason.value))

    def work(self) -> Callable[[], object]:
        write_offs, account_id = self._write_offs, self._account_id
        if not self.amount.text().strip():
            raise BadInput("give the amount to write off")
        try:
            amount = parse_pounds(self.amount.text())
        except MoneyError as error:
            raise BadInput(f"amount: {error}") from None
        reason, evidence = self.chosen_reason(), self.evidence.toPlainText()
        return lambda: write_offs.recommend(account_id, amount, reason, evidence)


def recommended(line: WriteOffLine) -> str:
    """``£400.00 recommended by officer on 01/06/2026: Hardship or vulnerability.``"""
    on = uk_date(line.recommended_at.astimezone().date())
    return f"{money(line.amount)} recommended by {line.recommended_by} on {on}: {line.reason_name}."


class DecideWriteOffDialog(ActionDialog):
    """Approve a recommended write-off (a decision date and a note), or reject it (why)."""

    def __init__(
        self,
        write_offs: WriteOffs,
        line: WriteOffLine,
        as_of: date,
        *,
        approve: bool,
        user: UserView | None = None,
        account_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        about = [recommended(line), f"Evidence: {line.evidence}"]
        if user is not None and user.username.lower() == line.recommended_by.lower():
            about.append("You recommended it, so someone else must decide it.")
        if approve:
            about.append(
                f"Approving posts a write-off of {money(line.amount)} dated the decision. An "
                "amount over your authority is refused, naming who may approve it; above "
                "every approver's limit it is recorded as referred to the chief finance "
                "officer, and nothing is posted."
            )
            title, ok_text = "Approve a write-off", "A&pprove"
        else:
            about.append("Rejecting posts nothing; the officer may recommend again.")
            title, ok_text = "Reject a write-off", "Re&ject"
        super().__init__(titled(title, account_label), "\n\n".join(about), ok_text, parent)
        self._write_offs, self._id = write_offs, line.id
        self.on: QDateEdit | None = None
        if approve:
            self.on = date_edit("Decided on", as_of, self)
            self.note = line_edit("Decision note", self, "Optional")
            self.form.addRow("&Decided on:", self.on)
            self.form.addRow("&Note:", self.note)
        else:
            self.note = line_edit("Why it is rejected", self, "For the officer and the audit trail")
            self.form.addRow("&Why:", self.note)

    def work(self) -> Callable[[], object]:
        write_offs, write_off_id, note = self._write_offs, self._id, self.note.text()
        if self.on is not None:
            on = chosen_date(self.on)
            return lambda: write_offs.approve(write_off_id, on, note)
        return lambda: write_offs.reject(write_off_id, note)
