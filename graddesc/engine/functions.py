"""Excel's functions: ONE table, name -> Function(implementation + metadata).

An implementation takes evaluated arguments: scalars (float, str, bool, None for an empty cell or
a missing argument, ExcelError) or Area (the values of a range).  It returns a value or raises
XLError for an Excel error result; the compiled code turns a raised error into a value.

Metadata:
  volatile  the value changes on every recalculation (RAND, NOW, OFFSET, INDIRECT): `recalc`
            reports such cells and their dependants instead of comparing them;
  refs      a direct cell reference behaves like a one-cell range (SUM(A1) ignores text in A1,
            SUM("2") counts 2);
  raw       the function looks at error values itself (ISERROR, ISNA, ...), they do not propagate;
  min_args, max_args.
IF, IFERROR, IFNA, ROW and COLUMN are compiled inline (short-circuit, or they need the cell's own
address) but are in the table too.  Semantics follow Excel; where LibreOffice differs it is noted.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError


class Area:
    """The values of a range, row by row (None for empty cells)."""

    __slots__ = ("rows",)

    def __init__(self, rows):
        self.rows = rows

    def values(self):
        for r in self.rows:
            yield from r

    def __repr__(self):
        return f"Area({self.rows!r})"


@dataclass(frozen=True)
class Function:
    name: str
    impl: object
    volatile: bool = False
    raw: bool = False
    refs: bool = False
    min_args: int = 0
    max_args: int = 255
    inline: bool = False  # compiled specially (IF, IFERROR, IFNA, ROW, COLUMN)


FUNCTIONS: dict[str, Function] = {}


def fn(name, min_args=0, max_args=255, volatile=False, raw=False, refs=False, inline=False):
    def deco(impl):
        FUNCTIONS[name] = Function(name, impl, volatile, raw, refs, min_args, max_args, inline)
        return impl
    return deco


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


# ------------------------------------------------------------------------------ aggregates

@fn("SUM", refs=True)
def SUM(*args):
    if len(args) == 1 and args[0].__class__ is Area:
        total = 0.0
        for row in args[0].rows:
            for v in row:
                t = v.__class__
                if t is float:
                    total += v
                elif t is ExcelError:
                    raise XLError(v)
        return finite(total)
    total = 0.0
    for v in _numbers(args):  # left to right, as Excel adds
        total += v
    return finite(total)


@fn("SUMSQ", refs=True)
def SUMSQ(*args):
    total = 0.0
    for v in _numbers(args):
        total += v * v
    return finite(total)


@fn("SUMPRODUCT", 1, refs=True)
def SUMPRODUCT(*args):
    blocks = [a.rows if a.__class__ is Area else [[a]] for a in args]
    h, w = len(blocks[0]), len(blocks[0][0])
    for b in blocks:
        if len(b) != h or len(b[0]) != w:
            raise XLError(VALUE)
    for b in blocks:
        for row in b:
            for v in row:
                if v.__class__ is ExcelError:
                    raise XLError(v)
    total = 0.0
    for i in range(h):
        for j in range(w):
            p = 1.0
            for b in blocks:
                v = b[i][j]
                p *= v if v.__class__ is float else 0.0
            total += p
    return finite(total)


@fn("COUNT", refs=True)
def COUNT(*args):
    n = 0
    for a in args:
        if a.__class__ is Area:
            for row in a.rows:
                for v in row:
                    if v.__class__ is float:
                        n += 1
        elif a is not None and a.__class__ is not ExcelError:
            try:
                to_number(a)
                n += 1
            except XLError:
                pass
    return float(n)


@fn("COUNTA", refs=True)
def COUNTA(*args):
    n = 0
    for a in args:
        if a.__class__ is Area:
            for row in a.rows:
                for v in row:
                    if v is not None:
                        n += 1
        else:
            n += 1
    return float(n)


@fn("COUNTBLANK", 1, 1, refs=True)
def COUNTBLANK(a):
    vals = a.values() if a.__class__ is Area else [a]
    return float(sum(1 for v in vals if v is None or v == ""))


@fn("AVERAGE", 1, refs=True)
def AVERAGE(*args):
    total, n = 0.0, 0
    for v in _numbers(args):
        total += v
        n += 1
    if not n:
        raise XLError(DIV0)
    return finite(total / n)


@fn("MIN", refs=True)
def MIN(*args):
    vals = list(_numbers(args))
    return min(vals) if vals else 0.0


@fn("MAX", refs=True)
def MAX(*args):
    vals = list(_numbers(args))
    return max(vals) if vals else 0.0


# ------------------------------------------------------------------------------ maths

def _unary(name, f, domain=None, err=NUM):
    def impl(x):
        v = _num1(x)
        if domain is not None and not domain(v):
            raise XLError(err)
        try:
            return finite(f(v))
        except (OverflowError, ValueError):
            raise XLError(NUM) from None
    impl.__name__ = name
    FUNCTIONS[name] = Function(name, impl, min_args=1, max_args=1)


# Excel gives #NUM! for SQRT(-1) and LN(0); LibreOffice gives #VALUE! there (see
# /work/shared/reference/libreoffice.md).  EXP(1000) overflows: #NUM! in both.
_unary("ABS", abs)
_unary("SQRT", math.sqrt, lambda v: v >= 0)
_unary("EXP", math.exp)
_unary("LN", math.log, lambda v: v > 0)
_unary("LOG10", math.log10, lambda v: v > 0)
_unary("SIN", math.sin)
_unary("COS", math.cos)
_unary("TAN", math.tan)
_unary("TANH", math.tanh)
_unary("ATAN", math.atan)
_unary("INT", lambda v: float(math.floor(v)))
_unary("SIGN", lambda v: 1.0 if v > 0 else (-1.0 if v < 0 else 0.0))


@fn("LOG", 1, 2)
def LOG(x, base=None):
    v = _num1(x)
    b = 10.0 if base is None else _num1(base)
    if v <= 0 or b <= 0:
        raise XLError(NUM)
    if b == 1:
        raise XLError(DIV0)
    return finite(math.log(v) / math.log(b))


def power(a: float, b: float) -> float:
    """a^b as Excel: 0^0 and negative^fraction are #NUM!, 0^negative is #DIV/0!, overflow #NUM!.
    Computed with C pow() (Python's float **), as LibreOffice does, never as x*x."""
    if a == 0.0:
        if b == 0.0:
            raise XLError(NUM)
        if b < 0.0:
            raise XLError(DIV0)
        return 0.0
    if a < 0.0 and b != math.floor(b):
        raise XLError(NUM)
    try:
        r = a ** b
    except OverflowError:
        raise XLError(NUM) from None
    except ZeroDivisionError:
        raise XLError(DIV0) from None
    return finite(r)


@fn("POWER", 2, 2)
def POWER(a, b):
    return power(_num1(a), _num1(b))


@fn("MOD", 2, 2)
def MOD(a, b):
    x, y = _num1(a), _num1(b)
    if y == 0:
        raise XLError(DIV0)
    return finite(x - y * math.floor(x / y))


def _round(x, digits, mode):
    v, d = _num1(x), _num1(digits)
    d = int(d)  # Excel truncates the number of digits
    if v == 0.0:
        return 0.0
    try:
        q = Decimal(f"{v:.15g}")  # Excel rounds the 15-digit decimal it shows, not the binary
        r = q.quantize(Decimal(1).scaleb(-d), rounding=mode) if d > -309 else Decimal(0)
    except InvalidOperation:
        return v  # more digits than the number has
    return finite(float(r))


@fn("ROUND", 2, 2)
def ROUND(x, digits):
    return _round(x, digits, ROUND_HALF_UP)


@fn("ROUNDUP", 2, 2)
def ROUNDUP(x, digits):
    return _round(x, digits, ROUND_UP)


@fn("ROUNDDOWN", 2, 2)
def ROUNDDOWN(x, digits):
    return _round(x, digits, ROUND_DOWN)


@fn("TRUNC", 1, 2)
def TRUNC(x, digits=None):
    return _round(x, 0.0 if digits is None else digits, ROUND_DOWN)


@fn("PI", 0, 0)
def PI():
    return math.pi


# ------------------------------------------------------------------------------ logic

@fn("TRUE", 0, 0)
def TRUE():
    return True


@fn("FALSE", 0, 0)
def FALSE():
    return False


@fn("NOT", 1, 1)
def NOT(x):
    return not to_bool(_one(x))


def _bools(args):
    out = []
    for a in args:
        if a.__class__ is Area:
            for v in a.values():
                t = v.__class__
                if t is ExcelError:
                    raise XLError(v)
                if t is bool or t is float:
                    out.append(bool(v))
        elif a is not None:
            out.append(to_bool(a))
    if not out:
        raise XLError(VALUE)
    return out


@fn("AND", 1, refs=True)
def AND(*args):
    return all(_bools(args))  # every argument is evaluated: an error anywhere is the result


@fn("OR", 1, refs=True)
def OR(*args):
    return any(_bools(args))


@fn("IF", 2, 3, inline=True)
def IF(cond, then=True, otherwise=False):  # only for completeness: IF is compiled inline
    return then if to_bool(_one(cond)) else otherwise


@fn("IFERROR", 2, 2, raw=True, inline=True)
def IFERROR(x, alt):
    return alt if x.__class__ is ExcelError else x


@fn("IFNA", 2, 2, raw=True, inline=True)
def IFNA(x, alt):
    return alt if x is NA else x


@fn("NA", 0, 0)
def NA_():
    raise XLError(NA)


def _one_raw(x):
    if x.__class__ is Area:
        rows = x.rows
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else VALUE
    return x


@fn("ISERROR", 1, 1, raw=True)
def ISERROR(x):
    return _one_raw(x).__class__ is ExcelError


@fn("ISERR", 1, 1, raw=True)
def ISERR(x):
    v = _one_raw(x)
    return v.__class__ is ExcelError and v is not NA


@fn("ISNA", 1, 1, raw=True)
def ISNA(x):
    return _one_raw(x) is NA


@fn("ISNUMBER", 1, 1, raw=True)
def ISNUMBER(x):
    return _one_raw(x).__class__ is float


@fn("ISTEXT", 1, 1, raw=True)
def ISTEXT(x):
    return _one_raw(x).__class__ is str


@fn("ISLOGICAL", 1, 1, raw=True)
def ISLOGICAL(x):
    return _one_raw(x).__class__ is bool


@fn("ISBLANK", 1, 1, raw=True)
def ISBLANK(x):
    return _one_raw(x) is None


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


@fn("ROW", 0, 1, inline=True)
def ROW(*args):  # compiled inline: it needs the formula's own cell
    raise XLError(VALUE)


@fn("COLUMN", 0, 1, inline=True)
def COLUMN(*args):
    raise XLError(VALUE)


# ------------------------------------------------------------------------------ text

@fn("LEN", 1, 1)
def LEN(x):
    return float(len(to_text(_one(x))))


@fn("CONCATENATE", 1)
def CONCATENATE(*args):
    return "".join(to_text(_one(a)) for a in args)


# ------------------------------------------------------------------------------ volatile
# Their values change on every recalculation; `recalc` reports them (and the cells depending on
# them) instead of comparing.  RAND and RANDBETWEEN give fixed values so that the rest of a
# workbook is computed deterministically; NOW and TODAY read the clock.  OFFSET and INDIRECT
# build references at run time, which a static dependency order cannot follow: not implemented
# (#REF!), marked volatile.

_EPOCH = _dt.datetime(1899, 12, 30)


@fn("RAND", 0, 0, volatile=True)
def RAND():
    return 0.5


@fn("RANDBETWEEN", 2, 2, volatile=True)
def RANDBETWEEN(a, b):
    lo, hi = math.ceil(_num1(a)), math.floor(_num1(b))
    if lo > hi:
        raise XLError(NUM)
    return float(lo)


@fn("NOW", 0, 0, volatile=True)
def NOW():
    return (_dt.datetime.now() - _EPOCH) / _dt.timedelta(days=1)


@fn("TODAY", 0, 0, volatile=True)
def TODAY():
    return float((_dt.date.today() - _EPOCH.date()).days)


@fn("OFFSET", 3, 5, volatile=True)
def OFFSET(*args):
    raise XLError(REF)


@fn("INDIRECT", 1, 2, volatile=True)
def INDIRECT(*args):
    raise XLError(REF)
