"""The dashboard, the main window's start page, on the demo caseload (pytest-qt, offscreen).

The charts and tiles must show what ``Dashboards.figures`` says, formatted; after money
is posted and the window's refresh hook runs, the same series redraw with the new
figures: a £10 payment dated in the last complete period lowers the total, the trend's
last point and the aged bars by exactly £10.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from debtdesk.domain.ageing import BUCKETS
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.gui import tasks
from debtdesk.gui.dashboard import LOADING, DashboardView, percent
from debtdesk.gui.main_window import MainWindow
from debtdesk.services import ledger
from debtdesk.services.dashboard import Dashboard, Dashboards
from debtdesk.services.database import Database
from debtdesk.services.reporting.ageing import aged_accounts
from tests.gui.conftest import AS_OF


def _figures(window: MainWindow) -> Dashboard:
    assert window.database is not None
    return Dashboards(window.database).figures(AS_OF, window.database.actor)


def _pay_ten_pounds(db: Database, on: date) -> None:
    """£10 paid by card on ``on`` by an account owing at least that, with no spare credit,
    and allocated (to its oldest invoice)."""
    with db.sessions.begin() as session:
        aged = aged_accounts(session, AS_OF)
        account_id = min(
            a.account_id for a in aged.values() if a.unallocated == 0 and a.overdue >= 50_00
        )
        ledger.post_entry(
            session, account_id, EntryKind.PAYMENT, -10_00, on, source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CARD,
        )  # fmt: skip
        ledger.allocate(session, account_id, "tester")


def test_the_dashboard_is_the_start_page_with_the_services_figures(
    demo_window: MainWindow,
) -> None:
    window, view = demo_window, demo_window.dashboard
    assert window.tabs.currentWidget() is view
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "&Dashboard",
        "&Caseload",
    ]
    assert window.model.rowCount() > 0  # the caseload loaded too
    expected = _figures(window)
    assert view.figures == expected
    assert view.pages.currentWidget() is not view.message  # no longer "Loading…"
    assert view.heading.text() == "Dashboard at 20/11/2026"

    # The chart series hold the service's figures, in pounds.
    assert view.ageing_chart.values() == pytest.approx(
        [expected.aged[bucket] / 100 for bucket in BUCKETS]
    )
    assert view.trend_chart.values() == pytest.approx([p.total / 100 for p in expected.trend])
    # Every other period end is labelled, the last among them.
    assert view.trend_chart.dates.categoriesLabels() == [
        "7 Dec 25", "1 Feb 26", "29 Mar 26", "24 May 26", "19 Jul 26", "13 Sep 26", "8 Nov 26",
    ]  # fmt: skip
    assert len(expected.trend) == 13 and expected.trend[-1].period.end == date(2026, 11, 8)
    assert view.ageing_chart.amounts.max() >= max(expected.aged.values()) / 100

    # The tiles show them formatted.
    pounds, pence = divmod(expected.total, 100)
    assert view.total_tile.value.text() == f"£{pounds:,}.{pence:02d}"
    assert view.rate_tile.value.text() == percent(expected.this_period.rate)
    assert view.rate_tile.value.text().endswith("%")
    assert "12/10/2026 to 08/11/2026" in view.rate_tile.detail.text()
    failed = expected.failed
    assert view.failed_tile.value.text().startswith(f"{failed.count:,} · £")
    assert "Returned 09/11/2026 to 20/11/2026" in view.failed_tile.detail.text()
    # The window's login is an administrator with no caseload of their own.
    assert expected.officer is not None
    assert view.officer_tile.value.text() == f"{expected.officer.accounts:,} accounts"


def test_percent_is_rounded_half_up_to_a_tenth() -> None:
    assert percent(Decimal("0.9444")) == "94.4%"
    assert percent(Decimal("0.8725")) == "87.3%"  # half up, not to even
    assert percent(Decimal("1.05")) == "105.0%"
    assert percent(None) == "–"


def test_posted_money_redraws_the_same_charts(demo_window: MainWindow) -> None:
    window, view = demo_window, demo_window.dashboard
    assert window.database is not None
    before = view.figures
    assert before is not None
    bars, line = view.ageing_chart.bars, view.trend_chart.line
    bar_total = sum(view.ageing_chart.values())
    last_point = view.trend_chart.values()[-1]

    _pay_ten_pounds(window.database, date(2026, 11, 1))  # in the period 12 Oct - 8 Nov
    window._money_posted()  # what Payments' money_posted calls

    after = view.figures
    assert after is not None and after is not before
    assert after.total == before.total - 10_00
    assert after.this_period.collected == before.this_period.collected + 10_00
    assert sum(view.ageing_chart.values()) == pytest.approx(bar_total - 10.0)
    assert view.trend_chart.values()[-1] == pytest.approx(last_point - 10.0)
    pounds, pence = divmod(after.total, 100)
    assert view.total_tile.value.text() == f"£{pounds:,}.{pence:02d}"
    # The same series, redrawn: no new chart objects.
    assert view.ageing_chart.bars is bars and view.trend_chart.line is line
    assert view.ageing_chart.chart().series() == [view.ageing_chart.series]
    assert view.trend_chart.chart().series() == [line]


def test_a_hidden_dashboard_reloads_when_shown(demo_window: MainWindow) -> None:
    window, view = demo_window, demo_window.dashboard
    assert window.database is not None
    before = view.figures
    assert before is not None
    window.show_caseload()
    assert not view.isVisible()
    _pay_ten_pounds(window.database, AS_OF)
    window.refresh()  # View ▸ Refresh: the caseload now, the dashboard when shown
    assert view.figures is before
    window.tabs.setCurrentWidget(view)
    assert view.figures is not None and view.figures.total == before.total - 10_00


def test_searching_shows_the_caseload(demo_window: MainWindow, qtbot: QtBot) -> None:
    window = demo_window
    window.find_action.trigger()
    assert window.tabs.currentWidget() is window.table
    window.tabs.setCurrentWidget(window.dashboard)
    qtbot.keyClicks(window.filters.search, "zz")
    window.filters.flush()
    assert window.tabs.currentWidget() is window.table


def test_loading_shows_until_the_figures_arrive(
    demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = DashboardView(lambda: AS_OF)
    qtbot.addWidget(view)
    view.show()
    view.set_source(Dashboards(demo_db), "tester")
    assert view.message.text() == LOADING
    monkeypatch.setattr(tasks, "SYNCHRONOUS", False)  # a real read off the GUI thread
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
        assert view.pages.currentWidget() is view.message
        view.refresh()  # asked again while loading: one more load afterwards
    qtbot.waitUntil(lambda: not view.is_loading, timeout=20_000)
    assert view.figures == Dashboards(demo_db).figures(AS_OF, "tester")
    assert view.pages.currentWidget() is not view.message
    tasks.wait_for_tasks()


def test_keyboard_and_accessible_names(demo_window: MainWindow, qtbot: QtBot) -> None:
    view = demo_window.dashboard
    reachable = [view.refresh_button, *view.tiles, view.ageing_chart, view.trend_chart]
    for widget in reachable:
        assert widget.accessibleName()
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    for tile in view.tiles:
        assert tile.accessibleDescription()  # the figure, read out
    assert "Over 365 days: £" in view.ageing_chart.accessibleDescription()
    assert "08/11/2026: £" in view.trend_chart.accessibleDescription()
    demo_window.activateWindow()
    qtbot.waitActive(demo_window)
    view.refresh_button.setFocus()
    seen = []
    for _ in reachable[1:]:
        qtbot.keyClick(demo_window.focusWidget(), "\t")
        seen.append(demo_window.focusWidget())
    assert seen == reachable[1:]
