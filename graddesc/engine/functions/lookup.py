"""Lookup and reference: INDEX, ..."""

from __future__ import annotations

from graddesc.engine.functions.base import (  # noqa: F401
    Area, FUNCTIONS, Function, _num1, _numbers, _one, finite, fn, number_text, to_bool, to_number,
    to_text,
)
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401


# ------------------------------------------------------------------------------ lookup

@fn("INDEX", 2, 3)
def INDEX(area, row, col=None):
    rows = area.rows if area.__class__ is Area else [[area]]
    r = int(_num1(row))
    c = int(_num1(col)) if col is not None else 1
    if len(rows) == 1 and col is None:  # one row: the index runs along it
        r, c = 1, r
    if r < 0 or c < 0 or r > len(rows) or c > len(rows[0]):
        raise XLError(REF)
    if r == 0 or c == 0:  # a whole row or column: only a single cell is supported here
        if r == 0 and len(rows) == 1:
            r = 1
        elif c == 0 and len(rows[0]) == 1:
            c = 1
        else:
            raise XLError(VALUE)
    v = rows[r - 1][c - 1]
    if v.__class__ is ExcelError:
        raise XLError(v)
    return v


@fn("ROW", 0, 1)
def ROW(*args):  # compiled inline: it needs the formula's own cell
    raise XLError(VALUE)


@fn("COLUMN", 0, 1)
def COLUMN(*args):
    raise XLError(VALUE)
