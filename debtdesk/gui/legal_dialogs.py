"""The Legal and agents page's actions: a deferred payment agreement decision, a referral
to agents, legal or the court, and what came back from one.

Each is an :class:`~debtdesk.gui.action_dialog.ActionDialog` over one service call; the
services check everything (a decision out of order, court action before a deferred
payment agreement was refused, a return above what was referred), and a refusal is shown
with the dialog left open to be put right.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from debtdesk.domain.deferred_payments import DPA_NAMES, DpaOutcome, needs_note
from debtdesk.domain.referrals import REFERRAL_NAMES, ReferralKind
from debtdesk.gui.action_dialog import ActionDialog, chosen_date, date_edit
from debtdesk.gui.fields import line_edit, note_label, pounds_text, read_pounds, titled
from debtdesk.gui.formatting import money, uk_date
from debtdesk.services.deferred_payments import DeferredPayments, DpaLine
from debtdesk.services.referrals import COURT_ACTION, ReferralLine, Referrals

DPA_ABOUT = (
    "A deferred payment agreement must be offered before any court action where one is "
    "available (Care Act s69(2)): it is for someone in, or going into, a care home whose "
    "home is not disregarded. Court action may start once the offer is refused, or once "
    "you record that none is available to the person and why."
)


def next_outcome(latest: DpaLine | None) -> DpaOutcome:
    """The decision most likely to come next: an answer to an offer, else an offer."""
    if latest is not None and latest.outcome is DpaOutcome.OFFERED:
        return DpaOutcome.REFUSED
    return DpaOutcome.OFFERED


class DpaDialog(ActionDialog):
    """Record a deferred payment agreement decision: offered, refused, accepted, or none
    available (and why)."""

    def __init__(
        self,
        dpa: DeferredPayments,
        account_id: int,
        as_of: date,
        latest: DpaLine | None,
        account_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        said = (
            f"\n\nThe last decision: {latest.outcome_name.lower()}, {uk_date(latest.decided_on)}."
            if latest is not None
            else ""
        )
        super().__init__(
            titled("Deferred payment agreement", account_label),
            DPA_ABOUT + said,
            "&Record",
            parent,
        )
        self._dpa, self._account_id = dpa, account_id
        self.outcome = QComboBox(self)
        self.outcome.setAccessibleName("Decision")
        for outcome, name in DPA_NAMES.items():
            self.outcome.addItem(name, outcome.value)
        self.on = date_edit("Decided on", as_of, self)
        self.note = line_edit("Note", self, "")
        self.form.addRow("&Decision:", self.outcome)
        self.form.addRow("&On:", self.on)
        self.form.addRow("&Note:", self.note)
        self.outcome.currentIndexChanged.connect(self._outcome_chosen)
        self.choose(next_outcome(latest))

    def chosen(self) -> DpaOutcome:
        return DpaOutcome(self.outcome.currentData())

    def choose(self, outcome: DpaOutcome) -> None:
        self.outcome.setCurrentIndex(self.outcome.findData(outcome.value))
        self._outcome_chosen()

    def _outcome_chosen(self) -> None:
        self.note.setPlaceholderText(
            "Why none is available (e.g. receives care at home; rents)"
            if needs_note(self.chosen())
            else "Optional: how it was offered or answered, and by whom"
        )

    def work(self) -> Callable[[], object]:
        dpa, account_id = self._dpa, self._account_id
        outcome, on, note = self.chosen(), chosen_date(self.on), self.note.text()
        return lambda: dpa.record(account_id, outcome, on, note)


class ReferDialog(ActionDialog):
    """Refer the account: to whom, of what kind, on what day, for how much."""

    def __init__(
        self,
        referrals: Referrals,
        account_id: int,
        as_of: date,
        balance: int,
        court_blocked: str | None,
        account_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        owed = f"The balance is {money(balance)}. " if balance > 0 else ""
        super().__init__(
            titled("Refer the account", account_label),
            f"{owed}Record where the debt went and their reference; record what comes back "
            "when it is returned. Payments the agency collects are posted as payments.",
            "&Refer",
            parent,
        )
        self._referrals, self._account_id = referrals, account_id
        self._court_blocked = court_blocked
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Referred to")
        for kind, name in REFERRAL_NAMES.items():
            self.kind.addItem(name, kind.value)
        self.on = date_edit("Referred on", as_of, self)
        self.amount = line_edit("Amount referred in pounds", self, "0.00")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        if balance > 0:
            self.amount.setText(pounds_text(balance))
        self.agency = line_edit("Agency", self, "Who it went to")
        self.reference = line_edit("Their reference", self, "Optional")
        self.warning = note_label("Before court action", self)
        self.form.addRow("Referred &to:", self.kind)
        self.form.addRow("&On:", self.on)
        self.form.addRow("&Amount (£):", self.amount)
        self.form.addRow("A&gency:", self.agency)
        self.form.addRow("Their re&ference:", self.reference)
        self.form.addRow("", self.warning)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self._kind_chosen()

    def chosen(self) -> ReferralKind:
        return ReferralKind(self.kind.currentData())

    def choose(self, kind: ReferralKind) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind.value))

    def _kind_chosen(self) -> None:
        court = self.chosen() in COURT_ACTION and self._court_blocked is not None
        self.warning.setText(f"Not yet: {self._court_blocked}." if court else "")
        self.warning.setVisible(court)

    def work(self) -> Callable[[], object]:
        referrals, account_id = self._referrals, self._account_id
        amount = read_pounds(self.amount.text(), "Amount referred")
        kind, on = self.chosen(), chosen_date(self.on)
        agency, reference = self.agency.text(), self.reference.text()
        return lambda: referrals.refer(account_id, kind, on, amount, agency, reference)


class ReturnDialog(ActionDialog):
    """What came back from a referral: the day, the outcome, what was recovered."""

    def __init__(
        self,
        referrals: Referrals,
        line: ReferralLine,
        as_of: date,
        account_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        their = f" (their reference {line.reference})" if line.reference else ""
        super().__init__(
            titled("Record a return", account_label),
            f"{line.kind_name} to {line.agency}{their}, referred {uk_date(line.referred_on)} "
            f"for {money(line.amount)}.\n\nRecovered is the referred debt the agency "
            "reports collected, never more than was referred: costs and interest are not "
            "part of it.",
            "&Record return",
            parent,
        )
        self._referrals, self._id = referrals, line.id
        self.on = date_edit("Returned on", max(as_of, line.referred_on), self)
        self.outcome = line_edit("Outcome", self, "What they did, and why it came back")
        self.recovered = line_edit("Recovered in pounds", self, "0.00")
        self.recovered.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.addRow("Returned &on:", self.on)
        self.form.addRow("O&utcome:", self.outcome)
        self.form.addRow("Re&covered (£):", self.recovered)

    def work(self) -> Callable[[], object]:
        referrals, referral_id = self._referrals, self._id
        recovered = read_pounds(self.recovered.text(), "Recovered", 0)
        on, outcome = chosen_date(self.on), self.outcome.text()
        return lambda: referrals.record_return(referral_id, on, outcome, recovered)
