"""Engineering: base conversions, CONVERT, complex numbers (IM*), Bessel, ERF, bit operations, ...

Most of these come from Excel's Analysis ToolPak: their numeric arguments reject booleans with
#VALUE! (BIN2DEC(TRUE), DEC2BIN(TRUE)) where Excel's own arithmetic would take TRUE as 1."""

from __future__ import annotations

import math

from graddesc.engine.functions.base import (  # noqa: F401
    Area, CTX, FUNCTIONS, _num1, _numbers, _one, finite, fn, number_text, to_bool, to_number,
    to_text,
)
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401


def _atp_number(x) -> float:
    """A numeric argument of an Analysis ToolPak function: numbers and numeric text, empty is 0,
    a boolean is #VALUE!."""
    x = _one(x)
    if x.__class__ is bool:
        raise XLError(VALUE)
    return to_number(x)


def _approx_trunc(x: float) -> int:
    """Truncation toward zero (DEC2BIN(-512.8) is DEC2BIN(-512), as documented: "if number is
    not an integer, it is truncated"), forgiving the last bits of binary rounding
    (2.9999999999999996 is 3)."""
    r = round(x)
    if abs(x - r) <= 1e-12 * max(1.0, abs(x)):
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
