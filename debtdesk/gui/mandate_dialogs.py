"""The Direct debit actions: a new instruction, cancel, release a hold, re-present a debit.

Each is an :class:`~debtdesk.gui.action_dialog.ActionDialog` over one ``Mandates`` call;
the service checks everything (a refusal is shown and the dialog stays open).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QWidget

from debtdesk.domain.working_days import add_working_days
from debtdesk.gui.action_dialog import ActionDialog, chosen_date, date_edit
from debtdesk.gui.fields import line_edit
from debtdesk.gui.formatting import money, uk_date
from debtdesk.services.errors import BadInput
from debtdesk.services.mandates import Mandates, MandateView

NOTICE_WORKING_DAYS = 5
"""A re-presentation is offered this many working days ahead: the payer's notice."""


class NewMandateDialog(ActionDialog):
    """Record the payer's signed instruction; the next DD run lodges it (0N)."""

    def __init__(
        self,
        mandates: Mandates,
        account_id: int,
        today: date,
        account_label: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"New direct debit instruction — {account_label}",
            "Key the details from the signed instruction. The next direct debit run sends "
            "it to the bank (0N); collections start once it is lodged.",
            "&Record instruction",
            parent,
        )
        self._mandates, self._account_id = mandates, account_id
        self.reference = line_edit("Direct debit reference", self, "6 to 18 characters")
        self.reference.setMaxLength(18)
        self.payer = line_edit("Payer name", self, "The bank account holder's name")
        self.sort_code = line_edit("Sort code", self)
        self.sort_code.setInputMask("99-99-99;_")
        self.account_number = line_edit("Account number", self)
        self.account_number.setInputMask("99999999;_")
        self.signed_on = date_edit("Signed on", today, self)
        self.signed_on.setMaximumDate(self.signed_on.date())
        self.form.addRow("&Reference:", self.reference)
        self.form.addRow("&Payer name:", self.payer)
        self.form.addRow("&Sort code:", self.sort_code)
        self.form.addRow("&Account number:", self.account_number)
        self.form.addRow("Si&gned on:", self.signed_on)

    def work(self) -> Callable[[], object]:
        mandates, account_id = self._mandates, self._account_id
        values = (
            self.reference.text(),
            self.payer.text(),
            self.sort_code.text().replace("-", "").replace("_", ""),
            self.account_number.text().replace("_", ""),
            chosen_date(self.signed_on),
        )
        return lambda: mandates.create(account_id, *values)


class MandateReasonDialog(ActionDialog):
    """Cancel a mandate, or release its hold: a date and a reason."""

    def __init__(
        self,
        action: Callable[[int, date, str], None],
        mandate: MandateView,
        today: date,
        title: str,
        intro: str,
        ok_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"{title} — {mandate.reference}", intro, ok_text, parent)
        self._action, self._mandate_id = action, mandate.id
        self.effective = date_edit("Effective from", today, self)
        self.reason = line_edit("Reason", self, "Why, and who asked")
        self.form.addRow("&Effective from:", self.effective)
        self.form.addRow("&Reason:", self.reason)

    def work(self) -> Callable[[], object]:
        action, mandate_id = self._action, self._mandate_id
        effective, reason = chosen_date(self.effective), self.reason.text()
        if not reason.strip():
            raise BadInput("give the reason")
        return lambda: action(mandate_id, effective, reason)


def cancel_dialog(
    mandates: Mandates, mandate: MandateView, today: date, parent: QWidget | None = None
) -> MandateReasonDialog:
    lodged = mandate.lodged_on is not None
    intro = (
        "The next direct debit run tells the bank (0C). Collections on or after the "
        "effective date are cancelled."
        if lodged
        else "The instruction has not been sent to the bank yet: it will not be."
    )
    return MandateReasonDialog(
        mandates.cancel, mandate, today, "Cancel direct debit", intro, "Cancel &mandate", parent
    )


def release_dialog(
    mandates: Mandates, mandate: MandateView, today: date, parent: QWidget | None = None
) -> MandateReasonDialog:
    intro = f"Collections were stopped: {mandate.hold_reason}. Releasing lets them resume."
    return MandateReasonDialog(
        mandates.release_hold, mandate, today, "Release hold", intro, "&Release hold", parent
    )


class RepresentDialog(ActionDialog):
    """Ask the next DD run to collect a returned debit again (code 18), once."""

    def __init__(
        self,
        mandates: Mandates,
        collection_id: int,
        what: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Re-present a direct debit",
            f"{what}\n\nBacs allows one re-presentation, for the same amount, within a month "
            "of the original processing day. Tell the payer 5 working days before.",
            "&Re-present",
            parent,
        )
        self._mandates, self._collection_id = mandates, collection_id
        self.on = date_edit("Collect on", add_working_days(today, NOTICE_WORKING_DAYS), self)
        self.form.addRow("&Collect on:", self.on)

    def work(self) -> Callable[[], object]:
        mandates, collection_id, on = self._mandates, self._collection_id, chosen_date(self.on)
        return lambda: mandates.represent(collection_id, on)


def returned_debit(amount: int | None, collected: date | None, reference: str) -> str:
    """``£93.00 collected 26/10/2026 under WXCC000001 was returned unpaid.``"""
    when = f" collected {uk_date(collected)}" if collected else ""
    return f"{money(amount) or 'The debit'}{when} under {reference} was returned unpaid."
