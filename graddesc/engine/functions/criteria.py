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
  * <> matches everything = does not match (including empty cells and other types);
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

from graddesc.engine.functions.base import (  # noqa: F401
    Area, FUNCTIONS, Function, _num1, _numbers, _one, date_to_serial, finite, fn, number_text,
    to_bool, to_number, to_text,
)
from graddesc.engine.functions.lookup import OMITTED, grid, wild_regex
from graddesc.engine.values import DIV0, ERRORS, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401

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
    if op in ("=", "<>"):
        def eq(v):
            t = v.__class__
            if t is float:
                return v == x
            if t is str:
                n = numeric_text(v)
                return n is not None and n == x
            return False
        return eq if op == "=" else (lambda v: not eq(v))
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


def _resized(rows, shape):
    """rows taken as a range of `shape` from its top-left corner (SUMIF's sum_range).  Cells
    beyond the given values are empty here: Excel would read them from the sheet (a reference
    matter for the engine core)."""
    h, w = shape
    return [[rows[i][j] if i < len(rows) and j < len(rows[i]) else None for j in range(w)] for i in range(h)]


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
    vals = rows if value_range is OMITTED or value_range is None else _resized(grid(value_range), shape)
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
