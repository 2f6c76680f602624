"""Server-side SVG geometry for the chart page (/dasbor/grafik/), over the numbers of hadir.reports.charts.

Every chart is an `SvgChart`: grid lines with their labels, rectangles, polylines, circles and text, in a viewBox
of its own; one template (web/_svg_chart.html) draws any of them. Rates are drawn on an axis fitted to the data
(`rate_axis`), not on 0–100 where every bar sits near the top.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from hadir.org.scoping import BoardScope
from hadir.reports.charts import Axis, LocationCount, Series, overall, rates

__all__ = ["Series", "daily_rates", "overall", "weekly_rates"]

PALETTE = ["#c62828", "#ef6c00", "#6a1b9a", "#2e7d32", "#00838f", "#1565c0", "#5d4037", "#ad1457"]
TL_COLORS = {"TL1": "#ffcc80", "TL2": "#ffa726", "TL3": "#ef6c00", "TL4": "#b71c1c"}


def daily_rates(scope: BoardScope, end: dt.date, days: int = 14,
                opd: int | None = None) -> tuple[list[dt.date], list[Series]]:
    return rates(scope, end - dt.timedelta(days=days - 1), end, False, opd)


def weekly_rates(scope: BoardScope, end: dt.date, weeks: int = 8,
                 opd: int | None = None) -> tuple[list[dt.date], list[Series]]:
    start = end - dt.timedelta(days=end.weekday()) - dt.timedelta(weeks=weeks - 1)
    return rates(scope, start, end, True, opd)


@dataclass
class Grid:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    lx: float
    ly: float
    anchor: str = "end"


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str
    css: str = "bar"


@dataclass
class Line:
    points: str
    color: str
    name: str
    dashed: bool = False
    dots: list[tuple[float, float, str]] = field(default_factory=list)


@dataclass
class Circle:
    cx: float
    cy: float
    r: float
    title: str


@dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass
class SvgChart:
    chart_id: str
    title: str
    width: int
    height: int
    grid: list[Grid] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    legend: list[tuple[float, float, str, str]] = field(default_factory=list)  # (x, y, colour, name), top rows


def pct_label(v: float) -> str:
    return f"{v:.0f}%" if v == int(v) else f"{v:.1f}%".replace(".", ",")


def _num(v: float) -> str:
    return f"{v:.0f}"


def _y(value: float, axis: Axis, top: float, plot_h: float) -> float:
    clamped = max(axis.lo, min(axis.hi, value))
    return top + plot_h * (axis.hi - clamped) / (axis.hi - axis.lo)


def _h_grid(chart: SvgChart, axis: Axis, left: float, right: float, top: float, plot_h: float, fmt: str) -> None:
    for t in axis.ticks:
        y = _y(t, axis, top, plot_h)
        chart.grid.append(Grid(left, y, right, y, pct_label(t) if fmt == "pct" else _num(t), left - 4, y + 3))


LEGEND_CHARS = 30


def _legend(chart: SvgChart, items: list[tuple[str, str]], left: float, right: float) -> int:
    """Legend entries left to right, wrapping to a new row at `right`; returns the number of rows."""
    x, row = left, 0
    for color, name in items:
        short = name if len(name) <= LEGEND_CHARS else name[:LEGEND_CHARS - 1] + "…"
        width = 16 + 5.8 * len(short) + 14
        if x > left and x + width > right:
            x, row = left, row + 1
        chart.legend.append((x, 6 + 14 * row, color, short))
        x += width
    return row + 1 if items else 0


def column_chart(chart_id: str, title: str, labels: list[str], stacks: list[tuple[str, str, list[float | None]]],
                 axis: Axis, fmt: str = "num", width: int = 720, height: int = 240) -> SvgChart:
    """Columns (stacked when several `stacks` of (name, colour, values)) over `labels`; the rate axis may start
    above 0, so a column is drawn from the axis floor."""
    chart = SvgChart(chart_id, title, width, height)
    left, right, bottom = 48.0, width - 8.0, height - 24.0
    rows = _legend(chart, [(c, n) for n, c, _v in stacks], left, right) if len(stacks) > 1 else 0
    top = 28.0 + 14 * max(0, rows - 1)
    plot_h = bottom - top
    _h_grid(chart, axis, left, right, top, plot_h, fmt)
    slot = (right - left) / max(1, len(labels))
    for i, label in enumerate(labels):
        x = left + i * slot + slot * 0.15
        base = 0.0
        for name, color, values in stacks:
            v = values[i]
            if v is None:
                continue
            y0 = _y(axis.lo if fmt == "pct" else base, axis, top, plot_h)
            y1 = _y(base + v, axis, top, plot_h)
            text = pct_label(v) if fmt == "pct" else _num(v)
            if y0 - y1 > 0 or fmt == "pct":
                chart.rects.append(Rect(x, y1, slot * 0.7, max(0.0, y0 - y1), color,
                                        f"{label} · {name}: {text}" if len(stacks) > 1 else f"{label}: {text}"))
            base += v
        total = sum(s[2][i] or 0 for s in stacks)
        if any(s[2][i] is not None for s in stacks):
            shown = pct_label(total) if fmt == "pct" else _num(total)
            chart.labels.append(Label(x + slot * 0.35, _y(total, axis, top, plot_h) - 3, shown))
        chart.labels.append(Label(x + slot * 0.35, bottom + 14, label))
    return chart


def line_chart(chart_id: str, title: str, labels: list[str], series: list[tuple[str, list[float | None]]],
               axis: Axis, total: list[float | None] | None = None, total_name: str = "",
               width: int = 720, height: int = 260) -> SvgChart:
    """One line per series (rates); `total` as a dashed grey line."""
    chart = SvgChart(chart_id, title, width, height)
    drawn: list[tuple[str, str, list[float | None], bool]] = [
        (name, PALETTE[i % len(PALETTE)], values, False) for i, (name, values) in enumerate(series)]
    if total is not None:
        drawn.append((total_name, "#607d8b", total, True))
    left, right, bottom = 48.0, width - 44.0, height - 24.0
    rows = _legend(chart, [(c, n) for n, c, _v, _d in drawn], 8.0, width - 8.0)
    top = 26.0 + 14 * rows
    plot_h = bottom - top
    _h_grid(chart, axis, left, right, top, plot_h, "pct")
    step = (right - left) / max(1, len(labels) - 1) if len(labels) > 1 else 0.0
    xs = [left + i * step if len(labels) > 1 else (left + right) / 2 for i in range(len(labels))]
    for x, label in zip(xs, labels, strict=True):
        chart.labels.append(Label(x, bottom + 14, label))
    for name, color, values, dashed in drawn:
        pts = [(x, _y(v, axis, top, plot_h), f"{name} · {lab}: {pct_label(v)}")
               for x, lab, v in zip(xs, labels, values, strict=True) if v is not None]
        chart.lines.append(Line(" ".join(f"{x:.1f},{y:.1f}" for x, y, _t in pts), color, name, dashed, pts))
    return chart


def rank_chart(chart_id: str, title: str, items: list[tuple[str, float | None]], axis: Axis,
               width: int = 720, bar: int = 20) -> SvgChart:
    """Horizontal bars, one per OPD in the given order (worst first), from the axis floor to the rate."""
    left, right, top = 230.0, width - 48.0, 20.0
    height = int(top + bar * max(1, len(items)) + 24)
    chart = SvgChart(chart_id, title, width, height)
    bottom = height - 20.0
    span = axis.hi - axis.lo
    for t in axis.ticks:
        x = left + (right - left) * (t - axis.lo) / span
        chart.grid.append(Grid(x, top - 4, x, bottom, pct_label(t), x, bottom + 14, "middle"))
    for i, (name, v) in enumerate(items):
        y = top + i * bar
        short = name if len(name) <= 36 else name[:35] + "…"
        chart.labels.append(Label(left - 6, y + bar * 0.65, short, "end"))
        if v is None:
            continue
        w = (right - left) * (max(axis.lo, min(axis.hi, v)) - axis.lo) / span
        chart.rects.append(Rect(left, y + 3, w, bar - 6, "#1565c0" if v >= 90 else "#e53935", f"{name}: {pct_label(v)}"))
        chart.labels.append(Label(left + w + 4, y + bar * 0.65, pct_label(v), "start"))
    return chart


def bubble_map(chart_id: str, title: str, locations: list[LocationCount], width: int = 720,
               height: int = 420) -> SvgChart:
    """Work locations as circles sized by their check-ins (area ∝ count), placed by longitude/latitude on a plain
    background (a Web-Mercator-free equirectangular box): the map's PNG, which needs no tiles."""
    chart = SvgChart(chart_id, title, width, height)
    if not locations:
        return chart
    pad = 40.0
    lats = [c.lat for c in locations]
    lons = [c.lon for c in locations]
    lat0, lat1 = min(lats), max(lats)
    lon0, lon1 = min(lons), max(lons)
    span = max(lat1 - lat0, (lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2)), 0.002)
    scale = min(width, height) - 2 * pad
    biggest = max(c.checkins for c in locations)
    cos = math.cos(math.radians((lat0 + lat1) / 2))
    for c in sorted(locations, key=lambda c: -c.checkins):  # small circles on top
        x = pad + (c.lon - lon0) * cos / span * scale + (width - scale - 2 * pad) / 2
        y = pad + (lat1 - c.lat) / span * scale
        r = 4 + 26 * math.sqrt(c.checkins / biggest)
        chart.circles.append(Circle(x, y, r, f"{c.name}: {c.checkins}"))
        chart.labels.append(Label(x, y + r + 11, f"{c.name[:24]} ({c.checkins})"))
    return chart
