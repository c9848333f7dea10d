"""Logic: TRUE, FALSE, NOT, AND, OR, IF, IFERROR, ..."""

from __future__ import annotations

from graddesc.engine.functions.base import (  # noqa: F401
    Area, FUNCTIONS, Function, _num1, _numbers, _one, broadcast, finite, fn, number_text, to_bool,
    to_number, to_text, unit,
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
    """The logical values of AND / OR / XOR arguments: booleans and numbers; text, in a range or
    typed, is ignored unless a typed text reads TRUE or FALSE (AND(TRUE,"0") is TRUE).  An
    error in any argument is the result: XOR(TRUE,"0",#REF!) is #REF!.  No logical value at all
    is #VALUE! (AND("0"), AND(A1:A3) over text or empty cells)."""
    for a in args:
        if a.__class__ is Area:
            for v in a.values():
                if v.__class__ is ExcelError:
                    raise XLError(v)
        elif a.__class__ is ExcelError:
            raise XLError(a)
    out = []
    for a in args:
        if a.__class__ is Area:
            for v in a.values():
                t = v.__class__
                if t is bool or t is float:
                    out.append(bool(v))
        elif a.__class__ is str:
            u = a.upper()
            if u == "TRUE" or u == "FALSE":
                out.append(u == "TRUE")
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


# ------------------------------------------------------------------------------ lazy forms
# Registered with lazy=True: each argument arrives as a thunk (call it to evaluate; None for an
# argument left empty, as in IF(A1,,2)), so only the branch taken is evaluated.  Positions listed
# in `arrays` pass a range through whole (IF's branches: SUM(IF(A1,B1:B3,C1:C3))); the others are
# scalars (a plain cell intersects a range there).  An array there works element by element.

_ABSENT = object()


def _truth(c):
    """Excel's truth of a condition value, or the ExcelError it is."""
    if c.__class__ is ExcelError:
        return c
    try:
        return to_bool(c)
    except XLError as e:
        return e.error


def _value(thunk):
    return 0.0 if thunk is None else thunk()


def _if_fast(g, args):
    """FAST IF: inline, evaluating only the branch taken."""
    if not g.fast:
        return None
    n = len(args)
    t = "0.0" if n < 2 or args[1][0] == "missing" else g.expr(args[1])
    f = "False" if n < 3 else ("0.0" if args[2][0] == "missing" else g.expr(args[2]))
    return f"({t} if _ftruth({g.operand(args[0])}) else {f})"


@fn("IF", 2, 3, lazy=True, arrays=(1, 2), compile=_if_fast)
def IF(cond, then, otherwise=_ABSENT):
    c = unit(cond())
    if c.__class__ is Area:  # an array of conditions: both branches, element by element
        t = _value(then)
        e = False if otherwise is _ABSENT else _value(otherwise)

        def pick(c, t, e):
            b = _truth(c)
            if b.__class__ is ExcelError:
                return b
            return (0.0 if t is None else t) if b else (0.0 if e is None else e)
        return broadcast(pick, c, t, e)
    b = _truth(c)
    if b.__class__ is ExcelError:
        return b
    if b:
        return _value(then)
    return False if otherwise is _ABSENT else _value(otherwise)


def _iferror_fast(g, args):
    if not g.fast:
        return None
    x = g.guard(args[0])
    g.expr(args[1])  # (for its dependencies)
    return f"_fin({x})"


def _on_error(x, alt, test):
    x = unit(x)
    if x.__class__ is Area:  # element by element; the alternative only when needed
        if not any(v.__class__ is ExcelError and test(v) for v in x.values()):
            return x

        def one(v, a):
            return (0.0 if a is None else a) if v.__class__ is ExcelError and test(v) else v
        return broadcast(one, x, _value(alt))
    if x.__class__ is ExcelError and test(x):
        return _value(alt)
    return x


@fn("IFERROR", 2, 2, lazy=True, arrays=(1,), compile=_iferror_fast)
def IFERROR(x, alt):
    return _on_error(_value(x), alt, lambda e: True)


@fn("IFNA", 2, 2, lazy=True, arrays=(1,), compile=_iferror_fast)
def IFNA(x, alt):
    return _on_error(_value(x), alt, lambda e: e.code == "#N/A")


def _lifted(impl, thunks, first):
    """A lazy function met an array at a scalar position (argument `first` evaluated to an
    Area): evaluate every argument and apply impl element by element."""
    vals = [None if t is None else (first if i == 0 else t()) for i, t in enumerate(thunks)]

    def one(*vs):
        try:
            return unit(impl(*[None if t is None else (lambda v=v: v) for t, v in zip(thunks, vs)]))
        except XLError as e:
            return e.error
    return broadcast(one, *vals)


@fn("IFS", 2, 254, lazy=True, arrays=tuple(range(1, 254, 2)))
def IFS(*args):
    """IFS(test1, value1, test2, value2, ...): the value of the first true test; #N/A if none."""
    if len(args) % 2:
        raise XLError(NA)  # Excel refuses the formula; a value for a pair is missing
    for i in range(0, len(args), 2):
        c = unit(_value(args[i]))
        if c.__class__ is Area:
            return _lifted(IFS, args[i:], c) if i == 0 else _lifted(IFS, args, unit(_value(args[0])))
        b = _truth(c)
        if b.__class__ is ExcelError:
            return b
        if b:
            return _value(args[i + 1])
    raise XLError(NA)


def _same(a, b):
    """SWITCH's match: Excel's '=' (text case-insensitively) between the values; an empty cell
    is the number 0 there, as for any value argument (TYPE of an empty cell is 1, a number), so it
    matches 0 but not FALSE or ""."""
    from graddesc.engine.compiler import _eq
    return _eq.scalar(0.0 if a is None else a, 0.0 if b is None else b) is True


@fn("SWITCH", 3, 254, lazy=True, arrays=tuple(range(2, 254, 2)))
def SWITCH(expr, *cases):
    """SWITCH(expression, value1, result1, ..., [default]): the result of the first value equal to
    the expression, else the default, else #N/A."""
    x = unit(_value(expr))
    if x.__class__ is Area:
        return _lifted(SWITCH, (expr,) + cases, x)
    if x.__class__ is ExcelError:
        return x
    n = len(cases) - len(cases) % 2
    for i in range(0, n, 2):
        v = unit(_value(cases[i]))
        if v.__class__ is ExcelError:
            return v
        if _same(x, v):
            return _value(cases[i + 1])
    if len(cases) % 2:
        return _value(cases[-1])
    raise XLError(NA)


def _choice(i, n):
    if i.__class__ is ExcelError:
        raise XLError(i)
    k = int(to_number(i))  # truncated
    if not 1 <= k <= n:
        raise XLError(VALUE)
    return k


@fn("CHOOSE", 2, 255, lazy=True, arrays_from=1)
def CHOOSE(index, *values):
    """CHOOSE(index, value1, ...): the index-th value (truncated); an array of indexes picks
    element by element."""
    i = unit(_value(index))
    if i.__class__ is Area:
        vals = [_value(t) for t in values]

        def pick(i, *vs):
            try:
                return vs[_choice(i, len(vs)) - 1]
            except XLError as e:
                return e.error
        return broadcast(pick, i, *vals)
    return _value(values[_choice(i, len(values)) - 1])


def _let_compile(g, args):
    """LET(name1, value1, [name2, value2, ...], calculation): each name is bound, in order, to
    its value (evaluated once) and can be used by the values after it and by the calculation."""
    if len(args) % 2 == 0:
        raise g.error("LET needs name/value pairs and a calculation")
    scope: dict = {}
    g.locals.append(scope)
    try:
        binds = []
        for i in range(0, len(args) - 1, 2):
            node = args[i]
            if node[0] != "name" or node[2] is not None:
                raise g.error("LET's names must be plain names")
            value = g.expr(args[i + 1])
            var = f"_l{g.nvars}"
            g.nvars += 1
            binds.append((var, value))
            scope[node[1].lower()] = var
        body = g.expr(args[-1])
    finally:
        g.locals.pop()
    for var, value in reversed(binds):
        body = f"(lambda {var}: {body})({value})"
    return body


@fn("LET", 3, 253, compile=_let_compile)
def LET(*args):  # always compiled by _let_compile
    raise XLError(VALUE)



@fn("NA", 0, 0)
def NA_():
    raise XLError(NA)


@fn("XOR", 1, refs=True)
def XOR(*args):
    """TRUE when an odd number of the logical values is TRUE; ranges count their booleans and
    numbers (text and empty cells ignored); no logical value at all is #VALUE!."""
    return sum(_bools(args)) % 2 == 1
