"""Statistics and probability distributions: MEDIAN, STDEV, NORM.DIST, LINEST, ...

Range rules (Excel's): in a reference or array, text, booleans and empty cells are ignored and
errors propagate; typed arguments are coerced ("2" and TRUE count).  The *A variants (STDEVA,
AVERAGEA, MAXA, ...) count text in references as 0 and booleans as 1/0.

The special functions are computed here in pure Python (no scipy): log-gamma from math.lgamma,
Loader's saddle-point binomial/Poisson densities (stirlerr, bd0, as in R's nmath) for accurate
probability masses, Lentz continued fractions for the regularized incomplete gamma and beta
functions, Wichura's AS241 for the inverse normal (plus a Newton step), and a safeguarded Newton
iteration on the distribution function for the other inverses."""

from __future__ import annotations

import bisect
import math

from graddesc.engine.functions.base import (  # noqa: F401
    CTX, FUNCTIONS, Area, Function, _num1, _numbers, _one, finite, fn, number_text, to_bool,
    to_number, to_text,
)
from graddesc.engine.functions.maths import OMITTED
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError

_EPS = 2.220446049250313e-16


def _alias(name, impl_name, min_args=None, max_args=None):
    f = FUNCTIONS[impl_name]
    FUNCTIONS[name] = Function(name, f.impl, f.volatile, f.refs, f.min_args if min_args is None else min_args,
                               f.max_args if max_args is None else max_args, f.arrays, f.arrays_from)


# ------------------------------------------------------------------------------ collecting values

def _nums(args) -> list:
    return list(_numbers(args))


def _a_nums(args) -> list:
    """Values of the *A functions: in references text counts 0, TRUE 1, FALSE 0, empty cells are
    skipped; typed arguments are coerced (text that is not a number is #VALUE!)."""
    out = []
    for a in args:
        if a.__class__ is Area:
            for v in a.values():
                t = v.__class__
                if t is float:
                    out.append(v)
                elif t is bool:
                    out.append(1.0 if v else 0.0)
                elif t is str:
                    out.append(0.0)
                elif t is ExcelError:
                    raise XLError(v)
        elif a is not None:
            out.append(to_number(a))
    return out


def _array_nums(a) -> list:
    """The numbers of an array argument (LARGE's array, PERCENTILE's array): text, booleans and
    empty cells skipped, errors propagate; a typed scalar is coerced."""
    if a.__class__ is Area:
        out = []
        for v in a.values():
            if v.__class__ is float:
                out.append(v)
            elif v.__class__ is ExcelError:
                raise XLError(v)
        return out
    if a is None:
        return []
    return [to_number(a)]


def _cells(a) -> list:
    """All values of an array argument in row order (a scalar is a one-value array)."""
    return list(a.values()) if a.__class__ is Area else [a]


def _shape(a):
    if a.__class__ is Area:
        return len(a.rows), len(a.rows[0]) if a.rows else 0
    return 1, 1


def _paired(a, b):
    """(xs, ys) of two arrays taken pairwise, keeping the pairs where both are numbers: a
    different number of cells is #N/A; errors propagate pair by pair, the first array's before
    the second's within a pair (SLOPE(y, x) with an error at y2 and at x1 is x1's error, as
    Excel computes it)."""
    xs, ys = _cells(a), _cells(b)
    if len(xs) != len(ys):
        raise XLError(NA)
    px, py = [], []
    for x, y in zip(xs, ys):
        if x.__class__ is ExcelError:
            raise XLError(x)
        if y.__class__ is ExcelError:
            raise XLError(y)
        if x.__class__ is float and y.__class__ is float:
            px.append(x)
            py.append(y)
    return px, py


def _int(x) -> int:
    """An argument Excel truncates to an integer."""
    return int(finite(_num1(x)))


def _bool(x) -> bool:
    return to_bool(_one(x))


def _typed(kinds):
    """Convert every argument first (kinds: "n" number, "b" logical), so that a #VALUE! or an
    error value in any argument wins over a #NUM! domain check on an earlier one, as in Excel."""
    def deco(impl):
        def wrapper(*args):
            for k, a in zip(kinds, args):
                if a is not None:
                    _bool(a) if k == "b" else _num1(a)
            return impl(*args)
        wrapper.__name__ = impl.__name__
        wrapper.__doc__ = impl.__doc__
        return wrapper
    return deco


def _mean(xs):
    return math.fsum(xs) / len(xs)


def _ss(xs, m=None):
    """Sum of squared deviations from the mean, two-pass with exact summation."""
    if m is None:
        m = _mean(xs)
    return math.fsum((x - m) * (x - m) for x in xs)


# ------------------------------------------------------------------------------ central tendency

@fn("MEDIAN", 1, refs=True)
def MEDIAN(*args):
    xs = sorted(_nums(args))
    n = len(xs)
    if not n:
        raise XLError(NUM)
    h = n // 2
    return xs[h] if n % 2 else (xs[h - 1] + xs[h]) / 2.0


def _modes(args):
    """MODE's arguments are arrays, typed ones too: a typed text or logical value is skipped like
    one in a range (MODE.SNGL(A1:B2,"") is A1:B2's mode in Excel), an empty argument is #VALUE!."""
    xs = []
    for a in args:
        if a is None:
            raise XLError(VALUE)
        for v in _cells(a):
            if v.__class__ is float:
                xs.append(v)
            elif v.__class__ is ExcelError:
                raise XLError(v)
    counts, order = {}, []
    for x in xs:
        if x not in counts:
            counts[x] = 0
            order.append(x)
        counts[x] += 1
    best = max(counts.values(), default=0)
    if best < 2:
        raise XLError(NA)
    return [x for x in order if counts[x] == best]


@fn("MODE.SNGL", 1, refs=True)
def MODE_SNGL(*args):
    return _modes(args)[0]


@fn("MODE.MULT", 1, refs=True)
def MODE_MULT(*args):
    return Area([[x] for x in _modes(args)])


_alias("MODE", "MODE.SNGL")


@fn("AVERAGEA", 1, refs=True)
def AVERAGEA(*args):
    xs = _a_nums(args)
    if not xs:
        raise XLError(DIV0)
    return finite(math.fsum(xs) / len(xs))


@fn("MAXA", 1, refs=True)
def MAXA(*args):
    xs = _a_nums(args)
    return max(xs) if xs else 0.0


@fn("MINA", 1, refs=True)
def MINA(*args):
    xs = _a_nums(args)
    return min(xs) if xs else 0.0


@fn("GEOMEAN", 1, refs=True)
def GEOMEAN(*args):
    xs = _nums(args)
    if not xs or any(x <= 0 for x in xs):
        raise XLError(NUM)
    return finite(math.exp(math.fsum(math.log(x) for x in xs) / len(xs)))


@fn("HARMEAN", 1, refs=True)
def HARMEAN(*args):
    xs = _nums(args)
    if not xs or any(x <= 0 for x in xs):
        raise XLError(NUM)
    return finite(len(xs) / math.fsum(1.0 / x for x in xs))


def _q15(x: float) -> float:
    return float(f"{x:.15g}")


@fn("TRIMMEAN", 2, 2, arrays=(0,))
def TRIMMEAN(array, percent):
    p = _num1(percent)
    xs = sorted(_array_nums(array))
    if not xs or p < 0 or p >= 1:
        raise XLError(NUM)
    k = int(_q15(len(xs) * p)) // 2  # excluded points rounded down to a multiple of 2
    xs = xs[k:len(xs) - k]
    return finite(math.fsum(xs) / len(xs))


# ------------------------------------------------------------------------------ order statistics

def _kth(array, k, largest):
    kv = _num1(k)  # Excel reads k before the array: LARGE({1,#N/A},#DIV/0!) is #DIV/0!
    xs = _array_nums(array)
    n = len(xs)
    if not n:
        raise XLError(NUM)
    kk = math.ceil(_q15(kv))
    if kk < 1 or kk > n:
        raise XLError(NUM)
    xs.sort(reverse=largest)
    return xs[kk - 1]


@fn("LARGE", 2, 2, arrays=(0,))
def LARGE(array, k):
    return _kth(array, k, True)


@fn("SMALL", 2, 2, arrays=(0,))
def SMALL(array, k):
    return _kth(array, k, False)


def _rank(number, ref, order, avg):
    x = _num1(number)
    xs = _array_nums(ref)
    asc = order is not None and _num1(order) != 0
    if x not in xs:
        raise XLError(NA)
    better = sum(1 for v in xs if (v < x if asc else v > x))
    if not avg:
        return float(better + 1)
    ties = sum(1 for v in xs if v == x)
    return better + (ties + 1) / 2.0


@fn("RANK.EQ", 2, 3, arrays=(1,))
def RANK_EQ(number, ref, order=None):
    return _rank(number, ref, order, False)


@fn("RANK.AVG", 2, 3, arrays=(1,))
def RANK_AVG(number, ref, order=None):
    return _rank(number, ref, order, True)


_alias("RANK", "RANK.EQ")


def _interp(xs, h):
    """xs sorted; h a 0-based fractional position."""
    i = math.floor(h)
    f = h - i
    if i + 1 >= len(xs) or f == 0.0:
        return xs[min(i, len(xs) - 1)]
    return xs[i] + f * (xs[i + 1] - xs[i])


def _percentile_inc(xs, k):
    if not xs or k < 0 or k > 1:
        raise XLError(NUM)
    xs = sorted(xs)
    return _interp(xs, k * (len(xs) - 1))


def _percentile_exc(xs, k):
    n = len(xs)
    if not n or k <= 0 or k >= 1:
        raise XLError(NUM)
    h = k * (n + 1)
    if h < 1 or h > n:
        raise XLError(NUM)
    return _interp(sorted(xs), h - 1)


@fn("PERCENTILE.INC", 2, 2, arrays=(0,))
def PERCENTILE_INC(array, k):
    kv = _num1(k)
    return _percentile_inc(_array_nums(array), kv)


@fn("PERCENTILE.EXC", 2, 2, arrays=(0,))
def PERCENTILE_EXC(array, k):
    kv = _num1(k)
    return _percentile_exc(_array_nums(array), kv)


_alias("PERCENTILE", "PERCENTILE.INC")


@fn("QUARTILE.INC", 2, 2, arrays=(0,))
def QUARTILE_INC(array, quart):
    q = _num1(quart)
    xs = _array_nums(array)
    if q < 0:  # checked before truncation: QUARTILE(x,-0.1) is #NUM! in Excel
        raise XLError(NUM)
    q = int(q)
    if q > 4:
        raise XLError(NUM)
    return _percentile_inc(xs, q / 4.0)


@fn("QUARTILE.EXC", 2, 2, arrays=(0,))
def QUARTILE_EXC(array, quart):
    q = _num1(quart)
    xs = _array_nums(array)
    q = int(q)
    if q <= 0 or q >= 4:
        raise XLError(NUM)
    return _percentile_exc(xs, q / 4.0)


_alias("QUARTILE", "QUARTILE.INC")


def _percentrank(array, x, significance, exclusive):
    v = _num1(x)
    d = 3.0 if significance is OMITTED else _num1(significance)
    xs = sorted(_array_nums(array))
    if d < 1:
        raise XLError(NUM)
    d = int(d)
    n = len(xs)
    if not n or v < xs[0] or v > xs[-1]:
        raise XLError(NA)
    below = sum(1 for t in xs if t < v)
    if xs[below] == v:
        pos = float(below)
    else:  # between xs[below-1] and xs[below]
        lo, hi = xs[below - 1], xs[below]
        pos = below - 1 + (v - lo) / (hi - lo)
    if exclusive:
        r = (pos + 1.0) / (n + 1)
    else:
        r = 1.0 if n == 1 else pos / (n - 1)
    scale = 10.0 ** d
    return math.floor(_q15(r * scale)) / scale  # truncated to `significance` digits


@fn("PERCENTRANK.INC", 2, 3, arrays=(0,))
def PERCENTRANK_INC(array, x, significance=OMITTED):
    return _percentrank(array, x, significance, False)


@fn("PERCENTRANK.EXC", 2, 3, arrays=(0,))
def PERCENTRANK_EXC(array, x, significance=OMITTED):
    return _percentrank(array, x, significance, True)


_alias("PERCENTRANK", "PERCENTRANK.INC")


# ------------------------------------------------------------------------------ dispersion

def _var(xs, sample):
    n = len(xs)
    if n < (2 if sample else 1):
        raise XLError(DIV0)
    return _ss(xs) / (n - 1 if sample else n)


def _reg_var(name, sample, a_variant, sqrt):
    def impl(*args):
        xs = _a_nums(args) if a_variant else _nums(args)
        v = _var(xs, sample)
        return finite(math.sqrt(v) if sqrt else v)
    impl.__name__ = name.replace(".", "_")
    FUNCTIONS[name] = Function(name, impl, refs=True, min_args=1)


for _name, _s, _a, _sq in [("STDEV.S", True, False, True), ("STDEV", True, False, True),
                           ("STDEV.P", False, False, True), ("STDEVP", False, False, True),
                           ("STDEVA", True, True, True), ("STDEVPA", False, True, True),
                           ("VAR.S", True, False, False), ("VAR", True, False, False),
                           ("VAR.P", False, False, False), ("VARP", False, False, False),
                           ("VARA", True, True, False), ("VARPA", False, True, False)]:
    _reg_var(_name, _s, _a, _sq)


@fn("AVEDEV", 1, refs=True)
def AVEDEV(*args):
    xs = _nums(args)
    if not xs:
        raise XLError(NUM)
    m = _mean(xs)
    return finite(math.fsum(abs(x - m) for x in xs) / len(xs))


@fn("DEVSQ", 1, refs=True)
def DEVSQ(*args):
    xs = _nums(args)
    if not xs:
        raise XLError(NUM)
    return finite(_ss(xs))


@fn("KURT", 1, refs=True)
def KURT(*args):
    xs = _nums(args)
    n = len(xs)
    if n < 4:
        raise XLError(DIV0)
    m = _mean(xs)
    s2 = _ss(xs, m) / (n - 1)
    if s2 == 0:
        raise XLError(DIV0)
    m4 = math.fsum(((x - m) ** 2 / s2) ** 2 for x in xs)
    return finite(n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * m4 - 3.0 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


def _skew(xs, sample):
    n = len(xs)
    if n < 3:  # both SKEW and SKEW.P: fewer than three data points is #DIV/0! (reference)
        raise XLError(DIV0)
    m = _mean(xs)
    s = math.sqrt(_ss(xs, m) / (n - 1 if sample else n))
    if s == 0:
        raise XLError(DIV0)
    m3 = math.fsum(((x - m) / s) ** 3 for x in xs)
    return finite(n / ((n - 1) * (n - 2)) * m3 if sample else m3 / n)


@fn("SKEW", 1, refs=True)
def SKEW(*args):
    return _skew(_nums(args), True)


@fn("SKEW.P", 1, refs=True)
def SKEW_P(*args):
    return _skew(_nums(args), False)


@fn("STANDARDIZE", 3, 3)
@_typed("nnn")
def STANDARDIZE(x, mean, sd):
    v, m, s = _num1(x), _num1(mean), _num1(sd)
    if s <= 0:
        raise XLError(NUM)
    return finite((v - m) / s)


# ------------------------------------------------------------------------------ two variables

def _cov(a, b, sample):
    xs, ys = _paired(a, b)
    n = len(xs)
    if n < (2 if sample else 1):
        raise XLError(DIV0)
    mx, my = _mean(xs), _mean(ys)
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (n - 1 if sample else n)


@fn("COVARIANCE.P", 2, 2, arrays=(0, 1))
def COVARIANCE_P(a, b):
    return finite(_cov(a, b, False))


@fn("COVARIANCE.S", 2, 2, arrays=(0, 1))
def COVARIANCE_S(a, b):
    return finite(_cov(a, b, True))


_alias("COVAR", "COVARIANCE.P")


def _moments(a, b, y_first=False):
    """(n, mean x, mean y, Sxx, Syy, Sxy) of the numeric pairs (x from a, y from b; y_first:
    the arrays are given as (y, x), as SLOPE's are)."""
    if y_first:
        ys, xs = _paired(b, a)
    else:
        xs, ys = _paired(a, b)
    n = len(xs)
    if not n:
        raise XLError(DIV0)
    mx, my = _mean(xs), _mean(ys)
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys))
    return n, mx, my, sxx, syy, sxy


@fn("CORREL", 2, 2, arrays=(0, 1))
def CORREL(a, b):
    _, _, _, sxx, syy, sxy = _moments(a, b)
    if sxx == 0 or syy == 0:
        raise XLError(DIV0)
    return finite(sxy / math.sqrt(sxx * syy))


_alias("PEARSON", "CORREL")


@fn("RSQ", 2, 2, arrays=(0, 1))
def RSQ(a, b):
    _, _, _, sxx, syy, sxy = _moments(a, b)
    if sxx == 0 or syy == 0:
        raise XLError(DIV0)
    return finite(sxy / sxx * (sxy / syy))


@fn("SLOPE", 2, 2, arrays=(0, 1))
def SLOPE(known_y, known_x):
    _, _, _, sxx, _, sxy = _moments(known_x, known_y, True)
    if sxx == 0:
        raise XLError(DIV0)
    return finite(sxy / sxx)


@fn("INTERCEPT", 2, 2, arrays=(0, 1))
def INTERCEPT(known_y, known_x):
    _, mx, my, sxx, _, sxy = _moments(known_x, known_y, True)
    if sxx == 0:
        raise XLError(DIV0)
    return finite(my - sxy / sxx * mx)


@fn("STEYX", 2, 2, arrays=(0, 1))
def STEYX(known_y, known_x):
    n, _, _, sxx, syy, sxy = _moments(known_x, known_y, True)
    if n < 3 or sxx == 0:
        raise XLError(DIV0)
    return finite(math.sqrt(max(0.0, syy - sxy * sxy / sxx) / (n - 2)))


@fn("FORECAST.LINEAR", 3, 3, arrays=(1, 2))
def FORECAST_LINEAR(x, known_y, known_x):
    v = _num1(x)
    _, mx, my, sxx, _, sxy = _moments(known_x, known_y, True)
    if sxx == 0:
        raise XLError(DIV0)
    b = sxy / sxx
    return finite(my + b * (v - mx))


_alias("FORECAST", "FORECAST.LINEAR")


# ------------------------------------------------------------------------------ special functions

_LN_SQRT_2PI = 0.918938533204672741780329736406  # log(sqrt(2*pi))
_SQRT2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)

# stirlerr(n) = log(n!) - log(sqrt(2*pi*n)*(n/e)^n) at n = 0, 0.5, ..., 15 (Loader 2000, as in R)
_SFERR_HALVES = (
    0.0, 0.1534264097200273452913848, 0.0810614667953272582196702, 0.0548141210519176538961390,
    0.0413406959554092940938221, 0.03316287351993628748511048, 0.02767792568499833914878929,
    0.02374616365629749597132920, 0.02079067210376509311152277, 0.01848845053267318523077934,
    0.01664469118982119216319487, 0.01513497322191737887351255, 0.01387612882307074799874573,
    0.01281046524292022692424986, 0.01189670994589177009505572, 0.01110455975820691732662991,
    0.010411265261972096497478567, 0.009799416126158803298389475, 0.009255462182712732917728637,
    0.008768700134139385462952823, 0.008330563433362871256469318, 0.007934114564314020547248100,
    0.007573675487951840794972024, 0.007244554301320383179543912, 0.006942840107209529865664152,
    0.006665247032707682442354394, 0.006408994188004207068439631, 0.006171712263039457647532867,
    0.005951370112758847735624416, 0.005746216513010115682023589, 0.005554733551962801371038690)


def _stirlerr(n: float) -> float:
    """log(Gamma(n+1)) - log(sqrt(2 pi n) (n/e)^n), accurate for all n > 0."""
    if n <= 15.0:
        nn = n + n
        if nn == int(nn):
            return _SFERR_HALVES[int(nn)]
        return math.lgamma(n + 1.0) - (n + 0.5) * math.log(n) + n - _LN_SQRT_2PI
    nn = n * n
    s0, s1, s2, s3, s4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188
    if n > 500:
        return (s0 - s1 / nn) / n
    if n > 80:
        return (s0 - (s1 - s2 / nn) / nn) / n
    if n > 35:
        return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n


def _bd0(x: float, np_: float) -> float:
    """x log(x/np) + np - x, without cancellation when x is close to np."""
    if abs(x - np_) < 0.1 * (x + np_):
        v = (x - np_) / (x + np_)
        s = (x - np_) * v
        ej = 2.0 * x * v
        v = v * v
        for j in range(1, 1000):
            ej *= v
            s1 = s + ej / (2 * j + 1)
            if s1 == s:
                return s1
            s = s1
        return s
    return x * math.log(x / np_) + np_ - x


def _dbinom_raw(x: float, n: float, p: float, q: float) -> float:
    """C(n, x) p^x q^(n-x) for real x, n (Loader's saddle-point form)."""
    if p == 0.0:
        return 1.0 if x == 0 else 0.0
    if q == 0.0:
        return 1.0 if x == n else 0.0
    if x == 0:
        if n == 0:
            return 1.0
        lc = -_bd0(n, n * q) - n * p if p < 0.1 else n * math.log(q)
        return math.exp(lc)
    if x == n:
        lc = -_bd0(n, n * p) - n * q if q < 0.1 else n * math.log(p)
        return math.exp(lc)
    if x < 0 or x > n:
        return 0.0
    lc = _stirlerr(n) - _stirlerr(x) - _stirlerr(n - x) - _bd0(x, n * p) - _bd0(n - x, n * q)
    lf = math.log(2.0 * math.pi) + math.log(x) + math.log1p(-x / n)
    return math.exp(lc - 0.5 * lf)


def _dpois_raw(x: float, lam: float) -> float:
    """lam^x e^-lam / Gamma(x+1) for real x >= 0."""
    if lam == 0.0:
        return 1.0 if x == 0 else 0.0
    if x == 0:
        return math.exp(-lam)
    if x < 0:
        return 0.0
    return math.exp(-_stirlerr(x) - _bd0(x, lam)) / math.sqrt(2.0 * math.pi * x)


_FPMIN = 1e-300
_MAX_TERMS = 30000  # series / continued-fraction terms before giving up with #NUM!


def _gamma_pq(a: float, x: float):
    """Regularized incomplete gamma (P(a, x), Q(a, x)), each computed directly where it is the
    small one (series below a+1, Lentz continued fraction above)."""
    if x <= 0.0:
        return 0.0, 1.0
    if math.isinf(x):
        return 1.0, 0.0
    if a > 1e7:
        # the series and the fraction need ~sqrt(a) terms: Wilson-Hilferty's cube-root normal
        # approximation instead, relative error O(1/a) (CHISQ.DIST allows df up to 1e10)
        z = ((x / a) ** (1.0 / 3.0) - (1.0 - 1.0 / (9.0 * a))) / math.sqrt(1.0 / (9.0 * a))
        return _norm_pq(z)
    if x < a + 1.0:
        term = total = 1.0
        k = a
        for _ in range(_MAX_TERMS):
            k += 1.0
            term *= x / k
            total += term
            if term < total * 1e-17:
                break
        else:
            raise XLError(NUM)  # not converged: parameters beyond this implementation's range
        p = _dpois_raw(a, x) * total
        return p, 1.0 - p
    b = x + 1.0 - a
    c = 1.0 / _FPMIN
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_TERMS):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        if abs(d) < _FPMIN:
            d = _FPMIN
        c = b + an / c
        if abs(c) < _FPMIN:
            c = _FPMIN
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    else:
        raise XLError(NUM)
    q = a * _dpois_raw(a, x) / x * (x * h)  # e^-x x^a / Gamma(a) * h
    return 1.0 - q, q


def _betacf(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    if abs(d) < _FPMIN:
        d = _FPMIN
    d = 1.0 / d
    h = d
    for m in range(1, _MAX_TERMS):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        if abs(d) < _FPMIN:
            d = _FPMIN
        c = 1.0 + aa / c
        if abs(c) < _FPMIN:
            c = _FPMIN
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        if abs(d) < _FPMIN:
            d = _FPMIN
        c = 1.0 + aa / c
        if abs(c) < _FPMIN:
            c = _FPMIN
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    else:
        raise XLError(NUM)
    return h


def _beta_front(a: float, b: float, x: float) -> float:
    """x^a (1-x)^b / (a B(a, b)), through Loader's binomial density for accuracy."""
    return b / (a + b) * _dbinom_raw(a, a + b, x, 1.0 - x)


def _beta_iq(a: float, b: float, x: float):
    """Regularized incomplete beta (I_x(a, b), 1 - I_x(a, b)), the smaller one computed directly."""
    if x <= 0.0:
        return 0.0, 1.0
    if x >= 1.0:
        return 1.0, 0.0
    if x < (a + 1.0) / (a + b + 2.0):
        i = _beta_front(a, b, x) * _betacf(a, b, x)
        return i, 1.0 - i
    j = _beta_front(b, a, 1.0 - x) * _betacf(b, a, 1.0 - x)
    return 1.0 - j, j


def _beta_pdf(a: float, b: float, x: float) -> float:
    if x == 0.0:
        if a < 1:
            raise XLError(NUM)
        return b if a == 1 else 0.0  # Beta(1, b) density at 0 is b
    if x == 1.0:
        if b < 1:
            raise XLError(NUM)
        return a if b == 1 else 0.0
    return a * b / (a + b) * _dbinom_raw(a, a + b, x, 1.0 - x) / (x * (1.0 - x))


def _norm_pq(z: float):
    """(P(Z <= z), P(Z > z)) of the standard normal, each from erfc for accurate tails."""
    return 0.5 * math.erfc(-z / _SQRT2), 0.5 * math.erfc(z / _SQRT2)


def _phi(z: float) -> float:
    return math.exp(-0.5 * z * z) / _SQRT_2PI


def _norm_s_inv(p: float) -> float:
    """Wichura's AS241 (PPND16, about 1e-16 relative), then one Newton step on erfc."""
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        x = q * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                      + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                    + 133.14166789178437745) * r + 3.387132872796366608) / \
            (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
                 + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
              + 42.313330701600911252) * r + 1.0)
    else:
        r = p if q < 0 else 1.0 - p
        r = math.sqrt(-math.log(r))
        if r <= 5.0:
            r -= 1.6
            x = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
                     + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                  + 4.6303378461565452959) * r + 1.42343711074968357734) / \
                (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                     + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                  + 2.05319162663775882187) * r + 1.0)
        else:
            r -= 5.0
            x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
                     + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                  + 5.4637849111641143699) * r + 6.6579046435011037772) / \
                (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                     + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
                  + 0.59983220655588793769) * r + 1.0)
        if q < 0:
            x = -x
    d = _phi(x)
    if d > 0:
        P, Q = _norm_pq(x)
        x -= (P - p) / d if p <= 0.5 else (1.0 - p - Q) / d
    return x


def _solve(pq, pdf, p, q, lo, hi, x0):
    """x with P(x) = p (and Q(x) = q = 1 - p, given separately so that a tiny upper tail keeps its
    digits) for a continuous distribution on [lo, hi) (hi may be infinite): pq(x) -> (P, Q),
    pdf(x) the density.  The smaller tail is matched.  Newton steps inside a bracket, bisection
    (geometric on wide positive brackets) when a step would leave it."""
    upper = p > 0.5
    target = q if upper else p

    def f(x):  # increasing in x, zero at the answer
        P, Q = pq(x)
        return (target - Q) if upper else (P - target)

    if math.isinf(hi):
        h = max(1.0, x0)
        for _ in range(3000):
            if f(h) >= 0:
                break
            lo = max(lo, h)
            h *= 2.0
        else:
            raise XLError(NUM)
        hi = h
    x = x0 if lo < x0 < hi else 0.5 * (lo + hi)
    for _ in range(300):
        fx = f(x)
        if fx == 0.0:
            return x
        if fx < 0:
            lo = x
        else:
            hi = x
        d = pdf(x)
        nx = x - fx / d if d > 0 and math.isfinite(d) else math.nan
        if not lo < nx < hi:
            nx = math.sqrt(lo * hi) if lo > 0 and hi > 4 * lo else 0.5 * (lo + hi)
        if abs(nx - x) <= 2 * _EPS * abs(x) or hi - lo <= 2 * _EPS * max(abs(lo), abs(hi)):
            return nx
        x = nx
    return x


# ------------------------------------------------------------------------------ simple functions

@fn("FISHER", 1, 1)
def FISHER(x):
    v = _num1(x)
    if v <= -1 or v >= 1:
        raise XLError(NUM)
    return math.atanh(v)


@fn("FISHERINV", 1, 1)
def FISHERINV(y):
    return math.tanh(_num1(y))


@fn("PHI", 1, 1)
def PHI(x):
    return _phi(_num1(x))


@fn("GAUSS", 1, 1)
def GAUSS(z):
    return 0.5 * math.erf(_num1(z) / _SQRT2)


@fn("GAMMA", 1, 1)
def GAMMA(x):
    v = _num1(x)
    if v <= 0 and v == math.floor(v):
        raise XLError(NUM)
    try:
        return finite(math.gamma(v))
    except (OverflowError, ValueError):
        raise XLError(NUM) from None


@fn("GAMMALN", 1, 1)
def GAMMALN(x):
    v = _num1(x)
    if v <= 0:
        raise XLError(NUM)
    return finite(math.lgamma(v))


_alias("GAMMALN.PRECISE", "GAMMALN")


# ------------------------------------------------------------------------------ normal family

def _norm_args(mean, sd):
    m, s = _num1(mean), _num1(sd)
    if s <= 0:
        raise XLError(NUM)
    return m, s


@fn("NORM.DIST", 4, 4)
@_typed("nnnb")
def NORM_DIST(x, mean, sd, cumulative):
    v = _num1(x)
    m, s = _norm_args(mean, sd)
    z = (v - m) / s
    if _bool(cumulative):
        return _norm_pq(z)[0]
    return _phi(z) / s


@fn("NORMDIST", 4, 4)
@_typed("nnnb")
def NORMDIST(x, mean, sd, cumulative):
    return NORM_DIST(x, mean, sd, cumulative)


@fn("NORM.S.DIST", 2, 2)
@_typed("nb")
def NORM_S_DIST(z, cumulative):
    v = _num1(z)
    return _norm_pq(v)[0] if _bool(cumulative) else _phi(v)


@fn("NORMSDIST", 1, 1)
def NORMSDIST(z):
    return _norm_pq(_num1(z))[0]


def _prob_open(p):
    v = _num1(p)
    if v <= 0 or v >= 1:
        raise XLError(NUM)
    return v


@fn("NORM.S.INV", 1, 1)
def NORM_S_INV(p):
    return _norm_s_inv(_prob_open(p))


_alias("NORMSINV", "NORM.S.INV")


@fn("NORM.INV", 3, 3)
@_typed("nnn")
def NORM_INV(p, mean, sd):
    v = _prob_open(p)
    m, s = _norm_args(mean, sd)
    return finite(m + s * _norm_s_inv(v))


_alias("NORMINV", "NORM.INV")


@fn("LOGNORM.DIST", 4, 4)
@_typed("nnnb")
def LOGNORM_DIST(x, mean, sd, cumulative):
    v = _num1(x)
    m, s = _norm_args(mean, sd)
    if v <= 0:
        raise XLError(NUM)
    z = (math.log(v) - m) / s
    if _bool(cumulative):
        return _norm_pq(z)[0]
    return finite(_phi(z) / (s * v))


@fn("LOGNORMDIST", 3, 3)
def LOGNORMDIST(x, mean, sd):
    return LOGNORM_DIST(x, mean, sd, True)


@fn("LOGNORM.INV", 3, 3)
@_typed("nnn")
def LOGNORM_INV(p, mean, sd):
    v = _prob_open(p)
    m, s = _norm_args(mean, sd)
    return finite(math.exp(m + s * _norm_s_inv(v)))


_alias("LOGINV", "LOGNORM.INV")


@fn("CONFIDENCE.NORM", 3, 3)
@_typed("nnn")
def CONFIDENCE_NORM(alpha, sd, size):
    a, s, n = _num1(alpha), _num1(sd), _num1(size)
    if a <= 0 or a >= 1 or s <= 0 or n < 1:
        raise XLError(NUM)
    n = math.floor(n)
    return finite(-_norm_s_inv(a / 2.0) * s / math.sqrt(n))


_alias("CONFIDENCE", "CONFIDENCE.NORM")


@fn("Z.TEST", 2, 3, arrays=(0,))
def Z_TEST(array, x, sigma=OMITTED):
    v = _num1(x)  # the scalars are read before the array's values (and its errors)
    sg = None if sigma is OMITTED else _num1(sigma)
    xs = _array_nums(array)
    if not xs:
        raise XLError(NA)
    n = len(xs)
    m = _mean(xs)
    sd = math.sqrt(_var(xs, True))  # #DIV/0! for one value even when sigma is given, as in Excel
    s = sd if sg is None else sg
    if s <= 0:
        raise XLError(DIV0 if sg is None else NUM)
    return _norm_pq((m - v) / (s / math.sqrt(n)))[1]


_alias("ZTEST", "Z.TEST")


# ------------------------------------------------------------------------------ discrete distributions

def _psum(terms):
    return math.fsum(terms)


def _binom_pmf(k: int, n: int, p: float, q: float) -> float:
    """C(n, k) p^k q^(n-k): the plain product when its factors are safely inside the double range
    (a few ulps, exact for exact cases such as p = 0.5), else Loader's saddle-point form."""
    if 0 <= k <= n <= 1000 and 0.0 < p < 1.0:
        c = float(math.comb(n, k)) if n <= 1020 else math.inf
        a, b = p ** k, q ** (n - k)
        if c < 1e300 and a > 1e-280 and b > 1e-280 and a * b > 1e-290:
            return c * a * b
    return _dbinom_raw(k, n, p, q)


def _binom_cdf(k: int, n: int, p: float):
    """(P(X <= k), P(X > k)) of Binomial(n, p)."""
    if k < 0:
        return 0.0, 1.0
    if k >= n:
        return 1.0, 0.0
    q = 1.0 - p
    if n <= 2000:
        if k <= n * p:
            lo = _psum(_binom_pmf(i, n, p, q) for i in range(k + 1))
            return lo, 1.0 - lo
        hi = _psum(_binom_pmf(i, n, p, q) for i in range(k + 1, n + 1))
        return 1.0 - hi, hi
    # P(X <= k) = I_{1-p}(n - k, k + 1)
    return _beta_iq(n - k, k + 1.0, q)


def _prob01(p):
    v = _num1(p)
    if v < 0 or v > 1:
        raise XLError(NUM)
    return v


@fn("BINOM.DIST", 4, 4)
@_typed("nnnb")
def BINOM_DIST(number_s, trials, probability_s, cumulative):
    k, n, p = _int(number_s), _int(trials), _prob01(probability_s)
    c = _bool(cumulative)
    if k < 0 or k > n or n < 0:
        raise XLError(NUM)
    if c:
        return _binom_cdf(k, n, p)[0]
    return _binom_pmf(k, n, p, 1.0 - p)


_alias("BINOMDIST", "BINOM.DIST")


@fn("BINOM.DIST.RANGE", 3, 4)
@_typed("nnnn")
def BINOM_DIST_RANGE(trials, probability_s, number_s, number_s2=OMITTED):
    n, p, s = _int(trials), _prob01(probability_s), _int(number_s)
    s2 = s if number_s2 is OMITTED else _int(number_s2)  # an empty cell is 0
    if n < 0 or s < 0 or s > n or s2 < s or s2 > n:
        raise XLError(NUM)
    q = 1.0 - p
    if s2 - s <= 2000:
        return min(1.0, _psum(_binom_pmf(i, n, p, q) for i in range(s, s2 + 1)))
    return max(0.0, _binom_cdf(s2, n, p)[0] - _binom_cdf(s - 1, n, p)[0])


@fn("BINOM.INV", 3, 3)
@_typed("nnn")
def BINOM_INV(trials, probability_s, alpha):
    # Microsoft's reference says p and alpha may be 0..1; Excel itself gives #NUM! at the ends
    # (saved workbooks hold BINOM.INV(10,0.7,0), (10,0.7,1), (10,1,0.8) = #NUM!)
    n, p, a = _int(trials), _num1(probability_s), _num1(alpha)
    if n < 0 or not 0 < p < 1 or not 0 < a < 1:
        raise XLError(NUM)
    q = 1.0 - p
    if n > 5000:  # bisection on the distribution function (incomplete beta) instead of a long sum
        lo, hi = -1, n  # cdf(lo) < a <= cdf(hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _binom_cdf(mid, n, p)[0] >= a:
                hi = mid
            else:
                lo = mid
        return float(hi)
    total = comp = 0.0  # Neumaier-compensated running sum of the masses
    for k in range(n + 1):
        t = _binom_pmf(k, n, p, q)
        s = total + t
        comp += (total - s) + t if abs(total) >= abs(t) else (t - s) + total
        total = s
        if total + comp >= a:
            return float(k)
    return float(n)


_alias("CRITBINOM", "BINOM.INV")


def _negbinom_pmf(f: int, s: int, p: float) -> float:
    # C(f+s-1, f) p^s (1-p)^f = s/(f+s) * dbinom(s; f+s, p)
    if p == 0.0:
        return 0.0
    return s / (f + s) * _binom_pmf(s, f + s, p, 1.0 - p)


@fn("NEGBINOM.DIST", 4, 4)
@_typed("nnnb")
def NEGBINOM_DIST(number_f, number_s, probability_s, cumulative):
    f, s, p = _int(number_f), _int(number_s), _num1(probability_s)
    c = _bool(cumulative)
    # probability 0 or 1 is #NUM! in Excel (saved workbooks), though the reference names < 0, > 1
    if f < 0 or s < 1 or not 0 < p < 1:
        raise XLError(NUM)
    if not c:
        return _negbinom_pmf(f, s, p)
    if p == 0.0:
        return 0.0
    if f <= 2000:
        return min(1.0, _psum(_negbinom_pmf(i, s, p) for i in range(f + 1)))
    return _beta_iq(float(s), f + 1.0, p)[0]  # P(F <= f) = I_p(s, f + 1)


@fn("NEGBINOMDIST", 3, 3)
def NEGBINOMDIST(number_f, number_s, probability_s):
    return NEGBINOM_DIST(number_f, number_s, probability_s, False)


@fn("POISSON.DIST", 3, 3)
@_typed("nnb")
def POISSON_DIST(x, mean, cumulative):
    k, lam = _int(x), _num1(mean)
    c = _bool(cumulative)
    if k < 0 or lam < 0:
        raise XLError(NUM)
    if not c:
        return _dpois_raw(float(k), lam)
    if k <= 2000:
        if k <= lam:
            return _psum(_dpois_raw(float(i), lam) for i in range(k + 1))
        return _gamma_pq(k + 1.0, lam)[1]  # P(X <= k) = Q(k + 1, lam)
    return _gamma_pq(k + 1.0, lam)[1]


_alias("POISSON", "POISSON.DIST")


def _hypgeom_pmf(x, n, M, N):
    """P(X = x): x successes in a sample of n from N items of which M are successes."""
    if x < max(0, n - N + M) or x > min(n, M):
        return 0.0
    if n == N:
        return 1.0 if x == M else 0.0
    p = n / N
    q = (N - n) / N
    p1 = _dbinom_raw(x, M, p, q)
    p2 = _dbinom_raw(n - x, N - M, p, q)
    p3 = _dbinom_raw(n, N, p, q)
    return p1 * p2 / p3


@fn("HYPGEOM.DIST", 5, 5)
@_typed("nnnnb")
def HYPGEOM_DIST(sample_s, number_sample, population_s, number_pop, cumulative):
    x, n, M, N = _int(sample_s), _int(number_sample), _int(population_s), _int(number_pop)
    c = _bool(cumulative)
    # Excel's checks (saved workbooks): HYPGEOM.DIST(0,0,0,0,TRUE) is 1 and a sample_s below
    # n - N + M has probability 0, where the reference lists both as #NUM!
    if x < 0 or n < 0 or M < 0 or N < 0 or n > N or M > N or x > min(n, M):
        raise XLError(NUM)
    lo = max(0, n - N + M)
    if x < lo:
        return 0.0
    hi = min(n, M)
    terms = (x - lo + 1) if c else 1
    if N <= 20000 and terms * N <= 2_000_000:  # exact: a ratio of integers, rounded once
        num = sum(math.comb(M, i) * math.comb(N - M, n - i) for i in (range(lo, x + 1) if c else (x,)))
        return num / math.comb(N, n)
    if not c:
        return _hypgeom_pmf(x, n, M, N)
    mode = (n + 1) * (M + 1) // (N + 2)
    if x < mode:  # the lower tail, summed down from x until the terms no longer count
        return min(1.0, _hypgeom_tail(x, -1, lo, n, M, N))
    if x >= hi:
        return 1.0
    return max(0.0, 1.0 - _hypgeom_tail(x + 1, 1, hi, n, M, N))


def _hypgeom_tail(start, step, end, n, M, N):
    """Sum of P(X = i) from i = start towards end (step -1 or 1), away from the mode: the first
    mass exactly, the next ones by the ratio P(i+1)/P(i) = (M-i)(n-i)/((i+1)(N-M-n+i+1)),
    stopping when a term is below 1e-17 of the sum."""
    t = _hypgeom_pmf(start, n, M, N)
    terms = [t]
    i = start
    while i != end and t > 0:
        if step > 0:
            t *= (M - i) * (n - i) / ((i + 1.0) * (N - M - n + i + 1.0))
        else:
            t *= i * (N - M - n + i) / ((M - i + 1.0) * (n - i + 1.0))
        i += step
        terms.append(t)
        if t < 1e-17 * terms[0]:
            break
    return math.fsum(terms)


@fn("HYPGEOMDIST", 4, 4)
def HYPGEOMDIST(sample_s, number_sample, population_s, number_pop):
    return HYPGEOM_DIST(sample_s, number_sample, population_s, number_pop, False)


# ------------------------------------------------------------------------------ continuous distributions

@fn("EXPON.DIST", 3, 3)
@_typed("nnb")
def EXPON_DIST(x, lam, cumulative):
    v, l_ = _num1(x), _num1(lam)
    c = _bool(cumulative)
    if v < 0 or l_ <= 0:
        raise XLError(NUM)
    return -math.expm1(-l_ * v) if c else l_ * math.exp(-l_ * v)


_alias("EXPONDIST", "EXPON.DIST")


@fn("WEIBULL.DIST", 4, 4)
@_typed("nnnb")
def WEIBULL_DIST(x, alpha, beta, cumulative):
    v, a, b = _num1(x), _num1(alpha), _num1(beta)
    c = _bool(cumulative)
    if v < 0 or a <= 0 or b <= 0:
        raise XLError(NUM)
    try:
        t = (v / b) ** a
    except OverflowError:
        t = math.inf
    if c:
        return -math.expm1(-t)
    if v == 0:
        if a < 1:
            raise XLError(NUM)
        return 1.0 / b if a == 1 else 0.0
    return finite(math.exp(math.log(a / b) + (a - 1) * math.log(v / b) - t))  # in logs: no inf*0


_alias("WEIBULL", "WEIBULL.DIST")


def _gamma_pdf(y: float, a: float) -> float:
    """Density of Gamma(a, 1) at y."""
    if y == 0.0:
        if a < 1:
            raise XLError(NUM)
        return 1.0 if a == 1 else 0.0
    if a < 1:
        return _dpois_raw(a, y) * a / y
    return _dpois_raw(a - 1.0, y)


def _gamma_args(alpha, beta):
    a, b = _num1(alpha), _num1(beta)
    if a <= 0 or b <= 0:
        raise XLError(NUM)
    return a, b


@fn("GAMMA.DIST", 4, 4)
@_typed("nnnb")
def GAMMA_DIST(x, alpha, beta, cumulative):
    v = _num1(x)
    a, b = _gamma_args(alpha, beta)
    c = _bool(cumulative)
    if v < 0:
        raise XLError(NUM)
    if c:
        return _gamma_pq(a, v / b)[0]
    return finite(_gamma_pdf(v / b, a) / b)


_alias("GAMMADIST", "GAMMA.DIST")


def _gamma_inv(p: float, q: float, a: float) -> float:
    """Quantile of Gamma(a, 1): P = p, Q = q = 1 - p, both in (0, 1)."""
    # Wilson-Hilferty start
    z = _norm_s_inv(p) if p <= 0.5 else -_norm_s_inv(q)
    t = 1.0 / (9.0 * a)
    x0 = a * (1.0 - t + z * math.sqrt(t)) ** 3
    if not x0 > 0:
        x0 = min(a, 1.0) * 0.5
    return _solve(lambda y: _gamma_pq(a, y), lambda y: _gamma_pdf(y, a) if y > 0 else 0.0, p, q, 0.0, math.inf, x0)


@fn("GAMMA.INV", 3, 3)
@_typed("nnn")
def GAMMA_INV(probability, alpha, beta):
    p = _prob01(probability)
    a, b = _gamma_args(alpha, beta)
    if p == 0.0:
        return 0.0
    if p == 1.0:
        raise XLError(NUM)
    return finite(_gamma_inv(p, 1.0 - p, a) * b)


_alias("GAMMAINV", "GAMMA.INV")


def _beta_args(alpha, beta, A, B):
    a, b = _num1(alpha), _num1(beta)
    lo = 0.0 if A is OMITTED else _num1(A)
    hi = 1.0 if B is OMITTED else _num1(B)
    if a <= 0 or b <= 0 or lo >= hi:
        raise XLError(NUM)
    return a, b, lo, hi


@fn("BETA.DIST", 4, 6)
@_typed("nnnbnn")
def BETA_DIST(x, alpha, beta, cumulative, A=OMITTED, B=OMITTED):
    v = _num1(x)
    a, b, lo, hi = _beta_args(alpha, beta, A, B)
    c = _bool(cumulative)
    if v < lo or v > hi:
        raise XLError(NUM)
    y = (v - lo) / (hi - lo)
    if c:
        return _beta_iq(a, b, y)[0]
    return finite(_beta_pdf(a, b, y) / (hi - lo))


@fn("BETADIST", 3, 5)
@_typed("nnnnn")
def BETADIST(x, alpha, beta, A=OMITTED, B=OMITTED):
    v = _num1(x)
    a, b, lo, hi = _beta_args(alpha, beta, A, B)
    if v < lo or v > hi:
        raise XLError(NUM)
    return _beta_iq(a, b, (v - lo) / (hi - lo))[0]


def _beta_inv(p: float, a: float, b: float) -> float:
    def pdf(y):
        try:
            return _beta_pdf(a, b, y)
        except XLError:
            return math.inf
    return _solve(lambda y: _beta_iq(a, b, y), pdf, p, 1.0 - p, 0.0, 1.0, a / (a + b))


@fn("BETA.INV", 3, 5)
@_typed("nnnnn")
def BETA_INV(probability, alpha, beta, A=OMITTED, B=OMITTED):
    p = _num1(probability)
    a, b, lo, hi = _beta_args(alpha, beta, A, B)
    if p <= 0 or p > 1:
        raise XLError(NUM)
    if p == 1.0:
        return hi
    return finite(lo + (hi - lo) * _beta_inv(p, a, b))


_alias("BETAINV", "BETA.INV")


def _df(x, limit=1e10):
    d = _num1(x)
    if d < 1 or d > limit:
        raise XLError(NUM)
    return float(math.floor(d))


@fn("CHISQ.DIST", 3, 3)
@_typed("nnb")
def CHISQ_DIST(x, deg_freedom, cumulative):
    v, k = _num1(x), _df(deg_freedom)
    c = _bool(cumulative)
    if v < 0:
        raise XLError(NUM)
    if c:
        return _gamma_pq(k / 2.0, v / 2.0)[0]
    return finite(_gamma_pdf(v / 2.0, k / 2.0) / 2.0)


@fn("CHISQ.DIST.RT", 2, 2)
@_typed("nn")
def CHISQ_DIST_RT(x, deg_freedom):
    v, k = _num1(x), _df(deg_freedom)
    if v < 0:
        raise XLError(NUM)
    return _gamma_pq(k / 2.0, v / 2.0)[1]


_alias("CHIDIST", "CHISQ.DIST.RT")


@fn("CHISQ.INV", 2, 2)
@_typed("nn")
def CHISQ_INV(probability, deg_freedom):
    p, k = _prob01(probability), _df(deg_freedom)
    if p == 0.0:
        return 0.0
    if p == 1.0:
        raise XLError(NUM)
    return finite(2.0 * _gamma_inv(p, 1.0 - p, k / 2.0))


@fn("CHISQ.INV.RT", 2, 2)
@_typed("nn")
def CHISQ_INV_RT(probability, deg_freedom):
    p, k = _prob01(probability), _df(deg_freedom)
    if p == 1.0:
        return 0.0
    if p == 0.0:
        raise XLError(NUM)
    return finite(2.0 * _gamma_inv(1.0 - p, p, k / 2.0))


_alias("CHIINV", "CHISQ.INV.RT")


def _f_pq(x: float, d1: float, d2: float):
    if x <= 0:
        return 0.0, 1.0
    if math.isinf(x):
        return 1.0, 0.0
    if d1 * x > d2:  # the upper tail directly: Q = I_{d2/(d2+d1 x)}(d2/2, d1/2)
        q, p = _beta_iq(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * x))
        return p, q
    return _beta_iq(d1 / 2.0, d2 / 2.0, d1 * x / (d1 * x + d2))


def _f_pdf(x: float, m: float, n: float) -> float:
    if x < 0:
        return 0.0
    if x == 0:
        if m > 2:
            return 0.0
        if m == 2:
            return 1.0
        raise XLError(NUM)
    f = 1.0 / (n + x * m)
    q = n * f
    p = x * m * f
    if m >= 2:
        f = m * q / 2.0
        return f * _dbinom_raw((m - 2) / 2.0, (m + n - 2) / 2.0, p, q)
    f = m * m * q / (2.0 * p * (m + n))
    return f * _dbinom_raw(m / 2.0, (m + n) / 2.0, p, q)


def _f_args(x, d1, d2):
    v = _num1(x)
    a, b = _df(d1), _df(d2)
    return v, a, b


@fn("F.DIST", 4, 4)
@_typed("nnnb")
def F_DIST(x, deg_freedom1, deg_freedom2, cumulative):
    v, a, b = _f_args(x, deg_freedom1, deg_freedom2)
    c = _bool(cumulative)
    if v < 0:
        raise XLError(NUM)
    return _f_pq(v, a, b)[0] if c else finite(_f_pdf(v, a, b))


@fn("F.DIST.RT", 3, 3)
@_typed("nnn")
def F_DIST_RT(x, deg_freedom1, deg_freedom2):
    v, a, b = _f_args(x, deg_freedom1, deg_freedom2)
    if v < 0:
        raise XLError(NUM)
    return _f_pq(v, a, b)[1]


_alias("FDIST", "F.DIST.RT")


def _f_inv(p: float, q: float, a: float, b: float) -> float:
    def pdf(y):
        try:
            return _f_pdf(y, a, b)
        except XLError:
            return math.inf
    return _solve(lambda y: _f_pq(y, a, b), pdf, p, q, 0.0, math.inf, 1.0)


@fn("F.INV", 3, 3)
@_typed("nnn")
def F_INV(probability, deg_freedom1, deg_freedom2):
    p = _prob01(probability)
    a, b = _df(deg_freedom1), _df(deg_freedom2)
    if p == 0.0:
        return 0.0
    if p == 1.0:
        raise XLError(NUM)
    return finite(_f_inv(p, 1.0 - p, a, b))


@fn("F.INV.RT", 3, 3)
@_typed("nnn")
def F_INV_RT(probability, deg_freedom1, deg_freedom2):
    p = _prob01(probability)
    a, b = _df(deg_freedom1), _df(deg_freedom2)
    if p == 1.0:
        return 0.0
    if p == 0.0:
        raise XLError(NUM)
    return finite(_f_inv(1.0 - p, p, a, b))


_alias("FINV", "F.INV.RT")


def _t_upper(t: float, n: float) -> float:
    """P(T > t) for t >= 0: I_x(n/2, 1/2) / 2 with x = n/(n+t^2), or 1/2 - I_y(1/2, n/2) / 2
    with y = t^2/(n+t^2) computed directly when it is the small one (t^2 < n)."""
    if math.isinf(t):
        return 0.0
    if t * t < n:
        return 0.5 * _beta_iq(0.5, n / 2.0, t * t / (n + t * t))[1]
    return 0.5 * _beta_iq(n / 2.0, 0.5, n / (n + t * t))[0]


def _t_pq(t: float, n: float):
    u = _t_upper(abs(t), n)
    return (1.0 - u, u) if t >= 0 else (u, 1.0 - u)


def _t_pdf(x: float, n: float) -> float:
    """Student's t density (R's dt: saddle-point form, accurate in the tails)."""
    t = -_bd0(n / 2.0, (n + 1) / 2.0) + _stirlerr((n + 1) / 2.0) - _stirlerr(n / 2.0)
    x2n = x * x / n
    if x2n > 1.0 / _EPS:
        ax = abs(x)
        l_x2n = math.log(ax) - math.log(n) / 2.0
        u = n * l_x2n
        return math.exp(t - u) / _SQRT_2PI * (math.sqrt(n) / ax)
    if x2n > 0.2:
        l_x2n = math.log(1 + x2n) / 2.0
        u = n * l_x2n
    else:
        l_x2n = math.log1p(x2n) / 2.0
        u = -_bd0(n / 2.0, (n + x * x) / 2.0) + x * x / 2.0
    return math.exp(t - u) / _SQRT_2PI * math.exp(-l_x2n)


def _t_inv_upper(q: float, n: float) -> float:
    """t > 0 with P(T > t) = q, q in (0, 0.5]."""
    if q == 0.5:
        return 0.0
    if n == 1:
        return 1.0 / math.tan(math.pi * q)
    if n == 2:
        return (1.0 - 2.0 * q) / math.sqrt(2.0 * q * (1.0 - q))
    x0 = -_norm_s_inv(q)
    return _solve(lambda y: _t_pq(y, n), lambda y: _t_pdf(y, n), 1.0 - q, q, 0.0, math.inf, max(x0, 1e-3))


@fn("T.DIST", 3, 3)
@_typed("nnb")
def T_DIST(x, deg_freedom, cumulative):
    v, d = _num1(x), _num1(deg_freedom)
    c = _bool(cumulative)
    if d == 0 and not c:  # the density's 1/sqrt(df): Excel's error here is #DIV/0!
        raise XLError(DIV0)
    n = _df(deg_freedom)
    return _t_pq(v, n)[0] if c else finite(_t_pdf(v, n))


@fn("T.DIST.RT", 2, 2)
@_typed("nn")
def T_DIST_RT(x, deg_freedom):
    v, n = _num1(x), _df(deg_freedom)
    return _t_pq(v, n)[1]


@fn("T.DIST.2T", 2, 2)
@_typed("nn")
def T_DIST_2T(x, deg_freedom):
    v, n = _num1(x), _df(deg_freedom)
    if v < 0:
        raise XLError(NUM)
    return min(1.0, 2.0 * _t_upper(v, n))


@fn("TDIST", 3, 3)
@_typed("nnn")
def TDIST(x, deg_freedom, tails):
    v, n, t = _num1(x), _df(deg_freedom), _num1(tails)
    t = int(t)
    if v < 0 or t not in (1, 2):
        raise XLError(NUM)
    return min(1.0, t * _t_upper(v, n))


@fn("T.INV", 2, 2)
@_typed("nn")
def T_INV(probability, deg_freedom):
    p, n = _num1(probability), _df(deg_freedom)
    if p <= 0 or p >= 1:
        raise XLError(NUM)
    if p < 0.5:
        return -finite(_t_inv_upper(p, n))
    return finite(_t_inv_upper(1.0 - p, n))


@fn("T.INV.2T", 2, 2)
@_typed("nn")
def T_INV_2T(probability, deg_freedom):
    p, n = _num1(probability), _df(deg_freedom)
    if p <= 0 or p > 1:
        raise XLError(NUM)
    return finite(_t_inv_upper(p / 2.0, n))


_alias("TINV", "T.INV.2T")


@fn("CONFIDENCE.T", 3, 3)
@_typed("nnn")
def CONFIDENCE_T(alpha, sd, size):
    a, s, n = _num1(alpha), _num1(sd), _num1(size)
    if a <= 0 or a >= 1 or s <= 0 or n < 1:
        raise XLError(NUM)
    n = math.floor(n)
    if n == 1:
        raise XLError(DIV0)
    return finite(_t_inv_upper(a / 2.0, n - 1.0) * s / math.sqrt(n))


# ------------------------------------------------------------------------------ tests

@fn("CHISQ.TEST", 2, 2, arrays=(0, 1))
def CHISQ_TEST(actual_range, expected_range):
    # the two ranges need the same number of cells (not the same shape: Excel pairs a 2x2 actual
    # with a 4x1 expected); the degrees of freedom come from the actual range's shape
    ra, ca = _shape(actual_range)
    if ra == 1 and ca == 1:
        raise XLError(NA)
    for v in _cells(actual_range) + _cells(expected_range):  # the actual range's errors first
        if v.__class__ is ExcelError:
            raise XLError(v)
    xs, ys = _paired(actual_range, expected_range)
    if not xs:
        raise XLError(DIV0)
    terms = []
    for o, e in zip(xs, ys):
        if e < 0:
            raise XLError(NUM)
        if e == 0:
            raise XLError(DIV0)
        terms.append((o - e) ** 2 / e)
    stat = math.fsum(terms)
    df = (ra - 1) * (ca - 1) if ra > 1 and ca > 1 else ra * ca - 1
    return _gamma_pq(df / 2.0, stat / 2.0)[1]


_alias("CHITEST", "CHISQ.TEST")


@fn("F.TEST", 2, 2, arrays=(0, 1))
def F_TEST(array1, array2):
    x, y = _array_nums(array1), _array_nums(array2)
    if len(x) < 2 or len(y) < 2:
        raise XLError(DIV0)
    v1, v2 = _var(x, True), _var(y, True)
    if v1 == 0 or v2 == 0:
        raise XLError(DIV0)
    P, Q = _f_pq(v1 / v2, len(x) - 1.0, len(y) - 1.0)
    return min(1.0, 2.0 * min(P, Q))


_alias("FTEST", "F.TEST")


@fn("T.TEST", 4, 4, arrays=(0, 1))
def T_TEST(array1, array2, tails, type_):
    t_, k = _num1(tails), _num1(type_)
    t_, k = int(t_), int(k)
    if t_ not in (1, 2) or k not in (1, 2, 3):
        raise XLError(NUM)
    if k == 1:
        xs, ys = _paired(array1, array2)
        d = [a - b for a, b in zip(xs, ys)]
        n = len(d)
        if n < 2:
            raise XLError(DIV0)
        s2 = _var(d, True)
        if s2 == 0:
            raise XLError(DIV0)
        t = _mean(d) / math.sqrt(s2 / n)
        df = n - 1.0
    else:
        x, y = _array_nums(array1), _array_nums(array2)
        n1, n2 = len(x), len(y)
        if n1 < 2 or n2 < 2:
            raise XLError(DIV0)
        v1, v2 = _var(x, True), _var(y, True)
        diff = _mean(x) - _mean(y)
        if k == 2:
            df = n1 + n2 - 2.0
            sp = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
            se2 = sp * (1.0 / n1 + 1.0 / n2)
        else:
            a, b = v1 / n1, v2 / n2
            se2 = a + b
            if se2 == 0:
                raise XLError(DIV0)
            df = se2 * se2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
        if se2 == 0:
            raise XLError(DIV0)
        t = diff / math.sqrt(se2)
    return min(1.0, t_ * _t_upper(abs(t), df))


_alias("TTEST", "T.TEST")


@fn("PROB", 3, 4, arrays=(0, 1))
def PROB(x_range, prob_range, lower_limit, upper_limit=OMITTED):
    xs, ps = _cells(x_range), _cells(prob_range)
    for v in xs + ps:
        if v.__class__ is ExcelError:
            raise XLError(v)
    if len(xs) != len(ps):
        raise XLError(NA)
    lo = _num1(lower_limit)
    hi = lo if upper_limit is OMITTED else _num1(upper_limit)  # an empty cell is 0
    total, inside = [], []
    for x, p in zip(xs, ps):
        if p.__class__ is not float:
            continue
        if p <= 0 or p > 1:
            raise XLError(NUM)
        total.append(p)
        if x.__class__ is float and lo <= x <= hi:
            inside.append(p)
    if abs(math.fsum(total) - 1.0) > 1e-12:
        raise XLError(NUM)
    return math.fsum(inside)


# ------------------------------------------------------------------------------ regression

def _num_matrix(a):
    """All values of an array as numbers (LINEST's arrays): anything else is #VALUE!."""
    rows = a.rows if a.__class__ is Area else [[a]]
    out = []
    for r in rows:
        row = []
        for v in r:
            if v.__class__ is float:
                row.append(v)
            elif v.__class__ is ExcelError:
                raise XLError(VALUE)  # Excel: LINEST/TREND with an error value inside are #VALUE!
            elif v.__class__ is bool or (v.__class__ is str and a.__class__ is not Area):
                row.append(to_number(v))
            else:
                raise XLError(VALUE)
        out.append(row)
    return out


def _design(known_y, known_x):
    """(y, X, layout): y the n observations, X their n rows of k variables; layout "same" (one
    variable shaped like y), "col" (y a column, one variable per column of x) or "row"."""
    ym = _num_matrix(known_y)
    ry, cy = len(ym), len(ym[0])
    y = [v for r in ym for v in r]
    if known_x is None:
        return y, [[float(i + 1)] for i in range(len(y))], "same", 1
    xm = _num_matrix(known_x)
    rx, cx = len(xm), len(xm[0])
    if (rx, cx) == (ry, cy):
        return y, [[v] for r in xm for v in r], "same", 1
    if cy == 1 and rx == ry:
        return y, [list(r) for r in xm], "col", cx
    if ry == 1 and cx == cy:
        return y, [[xm[i][j] for i in range(rx)] for j in range(cx)], "row", rx
    raise XLError(REF)


class _Fit:
    """Least squares y ~ b + X m (or y ~ X m): Gram-Schmidt QR with reorthogonalization on the
    centred columns; a column that is (numerically) a combination of earlier ones is dropped
    with coefficient 0, as Excel's LINEST does with collinear x columns."""

    def __init__(self, y, X, const):
        n, k = len(y), len(X[0])
        self.n, self.k, self.const = n, k, const
        self.xm = [_mean([r[j] for r in X]) for j in range(k)] if const else [0.0] * k
        self.ym = _mean(y) if const else 0.0
        cols = [[r[j] - self.xm[j] for r in X] for j in range(k)]
        yc = [v - self.ym for v in y]
        qs, kept, R = [], [], []  # R[i] = coefficients of kept column i on q_0..q_i
        for j in range(k):
            v = list(cols[j])
            norm0 = math.sqrt(math.fsum(t * t for t in v))
            coef = [0.0] * len(qs)
            for _ in range(2):
                for i, q in enumerate(qs):
                    c = math.fsum(a * b for a, b in zip(q, v))
                    coef[i] += c
                    v = [a - c * b for a, b in zip(v, q)]
            norm = math.sqrt(math.fsum(t * t for t in v))
            if norm0 == 0.0 or norm <= 1e-12 * norm0:
                continue
            qs.append([t / norm for t in v])
            kept.append(j)
            R.append(coef + [norm])
        m = len(kept)
        # R as an upper-triangular matrix U[i][j] (i <= j): column j of the kept set
        U = [[0.0] * m for _ in range(m)]
        for j in range(m):
            for i, c in enumerate(R[j]):
                U[i][j] = c
        qty = [math.fsum(a * b for a, b in zip(q, yc)) for q in qs]
        beta = [0.0] * m
        for i in range(m - 1, -1, -1):
            beta[i] = (qty[i] - math.fsum(U[i][j] * beta[j] for j in range(i + 1, m))) / U[i][i]
        # inverse of U, for (X'X)^-1 = U^-1 U^-T
        Ui = [[0.0] * m for _ in range(m)]
        for i in range(m):
            Ui[i][i] = 1.0 / U[i][i]
            for j in range(i + 1, m):
                Ui[i][j] = -math.fsum(Ui[i][t] * U[t][j] for t in range(i, j)) / U[j][j]
        self.cov = [[math.fsum(Ui[a][t] * Ui[b][t] for t in range(max(a, b), m)) for b in range(m)] for a in range(m)]
        self.kept = kept
        self.m = [0.0] * k
        for i, j in enumerate(kept):
            self.m[j] = beta[i]
        self.b = self.ym - math.fsum(self.m[j] * self.xm[j] for j in range(k)) if const else 0.0
        fitted = [self.b + math.fsum(self.m[j] * X[i][j] for j in range(k)) for i in range(n)]
        self.ssresid = math.fsum((y[i] - fitted[i]) ** 2 for i in range(n))
        if self.ssresid <= (n * _EPS) ** 2 * math.fsum(v * v for v in y):
            self.ssresid = 0.0  # an exact fit up to rounding: Excel's F is then #NUM!, se 0
        if const:
            self.sstotal = math.fsum((v - self.ym) ** 2 for v in y)
            self.ssreg = math.fsum((f - self.ym) ** 2 for f in fitted)
        else:
            self.sstotal = math.fsum(v * v for v in y)
            self.ssreg = self.sstotal - self.ssresid
        self.df = n - m - (1 if const else 0)

    def predict(self, row):
        return self.b + math.fsum(self.m[j] * row[j] for j in range(self.k))

    def table(self, stats, transform=None):
        k = self.k
        coefs = [self.m[j] for j in range(k - 1, -1, -1)] + [self.b]
        if transform:
            coefs = [transform(c) for c in coefs]
        rows = [coefs]
        if not stats:
            return rows
        err = NUM
        if self.df > 0:
            sey2 = self.ssresid / self.df
            sey = math.sqrt(sey2)
        else:
            sey2 = sey = err
        se = [0.0] * k
        for i, j in enumerate(self.kept):
            se[j] = math.sqrt(sey2 * self.cov[i][i]) if sey2 is not err else err
        if not self.const:
            seb = NA
        elif sey2 is err:
            seb = err
        else:
            xm = [self.xm[j] for j in self.kept]
            quad = math.fsum(xm[a] * self.cov[a][b] * xm[b] for a in range(len(xm)) for b in range(len(xm)))
            seb = math.sqrt(sey2 * (1.0 / self.n + quad))
        rows.append([se[j] for j in range(k - 1, -1, -1)] + [seb])
        r2 = self.ssreg / self.sstotal if self.sstotal > 0 else err
        mk = len(self.kept)
        if sey2 is err or mk == 0 or self.ssresid == 0:
            F = err
        else:
            F = (self.ssreg / mk) / sey2
        pad = [NA] * (k - 1)
        rows.append([r2, sey] + pad)
        rows.append([F, float(self.df)] + pad)
        rows.append([self.ssreg, self.ssresid] + pad)
        return rows


def _opt_bool(x, default):
    """LINEST's const/stats: empty means the default (LINEST(y,x,,TRUE) keeps the constant, as
    Excel computes it); an error value there is #VALUE!."""
    if x is None or x is OMITTED:
        return default
    if x.__class__ is ExcelError:
        raise XLError(VALUE)
    return _bool(x)


def _log_y(y):
    if any(v <= 0 for v in y):
        raise XLError(NUM)
    return [math.log(v) for v in y]


@fn("LINEST", 1, 4, arrays=(0, 1))
def LINEST(known_y, known_x=None, const=None, stats=None):
    y, X, _, _ = _design(known_y, known_x)
    fit = _Fit(y, X, _opt_bool(const, True))
    return Area(fit.table(_opt_bool(stats, False)))


@fn("LOGEST", 1, 4, arrays=(0, 1))
def LOGEST(known_y, known_x=None, const=None, stats=None):
    y, X, _, _ = _design(known_y, known_x)
    fit = _Fit(_log_y(y), X, _opt_bool(const, True))
    return Area(fit.table(_opt_bool(stats, False), math.exp))


def _trend(known_y, known_x, new_x, const, log):
    y, X, layout, k = _design(known_y, known_x)
    if log:
        y = _log_y(y)
    fit = _Fit(y, X, _opt_bool(const, True))
    out = math.exp if log else float
    if new_x is None:  # the fitted values at the known x (1, 2, 3, ... in y's shape when omitted)
        if known_x is None:
            nm = [[float(i * len(r) + j + 1) for j in range(len(r))] for i, r in enumerate(_num_matrix(known_y))]
        else:
            nm = _num_matrix(known_x)
    else:
        try:
            nm = _num_matrix(new_x)
        except XLError:
            raise XLError(VALUE) from None  # an error value in new_x is #VALUE! (Excel)
    if layout == "same":
        return Area([[finite(out(fit.predict([v]))) for v in r] for r in nm])
    if layout == "col":
        if len(nm[0]) != k:
            raise XLError(REF)
        return Area([[finite(out(fit.predict(r)))] for r in nm])
    if len(nm) != k:
        raise XLError(REF)
    return Area([[finite(out(fit.predict([nm[i][j] for i in range(k)]))) for j in range(len(nm[0]))]])


@fn("TREND", 1, 4, arrays=(0, 1, 2))
def TREND(known_y, known_x=None, new_x=None, const=None):
    return _trend(known_y, known_x, new_x, const, False)


@fn("GROWTH", 1, 4, arrays=(0, 1, 2))
def GROWTH(known_y, known_x=None, new_x=None, const=None):
    return _trend(known_y, known_x, new_x, const, True)


@fn("FREQUENCY", 2, 2, arrays=(0, 1))
def FREQUENCY(data_array, bins_array):
    """Counts of data in (previous bin, bin] for each bin in its given order, plus the count above
    the largest bin: a vertical array one longer than bins_array's numbers."""
    xs = _array_nums(data_array)
    bins = _array_nums(bins_array) or [0.0]  # bins without numbers count as one bin at 0 (Excel)
    order = sorted(range(len(bins)), key=lambda i: bins[i])
    counts = [0.0] * (len(bins) + 1)
    sb = [bins[i] for i in order]
    for x in xs:
        pos = bisect.bisect_left(sb, x)
        counts[order[pos] if pos < len(order) else len(bins)] += 1.0
    return Area([[c] for c in counts])
