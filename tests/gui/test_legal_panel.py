"""The Recovery tab's Legal and agents page over a real database, worked by hand.

Mrs Ada Brown (RR000001) owes £1,500.00 (tests/services/test_recovery_run.py). A county
court claim waits for a deferred payment agreement to be offered and refused (Care Act
s69(2)); agents do not. The claim goes for the balance, £1,500.00; £500.00 comes back.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.deferred_payments import DpaOutcome
from debtdesk.domain.referrals import ReferralKind
from debtdesk.gui.legal_dialogs import DpaDialog, ReferDialog, ReturnDialog
from debtdesk.gui.legal_panel import LegalPanel, referrals_model
from debtdesk.gui.recovery_tab import LEGAL_PAGE, RecoveryTab
from debtdesk.services.database import Database
from debtdesk.services.deferred_payments import DeferredPayments
from debtdesk.services.holds import Holds
from debtdesk.services.recovery import recovery_summary
from debtdesk.services.referrals import Referrals
from debtdesk.services.users import current_user
from debtdesk.services.write_offs import WriteOffs
from tests.gui.money_support import take_notice
from tests.services.test_recovery_run import account  # noqa: F401  (the fixture)

AS_OF = date(2026, 6, 1)
LABEL = "RR000001 Mrs Ada Brown"
NO_OFFER = (
    "no deferred payment agreement offer is recorded: record that one was offered and "
    "refused, or that none is available to the person, first (Care Act s69(2))"
)


def make_tab(db: Database, account_id: int, qtbot: QtBot) -> tuple[RecoveryTab, LegalPanel]:
    legal = LegalPanel(
        Referrals(db), DeferredPayments(db), current_user(db), account_id, AS_OF, LABEL, 150_000
    )
    tab = RecoveryTab(
        partial(recovery_summary, db), Holds(db), WriteOffs(db), current_user(db),
        account_id, AS_OF, LABEL, 150_000, legal=legal,
    )  # fmt: skip
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    tab.sections.setCurrentIndex(LEGAL_PAGE)
    return tab, legal


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cells(legal: LegalPanel, row: int) -> list[str]:
    model = legal.table.model()
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_court_action_waits_for_the_dpa_then_is_referred_and_returned(
    db: Database,
    account: int,  # noqa: F811
    qtbot: QtBot,
) -> None:
    tab, legal = make_tab(db, account, qtbot)
    assert tab.sections.tabText(LEGAL_PAGE) == "&Legal and agents (0)"
    assert legal.dpa_label.text() == (
        f"Deferred payment agreement: no decision recorded. Court action waits: {NO_OFFER}."
    )
    assert legal.message.text() == "No referrals on this account."
    assert not legal.return_button.isEnabled()

    # A claim now is refused, and said so before OK too; nothing is written.
    dialog = legal.refer()
    assert isinstance(dialog, ReferDialog)
    assert dialog.amount.text() == "1,500.00" and dialog.warning.isHidden()
    dialog.choose(ReferralKind.COUNTY_COURT_CLAIM)
    assert dialog.warning.text() == f"Not yet: {NO_OFFER}."
    dialog.agency.setText("HMCTS")
    click(qtbot, dialog.ok_button)
    assert take_notice(dialog.notice).strip() == f"RR000001: {NO_OFFER}."
    assert dialog.isVisible() and Referrals(db).for_account(account) == []
    dialog.reject()

    # Offered on 05/01 (the default first), refused on 02/02 (the default next).
    offer = legal.record_dpa()
    assert isinstance(offer, DpaDialog) and offer.chosen() is DpaOutcome.OFFERED
    offer.on.setDate(QDate(2026, 5, 5))
    offer.note.setText("Offered by letter")
    click(qtbot, offer.ok_button)
    assert legal.dpa_label.text().startswith(
        "Deferred payment agreement: offered, awaiting an answer, 05/05/2026 (Offered by "
        "letter). Court action waits: the deferred payment agreement offered on 05/05/2026 "
        "has no answer yet"
    )
    answer = legal.record_dpa()
    assert isinstance(answer, DpaDialog) and answer.chosen() is DpaOutcome.REFUSED
    answer.on.setDate(QDate(2026, 5, 20))
    click(qtbot, answer.ok_button)
    assert legal.dpa_label.text() == (
        "Deferred payment agreement: offered and refused, 20/05/2026. A legal referral or "
        "county court claim may start."
    )
    assert legal.message.text() == "Deferred payment agreement decision recorded."

    dialog = legal.refer()
    assert isinstance(dialog, ReferDialog)
    dialog.choose(ReferralKind.COUNTY_COURT_CLAIM)
    assert dialog.warning.isHidden()
    dialog.agency.setText("County Court Money Claims Centre")
    dialog.reference.setText("K00WX123")
    click(qtbot, dialog.ok_button)
    assert cells(legal, 0) == [
        "County court claim", "01/06/2026", "£1,500.00", "County Court Money Claims Centre",
        "K00WX123", "", "", "",
    ]  # fmt: skip
    assert tab.sections.tabText(LEGAL_PAGE) == "&Legal and agents (1)"

    # What came back: more than was referred is refused; £500.00 is recorded.
    returned = legal.return_selected()
    assert isinstance(returned, ReturnDialog)
    returned.outcome.setText("Judgment in default; part paid")
    returned.recovered.setText("2,000.00")
    click(qtbot, returned.ok_button)
    assert "£2,000.00 recovered is more than the £1,500.00 referred" in take_notice(returned.notice)
    returned.recovered.setText("500")
    click(qtbot, returned.ok_button)
    assert cells(legal, 0)[5:] == ["01/06/2026", "£500.00", "Judgment in default; part paid"]
    assert legal.message.text() == "Return recorded: county court claim."
    assert not legal.return_button.isEnabled()


def test_the_referrals_model_passes_qt_model_tester(
    db: Database,
    account: int,  # noqa: F811
    qtbot: QtBot,
) -> None:
    Referrals(db).refer(account, ReferralKind.TRACING_AGENT, AS_OF, 150_000, "Trace UK")
    ModelTester(qtbot).check(referrals_model(Referrals(db).for_account(account)))
