"""A workbook as plain data: what the builder produces and the writer turns into a file."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

# Excel's grid: the one definition of the package (the engine's parser and the reader still hold
# their own copies until their owners switch to these)
MAX_ROW = 1_048_576
MAX_COL = 16_384


@dataclass
class Cell:
    """A cell with more than a value: style name, number format, comment, link."""

    value: Any
    style: str | None = None  # one of writer.STYLES
    number_format: str | None = None
    comment: str | None = None
    link: str | None = None  # "#Sheet!A1" for a link inside the workbook
    # (row, col) of a formula this one repeats, moved by the difference in position (as a
    # spreadsheet's shared formula): lets the engine compile the shape once without reading the text
    shared: tuple[int, int] | None = None


@dataclass
class Series:
    title: str
    col: int  # 1-based column of the y values
    x_col: int
    first_row: int
    last_row: int
    sheet: str | None = None  # defaults to the chart's sheet


@dataclass
class Chart:
    title: str
    anchor: str  # top-left cell
    series: list[Series]
    x_title: str = "step"
    y_title: str = ""
    log_y: bool = False
    width_cm: float = 18.0
    height_cm: float = 8.0


@dataclass
class Highlight:
    """Conditional format: fill the range when the formula (relative to its top-left) is true."""

    range: str  # "H10:H609"
    formula: str  # without "=", e.g. "OR(ISERROR(H10),ABS(H10)>1E6)"
    fill: str = "FFC7CE"


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]] = field(default_factory=list)  # row 1 first; entries: value or Cell
    widths: dict[str, float] = field(default_factory=dict)  # column letter -> width
    heights: dict[int, float] = field(default_factory=dict)  # row -> height in points
    freeze: str | None = None  # e.g. "C9"
    charts: list[Chart] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    tab_color: str | None = None
    # engine-computed values keyed (row, col), written as the formula cells' cached values
    cached: dict[tuple[int, int], Any] = field(default_factory=dict)

    def put(self, row: int, col: int, value: Any) -> None:
        while len(self.rows) < row:
            self.rows.append([])
        r = self.rows[row - 1]
        while len(r) < col:
            r.append(None)
        r[col - 1] = value


@dataclass
class Workbook:
    sheets: list[Sheet]
    names: dict[str, str]  # workbook-level defined name -> "'Sheet'!$B$5"
    title: str = ""
    description: str = ""
    properties: dict[str, str] = field(default_factory=dict)  # custom document properties


def col_index(letters) -> int:
    """A -> 1, aa -> 27 (str or bytes, any case): the one column-letter decoder of the package."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + (ch & 0xDF) - 64
    return n


@functools.cache
def col_letter(col: int) -> str:
    """1 -> A, 27 -> AA: the one column-letter encoder of the package (cached: readers and writers
    call it per cell).  The LibreOffice worker keeps its own, as it runs under another Python and
    may import nothing of graddesc."""
    s = ""
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s
