"""Text: LEN, CONCATENATE, ..."""

from __future__ import annotations

from graddesc.engine.functions.base import (  # noqa: F401
    Area, FUNCTIONS, Function, _num1, _numbers, _one, finite, fn, number_text, to_bool, to_number,
    to_text,
)
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401


# ------------------------------------------------------------------------------ text

@fn("LEN", 1, 1)
def LEN(x):
    return float(len(to_text(_one(x))))


@fn("CONCATENATE", 1)
def CONCATENATE(*args):
    return "".join(to_text(_one(a)) for a in args)
