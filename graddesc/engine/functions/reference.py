"""Reference functions: ROW, COLUMN, INDEX, ROWS, COLUMNS, OFFSET, INDIRECT, ...

A reference arrives as an Area whose `ref` holds the keys of its corners (see base.Area); these
functions read and make references.  Those that need the formula's own position compile through
a hook (ROW(), COLUMN()); those that read the workbook (OFFSET, INDIRECT) are registered with
cell=True and read it through CTX.book."""

from __future__ import annotations

from graddesc.engine.functions.base import (  # noqa: F401
    CTX, Area, _num1, _one, broadcast, dims, fn, to_bool, to_number, to_text, unit,
)
from graddesc.engine.keys import COL_MASK, ROW_BITS, ROW_SHIFT, SHEET_SHIFT, make_key, split_key  # noqa: F401
from graddesc.engine.values import NA, REF, VALUE, ExcelError, XLError  # noqa: F401


def _row_compile(g, args):
    return g.position("row", args[0] if args else None)


def _col_compile(g, args):
    return g.position("col", args[0] if args else None)


@fn("ROW", 0, 1, arrays=(0,), compile=_row_compile)
def ROW(*args):  # always compiled by its hook: it needs the formula's own cell
    raise XLError(VALUE)


@fn("COLUMN", 0, 1, arrays=(0,), compile=_col_compile)
def COLUMN(*args):
    raise XLError(VALUE)


def sub_area(a: Area, i1: int, j1: int, i2: int, j2: int) -> Area:
    """Rows i1..i2 and columns j1..j2 (0-based, inclusive) of an Area; a reference stays one."""
    rows = [r[j1:j2 + 1] for r in a.rows[i1:i2 + 1]]
    width = j2 - j1 + 1
    if len(rows) < i2 - i1 + 1 or (rows and len(rows[0]) < width):  # beyond a whole column's used part
        rows = [r + [None] * (width - len(r)) for r in rows]
        rows += [[None] * width for _ in range(i2 - i1 + 1 - len(rows))]
    ref = None
    if a.ref is not None:
        k1 = a.ref[0]
        ref = (k1 + (i1 << ROW_SHIFT) + j1, k1 + (i2 << ROW_SHIFT) + j2)
    return Area(rows, ref)


def _index_number(x, name="index"):
    if x is None:
        return 0
    if x.__class__ is ExcelError:
        raise XLError(x)
    n = to_number(x)
    if n < 0:
        raise XLError(VALUE)
    return int(n)


@fn("INDEX", 2, 4, arrays=(0,))
def INDEX(array, row, col=None, area=None):
    """INDEX(array, row_num, [column_num], [area_num]): the cell (or with a 0 index the whole
    row / column) of a range or array; a reference when given one.  A one-row or one-column
    array takes its one index along its length.  Out of range: #REF!; negative: #VALUE!."""
    if array.__class__ is ExcelError:
        raise XLError(array)
    if area is not None and _index_number(area) != 1:
        raise XLError(REF)
    a = array if array.__class__ is Area else Area([[array]])
    h, w = dims(a)
    r = _index_number(row)
    if col is None and (h == 1 or w == 1):
        if h == 1:  # one row: the index runs along it
            r, c = 1, r
        else:
            c = 1
        if r == 0 or c == 0:
            return a
    elif col is None and a.ref is not None:
        raise XLError(REF)  # a reference of several rows and columns needs both indexes
    else:
        c = _index_number(col)
    if r > h or c > w:
        raise XLError(REF)
    i1, i2 = (0, h - 1) if r == 0 else (r - 1, r - 1)
    j1, j2 = (0, w - 1) if c == 0 else (c - 1, c - 1)
    out = sub_area(a, i1, j1, i2, j2)
    if out.ref is None and i1 == i2 and j1 == j2:
        return out.rows[0][0]
    return out


def _dims(x):
    if x.__class__ is ExcelError:
        raise XLError(x)
    return dims(x)


@fn("ROWS", 1, 1, arrays=(0,))
def ROWS(array):
    """The number of rows of a reference or array."""
    return float(_dims(array)[0])


@fn("COLUMNS", 1, 1, arrays=(0,))
def COLUMNS(array):
    return float(_dims(array)[1])
