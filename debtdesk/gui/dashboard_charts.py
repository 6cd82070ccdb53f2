"""The dashboard's two charts (QtCharts): the debt by days past due, and its 13-period trend.

Each chart keeps one QChart, one series and its axes for its whole life: new figures
replace the series' values and the axes' ranges, so a refresh redraws without making
(or leaking) chart objects. Values are pounds as floats: a chart is the GUI's edge,
where pence become a picture. Axis labels are pounds with thousands separators (the
chart's numbers are localised to en-GB), and each chart's accessible description reads
out the figures, for those who cannot see it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, QPointF, Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QWidget

from debtdesk.domain.ageing import BUCKET_LABELS, BUCKETS
from debtdesk.gui.formatting import money, uk_date
from debtdesk.services.dashboard import TrendPoint

POUNDS_FORMAT = "£%.0f"
"""Axis labels: whole pounds; the en-GB locale adds the thousands separators."""
UK = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)

BAR_LABELS = {
    "not_due": "Not due",
    "1_30": "1–30",
    "31_60": "31–60",
    "61_90": "61–90",
    "91_180": "91–180",
    "181_365": "181–365",
    "over_365": "Over 365",
}
"""Short labels under the bars (the axis title says they are days past due)."""


MINIMUM_SPAN = 100.0
"""The least an amount axis spans, in pounds: whole-pound labels on a smaller one repeat."""
LABEL_SCALE = 0.9
"""Labels under a chart a little smaller than the text, so that "181–365" fits a bar."""


def pounds(pence: int) -> float:
    """Pence as float pounds, for a chart only."""
    return pence / 100


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    chart.setLocalizeNumbers(True)
    chart.setLocale(UK)
    chart.setMargins(QMargins(4, 4, 12, 4))
    chart.setBackgroundRoundness(0)
    return chart


def _small_labels(axis: QAbstractAxis) -> None:
    font = QFont(axis.labelsFont())
    font.setPointSizeF(font.pointSizeF() * LABEL_SCALE)
    axis.setLabelsFont(font)


def _pounds_axis(chart: QChart) -> QValueAxis:
    axis = QValueAxis(chart)
    axis.setLabelFormat(POUNDS_FORMAT)
    axis.setRange(0, 1)
    chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
    return axis


def _fit(axis: QValueAxis, values: Sequence[float]) -> None:
    """A range from nought (or below, for credit) to a round figure above the highest."""
    low, high = min([0.0, *values]), max([0.0, *values])
    axis.setRange(low, max(high, low + MINIMUM_SPAN))
    axis.applyNiceNumbers()


class _View(QChartView):
    def __init__(self, chart: QChart, name: str, parent: QWidget | None) -> None:
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a screen reader reads the figures
        self.setMinimumSize(360, 260)


class AgeingChart(_View):
    """A bar for each age bucket: what is outstanding that many days past its due date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = _chart("Debt by days past due")
        super().__init__(chart, "Debt by days past due", parent)
        self.bars = QBarSet("Outstanding", chart)
        self.bars.append([0.0] * len(BUCKETS))
        self.series = QBarSeries(chart)
        self.series.append(self.bars)
        chart.addSeries(self.series)
        self.categories = QBarCategoryAxis(chart)
        self.categories.append([BAR_LABELS[b] for b in BUCKETS])
        self.categories.setTitleText("Days past due")
        _small_labels(self.categories)
        chart.addAxis(self.categories, Qt.AlignmentFlag.AlignBottom)
        self.series.attachAxis(self.categories)
        self.amounts = _pounds_axis(chart)
        self.series.attachAxis(self.amounts)

    def show_figures(self, aged: Mapping[str, int]) -> None:
        values = [pounds(aged[bucket]) for bucket in BUCKETS]
        for i, value in enumerate(values):
            self.bars.replace(i, value)
        _fit(self.amounts, values)
        self.setAccessibleDescription(
            "; ".join(f"{BUCKET_LABELS[b]}: {money(aged[b])}" for b in BUCKETS)
        )

    def values(self) -> list[float]:
        """The bars' heights in pounds, youngest bucket first."""
        return [self.bars.at(i) for i in range(self.bars.count())]


class TrendChart(_View):
    """The caseload's debt at the end of each of the last 13 four-weekly periods.

    The points sit at 0, 1, 2, … (one a period, evenly spaced); every other one, the
    last among them, is labelled with its period's last day.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = _chart("Debt at the end of each 4-weekly period")
        super().__init__(chart, "Debt at the end of each period", parent)
        self.line = QLineSeries(chart)
        self.line.setName("Total debt")
        self.line.setPointsVisible(True)
        chart.addSeries(self.line)
        self.dates = QCategoryAxis(chart)
        self.dates.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.dates.setTitleText("Period ending")
        _small_labels(self.dates)
        chart.addAxis(self.dates, Qt.AlignmentFlag.AlignBottom)
        self.line.attachAxis(self.dates)
        self.amounts = _pounds_axis(chart)
        self.line.attachAxis(self.amounts)
        self.ends: tuple[date, ...] = ()
        """The period ends the points stand for, oldest first."""

    def show_figures(self, trend: Sequence[TrendPoint]) -> None:
        points = [QPointF(i, pounds(p.total)) for i, p in enumerate(trend)]
        self.line.replace(points)
        ends = tuple(p.period.end for p in trend)
        if ends != self.ends:
            self.ends = ends
            for label in self.dates.categoriesLabels():
                self.dates.remove(label)
            # In order (an axis takes each label's value above the last): every other end,
            # the last among them.
            for i in range((len(ends) - 1) % 2, len(ends), 2):
                self.dates.append(f"{ends[i].day} {ends[i]:%b %y}", i)
            self.dates.setRange(-0.5, len(ends) - 0.5)
        _fit(self.amounts, [p.y() for p in points])
        self.setAccessibleDescription(
            "; ".join(f"{uk_date(p.period.end)}: {money(p.total)}" for p in trend)
        )

    def values(self) -> list[float]:
        """The line's points in pounds, oldest first."""
        return [p.y() for p in self.line.points()]
