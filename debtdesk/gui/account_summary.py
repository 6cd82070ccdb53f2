"""The account view's Summary tab: who the client is, what they owe and how old the debt is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.ageing import BUCKETS
from debtdesk.gui.account_tables import aged_model, representatives_model
from debtdesk.gui.formatting import label, money, uk_date
from debtdesk.gui.tables import fit_height, read_only_table, show_model
from debtdesk.services.accounts import AccountDetail

MAX_REPRESENTATIVE_ROWS = 6


def _value(text: str) -> QLabel:
    shown = QLabel(text or "—")
    shown.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    shown.setWordWrap(True)
    return shown


def _form(rows: list[tuple[str, str]]) -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    for caption, text in rows:
        value = _value(text)
        value.setAccessibleName(caption)
        form.addRow(f"{caption}:", value)
    return form


def _mandate(detail: AccountDetail) -> str:
    mandate = detail.mandate
    if mandate is None:
        return ""
    return (
        f"{label(mandate.status)} — {mandate.reference}, {mandate.payer_name}, "
        f"sort code {mandate.sort_code_masked}, account {mandate.account_number_masked}"
    )


class AccountSummary(QWidget):
    """Client details, balance and aged debt, representatives and the direct debit."""

    def __init__(self, detail: AccountDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        client = QGroupBox("Client", self)
        client.setLayout(
            _form(
                [
                    ("Name", detail.name),
                    ("Reference", detail.reference),
                    ("Status", label(detail.status)),
                    ("Date of birth", uk_date(detail.date_of_birth)),
                    ("Address", detail.address),
                    ("Postcode", detail.postcode),
                    ("Social care ID", detail.social_care_client_id),
                    ("Officer", detail.officer),
                    ("Customer type", detail.customer_type_name or detail.customer_type),
                    ("Care setting", label(detail.care_setting)),
                    ("Date of death", uk_date(detail.date_of_death)),
                    ("Flags", ", ".join(label(flag) for flag in detail.flags)),
                    ("Direct debit", _mandate(detail)),
                ]
            )
        )

        money_box = QGroupBox(f"Balance as at {uk_date(detail.as_of)}", self)
        money_layout = QVBoxLayout(money_box)
        money_layout.addLayout(
            _form([("Balance", money(detail.balance)), ("Unallocated", money(detail.unallocated))])
        )
        self.aged_table = read_only_table("Aged debt", money_box)
        show_model(self.aged_table, aged_model(detail, self), stretch=0)
        fit_height(self.aged_table, len(BUCKETS))
        money_layout.addWidget(self.aged_table)
        money_layout.addStretch(1)

        people = QGroupBox("Representatives", self)
        people_layout = QVBoxLayout(people)
        self.representatives_table = read_only_table("Representatives", people)
        show_model(self.representatives_table, representatives_model(detail, self))
        fit_height(self.representatives_table, MAX_REPRESENTATIVE_ROWS)
        if detail.representatives:
            people_layout.addWidget(self.representatives_table)
        else:
            self.representatives_table.hide()
            people_layout.addWidget(QLabel("No representatives recorded.", people))

        grid = QGridLayout(self)
        grid.addWidget(client, 0, 0)
        grid.addWidget(money_box, 0, 1)
        grid.addWidget(people, 1, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(2, 1)
