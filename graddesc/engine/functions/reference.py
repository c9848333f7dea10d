"""Reference functions: ROW, COLUMN, INDEX, ROWS, COLUMNS, OFFSET, INDIRECT, ...

A reference arrives as an Area whose `ref` holds the keys of its corners (see base.Area); these
functions read and make references.  Those that need the formula's own position compile through
a hook (ROW(), COLUMN()); those that read the workbook (OFFSET, INDIRECT) are registered with
cell=True and read it through CTX.book."""

from __future__ import annotations

import re

from graddesc.engine.functions.base import (  # noqa: F401
    CTX,
    Area,
    Union,
    _num1,
    _one,
    broadcast,
    dims,
    fn,
    to_bool,
    to_number,
    to_text,
    unit,
)
from graddesc.engine.keys import COL_MASK, ROW_BITS, ROW_SHIFT, SHEET_SHIFT, make_key, split_key  # noqa: F401
from graddesc.engine.values import NA, REF, VALUE, ExcelError, XLError


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
    n = 1 if area is None else _index_number(area)
    if array.__class__ is Union:  # INDEX((A1:B2,D1:E2), row, col, area_num)
        if not 1 <= n <= len(array):
            raise XLError(REF)
        array = array[n - 1]
    elif n != 1:
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
    if x.__class__ is Union:
        raise XLError(REF)
    return dims(x)


@fn("ROWS", 1, 1, arrays=(0,))
def ROWS(array):
    """The number of rows of a reference or array."""
    return float(_dims(array)[0])


@fn("COLUMNS", 1, 1, arrays=(0,))
def COLUMNS(array):
    return float(_dims(array)[1])


# ------------------------------------------------------------------------------ references made at run time
# OFFSET and INDIRECT read cells the static dependency order cannot see: they are registered with
# dynamic=True, and the engine re-evaluates their cells once every cell has a value (until nothing
# changes).  Excel marks them volatile; their values do not change between recalculations, so here
# they are not (recalc compares them).

def book_area(s: int, r1: int, c1: int, r2: int, c2: int) -> Area:
    """The reference (sheet index s, rows r1..r2, columns c1..c2) of the workbook being evaluated,
    with its values (a whole column / row read as far as the sheet is used)."""
    book = CTX.book
    get = book.V.get
    base = s << SHEET_SHIFT
    rr2 = min(r2, max(r1, book.max_row.get(s, r1)))
    cc2 = min(c2, max(c1, book.max_col.get(s, c1)))
    rows = [[get(base | (r << ROW_SHIFT) | c) for c in range(c1, cc2 + 1)] for r in range(r1, rr2 + 1)]
    return Area(rows, (make_key(s, r1, c1), make_key(s, r2, c2)))


def _ref_parts(x):
    """(sheet, r1, c1, r2, c2) of a reference argument, or raise #VALUE!."""
    if x.__class__ is ExcelError:
        raise XLError(x)
    if x.__class__ is not Area or x.ref is None:
        raise XLError(VALUE)
    (s, r1, c1), (_, r2, c2) = split_key(x.ref[0]), split_key(x.ref[1])
    return s, r1, c1, r2, c2


def _int_arg(x, default):
    if x is None:
        return default
    return int(to_number(unit(x)))  # truncated toward zero


def _size_arg(x, default):
    """A height or width: truncated, but a fraction of a row / column counts as one."""
    if x is None:
        return default
    v = to_number(unit(x))
    n = int(v)
    return n if n or v == 0 else (1 if v > 0 else -1)


MAX_ROW, MAX_COL = 1_048_576, 16_384


@fn("OFFSET", 3, 5, arrays=(0,), cell=True, dynamic=True)
def OFFSET(k, reference, rows, cols, height=None, width=None):
    """OFFSET(reference, rows, cols, [height], [width]): the reference moved by rows and cols and
    resized (by default the size of reference).  Off the sheet: #REF!; a height or width of 0:
    #REF! (a negative one extends up / left)."""
    s, r1, c1, r2, c2 = _ref_parts(reference)
    dr, dc = _int_arg(rows, 0), _int_arg(cols, 0)
    h = _size_arg(height, r2 - r1 + 1)
    w = _size_arg(width, c2 - c1 + 1)
    if h == 0 or w == 0:
        raise XLError(REF)
    top, left = r1 + dr, c1 + dc
    if h < 0:
        top, h = top + h + 1, -h
    if w < 0:
        left, w = left + w + 1, -w
    bottom, right = top + h - 1, left + w - 1
    if top < 1 or left < 1 or bottom > MAX_ROW or right > MAX_COL:
        raise XLError(REF)
    return book_area(s, top, left, bottom, right)


_R1C1 = re.compile(r"R(\[-?\d+\]|\d+)?C(\[-?\d+\]|\d+)?$", re.IGNORECASE)


def _r1c1_part(text, row, col):
    m = _R1C1.match(text)
    if not m:
        return None

    def one(g, here):
        if g is None:
            return here
        if g.startswith("["):
            return here + int(g[1:-1])
        return int(g)
    return one(m.group(1), row), one(m.group(2), col)


def resolve_reference_text(text: str, k: int, a1: bool = True):
    """(sheet, r1, c1, r2, c2) that INDIRECT's text names, seen from cell k, or None."""
    from graddesc.engine.parser import parse
    from graddesc.errors import FormulaError

    book = CTX.book
    s0, row, col = split_key(k)
    text = text.strip()
    text = text.removeprefix("=")
    if not text:
        return None
    if not a1:
        sheet, _, body = text.rpartition("!")
        s = s0
        if sheet:
            sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
            s = book._sheet_index.get(sheet.lower())
            if s is None:
                return None
        parts = body.split(":")
        if len(parts) > 2:
            return None
        cells = [_r1c1_part(p, row, col) for p in parts]
        if any(c is None for c in cells):
            return None
        (ra, ca), (rb, cb) = cells[0], cells[-1]
        r1, r2, c1, c2 = min(ra, rb), max(ra, rb), min(ca, cb), max(ca, cb)
        if r1 < 1 or c1 < 1 or r2 > MAX_ROW or c2 > MAX_COL:
            return None
        return s, r1, c1, r2, c2
    try:
        node = parse(text)
    except FormulaError:
        return None
    for _ in range(8):
        if node[0] != "name":
            break
        t = book._resolve_text(node[1], s0 if node[2] is None else book._sheet_index.get(node[2].lower()))
        if t is None:
            return None
        try:
            node = parse(t)
        except FormulaError:
            return None
    if node[0] == "ref":
        sname, r1, c1, r2, c2 = node[1], node[2], node[3], node[2], node[3]
    elif node[0] == "area":
        sname, r1, c1, r2, c2 = node[1], node[2], node[3], node[4], node[5]
    else:
        return None
    s = s0 if sname is None else book._sheet_index.get(sname.lower())
    if s is None:
        return None
    return s, r1, c1, r2, c2


@fn("INDIRECT", 1, 2, cell=True, dynamic=True)
def INDIRECT(k, ref_text, a1=None):
    """INDIRECT(ref_text, [a1]): the reference a text names: A1 style ("B2", "'My sheet'!A1:C3",
    "A:A", a defined name) or, when a1 is FALSE, R1C1 style ("R2C3", "R[-1]C", relative to the
    formula's cell).  Text that names no reference: #REF!."""
    if ref_text.__class__ is ExcelError:
        raise XLError(ref_text)
    a1_style = True if a1 is None else to_bool(a1)
    parts = resolve_reference_text(to_text(ref_text), k, a1_style)
    if parts is None:
        raise XLError(REF)
    return book_area(*parts)


# ------------------------------------------------------------------------------ about references

@fn("ISREF", 1, 1, arrays=(0,))
def ISREF(value):
    """TRUE for a reference (a cell, a range, INDEX/OFFSET/INDIRECT's result), else FALSE."""
    return value.__class__ is Area and value.ref is not None


@fn("AREAS", 1, 1, arrays=(0,))
def AREAS(reference):
    """The number of areas of a reference: 1 for a range, n for a union (A1,B2:C3)."""
    if reference.__class__ is Union:
        return float(len(reference))
    _ref_parts(reference)
    return 1.0


def _first_key(reference):
    s, r1, c1, _, _ = _ref_parts(reference)
    return make_key(s, r1, c1)


@fn("ISFORMULA", 1, 1, arrays=(0,), cell=True)
def ISFORMULA(k, reference):
    """TRUE when the cell of the reference holds a formula; a range gives an array of them."""
    s, r1, c1, r2, c2 = _ref_parts(reference)
    formulas = CTX.book.formulas
    if r1 == r2 and c1 == c2:
        return make_key(s, r1, c1) in formulas
    return Area([[make_key(s, r, c) in formulas for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)])


@fn("FORMULATEXT", 1, 1, arrays=(0,), cell=True)
def FORMULATEXT(k, reference):
    """The formula of the (first) cell of the reference as text, with its '='; #N/A when the cell
    holds no formula."""
    key = _first_key(reference)
    formulas = CTX.book.formulas
    if key not in formulas:
        raise XLError(NA)
    return "=" + _PREFIXES.sub("", formulas[key])


_PREFIXES = re.compile(r"_xl(?:fn|ws|pm)\.", re.IGNORECASE)  # stored, not shown


@fn("SHEET", 0, 1, arrays=(0,), cell=True)
def SHEET(k, value=None):
    """The sheet number (1-based) of the formula's sheet, of a reference, or of a sheet named by
    text; #N/A for a name that is no sheet."""
    if value is None:
        return float((k >> SHEET_SHIFT) + 1)
    if value.__class__ is Area and value.ref is not None:
        return float((value.ref[0] >> SHEET_SHIFT) + 1)
    if value.__class__ is ExcelError:
        raise XLError(value)
    s = CTX.book._sheet_index.get(to_text(unit(value)).lower())
    if s is None:
        raise XLError(NA)
    return float(s + 1)


@fn("SHEETS", 0, 1, arrays=(0,), cell=True)
def SHEETS(k, reference=None):
    """The number of sheets in a reference (1), or in the workbook."""
    if reference is None:
        return float(len(CTX.book.sheet_names))
    _ref_parts(reference)
    return 1.0


def _quote_sheet(name: str) -> str:
    if re.fullmatch(r"[A-Za-z_][\w.]*", name) and not re.fullmatch(r"[A-Za-z]{1,3}\d+", name):
        return name
    return "'" + name.replace("'", "''") + "'"


@fn("CELL", 1, 2, arrays=(1,), cell=True)
def CELL(k, info_type, reference=None):
    """CELL(info_type, [reference]) for the info types that depend on the workbook's contents:
    "address" ("$A$1"), "row", "col", "contents" (the value), "type" ("b" blank, "l" text, "v"
    anything else), "filename" ("dir/[book.xlsx]Sheet"), "sheet"-less forms; reference defaults to
    the formula's own cell.  Formatting types (format, width, color, ...) are #VALUE!: the engine
    does not read styles."""
    from graddesc.xlsx.model import col_letter

    info = to_text(unit(info_type)).lower()
    if reference is None:
        key = k
        value = CTX.book.V.get(k)
    else:
        key = _first_key(reference)
        value = reference.rows[0][0] if reference.rows and reference.rows[0] else None
    s, r, c = split_key(key)
    if info == "address":
        a = f"${col_letter(c)}${r}"
        if s != k >> SHEET_SHIFT:
            a = f"{_quote_sheet(CTX.book.sheet_names[s])}!{a}"
        return a
    if info == "row":
        return float(r)
    if info == "col":
        return float(c)
    if info == "contents":
        if value.__class__ is ExcelError:
            raise XLError(value)
        return 0.0 if value is None else value
    if info == "type":
        return "b" if value is None else ("l" if value.__class__ is str else "v")
    if info == "filename":
        import os

        path = CTX.book.path
        if path.startswith("<"):
            return ""
        return os.path.join(os.path.dirname(os.path.abspath(path)), f"[{os.path.basename(path)}]") + \
            CTX.book.sheet_names[s]
    raise XLError(VALUE)


@fn("ANCHORARRAY", 1, 1, arrays=(0,), cell=True)
def ANCHORARRAY(k, reference):
    """The spilled range of the dynamic array whose anchor is reference (A1# in Excel's grid,
    stored as _xlfn.ANCHORARRAY(A1)); #REF! when that cell anchors no array."""
    s, r, c, _, _ = _ref_parts(reference)
    book = CTX.book
    key = make_key(s, r, c)
    rng = book.array_formulas.get(key)
    if rng is None:
        raise XLError(REF)
    r1, c1, r2, c2 = rng
    return book_area(s, r1, c1, r2, c2)
