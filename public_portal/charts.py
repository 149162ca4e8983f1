"""Bar charts drawn on the server as inline SVG: no script, no library, readable by all.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by
its ``<desc>`` (which lists every bar's figure, so a screen reader gets the
numbers even before the data table that follows each chart on the page). The
colours come from classes styled in ``portal.css``: the page's
Content-Security-Policy allows no inline styles. A withheld count (``<5``)
draws no bar, only its text: its size must not be guessed from a bar's length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Geometry in SVG user units; the chart scales to its container (``viewBox``).
WIDTH = 640
LABEL_W = 190
VALUE_W = 70
ROW_H = 28
BAR_H = 18
PAD = 8


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None: withheld) and the text shown for it."""

    label: str
    value: float | None
    display: str


def bar_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar]) -> Markup:
    """A horizontal bar chart as inline SVG, named and described for assistive technology.

    ``chart_id`` must be unique on the page (it makes the ids ``title``/``desc``
    refer to); ``title`` and ``desc`` are already translated texts.
    """
    known = [b.value for b in bars if b.value is not None]
    top = max(known, default=0.0) or 1.0
    span = WIDTH - LABEL_W - VALUE_W - 2 * PAD
    height = max(1, len(bars)) * ROW_H + 2 * PAD
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    figures = "; ".join(f"{b.label}: {b.display}" for b in bars)
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" data-testid="chart">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(desc)} {escape(figures)}</desc>',
    ]
    for row, bar in enumerate(bars):
        y = PAD + row * ROW_H
        middle = y + ROW_H / 2
        parts.append(
            f'<text class="chart-label" x="{LABEL_W - PAD}" y="{middle:.1f}" '
            f'text-anchor="end" dominant-baseline="middle">{escape(_short(bar.label))}</text>'
        )
        if bar.value is not None and bar.value > 0:
            length = max(1.0, span * bar.value / top)
            parts.append(
                f'<rect class="chart-bar" x="{LABEL_W}" y="{y + (ROW_H - BAR_H) / 2:.1f}" '
                f'width="{length:.1f}" height="{BAR_H}"/>'
            )
            end = LABEL_W + length + PAD
        else:
            end = LABEL_W + PAD
        parts.append(
            f'<text class="chart-value" x="{end:.1f}" y="{middle:.1f}" '
            f'dominant-baseline="middle">{escape(bar.display)}</text>'
        )
    if not bars:
        parts.append(f'<text class="chart-label" x="{PAD}" y="{PAD + ROW_H / 2}">—</text>')
    parts.append("</svg>")
    # Every text in it went through ``escape`` above; the rest is our own markup.
    return Markup("".join(parts))  # noqa: S704


def _short(label: str, limit: int = 12) -> str:
    """A label cut to fit its column (the table under the chart has it whole)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"
