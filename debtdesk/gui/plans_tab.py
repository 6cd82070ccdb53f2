"""The account view's Payment plans tab: the account's plans, the chosen one's schedule.

The plans come from ``PaymentPlans.for_account`` off the GUI thread, the latest first,
each as it stands at the view's date. Choosing a plan shows its schedule below: its own
instalments and the statements issued since it began, what each has been paid and
whether it was still short when its grace period ended. New plan… (when none is active),
Renegotiate… and Cancel plan… (on the active plan) open dialogs that make one
``PaymentPlans`` call each; the tab reloads after each and emits ``changed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.payment_plans import PlanStatus
from debtdesk.gui.action_dialog import ActionDialog, DialogHost
from debtdesk.gui.formatting import label, sentence
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.plan_dialog import FREQUENCY_LABELS, CancelPlanDialog, PlanDialog
from debtdesk.gui.tables import fit_height, read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.affordability import AffordabilityChecks
from debtdesk.services.payment_plans import PaymentPlans, PlanView, ScheduleLine

PLAN_ROWS = 4  # the plan list is this tall before it scrolls; few accounts have more


def plan_status(plan: PlanView) -> str:
    """The status as an officer reads it, saying when an active plan has broken or is paid."""
    text = label(plan.status.value)
    if plan.status is PlanStatus.ACTIVE and plan.broken_on is not None:
        return f"{text}, broken"
    if plan.status is PlanStatus.ACTIVE and plan.completed_on is not None:
        return f"{text}, paid in full"
    return text


def line_state(line: ScheduleLine, as_of: date) -> str:
    """How a schedule line stands: paid, paid late, short after grace, part paid, due."""
    if line.short_after_grace:
        return "Paid late" if line.outstanding == 0 else "Short after grace"
    if line.outstanding == 0:
        return "Paid"
    if line.paid > 0:
        return "Part paid"
    return "Not yet due" if line.due > as_of else "Due"


PLAN_COLUMNS: tuple[Column[PlanView], ...] = (
    Column("Plan", lambda p: str(p.id)),
    Column("Status", plan_status),
    Column("Instalment", lambda p: p.instalment, "money"),
    Column("Frequency", lambda p: FREQUENCY_LABELS[p.frequency]),
    Column("Start", lambda p: p.start_on, "date"),
    Column("Arrears covered", lambda p: p.total, "money"),
    Column("Method", lambda p: label(p.method.value)),
    Column("Broken on", lambda p: p.broken_on, "date"),
    Column("Ended", lambda p: p.ended_on, "date"),
    Column("Agreed by", lambda p: p.created_by),
    Column("Note", lambda p: "; ".join(p.note.splitlines())),
)
PLAN_NOTE = 10


def schedule_columns(as_of: date) -> tuple[Column[ScheduleLine], ...]:
    return (
        Column("Due", lambda s: s.due, "date"),
        Column("What", lambda s: s.label),
        Column("Amount", lambda s: s.amount, "money"),
        Column("Paid", lambda s: s.paid, "money"),
        Column("Outstanding", lambda s: s.outstanding, "money"),
        Column("State", lambda s: line_state(s, as_of)),
    )


SCHEDULE_STATE = 5


def plans_model(
    plans: Sequence[PlanView], parent: QObject | None = None
) -> LineTableModel[PlanView]:
    return LineTableModel(PLAN_COLUMNS, plans, parent)


def schedule_model(
    lines: Sequence[ScheduleLine], as_of: date, parent: QObject | None = None
) -> LineTableModel[ScheduleLine]:
    return LineTableModel(schedule_columns(as_of), lines, parent)


def broken_text(plans: Sequence[PlanView]) -> str:
    """``2 broken plans``; empty when none has broken."""
    broken = sum(1 for plan in plans if plan.broken_on is not None)
    if not broken:
        return ""
    return f"{broken} broken plan{'' if broken == 1 else 's'}"


class PaymentPlansTab(DialogHost, QWidget):
    """The plans above; the chosen one's schedule below; the actions."""

    loaded = Signal()
    changed = Signal()
    """A plan was agreed, renegotiated or cancelled."""

    def __init__(
        self,
        plans: PaymentPlans,
        checks: AffordabilityChecks,
        account_id: int,
        as_of: date,
        account_label: str = "",
        arrears: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._plans, self._checks = plans, checks
        self.account_id = account_id
        self.as_of = as_of
        self.account_label = account_label
        self.arrears = arrears
        """The account's arrears: what a new plan covers unless the officer says otherwise."""
        self.has_mandate = False
        """The account has a direct debit mandate (pending or live) to pay a plan by."""
        self.lines: list[PlanView] = []
        self.dialog: ActionDialog | None = None

        self.plans_table = read_only_table("Payment plans")
        self.schedule_table = read_only_table("Plan schedule")
        self._plans_box = QGroupBox("Plans", self)
        QVBoxLayout(self._plans_box).addWidget(self.plans_table)
        self.broken = QLabel("", self)
        self.broken.setAccessibleName("Broken plans")
        self.broken.setTextFormat(Qt.TextFormat.PlainText)
        self._plans_box.layout().addWidget(self.broken)
        self._schedule_box = QGroupBox("Schedule", self)
        QVBoxLayout(self._schedule_box).addWidget(self.schedule_table)

        self.new_button = QPushButton("&New plan…", self)
        self.new_button.setToolTip("Agree a plan for the arrears, on an affordability check")
        self.renegotiate_button = QPushButton("&Renegotiate…", self)
        self.renegotiate_button.setToolTip("Agree new terms; the chosen plan stays, replaced")
        self.cancel_button = QPushButton("Ca&ncel plan…", self)
        self.cancel_button.setToolTip("End the chosen plan early, with the reason")
        self.message = QLabel("", self)
        self.message.setAccessibleName("Payment plans message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.renegotiate_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self._plans_box)
        layout.addWidget(self._schedule_box, 1)
        layout.addLayout(buttons)

        self.new_button.clicked.connect(self.new_plan)
        self.renegotiate_button.clicked.connect(self.renegotiate_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self._enable_buttons()
        self.reload()

    # Loading

    def reload(self, select_plan: int | None = None, message: str = "") -> None:
        """Load the account's plans again, keeping (or moving to) the chosen one.

        Args:
            message: said once they are shown (what the last action did).
        """
        chosen = self.selected_plan()
        keep = select_plan or (chosen.id if chosen else None)
        plans, account_id, as_of = self._plans, self.account_id, self.as_of
        self.message.setText("Loading…")
        run_task(
            lambda: plans.for_account(account_id, as_of),
            lambda lines: self._show(lines, keep, message),
            lambda error: self.message.setText(
                sentence(f"the payment plans could not be loaded: {error}")
            ),
            owner=self,
        )

    def _show(self, lines: list[PlanView], select: int | None, message: str) -> None:
        self.lines = lines
        replace_model(self.plans_table, plans_model(lines, self), PLAN_NOTE)
        fit_height(self.plans_table, PLAN_ROWS)
        scroll_bar = self.plans_table.horizontalScrollBar().sizeHint().height()
        self.plans_table.setFixedHeight(self.plans_table.maximumHeight() + scroll_bar)  # room
        # for the scroll bar the many columns bring on a narrow window, over no row
        self.plans_table.selectionModel().selectionChanged.connect(self._plan_chosen)
        self._plans_box.setTitle(f"Plans ({len(lines)})")
        self.broken.setText(broken_text(lines))
        self.broken.setVisible(bool(self.broken.text()))
        self.message.setText(message or ("" if lines else "No payment plan on this account."))
        row = next((i for i, p in enumerate(lines) if p.id == select), 0)
        if lines:
            self.plans_table.selectRow(row)
        else:
            self._plan_chosen()
        self.loaded.emit()

    def _plan_chosen(self) -> None:
        plan = self.selected_plan()
        lines = plan.lines if plan else ()
        replace_model(self.schedule_table, schedule_model(lines, self.as_of, self), SCHEDULE_STATE)
        which = f" — plan {plan.id}" if plan else ""
        self._schedule_box.setTitle(f"Schedule{which} ({len(lines)})")
        self._enable_buttons()

    # The selection

    def selected_plan(self) -> PlanView | None:
        record = selected_record(self.plans_table)
        return record if isinstance(record, PlanView) else None

    def active_plan(self) -> PlanView | None:
        return next((p for p in self.lines if p.status is PlanStatus.ACTIVE), None)

    def _enable_buttons(self) -> None:
        plan = self.selected_plan()
        active = self.active_plan()
        self.new_button.setEnabled(active is None)
        self.new_button.setToolTip(
            f"Plan {active.id} is active: renegotiate or cancel it instead"
            if active
            else "Agree a plan for the arrears, on an affordability check"
        )
        chosen_active = plan is not None and plan.status is PlanStatus.ACTIVE
        self.renegotiate_button.setEnabled(chosen_active)
        self.cancel_button.setEnabled(chosen_active)

    # Actions

    def new_plan(self) -> ActionDialog | None:
        if not self.new_button.isEnabled():
            return None
        dialog = PlanDialog(
            self._plans,
            self._checks,
            self.account_id,
            self.as_of,
            self.account_label,
            self.arrears,
            self,
            has_mandate=self.has_mandate,
        )
        return self._open(dialog, "Plan agreed.")

    def renegotiate_selected(self) -> ActionDialog | None:
        plan = self.selected_plan()
        if plan is None or not self.renegotiate_button.isEnabled():
            return None
        dialog = PlanDialog(
            self._plans,
            self._checks,
            self.account_id,
            self.as_of,
            self.account_label,
            self.arrears,
            self,
            replaces=plan,
            has_mandate=self.has_mandate,
        )
        return self._open(dialog, f"New terms agreed: plan {plan.id} is replaced.")

    def cancel_selected(self) -> ActionDialog | None:
        plan = self.selected_plan()
        if plan is None or not self.cancel_button.isEnabled():
            return None
        dialog = CancelPlanDialog(self._plans, plan, self.as_of, self)
        return self._open(dialog, f"Plan {plan.id} cancelled.", plan.id)
