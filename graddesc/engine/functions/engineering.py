"""Engineering: base conversions, CONVERT, complex numbers (IM*), Bessel, ERF, bit operations, ...

Most of these come from Excel's Analysis ToolPak: their numeric arguments reject booleans with
#VALUE! (BIN2DEC(TRUE), DEC2BIN(TRUE)) where Excel's own arithmetic would take TRUE as 1."""

from __future__ import annotations

import math
import re

import dataclasses

from graddesc.engine.functions.base import (  # noqa: F401
    Area, CTX, FUNCTIONS, _num1, _numbers, _one, broadcast, dims, finite, fn, number_text, to_bool,
    to_number, to_text,
)
from graddesc.engine.functions.dates import parse_datetime
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401


def reference_arguments(impl):
    """Excel's Analysis ToolPak functions take their arguments as references: a range of more
    than one cell is #VALUE! (CONVERT(A1:A3,"C","F"), even in an array formula, where other
    functions would intersect or go element by element), while an array (a constant, a
    computed array: CONVERT(+A1:A3,"C","F")) is taken element by element.  Register such a
    function with every position taking a range (arrays_from=0) and this wrapper."""
    def wrapped(*args):
        vals = []
        lift = False
        for a in args:
            if a.__class__ is Area:
                if a.ref is not None:
                    if dims(a) != (1, 1):  # an error in an earlier argument comes first
                        for v in vals:
                            if v.__class__ is ExcelError:
                                raise XLError(v)
                        raise XLError(VALUE)
                    a = a.rows[0][0] if a.rows and a.rows[0] else None
                elif len(a.rows) == 1 and len(a.rows[0]) == 1:
                    a = a.rows[0][0]
                else:
                    lift = True
            vals.append(a)
        if not lift:
            return impl(*vals)

        def one(*xs):
            try:
                return impl(*xs)
            except XLError as e:
                return e.error
        return broadcast(one, *vals)
    wrapped.__name__ = getattr(impl, "__name__", "wrapped")
    wrapped.__doc__ = impl.__doc__
    return wrapped


_BEFORE = set(FUNCTIONS)


def _atp_number(x) -> float:
    """A numeric argument of an Analysis ToolPak function: numbers and numeric text, empty is 0,
    a boolean is #VALUE!."""
    x = _one(x)
    if x.__class__ is bool:
        raise XLError(VALUE)
    return text_number(x)


def text_number(x) -> float:
    """to_number, and a text Excel reads as a date or time counts as its serial
    (ISEVEN("1/1/1900") is ISEVEN(1))."""
    if x.__class__ is str:
        try:
            return to_number(x)
        except XLError:
            r = parse_datetime(x)
            if r is None:
                raise
            return (r[0] or 0) + (r[1] or 0.0)
    return to_number(x)


def _approx_trunc(x: float) -> int:
    """Truncation toward zero (DEC2BIN(-512.8) is DEC2BIN(-512), as documented: "if number is
    not an integer, it is truncated"), forgiving the last bits of binary rounding
    (2.9999999999999996 is 3)."""
    r = round(x)
    if abs(x - r) <= 1e-9:
        return int(r)
    return math.trunc(x)


# ------------------------------------------------------------------------------ number bases
# Excel writes negative numbers as 10-character two's complement (40 bits for hexadecimal, 30 for
# octal, 10 for binary) and accepts at most 10 characters as input.  The documented ranges:
# binary -512..511, octal -536870912..536870911, hexadecimal -549755813888..549755813887.

_BASES = {2: (10, 2 ** 9), 8: (30, 2 ** 29), 16: (40, 2 ** 39)}  # base -> (bits, 2^(bits-1))
_DIGITS = {2: "01", 8: "01234567", 16: "0123456789ABCDEF"}


_OMITTED = object()


def _places(places):
    """The `places` argument: omitted -> None; truncated; below 1 or above 10 is #NUM! (an
    empty cell is 0: #NUM!)."""
    if places is _OMITTED:
        return None
    p = _atp_number(places)
    p = math.trunc(p)
    if p < 1 or p > 10:
        raise XLError(NUM)
    return p


def _to_base(n: int, base: int, places) -> str:
    bits, half = _BASES[base]
    if n < -half or n >= half:
        raise XLError(NUM)
    if n < 0:  # two's complement in 10 characters; places is ignored
        n += 2 ** bits
        digits = _digits(n, base)
        return digits
    digits = _digits(n, base)
    if places is not None:
        if len(digits) > places:
            raise XLError(NUM)
        digits = digits.rjust(places, "0")
    return digits


def _digits(n: int, base: int) -> str:
    if n == 0:
        return "0"
    d = _DIGITS[base]
    out = []
    while n:
        n, r = divmod(n, base)
        out.append(d[r])
    return "".join(reversed(out))


def _from_base(x, base: int) -> int:
    """The value of a binary/octal/hexadecimal number given as text or as a number whose
    digits are read as such (BIN2DEC(1100100)); at most 10 characters, the highest bit of a
    10-character number is the sign."""
    x = _one(x)
    t = x.__class__
    if t is bool:
        raise XLError(VALUE)
    if t is ExcelError:
        raise XLError(x)
    if x is None:
        return 0
    if t is float:
        if x < 0:
            raise XLError(NUM)
        s = number_text(x)
    else:
        s = to_text(x)
    if s == "":
        return 0
    if len(s) > 10:
        raise XLError(NUM)
    s = s.upper()
    allowed = _DIGITS[base]
    if any(c not in allowed for c in s):
        raise XLError(NUM)
    n = int(s, base)
    bits, half = _BASES[base]
    if len(s) == 10 and n >= half:
        n -= 2 ** bits
    return n


def _dec_arg(x) -> int:
    return _approx_trunc(_atp_number(x))


def _make_dec2(base):
    def impl(number, places=_OMITTED):
        p = _places(places)  # Excel checks places first: DEC2BIN("x",0) is #NUM!
        return _to_base(_dec_arg(number), base, p)
    return impl


def _make_2dec(base):
    def impl(number):
        return float(_from_base(number, base))
    return impl


def _make_conv(src, dst):
    def impl(number, places=_OMITTED):
        p = _places(places)
        return _to_base(_from_base(number, src), dst, p)
    return impl


_NAMES = {2: "BIN", 8: "OCT", 10: "DEC", 16: "HEX"}
for _b in (2, 8, 16):
    fn(f"DEC2{_NAMES[_b]}", 1, 2)(_make_dec2(_b))
    fn(f"{_NAMES[_b]}2DEC", 1, 1)(_make_2dec(_b))
    for _d in (2, 8, 16):
        if _d != _b:
            fn(f"{_NAMES[_b]}2{_NAMES[_d]}", 1, 2)(_make_conv(_b, _d))


# ------------------------------------------------------------------------------ complex numbers
# Excel's complex numbers are text: "3+4i", "-i", "1.5j", "2" (the suffix i or j, lower case,
# with no spaces).  Results are written with up to 15 significant digits, a coefficient of 1 as
# the bare suffix ("i", "-i"), a zero part left out ("0" when both are zero).

_CNUM = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_C_FULL = re.compile(rf"([+-]?{_CNUM})([+-])({_CNUM})?([ij])")
_C_IMAG = re.compile(rf"([+-]?)({_CNUM})?([ij])")
_C_REAL = re.compile(rf"[+-]?{_CNUM}")


def _complex_arg(x) -> tuple[complex, str | None]:
    """(value, suffix) of an inumber argument: text in the form x+yi / x+yj, or a number (suffix
    None); an empty cell is 0.  Other text is #NUM!, a boolean #VALUE!."""
    x = _one(x)
    t = x.__class__
    if t is float:
        return complex(x, 0.0), None
    if x is None:
        return 0j, None
    if t is ExcelError:
        raise XLError(x)
    if t is bool:
        raise XLError(VALUE)
    if t is not str:
        raise XLError(VALUE)
    if x == "":
        return 0j, None
    m = _C_FULL.fullmatch(x)
    if m:
        re_, sign, im, suf = m.groups()
        im_v = float(im) if im else 1.0
        return complex(float(re_), -im_v if sign == "-" else im_v), suf
    m = _C_IMAG.fullmatch(x)
    if m:
        sign, im, suf = m.groups()
        im_v = float(im) if im else 1.0
        return complex(0.0, -im_v if sign == "-" else im_v), suf
    if _C_REAL.fullmatch(x):
        return complex(float(x), 0.0), None
    raise XLError(NUM)


def _suffix(*suffixes, mixed=NUM) -> str:
    """The suffix of a result from several inumbers.  Mixing i and j is an error: #NUM! in IMSUB
    and IMDIV, #VALUE! in IMSUM and IMPRODUCT (as Excel answers them)."""
    found = {s for s in suffixes if s}
    if len(found) > 1:
        raise XLError(mixed)
    return found.pop() if found else "i"


def _part_text(x: float) -> str:
    """A real or imaginary coefficient as the complex functions write it: 15 significant digits;
    a small number is written out in full while that takes at most 19 decimals
    ("0.0000000000000001", "0.0000692442674613868"), else in scientific form ("1E-20",
    "1.28233995888454E-06")."""
    t = number_text(x)
    if "E-" in t:
        mant, exp = t.split("E-")
        neg = mant.startswith("-")
        digits = mant.lstrip("-").replace(".", "")
        fixed = "0." + "0" * (int(exp) - 1) + digits
        if len(fixed) <= 21:
            return ("-" if neg else "") + fixed
    return t


def _complex_text(z: complex, suffix: str = "i") -> str:
    re_, im = z.real, z.imag
    if re_ - re_ != 0.0 or im - im != 0.0:
        raise XLError(NUM)
    re_t = _part_text(re_) if re_ != 0.0 else ""
    if re_t == "0":
        re_t = ""
    im_t = _part_text(im) if im != 0.0 else ""
    if im_t in ("", "0"):
        return re_t or "0"
    if im_t == "1":
        im_t = ""
    elif im_t == "-1":
        im_t = "-"
    sign = "+" if re_t and not im_t.startswith("-") else ""
    return f"{re_t}{sign}{im_t}{suffix}"


def _c1(x) -> tuple[complex, str]:
    z, s = _complex_arg(x)
    return z, s or "i"


@fn("COMPLEX", 2, 3)
def COMPLEX(real_num, i_num, suffix=None):
    re_ = _atp_number(real_num)
    im = _atp_number(i_num)
    s = _one(suffix)
    if s is None or s == "":
        s = "i"
    elif s.__class__ is ExcelError:
        raise XLError(s)
    elif s not in ("i", "j"):
        raise XLError(VALUE)
    return _complex_text(complex(re_, im), s)


@fn("IMREAL", 1, 1)
def IMREAL(x):
    return _complex_arg(x)[0].real


@fn("IMAGINARY", 1, 1)
def IMAGINARY(x):
    return _complex_arg(x)[0].imag


@fn("IMABS", 1, 1)
def IMABS(x):
    z = _complex_arg(x)[0]
    return finite(math.hypot(z.real, z.imag))


@fn("IMARGUMENT", 1, 1)
def IMARGUMENT(x):
    z = _complex_arg(x)[0]
    if z == 0:
        raise XLError(DIV0)
    return math.atan2(z.imag, z.real)


@fn("IMCONJUGATE", 1, 1)
def IMCONJUGATE(x):
    z, s = _c1(x)
    return _complex_text(z.conjugate(), s)


def _complex_items(args):
    """inumbers of IMSUM / IMPRODUCT: each argument a value or a range of them (an empty cell is
    0, as everywhere: IMPRODUCT(7,A1) with A1 empty is "0")."""
    for a in args:
        if a.__class__ is Area:
            for v in a.values():
                yield _complex_arg(v)
        else:
            yield _complex_arg(a)


@fn("IMSUM", 1, arrays_from=0)
def IMSUM(*args):
    total, sufs = 0j, []
    for z, s in _complex_items(args):
        total += z
        sufs.append(s)
    return _complex_text(total, _suffix(*sufs, mixed=VALUE))


@fn("IMPRODUCT", 1, arrays_from=0)
def IMPRODUCT(*args):
    total, sufs = 1 + 0j, []
    for z, s in _complex_items(args):
        total *= z
        sufs.append(s)
    return _complex_text(total, _suffix(*sufs, mixed=VALUE))


@fn("IMSUB", 2, 2)
def IMSUB(a, b):
    (z1, s1), (z2, s2) = _complex_arg(a), _complex_arg(b)
    return _complex_text(z1 - z2, _suffix(s1, s2))


@fn("IMDIV", 2, 2)
def IMDIV(a, b):
    (z1, s1), (z2, s2) = _complex_arg(a), _complex_arg(b)
    s = _suffix(s1, s2)
    if z2 == 0:
        raise XLError(NUM)
    return _complex_text(_cdiv(z1, z2), s)


def _cdiv(z1: complex, z2: complex) -> complex:
    a, b, c, d = z1.real, z1.imag, z2.real, z2.imag
    den = c * c + d * d
    if den == 0.0:
        raise XLError(NUM)
    return complex((a * c + b * d) / den, (b * c - a * d) / den)


def _polar(z: complex) -> tuple[float, float]:
    return math.hypot(z.real, z.imag), math.atan2(z.imag, z.real)


@fn("IMPOWER", 2, 2)
def IMPOWER(x, n):
    z, s = _c1(x)
    p = _atp_number(n)
    r, t = _polar(z)
    if r == 0.0:
        if p <= 0:
            raise XLError(NUM)
        return _complex_text(0j, s)
    rp = r ** p
    return _complex_text(complex(rp * math.cos(p * t), rp * math.sin(p * t)), s)


@fn("IMSQRT", 1, 1)
def IMSQRT(x):
    z, s = _c1(x)
    r, t = _polar(z)
    rs = math.sqrt(r)
    return _complex_text(complex(rs * math.cos(t / 2), rs * math.sin(t / 2)), s)


@fn("IMEXP", 1, 1)
def IMEXP(x):
    z, s = _c1(x)
    e = math.exp(z.real)
    return _complex_text(complex(e * math.cos(z.imag), e * math.sin(z.imag)), s)


def _cln(z: complex) -> complex:
    if z == 0:
        raise XLError(NUM)
    r, t = _polar(z)
    return complex(math.log(r), t)


@fn("IMLN", 1, 1)
def IMLN(x):
    z, s = _c1(x)
    return _complex_text(_cln(z), s)


@fn("IMLOG10", 1, 1)
def IMLOG10(x):
    z, s = _c1(x)
    if z == 0:
        raise XLError(NUM)
    r, t = _polar(z)
    return _complex_text(complex(math.log10(r), t / math.log(10)), s)


@fn("IMLOG2", 1, 1)
def IMLOG2(x):
    z, s = _c1(x)
    if z == 0:
        raise XLError(NUM)
    r, t = _polar(z)
    return _complex_text(complex(math.log2(r), t / math.log(2)), s)


def _csin(z: complex) -> complex:
    a, b = z.real, z.imag
    return complex(math.sin(a) * math.cosh(b), math.cos(a) * math.sinh(b))


def _ccos(z: complex) -> complex:
    a, b = z.real, z.imag
    return complex(math.cos(a) * math.cosh(b), -math.sin(a) * math.sinh(b))


def _csinh(z: complex) -> complex:
    a, b = z.real, z.imag
    return complex(math.sinh(a) * math.cos(b), math.cosh(a) * math.sin(b))


def _ccosh(z: complex) -> complex:
    a, b = z.real, z.imag
    return complex(math.cosh(a) * math.cos(b), math.sinh(a) * math.sin(b))


def _real_or_num(f) -> complex:
    try:
        return complex(finite(f()), 0.0)
    except ZeroDivisionError:
        raise XLError(NUM) from None


def _ctan(z: complex) -> complex:
    # tan(a+bi) = (sin 2a + i sinh 2b) / (cos 2a + cosh 2b): the forms below, on the real and
    # imaginary parts, give Microsoft's documented digits (a complex division would not)
    a, b = z.real, z.imag
    if b == 0.0:  # a real number: the real function (cot 1E-16 is 1E16)
        return _real_or_num(lambda: math.tan(a))
    den = math.cos(2 * a) + math.cosh(2 * b)
    if den == 0.0:
        raise XLError(NUM)
    return complex(math.sin(2 * a) / den, math.sinh(2 * b) / den)


def _ccot(z: complex) -> complex:
    a, b = z.real, z.imag
    if b == 0.0:  # a real number: the real function (cot 1E-16 is 1E16)
        return _real_or_num(lambda: math.cos(a) / math.sin(a))
    den = math.cosh(2 * b) - math.cos(2 * a)
    if den == 0.0:
        raise XLError(NUM)
    return complex(math.sin(2 * a) / den, -math.sinh(2 * b) / den)


def _csec(z: complex) -> complex:
    a, b = z.real, z.imag
    if b == 0.0:  # a real number: the real function (cot 1E-16 is 1E16)
        return _real_or_num(lambda: 1 / math.cos(a))
    den = math.cos(2 * a) + math.cosh(2 * b)
    if den == 0.0:
        raise XLError(NUM)
    return complex(2 * math.cos(a) * math.cosh(b) / den, 2 * math.sin(a) * math.sinh(b) / den)


def _ccsc(z: complex) -> complex:
    a, b = z.real, z.imag
    if b == 0.0:  # a real number: the real function (cot 1E-16 is 1E16)
        return _real_or_num(lambda: 1 / math.sin(a))
    den = math.cosh(2 * b) - math.cos(2 * a)
    if den == 0.0:
        raise XLError(NUM)
    return complex(2 * math.sin(a) * math.cosh(b) / den, -2 * math.cos(a) * math.sinh(b) / den)


def _csech(z: complex) -> complex:
    a, b = z.real, z.imag
    if b == 0.0:  # a real number: the real function (cot 1E-16 is 1E16)
        return _real_or_num(lambda: 1 / math.cosh(a))
    den = math.cosh(2 * a) + math.cos(2 * b)
    if den == 0.0:
        raise XLError(NUM)
    return complex(2 * math.cosh(a) * math.cos(b) / den, -2 * math.sinh(a) * math.sin(b) / den)


def _ccsch(z: complex) -> complex:
    a, b = z.real, z.imag
    if b == 0.0:  # a real number: the real function (cot 1E-16 is 1E16)
        return _real_or_num(lambda: 1 / math.sinh(a))
    den = math.cosh(2 * a) - math.cos(2 * b)
    if den == 0.0:
        raise XLError(NUM)
    return complex(2 * math.sinh(a) * math.cos(b) / den, -2 * math.cosh(a) * math.sin(b) / den)


def _complex_fn(name, f):
    def impl(x):
        z, s = _c1(x)
        return _complex_text(f(z), s)
    impl.__name__ = name
    fn(name, 1, 1)(impl)


for _name, _f in (("IMSIN", _csin), ("IMCOS", _ccos), ("IMTAN", _ctan), ("IMCOT", _ccot), ("IMSEC", _csec),
                  ("IMCSC", _ccsc), ("IMSINH", _csinh), ("IMCOSH", _ccosh), ("IMSECH", _csech),
                  ("IMCSCH", _ccsch)):
    _complex_fn(_name, _f)

# ------------------------------------------------------------------------------ CONVERT
# Microsoft's table of units (Excel 2013 and later).  Each unit: its size in its category's base
# unit (g, m, s, Pa, N, J, W, T, l, m2, bit, m/s), whether a metric prefix may be put before it,
# and the power a prefix is raised to (km2 is a square kilometre, 1E6 m2).  Sizes follow the
# units' definitions (1 lbm = 453.59237 g, 1 in = 2.54 cm, 1 gal = 231 in3, 1 lbf = 1 lbm times
# 9.80665 m/s2, 1 BTU = 1055.05585262 J); u, eV and the parsec use the constants Excel uses.
# Prefixes: Excel accepts them on its metric units and, as its own results show, also on ly,
# parsec, mph and uk_pt, but not on ha, psi or Torr.
_LBM = 453.59237
_IN = 0.0254
_FT = 0.3048
_YD = 0.9144
_MI = 1609.344
_NMI = 1852.0
_LBF = 4.4482216152605  # N
_LY = 9460730472580800.0  # the Julian year's light-year
_SURVEY_MI = 6336000.0 / 3937.0  # 5280 survey feet of 1200/3937 m
_GAL = 3.785411784  # litres: 231 cubic inches
_UK_GAL = 4.54609
_HP = 550 * _FT * _LBF  # 550 ft lbf/s in W

_UNITS: dict[str, tuple[str, float, bool, int]] = {}


def _unit(names, category, size, prefix=False, power=1):
    for n in names.split():
        _UNITS[n] = (category, size, prefix, power)


# weight and mass (g)
_unit("g", "mass", 1.0, True)
_unit("sg", "mass", _LBF / _FT * 1000)
_unit("lbm", "mass", _LBM)
_unit("u", "mass", 1.660538782e-24, True)
_unit("ozm", "mass", _LBM / 16)
_unit("grain", "mass", _LBM / 7000)
_unit("cwt shweight", "mass", 100 * _LBM)
_unit("uk_cwt lcwt hweight", "mass", 112 * _LBM)
_unit("stone", "mass", 14 * _LBM)
_unit("ton", "mass", 2000 * _LBM)
_unit("uk_ton LTON brton", "mass", 2240 * _LBM)
# distance (m)
_unit("m", "distance", 1.0, True)
_unit("mi", "distance", _MI)
_unit("Nmi", "distance", _NMI)
_unit("in", "distance", _IN)
_unit("ft", "distance", _FT)
_unit("yd", "distance", _YD)
_unit("ang", "distance", 1e-10, True)
_unit("ell", "distance", 45 * _IN)
_unit("ly", "distance", _LY, True)
_unit("parsec pc", "distance", 3.08567758128155e16, True)
_unit("Pica Picapt", "distance", _IN / 72)
_unit("pica", "distance", _IN / 6)
_unit("survey_mi", "distance", _SURVEY_MI)
# time (s)
_unit("yr", "time", 365.25 * 86400)
_unit("day d", "time", 86400.0)
_unit("hr", "time", 3600.0)
_unit("mn min", "time", 60.0)
_unit("sec s", "time", 1.0, True)
# pressure (Pa)
_unit("Pa p", "pressure", 1.0, True)
_unit("atm at", "pressure", 101325.0, True)
_unit("mmHg", "pressure", 133.322, True)
_unit("psi", "pressure", _LBF / (_IN * _IN))
_unit("Torr", "pressure", 101325 / 760)
# force (N)
_unit("N", "force", 1.0, True)
_unit("dyn dy", "force", 1e-5, True)
_unit("lbf", "force", _LBF)
_unit("pond", "force", 9.80665e-3, True)
# energy (J)
_unit("J", "energy", 1.0, True)
_unit("e", "energy", 1e-7, True)
_unit("c", "energy", 4.184, True)
_unit("cal", "energy", 4.1868, True)
_unit("eV ev", "energy", 1.602176487e-19, True)
_unit("HPh hh", "energy", _HP * 3600)
_unit("Wh wh", "energy", 3600.0, True)
_unit("flb", "energy", _FT * _LBF)
_unit("BTU btu", "energy", 1055.05585262)
# power (W)
_unit("W w", "power", 1.0, True)
_unit("HP h", "power", _HP)
_unit("PS", "power", 75 * 9.80665)
# magnetism (T)
_unit("T", "magnetism", 1.0, True)
_unit("ga", "magnetism", 1e-4, True)
# volume (l)
_unit("l L lt", "volume", 1.0, True)
_unit("tsp", "volume", _GAL / 768)
_unit("tspm", "volume", 0.005)
_unit("tbs", "volume", _GAL / 256)
_unit("oz", "volume", _GAL / 128)
_unit("cup", "volume", _GAL / 16)
_unit("pt us_pt", "volume", _GAL / 8)
_unit("uk_pt", "volume", _UK_GAL / 8, True)
_unit("qt", "volume", _GAL / 4)
_unit("uk_qt", "volume", _UK_GAL / 4)
_unit("gal", "volume", _GAL)
_unit("uk_gal", "volume", _UK_GAL)
_unit("barrel", "volume", 42 * _GAL)
_unit("bushel", "volume", 2150.42 * _IN ** 3 * 1000)
_unit("GRT regton", "volume", 100 * _FT ** 3 * 1000)
_unit("MTON", "volume", 40 * _FT ** 3 * 1000)
# area (m2)
_unit("ha", "area", 1e4)
_unit("ar", "area", 100.0, True)
_unit("uk_acre", "area", 43560 * _FT * _FT)
_unit("us_acre", "area", 43560 * (1200 / 3937) ** 2)
_unit("Morgen", "area", 2500.0)
# information (bit)
_unit("bit", "information", 1.0, True)
_unit("byte", "information", 8.0, True)
# speed (m/s)
_unit("m/s m/sec", "speed", 1.0, True)
_unit("m/h m/hr", "speed", 1 / 3600, True)
_unit("mph", "speed", _MI / 3600, True)
_unit("kn", "speed", _NMI / 3600)
_unit("admkn", "speed", 6080 * _FT / 3600)
# squares and cubes of lengths: "m2" or "m^2"; litres are the volume unit (1 m3 = 1000 l)
for _names, _len, _pre in (("ang", 1e-10, True), ("ft", _FT, False), ("in", _IN, False), ("ly", _LY, False),
                           ("m", 1.0, True), ("mi", _MI, False), ("Nmi", _NMI, False),
                           ("Pica Picapt", _IN / 72, False), ("yd", _YD, False)):
    for _n in _names.split():
        _unit(f"{_n}2 {_n}^2", "area", _len ** 2, _pre, 2)
        _unit(f"{_n}3 {_n}^3", "volume", _len ** 3 * 1000, _pre, 3)

_PREFIXES = {"Y": 1e24, "Z": 1e21, "E": 1e18, "P": 1e15, "T": 1e12, "G": 1e9, "M": 1e6, "k": 1e3, "h": 1e2,
             "da": 1e1, "e": 1e1, "d": 1e-1, "c": 1e-2, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12,
             "f": 1e-15, "a": 1e-18, "z": 1e-21, "y": 1e-24}
_BINARY_PREFIXES = {"Yi": 2.0 ** 80, "Zi": 2.0 ** 70, "Ei": 2.0 ** 60, "Pi": 2.0 ** 50, "Ti": 2.0 ** 40,
                    "Gi": 2.0 ** 30, "Mi": 2.0 ** 20, "ki": 2.0 ** 10}
_TEMPERATURES = {"C": "C", "cel": "C", "F": "F", "fah": "F", "K": "K", "kel": "K", "Rank": "Rank", "Reau": "Reau"}


def _find_units(u: str) -> list:
    """Every reading of a unit name as (category, size in base units): the unit itself, or a
    prefix before a unit that takes one ("pc" is a parsec and a picocalorie)."""
    found = []
    if u in _UNITS:
        cat, size, _, _ = _UNITS[u]
        found.append((cat, size))
    for n in (1, 2):
        pre, rest = u[:n], u[n:]
        if rest in _UNITS:
            cat, size, allowed, power = _UNITS[rest]
            if not allowed:
                continue
            if pre in _PREFIXES:
                found.append((cat, size * _PREFIXES[pre] ** power))
            elif pre in _BINARY_PREFIXES and cat == "information":
                found.append((cat, size * _BINARY_PREFIXES[pre]))
    return found


def _temperature_unit(u: str):
    """(scale, prefix factor) of a temperature unit; kelvins take metric prefixes ("mK")."""
    if u in _TEMPERATURES:
        return _TEMPERATURES[u], 1.0
    for n in (1, 2):
        if u[n:] in ("K", "kel") and u[:n] in _PREFIXES:
            return "K", _PREFIXES[u[:n]]
    return None


def _to_celsius(v: float, u: str) -> float:
    if u == "C":
        return v
    if u == "F":
        return (v - 32) / 1.8
    if u == "K":
        return v - 273.15
    if u == "Rank":
        return (v - 491.67) / 1.8
    return v * 1.25  # Reau


def _from_celsius(c: float, u: str) -> float:
    if u == "C":
        return c
    if u == "F":
        return c * 1.8 + 32
    if u == "K":
        return c + 273.15
    if u == "Rank":
        return (c + 273.15) * 1.8
    return c * 0.8  # Reau


@fn("CONVERT", 3, 3)
def CONVERT(number, from_unit, to_unit):
    v = _atp_number(number)
    f, t = _one(from_unit), _one(to_unit)
    for u in (f, t):
        if u.__class__ is ExcelError:
            raise XLError(u)
    if f.__class__ is not str or t.__class__ is not str:
        raise XLError(NA)
    tf, tt = _temperature_unit(f), _temperature_unit(t)
    if tf or tt:
        if not (tf and tt):
            raise XLError(NA)
        if tf == tt:
            return v
        return finite(_from_celsius(_to_celsius(v * tf[1], tf[0]), tt[0]) / tt[1])
    if f == t and _find_units(f):
        return v
    # the first reading of from_unit with a reading of to_unit in the same category
    pair = next(((a, b) for a in _find_units(f) for b in _find_units(t) if a[0] == b[0]), None)
    if pair is None:
        raise XLError(NA)
    a, b = pair
    return finite(v * a[1] / b[1])


# ------------------------------------------------------------------------------ ERF, DELTA, GESTEP

@fn("ERF", 1, 2)
def ERF(lower, upper=_OMITTED):
    """ERF(x) is erf(x); ERF(lower, upper) integrates from lower to upper: erf(upper) - erf(lower)
    (an empty upper cell is 0).  Negative limits are allowed (Excel 2010 and later)."""
    lo = _atp_number(lower)
    if upper is _OMITTED:
        return math.erf(lo)
    return math.erf(_atp_number(upper)) - math.erf(lo)


@fn("ERF.PRECISE", 1, 1)
def ERF_PRECISE(x):
    return math.erf(_atp_number(x))


@fn("ERFC", 1, 1)
def ERFC(x):
    return math.erfc(_atp_number(x))


fn("ERFC.PRECISE", 1, 1)(ERFC)


@fn("DELTA", 1, 2)
def DELTA(number1, number2=None):
    a = _atp_number(number1)
    b = 0.0 if number2 is None else _atp_number(number2)
    return 1.0 if a == b else 0.0


@fn("GESTEP", 1, 2)
def GESTEP(number, step=None):
    a = _atp_number(number)
    b = 0.0 if step is None else _atp_number(step)
    return 1.0 if a >= b else 0.0


# ------------------------------------------------------------------------------ Bessel functions
# Excel computes these with the classic rational and polynomial approximations of Abramowitz &
# Stegun (as in Numerical Recipes): J0, J1, Y0, Y1, I0, I1, K0, K1 from their fitted
# coefficients, higher orders by recurrence (upward for Y, K and J beyond x, Miller's downward
# recurrence for I and for J below x).  They are accurate to about 1e-8, and Excel's results
# carry exactly that error (BESSELJ(-1,0) is 0.7651976837548592, the function's value is
# 0.7651976865579666), so the same approximations are used here.


def _poly(y: float, coefs) -> float:
    r = 0.0
    for c in reversed(coefs):
        r = r * y + c
    return r


def _j0(x: float) -> float:
    ax = abs(x)
    if ax < 8.0:
        y = x * x
        return (_poly(y, (57568490574.0, -13362590354.0, 651619640.7, -11214424.18, 77392.33017, -184.9052456))
                / _poly(y, (57568490411.0, 1029532985.0, 9494680.718, 59272.64853, 267.8532712, 1.0)))
    z = 8.0 / ax
    y = z * z
    xx = ax - 0.785398164
    p = _poly(y, (1.0, -0.1098628627e-2, 0.2734510407e-4, -0.2073370639e-5, 0.2093887211e-6))
    q = _poly(y, (-0.1562499995e-1, 0.1430488765e-3, -0.6911147651e-5, 0.7621095161e-6, -0.934935152e-7))
    return math.sqrt(0.636619772 / ax) * (math.cos(xx) * p - z * math.sin(xx) * q)


def _j1(x: float) -> float:
    ax = abs(x)
    if ax < 8.0:
        y = x * x
        return (x * _poly(y, (72362614232.0, -7895059235.0, 242396853.1, -2972611.439, 15704.48260, -30.16036606))
                / _poly(y, (144725228442.0, 2300535178.0, 18583304.74, 99447.43394, 376.9991397, 1.0)))
    z = 8.0 / ax
    y = z * z
    xx = ax - 2.356194491
    p = _poly(y, (1.0, 0.183105e-2, -0.3516396496e-4, 0.2457520174e-5, -0.240337019e-6))
    q = _poly(y, (0.04687499995, -0.2002690873e-3, 0.8449199096e-5, -0.88228987e-6, 0.105787412e-6))
    r = math.sqrt(0.636619772 / ax) * (math.cos(xx) * p - z * math.sin(xx) * q)
    return -r if x < 0 else r


def _y0(x: float) -> float:
    if x < 8.0:
        y = x * x
        r = (_poly(y, (-2957821389.0, 7062834065.0, -512359803.6, 10879881.29, -86327.92757, 228.4622733))
             / _poly(y, (40076544269.0, 745249964.8, 7189466.438, 47447.26470, 226.1030244, 1.0)))
        return r + 0.636619772 * _j0(x) * math.log(x)
    z = 8.0 / x
    y = z * z
    xx = x - 0.785398164
    p = _poly(y, (1.0, -0.1098628627e-2, 0.2734510407e-4, -0.2073370639e-5, 0.2093887211e-6))
    q = _poly(y, (-0.1562499995e-1, 0.1430488765e-3, -0.6911147651e-5, 0.7621095161e-6, -0.934935152e-7))
    return math.sqrt(0.636619772 / x) * (math.sin(xx) * p + z * math.cos(xx) * q)


def _y1(x: float) -> float:
    if x < 8.0:
        y = x * x
        r = (x * _poly(y, (-0.4900604943e13, 0.1275274390e13, -0.5153438139e11, 0.7349264551e9, -0.4237922726e7,
                           0.8511937935e4))
             / _poly(y, (0.2499580570e14, 0.4244419664e12, 0.3733650367e10, 0.2245904002e8, 0.1020426050e6,
                         0.3549632885e3, 1.0)))
        return r + 0.636619772 * (_j1(x) * math.log(x) - 1.0 / x)
    z = 8.0 / x
    y = z * z
    xx = x - 2.356194491
    p = _poly(y, (1.0, 0.183105e-2, -0.3516396496e-4, 0.2457520174e-5, -0.240337019e-6))
    q = _poly(y, (0.04687499995, -0.2002690873e-3, 0.8449199096e-5, -0.88228987e-6, 0.105787412e-6))
    return math.sqrt(0.636619772 / x) * (math.sin(xx) * p + z * math.cos(xx) * q)


def _i0(x: float) -> float:
    ax = abs(x)
    if ax < 3.75:
        y = (x / 3.75) ** 2
        return _poly(y, (1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2))
    y = 3.75 / ax
    return (math.exp(ax) / math.sqrt(ax)) * _poly(y, (0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2,
                                                       0.916281e-2, -0.2057706e-1, 0.2635537e-1, -0.1647633e-1,
                                                       0.392377e-2))


def _i1(x: float) -> float:
    ax = abs(x)
    if ax < 3.75:
        y = (x / 3.75) ** 2
        r = ax * _poly(y, (0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2, 0.32411e-3))
    else:
        y = 3.75 / ax
        r = _poly(y, (0.2282967e-1, -0.2895312e-1, 0.1787654e-1, -0.420059e-2))
        r = _poly(y, (0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1)) + y ** 5 * r
        r *= math.exp(ax) / math.sqrt(ax)
    return -r if x < 0 else r


def _k0(x: float) -> float:
    if x <= 2.0:
        y = x * x / 4.0
        return (-math.log(x / 2.0) * _i0(x)) + _poly(y, (-0.57721566, 0.42278420, 0.23069756, 0.3488590e-1,
                                                          0.262698e-2, 0.10750e-3, 0.74e-5))
    y = 2.0 / x
    return (math.exp(-x) / math.sqrt(x)) * _poly(y, (1.25331414, -0.7832358e-1, 0.2189568e-1, -0.1062446e-1,
                                                      0.587872e-2, -0.251540e-2, 0.53208e-3))


def _k1(x: float) -> float:
    if x <= 2.0:
        y = x * x / 4.0
        return (math.log(x / 2.0) * _i1(x)) + (1.0 / x) * _poly(y, (1.0, 0.15443144, -0.67278579, -0.18156897,
                                                                     -0.1919402e-1, -0.110404e-2, -0.4686e-4))
    y = 2.0 / x
    return (math.exp(-x) / math.sqrt(x)) * _poly(y, (1.25331414, 0.23498619, -0.3655620e-1, 0.1504268e-1,
                                                      -0.780353e-2, 0.325614e-2, -0.68245e-3))


_BESSEL_ACC = 40.0
_BIG, _BIG_INV = 1e10, 1e-10


def _jn(n: int, x: float) -> float:
    if n == 0:
        return _j0(x)
    if n == 1:
        return _j1(x)
    ax = abs(x)
    if ax == 0.0:
        return 0.0
    tox = 2.0 / ax
    if ax > n:  # upward recurrence from J0, J1
        bjm, bj = _j0(ax), _j1(ax)
        for j in range(1, n):
            bjm, bj = bj, j * tox * bj - bjm
        ans = bj
    else:  # Miller: downward from an even order, normalised by J0 + 2 (J2 + J4 + ...) = 1
        m = 2 * ((n + int(math.sqrt(_BESSEL_ACC * n))) // 2)
        jsum = False
        bjp = ans = total = 0.0
        bj = 1.0
        for j in range(m, 0, -1):
            bjm = j * tox * bj - bjp
            bjp, bj = bj, bjm
            if abs(bj) > _BIG:
                bj *= _BIG_INV
                bjp *= _BIG_INV
                ans *= _BIG_INV
                total *= _BIG_INV
            if jsum:
                total += bj
            jsum = not jsum
            if j == n:
                ans = bjp
        total = 2.0 * total - bj
        ans /= total
    return -ans if x < 0 and n % 2 else ans


def _in(n: int, x: float) -> float:
    if n == 0:
        return _i0(x)
    if n == 1:
        return _i1(x)
    if x == 0.0:
        return 0.0
    tox = 2.0 / abs(x)
    bip = ans = 0.0
    bi = 1.0
    for j in range(2 * (n + int(math.sqrt(_BESSEL_ACC * n))), 0, -1):
        bim = bip + j * tox * bi
        bip, bi = bi, bim
        if abs(bi) > _BIG:
            ans *= _BIG_INV
            bi *= _BIG_INV
            bip *= _BIG_INV
        if j == n:
            ans = bip
    ans *= _i0(x) / bi
    return -ans if x < 0 and n % 2 else ans


def _yn(n: int, x: float) -> float:
    if n == 0:
        return _y0(x)
    bym, by = _y0(x), _y1(x)
    tox = 2.0 / x
    for j in range(1, n):
        bym, by = by, j * tox * by - bym
    return by


def _kn(n: int, x: float) -> float:
    if n == 0:
        return _k0(x)
    bkm, bk = _k0(x), _k1(x)
    tox = 2.0 / x
    for j in range(1, n):
        bkm, bk = bk, bkm + j * tox * bk
    return bk


def _bessel_args(x, n):
    xv = _atp_number(x)
    order = math.trunc(_atp_number(n))
    if order < 0:
        raise XLError(NUM)
    return xv, order


@fn("BESSELJ", 2, 2)
def BESSELJ(x, n):
    xv, order = _bessel_args(x, n)
    return finite(_jn(order, xv))


@fn("BESSELI", 2, 2)
def BESSELI(x, n):
    xv, order = _bessel_args(x, n)
    return finite(_in(order, xv))


@fn("BESSELY", 2, 2)
def BESSELY(x, n):
    xv, order = _bessel_args(x, n)
    if xv <= 0:
        raise XLError(NUM)
    return finite(_yn(order, xv))


@fn("BESSELK", 2, 2)
def BESSELK(x, n):
    xv, order = _bessel_args(x, n)
    if xv <= 0:
        raise XLError(NUM)
    return finite(_kn(order, xv))


# ------------------------------------------------------------------------------ bit operations
# Arguments are integers from 0 to 2^48 - 1; anything else is #NUM!.

_BIT_LIMIT = 2 ** 48


def _bit_arg(x) -> int:
    v = to_number(_one(x))
    if v < 0 or v != math.floor(v) or v >= _BIT_LIMIT:
        raise XLError(NUM)
    return int(v)


@fn("BITAND", 2, 2)
def BITAND(a, b):
    return float(_bit_arg(a) & _bit_arg(b))


@fn("BITOR", 2, 2)
def BITOR(a, b):
    return float(_bit_arg(a) | _bit_arg(b))


@fn("BITXOR", 2, 2)
def BITXOR(a, b):
    return float(_bit_arg(a) ^ _bit_arg(b))


def _shift(number, amount, left: bool) -> float:
    n = _bit_arg(number)
    s = to_number(_one(amount))
    s = math.trunc(s)
    if abs(s) > 53:
        raise XLError(NUM)
    if not left:
        s = -s
    r = n << s if s >= 0 else n >> -s
    if r >= _BIT_LIMIT:
        raise XLError(NUM)
    return float(r)


@fn("BITLSHIFT", 2, 2)
def BITLSHIFT(number, shift_amount):
    return _shift(number, shift_amount, True)


@fn("BITRSHIFT", 2, 2)
def BITRSHIFT(number, shift_amount):
    return _shift(number, shift_amount, False)


# every function of this module but the bit operations (Excel 2013's own) and IMSUM / IMPRODUCT
# (which take ranges) receives its arguments as references
for _name in sorted(set(FUNCTIONS) - _BEFORE - {"BITAND", "BITOR", "BITXOR", "BITLSHIFT", "BITRSHIFT",
                                               "IMSUM", "IMPRODUCT"}):
    _f = FUNCTIONS[_name]
    FUNCTIONS[_name] = dataclasses.replace(_f, impl=reference_arguments(_f.impl), arrays_from=0)
