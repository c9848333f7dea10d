"""Maths and aggregates: SUM, ROUND, trigonometry, ..."""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

from graddesc.engine.functions.base import (  # noqa: F401
    Area, FUNCTIONS, Function, _num1, _numbers, _one, finite, fn, number_text, to_bool, to_number,
    to_text,
)
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401


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
