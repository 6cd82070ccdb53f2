"""The dashboard, the main window's start page: where the money is, without a report.

Four figure tiles (total debt; the collection rate of the last complete period against
the one before; failed direct debits this period; the user's own caseload and worklist)
over two charts (gui.dashboard_charts): the debt by days past due and its trend over the
last 13 four-weekly periods. The figures come from ``Dashboards.figures`` on the read
pool; "Loading…" shows until the first arrive, and a later refresh keeps the old ones in
view until the new replace them. Refreshes asked for while one is loading are folded
into one more; asked for while the page is hidden, they wait until it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from debtdesk.gui.dashboard_charts import AgeingChart, TrendChart
from debtdesk.gui.formatting import money, uk_date
from debtdesk.gui.officer_worklist import worklist_counts_text
from debtdesk.gui.tasks import run_task
from debtdesk.services.dashboard import CollectionRate, Dashboard, Dashboards, FailedDebits

LOADING = "Loading…"


def percent(rate: Decimal | None) -> str:
    """``87.3%`` (half up, to a tenth); an en dash when there is no rate."""
    if rate is None:
        return "–"
    return f"{(rate * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def rate_detail(this: CollectionRate, before: CollectionRate) -> str:
    """What the rate is made of, and the period before's to compare."""
    return (
        f"Collected {money(this.collected)} of {money(this.charged)} charged\n"
        f"Period {uk_date(this.period.start)} to {uk_date(this.period.end)}\n"
        f"The period before: {percent(before.rate)}"
    )


def failed_detail(failed: FailedDebits, before: FailedDebits) -> str:
    return (
        f"Returned {uk_date(failed.period.start)} to {uk_date(failed.until)}\n"
        f"The period before: {before.count:,} ({money(before.amount)})"
    )


class Tile(QFrame):
    """One figure: what it is, the figure in large type, and a line or two of detail.

    It takes the keyboard focus (Tab), so a screen reader can read the figure out.
    """

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard_tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(name)
        self.setStyleSheet(
            "#dashboard_tile { border: 1px solid palette(mid); border-radius: 4px;"
            " background: palette(base); }"
            "#dashboard_tile:focus { border: 2px solid palette(highlight); }"
        )
        self.title = QLabel(title, self)
        self.value = QLabel(LOADING, self)
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.value.setFont(font)
        self.detail = QLabel("", self)
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        for label in (self.title, self.value, self.detail):
            layout.addWidget(label)
        layout.addStretch(1)

    def set_figure(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setAccessibleDescription(f"{value}. {detail}".replace("\n", ". "))


class DashboardView(QWidget):
    """The start page: figure tiles and charts, as at today."""

    loaded = Signal()
    """New figures are shown."""

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self._today = today
        self._dashboards: Dashboards | None = None
        self._username = ""
        self._generation = 0
        self._loading = False
        self._again = False
        self._stale = False
        self.figures: Dashboard | None = None

        self.heading = QLabel("Dashboard", self)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.status = QLabel("", self)
        self.status.setAccessibleName("Dashboard status")
        self.refresh_button = QPushButton("&Refresh dashboard", self)
        self.refresh_button.setAccessibleName("Refresh dashboard")
        self.refresh_button.setToolTip("Read the figures again")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.status, 1)
        top.addWidget(self.refresh_button)

        self.total_tile = Tile("Total debt", "Total debt", self)
        self.rate_tile = Tile("Collection rate, last complete period", "Collection rate", self)
        self.failed_tile = Tile("Failed direct debits this period", "Failed direct debits", self)
        self.officer_tile = Tile("Your caseload", "Your caseload", self)
        self.tiles = (self.total_tile, self.rate_tile, self.failed_tile, self.officer_tile)
        self.ageing_chart = AgeingChart(self)
        self.trend_chart = TrendChart(self)

        content = QWidget(self)
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, tile in enumerate(self.tiles):
            grid.addWidget(tile, 0, column)
            grid.setColumnStretch(column, 1)
        charts = QHBoxLayout()
        charts.addWidget(self.ageing_chart, 1)
        charts.addWidget(self.trend_chart, 1)
        grid.addLayout(charts, 1, 0, 1, len(self.tiles))
        grid.setRowStretch(1, 1)
        self.message = QLabel(LOADING, self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Dashboard message")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.message)
        self.pages.addWidget(content)
        self._content = content

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        order = [self.refresh_button, *self.tiles, self.ageing_chart, self.trend_chart]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

    # Loading

    @property
    def is_loading(self) -> bool:
        """Figures are being read."""
        return self._loading

    def set_source(self, dashboards: Dashboards | None, username: str) -> None:
        """Show another database's figures, for this user (nothing until :meth:`refresh`)."""
        self._dashboards, self._username = dashboards, username
        self._generation += 1
        self._loading = self._again = self._stale = False
        self.figures = None
        self.message.setText(LOADING if dashboards is not None else "No database open")
        self.pages.setCurrentWidget(self.message)
        self.status.setText("")

    def refresh(self) -> None:
        """Read the figures again: now if shown (once more after a load under way), else
        when next shown."""
        if self._dashboards is None:
            return
        if not self.isVisible():
            self._stale = True
            return
        if self._loading:
            self._again = True
            return
        self._stale = False
        self._loading = True
        self.status.setText("Updating…" if self.figures is not None else "")
        dashboards, username, as_of = self._dashboards, self._username, self._today()
        run_task(
            lambda: dashboards.figures(as_of, username),
            partial(self._loaded, self._generation),
            partial(self._failed, self._generation),
            owner=self,
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _finished(self, generation: int) -> bool:
        """Whether the answer is still wanted; asks again if a refresh came meanwhile."""
        if generation != self._generation:
            return False
        self._loading = False
        return True

    def _loaded(self, generation: int, figures: Dashboard) -> None:
        if not self._finished(generation):
            return
        self.show_figures(figures)
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, generation: int, error: Exception) -> None:
        if not self._finished(generation):
            return
        text = f"The dashboard could not be loaded: {error}"
        if self.figures is None:
            self.message.setText(text)
        self.status.setText(text if self.figures is not None else "")
        self._again = False

    # Showing

    def show_figures(self, figures: Dashboard) -> None:
        """Fill the tiles and redraw the charts."""
        self.figures = figures
        self.heading.setText(f"Dashboard at {uk_date(figures.as_of)}")
        self.status.setText("")
        self.total_tile.set_figure(
            money(figures.total),
            f"Overdue {money(figures.overdue)}\nUnallocated credit {money(-figures.unallocated)}",
        )
        self.rate_tile.set_figure(
            percent(figures.this_period.rate),
            rate_detail(figures.this_period, figures.last_period),
        )
        failed = figures.failed
        self.failed_tile.set_figure(
            f"{failed.count:,} · {money(failed.amount)}",
            failed_detail(failed, figures.failed_before),
        )
        officer = figures.officer
        if officer is None:
            self.officer_tile.title.setText("Your caseload")
            self.officer_tile.set_figure("–", f"{self._username} is not a debtdesk user here")
        else:
            self.officer_tile.title.setText(f"Your caseload ({officer.name})")
            accounts = f"{officer.accounts:,} account{'' if officer.accounts == 1 else 's'}"
            self.officer_tile.set_figure(
                accounts,
                f"Debt {money(officer.debt)}, overdue {money(officer.overdue)}\n"
                f"Worklist: {worklist_counts_text(officer.worklist)}",
            )
        self.ageing_chart.show_figures(figures.aged)
        self.trend_chart.show_figures(figures.trend)
        self.pages.setCurrentWidget(self._content)
        self.loaded.emit()
