"""LAMBDA and the functions that take one: MAP, REDUCE, SCAN, BYROW, BYCOL, MAKEARRAY.

LAMBDA(param1, ..., body) compiles (a compile hook) to a function value (compiler.Lambda) whose
parameters are names in the body, like LET's; LAMBDA(x, x+1)(2) calls it, and so does a defined
name whose formula is a LAMBDA (MyFunc(2)).  The helpers receive it as their last argument."""

from __future__ import annotations

from graddesc.engine.functions.base import Area, _num1, fn, unit
from graddesc.engine.values import VALUE, ExcelError, XLError


def _lambda_compile(g, args):
    params, body = args[:-1], args[-1]
    scope: dict = {}
    names = []
    for p in params:
        if p[0] != "name" or p[2] is not None or p[1].lower() in scope:
            raise g.error("LAMBDA's parameters must be distinct plain names")
        var = f"_l{g.nvars}"
        g.nvars += 1
        scope[p[1].lower()] = var
        names.append(var)
    g.locals.append(scope)
    try:
        src = g.expr(body)
    finally:
        g.locals.pop()
    if g.fast:
        g.always_exact = True
        return "_fb()"
    return f"Lambda(lambda {', '.join(names)}: {src}, {len(names)})"


@fn("LAMBDA", 1, 254, compile=_lambda_compile)
def LAMBDA(*args):  # always compiled by its hook
    raise XLError(VALUE)


def _function(f):
    if f.__class__ is ExcelError:
        raise XLError(f)
    if not callable(f) or f.__class__ in (Area, float, str, bool):
        raise XLError(VALUE)
    return f


def _rows(x):
    if x.__class__ is ExcelError:
        raise XLError(x)
    return x.rows if x.__class__ is Area else [[x]]


def _cell(v):
    """A lambda's result where one value is needed: an array's first value is not allowed."""
    v = unit(v)
    return VALUE if v.__class__ is Area else (0.0 if v is None else v)


@fn("MAP", 2, 254, arrays_from=0)
def MAP(*args):
    """MAP(array1, [array2, ...], lambda): the lambda applied to the arrays' elements, pairwise."""
    f = _function(args[-1])
    grids = [_rows(a) for a in args[:-1]]
    h, w = len(grids[0]), len(grids[0][0])
    if any(len(g) != h or len(g[0]) != w for g in grids):
        raise XLError(VALUE)
    return Area([[_cell(f(*(g[i][j] for g in grids))) for j in range(w)] for i in range(h)])


@fn("REDUCE", 2, 3, arrays_from=0)
def REDUCE(*args):
    """REDUCE([initial_value], array, lambda(accumulator, value)): the accumulator after every
    element, row by row."""
    if len(args) == 2:
        initial, array, f = None, args[0], args[1]
    else:
        initial, array, f = args
    f = _function(f)
    acc = unit(initial)
    for row in _rows(array):
        for v in row:
            acc = unit(f(acc, v))
    return 0.0 if acc is None else acc


@fn("SCAN", 2, 3, arrays_from=0)
def SCAN(*args):
    """SCAN([initial_value], array, lambda(accumulator, value)): every intermediate accumulator, in
    the array's shape."""
    if len(args) == 2:
        initial, array, f = None, args[0], args[1]
    else:
        initial, array, f = args
    f = _function(f)
    acc = unit(initial)
    out = []
    for row in _rows(array):
        line = []
        for v in row:
            acc = unit(f(acc, v))
            line.append(_cell(acc))
        out.append(line)
    return Area(out)


@fn("BYROW", 2, 2, arrays_from=0)
def BYROW(array, f):
    """BYROW(array, lambda(row)): one value per row, as a column."""
    f = _function(f)
    return Area([[_cell(f(Area([list(r)])))] for r in _rows(array)])


@fn("BYCOL", 2, 2, arrays_from=0)
def BYCOL(array, f):
    """BYCOL(array, lambda(column)): one value per column, as a row."""
    f = _function(f)
    rows = _rows(array)
    return Area([[_cell(f(Area([[r[j]] for r in rows]))) for j in range(len(rows[0]))]])


@fn("MAKEARRAY", 3, 3, arrays=(2,))
def MAKEARRAY(rows, cols, f):
    """MAKEARRAY(rows, cols, lambda(row, col)): a rows x cols array of the lambda's values."""
    f = _function(f)
    h, w = int(_num1(rows)), int(_num1(cols))
    if h < 1 or w < 1:
        raise XLError(VALUE)
    return Area([[_cell(f(float(i), float(j))) for j in range(1, w + 1)] for i in range(1, h + 1)])
