"""Information: ISERROR, ISNUMBER, ..."""

from __future__ import annotations

import math

from graddesc.engine.functions.base import (  # noqa: F401
    Area, FUNCTIONS, Function, _num1, _numbers, _one, finite, fn, number_text, to_bool, to_number,
    to_text,
)
from graddesc.engine.functions.engineering import reference_arguments, text_number
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401


def _one_raw(x):
    if x.__class__ is Area:
        rows = x.rows
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else VALUE
    return x


@fn("ISERROR", 1, 1)
def ISERROR(x):
    return _one_raw(x).__class__ is ExcelError


@fn("ISERR", 1, 1)
def ISERR(x):
    v = _one_raw(x)
    return v.__class__ is ExcelError and v is not NA


@fn("ISNA", 1, 1)
def ISNA(x):
    return _one_raw(x) is NA


@fn("ISNUMBER", 1, 1)
def ISNUMBER(x):
    return _one_raw(x).__class__ is float


@fn("ISTEXT", 1, 1)
def ISTEXT(x):
    return _one_raw(x).__class__ is str


@fn("ISLOGICAL", 1, 1)
def ISLOGICAL(x):
    return _one_raw(x).__class__ is bool


@fn("ISBLANK", 1, 1)
def ISBLANK(x):
    return _one_raw(x) is None


def _trunc_num(x) -> float:
    """ISEVEN / ISODD's argument: a number, numeric or date text (empty is 0), truncated; a
    boolean or other text is #VALUE!."""
    v = _one_raw(x)
    t = v.__class__
    if t is bool:
        raise XLError(VALUE)
    if t is ExcelError:
        raise XLError(v)
    return math.trunc(finite(text_number(v)))


@fn("ISEVEN", 1, 1, arrays_from=0)
@reference_arguments
def ISEVEN(x):
    return _trunc_num(x) % 2 == 0


@fn("ISODD", 1, 1, arrays_from=0)
@reference_arguments
def ISODD(x):
    return _trunc_num(x) % 2 == 1


@fn("ISNONTEXT", 1, 1)
def ISNONTEXT(x):
    return _one_raw(x).__class__ is not str


@fn("N", 1, 1, arrays=(0,))
def N(x):
    """A number is itself (a date its serial), TRUE 1, an error itself, anything else 0; of a
    range, its first cell."""
    if x.__class__ is Area:
        x = x.rows[0][0] if x.rows and x.rows[0] else None
    t = x.__class__
    if t is float:
        return x
    if t is bool:
        return 1.0 if x else 0.0
    if t is ExcelError:
        raise XLError(x)
    return 0.0


@fn("TYPE", 1, 1, arrays=(0,))
def TYPE(x):
    """1 number (and empty), 2 text, 4 logical, 16 error, 64 array (a multi-cell range)."""
    if x.__class__ is Area:
        rows = x.rows
        if len(rows) != 1 or len(rows[0]) != 1:
            return 64.0
        x = rows[0][0]
    t = x.__class__
    if t is str:
        return 2.0
    if t is bool:
        return 4.0
    if t is ExcelError:
        return 16.0
    return 1.0


_ERROR_TYPES = {"#NULL!": 1.0, "#DIV/0!": 2.0, "#VALUE!": 3.0, "#REF!": 4.0, "#NAME?": 5.0, "#NUM!": 6.0,
                "#N/A": 7.0, "#GETTING_DATA": 8.0, "#SPILL!": 9.0, "#CONNECT!": 10.0, "#BLOCKED!": 11.0,
                "#UNKNOWN!": 12.0, "#FIELD!": 13.0, "#CALC!": 14.0}


@fn("ERROR.TYPE", 1, 1)
def ERROR_TYPE(x):
    v = _one_raw(x)
    if v.__class__ is ExcelError and v.code in _ERROR_TYPES:
        return _ERROR_TYPES[v.code]
    raise XLError(NA)
