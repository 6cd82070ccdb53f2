"""Open debtdesk on a demo caseload at one recovery screen, for a screenshot under Xvfb.

    ../shared/tools/xshot docs/screenshots/worklist.png 12 -- \\
        .venv/bin/python tools/recovery_screens.py worklist demo.sqlite

Scenes: ``worklist`` (Recovery ▸ Worklist), ``legal`` (an account with a county court
claim, on its Recovery tab's Legal and agents page), ``plan`` (a new plan on an account
in arrears, with a Standard Financial Statement filled in), ``policy`` (Team ▸ Recovery
policy…), ``interest`` (the business account charged the most interest, on its Interest
tab), ``bankrate`` (Team ▸ Bank Rate history…), ``interestrun`` (Payments ▸ Interest
run…), ``panel`` (Recovery ▸ Debt Management Panel…, with a meeting planned on the demo's
referrals and write-offs; it writes the meeting into the database), ``dashboard`` (the
start page, as the demo officer with the largest caseload, so that "Your caseload" shows
theirs: debtdesk's user is the login, so the scene sets ``LOGNAME``). The database must
hold a demo caseload (``debtdesk demo``), whose recovery work in hand these screens show.
Nothing here is a test; it is for a person to look at.
"""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from debtdesk.db.models import Account, InterestCharge, Invoice, User  # noqa: E402
from debtdesk.domain.referrals import ReferralKind  # noqa: E402
from debtdesk.gui.account_view import INTEREST_TAB, RECOVERY_TAB, AccountView  # noqa: E402
from debtdesk.gui.main_window import MainWindow  # noqa: E402
from debtdesk.gui.recovery_tab import LEGAL_PAGE  # noqa: E402
from debtdesk.services.database import open_database  # noqa: E402
from debtdesk.services.recovery_facts import overdue_at  # noqa: E402
from debtdesk.services.referrals import Referrals  # noqa: E402

STATEMENT = {  # a pensioner's month, in pounds: what an officer would key from the call
    "state-pensions": "996.67",
    "private-work-pensions": "400.00",
    "rent": "450.00",
    "council-tax-rates": "120.00",
    "electricity": "55.00",
    "gas": "65.00",
    "groceries": "325.00",
}


def main(scene: str, location: str) -> int:
    app = QApplication(sys.argv)
    settings = QSettings(str(Path("/tmp") / "debtdesk-screens.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, today=date.today)
    window.resize(1400, 860)
    window.show()
    db = open_database(location)
    if scene == "dashboard":
        with db.sessions() as session:
            busiest = session.scalars(
                select(User.username)
                .join(Account, Account.officer_id == User.id)
                .group_by(User.username)
                .order_by(func.count().desc(), User.username)
            ).first()
        if busiest is not None:
            os.environ["LOGNAME"] = busiest  # the window opens the database as them

    def account_window(account_id: int) -> AccountView:
        view = window.open_account(account_id)
        assert view is not None
        view.resize(1280, 800)
        view.move(60, 40)
        return view

    def show() -> None:
        if scene == "worklist":
            worklist = window.open_worklist()
            assert worklist is not None
            worklist.resize(1320, 760)
            worklist.move(40, 60)
        elif scene == "legal":
            claim = next(
                r for r in Referrals(db).listing() if r.kind is ReferralKind.COUNTY_COURT_CLAIM
            )
            view = account_window(claim.account_id)
            view.loaded.connect(lambda: legal_page(view))
        elif scene == "plan":
            with db.sessions() as session:
                owing = sorted(overdue_at(session, date.today()).items(), key=lambda x: x[0])
            account_id = next(a for a, due in owing if 300_00 <= due.amount <= 2_000_00)
            view = account_window(account_id)
            QTimer.singleShot(1500, lambda: new_plan(view))
        elif scene == "policy":
            window.team.policy_action.trigger()
        elif scene == "interest":
            with db.sessions() as session:
                account_id = session.scalars(
                    select(Invoice.account_id)
                    .join(InterestCharge, InterestCharge.invoice_id == Invoice.id)
                    .group_by(Invoice.account_id)
                    .order_by(func.count().desc(), Invoice.account_id)
                ).first()
            assert account_id is not None, "run the demo: it charges interest"
            view = account_window(account_id)
            view.loaded.connect(lambda: view.tabs.setCurrentIndex(INTEREST_TAB))
        elif scene == "bankrate":
            window.team.bank_rates_action.trigger()
        elif scene == "interestrun":
            window.payments.interest_action.trigger()
        elif scene == "dashboard":
            window.tabs.setCurrentWidget(window.dashboard)  # the start page already
        elif scene == "panel":
            plan_meeting()
            window.panel_action.trigger()
        else:
            raise SystemExit(f"unknown scene {scene!r}")

    def legal_page(view: AccountView) -> None:
        view.tabs.setCurrentIndex(RECOVERY_TAB)
        assert view.recovery is not None
        view.recovery.sections.setCurrentIndex(LEGAL_PAGE)

    def plan_meeting() -> None:
        from debtdesk.domain.panel import PanelOption
        from debtdesk.services.panel import Panels
        from debtdesk.services.write_offs import WriteOffs

        panels = Panels(db)
        meeting = panels.plan(
            date.today() + timedelta(days=14), "Debt Management Panel, December 2026",
            ["Jo Taylor (chair)", "Kiran Shah", "Martin Finch (finance)"],
        )  # fmt: skip
        for r in Referrals(db).listing():
            if r.kind is ReferralKind.COUNTY_COURT_CLAIM:
                panels.add_case(meeting, r.account_id, PanelOption.CHARGING_ORDER,
                                "Claim issued; owns her home: secure the debt on it")  # fmt: skip
        for w in WriteOffs(db).waiting():
            why = "No disposable income; the social worker confirms hardship"
            panels.add_case(meeting, w.account_id, PanelOption.WRITE_OFF, why)

    def new_plan(view: AccountView) -> None:
        assert view.plans is not None
        view.tabs.setCurrentWidget(view.plans)
        dialog = view.plans.new_plan()
        assert dialog is not None
        for key, pounds in STATEMENT.items():
            dialog.set_line(key, pounds)  # type: ignore[attr-defined]

    window.database_opened.connect(lambda: QTimer.singleShot(1500, show))
    window.open_location(location)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
