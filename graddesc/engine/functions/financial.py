"""Financial: PMT, NPV, IRR, bonds, depreciation, ...

Formulas follow Microsoft's function reference.  Day counts of the securities functions come
from dates.py (one implementation of the five bases, shared with YEARFRAC and DAYS360); the
coupon schedule runs backwards from maturity in steps of 12/frequency months, month-ends staying
month-ends when maturity is one (as COUPPCD/COUPNCD do)."""

from __future__ import annotations

import math

from graddesc.engine.functions.base import (  # noqa: F401
    CTX,
    FUNCTIONS,
    Area,
    _num1,
    _numbers,
    _one,
    finite,
    fn,
    number_text,
    to_bool,
    to_number,
    to_text,
)
from graddesc.engine.functions.dates import (
    _basis,
    _int,
    add_months,
    day_arg,
    days360,
    days_in_month,
    no_logicals,
    serial_ymd,
    yearfrac,
    ymd_serial,
)
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401


def _opt(v, default):
    return default if v is None else _num1(v)


def _type(v) -> int:
    """The `type` argument of the annuity functions: 0 (end of period) or any other number
    (beginning of period)."""
    return 0 if v is None else (1 if _num1(v) != 0 else 0)


def _pow(a: float, b: float) -> float:
    try:
        r = a ** b
    except ZeroDivisionError:
        raise XLError(DIV0) from None
    except OverflowError:
        raise XLError(NUM) from None
    if isinstance(r, complex):
        raise XLError(NUM)
    return r


# ------------------------------------------------------------------------------ annuities

def fv_(r, n, pmt, pv, t):
    if r == 0:
        return -(pv + pmt * n)
    g = _pow(1 + r, n)
    return -(pv * g + pmt * (1 + r * t) * (g - 1) / r)


def pmt_(r, n, pv, fv, t):
    if r == 0:
        if n == 0:
            raise XLError(NUM)
        return -(pv + fv) / n
    g = _pow(1 + r, n)
    if g == 1:
        raise XLError(NUM)
    return -(r * (fv + pv * g)) / ((1 + r * t) * (g - 1))


def ipmt_(r, per, n, pv, fv, t):
    p = pmt_(r, n, pv, fv, t)
    if per == 1:
        i = 0.0 if t else -pv
    elif t:
        i = fv_(r, per - 2, p, pv, 1) - p
    else:
        i = fv_(r, per - 1, p, pv, 0)
    return i * r


@fn("PMT", 3, 5)
def PMT(rate, nper, pv, fv=None, type_=None):
    return finite(pmt_(_num1(rate), _num1(nper), _num1(pv), _opt(fv, 0.0), _type(type_)))


@fn("FV", 3, 5)
def FV(rate, nper, pmt, pv=None, type_=None):
    return finite(fv_(_num1(rate), _num1(nper), _num1(pmt), _opt(pv, 0.0), _type(type_)))


@fn("PV", 3, 5)
def PV(rate, nper, pmt, fv=None, type_=None):
    r, n, p, f, t = _num1(rate), _num1(nper), _num1(pmt), _opt(fv, 0.0), _type(type_)
    if r == 0:
        return finite(-(f + p * n))
    g = _pow(1 + r, n)
    if g == 0:
        raise XLError(NUM)
    return finite(-(f + p * (1 + r * t) * (g - 1) / r) / g)


@fn("NPER", 3, 5)
def NPER(rate, pmt, pv, fv=None, type_=None):
    r, p, v, f, t = _num1(rate), _num1(pmt), _num1(pv), _opt(fv, 0.0), _type(type_)
    if r == 0:
        if p == 0:
            raise XLError(NUM)
        return finite(-(v + f) / p)
    num = p * (1 + r * t) - f * r
    den = v * r + p * (1 + r * t)
    if den == 0:
        raise XLError(NUM)
    q = num / den
    if q <= 0 or r <= -1:
        raise XLError(NUM)
    return finite(math.log(q) / math.log1p(r))


def _per_args(rate, per, nper, pv, fv, type_):
    r, k, n, v, f, t = _num1(rate), _num1(per), _num1(nper), _num1(pv), _opt(fv, 0.0), _type(type_)
    if k < 1 or k > n:
        raise XLError(NUM)
    return r, k, n, v, f, t


@fn("IPMT", 4, 6)
def IPMT(rate, per, nper, pv, fv=None, type_=None):
    return finite(ipmt_(*_per_args(rate, per, nper, pv, fv, type_)))


@fn("PPMT", 4, 6)
def PPMT(rate, per, nper, pv, fv=None, type_=None):
    r, k, n, v, f, t = _per_args(rate, per, nper, pv, fv, type_)
    return finite(pmt_(r, n, v, f, t) - ipmt_(r, k, n, v, f, t))


@fn("ISPMT", 4, 4)
def ISPMT(rate, per, nper, pv):
    r, k, n, v = _num1(rate), _num1(per), _num1(nper), _num1(pv)
    if n == 0:
        raise XLError(DIV0)
    return finite(v * r * (k / n - 1))


def _cum(rate, nper, pv, start, end, type_, principal):
    r, n, v = _num1(rate), _num1(nper), _num1(pv)  # (Excel uses a fractional nper as it is)
    s, e, t = _num1(start), _num1(end), _num1(type_)
    s, e = math.trunc(s), math.trunc(e)
    if r <= 0 or n <= 0 or v <= 0 or s < 1 or e < 1 or s > e or e > n or t not in (0.0, 1.0):
        raise XLError(NUM)
    t = int(t)
    p = pmt_(r, n, v, 0.0, t)
    total = 0.0
    for k in range(s, e + 1):
        i = ipmt_(r, float(k), n, v, 0.0, t)
        total += (p - i) if principal else i
    return finite(total)


@fn("CUMIPMT", 6, 6)
def CUMIPMT(rate, nper, pv, start, end, type_):
    return _cum(rate, nper, pv, start, end, type_, False)


@fn("CUMPRINC", 6, 6)
def CUMPRINC(rate, nper, pv, start, end, type_):
    return _cum(rate, nper, pv, start, end, type_, True)


@fn("EFFECT", 2, 2)
def EFFECT(nominal, npery):
    r, n = _num1(nominal), math.trunc(_num1(npery))
    if r <= 0 or n < 1:
        raise XLError(NUM)
    return finite(_pow(1 + r / n, n) - 1)


@fn("NOMINAL", 2, 2)
def NOMINAL(effect, npery):
    r, n = _num1(effect), math.trunc(_num1(npery))
    if r <= 0 or n < 1:
        raise XLError(NUM)
    return finite((_pow(1 + r, 1.0 / n) - 1) * n)


@fn("PDURATION", 3, 3)
def PDURATION(rate, pv, fv):
    r, p, f = _num1(rate), _num1(pv), _num1(fv)
    if r <= 0 or p <= 0 or f <= 0:
        raise XLError(NUM)
    return finite((math.log(f) - math.log(p)) / math.log1p(r))


@fn("RRI", 3, 3)
def RRI(nper, pv, fv):
    n, p, f = _num1(nper), _num1(pv), _num1(fv)
    if n <= 0:
        raise XLError(NUM)
    if p == 0:
        raise XLError(NUM)
    return finite(_pow(f / p, 1.0 / n) - 1)


@fn("FVSCHEDULE", 2, 2, arrays=(1,))
def FVSCHEDULE(principal, schedule):
    v = _num1(principal)
    vals = schedule.values() if schedule.__class__ is Area else [schedule]
    for x in vals:
        if x is None:
            continue
        if x.__class__ is ExcelError:
            raise XLError(x)
        if x.__class__ is not float:
            raise XLError(VALUE)
        v *= 1 + x
    return finite(v)


# ------------------------------------------------------------------------------ RATE

def _newton(f, df, x, maxiter, tol=1e-7):
    """Newton's method as Excel's iterative functions: at most `maxiter` steps; converged when a
    step is below `tol` (relative to the rate where it is large); the iterate is then refined to
    machine precision.  #NUM! when it does not converge."""
    for _ in range(maxiter):
        try:
            y, d = f(x), df(x)
        except (OverflowError, ZeroDivisionError, XLError):
            raise XLError(NUM) from None
        if d == 0 or math.isnan(y) or math.isnan(d):
            raise XLError(NUM)
        step = y / d
        x -= step
        if not math.isfinite(x):
            raise XLError(NUM)
        if abs(step) < tol * max(1.0, abs(x)):
            for _ in range(3):  # polish: Newton doubles the correct digits
                try:
                    y, d = f(x), df(x)
                except (OverflowError, ZeroDivisionError, XLError):
                    break
                if d == 0 or math.isnan(y):
                    break
                s2 = y / d
                if math.isnan(s2) or not abs(s2) < abs(step):
                    break
                x -= s2
                step = s2
            return x
    raise XLError(NUM)


@fn("RATE", 3, 6)
def RATE(nper, pmt, pv, fv=None, type_=None, guess=None):
    n, p, v, f, t = _num1(nper), _num1(pmt), _num1(pv), _opt(fv, 0.0), _type(type_)
    g = _opt(guess, 0.1)
    if n <= 0:
        raise XLError(NUM)

    def y(r):
        if abs(r) < 1e-10:
            return v + p * n + f
        q = (1 + r) ** n
        return v * q + p * (1 + r * t) * (q - 1) / r + f

    def dy(r):
        if abs(r) < 1e-10:
            return v * n + p * (n * (n - 1) / 2 + t * n)
        q = (1 + r) ** n
        dq = n * (1 + r) ** (n - 1)
        return v * dq + p * (t * (q - 1) / r + (1 + r * t) * (dq * r - (q - 1)) / (r * r))

    r = _newton(y, dy, g, 20)
    if r <= -1:
        raise XLError(NUM)
    return finite(r)


# ------------------------------------------------------------------------------ cash flows

def _flow_values(a) -> list:
    """The numbers of a values argument: in a range or array only numbers count."""
    if a.__class__ is Area:
        out = []
        for x in a.values():
            if x.__class__ is float:
                out.append(x)
            elif x.__class__ is ExcelError:
                raise XLError(x)
        return out
    return [to_number(a)]


def _strict_values(a) -> list:
    """XNPV/XIRR values and dates: every entry must be a number."""
    vals = list(a.values()) if a.__class__ is Area else [a]
    out = []
    for x in vals:
        if x.__class__ is ExcelError:
            raise XLError(x)
        if x.__class__ is not float:
            raise XLError(VALUE)
        out.append(x)
    return out


@fn("NPV", 2, arrays_from=1)
def NPV(rate, *values):
    r = _num1(rate)
    if r == -1:
        raise XLError(DIV0)
    flows = []
    for a in values:
        if a.__class__ is Area:
            flows.extend(_flow_values(a))
        elif a is not None:
            flows.append(to_number(a))
    total = 0.0
    for i, x in enumerate(flows, 1):
        total += x / _pow(1 + r, i)
    return finite(total)


def _npv_at(r, flows):
    return sum(x / (1 + r) ** i for i, x in enumerate(flows))


def _dnpv_at(r, flows):
    return sum(-i * x / (1 + r) ** (i + 1) for i, x in enumerate(flows))


@fn("IRR", 1, 2, arrays=(0,))
def IRR(values, guess=None):
    flows = _flow_values(values)
    if not any(x > 0 for x in flows) or not any(x < 0 for x in flows):
        raise XLError(NUM)
    g = _opt(guess, 0.1)
    r = _newton(lambda r: _npv_at(r, flows), lambda r: _dnpv_at(r, flows), g, 20)
    if r <= -1:
        raise XLError(NUM)
    return finite(r)


@fn("MIRR", 3, 3, arrays=(0,))
def MIRR(values, finance_rate, reinvest_rate):
    flows = _flow_values(values)
    fr, rr = _num1(finance_rate), _num1(reinvest_rate)
    n = len(flows)
    if n < 2:
        raise XLError(DIV0)
    pos = sum(x / (1 + rr) ** i for i, x in enumerate(flows) if x > 0)
    neg = sum(x / (1 + fr) ** i for i, x in enumerate(flows) if x < 0)
    if pos == 0 or neg == 0:
        raise XLError(DIV0)
    q = -pos * (1 + rr) ** (n - 1) / neg
    return finite(_pow(q, 1.0 / (n - 1)) - 1)


def _xflows(values, dates):
    v = _strict_values(values)
    d = [math.floor(x) for x in _strict_values(dates)]
    if len(v) != len(d):
        raise XLError(NUM)
    if not v:
        raise XLError(NUM)
    d0 = d[0]
    for x in d:
        if x < 0:
            raise XLError(NUM)
        if x < d0:
            raise XLError(NUM)
    return v, [(x - d0) / 365.0 for x in d]


@fn("XNPV", 3, 3, arrays=(1, 2))
def XNPV(rate, values, dates):
    rate = _one(rate)
    if rate.__class__ is bool:  # an Analysis ToolPak function: no logical arguments
        raise XLError(VALUE)
    r = to_number(rate)
    v, t = _xflows(values, dates)
    if r <= 0:  # Excel's XNPV takes positive rates only
        raise XLError(NUM)
    return finite(sum(x / _pow(1 + r, e) for x, e in zip(v, t)))


@fn("XIRR", 2, 3, arrays=(0, 1))
def XIRR(values, dates, guess=None):
    v, t = _xflows(values, dates)
    g = _opt(guess, 0.1)
    if not any(x > 0 for x in v) or not any(x < 0 for x in v):
        raise XLError(NUM)

    def f(r):
        if r <= -1:
            raise XLError(NUM)
        return sum(x / (1 + r) ** e for x, e in zip(v, t))

    def df(r):
        return sum(-e * x / (1 + r) ** (e + 1) for x, e in zip(v, t))

    r = _newton(f, df, g, 100, 1e-8)
    return finite(r)


# ------------------------------------------------------------------------------ depreciation

@fn("SLN", 3, 3)
def SLN(cost, salvage, life):
    c, s, n = _num1(cost), _num1(salvage), _num1(life)
    if n == 0:
        raise XLError(DIV0)
    return finite((c - s) / n)


@fn("SYD", 4, 4)
def SYD(cost, salvage, life, per):
    c, s, n, p = _num1(cost), _num1(salvage), _num1(life), _num1(per)
    if s < 0 or n <= 0 or p <= 0 or p > n:
        raise XLError(NUM)
    return finite((c - s) * (n - p + 1) * 2 / (n * (n + 1)))


@fn("DB", 4, 5)
def DB(cost, salvage, life, period, month=None):
    c, s, n, p = _num1(cost), _num1(salvage), _num1(life), _num1(period)
    m = _opt(month, 12.0)
    m = math.trunc(m)
    if c < 0 or s < 0 or n <= 0 or p <= 0 or m < 1 or m > 12 or p > n + (1 if m < 12 else 0):
        raise XLError(NUM)
    if c == 0:
        return 0.0
    rate = 1 - _pow(s / c, 1 / n)
    rate = math.floor(rate * 1000 + 0.5) / 1000  # Excel rounds the rate to three places
    p = math.trunc(p)
    first = c * rate * m / 12
    if p == 1:
        return finite(first)
    total = first
    dep = first
    for _ in range(2, min(p, math.trunc(n)) + 1):
        dep = (c - total) * rate
        total += dep
    if p > n:
        dep = (c - total) * rate * (12 - m) / 12
    return finite(dep)


def ddb_(c, s, n, p, f):
    rate = f / n
    if rate >= 1:
        rate = 1.0
        old = c if p == 1 else 0.0
    else:
        old = c * (1 - rate) ** (p - 1)
    new = c * (1 - rate) ** p
    d = old - s if new < s else old - new
    return max(d, 0.0)


@fn("DDB", 4, 5)
def DDB(cost, salvage, life, period, factor=None):
    c, s, n, p = _num1(cost), _num1(salvage), _num1(life), _num1(period)
    f = _opt(factor, 2.0)
    if c < 0 or s < 0 or n <= 0 or p <= 0 or f <= 0 or p > n:
        raise XLError(NUM)
    return finite(ddb_(c, s, n, p, f))


def _inter_vdb(c, s, life, life1, period, f):
    vdb = 0.0
    end = math.ceil(period)
    sln = 0.0
    remaining = c - s
    now_sln = False
    for i in range(1, end + 1):
        if not now_sln:
            ddb = ddb_(c, s, life, float(i), f)
            sln = remaining / (life1 - (i - 1))
            if sln > ddb:
                term = sln
                now_sln = True
            else:
                term = ddb
                remaining -= ddb
        else:
            term = sln
        if i == end:
            term *= period + 1 - end
        vdb += term
    return vdb


@fn("VDB", 5, 7)
def VDB(cost, salvage, life, start, end, factor=None, no_switch=None):
    c, s, n = _num1(cost), _num1(salvage), _num1(life)
    a, b = _num1(start), _num1(end)
    f = _opt(factor, 2.0)
    ns = False if no_switch is None else to_bool(_one(no_switch))
    if a < 0 or b < a or b > n or c < 0 or s < 0 or s > c or f <= 0 or n <= 0:
        raise XLError(NUM)
    ia, ib = math.floor(a), math.ceil(b)
    if ns:
        total = 0.0
        for i in range(ia + 1, ib + 1):
            term = ddb_(c, s, n, float(i), f)
            if i == ia + 1:
                term *= min(b, ia + 1) - a
            elif i == ib:
                term *= b + 1 - ib
            total += term
        return finite(total)
    # the depreciation before `start` (periods counted from 0, the last one partial) comes off
    # the cost; the span is then depreciated as a fresh schedule of end-start periods whose
    # straight-line share divides by the life left after start (fractional when start is)
    c2 = c - _inter_vdb(c, s, n, n, a, f)
    return finite(_inter_vdb(c2, s, n, n - a, b - a, f))


# ------------------------------------------------------------------------------ coupons

def _freq(v) -> int:
    f = _int(v)
    if f not in (1, 2, 4):
        raise XLError(NUM)
    return f


def day_count(a: int, b: int, basis: int) -> int:
    """Days from serial a to b as the securities functions count them: 30/360 US (DAYS360's NASD
    method) for basis 0, 30/360 European for 4, actual days otherwise."""
    if basis == 0:
        return days360(a, b, False)
    if basis == 4:
        return days360(a, b, True)
    return b - a


def _is_eom(n: int) -> bool:
    y, m, d = serial_ymd(n)
    return d == days_in_month(y, m)


def coupon_date(anchor: int, months: int) -> int:
    """The coupon date `months` months from anchor (month-ends stay month-ends)."""
    return add_months(anchor, months, _is_eom(anchor))


def coupons(settle: int, mat: int, freq: int):
    """(previous coupon date, next coupon date, number of coupons from settlement to maturity)."""
    step = 12 // freq
    y1, m1, _ = serial_ymd(settle)
    y2, m2, _ = serial_ymd(mat)
    k = max(1, ((y2 - y1) * 12 + m2 - m1) // step)
    while k > 1 and coupon_date(mat, -(k - 1) * step) <= settle:
        k -= 1
    while coupon_date(mat, -k * step) > settle:
        k += 1
    return coupon_date(mat, -k * step), coupon_date(mat, -(k - 1) * step), k


def period_days(pcd: int, ncd: int, basis: int, freq: int) -> float:
    """The length of a coupon period in days: actual for basis 1, 365/freq for basis 3,
    360/freq otherwise."""
    if basis == 1:
        return float(ncd - pcd)
    return (365.0 if basis == 3 else 360.0) / freq


def _coup_args(settlement, maturity, frequency, basis):
    s, m = day_arg(settlement), day_arg(maturity)
    f, b = _freq(frequency), _basis(basis)
    if s >= m:
        raise XLError(NUM)
    return s, m, f, b


def coupdays(s, m, f, b):
    pcd, ncd, _ = coupons(s, m, f)
    return period_days(pcd, ncd, b, f)


def coupdaybs(s, m, f, b):
    pcd, _, _ = coupons(s, m, f)
    return float(day_count(pcd, s, b))


def coupdaysnc(s, m, f, b):
    if b in (0, 4):
        return coupdays(s, m, f, b) - coupdaybs(s, m, f, b)
    _, ncd, _ = coupons(s, m, f)
    return float(ncd - s)


@fn("COUPDAYS", 3, 4)
def COUPDAYS(settlement, maturity, frequency, basis=None):
    return coupdays(*_coup_args(settlement, maturity, frequency, basis))


@fn("COUPDAYBS", 3, 4)
def COUPDAYBS(settlement, maturity, frequency, basis=None):
    return coupdaybs(*_coup_args(settlement, maturity, frequency, basis))


@fn("COUPDAYSNC", 3, 4)
def COUPDAYSNC(settlement, maturity, frequency, basis=None):
    return coupdaysnc(*_coup_args(settlement, maturity, frequency, basis))


@fn("COUPNCD", 3, 4)
def COUPNCD(settlement, maturity, frequency, basis=None):
    s, m, f, _ = _coup_args(settlement, maturity, frequency, basis)
    return float(coupons(s, m, f)[1])


@fn("COUPPCD", 3, 4)
def COUPPCD(settlement, maturity, frequency, basis=None):
    s, m, f, _ = _coup_args(settlement, maturity, frequency, basis)
    return float(coupons(s, m, f)[0])


@fn("COUPNUM", 3, 4)
def COUPNUM(settlement, maturity, frequency, basis=None):
    s, m, f, _ = _coup_args(settlement, maturity, frequency, basis)
    return float(coupons(s, m, f)[2])


# ------------------------------------------------------------------------------ bonds

def price_(s, m, rate, yld, red, f, b):
    e = coupdays(s, m, f, b)
    a = coupdaybs(s, m, f, b)
    dsc = e - a  # (actual/360 and actual/365 too: the period's nominal length less A)
    n = coupons(s, m, f)[2]
    c = 100.0 * rate / f
    if n == 1:
        return (red + c) / (1 + dsc / e * yld / f) - c * a / e
    base = 1 + yld / f
    x = dsc / e
    total = red / base ** (n - 1 + x)
    for k in range(1, n + 1):
        total += c / base ** (k - 1 + x)
    return total - c * a / e


def _solve_yield(price_at, target, guess=0.05):
    """The yield at which price_at(yield) equals target (prices fall as yields rise): Newton
    with a numerical slope, at most 100 steps, bisection when Newton leaves the bracket."""
    lo, hi = -0.999999, None
    y = guess
    for _ in range(100):
        try:
            p = price_at(y) - target
        except (OverflowError, ZeroDivisionError):
            p = math.inf if y < 0 else -math.inf
        if p == 0:
            return y
        if p > 0:
            lo = max(lo, y)
        else:
            hi = y if hi is None else min(hi, y)
        h = 1e-6 * max(1.0, abs(y))
        try:
            d = (price_at(y + h) - price_at(y - h)) / (2 * h)
        except (OverflowError, ZeroDivisionError):
            d = 0.0
        new = y - p / d if d else math.nan
        if math.isnan(new) or new <= lo or (hi is not None and new >= hi):
            new = (lo + hi) / 2 if hi is not None else max(2 * y, y + 1.0)
        if abs(new - y) <= 1e-14 * max(1.0, abs(y)):
            return new
        y = new
    if hi is not None and hi - lo < 1e-10:
        return y
    raise XLError(NUM)


def _bond_args(settlement, maturity, frequency, basis):
    return _coup_args(settlement, maturity, frequency, basis)


@fn("PRICE", 6, 7)
def PRICE(settlement, maturity, rate, yld, redemption, frequency, basis=None):
    s, m, f, b = _bond_args(settlement, maturity, frequency, basis)
    r, y, red = _num1(rate), _num1(yld), _num1(redemption)
    if r < 0 or y < 0 or red <= 0:
        raise XLError(NUM)
    return finite(price_(s, m, r, y, red, f, b))


@fn("YIELD", 6, 7)
def YIELD(settlement, maturity, rate, pr, redemption, frequency, basis=None):
    s, m, f, b = _bond_args(settlement, maturity, frequency, basis)
    r, p, red = _num1(rate), _num1(pr), _num1(redemption)
    if r < 0 or p <= 0 or red <= 0:
        raise XLError(NUM)
    n = coupons(s, m, f)[2]
    if n <= 1:
        e = coupdays(s, m, f, b)
        a = coupdaybs(s, m, f, b)
        dsr = e - a
        t1 = red / 100 + r / f
        t2 = p / 100 + a / e * r / f
        return finite((t1 - t2) / t2 * f * e / dsr)
    return finite(_solve_yield(lambda y: price_(s, m, r, y, red, f, b), p, r if r > 0 else 0.05))


def duration_(s, m, cpn, yld, f, b):
    """Macaulay duration in years: cash flow k (k = 1..N) falls k-1+DSC/E periods after
    settlement, the last one with the redemption of 100."""
    e = coupdays(s, m, f, b)
    x = coupdaysnc(s, m, f, b) / e
    n = coupons(s, m, f)[2]
    c = cpn * 100.0 / f
    y = 1 + yld / f
    num = den = 0.0
    for k in range(1, n + 1):
        cf = c + (100.0 if k == n else 0.0)
        t = k - 1 + x
        v = cf / y ** t
        num += t * v
        den += v
    return num / den / f


def _dur_args(settlement, maturity, coupon, yld, frequency, basis):
    s, m, f, b = _bond_args(settlement, maturity, frequency, basis)
    c, y = _num1(coupon), _num1(yld)
    if c < 0 or y < 0:
        raise XLError(NUM)
    return s, m, c, y, f, b


@fn("DURATION", 5, 6)
def DURATION(settlement, maturity, coupon, yld, frequency, basis=None):
    return finite(duration_(*_dur_args(settlement, maturity, coupon, yld, frequency, basis)))


@fn("MDURATION", 5, 6)
def MDURATION(settlement, maturity, coupon, yld, frequency, basis=None):
    s, m, c, y, f, b = _dur_args(settlement, maturity, coupon, yld, frequency, basis)
    return finite(duration_(s, m, c, y, f, b) / (1 + y / f))


# ------------------------------------------------------------------------------ discounted / at maturity

def _sm(settlement, maturity, basis):
    s, m, b = day_arg(settlement), day_arg(maturity), _basis(basis)
    if s >= m:
        raise XLError(NUM)
    return s, m, b


@fn("DISC", 4, 5)
def DISC(settlement, maturity, pr, redemption, basis=None):
    s, m, b = _sm(settlement, maturity, basis)
    p, r = _num1(pr), _num1(redemption)
    if p <= 0 or r <= 0:
        raise XLError(NUM)
    return finite((r - p) / r / yearfrac(s, m, b))


@fn("INTRATE", 4, 5)
def INTRATE(settlement, maturity, investment, redemption, basis=None):
    s, m, b = _sm(settlement, maturity, basis)
    i, r = _num1(investment), _num1(redemption)
    if i <= 0 or r <= 0:
        raise XLError(NUM)
    return finite((r - i) / i / yearfrac(s, m, b))


@fn("RECEIVED", 4, 5)
def RECEIVED(settlement, maturity, investment, discount, basis=None):
    s, m, b = _sm(settlement, maturity, basis)
    i, d = _num1(investment), _num1(discount)
    if i <= 0 or d <= 0:
        raise XLError(NUM)
    den = 1 - d * yearfrac(s, m, b)
    if den <= 0:
        raise XLError(NUM)
    return finite(i / den)


@fn("PRICEDISC", 4, 5)
def PRICEDISC(settlement, maturity, discount, redemption, basis=None):
    s, m, b = _sm(settlement, maturity, basis)
    d, r = _num1(discount), _num1(redemption)
    if d <= 0 or r <= 0:
        raise XLError(NUM)
    return finite(r - d * r * yearfrac(s, m, b))


@fn("YIELDDISC", 4, 5)
def YIELDDISC(settlement, maturity, pr, redemption, basis=None):
    s, m, b = _sm(settlement, maturity, basis)
    p, r = _num1(pr), _num1(redemption)
    if p <= 0 or r <= 0:
        raise XLError(NUM)
    return finite((r - p) / p / yearfrac(s, m, b))


def _mat_args(settlement, maturity, issue, basis):
    s, m, b = _sm(settlement, maturity, basis)
    i = day_arg(issue)
    if i >= s:
        raise XLError(NUM)
    return s, m, i, b


@fn("PRICEMAT", 5, 6)
def PRICEMAT(settlement, maturity, issue, rate, yld, basis=None):
    s, m, i, b = _mat_args(settlement, maturity, issue, basis)
    r, y = _num1(rate), _num1(yld)
    if r < 0 or y < 0:
        raise XLError(NUM)
    dim, a, dsm = yearfrac(i, m, b), yearfrac(i, s, b), yearfrac(s, m, b)
    return finite((100 + dim * r * 100) / (1 + dsm * y) - a * r * 100)


@fn("YIELDMAT", 5, 6)
def YIELDMAT(settlement, maturity, issue, rate, pr, basis=None):
    s, m, i, b = _mat_args(settlement, maturity, issue, basis)
    r, p = _num1(rate), _num1(pr)
    if r < 0 or p <= 0:
        raise XLError(NUM)
    dim, a, dsm = yearfrac(i, m, b), yearfrac(i, s, b), yearfrac(s, m, b)
    t = p / 100 + a * r
    return finite(((1 + dim * r) - t) / t / dsm)


@fn("ACCRINTM", 3, 5)
def ACCRINTM(issue, settlement, rate, par=None, basis=None):
    i, s = day_arg(issue), day_arg(settlement)
    r, p, b = _num1(rate), _opt(par, 1000.0), _basis(basis)
    if r <= 0 or p <= 0 or i >= s:
        raise XLError(NUM)
    return finite(p * r * yearfrac(i, s, b))


def _last_feb(y, m, d) -> bool:
    return m == 2 and d == days_in_month(y, 2)


def d360us(a: int, b: int, modify_both: bool = False) -> int:
    """30/360 US days from serial a to b as Excel's bond functions count them; modify_both
    (for a period's normal length) moves an end on February's last day or on the 31st to the
    30th whatever the start."""
    y1, m1, d1 = serial_ymd(a)
    y2, m2, d2 = serial_ymd(b)
    feb1, feb2 = _last_feb(y1, m1, d1), _last_feb(y2, m2, d2)
    if feb2 and (feb1 or modify_both):
        d2 = 30
    if d2 == 31 and (d1 >= 30 or modify_both):
        d2 = 30
    if d1 == 31:
        d1 = 30
    if feb1:
        d1 = 30
    return (y2 - y1) * 360 + (m2 - m1) * 30 + d2 - d1


def d365(a: int, b: int) -> int:
    """Actual/365 length convention: 29 February counts as the 28th, years as 365 days."""
    y1, m1, d1 = serial_ymd(a)
    y2, m2, d2 = serial_ymd(b)
    d1 = 28 if m1 == 2 and d1 > 28 else d1
    d2 = 28 if m2 == 2 and d2 > 28 else d2
    return (y2 - y1) * 365 + ymd_serial(y1, m2, d2) - ymd_serial(y1, m1, d1)


def days_between(a: int, b: int, basis: int, numerator: bool = True) -> float:
    """Days from a to b under a basis; `numerator` False gives the convention Excel uses for a
    period's length (30/360 for actual/360, 365-day years for actual/365)."""
    if basis == 0:
        return float(d360us(a, b))
    if basis == 4:
        return float(days360(a, b, True))
    if basis == 2 and not numerator:
        return float(d360us(a, b))
    if basis == 3 and not numerator:
        return float(d365(a, b))
    return float(b - a)


def _accrint_coupons(i: int, fi: int, s: int, f: int, b: int, calc: bool) -> float:
    """ACCRINT's accrued interest in coupons, as Excel counts it: the quasi-coupon schedule steps
    12/f months from first_interest (month-ends stay month-ends when first_interest is one).  The
    settlement's slice runs from max(issue, P) to settlement over the normal length of the
    regular period before first_interest, P being that period's start (or, accruing from issue
    past first_interest, the last coupon date before settlement); each whole period from issue to
    P adds 1 when accruing from issue (calc_method TRUE) and 0 else; the period holding issue
    adds its share days(issue, end) / length."""
    step = 12 // f
    eom = _is_eom(fi)

    def shift(d, k):
        return add_months(d, k * step, eom)

    reg = shift(fi, -1)
    pcd = reg
    if calc and s > fi:
        front = fi
        while front < s:
            pcd = front
            front = shift(front, 1)
    if b == 1:
        nl0 = float(fi - reg)
    else:
        nl0 = (365.0 if b == 3 else 360.0) / f
    acc = days_between(max(i, pcd), s, b) / nl0
    front = pcd
    while front > i:
        end = front
        front = shift(front, -1)
        if i <= front:
            acc += 1.0 if calc else 0.0
        else:
            num = float(d360us(i, end)) if b == 0 else days_between(i, end, b)
            if b == 0:
                den = float(d360us(front, end, True))
            elif b == 3:
                den = 365.0 / f
            else:
                den = days_between(front, end, b, numerator=False)
            acc += num / den
    return acc


@fn("ACCRINT", 6, 8)
def ACCRINT(issue, first_interest, settlement, rate, par, frequency, basis=None, calc_method=None):
    i, fi, s = day_arg(issue), day_arg(first_interest), day_arg(settlement)
    r, p = _num1(rate), _opt(par, 1000.0)
    f, b = _freq(frequency), _basis(basis)
    cm = True if calc_method is None else to_bool(_one(calc_method))
    if r <= 0 or p <= 0 or i >= s:
        raise XLError(NUM)
    return finite(p * r / f * _accrint_coupons(i, fi, s, f, b, cm))


# ------------------------------------------------------------------------------ odd periods

def oddf_price(s, m, iss, fc, rate, yld, red, f, b):
    step = 12 // f
    c = 100.0 * rate / f
    # regular coupons after the first: fc + k*step until maturity
    n_after = 0
    while coupon_date(fc, (n_after + 1) * step) <= m:
        n_after += 1
    # quasi-coupon dates before fc, back to the one on or before issue
    q = 0
    while coupon_date(fc, q * step) > iss:
        q -= 1
    # DFC/E summed over the quasi periods of the odd first period
    dfc = 0.0
    accrued = 0.0
    nq = 0
    dsc_e = None
    for k in range(q, 0):
        lo, hi = coupon_date(fc, k * step), coupon_date(fc, (k + 1) * step)
        nl = period_days(lo, hi, b, f)
        a0 = max(lo, iss)
        # the coupon's share is counted like a period length (30/360 for actual/360)
        dfc += (days_between(a0, hi, b, numerator=False) if b in (2, 3) else day_count(a0, hi, b)) / nl
        if s > a0:
            accrued += day_count(a0, min(s, hi), b) / nl
        if lo <= s < hi:
            dsc_e = day_count(s, hi, b) / nl
        elif s < lo:
            nq += 1
    base = 1 + yld / f
    x = nq + dsc_e
    total = red / base ** (n_after + x)
    total += c * dfc / base ** x
    for k in range(1, n_after + 1):
        total += c / base ** (k + x)
    return total - c * accrued


def _oddf_args(settlement, maturity, issue, first_coupon, rate, frequency, basis):
    s, m, iss, fc = day_arg(settlement), day_arg(maturity), day_arg(issue), day_arg(first_coupon)
    r = _num1(rate)
    f, b = _freq(frequency), _basis(basis)
    if not (m > fc > s > iss) or r < 0:
        raise XLError(NUM)
    return s, m, iss, fc, r, f, b


@fn("ODDFPRICE", 8, 9)
def ODDFPRICE(settlement, maturity, issue, first_coupon, rate, yld, redemption, frequency, basis=None):
    s, m, iss, fc, r, f, b = _oddf_args(settlement, maturity, issue, first_coupon, rate, frequency, basis)
    y, red = _num1(yld), _num1(redemption)
    if y < 0 or red <= 0:
        raise XLError(NUM)
    return finite(oddf_price(s, m, iss, fc, r, y, red, f, b))


@fn("ODDFYIELD", 8, 9)
def ODDFYIELD(settlement, maturity, issue, first_coupon, rate, pr, redemption, frequency, basis=None):
    s, m, iss, fc, r, f, b = _oddf_args(settlement, maturity, issue, first_coupon, rate, frequency, basis)
    p, red = _num1(pr), _num1(redemption)
    if p <= 0 or red <= 0:
        raise XLError(NUM)
    return finite(_solve_yield(lambda y: oddf_price(s, m, iss, fc, r, y, red, f, b), p,
                               r if r > 0 else 0.05))


def _oddl_sums(s, m, li, f, b):
    """(Σ DC_i/NL_i, Σ A_i/NL_i, Σ DSC_i/NL_i) over the quasi-coupon periods from the last
    interest date to maturity."""
    step = 12 // f
    dc = a = dsc = 0.0
    k = 0
    lo = li
    while lo < m:
        hi = coupon_date(li, (k + 1) * step)
        nl = float(hi - lo) if b in (1, 2, 3) else period_days(lo, hi, b, f)  # actual quasi-period lengths
        end = min(hi, m)
        dc += day_count(lo, end, b) / nl
        if s > lo:
            a += day_count(lo, min(s, end), b) / nl
        if s < end:
            dsc += day_count(max(s, lo), end, b) / nl
        k += 1
        lo = hi
    return dc, a, dsc


def _oddl_args(settlement, maturity, last_interest, rate, frequency, basis):
    s, m, li = day_arg(settlement), day_arg(maturity), day_arg(last_interest)
    r = _num1(rate)
    f, b = _freq(frequency), _basis(basis)
    if not (m > s > li) or r < 0:
        raise XLError(NUM)
    return s, m, li, r, f, b


@fn("ODDLPRICE", 7, 8)
def ODDLPRICE(settlement, maturity, last_interest, rate, yld, redemption, frequency, basis=None):
    s, m, li, r, f, b = _oddl_args(settlement, maturity, last_interest, rate, frequency, basis)
    y, red = _num1(yld), _num1(redemption)
    if y < 0 or red <= 0:
        raise XLError(NUM)
    dc, a, dsc = _oddl_sums(s, m, li, f, b)
    c = 100.0 * r / f
    return finite((red + dc * c) / (1 + dsc * y / f) - a * c)


@fn("ODDLYIELD", 7, 8)
def ODDLYIELD(settlement, maturity, last_interest, rate, pr, redemption, frequency, basis=None):
    s, m, li, r, f, b = _oddl_args(settlement, maturity, last_interest, rate, frequency, basis)
    p, red = _num1(pr), _num1(redemption)
    if p <= 0 or red <= 0:
        raise XLError(NUM)
    dc, a, dsc = _oddl_sums(s, m, li, f, b)
    c = 100.0 * r / f
    t = p + a * c
    return finite(((red + dc * c) - t) / t * f / dsc)


# ------------------------------------------------------------------------------ treasury bills

def _tbill_args(settlement, maturity):
    s, m = day_arg(settlement), day_arg(maturity)
    if s >= m or m > add_months(s, 12, False):
        raise XLError(NUM)
    return s, m


@fn("TBILLEQ", 3, 3)
def TBILLEQ(settlement, maturity, discount):
    s, m = _tbill_args(settlement, maturity)
    d = _num1(discount)
    if d <= 0:
        raise XLError(NUM)
    dsm = m - s
    den = 360 - d * dsm
    if den <= 0:
        raise XLError(NUM)
    return finite(365 * d / den)


@fn("TBILLPRICE", 3, 3)
def TBILLPRICE(settlement, maturity, discount):
    s, m = _tbill_args(settlement, maturity)
    d = _num1(discount)
    if d <= 0:
        raise XLError(NUM)
    p = 100 * (1 - d * (m - s) / 360)
    if p <= 0:
        raise XLError(NUM)
    return finite(p)


@fn("TBILLYIELD", 3, 3)
def TBILLYIELD(settlement, maturity, pr):
    s, m = _tbill_args(settlement, maturity)
    p = _num1(pr)
    if p <= 0:
        raise XLError(NUM)
    return finite((100 - p) / p * 360 / (m - s))


# ------------------------------------------------------------------------------ dollar fractions

def _fraction(v) -> int:
    f = math.trunc(_num1(v))
    if f < 0:
        raise XLError(NUM)
    if f == 0:
        raise XLError(DIV0)
    return f


@fn("DOLLARDE", 2, 2)
def DOLLARDE(fractional_dollar, fraction):
    x, f = _num1(fractional_dollar), _fraction(fraction)
    scale = 10.0 ** len(str(f - 1)) if f > 1 else 1.0  # 10^ceiling(log10(f))
    i = math.trunc(x)
    return finite(i + (x - i) * scale / f)


@fn("DOLLARFR", 2, 2)
def DOLLARFR(decimal_dollar, fraction):
    x, f = _num1(decimal_dollar), _fraction(fraction)
    scale = 10.0 ** len(str(f - 1)) if f > 1 else 1.0
    i = math.trunc(x)
    return finite(i + (x - i) * f / scale)


no_logicals(
    "CUMIPMT", "CUMPRINC", "EFFECT", "NOMINAL", "FVSCHEDULE", "XNPV", "XIRR", "COUPDAYS", "COUPDAYBS",
    "COUPDAYSNC", "COUPNCD", "COUPPCD", "COUPNUM", "PRICE", "YIELD", "DURATION", "MDURATION", "DISC",
    "INTRATE", "RECEIVED", "PRICEDISC", "YIELDDISC", "PRICEMAT", "YIELDMAT", "ACCRINTM",
    "ODDFPRICE", "ODDFYIELD", "ODDLPRICE", "ODDLYIELD", "TBILLEQ", "TBILLPRICE", "TBILLYIELD",
    "DOLLARDE", "DOLLARFR",
)
no_logicals("ACCRINT", allow=(7,))
