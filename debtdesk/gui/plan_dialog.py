"""Agreeing a payment plan, renegotiating one, cancelling one; the affordability check.

:class:`PlanDialog` is an :class:`~debtdesk.gui.action_dialog.ActionDialog` over one
``PaymentPlans`` call: ``create``, or ``renegotiate`` when it replaces a plan. Below the
terms, the officer keys the household's Standard Financial Statement (amounts in pounds,
each with its frequency); ``AffordabilityChecks.check`` runs off the GUI thread as they
type and shows the monthly income, outgoings and surplus, each flexible-cost category
against the team's spending guideline, and the instalment it suggests, which "Use
suggested instalment" copies into the terms. On OK the check is made again from the
fields as they stand and its figures are stored with the plan (``PlanTerms.affordability``,
all pence). :class:`CancelPlanDialog` ends an active plan, with a reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.affordability import (
    GROUP_LABELS,
    LINE_BY_KEY,
    LINES,
    Affordability,
    FlexibleCheck,
    Section,
)
from debtdesk.domain.ledger import PaymentMethod
from debtdesk.domain.money import MoneyError, Pence, parse_pounds
from debtdesk.domain.payment_plans import EVERY, Frequency, due_date
from debtdesk.gui.action_dialog import ActionDialog, chosen_date, date_edit
from debtdesk.gui.fields import line_edit, pounds_text, read_pounds
from debtdesk.gui.formatting import label, money, sentence, uk_date
from debtdesk.gui.line_model import Column, Index, LineTableModel
from debtdesk.gui.prompts import readable
from debtdesk.gui.tables import fit_height, read_only_table, replace_model
from debtdesk.gui.tasks import run_task
from debtdesk.services.affordability import AffordabilityChecks
from debtdesk.services.errors import BadInput
from debtdesk.services.payment_plans import PaymentPlans, PlanTerms, PlanView

FREQUENCY_LABELS: Mapping[Frequency, str] = {
    Frequency.WEEKLY: "Weekly",
    Frequency.FOUR_WEEKLY: "Every 4 weeks",
    Frequency.MONTHLY: "Monthly",
}
FREQUENCY_BY_LABEL = {text: frequency for frequency, text in FREQUENCY_LABELS.items()}
METHODS = (
    PaymentMethod.DIRECT_DEBIT,
    PaymentMethod.BANK_TRANSFER,
    PaymentMethod.CARD,
    PaymentMethod.CHEQUE,
    PaymentMethod.CASH,
)
SECTION_LABELS: Mapping[Section, str] = {
    Section.INCOME: "Income",
    Section.FIXED_COSTS: "Fixed costs",
    Section.FLEXIBLE_COSTS: "Flexible costs",
    Section.SAVINGS: "Savings",
}

LINE, AMOUNT, FREQUENCY = range(3)
LINE_HEADINGS = ("Line", "Amount (£)", "Frequency")
KEY_ROLE = Qt.ItemDataRole.UserRole
"""On a line's first cell: its SFS key (section and group rows have none)."""
LONGEST_PLAN = 520
"""Instalments the schedule summary counts out (ten years weekly); more is said, not listed."""
TABLE_ROWS = 10  # the statement's table shows at least this many rows
WIDTH, HEIGHT = 1120, 860  # the dialog's size where the screen has room for it
MINIMUM_WIDTH = 960

FLEXIBLE_COLUMNS: tuple[Column[FlexibleCheck], ...] = (
    Column("Flexible costs", lambda c: c.label),
    Column("A month", lambda c: c.amount, "money"),
    Column("Guideline", lambda c: c.guideline, "money"),
    Column(
        "Check",
        lambda c: (
            "Over guideline"
            if c.over_guideline
            else "Within guideline"
            if c.guideline is not None
            else "No guideline"
        ),
    ),
)
FLEXIBLE_CHECK = 3

Request = tuple[dict[str, tuple[Pence, Frequency]], tuple[int, int], Pence, Pence, Pence]
"""What ``AffordabilityChecks.check`` is asked: lines, household, our debt, other debts,
priority offers."""


class FlexibleModel(LineTableModel[FlexibleCheck]):
    """The flexible-cost categories against their guidelines; one over it is in bold."""

    def __init__(self, checks: Sequence[FlexibleCheck], parent: QObject | None = None) -> None:
        super().__init__(FLEXIBLE_COLUMNS, checks, parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole:
            if not index.isValid() or not self.record(index.row()).over_guideline:
                return None
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


def flexible_model(checks: Sequence[FlexibleCheck], parent: QObject | None = None) -> FlexibleModel:
    return FlexibleModel(checks, parent)


def affordability_snapshot(
    result: Affordability,
    lines: Mapping[str, tuple[Pence, Frequency]],
    frequency: Frequency,
    checked_on: date,
) -> dict[str, object]:
    """The check as stored with the plan: JSON-ready, every amount whole pence a month.

    Args:
        lines: each line as keyed (amount and frequency), by SFS key.
        frequency: the plan's frequency, for the suggested instalment.
    """
    adults_children = result.guideline_household
    return {
        "checked_on": checked_on.isoformat(),
        "lines": [
            {
                "key": key,
                "label": LINE_BY_KEY[key].label,
                "section": LINE_BY_KEY[key].section.value,
                "amount": amount,
                "frequency": line_frequency.value,
                "monthly": result.monthly[key],
            }
            for key, (amount, line_frequency) in lines.items()
        ],
        "income": result.income,
        "fixed_costs": result.fixed_costs,
        "flexible_costs": result.flexible_costs,
        "savings": result.savings,
        "available_for_priority": result.available_for_priority,
        "priority_offers": result.priority_offers,
        "available_for_non_priority": result.available_for_non_priority,
        "flexible": [
            {
                "category": check.category,
                "amount": check.amount,
                "guideline": check.guideline,
                "over_guideline": check.over_guideline,
            }
            for check in result.flexible
        ],
        "guideline_household": list(adults_children) if adults_children else None,
        "our_debt": result.our_debt,
        "other_non_priority_debts": result.other_non_priority_debts,
        "suggested_monthly": result.suggested_monthly,
        "suggested_frequency": frequency.value,
        "suggested_instalment": result.suggested_for(frequency),
    }


class FrequencyDelegate(QStyledItemDelegate):
    """The frequency cells are edited with a drop-down of the three frequencies."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Frequency")
        combo.addItems(list(FREQUENCY_LABELS.values()))
        combo.activated.connect(lambda _row: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findText(str(index.data())), 0))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, QComboBox) and editor.currentText() != index.data():
            model.setData(index, editor.currentText())


def _figure(name: str, parent: QWidget) -> QLabel:
    figure = QLabel("", parent)
    figure.setAccessibleName(name)
    figure.setTextFormat(Qt.TextFormat.PlainText)
    figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return figure


class PlanDialog(ActionDialog):
    """Agree a plan (or new terms for an active one), on an affordability check."""

    def __init__(
        self,
        plans: PaymentPlans,
        checks: AffordabilityChecks,
        account_id: int,
        today: date,
        account_label: str,
        arrears: int,
        parent: QWidget | None = None,
        *,
        replaces: PlanView | None = None,
        has_mandate: bool = False,
    ) -> None:
        which = f" — {account_label}" if account_label else ""
        if replaces is None:
            title = f"New payment plan{which}"
            owed = f"the arrears of {money(arrears)}" if arrears > 0 else "the arrears"
            intro = (
                f"Agree how {owed} will be paid. The instalments are on top of the ongoing "
                "contributions: the plan is kept only while both are paid."
            )
            ok_text = "&Agree plan"
        else:
            title = f"Renegotiate plan {replaces.id}{which}"
            intro = (
                f"Plan {replaces.id}: {money(replaces.instalment)} "
                f"{EVERY[replaces.frequency]} from {uk_date(replaces.start_on)}. The new "
                "terms replace it from their start date; it stays in the history, marked "
                "replaced."
            )
            ok_text = "&Agree new terms"
        super().__init__(title, intro, ok_text, parent)
        self._plans, self._checks = plans, checks
        self._account_id, self._today = account_id, today
        self._replaces = replaces.id if replaces is not None else None
        self.affordability: Affordability | None = None
        """The latest check shown, if any."""
        self._asked = 0  # numbers the checks, so that only the latest answer is shown

        self._add_terms(today, arrears, replaces, has_mandate)
        self.statement = self._statement_box()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(2, self.statement, 1)  # between the terms and the buttons
        layout.setStretch(3, 0)  # ActionDialog's spacer: the statement takes the room
        self.setMinimumWidth(MINIMUM_WIDTH)
        room = self.screen().availableGeometry()
        self.resize(min(WIDTH, room.width()), min(HEIGHT, room.height()))

        for edit in (self.instalment, self.total):
            edit.textChanged.connect(self._show_schedule)
        self.start.dateChanged.connect(self._show_schedule)
        self.frequency.currentIndexChanged.connect(self._show_schedule)
        self.frequency.currentIndexChanged.connect(self._show_suggested)
        self.total.textChanged.connect(self.check)
        for spin in (self.household_adults, self.household_children):
            spin.valueChanged.connect(self.check)
        for edit in (self.other_debts, self.priority_offers):
            edit.textChanged.connect(self.check)
        self.lines.itemChanged.connect(self._line_changed)
        self.use_suggested.clicked.connect(self.fill_suggested)
        QWidget.setTabOrder(self.use_suggested, self.ok_button)  # the buttons last, not first
        QWidget.setTabOrder(
            self.ok_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        )
        self.instalment.setFocus()
        self._show_schedule()
        self.check()

    # The terms

    def _add_terms(
        self, today: date, arrears: int, replaces: PlanView | None, has_mandate: bool
    ) -> None:
        self.instalment = line_edit("Instalment", self, "Pounds, e.g. 25.00")
        self.frequency = QComboBox(self)
        self.frequency.setAccessibleName("Frequency")
        for frequency, text in FREQUENCY_LABELS.items():
            self.frequency.addItem(text, frequency.value)
        start = today if replaces is None else max(today, replaces.start_on)
        self.start = date_edit("Start date", start, self)
        self.total = line_edit(
            "Arrears covered", self, "Pounds", pounds_text(arrears) if arrears > 0 else ""
        )
        self.method = QComboBox(self)
        self.method.setAccessibleName("Payment method")
        for method in METHODS:
            self.method.addItem(label(method.value), method.value)
        self.note = line_edit("Note", self, "Optional: what was agreed, and with whom")
        self.schedule_summary = QLabel("", self)
        self.schedule_summary.setAccessibleName("Schedule")
        self.schedule_summary.setTextFormat(Qt.TextFormat.PlainText)
        if replaces is not None:
            self.instalment.setText(pounds_text(replaces.instalment))
            self.frequency.setCurrentIndex(self.frequency.findData(replaces.frequency.value))
            self.method.setCurrentIndex(self.method.findData(replaces.method.value))
        else:
            self.frequency.setCurrentIndex(self.frequency.findData(Frequency.MONTHLY.value))
            default = PaymentMethod.DIRECT_DEBIT if has_mandate else PaymentMethod.BANK_TRANSFER
            self.method.setCurrentIndex(self.method.findData(default.value))
        if not has_mandate:
            self.method.setItemData(
                self.method.findData(PaymentMethod.DIRECT_DEBIT.value),
                "Set up a mandate on the Direct debit tab first",
                Qt.ItemDataRole.ToolTipRole,
            )

        self.form.addRow("&Instalment (£):", self.instalment)
        self.form.addRow("&Frequency:", self.frequency)
        self.form.addRow("&Start on:", self.start)
        self.form.addRow("Arrears co&vered (£):", self.total)
        self.form.addRow("&Method:", self.method)
        self.form.addRow("&Note:", self.note)
        self.form.addRow("Schedule:", self.schedule_summary)

    def chosen_frequency(self) -> Frequency:
        return Frequency(self.frequency.currentData())

    def _show_schedule(self) -> None:
        """Say how many instalments the terms make, and when the last falls due."""
        try:
            instalment = read_pounds(self.instalment.text(), "Instalment")
            total = read_pounds(self.total.text(), "Arrears covered")
        except BadInput:
            self.schedule_summary.setText("Key the instalment and the arrears it covers.")
            return
        if instalment <= 0 or total <= 0:
            self.schedule_summary.setText("The instalment and the arrears must be more than £0.00.")
            return
        if instalment > total:
            self.schedule_summary.setText("The instalment is more than the arrears covered.")
            return
        count = -(-total // instalment)
        if count > LONGEST_PLAN:
            self.schedule_summary.setText(f"{count:,} instalments: more than ten years.")
            return
        start, frequency = chosen_date(self.start), self.chosen_frequency()
        last = total - instalment * (count - 1)
        text = (
            f"1 instalment on {uk_date(start)}"
            if count == 1
            else f"{count} instalments, {uk_date(start)} to "
            f"{uk_date(due_date(start, frequency, count - 1))}"
        )
        if count > 1 and last != instalment:
            text += f"; the last is {money(last)}"
        self.schedule_summary.setText(f"{text}.")

    # The financial statement

    def _statement_box(self) -> QGroupBox:
        box = QGroupBox("Affordability (Standard Financial Statement)", self)
        box.setAccessibleName("Affordability")
        self.household_adults = QSpinBox(box)
        self.household_adults.setAccessibleName("Adults in the household")
        self.household_adults.setRange(1, 20)
        self.household_children = QSpinBox(box)
        self.household_children.setAccessibleName("Children in the household")
        self.household_children.setRange(0, 20)
        self.other_debts = line_edit("Other non-priority debts", box, "0.00")
        self.other_debts.setToolTip(
            "What the household owes its other non-priority creditors (loans, cards, "
            "catalogues): the surplus is shared in proportion"
        )
        self.priority_offers = line_edit("Priority offers a month", box, "0.00")
        self.priority_offers.setToolTip(
            "What the household pays a month towards priority debts (rent or council tax "
            "arrears, energy, fines)"
        )
        household = QHBoxLayout()
        for text, widget, stretch in (
            ("A&dults:", self.household_adults, 0),
            ("C&hildren:", self.household_children, 0),
            ("&Other non-priority debts (£):", self.other_debts, 1),
            ("&Priority offers a month (£):", self.priority_offers, 1),
        ):
            caption = QLabel(text, box)
            caption.setBuddy(widget)
            household.addWidget(caption)
            household.addWidget(widget, stretch)
            household.addSpacing(8)

        self.lines = self._lines_table(box)
        lines_caption = QLabel("Income and out&goings (key each amount and how often):", box)
        lines_caption.setBuddy(self.lines)
        left = QVBoxLayout()
        left.addWidget(lines_caption)
        left.addWidget(self.lines, 1)

        right = QVBoxLayout()
        right.addLayout(self._figures(box))
        self.flexible_table = read_only_table("Flexible costs against the guidelines", box)
        replace_model(self.flexible_table, flexible_model((), self), 0)
        right.addWidget(self.flexible_table)
        self.suggested = QLabel("", box)
        self.suggested.setAccessibleName("Suggested instalment")
        self.suggested.setTextFormat(Qt.TextFormat.PlainText)
        self.suggested.setWordWrap(True)
        self.use_suggested = QPushButton("&Use suggested instalment", box)
        self.use_suggested.setToolTip("Put the suggested instalment in the terms above")
        self.check_message = QLabel("", box)
        self.check_message.setAccessibleName("Affordability message")
        self.check_message.setTextFormat(Qt.TextFormat.PlainText)
        self.check_message.setWordWrap(True)
        right.addWidget(self.suggested)
        right.addWidget(self.use_suggested, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(self.check_message)
        right.addStretch(1)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(box)
        layout.addLayout(household)
        layout.addLayout(columns, 1)
        return box

    def _lines_table(self, parent: QWidget) -> QTableWidget:
        """Every SFS line under its section and group; amount and frequency editable."""
        table = QTableWidget(0, len(LINE_HEADINGS), parent)
        table.setAccessibleName("Income and outgoings")
        table.setHorizontalHeaderLabels(list(LINE_HEADINGS))
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setItemDelegateForColumn(FREQUENCY, FrequencyDelegate(table))
        self._rows: dict[str, int] = {}
        self._unused = table.palette().brush(QPalette.ColorRole.PlaceholderText)
        bold, italic = QFont(table.font()), QFont(table.font())
        bold.setBold(True)
        italic.setItalic(True)
        section = group = None
        for line in LINES:
            if line.section is not section:
                section = line.section
                self._heading(table, SECTION_LABELS[section], bold)
            if line.group != group:
                group = line.group
                if GROUP_LABELS[group] != SECTION_LABELS[section]:  # "Savings" only once
                    self._heading(table, GROUP_LABELS[group], italic)
            row = table.rowCount()
            table.insertRow(row)
            name = QTableWidgetItem(f"    {line.label}")
            name.setData(KEY_ROLE, line.key)
            name.setToolTip(
                f"{SECTION_LABELS[line.section]}, {GROUP_LABELS[line.group]}: {line.label}"
            )
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            amount = QTableWidgetItem("")
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            amount.setToolTip(f"{line.label}: pounds")
            frequency = QTableWidgetItem(FREQUENCY_LABELS[Frequency.MONTHLY])
            frequency.setForeground(self._unused)
            table.setItem(row, LINE, name)
            table.setItem(row, AMOUNT, amount)
            table.setItem(row, FREQUENCY, frequency)
            self._rows[line.key] = row
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        table.horizontalHeaderItem(AMOUNT).setTextAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        header.setSectionResizeMode(LINE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AMOUNT, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(FREQUENCY, QHeaderView.ResizeMode.Fixed)
        metrics = table.fontMetrics()
        table.setColumnWidth(AMOUNT, metrics.horizontalAdvance("Amount (£)") + 32)
        table.setColumnWidth(FREQUENCY, metrics.horizontalAdvance("Every 4 weeks") + 48)
        table.setMinimumHeight(
            header.sizeHint().height() + TABLE_ROWS * table.verticalHeader().defaultSectionSize()
        )
        first = table.model().index(self._rows[LINES[0].key], AMOUNT)
        table.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
        return table

    @staticmethod
    def _heading(table: QTableWidget, text: str, font: QFont) -> None:
        row = table.rowCount()
        table.insertRow(row)
        item = QTableWidgetItem(text)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        table.setItem(row, LINE, item)
        table.setSpan(row, LINE, 1, len(LINE_HEADINGS))

    def _figures(self, parent: QWidget) -> QGridLayout:
        self.income = _figure("Monthly income", parent)
        self.fixed_costs = _figure("Fixed costs", parent)
        self.flexible_costs = _figure("Flexible costs", parent)
        self.savings = _figure("Savings", parent)
        self.outgoings = _figure("Monthly outgoings", parent)
        self.available_for_priority = _figure("Available for priority debts", parent)
        self.offers = _figure("Priority offers", parent)
        self.surplus = _figure("Available for non-priority debts", parent)
        grid = QGridLayout()
        rows = (
            ("Monthly income", self.income),
            ("Fixed costs", self.fixed_costs),
            ("Flexible costs", self.flexible_costs),
            ("Savings", self.savings),
            ("Total outgoings", self.outgoings),
            ("Available for priority debts", self.available_for_priority),
            ("Less priority offers", self.offers),
            ("Surplus for non-priority debts", self.surplus),
        )
        for row, (text, figure) in enumerate(rows):
            caption = QLabel(f"{text}:", parent)
            if figure in (self.outgoings, self.surplus):
                for widget in (caption, figure):
                    font = QFont(widget.font())
                    font.setBold(True)
                    widget.setFont(font)
            grid.addWidget(caption, row, 0)
            grid.addWidget(figure, row, 1)
        grid.setColumnStretch(0, 1)
        return grid

    def row_of(self, key: str) -> int:
        """The table row of an SFS line (``rent``)."""
        return self._rows[key]

    def set_line(self, key: str, pounds: str, frequency: Frequency = Frequency.MONTHLY) -> None:
        """Key one line as the officer would: an amount in pounds and how often."""
        row = self._rows[key]
        self.lines.item(row, FREQUENCY).setText(FREQUENCY_LABELS[frequency])
        self.lines.item(row, AMOUNT).setText(pounds)

    def keyed_lines(self) -> dict[str, tuple[Pence, Frequency]]:
        """The lines with an amount, in SFS order.

        Raises:
            BadInput: an amount is not pounds.
        """
        keyed: dict[str, tuple[Pence, Frequency]] = {}
        for line in LINES:
            row = self._rows[line.key]
            text = self.lines.item(row, AMOUNT).text()
            if not text.strip():
                continue
            pence = read_pounds(text, line.label)
            frequency = FREQUENCY_BY_LABEL.get(self.lines.item(row, FREQUENCY).text())
            keyed[line.key] = (pence, frequency or Frequency.MONTHLY)
        return keyed

    def check_request(self) -> Request | None:
        """What the check is to be asked, or None when no line is keyed yet.

        Raises:
            BadInput: an amount cannot be read.
        """
        keyed = self.keyed_lines()
        if not keyed:
            return None
        our_debt = read_pounds(self.total.text(), "Arrears covered")
        other = read_pounds(self.other_debts.text(), "Other non-priority debts", 0)
        offers = read_pounds(self.priority_offers.text(), "Priority offers", 0)
        household = (self.household_adults.value(), self.household_children.value())
        return keyed, household, our_debt, other, offers

    def _line_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == AMOUNT and item.text().strip():
            try:
                tidy = pounds_text(parse_pounds(item.text()))
            except MoneyError:
                tidy = item.text()
            if tidy != item.text():
                item.setText(tidy)  # itemChanged again, with the tidy text: that one checks
                return
        if item.column() == AMOUNT:
            self._show_frequency_in_use(item.row(), bool(item.text().strip()))
        if item.column() in (AMOUNT, FREQUENCY):
            self.check()

    def _show_frequency_in_use(self, row: int, used: bool) -> None:
        """A line's frequency reads as a default, greyed, until the line has an amount."""
        frequency = self.lines.item(row, FREQUENCY)
        self.lines.blockSignals(True)  # a colour is not a change to the statement
        if used:
            frequency.setData(Qt.ItemDataRole.ForegroundRole, None)
        else:
            frequency.setForeground(self._unused)
        self.lines.blockSignals(False)

    def check(self) -> None:
        """Run the affordability check on the statement as it stands; show it when done."""
        self._asked += 1
        asked = self._asked
        try:
            request = self.check_request()
        except BadInput as error:
            self._show_result(None, readable(str(error)))
            return
        if request is None:
            self._show_result(
                None, "Key the household's income and outgoings to check what it can afford."
            )
            return
        checks = self._checks
        run_task(
            lambda: checks.check(*request),
            lambda result: self._answer(asked, result, ""),
            lambda error: self._answer(asked, None, self._problem(error)),
            owner=self,
        )

    @staticmethod
    def _problem(error: Exception) -> str:
        if isinstance(error, BadInput):
            return readable(str(error))
        return sentence(f"the affordability could not be checked: {error}")

    def _answer(self, asked: int, result: Affordability | None, problem: str) -> None:
        if asked == self._asked:  # a later check is on its way: this one is out of date
            self._show_result(result, problem)

    def _show_result(self, result: Affordability | None, message: str) -> None:
        self.affordability = result
        figures = (
            (self.income, result.income if result else None),
            (self.fixed_costs, result.fixed_costs if result else None),
            (self.flexible_costs, result.flexible_costs if result else None),
            (self.savings, result.savings if result else None),
            (
                self.outgoings,
                result.fixed_costs + result.flexible_costs + result.savings if result else None,
            ),
            (self.available_for_priority, result.available_for_priority if result else None),
            (self.offers, result.priority_offers if result else None),
            (self.surplus, result.available_for_non_priority if result else None),
        )
        for figure, pence in figures:
            figure.setText(money(pence) if pence is not None else "—")
        replace_model(
            self.flexible_table, flexible_model(result.flexible if result else (), self), 0
        )
        fit_height(self.flexible_table, 3)
        if result is not None and not message:
            over = [check.label for check in result.flexible if check.over_guideline]
            if result.guideline_household is None:
                message = (
                    "No spending guideline for this household is loaded: flexible costs are "
                    "not checked."
                )
            elif over:
                message = (
                    f"Over the guideline: {', '.join(over)}. Ask why, and note it with the plan."
                )
        self.check_message.setText(message)
        self._show_suggested()

    def suggested_instalment(self) -> Pence | None:
        """The instalment the check suggests at the chosen frequency, or None."""
        if self.affordability is None:
            return None
        return self.affordability.suggested_for(self.chosen_frequency())

    def _show_suggested(self) -> None:
        suggested = self.suggested_instalment()
        result = self.affordability
        if result is None or suggested is None:
            self.suggested.setText("Suggested instalment: —")
        elif suggested <= 0:
            self.suggested.setText(
                "Suggested instalment: none. The household has no surplus for its "
                "non-priority debts."
            )
        else:
            owed = result.our_debt + result.other_non_priority_debts
            share = (
                f"our share of the surplus, as we are owed {money(result.our_debt)} of "
                f"{money(owed)}"
                if result.other_non_priority_debts
                else "the surplus, as no other debts were given"
            )
            frequency = self.chosen_frequency()
            monthly = (
                ""
                if frequency is Frequency.MONTHLY
                else f"{money(result.suggested_monthly)} a month: "
            )
            self.suggested.setText(
                f"Suggested instalment: {money(suggested)} {EVERY[frequency]} ({monthly}{share})."
            )
        self.use_suggested.setEnabled(bool(suggested and suggested > 0))

    def fill_suggested(self) -> None:
        """Put the suggested instalment in the instalment field."""
        suggested = self.suggested_instalment()
        if suggested:
            self.instalment.setText(pounds_text(suggested))
            self.instalment.setFocus()

    # OK

    def work(self) -> Callable[[], object]:
        instalment = read_pounds(self.instalment.text(), "Instalment")
        total = read_pounds(self.total.text(), "Arrears covered")
        frequency = self.chosen_frequency()
        terms = PlanTerms(
            instalment,
            frequency,
            chosen_date(self.start),
            total,
            PaymentMethod(self.method.currentData()),
            self.note.text(),
        )
        request = self.check_request()
        plans, checks, today = self._plans, self._checks, self._today
        account_id, replaces = self._account_id, self._replaces

        def agree() -> int:
            agreed = terms
            if request is not None:
                snapshot = affordability_snapshot(
                    checks.check(*request), request[0], frequency, today
                )
                agreed = dataclasses.replace(terms, affordability=snapshot)
            if replaces is not None:
                return plans.renegotiate(replaces, agreed)
            return plans.create(account_id, agreed)

        return agree


class CancelPlanDialog(ActionDialog):
    """End an active plan early: from a date, with the reason."""

    def __init__(
        self, plans: PaymentPlans, plan: PlanView, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            f"Cancel plan {plan.id}",
            f"Plan {plan.id}: {money(plan.instalment)} {EVERY[plan.frequency]} from "
            f"{uk_date(plan.start_on)}. Once cancelled it no longer protects the account "
            "from recovery; it stays in the history.",
            "Cancel &plan",
            parent,
        )
        self._plans, self._plan_id = plans, plan.id
        self.on = date_edit("Cancelled from", today, self)
        self.reason = line_edit("Reason", self, "Why, and who asked")
        self.form.addRow("Cancelled &from:", self.on)
        self.form.addRow("&Reason:", self.reason)

    def work(self) -> Callable[[], object]:
        plans, plan_id = self._plans, self._plan_id
        on, reason = chosen_date(self.on), self.reason.text()
        if not reason.strip():
            raise BadInput("give the reason")
        return lambda: plans.cancel(plan_id, on, reason)
