"""Excel's functions: ONE table, name -> Function(implementation, metadata).

Implementations take evaluated arguments: scalars (float, str, bool, None, ExcelError) or Area
(a rectangular block of values from a range).  They raise XLError for an Excel error result.
Semantics follow Excel; where LibreOffice differs it is noted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError


class Area:
    """The values of a range, row by row."""

    __slots__ = ("rows",)

    def __init__(self, rows):
        self.rows = rows

    def values(self):
        for r in self.rows:
            yield from r


@dataclass(frozen=True)
class Function:
    name: str
    impl: object
    volatile: bool = False
    raw: bool = False  # arguments arrive with errors as values, not raised (ISERROR, IFERROR, ...)
    min_args: int = 0
    max_args: int = 255


FUNCTIONS: dict[str, Function] = {}


def fn(name, min_args=0, max_args=255, volatile=False, raw=False):
    def deco(impl):
        FUNCTIONS[name] = Function(name, impl, volatile, raw, min_args, max_args)
        return impl
    return deco


_NUMBER_TEXT = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$")


def to_number(v) -> float:
    """Scalar coercion as Excel's arithmetic does it."""
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
            return float(v)
        if v == "":
            raise XLError(VALUE)
        raise XLError(VALUE)
    if t is ExcelError:
        raise XLError(v)
    raise XLError(VALUE)  # an Area where a single value is needed


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
    raise XLError(VALUE)


def number_text(x: float) -> str:
    """A number as Excel's General format shows it in text (up to 15 significant digits)."""
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    s = f"{x:.15G}"
    if "E" in s:
        mant, exp = s.split("E")
        if "." in mant:
            mant = mant.rstrip("0").rstrip(".")
        return f"{mant}E{'-' if exp.startswith('-') else '+'}{exp.lstrip('+-').zfill(2)}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _numbers(args, strict_scalars=True):
    """Numbers of SUM-like arguments: from ranges, only numbers (text, booleans, empty ignored);
    direct scalar arguments are coerced (booleans and numeric text count)."""
    for a in args:
        if a.__class__ is Area:
            for v in a.values():
                t = v.__class__
                if t is float or t is int:
                    yield v
                elif t is ExcelError:
                    raise XLError(v)
        elif a is not None or not strict_scalars:
            yield to_number(a)


def _one(x):
    if x.__class__ is Area:
        rows = x.rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        raise XLError(VALUE)
    return x


def _num1(x):
    return to_number(_one(x))


@fn("SUM")
def SUM(*args):
    return finite(sum(_numbers(args), 0.0))  # left to right, as Excel adds


@fn("SUMSQ")
def SUMSQ(*args):
    return finite(sum((v * v for v in _numbers(args)), 0.0))


@fn("SUMPRODUCT", 1)
def SUMPRODUCT(*args):
    blocks = []
    for a in args:
        rows = a.rows if a.__class__ is Area else [[a]]
        blocks.append(rows)
    shape = (len(blocks[0]), len(blocks[0][0]) if blocks[0] else 0)
    for b in blocks:
        if (len(b), len(b[0]) if b else 0) != shape:
            raise XLError(VALUE)
    total = 0.0
    for i in range(shape[0]):
        for j in range(shape[1]):
            p = 1.0
            for b in blocks:
                v = b[i][j]
                if v.__class__ is ExcelError:
                    raise XLError(v)
                p *= v if (v.__class__ is float or v.__class__ is int) else 0.0
            total += p
    return finite(total)


@fn("COUNT")
def COUNT(*args):
    n = 0
    for a in args:
        if a.__class__ is Area:
            n += sum(1 for v in a.values() if v.__class__ is float or v.__class__ is int)
        else:
            try:
                to_number(a)
                n += a is not None
            except XLError:
                pass
    return float(n)


@fn("COUNTA")
def COUNTA(*args):
    n = 0
    for a in args:
        if a.__class__ is Area:
            n += sum(1 for v in a.values() if v is not None)
        else:
            n += 1
    return float(n)


@fn("AVERAGE", 1)
def AVERAGE(*args):
    vals = list(_numbers(args))
    if not vals:
        raise XLError(DIV0)
    return finite(sum(vals, 0.0) / len(vals))


@fn("MIN")
def MIN(*args):
    vals = list(_numbers(args))
    return min(vals) if vals else 0.0


@fn("MAX")
def MAX(*args):
    vals = list(_numbers(args))
    return max(vals) if vals else 0.0


def _unary(name, f, domain=None, err=NUM):
    def impl(x):
        v = _num1(x)
        if domain is not None and not domain(v):
            raise XLError(err)
        try:
            return finite(f(v))
        except (OverflowError, ValueError):
            raise XLError(NUM) from None
    FUNCTIONS[name] = Function(name, impl, min_args=1, max_args=1)


# Excel gives #NUM! for SQRT(-1) and LN(0); LibreOffice gives #VALUE! there (see the reference).
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
def LOG(x, base=10.0):
    v, b = _num1(x), _num1(base) if base is not None else 10.0
    if v <= 0 or b <= 0:
        raise XLError(NUM)
    if b == 1:
        raise XLError(DIV0)
    return finite(math.log(v) / math.log(b))


def power(a: float, b: float) -> float:
    """a^b as Excel: 0^0 and negative^fraction are #NUM!, 0^negative is #DIV/0!; C pow()."""
    if a == 0.0:
        if b == 0.0:
            raise XLError(NUM)
        if b < 0.0:
            raise XLError(DIV0)
        return 0.0
    if a < 0.0 and b != int(b):
        raise XLError(NUM)
    try:
        r = a ** b
    except OverflowError:
        raise XLError(NUM) from None
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


@fn("ROUND", 2, 2)
def ROUND(x, digits):
    v, d = _num1(x), int(_num1(digits))
    m = 10.0 ** d
    r = math.floor(abs(v) * m + 0.5) / m
    return finite(math.copysign(r, v))


@fn("PI", 0, 0)
def PI():
    return math.pi


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
    seen = False
    for a in args:
        if a.__class__ is Area:
            for v in a.values():
                if v.__class__ is ExcelError:
                    raise XLError(v)
                if v.__class__ in (bool, float, int):
                    seen = True
                    yield bool(v)
        elif a is not None:
            seen = True
            yield to_bool(a)
    if not seen:
        raise XLError(VALUE)


@fn("AND", 1)
def AND(*args):
    return all(list(_bools(args)))


@fn("OR", 1)
def OR(*args):
    return any(list(_bools(args)))


@fn("NA", 0, 0)
def NA_():
    raise XLError(NA)


@fn("ISERROR", 1, 1, raw=True)
def ISERROR(x):
    return _one_raw(x).__class__ is ExcelError


@fn("ISNA", 1, 1, raw=True)
def ISNA(x):
    return _one_raw(x) is NA


@fn("ISNUMBER", 1, 1, raw=True)
def ISNUMBER(x):
    return _one_raw(x).__class__ in (float, int)


@fn("ISTEXT", 1, 1, raw=True)
def ISTEXT(x):
    return _one_raw(x).__class__ is str


@fn("ISBLANK", 1, 1, raw=True)
def ISBLANK(x):
    return _one_raw(x) is None


def _one_raw(x):
    if x.__class__ is Area:
        rows = x.rows
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else VALUE
    return x


@fn("INDEX", 2, 3)
def INDEX(area, row, col=None):
    rows = area.rows if area.__class__ is Area else [[area]]
    r = int(_num1(row))
    c = int(_num1(col)) if col is not None else 1
    if len(rows) == 1 and col is None:  # a single row: the index runs along it
        r, c = 1, r
    if r < 1 or c < 1 or r > len(rows) or c > len(rows[0]):
        raise XLError(REF)
    v = rows[r - 1][c - 1]
    if v.__class__ is ExcelError:
        raise XLError(v)
    return v


# Volatile functions: their values change on every recalculation; `recalc` reports them (and the
# cells depending on them) instead of comparing.  RAND/RANDBETWEEN/NOW/TODAY are evaluated with a
# fixed value only so that the rest of a workbook can still be computed.


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
    return 45658.0  # 2025-01-01 as an Excel serial date


@fn("TODAY", 0, 0, volatile=True)
def TODAY():
    return 45658.0


@fn("OFFSET", 3, 5, volatile=True)
def OFFSET(*args):
    raise XLError(VALUE)  # needs reference arithmetic at run time; reported as volatile


@fn("INDIRECT", 1, 2, volatile=True)
def INDIRECT(*args):
    raise XLError(REF)  # reported as volatile, never compared

# ROW(), COLUMN(), IF, IFERROR and IFNA are compiled specially (see compiler.py).
SPECIAL = {"IF", "IFERROR", "IFNA", "ROW", "COLUMN"}
