"""Information: ISERROR, ISNUMBER, ..."""

from __future__ import annotations

from graddesc.engine.functions.base import (  # noqa: F401
    Area, FUNCTIONS, Function, _num1, _numbers, _one, finite, fn, number_text, to_bool, to_number,
    to_text,
)
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
