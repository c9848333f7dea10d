"""Logic: TRUE, FALSE, NOT, AND, OR, IF, IFERROR, ..."""

from __future__ import annotations

from graddesc.engine.functions.base import (  # noqa: F401
    Area, FUNCTIONS, Function, _num1, _numbers, _one, finite, fn, number_text, to_bool, to_number,
    to_text,
)
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401


# ------------------------------------------------------------------------------ logic

@fn("TRUE", 0, 0)
def TRUE():
    return True


@fn("FALSE", 0, 0)
def FALSE():
    return False


@fn("NOT", 1, 1)
def NOT(x):
    return not to_bool(_one(x))


def _bools(args):
    out = []
    for a in args:
        if a.__class__ is Area:
            for v in a.values():
                t = v.__class__
                if t is ExcelError:
                    raise XLError(v)
                if t is bool or t is float:
                    out.append(bool(v))
        elif a is not None:
            out.append(to_bool(a))
    if not out:
        raise XLError(VALUE)
    return out


@fn("AND", 1, refs=True)
def AND(*args):
    return all(_bools(args))  # every argument is evaluated: an error anywhere is the result


@fn("OR", 1, refs=True)
def OR(*args):
    return any(_bools(args))


@fn("IF", 2, 3)
def IF(cond, then=True, otherwise=False):  # only for completeness: IF is compiled inline
    return then if to_bool(_one(cond)) else otherwise


@fn("IFERROR", 2, 2)
def IFERROR(x, alt):
    return alt if x.__class__ is ExcelError else x


@fn("IFNA", 2, 2)
def IFNA(x, alt):
    return alt if x is NA else x


@fn("NA", 0, 0)
def NA_():
    raise XLError(NA)
