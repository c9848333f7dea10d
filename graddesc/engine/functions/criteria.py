"""Conditional aggregates: COUNTIF(S), SUMIF(S), AVERAGEIF(S), MINIFS, MAXIFS, and Excel's ONE
criteria language (also used by the database functions DSUM ... in database.py).

A criterion (Microsoft's COUNTIF/SUMIFS documentation and its examples):
- a number, boolean or error value: cells equal to it (5 also matches the text "5": criteria
  compare numeric text as the number it spells);
- text, optionally led by an operator = <> < <= > >= (no operator means =):
  * the rest is read as a value when it spells one: a number ("5", "1E3", "50%", "1,000"), a
    date or time (">3/1/2010", "12/31/2010", "2010-12-31", "9:30" - Microsoft's COUNTIF example
    counts dates with ">3/1/2010"), TRUE/FALSE, an error literal (#N/A); then cells are compared
    with that value: numbers with numbers (and = also with numeric text), booleans with booleans;
  * otherwise it is text: = and <> compare text cells case-insensitively with the wildcards
    ? * and ~ (escape); < <= > >= compare text cells alphabetically (case-insensitively);
  * "" (nothing at all) matches empty cells and cells holding empty text; "=" matches only
    empty cells; "<>" matches every cell that is not empty;
  * <> matches everything = does not match (including empty cells and other types), except
    that <>5 leaves out only the numbers equal to 5 (the text "5", which =5 matches, stays in:
    Excel counts 6 for COUNTIF over {23;"23";TRUE;1;-23;"hey";FALSE} with "<>23");
  * < <= > >= with nothing after them match no cell;
- an empty cell as the criterion counts as the number 0.
Cells of other types than the criterion's value never match (except through <>).  Errors in the
searched range never match unless the criterion is that error.

In the database functions a text criterion without an operator matches text that BEGINS with it
(Excel's advanced-filter criteria: "Dav" finds Davolio and David); ="=Dav" is the exact match.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from graddesc.engine.functions.base import CTX, Area, _num1, _one, date_to_serial, finite, fn
from graddesc.engine.functions.lookup import OMITTED, grid, wild_regex
from graddesc.engine.keys import ROW_BITS, ROW_SHIFT, SHEET_SHIFT
from graddesc.engine.values import DIV0, ERRORS, NA, NUM, VALUE, ExcelError, XLError

# ------------------------------------------------------------------------------ criteria values

_PLAIN_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$")
_GROUPED = re.compile(r"\s*([+-]?)\$?(\d{1,3}(?:,\d{3})+(?:\.\d*)?)\s*$")
_CURRENCY = re.compile(r"\s*([+-]?)\$(\d+\.?\d*|\.\d+)\s*$")
_PERCENT = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*%\s*$")
_MDY = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:\s+(.*?))?\s*$")
_ISO = re.compile(r"\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(.*?))?\s*$")
_DMONY = re.compile(r"\s*(\d{1,2})[- ]([A-Za-z]{3,9})[- ,]+(\d{4}|\d{2})(?:\s+(.*?))?\s*$")
_MONDY = re.compile(r"\s*([A-Za-z]{3,9})[- ](\d{1,2}),?[- ]+(\d{4}|\d{2})(?:\s+(.*?))?\s*$")
_TIME = re.compile(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?\s*([AaPp][Mm])?\s*$")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}


def _time_fraction(text: str):
    m = _TIME.match(text)
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2))
    s = float(m.group(3) or 0)
    ap = m.group(4)
    if ap:
        if h < 1 or h > 12:
            return None
        h = h % 12 + (12 if ap.lower() == "pm" else 0)
    if h > 23 or mi > 59 or s >= 60:
        return None
    return (h * 3600 + mi * 60 + s) / 86400.0


def _date_serial(y, m, d):
    if y < 100:
        y += 2000 if y < 30 else 1900  # Excel's two-digit-year window (00-29 -> 20xx)
    if not (1 <= m <= 12):
        return None
    try:
        return date_to_serial(_dt.date(y, m, d))
    except ValueError:
        if (y, m, d) == (1900, 2, 29):  # Excel's phantom 29-Feb-1900
            return 60.0
        return None


def _month(name: str):
    n = name[:3].lower()
    full = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december")
    if n in _MONTHS and (len(name) == 3 or full[_MONTHS[n] - 1].startswith(name.lower())):
        return _MONTHS[n]
    return None


def text_value(text: str):
    """The number that criterion text spells as Excel reads a typed value (en-US): plain numbers,
    1,000 groups, $, %, dates m/d/yyyy, yyyy-mm-dd, d-mmm-yyyy, mmm d, yyyy (with an optional
    time) and times; None when it is not a number."""
    if _PLAIN_NUMBER.match(text):
        x = float(text)
        return x if math.isfinite(x) else None
    m = _GROUPED.match(text) or _CURRENCY.match(text)
    if m:
        x = float(m.group(2).replace(",", ""))
        return -x if m.group(1) == "-" else x
    m = _PERCENT.match(text)
    if m:
        return float(m.group(1)) / 100.0
    t = _time_fraction(text)
    if t is not None:
        return t
    for rx, order in ((_MDY, "mdy"), (_ISO, "ymd"), (_DMONY, "dmy"), (_MONDY, "mdy")):
        m = rx.match(text)
        if not m:
            continue
        parts = dict(zip(order, m.groups()[:3]))
        mon = parts["m"]
        mon = int(mon) if mon.isdigit() else _month(mon)
        if mon is None:
            return None
        serial = _date_serial(int(parts["y"]), mon, int(parts["d"]))
        if serial is None:
            return None
        rest = m.group(4)
        if rest:
            t = _time_fraction(rest)
            if t is None:
                return None
            serial += t
        return serial
    return None


def numeric_text(v: str):
    """A text cell's number for criteria equality: plain numeric text only."""
    if _PLAIN_NUMBER.match(v):
        x = float(v)
        return x if math.isfinite(x) else None
    return None


_OPS = ("<=", ">=", "<>", "<", ">", "=")


def _order(op):
    return {"<": lambda c: c < 0, "<=": lambda c: c <= 0, ">": lambda c: c > 0,
            ">=": lambda c: c >= 0}[op]


def criterion(c, database: bool = False):
    """A predicate value -> bool for criterion c (see the module's docstring)."""
    c = _one(c)
    t = c.__class__
    if t is ExcelError:
        return lambda v: v is c or (v.__class__ is ExcelError and v.code == c.code)
    if c is None:
        c, t = 0.0, float
    if t is int:
        c, t = float(c), float
    if t is float:
        return _number_pred("=", c)
    if t is bool:
        return _bool_pred("=", c)
    text = c
    op = next((o for o in _OPS if text.startswith(o)), None)
    rest = text[len(op):] if op else text
    if op is None and database and rest != "":
        op = "begins"
    if rest == "":
        if op is None:
            return lambda v: v is None or v == ""
        if op == "=":
            return lambda v: v is None
        if op == "<>":
            return lambda v: v is not None
        return lambda v: False  # "<", ">=", ... with nothing to compare: no cell
    eop = "=" if op in (None, "begins") else op
    x = text_value(rest)
    if x is not None:
        return _number_pred(eop, x)
    u = rest.strip().upper()
    if u in ("TRUE", "FALSE"):
        return _bool_pred(eop, u == "TRUE")
    err = ERRORS.get(rest.strip().upper())
    if err is not None and eop in ("=", "<>"):
        eq = (lambda v: v.__class__ is ExcelError and v.code == err.code)
        return eq if eop == "=" else (lambda v: not eq(v))
    return _text_pred(op or "=", rest)


def _number_pred(op, x):
    if op == "=":
        def eq(v):
            t = v.__class__
            if t is float:
                return v == x
            if t is str:
                n = numeric_text(v)
                return n is not None and n == x
            return False
        return eq
    if op == "<>":  # only the equal NUMBERS are left out: the text "5" is not (5) in Excel
        return lambda v: not (v.__class__ is float and v == x)
    test = _order(op)
    return lambda v: v.__class__ is float and test((v > x) - (v < x))


def _bool_pred(op, b):
    if op == "=":
        return lambda v: v.__class__ is bool and v == b
    if op == "<>":
        return lambda v: not (v.__class__ is bool and v == b)
    test = _order(op)
    return lambda v: v.__class__ is bool and test((v > b) - (v < b))


def _text_pred(op, pattern):
    if op == "begins":
        rx = wild_regex(pattern + "*").fullmatch
        return lambda v: v.__class__ is str and rx(v) is not None
    if op in ("=", "<>"):
        if "*" in pattern or "?" in pattern or "~" in pattern:
            rx = wild_regex(pattern).fullmatch
            eq = (lambda v: v.__class__ is str and rx(v) is not None)
        else:
            low = pattern.lower()
            eq = (lambda v: v.__class__ is str and v.lower() == low)
        return eq if op == "=" else (lambda v: not eq(v))
    test = _order(op)
    low = pattern.lower()
    return lambda v: v.__class__ is str and test((v.lower() > low) - (v.lower() < low))


# ------------------------------------------------------------------------------ the functions

def _shape(rows):
    return len(rows), len(rows[0]) if rows else 0


def _matches(pairs, shape):
    """The (i, j) positions where every (range, criterion) pair matches; ranges of another shape
    than `shape`: #VALUE!."""
    if len(pairs) % 2:
        raise XLError(VALUE)
    tests = []
    for k in range(0, len(pairs), 2):
        rows = grid(pairs[k])
        if _shape(rows) != shape:
            raise XLError(VALUE)
        tests.append((rows, criterion(pairs[k + 1])))
    h, w = shape
    out = []
    for i in range(h):
        for j in range(w):
            if all(p(rows[i][j]) for rows, p in tests):
                out.append((i, j))
    return out


def _resized(area, shape):
    """SUMIF/AVERAGEIF's sum_range taken as a range of the criteria range's `shape` from its
    top-left cell.  Cells beyond the given range are read from the workbook being evaluated when
    sum_range is a reference (a formula cell there is read as it stands: the static order does
    not know the dependency); for an array they are empty."""
    rows = grid(area)
    h, w = shape
    if len(rows) == h and all(len(r) == w for r in rows):
        return rows
    book = CTX.book
    ref = area.ref if area.__class__ is Area else None
    V = getattr(book, "V", None) if ref is not None else None
    out = []
    for i in range(h):
        row = []
        for j in range(w):
            if i < len(rows) and j < len(rows[i]):
                row.append(rows[i][j])
            elif V is not None:
                row.append(V.get(ref[0] + (i << ROW_SHIFT) + j))
            else:
                row.append(None)
        out.append(row)
    return out


def _picked(rows, cells):
    """The numbers at the matched cells (text, booleans, empty ignored; an error is raised)."""
    out = []
    for i, j in cells:
        v = rows[i][j]
        t = v.__class__
        if t is float:
            out.append(v)
        elif t is ExcelError:
            raise XLError(v)
    return out


def _sum(xs):
    total = 0.0
    for x in xs:
        total += x
    return finite(total)


@fn("COUNTIF", 2, 2, arrays=(0,))
def COUNTIF(rng, crit):
    p = criterion(crit)
    return float(sum(1 for v in (v for r in grid(rng) for v in r) if p(v)))


@fn("COUNTIFS", 2, 254, arrays=tuple(range(0, 254, 2)))
def COUNTIFS(*pairs):
    return float(len(_matches(pairs, _shape(grid(pairs[0])))))


def _if_values(rng, crit, value_range):
    rows = grid(rng)
    p = criterion(crit)
    shape = _shape(rows)
    vals = rows if value_range is OMITTED or value_range is None else _resized(value_range, shape)
    cells = [(i, j) for i, r in enumerate(rows) for j, v in enumerate(r) if p(v)]
    return _picked(vals, cells)


def _ifs_values(value_range, pairs):
    vals = grid(value_range)
    return _picked(vals, _matches(pairs, _shape(vals)))


@fn("SUMIF", 2, 3, arrays=(0, 2))
def SUMIF(rng, crit, sum_range=OMITTED):
    return _sum(_if_values(rng, crit, sum_range))


@fn("SUMIFS", 3, 255, arrays=(0,) + tuple(range(1, 255, 2)))
def SUMIFS(sum_range, *pairs):
    return _sum(_ifs_values(sum_range, pairs))


@fn("AVERAGEIF", 2, 3, arrays=(0, 2))
def AVERAGEIF(rng, crit, average_range=OMITTED):
    xs = _if_values(rng, crit, average_range)
    if not xs:
        raise XLError(DIV0)
    return finite(_sum(xs) / len(xs))


@fn("AVERAGEIFS", 3, 255, arrays=(0,) + tuple(range(1, 255, 2)))
def AVERAGEIFS(average_range, *pairs):
    xs = _ifs_values(average_range, pairs)
    if not xs:
        raise XLError(DIV0)
    return finite(_sum(xs) / len(xs))


@fn("MINIFS", 3, 255, arrays=(0,) + tuple(range(1, 255, 2)))
def MINIFS(min_range, *pairs):
    xs = _ifs_values(min_range, pairs)
    return min(xs) if xs else 0.0


@fn("MAXIFS", 3, 255, arrays=(0,) + tuple(range(1, 255, 2)))
def MAXIFS(max_range, *pairs):
    xs = _ifs_values(max_range, pairs)
    return max(xs) if xs else 0.0


# ------------------------------------------------------------------------------ SUBTOTAL, AGGREGATE
# Both aggregate the values of their references: numbers count, text, booleans and empty cells
# are ignored (COUNTA counts every non-empty cell).  Cells of the references that hold SUBTOTAL or
# AGGREGATE formulas themselves are left out (SUBTOTAL always, AGGREGATE with options 0-3), read
# from the workbook's formulas (CTX.book).  Hidden rows (SUBTOTAL 101-111, AGGREGATE options 1,
# 3, 5, 7) and rows a filter hides (SUBTOTAL always) are left out when the workbook carries them
# as sets of (sheet index, row) named hidden_rows / filtered_rows; the reader does not read row
# visibility yet, so today they count.

_NESTED = re.compile(r"(?<![\w.])(?:_xlfn\.)?(?:SUBTOTAL|AGGREGATE)\s*\(", re.IGNORECASE)


def _skipped_cells(a, nested, hidden):
    """Positions (i, j) of a reference to leave out: cells holding SUBTOTAL or AGGREGATE formulas
    (nested), and cells in rows the workbook reports as hidden (hidden: the set's name on the
    workbook, "hidden_rows" for rows hidden by hand or by a filter, "filtered_rows" for rows a
    filter hides).  Read from the workbook being evaluated (CTX.book): its formulas, and - when
    the reader provides them - sets of (sheet index, row); empty for arrays or without it."""
    book = CTX.book
    if a.ref is None or book is None:
        return ()
    formulas = getattr(book, "formulas", None) if nested else None
    rows_off = set()
    for name in hidden:
        rows_off |= getattr(book, name, None) or set()
    if formulas is None and not rows_off:
        return ()
    k1 = a.ref[0]
    sheet, row1 = k1 >> SHEET_SHIFT, (k1 >> ROW_SHIFT) & ROW_BITS
    out = set()
    for i, r in enumerate(a.rows):
        if rows_off and (sheet, row1 + i) in rows_off:
            out.update((i, j) for j in range(len(r)))
            continue
        if formulas is not None:
            base = k1 + (i << ROW_SHIFT)
            for j in range(len(r)):
                k = base + j
                if k in formulas and _NESTED.search(formulas[k]):
                    out.add((i, j))
    return out


def _agg_values(args, skip_errors, skip_nested=False, hidden=()):
    """The numbers of the arguments, and the count of non-empty cells (for COUNTA); with
    skip_nested, cells of references that hold SUBTOTAL/AGGREGATE formulas are left out, and so
    are the rows of the workbook's row sets named in hidden."""
    nums, nonempty = [], 0
    for a in args:
        if a.__class__ is Area:
            skip = _skipped_cells(a, skip_nested, hidden) if (skip_nested or hidden) else ()
            if skip:
                vals = (v for i, r in enumerate(a.rows) for j, v in enumerate(r) if (i, j) not in skip)
            else:
                vals = (v for r in a.rows for v in r)
        else:
            vals = (a,)
        for v in vals:
            t = v.__class__
            if t is ExcelError:
                if skip_errors:
                    continue
                nonempty += 1
                nums.append(v)  # raised by the functions that read numbers
                continue
            if v is None:
                continue
            nonempty += 1
            if t is float:
                nums.append(v)
    return nums, nonempty


def _only_numbers(xs):
    for x in xs:
        if x.__class__ is ExcelError:
            raise XLError(x)
    return xs


def _mean(xs):
    xs = _only_numbers(xs)
    if not xs:
        raise XLError(DIV0)
    total = 0.0
    for x in xs:
        total += x
    return finite(total / len(xs))


def _var(xs, sample):
    xs = _only_numbers(xs)
    n = len(xs)
    if n < (2 if sample else 1):
        raise XLError(DIV0)
    m = math.fsum(xs) / n
    return finite(math.fsum((x - m) ** 2 for x in xs) / (n - 1 if sample else n))


def _product(xs):
    xs = _only_numbers(xs)
    if not xs:
        return 0.0
    p = 1.0
    for x in xs:
        p *= x
    return finite(p)


def _median(xs):
    xs = sorted(_only_numbers(xs))
    n = len(xs)
    if not n:
        raise XLError(NUM)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2.0


def _mode(xs):
    xs = _only_numbers(xs)
    counts: dict = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    best, bestn = None, 1
    for x in xs:  # the first of the most frequent values
        if counts[x] > bestn:
            best, bestn = x, counts[x]
    if best is None:
        raise XLError(NA)
    return best


def _kth(xs, k, largest):
    xs = sorted(_only_numbers(xs), reverse=largest)
    i = math.ceil(k)  # LARGE(x, 1.5) is LARGE(x, 2)
    if i < 1 or i > len(xs):
        raise XLError(NUM)
    return xs[i - 1]


def percentile_inc(xs, p):
    xs = sorted(_only_numbers(xs))
    n = len(xs)
    if not n or p < 0 or p > 1:
        raise XLError(NUM)
    r = p * (n - 1)
    i = math.floor(r)
    if i + 1 >= n:
        return xs[-1]
    return xs[i] + (r - i) * (xs[i + 1] - xs[i])


def percentile_exc(xs, p):
    xs = sorted(_only_numbers(xs))
    n = len(xs)
    r = p * (n + 1)
    if not n or p <= 0 or p >= 1 or r < 1 or r > n:
        raise XLError(NUM)
    i = math.floor(r)
    if i >= n:
        return xs[-1]
    return xs[i - 1] + (r - i) * (xs[i] - xs[i - 1])


def _quartile(xs, q, exc):
    q = math.floor(q)
    if exc:
        if q < 1 or q > 3:
            raise XLError(NUM)
        return percentile_exc(xs, q / 4.0)
    if q < 0 or q > 4:
        raise XLError(NUM)
    return percentile_inc(xs, q / 4.0)


_BASIC = {  # function_num -> f(numbers, nonempty count)
    1: lambda xs, n: _mean(xs),
    2: lambda xs, n: float(sum(1 for x in xs if x.__class__ is float)),
    3: lambda xs, n: float(n),
    4: lambda xs, n: max(_only_numbers(xs)) if xs else 0.0,
    5: lambda xs, n: min(_only_numbers(xs)) if xs else 0.0,
    6: lambda xs, n: _product(xs),
    7: lambda xs, n: math.sqrt(_var(xs, True)),
    8: lambda xs, n: math.sqrt(_var(xs, False)),
    9: lambda xs, n: _sum(_only_numbers(xs)),
    10: lambda xs, n: _var(xs, True),
    11: lambda xs, n: _var(xs, False),
    12: lambda xs, n: _median(xs),
    13: lambda xs, n: _mode(xs),
}

_WITH_K = {
    14: lambda xs, k: _kth(xs, k, True),
    15: lambda xs, k: _kth(xs, k, False),
    16: percentile_inc,
    17: lambda xs, k: _quartile(xs, k, False),
    18: percentile_exc,
    19: lambda xs, k: _quartile(xs, k, True),
}


@fn("SUBTOTAL", 2, 255, refs=True)
def SUBTOTAL(function_num, *refs):
    """SUBTOTAL(1..11 or 101..111, ref, ...): AVERAGE, COUNT, COUNTA, MAX, MIN, PRODUCT, STDEV,
    STDEVP, SUM, VAR, VARP of the references (101-111 also skip hidden rows: see above)."""
    f = int(_num1(function_num))
    hidden = ("filtered_rows",)  # rows a filter hides never count
    if f > 100:
        f -= 100
        hidden = ("hidden_rows", "filtered_rows")
    if f not in _BASIC or f > 11:
        raise XLError(VALUE)
    xs, n = _agg_values(refs, False, True, hidden)
    if f == 3:
        return float(n)
    return _BASIC[f](xs, n)


@fn("AGGREGATE", 3, 255, refs=True)
def AGGREGATE(function_num, options, *args):
    """AGGREGATE(function 1..19, options 0..7, ref1, ...) or (14..19, options, array, k).
    Options 2, 3, 6, 7 ignore error values; 0-3 also skip nested SUBTOTAL/AGGREGATE cells and 1, 3,
    5, 7 hidden rows (not visible in values: see above)."""
    f = int(_num1(function_num))
    opt = 0 if options is None else int(_num1(options))
    if f < 1 or f > 19 or opt < 0 or opt > 7:
        raise XLError(VALUE)
    skip = opt in (2, 3, 6, 7)
    nested = opt < 4
    hidden = ("hidden_rows", "filtered_rows") if opt in (1, 3, 5, 7) else ()
    if f >= 14:
        if len(args) != 2 or args[1] is None:
            raise XLError(VALUE)
        xs, _ = _agg_values(args[:1], skip, nested, hidden)
        return finite(_WITH_K[f](xs, _num1(args[1])))
    xs, n = _agg_values(args, skip, nested, hidden)
    if f == 2:
        return float(sum(1 for x in xs if x.__class__ is float))
    return finite(_BASIC[f](xs, n))
