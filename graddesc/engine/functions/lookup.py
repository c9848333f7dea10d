"""Lookup and reference: INDEX, VLOOKUP, HLOOKUP, LOOKUP, MATCH, XLOOKUP, XMATCH, ADDRESS and the
dynamic-array functions (TRANSPOSE, SORT, SORTBY, UNIQUE, FILTER, TAKE, DROP, VSTACK, HSTACK,
TOROW, TOCOL, CHOOSEROWS, CHOOSECOLS, EXPAND, WRAPROWS, WRAPCOLS).

Lookup semantics (Microsoft's documentation of VLOOKUP, MATCH, LOOKUP, XLOOKUP):
- values of different types never match: the number 1 is not the text "1" nor TRUE; text is
  compared case-insensitively; empty cells and error values in the searched array never match.
- exact match of text in VLOOKUP/HLOOKUP/MATCH (and XLOOKUP/XMATCH match_mode 2) understands
  the wildcards ? (one character), * (any run) and ~ (the next ?, * or ~ literally).
- approximate match (VLOOKUP/HLOOKUP TRUE, LOOKUP, MATCH 1/-1, XLOOKUP search_mode 2/-2) is a
  binary search that assumes sorted data; on unsorted data it gives what a binary search gives,
  not what a linear scan would (see `_bsearch`).
Array results are Area; an empty result is #CALC! (Excel's "empty array" error).
"""

from __future__ import annotations

import bisect
import re

from graddesc.engine.functions.base import Area, _num1, _one, fn, to_bool
from graddesc.engine.values import ERRORS, NA, REF, VALUE, ExcelError, XLError

CALC = ERRORS.get("#CALC!", VALUE)  # Excel's empty-array error (values.CODES gains it with this module)


class _Omitted:
    """Default of an optional argument that was left out (an empty argument `f(a,)` or an empty
    cell arrives as None, which Excel often treats differently from an omitted one)."""

    __slots__ = ()

    def __repr__(self):
        return "<omitted>"


OMITTED = _Omitted()


# ------------------------------------------------------------------------------ shared helpers

def grid(x):
    """The rows of an Area, or a scalar as a 1x1 grid."""
    if x.__class__ is Area:
        return x.rows
    return [[x]]


def vector(x):
    """The values of a one-row or one-column range (row by row), or None when it is 2-D."""
    rows = grid(x)
    if len(rows) == 1:
        return list(rows[0])
    if all(len(r) == 1 for r in rows):
        return [r[0] for r in rows]
    return None


def flat(x):
    """All values of an Area (row by row) or a scalar as a one-element list."""
    if x.__class__ is Area:
        return [v for r in x.rows for v in r]
    return [x]


def int_arg(x, default=None):
    """An integer argument (Excel truncates toward zero); None/omitted gives `default`."""
    if x is OMITTED or (x is None and default is not None):
        return default
    return int(_num1(x))


def bool_arg(x, default=False):
    if x is OMITTED:
        return default
    return to_bool(_one(x))


def scalar(x):
    """A scalar argument: a one-cell range is its value; errors are raised."""
    v = _one(x)
    if v.__class__ is ExcelError:
        raise XLError(v)
    return v


_TYPE = {float: 0, str: 1, bool: 2}


def cmp_same(a, b):
    """-1/0/1 for two values of the same type (text case-insensitively)."""
    if a.__class__ is str:
        a, b = a.lower(), b.lower()
    return (a > b) - (a < b)


_WILD_CACHE: dict = {}


def has_wild(text: str) -> bool:
    return "*" in text or "?" in text or "~" in text


def wild_regex(pattern: str):
    """The compiled, case-insensitive, whole-text regex of an Excel wildcard pattern: ? any one
    character, * any run, ~ makes the next ?, * or ~ literal (a ~ before anything else is a ~)."""
    rx = _WILD_CACHE.get(pattern)
    if rx is None:
        out = []
        i, n = 0, len(pattern)
        while i < n:
            ch = pattern[i]
            if ch == "~" and i + 1 < n and pattern[i + 1] in "*?~":
                out.append(re.escape(pattern[i + 1]))
                i += 2
                continue
            out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
            i += 1
        rx = re.compile("".join(out), re.DOTALL | re.IGNORECASE)
        if len(_WILD_CACHE) > 4096:
            _WILD_CACHE.clear()
        _WILD_CACHE[pattern] = rx
    return rx


def lookup_value(x, empty=0.0):
    """The value looked up: a one-cell range is its value, an empty cell counts as `empty` (0;
    XLOOKUP keeps it empty: it finds an empty cell), an error is the result."""
    v = _one(x)
    if v.__class__ is ExcelError:
        raise XLError(v)
    if v is None:
        return empty
    if v.__class__ is int:
        return float(v)
    return v


def exact_matcher(x, wildcards: bool):
    """A predicate for exact match of lookup value x (same type; text case-insensitive, with
    wildcards if asked and the text has any)."""
    t = x.__class__
    if t is str:
        if wildcards and has_wild(x):
            rx = wild_regex(x).fullmatch
            return lambda v: v.__class__ is str and rx(v) is not None
        xl = x.lower()
        return lambda v: v.__class__ is str and v.lower() == xl
    return lambda v: v.__class__ is t and v == x


def _bsearch(vals, x, desc=False, strict=False):
    """Excel's approximate binary search over vals for x.

    Returns the index of the last element v with v <= x (v < x when strict) in an ascending
    array; with desc the order is reversed (v >= x, v > x when strict); -1 when there is none.
    Only values of x's type take part: when the middle element is of another type (or empty, or
    an error) the search moves to the nearest comparable element after it within the bounds (or
    gives up the upper part if there is none), so on sorted data mixed with other types the answer
    is the sorted answer, and LOOKUP(2, 1/(...)) finds the last 1 among errors, as in Excel."""
    t = x.__class__
    if t is str:
        xk = x.lower()
    else:
        xk = x
    lo, hi = 0, len(vals) - 1
    best = -1
    while lo <= hi:
        mid = (lo + hi) // 2
        j = mid
        while j <= hi and vals[j].__class__ is not t:
            j += 1
        if j > hi:
            hi = mid - 1
            continue
        v = vals[j]
        if t is str:
            v = v.lower()
        c = (v > xk) - (v < xk)
        if desc:
            c = -c
        if c < 0 or (c == 0 and not strict):
            best = j
            lo = j + 1
        else:
            hi = mid - 1
    return best


def approx_index(vals, x, desc=False):
    """Index of Excel's approximate match (largest <= x ascending, smallest >= x descending),
    or -1."""
    return _bsearch(vals, x, desc)


def _xkey(v):
    """XLOOKUP/XMATCH's order for approximate and binary search: numbers < text (case-
    insensitive) < booleans, as Excel sorts; empty cells and errors take no part (None)."""
    t = v.__class__
    if t is float:
        return (0, v)
    if t is str:
        return (1, v.lower())
    if t is bool:
        return (2, v)
    return None


def xsearch(vals, x, match_mode=0, search_mode=1):
    """XMATCH/XLOOKUP's search: the index of the match in vals, or -1.

    Exact match (0) and wildcards (2) compare values of the same type, and an empty lookup value
    finds an empty cell.  Next smaller (-1) / next larger (1) order values of different types as
    Excel sorts them (numbers < text < booleans).  Binary search (2, -2) is a lower-bound search
    over the non-empty, non-error values in ascending order (descending data is searched from
    its end): an exact match is the first of equal values in that order, next smaller the last
    value below x, next larger the first value above it."""
    n = len(vals)
    if x is None:  # an empty lookup value: the first (last) empty cell
        order = range(n) if search_mode in (1, 2) else range(n - 1, -1, -1)
        return next((i for i in order if vals[i] is None), -1)
    if search_mode in (2, -2):
        if match_mode == 2:
            raise XLError(VALUE)  # wildcards need a linear search
        idx = [i for i in range(n) if _xkey(vals[i]) is not None]
        if search_mode == -2:
            idx.reverse()
        keys = [_xkey(vals[i]) for i in idx]
        kx = _xkey(x)
        lb = bisect.bisect_left(keys, kx)
        if lb < len(keys) and keys[lb] == kx:
            return idx[lb]
        if match_mode == -1:
            return idx[lb - 1] if lb > 0 else -1
        if match_mode == 1:
            return idx[lb] if lb < len(keys) else -1
        return -1
    order = range(n) if search_mode == 1 else range(n - 1, -1, -1)
    if match_mode in (0, 2):
        m = exact_matcher(x, match_mode == 2)
        return next((i for i in order if m(vals[i])), -1)
    kx = _xkey(x)
    best, bestk = -1, None
    for i in order:
        k = _xkey(vals[i])
        if k is None:
            continue
        if k == kx:
            return i
        if (k < kx) == (match_mode == -1) and (
                best < 0 or (k > bestk if match_mode == -1 else k < bestk)):
            best, bestk = i, k
    return best


def _search_mode(m, s):
    m = 0 if m is OMITTED or m is None else int(_num1(m))
    s = 1 if s is OMITTED or s is None else int(_num1(s))
    if m not in (0, -1, 1, 2) or s not in (1, -1, 2, -2):
        raise XLError(VALUE)
    return m, s


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


def _table_lookup(x, keys, approx):
    """Index in keys of VLOOKUP/HLOOKUP's match, or raise #N/A."""
    if approx:
        i = approx_index(keys, x)
    else:
        m = exact_matcher(x, True)
        i = next((j for j, v in enumerate(keys) if m(v)), -1)
    if i < 0:
        raise XLError(NA)
    return i


@fn("VLOOKUP", 3, 4, arrays=(1,))
def VLOOKUP(value, table, col_index, range_lookup=OMITTED):
    """The value in column col_index of the row whose first cell matches value: exact match
    (range_lookup FALSE, with wildcards) or the largest value <= value in a first column sorted
    ascending (TRUE, the default).  col_index < 1: #VALUE!; beyond the table: #REF!."""
    x = lookup_value(value)
    rows = grid(table)
    c = int(_num1(col_index))
    approx = bool_arg(range_lookup, True)
    if c < 1:
        raise XLError(VALUE)
    if c > len(rows[0]):
        raise XLError(REF)
    i = _table_lookup(x, [r[0] for r in rows], approx)
    return rows[i][c - 1]


@fn("HLOOKUP", 3, 4, arrays=(1,))
def HLOOKUP(value, table, row_index, range_lookup=OMITTED):
    """VLOOKUP along the first row: the value in row row_index of the matching column."""
    x = lookup_value(value)
    rows = grid(table)
    r = int(_num1(row_index))
    approx = bool_arg(range_lookup, True)
    if r < 1:
        raise XLError(VALUE)
    if r > len(rows):
        raise XLError(REF)
    i = _table_lookup(x, rows[0], approx)
    return rows[r - 1][i]


@fn("LOOKUP", 2, 3, arrays=(1, 2))
def LOOKUP(value, lookup_vector, result_vector=OMITTED):
    """Vector form: the approximate match (largest value <= value, binary search) in a one-row
    or one-column lookup_vector, and the value at the same position of result_vector.  Array form
    (two arguments): search the first row of an array wider than tall, else its first column, and
    return from the last row/column.  No match: #N/A."""
    x = lookup_value(value)
    rows = grid(lookup_vector)
    h, w = len(rows), len(rows[0])
    if w > h:
        keys, res = rows[0], rows[-1]
    else:
        keys, res = [r[0] for r in rows], [r[-1] for r in rows]
    if result_vector is not OMITTED:
        res = vector(result_vector)
        if res is None:
            raise XLError(NA)
    i = approx_index(keys, x)
    if i < 0 or i >= len(res):  # (a short result range would extend by reference in Excel)
        raise XLError(NA)
    return res[i]


@fn("MATCH", 2, 3, arrays=(1,))
def MATCH(value, lookup_array, match_type=OMITTED):
    """Position (1-based) of value in a one-row/one-column array: match_type 1 (default) the
    largest value <= value in ascending data, 0 the first exact match (wildcards in text), -1 the
    smallest value >= value in descending data.  No match or a 2-D array: #N/A."""
    x = lookup_value(value)
    mt = 1.0 if match_type is OMITTED else _num1(match_type)
    vals = vector(lookup_array)
    if vals is None:
        raise XLError(NA)
    if mt == 0:
        m = exact_matcher(x, True)
        i = next((j for j, v in enumerate(vals) if m(v)), -1)
    elif mt > 0:
        i = approx_index(vals, x)
    else:
        i = _desc_scan(vals, x)
    if i < 0:
        raise XLError(NA)
    return float(i + 1)


def _desc_scan(vals, x):
    """MATCH type -1 (smallest value >= x in descending data) as Excel computes it: from the
    start, an equal value is the answer; the first value below x ends the search with the one
    before it (#N/A if there is none); reaching the end gives the last value.  (A binary search
    cannot give Excel's #N/A for MATCH(2,{0,1,2,3,4},-1) nor its 1 for MATCH(0,{0,1,2,3,4},-1).)
    Values of other types are passed over."""
    t = x.__class__
    prev = -1
    for i, v in enumerate(vals):
        if v.__class__ is not t:
            continue
        c = cmp_same(v, x)
        if c == 0:
            return i
        if c < 0:
            return prev
        prev = i
    return prev


@fn("XMATCH", 2, 4, arrays=(1,))
def XMATCH(value, lookup_array, match_mode=OMITTED, search_mode=OMITTED):
    """Position of value in a one-row/one-column array (match_mode 0 exact, -1 exact or next
    smaller, 1 exact or next larger, 2 wildcards; search_mode 1 first to last, -1 last to first,
    2/-2 binary search of ascending/descending data).  No match: #N/A; a 2-D array or a bad mode:
    #VALUE!."""
    x = lookup_value(value, None)
    m, s = _search_mode(match_mode, search_mode)
    vals = vector(lookup_array)
    if vals is None:
        raise XLError(VALUE)
    i = xsearch(vals, x, m, s)
    if i < 0:
        raise XLError(NA)
    return float(i + 1)


@fn("XLOOKUP", 3, 6, arrays=(1, 2, 3))
def XLOOKUP(value, lookup_array, return_array, if_not_found=OMITTED, match_mode=OMITTED,
            search_mode=OMITTED):
    """The row (lookup_array a column) or column (lookup_array a row) of return_array at the
    position XMATCH finds; a single cell is its value, more cells an Area.  No match:
    if_not_found if given, else #N/A.  return_array not as long as lookup_array, or lookup_array
    2-D: #VALUE!."""
    x = lookup_value(value, None)
    m, s = _search_mode(match_mode, search_mode)
    look = grid(lookup_array)
    ret = grid(return_array)
    if len(look[0]) == 1 and len(ret) == len(look):  # a column: return a row of return_array
        i = xsearch([r[0] for r in look], x, m, s)
        pick = (lambda i: ret[i]) if len(ret[0]) > 1 else None
        one = (lambda i: ret[i][0])
    elif len(look) == 1 and len(ret[0]) == len(look[0]):  # a row: return a column
        i = xsearch(look[0], x, m, s)
        pick = (lambda i: [[r[i]] for r in ret]) if len(ret) > 1 else None
        one = (lambda i: ret[0][i])
    else:
        raise XLError(VALUE)
    if i < 0:
        if if_not_found is OMITTED or if_not_found is None:
            raise XLError(NA)
        return if_not_found
    if pick is None:
        return one(i)
    got = pick(i)
    return Area([got] if len(look[0]) == 1 else got)
