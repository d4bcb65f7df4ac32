"""Inline SVG charts drawn on the server: no chart library, no script, works with JS off and in print.

Labels come from the source (indicator names, periods) and are escaped here, where the markup is
built; the result is the only HTML in the site marked safe that is not a template.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

_FONT = 'font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"'


def _fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _nice_range(lo: float, hi: float) -> tuple[float, float]:
    if lo == hi:
        pad = abs(lo) * 0.1 or 1.0
        return lo - pad, hi + pad
    span = hi - lo
    step = 10 ** math.floor(math.log10(span))
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


def line_chart(points: Sequence[tuple[str, float | None]], *, title: str, unit: str | None = None,
               width: int = 420, height: int = 180) -> Markup:
    """A line chart of values over periods (gaps for missing values); one point draws as a dot."""
    values = [v for _, v in points if v is not None]
    left, right, top, bottom = 56, 16, 16, 40
    w, h = width - left - right, height - top - bottom
    label = escape(title + (f"（{unit}）" if unit else ""))
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{label}" '
           f'xmlns="http://www.w3.org/2000/svg">', f"<title>{label}</title>"]
    if not values:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" {_FONT} font-size="13" '
                   f'fill="#777">暂无数值</text></svg>')
        return Markup("".join(out))
    lo, hi = _nice_range(min([*values, 0.0]) if min(values) > 0 and min(values) < max(values) * 0.3
                         else min(values), max(values))
    n = len(points)

    def x(i: int) -> float:
        return left + (w / 2 if n == 1 else w * i / (n - 1))

    def y(v: float) -> float:
        return top + h - (v - lo) / (hi - lo) * h

    for frac in (0, 0.5, 1):
        v = lo + (hi - lo) * frac
        out.append(f'<line x1="{left}" x2="{left + w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e6e0d8"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" {_FONT} font-size="11" '
                   f'fill="#666">{escape(_fmt(v))}</text>')
    path: list[str] = []
    for i, (_, v) in enumerate(points):
        if v is None:
            path.append("")
            continue
        path.append(f"{x(i):.1f},{y(v):.1f}")
    segments = " ".join(p for p in path if p)
    if len(values) > 1:
        out.append(f'<polyline fill="none" stroke="#9e1b1b" stroke-width="2" points="{segments}"/>')
    for i, (period, v) in enumerate(points):
        if v is not None:
            out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="#9e1b1b"><title>'
                       f"{escape(period)}：{escape(_fmt(v))}</title></circle>")
        if n <= 8 or i in (0, n - 1) or i % math.ceil(n / 6) == 0:
            out.append(f'<text x="{x(i):.1f}" y="{height - 14}" text-anchor="middle" {_FONT} font-size="11" '
                       f'fill="#666">{escape(period[:12])}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, unit: str = "%", width: int = 720,
              bar_height: int = 22) -> Markup:
    """Horizontal bars around zero (growth rates): positive to the right, negative to the left."""
    label_w, pad = 220, 56
    height = bar_height * len(items) + 24
    out = [f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
           f'xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>"]
    if not items:
        out.append("</svg>")
        return Markup("".join(out))
    lo = min(0.0, *(v for _, v in items))
    hi = max(0.0, *(v for _, v in items))
    if hi == lo:
        hi = lo + 1
    plot_w = width - label_w - pad

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    out.append(f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="4" y2="{height - 16}" stroke="#999"/>')
    for i, (name, v) in enumerate(items):
        yy = 8 + i * bar_height
        x0, x1 = sorted((x(0), x(v)))
        color = "#b3261e" if v >= 0 else "#2e7d32"
        out.append(f'<text x="{label_w - 8}" y="{yy + bar_height * 0.62:.1f}" text-anchor="end" {_FONT} '
                   f'font-size="12" fill="#333">{escape(name[:18])}</text>')
        out.append(f'<rect x="{x0:.1f}" y="{yy + 3}" width="{max(1.0, x1 - x0):.1f}" height="{bar_height - 8}" '
                   f'fill="{color}" rx="2"><title>{escape(name)}：{escape(_fmt(v))}{escape(unit)}</title></rect>')
        # negative values print right of the axis too: left of it is where the names are
        tx = x1 + 4 if v >= 0 else x(0) + 4
        anchor = "start"
        out.append(f'<text x="{tx:.1f}" y="{yy + bar_height * 0.62:.1f}" text-anchor="{anchor}" {_FONT} '
                   f'font-size="11" fill="#444">{escape(_fmt(v))}{escape(unit)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
