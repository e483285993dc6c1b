"""Inline SVG written in Python: no script, no style attribute, no outside resource, so the
page's CSP (default-src 'self') holds and the charts print. Colours are presentation
attributes chosen to stay apart in greyscale: a dark fill, a hatched fill, a light fill
and an outline differ in lightness and texture, not only in hue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

INK = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"
FONT = "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"


@dataclass(frozen=True, kw_only=True)
class Series:
    """One kind of bar: its name (legend, tooltips) and how it is painted."""

    name: str
    fill: str
    stroke: str = INK
    hatch: str | None = None  # lines of this colour over `fill`

    def paint(self, key: str, index: int) -> str:
        return f"url(#{key}-p{index})" if self.hatch else self.fill


@dataclass(frozen=True, kw_only=True)
class Part:
    series: int  # index into the chart's series
    value: float
    tooltip: str


@dataclass(frozen=True, kw_only=True)
class Bar:
    label: str
    parts: Sequence[Part]
    note: str  # the row's figures, written beside the bar
    frame: float | None = None  # a limit drawn as an outlined box behind the bar


def _attrs(**values: object) -> str:
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in values.items()
        if value is not None
    )


@dataclass
class Canvas:
    """An <svg role="img"> with its <title> and <desc> (what screen readers announce)."""

    key: str
    width: int
    height: int
    title: str
    desc: str
    series: Sequence[Series]
    parts: list[str] = field(default_factory=list)

    def rect(
        self, x: float, y: float, w: float, h: float, *, tooltip: str = "", **paint: object
    ) -> None:
        inner = f"<title>{escape(tooltip)}</title>" if tooltip else ""
        attrs = _attrs(
            x=f"{x:.1f}", y=f"{y:.1f}", width=f"{max(w, 0):.1f}", height=f"{h:.1f}", **paint
        )
        self.parts.append(f"<rect{attrs}>{inner}</rect>" if inner else f"<rect{attrs}/>")

    def text(self, x: float, y: float, content: str, *, size: int = 13, **extra: object) -> None:
        attrs = _attrs(
            x=f"{x:.1f}", y=f"{y:.1f}", font_size=size, fill=extra.pop("fill", INK), **extra
        )
        self.parts.append(f"<text{attrs}>{escape(content)}</text>")

    def line(self, x1: float, y1: float, x2: float, y2: float, **paint: object) -> None:
        self.parts.append(
            f"<line{_attrs(x1=f'{x1:.1f}', y1=f'{y1:.1f}', x2=f'{x2:.1f}', y2=f'{y2:.1f}', **paint)}/>"
        )

    def legend(self, y: float, *, left: float = 0) -> float:
        """Swatches and names from `y`, wrapping at the width; returns the y below them."""
        x = left
        for index, series in enumerate(self.series):
            room = 19 + text_width(series.name, 12) + 14
            if x > left and x + room > self.width:
                x, y = left, y + 18
            self.rect(x, y - 10, 14, 12, fill=series.paint(self.key, index), stroke=series.stroke)
            self.text(x + 19, y, series.name, size=12)
            x += room
        return y + 12

    def markup(self) -> Markup:
        defs = "".join(
            f'<pattern id="{self.key}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse"'
            f' patternTransform="rotate(45)"><rect width="6" height="6"{_attrs(fill=s.fill)}/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke-width="3"{_attrs(stroke=s.hatch)}/></pattern>'
            for i, s in enumerate(self.series)
            if s.hatch
        )
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"'
            f' viewBox="0 0 {self.width} {self.height}" width="{self.width}" height="{self.height}"'
            f' aria-labelledby="{self.key}-title {self.key}-desc"'
            f' font-family="{escape(FONT)}" id="{self.key}-svg">'
            f'<title id="{self.key}-title">{escape(self.title)}</title>'
            f'<desc id="{self.key}-desc">{escape(self.desc)}</desc>'
        )
        return Markup(
            head + (f"<defs>{defs}</defs>" if defs else "") + "".join(self.parts) + "</svg>"
        )


def text_width(text: str, size: float) -> float:
    """About how wide `text` is drawn: a CJK character is 1 em, anything else 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def fit(text: str, size: float, room: float) -> str:
    """`text`, cut with an ellipsis where it would run past `room` (the table has it whole)."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def bar_chart(
    key: str,
    *,
    title: str,
    desc: str,
    series: Sequence[Series],
    bars: Sequence[Bar],
    scale: float,
    ticks: Sequence[tuple[float, str]] = (),
    width: int = 400,
) -> Markup:
    """Horizontal bars, one row per item: its label above, stacked parts, figures beside.
    `scale` is the value at the plot's right edge; parts beyond it are cut at the edge.
    Narrow on purpose: the chart scales to a phone's width with its text still legible."""
    pad, row = 6.0, 42
    plot = (width - pad) * 0.56
    canvas = Canvas(key=key, width=width, height=0, title=title, desc=desc, series=series)
    top = canvas.legend(14) + 6
    canvas.height = height = int(top + row * max(len(bars), 1) + (22 if ticks else 6))
    scale = scale or 1.0
    for value, label in ticks:
        x = pad + plot * min(value / scale, 1.0)
        canvas.line(x, top, x, height - 18, stroke=GRID, stroke_dasharray="3 3")
        canvas.text(x, height - 5, label, size=11, fill=MUTED, text_anchor="middle")
    for i, bar in enumerate(bars):
        y = top + row * i
        canvas.text(pad, y + 14, fit(bar.label, 14, width - 2 * pad), size=14)
        if bar.frame is not None:
            frame = plot * min(bar.frame / scale, 1.0)
            canvas.rect(pad, y + 19, frame, 16, fill="#ffffff", stroke=INK)
        x = pad
        for part in bar.parts:
            w = max(min(plot * part.value / scale, pad + plot - x), 0.0)
            if w > 0:
                s = series[part.series]
                canvas.rect(
                    x,
                    y + 21,
                    w,
                    12,
                    tooltip=part.tooltip,
                    fill=s.paint(key, part.series),
                    stroke=s.stroke,
                    stroke_width="0.6",
                )
            x += w
        room = width - pad - plot - 8
        canvas.text(pad + plot + 8, y + 32, fit(bar.note, 12, room), size=12, fill=MUTED)
    if not bars:
        canvas.text(pad, top + 16, "暂无数据", fill=MUTED)
    return canvas.markup()


def column_chart(
    key: str,
    *,
    title: str,
    desc: str,
    series: Sequence[Series],
    labels: Sequence[str],
    names: Sequence[str],
    values: Sequence[Sequence[int]],
    step: int = 46,
) -> Markup:
    """Grouped vertical columns, one group per label (months; a second line after a
    newline), one column per series; each column carries its number above it and, with the
    group's full name from `names`, as its tooltip."""
    left, plot_h = 34, 150
    width = max(left + step * len(labels) + 8, 360)
    canvas = Canvas(key=key, width=width, height=0, title=title, desc=desc, series=series)
    top = canvas.legend(14) + 10
    canvas.height = int(top + plot_h + 40)
    peak = max([1, *(v for column in values for v in column)])
    scale = _nice(peak)
    for fraction in (0, 0.5, 1) if scale % 2 == 0 else (0, 1):
        y = top + plot_h * (1 - fraction)
        canvas.line(left, y, width, y, stroke=GRID)
        canvas.text(
            left - 4, y + 4, _count(scale * fraction), size=11, fill=MUTED, text_anchor="end"
        )
    bar_w = (step - 10) / max(len(series), 1)
    for g, label in enumerate(labels):
        x0 = left + step * g + 5
        for s, column in enumerate(values):
            value = column[g]
            h = plot_h * value / scale
            x = x0 + bar_w * s
            paint = series[s]
            canvas.rect(
                x,
                top + plot_h - h,
                bar_w - 2,
                h,
                tooltip=f"{names[g]} {paint.name} {value}",
                fill=paint.paint(key, s),
                stroke=paint.stroke,
                stroke_width="0.6",
            )
            if value:
                canvas.text(
                    x + bar_w / 2 - 1,
                    top + plot_h - h - 3,
                    str(value),
                    size=10,
                    text_anchor="middle",
                )
        month, _, year = label.partition("\n")
        canvas.text(x0 + (step - 10) / 2, top + plot_h + 15, month, size=11, text_anchor="middle")
        if year:
            canvas.text(
                x0 + (step - 10) / 2,
                top + plot_h + 29,
                year,
                size=10,
                fill=MUTED,
                text_anchor="middle",
            )
    return canvas.markup()


def _nice(peak: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ at or above `peak` (an even axis)."""
    magnitude = 1.0
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= peak:
                return factor * magnitude
        magnitude *= 10


def _count(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"
