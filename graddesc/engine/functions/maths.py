"""Maths and aggregates: SUM, ROUND, trigonometry, rounding to multiples, number systems, matrices.

Helpers other modules may use: `OMITTED` (the default of an optional argument that was not
written at all, as opposed to None for an empty cell or f(x,,y)), `power`, `_q15` (a quotient
taken as the 15-digit decimal Excel shows), `_atp_num` (Analysis ToolPak number: a logical value
is #VALUE!)."""

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


@fn("PERCENTOF", 2, 2, refs=True)
def PERCENTOF(data_subset, data_all):
    """PERCENTOF(subset, all) = SUM(subset) / SUM(all) (Excel 2024); a zero total is #DIV/0!."""
    part = math.fsum(_numbers([data_subset]))
    total = math.fsum(_numbers([data_all]))
    if total == 0.0:
        raise XLError(DIV0)
    return finite(part / total)


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


# ------------------------------------------------------------------------------ trigonometry
# Excel's reference: COT, CSC, SEC take |number| < 2^27 (#NUM! else), and a zero where the
# function has a pole is #DIV/0!.  The reference states the same limit for COTH, CSCH and SECH,
# but Excel does not apply it there (workbooks saved by Excel hold COTH(9999999999999) = 1): the
# limit protects the circular functions' argument reduction, which hyperbolic functions lack.

_TRIG_LIMIT = 134217728.0  # 2^27


def _limited(f, pole_at_zero=False, limit=_TRIG_LIMIT):
    def g(v):
        if limit is not None and abs(v) >= limit:
            raise XLError(NUM)
        if pole_at_zero and v == 0.0:
            raise XLError(DIV0)
        return f(v)
    return g


def _sech(v):
    return 0.0 if abs(v) > 710 else 1.0 / math.cosh(v)


def _csch(v):
    return 0.0 if abs(v) > 710 else 1.0 / math.sinh(v)


_unary("ACOS", math.acos, lambda v: -1.0 <= v <= 1.0)
_unary("ASIN", math.asin, lambda v: -1.0 <= v <= 1.0)
_unary("ACOSH", math.acosh, lambda v: v >= 1.0)
_unary("ASINH", math.asinh)
_unary("ATANH", math.atanh, lambda v: -1.0 < v < 1.0)
_unary("COSH", math.cosh)
_unary("SINH", math.sinh)
_unary("ACOT", lambda v: math.pi / 2 - math.atan(v))
_unary("ACOTH", lambda v: 0.5 * math.log((v + 1.0) / (v - 1.0)), lambda v: abs(v) > 1.0)
_unary("COT", _limited(lambda v: 1.0 / math.tan(v), True))
_unary("COTH", _limited(lambda v: 1.0 / math.tanh(v), True, None))
_unary("CSC", _limited(lambda v: 1.0 / math.sin(v), True))
_unary("CSCH", _limited(_csch, True, None))
_unary("SEC", _limited(lambda v: 1.0 / math.cos(v)))
_unary("SECH", _sech)
_unary("RADIANS", lambda v: v * (math.pi / 180.0))
_unary("DEGREES", lambda v: v * (180.0 / math.pi))


@fn("ATAN2", 2, 2)
def ATAN2(x, y):
    """ATAN2(x_num, y_num): the angle of the point (x, y); Excel's argument order is x first."""
    a, b = _num1(x), _num1(y)
    if a == 0.0 and b == 0.0:
        raise XLError(DIV0)
    return math.atan2(b, a)


# ------------------------------------------------------------------------------ integer maths
# FACTDOUBLE, GCD, LCM, MROUND, MULTINOMIAL, QUOTIENT, SERIESSUM and SQRTPI come from Excel's
# Analysis ToolPak: a logical value (typed or in a cell) is #VALUE! there, where Excel's core
# functions read TRUE as 1 (workbooks saved by Excel hold FACTDOUBLE(TRUE-cell) = #VALUE!).

def _atp_num(x) -> float:
    v = _one(x)
    if v.__class__ is bool:
        raise XLError(VALUE)
    return to_number(v)


def _atp_unary(name, f, domain):
    def impl(x):
        v = _atp_num(x)
        if not domain(v):
            raise XLError(NUM)
        return finite(f(v))
    impl.__name__ = name
    FUNCTIONS[name] = Function(name, impl, min_args=1, max_args=1)


def _int_arg(x) -> int:
    """An argument Excel truncates to an integer (FACT, COMBIN, ...)."""
    v = _num1(x)
    finite(v)
    return int(v)  # toward zero


@fn("PRODUCT", 1, refs=True)
def PRODUCT(*args):
    p, n = 1.0, 0
    for v in _numbers(args):
        p *= v
        n += 1
    return finite(p) if n else 0.0


_atp_unary("SQRTPI", lambda v: math.sqrt(v * math.pi), lambda v: v >= 0)


@fn("QUOTIENT", 2, 2)
def QUOTIENT(a, b):
    x, y = _atp_num(a), _atp_num(b)
    if y == 0.0:
        raise XLError(DIV0)
    # the quotient as the 15-digit decimal it shows, as for FLOOR: QUOTIENT(0.3,0.1) is 3 though
    # 0.3/0.1 is 2.9999999999999996 (LibreOffice agrees; the reference gives no such case)
    return finite(float(math.trunc(_q15(x / y))))


def _gcd_values(args):
    """GCD/LCM arguments (Analysis ToolPak rules): every value must be a number (numeric text
    typed as an argument counts); text, logical values and empty cells, in references too, are
    #VALUE!; errors propagate in order.  Then, once all are read, a negative value or one of
    2^53 or more is #NUM!; the numbers are truncated."""
    raw = []
    for a in args:
        if a.__class__ is Area:
            for v in a.values():
                if v.__class__ is float:
                    raw.append(v)
                elif v.__class__ is ExcelError:
                    raise XLError(v)
                else:
                    raise XLError(VALUE)
        elif a is None or a.__class__ is bool:
            raise XLError(VALUE)
        else:
            raw.append(to_number(a))
    for v in raw:
        if v < 0 or v >= 9007199254740992.0:
            raise XLError(NUM)
    return [int(v) for v in raw]


@fn("GCD", 1, refs=True)
def GCD(*args):
    g = 0
    for v in _gcd_values(args):
        g = math.gcd(g, v)
    return float(g)


@fn("LCM", 1, refs=True)
def LCM(*args):
    r = 1
    for v in _gcd_values(args):
        if v == 0:
            return 0.0
        r = r * v // math.gcd(r, v)
    return finite(float(r))


@fn("FACT", 1, 1)
def FACT(x):
    n = _int_arg(x)
    if n < 0 or n > 170:
        raise XLError(NUM)
    return float(math.factorial(n))


@fn("FACTDOUBLE", 1, 1)
def FACTDOUBLE(x):
    """n!! (n(n-2)(n-4)...); Excel gives 1 for -1 <= n < 1 (FACTDOUBLE(-1) = 1, the empty
    product, in saved workbooks) and #NUM! below -1."""
    v = finite(_atp_num(x))
    if v < -1 or v > 300:
        raise XLError(NUM)
    n = int(v)
    p = 1
    for k in range(n, 1, -2):
        p *= k
    return finite(float(p))


def _comb(n: int, k: int) -> float:
    k = min(k, n - k)
    if k > 1100:  # C(n, k) >= 2^k: beyond the largest double
        raise XLError(NUM)
    return finite(float(math.comb(n, k)))


@fn("COMBIN", 2, 2)
def COMBIN(n, k):
    a, b = _int_arg(n), _int_arg(k)
    if a < 0 or b < 0 or a < b:
        raise XLError(NUM)
    return _comb(a, b)


@fn("COMBINA", 2, 2)
def COMBINA(n, k):
    a, b = _int_arg(n), _int_arg(k)
    if a < 0 or b < 0:
        raise XLError(NUM)
    if a == 0:
        return 1.0 if b == 0 else 0.0
    return _comb(a + b - 1, b)


@fn("PERMUT", 2, 2)
def PERMUT(n, k):
    a, b = _int_arg(n), _int_arg(k)
    if a <= 0 or b < 0 or a < b:
        raise XLError(NUM)
    if b > 171:  # n!/(n-k)! >= k!
        raise XLError(NUM)
    return finite(float(math.perm(a, b)))


@fn("PERMUTATIONA", 2, 2)
def PERMUTATIONA(n, k):
    a, b = _int_arg(n), _int_arg(k)
    if a < 0 or b < 0:
        raise XLError(NUM)
    try:
        return finite(float(a) ** b)
    except OverflowError:
        raise XLError(NUM) from None


@fn("MULTINOMIAL", 1, refs=True)
def MULTINOMIAL(*args):
    ks = []
    for a in args:
        if a.__class__ is Area:
            for v in a.values():
                if v.__class__ is ExcelError:
                    raise XLError(v)
                if v.__class__ is not float and v is not None:
                    raise XLError(VALUE)
                ks.append(int(v or 0.0))
        else:
            ks.append(int(finite(_atp_num(a))))
    if any(k < 0 for k in ks):
        raise XLError(NUM)
    total, r = 0, 1.0
    for k in ks:
        total += k
        r *= _comb(total, k)
        finite(r)
    return r


# ------------------------------------------------------------------------------ rounding to multiples

def _q15(x: float) -> float:
    """x rounded to 15 significant digits: the quotient Excel rounds to a multiple is taken as
    the decimal it shows, so FLOOR(0.3,0.1) is 0.3 although 0.3/0.1 is 2.9999999999999996."""
    return float(f"{x:.15g}")


def _mult(q: float, s: float) -> float:
    r = q * s
    return finite(_q15(r)) if r != 0.0 else 0.0


class _Omitted:
    """Default of an optional argument that was not written at all: Excel gives it its default,
    while an empty cell or an empty argument (f(x,,y)) passed as None counts as 0."""

    def __repr__(self):
        return "<omitted>"


OMITTED = _Omitted()


def _opt_num(x, default):
    return default if x is OMITTED else _num1(x)


@fn("CEILING", 2, 2)
def CEILING(x, sig):
    v, s = _num1(x), _num1(sig)
    if s == 0.0 or v == 0.0:
        return 0.0
    if v > 0 and s < 0:
        raise XLError(NUM)
    if v < 0 and s < 0:  # away from zero
        return -_mult(math.ceil(_q15(-v / -s)), -s)
    return _mult(math.ceil(_q15(v / s)), s)


@fn("FLOOR", 2, 2)
def FLOOR(x, sig):
    v, s = _num1(x), _num1(sig)
    if s == 0.0:
        if v == 0.0:
            return 0.0
        raise XLError(DIV0)
    if v == 0.0:
        return 0.0
    if v > 0 and s < 0:
        raise XLError(NUM)
    if v < 0 and s < 0:  # toward zero
        return -_mult(math.floor(_q15(-v / -s)), -s)
    return _mult(math.floor(_q15(v / s)), s)


def _precise(x, sig, up, mode=OMITTED):
    v = _num1(x)
    s = abs(_opt_num(sig, 1.0))
    m = _opt_num(mode, 0.0)
    if s == 0.0 or v == 0.0:
        return 0.0
    if v < 0 and m != 0.0:  # .MATH with a mode: negative numbers go the other way
        r = (math.floor if up else math.ceil)(_q15(v / s))
    else:
        r = (math.ceil if up else math.floor)(_q15(v / s))
    return _mult(r, s)


@fn("CEILING.MATH", 1, 3)
def CEILING_MATH(x, sig=OMITTED, mode=OMITTED):
    return _precise(x, sig, True, mode)


@fn("FLOOR.MATH", 1, 3)
def FLOOR_MATH(x, sig=OMITTED, mode=OMITTED):
    return _precise(x, sig, False, mode)


@fn("CEILING.PRECISE", 1, 2)
def CEILING_PRECISE(x, sig=OMITTED):
    return _precise(x, sig, True)


FUNCTIONS["ISO.CEILING"] = Function("ISO.CEILING", CEILING_PRECISE, min_args=1, max_args=2)


@fn("FLOOR.PRECISE", 1, 2)
def FLOOR_PRECISE(x, sig=OMITTED):
    return _precise(x, sig, False)


@fn("MROUND", 2, 2)
def MROUND(x, multiple):
    v, m = _atp_num(x), _atp_num(multiple)
    if m == 0.0 or v == 0.0:
        return 0.0
    if (v > 0) != (m > 0):
        raise XLError(NUM)
    q = abs(_q15(v / m))
    n = math.floor(q + 0.5)  # half away from zero
    return math.copysign(_mult(n, abs(m)), v)


@fn("EVEN", 1, 1)
def EVEN(x):
    v = _num1(x)
    n = math.ceil(_q15(abs(v) / 2.0)) * 2
    return finite(math.copysign(float(n), v)) if n else 0.0


@fn("ODD", 1, 1)
def ODD(x):
    v = _num1(x)
    n = math.ceil(_q15(abs(v)))
    if n % 2 == 0:
        n += 1
    return finite(math.copysign(float(n), v))


# ------------------------------------------------------------------------------ sums of pairs

def _block(a):
    return a.rows if a.__class__ is Area else [[a]]


def _pairs(a, b):
    """The (x, y) pairs of two same-sized arrays where both are numbers (SUMX2MY2, ...): a
    different number of values is #N/A, an error in either propagates."""
    xs = [v for r in _block(a) for v in r]
    ys = [v for r in _block(b) for v in r]
    if len(xs) != len(ys):
        raise XLError(NA)
    for v in xs + ys:
        if v.__class__ is ExcelError:
            raise XLError(v)
    return [(x, y) for x, y in zip(xs, ys) if x.__class__ is float and y.__class__ is float]


@fn("SUMX2MY2", 2, 2, arrays=(0, 1))
def SUMX2MY2(a, b):
    return finite(math.fsum(x * x - y * y for x, y in _pairs(a, b)))


@fn("SUMX2PY2", 2, 2, arrays=(0, 1))
def SUMX2PY2(a, b):
    return finite(math.fsum(x * x + y * y for x, y in _pairs(a, b)))


@fn("SUMXMY2", 2, 2, arrays=(0, 1))
def SUMXMY2(a, b):
    return finite(math.fsum((x - y) ** 2 for x, y in _pairs(a, b)))


@fn("SERIESSUM", 4, 4, arrays=(3,))
def SERIESSUM(x, n, m, coefficients):
    xv, nv, mv = _atp_num(x), _atp_num(n), _atp_num(m)
    total = 0.0
    for i, c in enumerate(v for r in _block(coefficients) for v in r):
        if c.__class__ is ExcelError:
            raise XLError(c)
        if c.__class__ is not float:
            raise XLError(VALUE)
        total += c * power(xv, nv + i * mv)
    return finite(total)


# ------------------------------------------------------------------------------ number systems

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@fn("BASE", 2, 3)
def BASE(number, radix, min_length=None):
    v, r = _num1(number), _num1(radix)
    ml = 0.0 if min_length is None else _num1(min_length)
    if v < 0 or v >= 9007199254740992.0 or not 2 <= r <= 36 or not 0 <= ml <= 255:
        raise XLError(NUM)
    n, r, ml = int(v), int(r), int(ml)
    s = ""
    while n:
        n, d = divmod(n, r)
        s = _DIGITS[d] + s
    return (s or "0").rjust(ml, "0")


@fn("DECIMAL", 2, 2)
def DECIMAL(text, radix):
    t, r = to_text(_one(text)).strip(), _num1(radix)
    if not 2 <= r <= 36 or len(t) > 255:
        raise XLError(NUM)
    r = int(r)
    n = 0
    for ch in t.upper():
        d = _DIGITS.find(ch)
        if d < 0 or d >= r:
            raise XLError(NUM)
        n = n * r + d
    if n >= 9007199254740992:
        raise XLError(NUM)
    return float(n)


_ROMAN_CHARS = "MDCLXVI"
_ROMAN_VALUES = (1000, 500, 100, 50, 10, 5, 1)


@fn("ROMAN", 1, 2)
def ROMAN(number, form=None):
    """ROMAN(number, [form]): form 0 (or TRUE, omitted) classic, 1-3 more concise, 4 (or FALSE)
    simplified: for a digit 4 or 9 the subtracted numeral may come from further down the scale
    (as far as `form` steps allow), e.g. 499 is CDXCIX, LDVLIV, XDIX, VDIV, ID for forms 0..4."""
    v = _num1(number)
    f = 0.0 if form is None else (0.0 if form is True else 4.0 if form is False else _num1(form))
    if not 0 <= v < 4000 or not 0 <= f < 5:
        raise XLError(VALUE)
    val, mode = int(v), int(f)
    out = []
    for i in range(4):
        idx = 2 * i
        digit = val // _ROMAN_VALUES[idx]
        if digit % 5 == 4:
            idx2 = idx - 1 if digit == 4 else idx - 2
            steps = 0
            while steps < mode and idx < 6:
                steps += 1
                if _ROMAN_VALUES[idx2] - _ROMAN_VALUES[idx + 1] <= val:
                    idx += 1
                else:
                    steps = mode
            out.append(_ROMAN_CHARS[idx] + _ROMAN_CHARS[idx2])
            val += _ROMAN_VALUES[idx] - _ROMAN_VALUES[idx2]
        else:
            if digit > 4:
                out.append(_ROMAN_CHARS[idx - 1])
            out.append(_ROMAN_CHARS[idx] * (digit % 5))
            val %= _ROMAN_VALUES[idx]
    return "".join(out)


_ARABIC = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


@fn("ARABIC", 1, 1)
def ARABIC(text):
    t = _one(text)
    if t.__class__ is ExcelError:
        raise XLError(t)
    if t is None:
        return 0.0
    if t.__class__ is not str:
        raise XLError(VALUE)
    s = t.strip().upper()
    if len(s) > 255:
        raise XLError(VALUE)
    sign = 1.0
    if s.startswith("-"):
        sign, s = -1.0, s[1:]
    vals = []
    for ch in s:
        if ch not in _ARABIC:
            raise XLError(VALUE)
        vals.append(_ARABIC[ch])
    # right to left, a numeral smaller than the largest one to its right is subtracted:
    # "MXMVII" is 1997 (Microsoft's example), "IIIIIIV" is -1 (as Excel computes it)
    total = top = 0
    for d in reversed(vals):
        if d < top:
            total -= d
        else:
            total += d
            top = d
    return sign * total


# ------------------------------------------------------------------------------ matrices

def _matrix(a):
    """A range or array as a matrix of numbers: an empty cell or text is #VALUE!."""
    rows = _block(a)
    out = []
    for r in rows:
        row = []
        for v in r:
            if v.__class__ is float:
                row.append(v)
            elif v.__class__ is ExcelError:
                raise XLError(v)
            else:
                raise XLError(VALUE)
        out.append(row)
    return out


@fn("MMULT", 2, 2, arrays=(0, 1))
def MMULT(a, b):
    x, y = _matrix(a), _matrix(b)
    if len(x[0]) != len(y):
        raise XLError(VALUE)
    cols = list(zip(*y))
    return Area([[finite(math.fsum(p * q for p, q in zip(r, c))) for c in cols] for r in x])


def _lu(m):
    """LU decomposition with partial pivoting: (lu, permutation sign), (None, 0.0) if singular."""
    n = len(m)
    a = [list(r) for r in m]
    sign = 1.0
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(a[i][k]))
        if a[p][k] == 0.0:
            return None, 0.0
        if p != k:
            a[k], a[p] = a[p], a[k]
            sign = -sign
        for i in range(k + 1, n):
            f = a[i][k] / a[k][k]
            a[i][k] = f
            for j in range(k + 1, n):
                a[i][j] -= f * a[k][j]
    return a, sign


def _square(a):
    m = _matrix(a)
    if len(m) != len(m[0]):
        raise XLError(VALUE)
    return m


@fn("MDETERM", 1, 1, arrays=(0,))
def MDETERM(a):
    m = _square(a)
    lu, sign = _lu(m)
    if lu is None:
        return 0.0
    d = sign
    for i in range(len(m)):
        d *= lu[i][i]
    return finite(d)


@fn("MINVERSE", 1, 1, arrays=(0,))
def MINVERSE(a):
    """Gauss-Jordan elimination with partial pivoting; a singular matrix is #NUM!."""
    m = _square(a)
    n = len(m)
    aug = [list(r) + [1.0 if i == j else 0.0 for j in range(n)] for i, r in enumerate(m)]
    scale = max(abs(v) for r in m for v in r)
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(aug[i][k]))
        if scale == 0.0 or abs(aug[p][k]) <= scale * 1e-15 * n:
            raise XLError(NUM)
        aug[k], aug[p] = aug[p], aug[k]
        piv = aug[k][k]
        aug[k] = [v / piv for v in aug[k]]
        for i in range(n):
            if i != k and aug[i][k] != 0.0:
                f = aug[i][k]
                aug[i] = [v - f * w for v, w in zip(aug[i], aug[k])]
    return Area([[finite(v) for v in r[n:]] for r in aug])


_MAX_CELLS = 10_000_000  # an array result beyond this is #NUM! (Excel: out of resources)


@fn("MUNIT", 1, 1)
def MUNIT(dimension):
    n = _num1(dimension)
    if n < 1:
        raise XLError(VALUE)
    n = int(n)
    if n * n > _MAX_CELLS:
        raise XLError(NUM)
    return Area([[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)])


def _size(x, default=1.0) -> int:
    v = default if x is None else _num1(x)
    if v < 1 or v > 1048576:  # Excel: #CALC! for an empty array (not among graddesc's errors)
        raise XLError(VALUE)
    return int(v)


@fn("SEQUENCE", 1, 4)
def SEQUENCE(rows, columns=None, start=None, step=None):
    r, c = _size(rows), _size(columns)
    if r * c > _MAX_CELLS:
        raise XLError(NUM)
    a = 1.0 if start is None else _num1(start)
    s = 1.0 if step is None else _num1(step)
    return Area([[a + (i * c + j) * s for j in range(c)] for i in range(r)])


@fn("RANDARRAY", 0, 5, volatile=True)
def RANDARRAY(rows=None, columns=None, lo=None, hi=None, whole=None):
    """Volatile: like RAND (0.5) and RANDBETWEEN (the low end) it gives a fixed value so that the
    rest of a workbook recalculates deterministically; `recalc` reports volatile cells."""
    r, c = _size(rows), _size(columns)
    if r * c > _MAX_CELLS:
        raise XLError(NUM)
    a = 0.0 if lo is None else _num1(lo)
    b = 1.0 if hi is None else _num1(hi)
    w = False if whole is None else to_bool(_one(whole))
    if a > b:
        raise XLError(VALUE)
    if w:
        lo_i, hi_i = math.ceil(a), math.floor(b)
        if a != int(a) or b != int(b):
            raise XLError(VALUE)
        v = float(lo_i) if lo_i <= hi_i else a
    else:
        v = a + 0.5 * (b - a)
    return Area([[v] * c for _ in range(r)])
