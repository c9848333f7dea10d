"""AST -> Python source -> compiled functions, once per formula *shape*.

A cell is one integer key: sheet << 36 | row << 15 | col (row 1..1048576 needs 21 bits, col
1..16384 needs 15, so the fields never overlap and a key splits with shifts and masks; the key is
linear in (sheet, row, col), so a relative reference is a constant offset from the formula's own
key).  A reference compiles to
    V.get(k + D)              row and column relative (D = (dsheet<<36) + (drow<<15) + dcol)
    V.get((k & _NC) + D)      row relative, column absolute ($A5)
    V.get((k & _CM) + D)      row absolute, column relative (A$5)
    V.get(K)                  absolute ($A$5)
so one compiled function serves every cell with the same R1C1 formula.

Shape keys (Compiler.shape_for): the text with its digit runs taken out; the runs that are rows
of relative references are replaced by their offset from the cell's row (which runs those are is
worked out once per skeleton by the tokenizer).  When a formula has relative columns its column is
part of the key too.  A shared formula's children (from the reader) use their master's shape
directly.

FAST: plain Python float arithmetic.  Python makes inf/nan where Excel makes #NUM!, and repeats
or concatenates strings where Excel makes #VALUE!, so every computed operand that could carry such
a value into something that would hide it (a divisor, an exponent, a comparison, an IF condition,
a function argument) goes through _fin(), which lets only finite floats and booleans pass; the
evaluator accepts a FAST result only if it is a finite float, a bool, or (when no arithmetic can
produce it) a str.  Anything else, or any exception, and the cell is evaluated EXACT.
EXACT: Excel's semantics through helpers, with error values as values (the first error in
evaluation order wins), compiled lazily the first time a cell of the shape needs it.
"""

from __future__ import annotations

import re

from graddesc.engine import functions as F
from graddesc.engine.functions import Area, power, to_bool, to_number, to_text
from graddesc.engine.parser import MAX_COL, MAX_ROW, parse
from graddesc.engine.tokenizer import tokenize
from graddesc.engine.values import DIV0, ERRORS, NUM, VALUE, ExcelError, Fallback, XLError
from graddesc.errors import FormulaError

SHEET_SHIFT = 36
ROW_SHIFT = 15
COL_MASK = (1 << ROW_SHIFT) - 1
ROW_MASK = ((1 << 21) - 1) << ROW_SHIFT
NOT_COL = ~COL_MASK


def make_key(sheet: int, row: int, col: int) -> int:
    return (sheet << SHEET_SHIFT) | (row << ROW_SHIFT) | col


def split_key(k: int):
    """key -> (sheet index, row, col)."""
    return k >> SHEET_SHIFT, (k >> ROW_SHIFT) & 0x1FFFFF, k & COL_MASK


# Reference modes: how a dependency's key follows from the formula cell's key k.
REL, ROWREL, COLREL, ABS = 0, 1, 2, 3


def dep_key(k: int, mode: int, d: int) -> int:
    if mode == REL:
        return k + d
    if mode == ABS:
        return d
    if mode == ROWREL:
        return (k & NOT_COL) + d
    return (k & COL_MASK) + d


# ------------------------------------------------------------------ helpers used by FAST code

_INF = float("inf")


def _fin(x):
    c = x.__class__
    if c is float:
        if x - x == 0.0:
            return x
    elif c is bool:
        return x
    raise Fallback


def _ftruth(c):
    if c.__class__ is bool:
        return c
    if c.__class__ is float and c - c == 0.0:
        return c != 0.0
    if c is None:
        return False
    raise Fallback


def _fpow(a, b):
    if a.__class__ is float and b.__class__ is float and b - b == 0.0:
        if a > 0.0:
            if a != _INF:
                return a ** b
        elif a < 0.0 and a != -_INF and b.is_integer():
            return a ** b
    raise Fallback


def _fpowc(*xs):
    acc = xs[0]
    for x in xs[1:]:
        acc = _fpow(acc, x)
    return acc


def _fb():
    raise Fallback


# ------------------------------------------------------------------ helpers used by EXACT code
# Every helper takes values (float, str, bool, None, ExcelError, Area) and returns a value; an
# error operand is returned as it is (the left one first), nothing raises.

def _n(v):
    """A number, or the ExcelError that coercing v gives."""
    c = v.__class__
    if c is float:
        return v
    if v is None:
        return 0.0
    if c is bool:
        return 1.0 if v else 0.0
    if c is ExcelError:
        return v
    try:
        return to_number(v)
    except XLError as e:
        return e.error


def _ok(r):
    return r if r - r == 0.0 else NUM


def _add(a, b):
    a, b = _n(a), _n(b)
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    return _ok(a + b)


def _sub(a, b):
    a, b = _n(a), _n(b)
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    return _ok(a - b)


def _mul(a, b):
    a, b = _n(a), _n(b)
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    return _ok(a * b)


def _div(a, b):
    a, b = _n(a), _n(b)
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    if b == 0.0:
        return DIV0
    return _ok(a / b)


def _pow(a, b):
    a, b = _n(a), _n(b)
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    try:
        return power(a, b)
    except XLError as e:
        return e.error


def _neg(a):
    a = _n(a)
    return a if a.__class__ is ExcelError else -a


def _pct(a):
    a = _n(a)
    return a if a.__class__ is ExcelError else a / 100.0


def _cat(*xs):
    out = []
    for x in xs:
        if x.__class__ is ExcelError:
            return x
        try:
            out.append(to_text(x))
        except XLError as e:
            return e.error
    return "".join(out)


_RANK = {float: 0, str: 1, bool: 2}


def _cmp(a, b):
    """-1, 0, 1 as Excel compares (numbers < text < booleans, text case-insensitively, empty is
    0, "" or FALSE after the other side), or an ExcelError."""
    if a.__class__ is Area:
        a = _area1(a)
    if b.__class__ is Area:
        b = _area1(b)
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    if a is None:
        a = "" if b.__class__ is str else (False if b.__class__ is bool else 0.0)
    if b is None:
        b = "" if a.__class__ is str else (False if a.__class__ is bool else 0.0)
    ra, rb = _RANK[a.__class__], _RANK[b.__class__]
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        a, b = a.lower(), b.lower()
    return (a > b) - (a < b)


def _area1(a):
    rows = a.rows
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    return VALUE


def _cmpop(test):
    def op(a, b):
        c = _cmp(a, b)
        return c if c.__class__ is ExcelError else test(c)
    return op


_eq = _cmpop(lambda c: c == 0)
_ne = _cmpop(lambda c: c != 0)
_lt = _cmpop(lambda c: c < 0)
_le = _cmpop(lambda c: c <= 0)
_gt = _cmpop(lambda c: c > 0)
_ge = _cmpop(lambda c: c >= 0)


def _fold(ops, *xs):
    acc = xs[0]
    for op, x in zip(ops, xs[1:]):
        acc = op(acc, x)
    return acc


def _if(c, then, otherwise):
    if c.__class__ is Area:
        c = _area1(c)
    if c.__class__ is ExcelError:
        return c
    try:
        return then() if to_bool(c) else otherwise()
    except XLError as e:
        return e.error


def _iferror(x, alt, only_na):
    if x.__class__ is Area:
        x = _area1(x)
    if x.__class__ is ExcelError and (not only_na or x.code == "#N/A"):
        return alt()
    return x


def _x(f, *args):
    """Call a function implementation; a raised error becomes its value."""
    try:
        r = f(*args)
    except XLError as e:
        return e.error
    except ZeroDivisionError:
        return DIV0
    except (OverflowError, ValueError):
        return NUM
    if r.__class__ is float and r - r != 0.0:
        return NUM
    return r


def _area(V, k1, k2):
    s1, r1, c1 = k1 >> SHEET_SHIFT, (k1 >> ROW_SHIFT) & 0x1FFFFF, k1 & COL_MASK
    r2, c2 = (k2 >> ROW_SHIFT) & 0x1FFFFF, k2 & COL_MASK
    base = s1 << SHEET_SHIFT
    get = V.get
    if c1 == c2:
        return Area([[get(base | (r << ROW_SHIFT) | c1)] for r in range(r1, r2 + 1)])
    return Area([[get(base | (r << ROW_SHIFT) | c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)])


_OP_EXACT = {"+": "_add", "-": "_sub", "*": "_mul", "/": "_div", "^": "_pow", "&": None,
             "=": "_eq", "<>": "_ne", "<": "_lt", "<=": "_le", ">": "_gt", ">=": "_ge"}

GLOBALS = {
    "_fin": _fin, "_ftruth": _ftruth, "_fpow": _fpow, "_fpowc": _fpowc, "_fb": _fb,
    "_add": _add, "_sub": _sub, "_mul": _mul, "_div": _div, "_pow": _pow, "_neg": _neg, "_pct": _pct,
    "_cat": _cat, "_eq": _eq, "_ne": _ne, "_lt": _lt, "_le": _le, "_gt": _gt, "_ge": _ge,
    "_fold": _fold, "_if": _if, "_iferror": _iferror, "_x": _x, "_area": _area,
    "_NC": NOT_COL, "_CM": COL_MASK, "__builtins__": {"float": float},
}
_ERR_NAME = {}
for _code, _err in ERRORS.items():
    _ERR_NAME[_code] = "_E_" + re.sub(r"\W", "", _code)
    GLOBALS[_ERR_NAME[_code]] = _err
for _name, _f in F.FUNCTIONS.items():
    GLOBALS["F_" + _name.replace(".", "_")] = _f.impl


def _fname(name):
    return "F_" + name.replace(".", "_")


# ------------------------------------------------------------------ shapes

QK_NEVER = 1 << 62  # a quick check that always fails: dependencies must be looked at


class Shape:
    """One compiled formula shape: what every cell with this R1C1 formula shares."""

    __slots__ = ("fast", "exact", "deps", "areas", "volatile", "error", "unknown", "text", "qk",
                 "bounds", "str_ok", "ast", "sheet", "row", "col", "where")

    def __init__(self, text=""):
        self.fast = None
        self.exact = None
        self.deps = ()  # ((mode, d), ...) single-cell dependencies
        self.areas = ()  # ((mode1, d1, mode2, d2), ...) top-left and bottom-right of ranges
        self.volatile = False
        self.error = None  # a FormulaError for every cell of this shape (syntax, too complex)
        self.unknown = ()  # names of unknown functions (compiled as #NAME?)
        self.text = text
        self.qk = QK_NEVER  # a cell k needs no dependency search when qk < k
        self.bounds = None  # (min drow, max drow, min dcol, max dcol) of relative references
        self.str_ok = False
        self.ast = None


class Context:
    """What compiling needs from the workbook."""

    def __init__(self, sheet_index, resolve_name, max_row, max_col=None):
        self.sheet_index = sheet_index  # lower-case sheet name -> index
        self.resolve_name = resolve_name  # (name, sheet index) -> formula text or None
        self.max_row = max_row  # sheet index -> last used row
        self.max_col = max_col or {}  # sheet index -> last used column


_DIGITS = re.compile(r"\d+")
_split_digits = re.compile(r"(\d+)").split
_REL_ROW = re.compile(r"\$?[A-Za-z]+(\$?)(\d+)$")


class Compiler:
    def __init__(self, ctx: Context, fast: bool = True):
        self.ctx = ctx
        self.use_fast = fast  # False: every cell is evaluated EXACT (for testing the FAST path)
        self.skeletons: dict = {}  # (sheet, skeleton) -> (relative-row run indices, column in key?)
        self.shapes: dict = {}  # shape key -> Shape
        self.plain: dict = {}  # (sheet, text) -> Shape for texts without relative references

    def shape_for(self, sheet: int, row: int, col: int, text: str, k: int, where) -> Shape:
        """The shape of formula `text` (without '=') at (row, col) of `sheet`, key k; where(k)
        names the cell (called only when something is compiled)."""
        sh = self.plain.get((sheet, text))
        if sh is not None:
            return sh
        parts = _split_digits(text)
        skel = "#".join(parts[0::2])
        info = self.skeletons.get((sheet, skel))
        if info is None:
            info = self._skeleton_info(text)
            self.skeletons[(sheet, skel)] = info
        rel, col_in_key = info
        if rel is None:  # not even tokenizable: one shape per text, with the error
            key = (sheet, text)
        elif not rel and not col_in_key:
            sh = self.shapes.get((sheet, text))
            if sh is None:
                sh = self._compile(sheet, row, col, text, where(k))
                self.shapes[(sheet, text)] = sh
            if len(self.plain) < 200_000:
                self.plain[(sheet, text)] = sh
            return sh
        else:
            nums = parts[1::2]
            for i in rel:
                nums[i] = int(nums[i]) - row
            key = (sheet, skel, col if col_in_key else 0, *nums)
        sh = self.shapes.get(key)
        if sh is None:
            sh = self._compile(sheet, row, col, text, where(k))
            self.shapes[key] = sh
        return sh

    @staticmethod
    def _skeleton_info(text):
        """(indices of the digit runs that are rows of relative references, whether any
        reference has a relative column), or (None, False) when the text cannot be tokenized."""
        try:
            toks = tokenize(text)
        except FormulaError:
            return None, False
        rel_starts = set()
        col_rel = False
        for kind, t, start, end in toks:
            if kind == "cell":
                m = _REL_ROW.match(t)
                if not m.group(1):
                    rel_starts.add(start + m.start(2))
                if not t.startswith("$"):
                    col_rel = True
            elif kind == "rowrange":
                for m in re.finditer(r"(\$?)(\d+)", t):
                    if not m.group(1):
                        rel_starts.add(start + m.start(2))
            elif kind == "colrange":
                a, b = t.split(":")
                if not a.startswith("$") or not b.startswith("$"):
                    col_rel = True
        rel = tuple(i for i, m in enumerate(_DIGITS.finditer(text)) if m.start() in rel_starts)
        return rel, col_rel

    def _compile(self, sheet, row, col, text, where) -> Shape:
        shape = Shape(text)
        shape.sheet, shape.row, shape.col, shape.where = sheet, row, col, where
        try:
            ast = parse(text, where)
            gen = _Gen(self, sheet, row, col, where, fast=True)
            src = gen.expr(ast)
            shape.deps = tuple(gen.deps)
            shape.areas = tuple(gen.areas)
            shape.volatile = gen.volatile
            shape.unknown = tuple(gen.unknown)
            shape.bounds = gen.bounds()
            shape.qk = gen.quick_key()
            shape.str_ok = not _risky(ast)
            shape.ast = ast
            if gen.unknown or gen.always_exact or not self.use_fast:
                shape.fast = None
            else:
                shape.fast = _build(f"def fast(k, V):\n    return {src}\n", "fast", where)
        except FormulaError as e:
            shape.error = e
        return shape

    def exact_of(self, shape: Shape):
        """The EXACT function of a shape, compiled on first use."""
        if shape.exact is None:
            gen = _Gen(self, shape.sheet, shape.row, shape.col, shape.where, fast=False)
            src = gen.expr(shape.ast)
            fn = _build(f"def exact(k, V):\n    return {src}\n", "exact", shape.where)
            if fn is None:
                raise FormulaError(shape.where, "formula too complex to compile")
            shape.exact = fn
        return shape.exact


def _build(src, name, where):
    try:
        code = compile(src, f"<formula {where}>", "exec")
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return None
    ns = {}
    exec(code, GLOBALS, ns)
    return ns[name]


def _risky(node):
    """Could FAST code return a wrong str here (Python's "a"+"b", "a"*True)?"""
    kind = node[0]
    if kind == "bin":
        return node[1] in ("+", "*")
    if kind == "chain":
        return node[1] in (3, 4)
    if kind == "pos":
        return _risky(node[1])
    if kind == "name":
        return True  # whatever the name stands for
    if kind == "call" and node[1] == "IF":
        return any(_risky(a) for a in node[2][1:])
    return False


_SIMPLE = frozenset(("num", "str", "bool", "ref", "area", "missing", "err"))


class _Gen:
    """Generates FAST or EXACT Python source for one AST at one cell."""

    def __init__(self, comp: Compiler, sheet: int, row: int, col: int, where: str, fast: bool):
        self.comp = comp
        self.sheet = sheet
        self.row = row
        self.col = col
        self.where = where
        self.fast = fast
        self.deps: list = []
        self.areas: list = []
        self.volatile = False
        self.unknown: list = []
        self.always_exact = False
        self.name_depth = 0
        self.rel_rows: list = []
        self.rel_cols: list = []

    # -- dependencies ------------------------------------------------------------------
    def bounds(self):
        if not self.rel_rows and not self.rel_cols:
            return None
        rr, cc = self.rel_rows or [0], self.rel_cols or [0]
        return min(rr), max(rr), min(cc), max(cc)

    def quick_key(self):
        """qk: the formula's own key k needs no dependency search when qk < k, i.e. when every
        dependency (and every range's last cell) comes before k in key order."""
        qk = -1
        for mode, d in list(self.deps) + [(a[2], a[3]) for a in self.areas]:
            if mode == REL:
                if d >= 0:
                    return QK_NEVER
            elif mode == ABS:
                qk = max(qk, d)
            else:
                return QK_NEVER
        return qk

    def sheet_of(self, name):
        if name is None:
            return self.sheet
        return self.comp.ctx.sheet_index.get(name.lower())

    def key_expr(self, sheet, row, col, row_abs, col_abs):
        """(python expression of the key, mode, d)."""
        if self.name_depth:
            row_abs = col_abs = True  # a defined name's references are absolute
        if row_abs and col_abs:
            k = make_key(sheet, row, col)
            return str(k), ABS, k
        if not row_abs:
            self.rel_rows.append(row - self.row)
        if not col_abs:
            self.rel_cols.append(col - self.col)
        ds = (sheet - self.sheet) << SHEET_SHIFT
        if not row_abs and not col_abs:
            d = ds + ((row - self.row) << ROW_SHIFT) + (col - self.col)
            return f"(k + {d})", REL, d
        if not row_abs:
            d = ds + ((row - self.row) << ROW_SHIFT) + col
            return f"((k & _NC) + {d})", ROWREL, d
        d = (sheet << SHEET_SHIFT) + (row << ROW_SHIFT) + (col - self.col)
        return f"((k & _CM) + {d})", COLREL, d

    # -- expressions -------------------------------------------------------------------
    def expr(self, node):
        kind = node[0]
        if kind == "num":
            v = node[1]
            if v - v != 0.0:
                return "_fb()" if self.fast else _ERR_NAME["#NUM!"]
            return repr(v)
        if kind == "str":
            return repr(node[1])
        if kind == "bool":
            return "True" if node[1] else "False"
        if kind == "err":
            return _ERR_NAME.get(node[1], _ERR_NAME["#VALUE!"])
        if kind == "missing":
            return "None"
        if kind == "ref":
            _, sname, row, col, rabs, cabs = node
            sheet = self.sheet_of(sname)
            if sheet is None:
                return _ERR_NAME["#REF!"]
            e, mode, d = self.key_expr(sheet, row, col, rabs, cabs)
            if self.fast:
                self.deps.append((mode, d))
            return f"V.get({e})"
        if kind == "area":
            return self.area(node)
        if kind == "name":
            return self.name(node)
        if kind == "neg":
            x = self.expr(node[1])
            return f"(-{x})" if self.fast else f"_neg({x})"
        if kind == "pos":
            return self.expr(node[1])
        if kind == "pct":
            x = self.expr(node[1])
            return f"({x} / 100.0)" if self.fast else f"_pct({x})"
        if kind == "bin":
            return self.chain([node[2], node[3]], [node[1]])
        if kind == "chain":
            return self.chain(node[2], node[3])
        if kind == "call":
            return self.call(node)
        raise FormulaError(self.where, f"cannot compile {kind}")

    def area(self, node):
        _, sname, r1, c1, r2, c2, r1a, c1a, r2a, c2a = node
        sheet = self.sheet_of(sname)
        if sheet is None:
            return _ERR_NAME["#REF!"]
        if r1 == 1 and r2 == MAX_ROW and r1a and r2a:  # whole column: clip to the used rows
            r2 = max(1, self.comp.ctx.max_row.get(sheet, 1))
        if c1 == 1 and c2 == MAX_COL and c1a and c2a:  # whole row: clip to the used columns
            c2 = max(1, self.comp.ctx.max_col.get(sheet, 1))
        e1, m1, d1 = self.key_expr(sheet, r1, c1, r1a, c1a)
        e2, m2, d2 = self.key_expr(sheet, r2, c2, r2a, c2a)
        if self.fast:
            self.areas.append((m1, d1, m2, d2))
        return f"_area(V, {e1}, {e2})"

    def name(self, node):
        _, name, sname = node
        if sname is not None:
            scope = self.sheet_of(sname)
            if scope is None:
                return _ERR_NAME["#REF!"]
        else:
            scope = self.sheet
        text = self.comp.ctx.resolve_name(name, scope)
        if text is None:
            self.always_exact = True
            return "_fb()" if self.fast else _ERR_NAME["#NAME?"]
        if self.name_depth > 8:
            raise FormulaError(self.where, f"defined name {name} refers to itself")
        try:
            ast = parse(text, f"{self.where} (name {name})")
        except FormulaError:
            return _ERR_NAME["#REF!"]
        self.name_depth += 1
        try:
            return self.expr(ast)
        finally:
            self.name_depth -= 1

    def guard(self, node):
        """An operand in FAST code that must be a finite float or a bool if computed."""
        x = self.expr(node)
        if not self.fast or node[0] in _SIMPLE:
            return x
        if node[0] == "name":
            ast = self.name_ast(node)
            if ast is not None and ast[0] in _SIMPLE:
                return x
        return f"_fin({x})"

    def name_ast(self, node):
        _, name, sname = node
        scope = self.sheet_of(sname) if sname is not None else self.sheet
        text = self.comp.ctx.resolve_name(name, scope) if scope is not None else None
        if text is None:
            return None
        try:
            return parse(text, self.where)
        except FormulaError:
            return None

    def chain(self, xs, ops):
        prec = {"+": 3, "-": 3, "*": 4, "/": 4, "^": 5, "&": 2}.get(ops[0], 1)
        if not self.fast:
            if prec == 2:
                return "_cat(" + ", ".join(self.expr(x) for x in xs) + ")"
            if len(ops) == 1:
                return f"{_OP_EXACT[ops[0]]}({self.expr(xs[0])}, {self.expr(xs[1])})"
            fns = ", ".join(_OP_EXACT[o] for o in ops)
            return f"_fold(({fns},), " + ", ".join(self.expr(x) for x in xs) + ")"
        if prec == 2:
            return "_cat(" + ", ".join(self.guard(x) if _risky(x) else self.expr(x) for x in xs) + ")"
        if prec == 1:
            if len(ops) == 1:
                return f"{_OP_EXACT[ops[0]]}({self.guard(xs[0])}, {self.guard(xs[1])})"
            fns = ", ".join(_OP_EXACT[o] for o in ops)
            return f"_fold(({fns},), " + ", ".join(self.guard(x) for x in xs) + ")"
        if prec == 5:
            if len(ops) == 1:
                b = xs[1]
                if b[0] == "num" and b[1] > 0 and b[1] == int(b[1]) and b[1] <= 64:
                    return f"({self.expr(xs[0])} ** {b[1]!r})"
                return f"_fpow({self.expr(xs[0])}, {self.expr(b)})"
            return "_fpowc(" + ", ".join(self.expr(x) for x in xs) + ")"
        # + - * /: Python evaluates a flat infix run left to right, as Excel does
        terms = [self.expr(xs[0])]
        for op, x in zip(ops, xs[1:]):
            terms.append(f"{op} {self.guard(x) if op == '/' else self.expr(x)}")
        out = terms[0]
        for i in range(1, len(terms), 200):  # keep Python's parser within its nesting limits
            out = "(" + " ".join([out] + terms[i:i + 200]) + ")"
        return out

    def call(self, node):
        _, name, args = node
        fdef = F.FUNCTIONS.get(name)
        if fdef is None:
            self.unknown.append(name)
            return _ERR_NAME["#NAME?"]
        n = len(args)
        if not fdef.min_args <= n <= fdef.max_args:
            if fdef.min_args == fdef.max_args:
                want = f"{fdef.min_args}"
            elif fdef.max_args >= 255:
                want = f"at least {fdef.min_args}"
            else:
                want = f"{fdef.min_args} to {fdef.max_args}"
            raise FormulaError(self.where, f"{name}() takes {want} argument{'s' if want != '1' else ''}, got {n}")
        if fdef.volatile:
            self.volatile = True
        fast = self.fast
        if name == "IF":
            c = args[0]
            t = "0.0" if n < 2 or args[1][0] == "missing" else self.expr(args[1])
            f = "False" if n < 3 else ("0.0" if args[2][0] == "missing" else self.expr(args[2]))
            if fast:
                return f"({t} if _ftruth({self.expr(c)}) else {f})"
            return f"_if({self.expr(c)}, lambda: {t}, lambda: {f})"
        if name in ("IFERROR", "IFNA"):
            if fast:
                x = self.expr(args[0])
                self.expr(args[1])  # (for its dependencies)
                return f"_fin({x})"
            x, y = self.expr(args[0]), self.expr(args[1])
            return f"_iferror({x}, lambda: {y}, {name == 'IFNA'})"
        if name in ("ROW", "COLUMN"):
            if not args:
                return "float((k >> 15) & 2097151)" if name == "ROW" else "float(k & 32767)"
            a = args[0]
            if a[0] == "name":
                resolved = self.comp.ctx.resolve_name(a[1], self.sheet_of(a[2]) if a[2] else self.sheet)
                if resolved is not None:
                    try:
                        a = parse(resolved, self.where)
                    except FormulaError:
                        return _ERR_NAME["#REF!"]
                    self.name_depth += 1
                    try:
                        return self._row_col(name, a)
                    finally:
                        self.name_depth -= 1
            return self._row_col(name, a)
        if fdef.refs:  # a direct reference counts like a one-cell range: text, booleans ignored
            args = [("area", a[1], a[2], a[3], a[2], a[3], a[4], a[5], a[4], a[5]) if a[0] == "ref" else a
                    for a in args]
        fname = _fname(name)
        if fast:
            return f"{fname}(" + ", ".join(self.guard(a) for a in args) + ")"
        return f"_x({fname}" + "".join(", " + self.expr(a) for a in args) + ")"

    def _row_col(self, name, a):
        if a[0] not in ("ref", "area"):
            if a[0] == "err":
                return self.expr(a)
            raise FormulaError(self.where, f"{name}() needs a reference")
        sheet = self.sheet_of(a[1])
        if sheet is None:
            return _ERR_NAME["#REF!"]
        e, _, _ = self.key_expr(sheet, a[2], a[3], a[4], a[5]) if a[0] == "ref" else \
            self.key_expr(sheet, a[2], a[3], a[6], a[7])
        if name == "ROW":
            return f"float(({e} >> 15) & 2097151)"
        return f"float({e} & 32767)"


def evaluate_exact(comp: Compiler, shape: Shape, k: int, V: dict):
    """A cell's value with Excel's semantics (never raises for a bad value)."""
    try:
        v = comp.exact_of(shape)(k, V)
    except XLError as e:
        return e.error
    except ZeroDivisionError:
        return DIV0
    except (OverflowError, ValueError, RecursionError):
        return NUM
    except TypeError:
        return VALUE
    t = v.__class__
    if t is float:
        return v if v - v == 0.0 else NUM
    if v is None:
        return 0.0
    if t is bool or t is str or t is ExcelError:
        return v
    if t is int:
        return float(v)
    if t is Area:
        rows = v.rows
        if len(rows) == 1 and len(rows[0]) == 1:
            x = rows[0][0]
            return 0.0 if x is None else x
        return VALUE
    return VALUE


__all__ = ["Compiler", "Context", "Shape", "make_key", "split_key", "dep_key", "evaluate_exact",
           "SHEET_SHIFT", "ROW_SHIFT", "COL_MASK", "ROW_MASK", "NOT_COL", "REL", "ROWREL", "COLREL", "ABS"]
