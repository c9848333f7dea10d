"""The function table's foundation: value types, the registry and Excel's coercion rules.

Every category module (math, stats, text, dates, ...) registers its functions here with @fn."""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

from graddesc.engine.keys import COL_MASK, ROW_BITS, ROW_SHIFT
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError

class Area:
    """The values of a range or an array, row by row (None for empty cells).

    ref: where the values come from when they are a reference (a range of cells): the keys of
    its top-left and bottom-right cells (graddesc.engine.keys.make_key), else None (an array
    constant or a computed array).  ROW, OFFSET, CELL, the ':' operator and implicit intersection
    read it; other functions only read `rows`.  A whole column (A:A) or row reads its values only
    as far as the sheet is used: `rows` can then be shorter than `ref` says (the rest is empty)."""

    __slots__ = ("rows", "ref")

    def __init__(self, rows, ref=None):
        self.rows = rows
        self.ref = ref

    def values(self):
        for r in self.rows:
            yield from r

    def __repr__(self):
        return f"Area({self.rows!r})"


class Union(tuple):
    """A reference made of several areas, (A1:B2,D4) in a formula: a tuple of Areas with refs.
    Only functions that say so take it (AREAS, INDEX's area_num, SUM-like refs=True functions get
    its areas as separate arguments); elsewhere it is #VALUE!."""

    __slots__ = ()


def _grid(x):
    """(rows, height, width) of an operand: a scalar is a 1x1 grid."""
    if x.__class__ is Area:
        rows = x.rows
        return rows, len(rows), len(rows[0]) if rows else 0
    return ((x,),), 1, 1


def broadcast(f, *xs):
    """f applied element by element over operands (Areas or scalars), sized as Excel sizes an
    array operation: the largest height and width; a one-row / one-column operand (or a scalar)
    repeats, and where an operand has no element the result is #N/A.  Returns an Area."""
    grids = [_grid(x) for x in xs]
    h = max(g[1] for g in grids)
    w = max(g[2] for g in grids)
    out = []
    for i in range(h):
        row = []
        for j in range(w):
            args = []
            for rows, gh, gw in grids:
                ii = 0 if gh == 1 else i
                jj = 0 if gw == 1 else j
                if ii >= gh or jj >= gw:
                    break
                args.append(rows[ii][jj])
            else:
                row.append(f(*args))
                continue
            row.append(NA)
        out.append(row)
    return Area(out)


def dims(x) -> tuple[int, int]:
    """(rows, columns) of a value: a reference's full size, an array's, 1x1 for a scalar."""
    if x.__class__ is Area:
        ref = x.ref
        if ref is not None:
            k1, k2 = ref
            return (((k2 >> ROW_SHIFT) & ROW_BITS) - ((k1 >> ROW_SHIFT) & ROW_BITS) + 1,
                    (k2 & COL_MASK) - (k1 & COL_MASK) + 1)
        rows = x.rows
        return len(rows), len(rows[0]) if rows else 0
    return 1, 1


def unit(x):
    """A one-cell Area as its value (None for an empty cell); anything else unchanged."""
    if x.__class__ is Area:
        rows = x.rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
    return x


@dataclass(frozen=True)
class Function:
    """One entry of the table.

    impl       the implementation: takes evaluated arguments, returns a value (float, str, bool,
               None, ExcelError or an Area for an array result) or raises XLError(error).
    volatile   the value changes on every recalculation (RAND, NOW, OFFSET, INDIRECT): `recalc`
               reports such cells and their dependants instead of comparing them.
    refs       every argument that is a range (or a direct reference, which then counts like a
               one-cell range: SUM(A1) ignores text in A1, SUM("2") counts 2) arrives as an Area.
    arrays     positions (0-based) of the arguments that take a range or array as a whole
               (VLOOKUP's table, MATCH's lookup array) and receive an Area; `arrays_from` makes
               every position from that index on such an argument (COUNTIFS' pairs, TEXTJOIN's
               texts).  Any other argument is a scalar: given a range there, the engine applies
               implicit intersection in a plain cell and lifts the function element by element in
               an array formula.
    min_args, max_args  the argument count Excel accepts (checked when compiling).
    lazy       the arguments arrive unevaluated, each as a thunk (a function of no arguments that
               returns the value): IF, IFERROR, CHOOSE evaluate only what they need.  An
               unevaluated missing argument is None instead of a thunk.
    cell       the implementation receives the formula cell's key as its first argument, before
               Excel's arguments, and may read the workbook through CTX.book (OFFSET, INDIRECT,
               CELL, ISFORMULA).  Such a call is always evaluated with Excel's exact semantics.
    dynamic    the function makes references at run time (OFFSET, INDIRECT): the engine
               re-evaluates its cells once every cell has a value, until nothing changes.
    compile    a compile-time hook `compile(gen, args) -> str | None`: Python source for the call,
               or None for the ordinary call.  gen is the code generator
               (graddesc.engine.compiler._Gen): gen.fast says which path is compiled, gen.expr(node)
               and gen.operand(node) compile an argument (operand: at a scalar position), gen.k is
               the source of the formula cell's key, gen.local(name) a LET variable.  For forms
               that need the formula's position (ROW(), COLUMN()) or scope (LET).
    lifts_ranges  (a property) False for the Analysis ToolPak functions (ANALYSIS_TOOLPAK).
    """

    name: str
    impl: object
    volatile: bool = False
    refs: bool = False
    min_args: int = 0
    max_args: int = 255
    arrays: tuple = ()
    arrays_from: int | None = None
    lazy: bool = False
    cell: bool = False
    dynamic: bool = False
    compile: object = None

    @property
    def lifts_ranges(self) -> bool:
        """False for the Analysis ToolPak functions (ANALYSIS_TOOLPAK): a range of several cells at
        a scalar position is #VALUE! instead of being lifted cell by cell."""
        return self.name not in ANALYSIS_TOOLPAK

    def takes_array(self, i: int) -> bool:
        """Does argument i receive a range or array as a whole?"""
        return self.refs or i in self.arrays or (self.arrays_from is not None and i >= self.arrays_from)


FUNCTIONS: dict[str, Function] = {}


# Excel's Analysis ToolPak functions (built in since Excel 2007, with their old argument types):
# given a range of several cells where they take one value they give #VALUE! instead of working
# cell by cell (EOMONTH(A1:A3,0) is #VALUE! even in an array formula; EOMONTH({1,2},0) works).
ANALYSIS_TOOLPAK = frozenset((
    "ACCRINT", "ACCRINTM", "AMORDEGRC", "AMORLINC", "BESSELI", "BESSELJ", "BESSELK", "BESSELY",
    "BIN2DEC", "BIN2HEX", "BIN2OCT", "COMPLEX", "CONVERT", "COUPDAYBS", "COUPDAYS", "COUPDAYSNC",
    "COUPNCD", "COUPNUM", "COUPPCD", "CUMIPMT", "CUMPRINC", "DEC2BIN", "DEC2HEX", "DEC2OCT", "DELTA",
    "DISC", "DOLLARDE", "DOLLARFR", "DURATION", "EDATE", "EFFECT", "EOMONTH", "ERF", "ERFC",
    "FACTDOUBLE", "FVSCHEDULE", "GCD", "GESTEP", "HEX2BIN", "HEX2DEC", "HEX2OCT", "IMABS", "IMAGINARY",
    "IMARGUMENT", "IMCONJUGATE", "IMCOS", "IMDIV", "IMEXP", "IMLN", "IMLOG10", "IMLOG2", "IMPOWER",
    "IMPRODUCT", "IMREAL", "IMSIN", "IMSQRT", "IMSUB", "IMSUM", "INTRATE", "ISEVEN", "ISODD", "LCM",
    "MDURATION", "MROUND", "MULTINOMIAL", "NETWORKDAYS", "NOMINAL", "OCT2BIN", "OCT2DEC", "OCT2HEX",
    "ODDFPRICE", "ODDFYIELD", "ODDLPRICE", "ODDLYIELD", "PRICE", "PRICEDISC", "PRICEMAT", "QUOTIENT",
    "RANDBETWEEN", "RECEIVED", "SERIESSUM", "SQRTPI", "TBILLEQ", "TBILLPRICE", "TBILLYIELD", "WEEKNUM",
    "WORKDAY", "XIRR", "XNPV", "YEARFRAC", "YIELD", "YIELDDISC", "YIELDMAT",
))


def fn(name, min_args=0, max_args=255, volatile=False, refs=False, arrays=(), arrays_from=None,
       lazy=False, cell=False, dynamic=False, compile=None):
    """Register the decorated implementation as Excel function `name` (upper case, with dots as
    Excel spells it: "NORM.S.DIST"; no _xlfn. prefix).  See Function for the flags."""
    def deco(impl):
        FUNCTIONS[name] = Function(name, impl, volatile, refs, min_args, max_args, tuple(arrays), arrays_from,
                                   lazy, cell, dynamic, compile)
        return impl
    return deco


class Context:
    """Workbook-wide settings a function may need; set by the engine before evaluating."""

    date1904 = False  # dates count from 1904-01-01 (workbookPr date1904="1"), not 1900
    book = None  # the workbook being evaluated (for functions registered with cell=True)


CTX = Context()


# ------------------------------------------------------------------------------ dates
# Excel's serial dates (1900 system): 1 is 1900-01-01, and 60 is 29-Feb-1900, a day that never
# existed (Lotus 1-2-3's leap-year bug, kept by Excel), so from serial 61 (1900-03-01) on, the
# serial is the day count from 1899-12-30.  Serial 0 shows as 1900-01-00.  1904 system: 0 is
# 1904-01-01.  The time of day is the fraction.

_BASE_1900 = _dt.date(1899, 12, 30)
_BASE_1904 = _dt.date(1904, 1, 1)


def serial_to_date(serial: float) -> _dt.date:
    """The calendar date of a serial day number (its whole part).  Serial 60 of the 1900 system
    (29-Feb-1900, which does not exist) and 0 (1900-01-00) raise XLError(#NUM!): callers that
    must show them (TEXT, DAY, MONTH) handle them with `serial_ymd`."""
    y, m, d = serial_ymd(serial)
    try:
        return _dt.date(y, m, d)
    except ValueError:
        raise XLError(NUM) from None


def serial_ymd(serial: float) -> tuple[int, int, int]:
    """(year, month, day) of a serial as Excel shows it, including 1900-02-29 (60) and
    1900-01-00 (0).  Negative or beyond 9999-12-31: XLError(#NUM!)."""
    n = math.floor(serial)
    if n < 0 or n > 2958465 + (0 if not CTX.date1904 else -1462):
        raise XLError(NUM)
    if CTX.date1904:
        d = _BASE_1904 + _dt.timedelta(days=n)
        return d.year, d.month, d.day
    if n == 0:
        return 1900, 1, 0
    if n == 60:
        return 1900, 2, 29
    if n < 60:
        n += 1
    d = _BASE_1900 + _dt.timedelta(days=n)
    return d.year, d.month, d.day


def date_to_serial(d: _dt.date) -> float:
    """The serial of a real calendar date (1900-01-01 is 1 in the 1900 system)."""
    if CTX.date1904:
        return float((d - _BASE_1904).days)
    n = (d - _BASE_1900).days
    if n < 61:  # before 1900-03-01: the phantom 29-Feb-1900 is not counted
        n -= 1
    return float(n)


# ------------------------------------------------------------------------------ coercion

_NUMBER_TEXT = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$")


def to_number(v) -> float:
    """Scalar coercion as Excel's arithmetic does it: empty 0, TRUE 1, numeric text its number,
    other text #VALUE!, an error itself."""
    t = v.__class__
    if t is float:
        return v
    if v is None:
        return 0.0
    if t is bool:
        return 1.0 if v else 0.0
    if t is int:
        return float(v)
    if t is str:
        if _NUMBER_TEXT.match(v):
            x = float(v)
            if x - x == 0.0:
                return x
        raise XLError(VALUE)
    if t is ExcelError:
        raise XLError(v)
    if t is Area:
        return to_number(_one(v))
    raise XLError(VALUE)


def finite(x: float) -> float:
    if x - x != 0.0:  # inf or nan
        raise XLError(NUM)
    return x


def to_bool(v) -> bool:
    t = v.__class__
    if t is bool:
        return v
    if t is float or t is int:
        return v != 0
    if v is None:
        return False
    if t is str:
        u = v.upper()
        if u == "TRUE":
            return True
        if u == "FALSE":
            return False
        raise XLError(VALUE)
    if t is ExcelError:
        raise XLError(v)
    if t is Area:
        return to_bool(_one(v))
    raise XLError(VALUE)


def to_text(v) -> str:
    t = v.__class__
    if t is str:
        return v
    if v is None:
        return ""
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is float or t is int:
        return number_text(float(v))
    if t is ExcelError:
        raise XLError(v)
    if t is Area:
        return to_text(_one(v))
    raise XLError(VALUE)


def number_text(x: float) -> str:
    """A number as Excel's General format turns it into text (up to 15 significant digits)."""
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    s = f"{x:.15G}"
    if "E" in s:
        mant, exp = s.split("E")
        if "." in mant:
            mant = mant.rstrip("0").rstrip(".")
        return f"{mant}E{'-' if exp.startswith('-') else '+'}{exp.lstrip('+-').zfill(2)}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _one(x):
    """A range used where one value is needed: a one-cell range is its value, else #VALUE!."""
    if x.__class__ is Area:
        rows = x.rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        raise XLError(VALUE)
    return x


def _num1(x):
    return to_number(_one(x))


def _numbers(args):
    """Numbers of SUM-like arguments: in ranges only numbers count (text, booleans and empty
    cells are ignored, errors propagate); typed arguments are coerced (TRUE, "2" count)."""
    for a in args:
        if a.__class__ is Area:
            for row in a.rows:
                for v in row:
                    t = v.__class__
                    if t is float:
                        yield v
                    elif t is ExcelError:
                        raise XLError(v)
        elif a is not None:
            yield to_number(a)


