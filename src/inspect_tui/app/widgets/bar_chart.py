"""A horizontal bar chart in the terminal, one bar per row, with Chinese labels that line up.

Why not a plotting library (plotext and its Textual wrapper): their axis labels are laid out by
character count, and a Chinese character takes two cells, so section titles such as
"组织建设" push the bars out of line; they also draw vertical bars whose labels would have to be
cut to a character or two at 80 columns. Here each row is `label │█████▍ value`: labels are
measured in cells (rich's cell_len) and cut with an ellipsis to at most 40% of the width, bars
are drawn in eighths of a cell, and the whole chart is redrawn to fit whenever the widget is
resized.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # ≥ 0; the bar's length
    text: str  # what is printed after the bar ("1.5", "3 项")
    style: str = "red"


def bar_cells(value: float, biggest: float, width: int) -> str:
    """`value` as a run of block characters, `biggest` filling `width` cells."""
    if biggest <= 0 or width <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / biggest * width * 8))  # a non-zero value is never invisible
    full, part = divmod(min(eighths, width * 8), 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def chart_lines(bars: list[Bar], width: int) -> Text:
    """The chart as text `width` cells wide."""
    if not bars:
        return Text()
    label_width = min(max(cell_len(b.label) for b in bars), max(4, width * 2 // 5))
    value_width = max(cell_len(b.text) for b in bars)
    bar_width = max(1, width - label_width - value_width - 3)  # "│" and two spaces
    biggest = max(b.value for b in bars)
    lines = []
    for bar in bars:
        label = Text(bar.label)
        label.truncate(label_width, overflow="ellipsis")
        label.pad_right(label_width - label.cell_len)
        line = Text.assemble(label, (" │", "dim"), (bar_cells(bar.value, biggest, bar_width), bar.style), " ", (bar.text, "bold"))
        lines.append(line)
    return Text("\n").join(lines)


class BarChart(Widget):
    """Bars set with `bars = [...]`; as tall as there are bars (plus the title line)."""

    DEFAULT_CSS = """
    BarChart { height: auto; padding: 0 1; }
    """

    def __init__(self, title: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.title = title
        self._bars: list[Bar] = []

    @property
    def bars(self) -> list[Bar]:
        return self._bars

    @bars.setter
    def bars(self, bars: list[Bar]) -> None:
        self._bars = list(bars)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return len(self._bars) + (1 if self.title else 0)

    def render(self) -> Text:
        chart = chart_lines(self._bars, self.content_size.width)
        if not self.title:
            return chart
        return Text.assemble((self.title, "bold"), "\n", chart)
