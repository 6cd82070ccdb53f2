"""Record a death: the date, when the council heard, who now deals with the estate, and
whether recovery waits for probate (``Deaths.record``; the service checks everything)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from debtdesk.domain.caseload import RepresentativeRole
from debtdesk.gui.action_dialog import ActionDialog, chosen_date, date_edit
from debtdesk.services.deaths import Deaths, EstateContact


class DeathDialog(ActionDialog):
    """The account becomes the estate's: charges stop at the date of death at the next
    statement run, and letters go to the personal representatives."""

    def __init__(
        self, deaths: Deaths, account_id: int, today: date, account_label: str,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(
            f"Record a death — {account_label}",
            "Charges stop at the date of death: the next statement run credits anything "
            "charged after it. Letters go to the personal representatives of the late "
            "client, care of the executor or solicitor given here.",
            "&Record death",
            parent,
        )
        self._deaths, self._account_id = deaths, account_id
        self.died_on = date_edit("Date of death", today, self)
        self.notified_on = date_edit("Told on", today, self)
        self.estate_name = QLineEdit(self)
        self.estate_name.setAccessibleName("Executor or solicitor")
        self.estate_name.setPlaceholderText("Leave empty if not known yet")
        self.estate_role = QComboBox(self)
        self.estate_role.setAccessibleName("Acting as")
        self.estate_role.addItem("Executor or administrator", RepresentativeRole.EXECUTOR)
        self.estate_role.addItem("Solicitor", RepresentativeRole.SOLICITOR)
        self.estate_address = QPlainTextEdit(self)
        self.estate_address.setAccessibleName("Their address")
        self.estate_address.setTabChangesFocus(True)
        self.estate_address.setFixedHeight(80)
        self.probate = QCheckBox("Hold recovery until probate is granted", self)
        self.probate.setAccessibleName("Probate hold")
        self.probate.setChecked(True)
        self.form.addRow("Date of &death:", self.died_on)
        self.form.addRow("&Told on:", self.notified_on)
        self.form.addRow("&Executor or solicitor:", self.estate_name)
        self.form.addRow("&Acting as:", self.estate_role)
        self.form.addRow("Their add&ress:", self.estate_address)
        self.form.addRow("", self.probate)

    def work(self) -> Callable[[], object]:
        deaths, account_id = self._deaths, self._account_id
        died, told = chosen_date(self.died_on), chosen_date(self.notified_on)
        name = self.estate_name.text().strip()
        estate = (
            EstateContact(name, self.estate_role.currentData(), self.estate_address.toPlainText())
            if name
            else None
        )
        hold = self.probate.isChecked()
        return lambda: deaths.record(account_id, died, told, estate=estate, probate_hold=hold)
