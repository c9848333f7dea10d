"""Lookup: VLOOKUP, HLOOKUP, LOOKUP, MATCH, XLOOKUP, XMATCH, ADDRESS and the
dynamic-array functions (TRANSPOSE, SORT, SORTBY, UNIQUE, FILTER, TAKE, DROP, VSTACK, HSTACK,
TOROW, TOCOL, CHOOSEROWS, CHOOSECOLS, EXPAND, WRAPROWS, WRAPCOLS).  INDEX, ROW, COLUMN, ROWS,
COLUMNS live in reference.py.

Lookup semantics (Microsoft's documentation of VLOOKUP, MATCH, LOOKUP, XLOOKUP):
- exact match: values of different types never match (the number 1 is not the text "1" nor
  TRUE); text is compared case-insensitively; empty cells and errors never match (XLOOKUP and
  XMATCH: an empty lookup value finds an empty cell).  Text in VLOOKUP/HLOOKUP/MATCH (and
  XLOOKUP/XMATCH match_mode 2) understands the wildcards ? (one character), * (any run) and ~
  (the next ?, * or ~ literally).
- approximate match assumes sorted data and is a binary search (VLOOKUP/HLOOKUP TRUE, LOOKUP,
  MATCH 1: `_bsearch`; XLOOKUP/XMATCH search_mode 2/-2: `_xbinary`); on unsorted data it gives
  what Excel's halving gives, not what a linear scan would.  MATCH -1 scans (`_desc_scan`).
  XLOOKUP/XMATCH next smaller / larger order values of different types as Excel sorts them.
  Where the documentation is silent (unsorted or mixed data), the models follow the values
  Excel stored in real workbooks; each function's docstring says which.
Array results are Area (XLOOKUP's row or column keeps its reference); an empty array result is
#CALC! (Excel's "empty array" error); empty cells of the source show as 0 in an array result.
"""

from __future__ import annotations

import re

from graddesc.engine.functions.base import Area, _num1, _one, fn, to_bool, to_text
from graddesc.engine.keys import ROW_SHIFT
from graddesc.engine.values import ERRORS, NA, NUM, REF, VALUE, ExcelError, XLError

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


def bool_arg(x, default=False):
    if x is OMITTED:
        return default
    return to_bool(_one(x))


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


def _bsearch(vals, x):
    """Excel's approximate binary search (VLOOKUP/HLOOKUP TRUE, LOOKUP, MATCH 1): the index of
    the largest value <= x in ascending data, or -1.

    Only values of x's type take part: when the middle element is of another type (or empty, or
    an error) the search moves to the nearest element of x's type after it within the bounds (or
    gives up the upper part when there is none), and an equal value ends the search.  On sorted
    data that is the sorted answer; LOOKUP(2, 1/(...)) finds the last 1 among errors; on other
    data it gives what Excel gives (LOOKUP(4.1,{"b",4.1,"a",1.1}) is 4.1, LOOKUP("b", the same)
    "a", LOOKUP(4.1,{"a",2.1,"b",4.1}) 4.1, LOOKUP("b",{TRUE,4.1,FALSE,"b"}) "b").  With equal
    values in sorted data the one the halving meets first is the answer."""
    t = x.__class__
    xk = x.lower() if t is str else x
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
        if v == xk:
            return j
        if v < xk:
            best = j
            lo = j + 1
        else:
            hi = mid - 1
    return best


def approx_index(vals, x):
    """Index of Excel's approximate match (the largest value <= x in ascending data), or -1."""
    return _bsearch(vals, x)


def _xkey(v):
    """XLOOKUP/XMATCH's order for next smaller / larger and binary search: numbers < text
    (case-insensitive, as Excel's culture compares it: "ß" is "ss") < booleans < empty (an empty
    lookup value finds an empty cell; next smaller than it is the largest value) < errors."""
    t = v.__class__
    if t is float:
        return (0, v)
    if t is str:
        return (1, v.casefold())
    if t is bool:
        return (2, v)
    if v is None:
        return (3, 0)
    return (4, 0)


def _xbinary(vals, x, match_mode, desc):
    """XLOOKUP/XMATCH's binary search (search_mode 2 ascending, -2 descending) as Excel runs it:
    a classic halving over every element in _xkey order; an equal element is kept and the search
    goes on towards the first (ascending) or last (descending) of the equal ones; without one,
    next smaller / larger is the element where the search ended on that side."""
    kx = _xkey(x)
    lo, hi = 0, len(vals) - 1
    found = -1
    while lo <= hi:
        mid = (lo + hi) // 2
        k = _xkey(vals[mid])
        if k == kx:
            found = mid
            if desc:
                lo = mid + 1
            else:
                hi = mid - 1
        elif (k < kx) != desc:
            lo = mid + 1
        else:
            hi = mid - 1
    if found >= 0 or match_mode == 0:
        return found
    i = hi if (match_mode == -1) != desc else lo
    if 0 <= i < len(vals) and _xkey(vals[i])[0] < 3:
        return i
    return -1


def xsearch(vals, x, match_mode=0, search_mode=1):
    """XMATCH/XLOOKUP's search: the index of the match in vals, or -1.

    Exact match (0) and wildcards (2) compare values of the same type (text case-insensitively);
    3 (Excel 2024) is a regular expression searched for in text values;
    and an empty lookup value finds an empty cell.  Next smaller (-1) / next larger (1) order the
    values as _xkey does.  Binary search (2, -2): see _xbinary."""
    n = len(vals)
    if search_mode in (2, -2):
        if match_mode in (2, 3):
            raise XLError(VALUE)  # wildcards and regular expressions need a linear search
        return _xbinary(vals, x, match_mode, search_mode == -2)
    order = range(n) if search_mode == 1 else range(n - 1, -1, -1)
    if match_mode == 3:  # a regular expression found in the text (case-sensitive, as REGEXTEST)
        try:
            rx = re.compile(to_text(x))
        except re.error:
            raise XLError(VALUE) from None
        return next((i for i in order if vals[i].__class__ is str and rx.search(vals[i])), -1)
    if x is None:
        i = next((i for i in order if vals[i] is None), -1)
        if i >= 0 or match_mode in (0, 1, 2):
            return i
    elif match_mode in (0, 2):
        if match_mode == 0 and x.__class__ is str:
            xf = x.casefold()
            return next((i for i in order if vals[i].__class__ is str and vals[i].casefold() == xf), -1)
        m = exact_matcher(x, match_mode == 2)
        return next((i for i in order if m(vals[i])), -1)
    kx = _xkey(x)
    best, bestk = -1, None
    for i in order:
        k = _xkey(vals[i])
        if k[0] > 2:  # empty cells and errors are never next smaller / larger
            continue
        if k == kx:
            return i
        if (k < kx) == (match_mode == -1) and (
                best < 0 or (k > bestk if match_mode == -1 else k < bestk)):
            best, bestk = i, k
    return best


def sub_area(a: Area, i1: int, j1: int, i2: int, j2: int) -> Area:
    """Rows i1..i2, columns j1..j2 (0-based, inclusive) of an Area; a reference stays one.
    (As reference.sub_area; not imported from there: reference.py registers after every other
    category module, so that its entries win.)"""
    rows = [r[j1:j2 + 1] for r in a.rows[i1:i2 + 1]]
    ref = None
    if a.ref is not None:
        k1 = a.ref[0]
        ref = (k1 + (i1 << ROW_SHIFT) + j1, k1 + (i2 << ROW_SHIFT) + j2)
    return Area(rows, ref)


def _search_mode(m, s):
    m = 0 if m is OMITTED or m is None else int(_num1(m))
    s = 1 if s is OMITTED or s is None else int(_num1(s))
    if m not in (0, -1, 1, 2, 3) or s not in (1, -1, 2, -2):
        raise XLError(VALUE)
    return m, s


# ------------------------------------------------------------------------------ lookup

def _table(table):
    """VLOOKUP/HLOOKUP's table: a range or array; a number or boolean is a 1x1 table, text
    #VALUE! (Excel: VLOOKUP(x,"Nothing",1) is #VALUE!, VLOOKUP(x,3,1) #N/A)."""
    t = table.__class__
    if t is Area:
        return table.rows
    if t is ExcelError:
        raise XLError(table)
    if t is str:
        raise XLError(VALUE)
    return [[table]]


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
    rows = _table(table)
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
    rows = _table(table)
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
    ret = return_array if return_array.__class__ is Area else Area([[return_array]])
    rows = ret.rows
    if len(look[0]) == 1 and len(rows) == len(look):  # a column: the row of return_array
        i = xsearch([r[0] for r in look], x, m, s)
        part = (i, 0, i, len(rows[0]) - 1)
    elif len(look) == 1 and len(rows[0]) == len(look[0]):  # a row: the column of return_array
        i = xsearch(look[0], x, m, s)
        part = (0, i, len(rows) - 1, i)
    else:
        raise XLError(VALUE)
    if i < 0:
        if if_not_found is OMITTED or if_not_found is None:
            raise XLError(NA)
        return if_not_found
    if part[0] == part[2] and part[1] == part[3]:
        return rows[part[0]][part[1]]
    return sub_area(ret, *part)  # a reference when return_array is one (XLOOKUP(...):XLOOKUP(...))


# ------------------------------------------------------------------------------ ADDRESS

_A1_LIKE = re.compile(r"(?:[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[Rr]|[Cc])$")
_PLAIN_SHEET = re.compile(r"[A-Za-z_\u00c0-\uffff][\w.\u00c0-\uffff]*$")


def quote_sheet(name: str) -> str:
    """A sheet name as a reference writes it: quoted ('My sheet') unless it is a plain name
    (letters, digits, _ and ., not starting with a digit, not a cell reference); a leading
    [book] part stays outside that test, as in Microsoft's ADDRESS example [Book1]Sheet1."""
    m = re.match(r"(\[[^\]]*\])?(.*)$", name, re.DOTALL)
    rest = m.group(2)
    if rest and _PLAIN_SHEET.match(rest) and not _A1_LIKE.match(rest):
        return name
    return "'" + name.replace("'", "''") + "'"


def col_letters(c: int) -> str:
    s = ""
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


@fn("ADDRESS", 2, 5)
def ADDRESS(row_num, column_num, abs_num=OMITTED, a1=OMITTED, sheet_text=OMITTED):
    """The text of a cell reference: abs_num 1 $C$2, 2 C$2, 3 $C2, 4 C2 (R1C1 style when a1 is
    FALSE: R2C3, R2C[3], R[2]C3, R[2]C[3]), with sheet_text! in front (quoted when the name needs
    it).  A row outside 1..1048576, a column outside 1..16384 or abs_num outside 1..4: #VALUE!."""
    r = int(_num1(row_num))
    c = int(_num1(column_num))
    mode = 1 if abs_num is OMITTED or abs_num is None else int(_num1(abs_num))
    a1_style = bool_arg(a1, True)
    if not (1 <= r <= 1048576 and 1 <= c <= 16384) or mode not in (1, 2, 3, 4):
        raise XLError(VALUE)
    row_abs, col_abs = mode in (1, 2), mode in (1, 3)
    if a1_style:
        ref = ("$" if col_abs else "") + col_letters(c) + ("$" if row_abs else "") + str(r)
    else:
        ref = (f"R{r}" if row_abs else f"R[{r}]") + (f"C{c}" if col_abs else f"C[{c}]")
    if sheet_text is OMITTED:
        return ref
    sheet = to_text(_one(sheet_text))  # an empty sheet_text still writes the "!"
    return (quote_sheet(sheet) if sheet else "") + "!" + ref


# ------------------------------------------------------------------------------ dynamic arrays
# They return arrays (Area without a reference).  An empty cell of the source shows as 0 in the
# result, as Excel's spilled arrays do; an empty result is #CALC!.

def _values(x):
    """The rows of a range, array or scalar as an array: empty cells become 0."""
    return [[0.0 if v is None else v for v in r] for r in grid(x)]


def _array(rows):
    if not rows or not rows[0]:
        raise XLError(CALC)
    return Area(rows)


def _transpose(rows):
    return [list(c) for c in zip(*rows)]


@fn("TRANSPOSE", 1, 1, arrays=(0,))
def TRANSPOSE(array):
    return _array(_transpose(_values(array)))


def sort_key(v):
    """Excel's sort order: numbers, text (case-insensitive), FALSE < TRUE, errors (all equal)."""
    t = v.__class__
    if t is float:
        return (0, v)
    if t is str:
        return (1, v.lower())
    if t is bool:
        return (2, v)
    if t is ExcelError:
        return (3, 0)
    return (0, 0.0)


def _sorted_lines(lines, keys_of, orders):
    """Stable multi-key sort of lines; keys_of(line) gives one value per key, orders 1 / -1.
    An empty key goes after the others in either order, as Excel sorts blanks last (Excel:
    SORTBY({1,3;2,2;3,1},{2;blank;blank}) keeps the order)."""
    idx = list(range(len(lines)))
    for n in range(len(orders) - 1, -1, -1):  # least significant key first (stable sorts)
        full = [i for i in idx if keys_of(lines[i])[n] is not None]
        blank = [i for i in idx if keys_of(lines[i])[n] is None]
        full.sort(key=lambda i: sort_key(keys_of(lines[i])[n]), reverse=orders[n] == -1)
        idx = full + blank
    return [lines[i] for i in idx]


def _int_list(x, default):
    if x is OMITTED or x is None:
        return [default]
    vals = flat(x)
    out = []
    for v in vals:
        if v.__class__ is ExcelError:
            raise XLError(v)
        out.append(int(_num1(v)))
    return out


@fn("SORT", 1, 4, arrays=(0, 1, 2))
def SORT(array, sort_index=OMITTED, sort_order=OMITTED, by_col=OMITTED):
    """The rows (or with by_col the columns) of array sorted by the sort_index-th column (row),
    ascending (sort_order 1) or descending (-1); several indexes and orders as arrays.  An index
    outside the array or an order other than 1/-1: #VALUE!."""
    rows = [list(r) for r in grid(array)]
    cols = bool_arg(by_col, False)
    lines = _transpose(rows) if cols else rows
    idx = _int_list(sort_index, 1)
    orders = _int_list(sort_order, 1)
    if len(orders) == 1 and len(idx) > 1:
        orders = orders * len(idx)
    if len(idx) == 1 and len(orders) > 1:
        idx = idx * len(orders)
    if len(idx) != len(orders) or any(o not in (1, -1) for o in orders) or \
            any(i < 1 or i > len(lines[0]) for i in idx):
        raise XLError(VALUE)
    out = _sorted_lines(lines, lambda line: [line[i - 1] for i in idx], orders)
    return _array(_values(Area(_transpose(out) if cols else out)))


@fn("SORTBY", 2, 253, arrays_from=0)
def SORTBY(array, *pairs):
    """The rows (by_arrays are columns) or columns (by_arrays are rows) of array sorted by
    by_array1 (order sort_order1, 1 or -1), then by_array2, ...  A by_array of another length or
    two-dimensional: #VALUE!."""
    rows = _values(array)
    h, w = len(rows), len(rows[0])
    keys, orders = [], []
    by_rows = None
    i = 0
    while i < len(pairs):
        by = grid(pairs[i])
        order = 1 if i + 1 >= len(pairs) or pairs[i + 1] is None else int(_num1(pairs[i + 1]))
        if order not in (1, -1):
            raise XLError(VALUE)
        if len(by[0]) == 1 and len(by) == h and (by_rows is not False):
            vec, by_rows = [r[0] for r in by], True
        elif len(by) == 1 and len(by[0]) == w and (by_rows is not True):
            vec, by_rows = list(by[0]), False
        else:
            raise XLError(VALUE)
        keys.append(vec)
        orders.append(order)
        i += 2
    lines = rows if by_rows else _transpose(rows)
    n = list(range(len(lines)))
    order_idx = _sorted_lines(n, lambda k: [key[k] for key in keys], orders)
    out = [lines[k] for k in order_idx]
    return _array(out if by_rows else _transpose(out))


def _same_key(v):
    t = v.__class__
    if v is None:
        return (4, 0)
    if t is str:
        return (1, v.lower())
    if t is ExcelError:
        return (3, v.code)
    if t is bool:
        return (2, v)
    return (0, v)


@fn("UNIQUE", 1, 3, arrays=(0,))
def UNIQUE(array, by_col=OMITTED, exactly_once=OMITTED):
    """The distinct rows (by_col: columns) of array in first-seen order, text compared
    case-insensitively; with exactly_once only those that occur once.  None: #CALC!."""
    cols = bool_arg(by_col, False)
    once = bool_arg(exactly_once, False)
    rows = [list(r) for r in grid(array)]  # an empty cell differs from 0 here (shown as 0 after)
    lines = _transpose(rows) if cols else rows
    counts: dict = {}
    first: dict = {}
    for line in lines:
        k = tuple(_same_key(v) for v in line)
        counts[k] = counts.get(k, 0) + 1
        first.setdefault(k, line)
    out = [line for k, line in first.items() if not once or counts[k] == 1]
    if not out:
        raise XLError(CALC)
    return _array(_values(Area(_transpose(out) if cols else out)))


def _truth(v):
    t = v.__class__
    if t is bool:
        return v
    if t is float:
        return v != 0.0
    if v is None:
        return False
    if t is ExcelError:
        raise XLError(v)
    raise XLError(VALUE)


@fn("FILTER", 2, 3, arrays=(0, 1, 2))
def FILTER(array, include, if_empty=OMITTED):
    """The rows (include a column as tall as array) or columns (include a row as wide) of array
    where include is TRUE or a nonzero number.  Nothing kept: if_empty, else #CALC!.  include of
    another size: #VALUE!; text in include: #VALUE!; an error there is the result."""
    rows = _values(array)
    inc = grid(include)
    h, w = len(rows), len(rows[0])
    if len(inc[0]) == 1 and len(inc) == h:
        keep = [_truth(r[0]) for r in inc]
        out = [r for r, k in zip(rows, keep) if k]
    elif len(inc) == 1 and len(inc[0]) == w:
        keep = [_truth(v) for v in inc[0]]
        out = [[v for v, k in zip(r, keep) if k] for r in rows]
        if not out[0]:
            out = []
    else:
        raise XLError(VALUE)
    if not out:
        if if_empty is OMITTED:
            raise XLError(CALC)
        return if_empty
    return Area(out)


def _count_arg(x, size):
    """TAKE/DROP's rows or columns: omitted or empty -> None (all)."""
    if x is OMITTED or x is None:
        return None
    return int(_num1(x))


@fn("TAKE", 2, 3, arrays=(0,))
def TAKE(array, rows=OMITTED, columns=OMITTED):
    """The first rows / columns of array (the last ones when negative); 0: #CALC!."""
    data = _values(array)
    r = _count_arg(rows, len(data))
    c = _count_arg(columns, len(data[0]))
    if r == 0 or c == 0:
        raise XLError(CALC)
    if r is not None:
        data = data[:r] if r > 0 else data[r:]
    if c is not None:
        data = [row[:c] if c > 0 else row[c:] for row in data]
    return _array(data)


@fn("DROP", 2, 3, arrays=(0,))
def DROP(array, rows=OMITTED, columns=OMITTED):
    """array without its first rows / columns (the last ones when negative); nothing left:
    #CALC!, the empty array.  (Workbooks store Excel's newer errors #CALC!/#SPILL! as #VALUE!
    with rich-value metadata, so a cached #VALUE! there can be this #CALC!.)"""
    data = _values(array)
    r = _count_arg(rows, len(data))
    c = _count_arg(columns, len(data[0]))
    if r:
        data = data[r:] if r > 0 else data[:r]
    if c:
        data = [row[c:] if c > 0 else row[:c] for row in data]
    return _array(data)  # all dropped: an empty array, #CALC!


def _stack(arrays, vertical):
    grids = [_values(a) for a in arrays]
    if vertical:
        w = max(len(g[0]) for g in grids)
        return Area([r + [NA] * (w - len(r)) for g in grids for r in g])
    h = max(len(g) for g in grids)
    out = [[] for _ in range(h)]
    for g in grids:
        gw = len(g[0])
        for i in range(h):
            out[i].extend(g[i] if i < len(g) else [NA] * gw)
    return Area(out)


@fn("VSTACK", 1, 254, arrays_from=0)
def VSTACK(*arrays):
    """The arrays one below the other, as wide as the widest (padded with #N/A)."""
    return _stack(arrays, True)


@fn("HSTACK", 1, 254, arrays_from=0)
def HSTACK(*arrays):
    """The arrays side by side, as tall as the tallest (padded with #N/A)."""
    return _stack(arrays, False)


def _flatten(array, ignore, scan_by_column):
    how = 0 if ignore is OMITTED or ignore is None else int(_num1(ignore))
    if how not in (0, 1, 2, 3):
        raise XLError(VALUE)
    rows = grid(array)
    if bool_arg(scan_by_column, False):
        rows = _transpose(rows)
    out = []
    for r in rows:
        for v in r:
            if v is None:
                if how in (1, 3):
                    continue
                v = 0.0
            elif v.__class__ is ExcelError and how in (2, 3):
                continue
            out.append(v)
    if not out:
        raise XLError(CALC)
    return out


@fn("TOROW", 1, 3, arrays=(0,))
def TOROW(array, ignore=OMITTED, scan_by_column=OMITTED):
    """array as one row, read by rows (or columns); ignore 1 skips blanks, 2 errors, 3 both."""
    return Area([_flatten(array, ignore, scan_by_column)])


@fn("TOCOL", 1, 3, arrays=(0,))
def TOCOL(array, ignore=OMITTED, scan_by_column=OMITTED):
    """array as one column, read by rows (or columns); ignore 1 skips blanks, 2 errors, 3 both."""
    return Area([[v] for v in _flatten(array, ignore, scan_by_column)])


def _picks(nums, n):
    out = []
    for x in nums:
        if vector(x) is None:  # a 2-D array of indexes
            raise XLError(VALUE)
        for v in flat(x):
            if v.__class__ is ExcelError:
                raise XLError(v)
            i = int(_num1(v))
            if i == 0 or abs(i) > n:
                raise XLError(VALUE)
            out.append(i - 1 if i > 0 else n + i)
    return out


@fn("CHOOSEROWS", 2, 254, arrays_from=0)
def CHOOSEROWS(array, *row_nums):
    """The given rows of array in the given order (negative counts from the end); 0 or beyond the
    array: #VALUE!."""
    rows = _values(array)
    return Area([list(rows[i]) for i in _picks(row_nums, len(rows))])


@fn("CHOOSECOLS", 2, 254, arrays_from=0)
def CHOOSECOLS(array, *col_nums):
    """The given columns of array in the given order (negative counts from the end)."""
    rows = _values(array)
    cols = _picks(col_nums, len(rows[0]))
    return Area([[r[j] for j in cols] for r in rows])


@fn("EXPAND", 2, 4, arrays=(0,))
def EXPAND(array, rows, columns=OMITTED, pad_with=OMITTED):
    """array grown to rows x columns (an omitted size keeps the array's), new cells pad_with
    (#N/A by default); a size smaller than the array: #VALUE!."""
    data = _values(array)
    h, w = len(data), len(data[0])
    r = h if rows is None else int(_num1(rows))
    c = w if columns is OMITTED or columns is None else int(_num1(columns))
    if r < h or c < w:
        raise XLError(VALUE)
    pad = NA if pad_with is OMITTED or pad_with is None else _one(pad_with)
    out = [row + [pad] * (c - w) for row in data]
    out.extend([pad] * c for _ in range(r - h))
    return Area(out)


def _wrap(vector, wrap_count, pad_with):
    vals = vector_values(vector)
    n = int(_num1(wrap_count))
    if n < 1:
        raise XLError(NUM)
    pad = NA if pad_with is OMITTED or pad_with is None else _one(pad_with)
    lines = [vals[i:i + n] for i in range(0, len(vals), n)]
    lines[-1] = lines[-1] + [pad] * (n - len(lines[-1]))
    return lines


def vector_values(x):
    vals = vector(x)
    if vals is None:
        raise XLError(VALUE)
    return [0.0 if v is None else v for v in vals]


@fn("WRAPROWS", 2, 3, arrays=(0,))
def WRAPROWS(vector_, wrap_count, pad_with=OMITTED):
    """A one-row / one-column vector cut into rows of wrap_count values (the last padded with
    pad_with, #N/A by default); a 2-D array: #VALUE!; wrap_count < 1: #NUM!."""
    return Area(_wrap(vector_, wrap_count, pad_with))


@fn("WRAPCOLS", 2, 3, arrays=(0,))
def WRAPCOLS(vector_, wrap_count, pad_with=OMITTED):
    """The vector cut into columns of wrap_count values."""
    return Area(_transpose(_wrap(vector_, wrap_count, pad_with)))
