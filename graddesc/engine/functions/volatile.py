"""Volatile functions: RAND, NOW, TODAY, OFFSET, INDIRECT."""

from __future__ import annotations

import datetime as _dt
import math

from graddesc.engine.functions.base import (  # noqa: F401
    Area, FUNCTIONS, Function, _num1, _numbers, _one, finite, fn, number_text, to_bool, to_number,
    to_text,
)
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401


# ------------------------------------------------------------------------------ volatile
# Their values change on every recalculation; `recalc` reports them (and the cells depending on
# them) instead of comparing.  RAND and RANDBETWEEN give fixed values so that the rest of a
# workbook is computed deterministically; NOW and TODAY read the clock.  OFFSET and INDIRECT
# (volatile in Excel, but reproducible) are reference functions: see reference.py.

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
