"""The 工作台's year at a glance: one chart per area (三会一课 held/due, 党费 due/paid/remitted, 发展党员 by stage,
六个一 met), built from each area's year summary as of the chosen day — an area the app does not have is left out —
and the bar chart that draws one (a bar opens the section that fixes it)."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QSizePolicy,
    QWidget,
)

from db import clock
from desktop.style import ACCENT, OK_GREEN, TEXT_MUTED

STAGE_LABELS = {
    "applicant": "申请人",
    "activist": "积极分子",
    "candidate": "发展对象",
    "probationary": "预备党员",
    "full": "已转正",
    "stopped": "终止",
}


@dataclass
class Bar:
    label: str
    value: float
    total: float | None  # None: scaled against the largest value in the chart
    text: str
    color: str = ACCENT


@dataclass
class Chart:
    key: str  # the section it belongs to
    title: str
    bars: list[Bar] = field(default_factory=list)
    note: str = ""


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:
            raise
        return None


def _money(text: Any) -> Decimal:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def year_glance(ledger: Any, year: int, as_of: dt.date) -> list[Chart]:
    """The year's charts; an area whose module is not there has no chart."""
    charts: list[Chart] = []
    for build in GLANCE_BUILDERS:
        charts.extend(glance_charts(ledger, build, year, as_of))
    return charts


def glance_charts(ledger: Any, build: Any, year: int, as_of: dt.date) -> list[Chart]:
    """One area's charts, kept until an operation changes a table they were drawn from (Ledger.memo_reads)."""
    key = f"glance.{build.__name__}.{year}.{as_of.isoformat()}.{clock.today().isoformat()}"
    charts: list[Chart] = ledger.memo_reads(key, lambda: build(ledger, year, as_of))
    return charts


def _meetings_glance(ledger: Any, year: int, as_of: dt.date) -> list[Chart]:
    charts: list[Chart] = []
    meetings = _module("db.meetings")
    if meetings is not None and hasattr(meetings, "year_summary"):
        s = meetings.year_summary(ledger, year, as_of)
        from db.rules.meetings import KIND_LABELS as labels  # Chinese names, not the codes

        bars = [
            Bar(
                labels.get(k, k),
                s["held"].get(k, 0),
                n,
                f"{s['held'].get(k, 0)}/{n}",
                OK_GREEN if s["held"].get(k, 0) >= n else ACCENT,
            )
            for k, n in s["required"].items()
            if n
        ]
        charts.append(
            Chart("meetings", f"{year}年会议：已开/应开", bars, "" if bars else "今年还没有到期的会议要求")
        )
    return charts


def _dues_glance(ledger: Any, year: int, as_of: dt.date) -> list[Chart]:
    charts: list[Chart] = []
    dues = _module("db.dues")
    if dues is not None and hasattr(dues, "year_summary"):
        s = dues.year_summary(ledger, year, as_of)
        due, paid, remitted = _money(s["due"]), _money(s["paid"]), _money(s["remitted"])
        charts.append(
            Chart(
                "dues",
                f"{year}年党费（元）",
                [
                    Bar(
                        "已收/应收",
                        float(paid),
                        float(due) or None,
                        f"{paid:,.2f} / {due:,.2f}",
                        OK_GREEN if paid >= due else ACCENT,
                    ),
                    Bar(
                        "已上缴/已收",
                        float(remitted),
                        float(paid) or None,
                        f"{remitted:,.2f} / {paid:,.2f}",
                        OK_GREEN if remitted >= paid else ACCENT,
                    ),
                ],
                f"有欠缴的党员：{s['arrears_members']}名" if s.get("arrears_members") else "没有欠缴",
            )
        )
    return charts


def _development_glance(ledger: Any, year: int, as_of: dt.date) -> list[Chart]:
    charts: list[Chart] = []
    dev = _module("db.development")
    if dev is not None and hasattr(dev, "year_summary"):
        s = dev.year_summary(ledger, year, as_of)
        by = s.get("by_stage", {})
        bars = [
            Bar(STAGE_LABELS.get(k, k), by.get(k, 0), None, str(by.get(k, 0)))
            for k in STAGE_LABELS
            if k in by and k not in ("full", "stopped")
        ]
        charts.append(
            Chart(
                "development",
                f"{year}年发展党员：各阶段人数",
                bars,
                f"本年接收预备党员{s.get('admitted', 0)}名，转正{s.get('converted', 0)}名",
            )
        )
    return charts


def _checklists_glance(ledger: Any, year: int, as_of: dt.date) -> list[Chart]:
    charts: list[Chart] = []
    checklists = _module("db.checklists")
    if checklists is not None:
        s = checklists.year_summary(ledger, year)
        bars = [
            Bar(
                "项目达标",
                s["met"],
                s["items"] or None,
                f"{s['met']}/{s['items']}",
                OK_GREEN if s["met"] >= s["items"] else ACCENT,
            )
        ]
        if s["sub_items"]:
            bars.append(
                Bar(
                    "子项达标",
                    s["sub_met"],
                    s["sub_items"],
                    f"{s['sub_met']}/{s['sub_items']}",
                    OK_GREEN if s["sub_met"] >= s["sub_items"] else ACCENT,
                )
            )
        names = "、".join(checklists.checklist_names(ledger, year))
        charts.append(Chart("checklist", f"{year}年“{names}”自查", bars))
    return charts


GLANCE_BUILDERS = (_meetings_glance, _dues_glance, _development_glance, _checklists_glance)


class BarChart(QFrame):
    """A small horizontal bar chart: label, bar (value against its total, or against the largest value), text."""

    ROW = 26

    def __init__(self, chart: Chart, on_open: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.chart = chart
        self.on_open = on_open
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("点击打开" + chart.title.split("：")[0])
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(chart.title)
        self.setFixedHeight(self.sizeHint().height())

    def changeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FontChange:
            self.setFixedHeight(self.sizeHint().height())

    def _metrics(self) -> QFontMetrics:
        return QFontMetrics(self.font())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        fm = self._metrics()
        line = max(self.ROW, fm.height() + 10)
        rows = max(1, len(self.chart.bars))
        h = 12 + fm.height() + 8 + rows * line + (fm.height() + 6 if self.chart.note else 0) + 8
        return QSize(320, h)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(260, self.sizeHint().height())

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self.on_open:
            self.on_open(self.chart.key)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.on_open:
            self.on_open(self.chart.key)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self._metrics()
        w = self.width()
        y = 10
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#222222"))
        p.drawText(QRectF(12, y, w - 24, fm.height() + 2), Qt.AlignmentFlag.AlignLeft, self.chart.title)
        p.setFont(self.font())
        y += fm.height() + 8
        line = max(self.ROW, fm.height() + 10)
        label_w = max([fm.horizontalAdvance(b.label) for b in self.chart.bars] + [40]) + 10
        text_w = max([fm.horizontalAdvance(b.text) for b in self.chart.bars] + [30]) + 10
        bar_x = 12 + label_w
        bar_w = max(40, w - bar_x - text_w - 12)
        peak = max([b.value for b in self.chart.bars if b.total is None] + [1])
        if not self.chart.bars:
            p.setPen(QColor(TEXT_MUTED))
            p.drawText(QRectF(12, y, w - 24, line), Qt.AlignmentFlag.AlignVCenter, "（暂无数据）")
            y += line
        for b in self.chart.bars:
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(12, y, label_w, line), Qt.AlignmentFlag.AlignVCenter, b.label)
            bh = min(14, line - 10)
            top = y + (line - bh) / 2
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#EEEAEA"))
            p.drawRoundedRect(QRectF(bar_x, top, bar_w, bh), 3, 3)
            total = b.total if b.total else peak
            frac = 0.0 if not total else max(0.0, min(1.0, b.value / total))
            if frac > 0:
                p.setBrush(QColor(b.color))
                p.drawRoundedRect(QRectF(bar_x, top, max(4.0, bar_w * frac), bh), 3, 3)
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(bar_x + bar_w + 8, y, text_w, line), Qt.AlignmentFlag.AlignVCenter, b.text)
            y += line
        if self.chart.note:
            p.setPen(QColor(TEXT_MUTED))
            p.drawText(
                QRectF(12, y + 2, w - 24, fm.height() + 4), Qt.AlignmentFlag.AlignLeft, self.chart.note
            )
        p.end()
