"""AST -> Python source -> two compiled functions per formula *shape*.

A cell is one integer key: sheet << 36 | row << 15 | col.  A formula's shape is its text with the
row numbers of relative references replaced by offsets from its own row (see `shape_key`), so the
5,000 formulas of an unrolled column compile once.  Columns stay literal in the text, so compiled
references use absolute columns and rows relative to the evaluated cell: V.get((k & ROWS) + C).

FAST: plain Python float arithmetic.  Python makes inf/nan where Excel makes #NUM!, so operands
that could hide one (denominators, exponents, comparisons, function arguments) pass _fin(), which
raises on inf/nan; the evaluator accepts a FAST result only if it is a finite float or a bool.
EXACT: Excel's semantics through helpers (coercion, error values, #DIV/0!, #NUM!); used whenever
FAST raises or returns anything else.
"""

from __future__ import annotations

import re

from graddesc.engine import functions as F
from graddesc.engine.functions import Area, finite, power, to_bool, to_number, to_text
from graddesc.engine.parser import MAX_COL, MAX_ROW, parse
from graddesc.engine.values import DIV0, ERRORS, NAME, NUM, REF, VALUE, ExcelError, Fallback, XLError
from graddesc.errors import FormulaError, UnknownFunctionError

SHEET_SHIFT = 36
ROW_SHIFT = 15
COL_MASK = (1 << ROW_SHIFT) - 1
ROW_MASK = ((1 << 21) - 1) << ROW_SHIFT
SHEET_MASK = ~((1 << SHEET_SHIFT) - 1)


def make_key(sheet: int, row: int, col: int) -> int:
    return (sheet << SHEET_SHIFT) | (row << ROW_SHIFT) | col


def split_key(k: int):
    return k >> SHEET_SHIFT, (k >> ROW_SHIFT) & 0x1FFFFF, k & COL_MASK


# ---------------------------------------------------------------- helpers used by compiled code

def _fin(x):
    if x.__class__ is float and x - x != 0.0:
        raise Fallback
    return x


def _fpow(a, b):
    if a.__class__ is float and b.__class__ is float and a > 0.0:
        return a ** b
    raise Fallback


def _ftruth(c):
    if c.__class__ is bool:
        return c
    if c.__class__ is float and c - c == 0.0:
        return c != 0.0
    raise Fallback


def _fb():
    raise Fallback


def _add(a, b):
    return finite(to_number(a) + to_number(b))


def _sub(a, b):
    return finite(to_number(a) - to_number(b))


def _mul(a, b):
    return finite(to_number(a) * to_number(b))


def _div(a, b):
    x, y = to_number(a), to_number(b)
    if y == 0.0:
        raise XLError(DIV0)
    return finite(x / y)


def _pow(a, b):
    return power(to_number(a), to_number(b))


def _neg(a):
    return -to_number(a)


def _pct(a):
    return to_number(a) / 100.0


def _cat(a, b):
    return to_text(_scalar(a)) + to_text(_scalar(b))


def _scalar(v):
    if v.__class__ is ExcelError:
        raise XLError(v)
    if v.__class__ is Area:
        raise XLError(VALUE)
    return v


_RANK = {float: 0, int: 0, str: 1, bool: 2}


def _cmp(a, b):
    """-1, 0, 1 as Excel compares: numbers < text < booleans; text case-insensitively; empty is
    0, "" or FALSE according to the other side."""
    a, b = _scalar(a), _scalar(b)
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


def _eq(a, b):
    return _cmp(a, b) == 0


def _ne(a, b):
    return _cmp(a, b) != 0


def _lt(a, b):
    return _cmp(a, b) < 0


def _le(a, b):
    return _cmp(a, b) <= 0


def _gt(a, b):
    return _cmp(a, b) > 0


def _ge(a, b):
    return _cmp(a, b) >= 0


def _truth(c):
    return to_bool(_scalar(c) if c.__class__ is not Area else F._one(c))


def _catch(thunk):
    try:
        v = thunk()
    except XLError as e:
        return e.error
    except ZeroDivisionError:
        return DIV0
    except (OverflowError, ValueError):
        return NUM
    return v


def _iferror(thunk, alt, only_na=False):
    v = _catch(thunk)
    if v.__class__ is ExcelError and (not only_na or v.code == "#N/A"):
        return alt()
    if v is None:
        return 0.0
    return v


def _raise(err):
    raise XLError(err)


def _area(V, k1, k2):
    s1, r1, c1 = split_key(k1)
    _, r2, c2 = split_key(k2)
    base = s1 << SHEET_SHIFT
    get = V.get
    return Area([[get(base | (r << ROW_SHIFT) | c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)])


_BIN_FAST = {"+": "({} + {})", "-": "({} - {})", "*": "({} * {})"}
_BIN_EXACT = {"+": "_add", "-": "_sub", "*": "_mul", "/": "_div", "^": "_pow", "&": "_cat",
              "=": "_eq", "<>": "_ne", "<": "_lt", "<=": "_le", ">": "_gt", ">=": "_ge"}

BASE_GLOBALS = {
    "_fin": _fin, "_fpow": _fpow, "_ftruth": _ftruth, "_fb": _fb, "_add": _add, "_sub": _sub,
    "_mul": _mul, "_div": _div, "_pow": _pow, "_neg": _neg, "_pct": _pct, "_cat": _cat,
    "_eq": _eq, "_ne": _ne, "_lt": _lt, "_le": _le, "_gt": _gt, "_ge": _ge, "_truth": _truth,
    "_catch": _catch, "_iferror": _iferror, "_raise": _raise, "_area": _area, "_E": ERRORS,
    "_RM": ROW_MASK,
}
for _name, _f in F.FUNCTIONS.items():
    BASE_GLOBALS["F_" + _name] = _f.impl


# Functions for which a referenced cell behaves like a one-cell range (Excel ignores text and
# booleans in references but coerces them when typed as arguments).
REFERENCE_AWARE = {"SUM", "SUMSQ", "COUNT", "COUNTA", "AVERAGE", "MIN", "MAX", "AND", "OR", "SUMPRODUCT"}


class Shape:
    """One compiled formula shape."""

    __slots__ = ("fast", "exact", "rel_deps", "abs_deps", "areas", "volatile", "error", "text", "max_rel", "max_abs")

    def __init__(self):
        self.fast = self.exact = None
        self.rel_deps = ()
        self.abs_deps = ()
        # every dependency of a cell k comes before k in key order (sheet, row, col) when
        # max_rel < k - (k & ROW_MASK) and max_abs < k: then no search is needed to order it
        self.max_rel = 0
        self.max_abs = 0
        self.areas = ()  # (relative: bool, C1, C2): cell key range, relative ones offset by (k & ROWS)
        self.volatile = False
        self.error = None  # a FormulaError for cells of this shape (unknown function, syntax)
        self.text = ""


_DIGITS = re.compile(r"\d+")


class Context:
    """What compiling needs from the workbook: sheets, names, sheet sizes."""

    def __init__(self, sheet_index, resolve_name, max_row):
        self.sheet_index = sheet_index  # name (lower-case) -> index
        self.resolve_name = resolve_name  # (name, sheet index) -> formula text or None
        self.max_row = max_row  # sheet index -> last used row


class Compiler:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.skeletons: dict = {}  # (sheet, skeleton) -> mask of relative-row digit runs, or None
        self.shapes: dict = {}

    # -- shape keys -------------------------------------------------------------------------
    def shape_for(self, sheet: int, row: int, text: str, where) -> Shape:
        """The compiled shape of the formula `text` (without '=') at `row` of `sheet`; where() names
        the cell (only called when something is compiled or wrong)."""
        skel = _DIGITS.sub("#", text)
        sk = (sheet, skel)
        mask = self.skeletons.get(sk)
        if mask is None:
            mask = self._relative_rows(text, where())
            self.skeletons[sk] = mask
        if mask is False or not any(mask):  # unparseable, or no relative rows: the text is the shape
            key = (sheet, text)
        else:
            nums = _DIGITS.findall(text)
            key = (sheet, skel, tuple([int(x) - row if m else x for x, m in zip(nums, mask)]))
        shape = self.shapes.get(key)
        if shape is None:
            shape = self._compile(sheet, row, text, where())
            self.shapes[key] = shape
        return shape

    @staticmethod
    def _relative_rows(text, where):
        """For each run of digits in text: is it the row of a relative reference?"""
        from graddesc.engine.tokenizer import tokenize

        try:
            toks = tokenize(text, where)
        except FormulaError:
            return False
        rel_spans = set()
        for kind, t, start, end in toks:
            if kind == "cell":
                m = re.match(r"\$?[A-Za-z]+(\$?)(\d+)$", t)
                if not m.group(1):
                    rel_spans.add(start + m.start(2))
            elif kind == "rowrange":
                for m in re.finditer(r"(\$?)(\d+)", t):
                    if not m.group(1):
                        rel_spans.add(start + m.start(2))
        return tuple(m.start() in rel_spans for m in _DIGITS.finditer(text))

    # -- code generation ----------------------------------------------------------------------
    def _compile(self, sheet, row, text, where) -> Shape:
        shape = Shape()
        shape.text = text
        try:
            ast = parse(text, where)
            gen = _Gen(self, sheet, row, where)
            fast_src = gen.expr(ast, True)
            exact_src = gen.expr(ast, False)
            shape.rel_deps = tuple(gen.rel_deps)
            shape.abs_deps = tuple(gen.abs_deps)
            shape.max_rel = max(shape.rel_deps, default=-1)
            shape.max_abs = max(shape.abs_deps, default=-1)
            shape.areas = tuple(gen.areas)
            shape.volatile = gen.volatile
            g = dict(BASE_GLOBALS)
            g.update(gen.consts)
            src = f"def fast(k, V):\n    return {fast_src}\ndef exact(k, V):\n    return {exact_src}\n"
            try:
                code = compile(src, f"<formula {where}>", "exec")
            except (SyntaxError, RecursionError, MemoryError):
                raise FormulaError(where, "formula too complex to compile") from None
            exec(code, g)
            shape.fast, shape.exact = g["fast"], g["exact"]
        except FormulaError as e:
            shape.error = e
        return shape


class _Gen:
    def __init__(self, comp: Compiler, sheet: int, row: int, where: str):
        self.comp = comp
        self.sheet = sheet
        self.row = row
        self.where = where
        self.rel_deps: list[int] = []
        self.abs_deps: list[int] = []
        self.areas: list = []
        self.volatile = False
        self.consts: dict = {}
        self.name_depth = 0

    def const(self, value):
        name = f"_c{len(self.consts)}"
        self.consts[name] = value
        return name

    def sheet_of(self, name):
        if name is None:
            return self.sheet
        idx = self.comp.ctx.sheet_index.get(name.lower())
        if idx is None:
            return None
        return idx

    def key_expr(self, sheet, row, col, row_abs, deps=True):
        if row_abs:
            k = make_key(sheet, row, col)
            if deps:
                self.abs_deps.append(k)
            return str(k), False, k
        c = (sheet << SHEET_SHIFT) + ((row - self.row) << ROW_SHIFT) + col
        if deps:
            self.rel_deps.append(c)
        return f"((k & _RM) + {c})", True, c

    def expr(self, node, fast):
        kind = node[0]
        if kind == "num":
            v = node[1]
            if v - v != 0.0:
                return "_fb()" if fast else "_raise(_E['#NUM!'])"
            return repr(v)
        if kind == "str":
            return repr(node[1])
        if kind == "bool":
            return repr(node[1])
        if kind == "err":
            return f"_E[{node[1]!r}]"
        if kind == "missing":
            return "None"
        if kind == "ref":
            _, sname, row, col, rabs, cabs = node
            sheet = self.sheet_of(sname)
            if sheet is None:
                return f"_E['#REF!']"
            expr, _, _ = self.key_expr(sheet, row, col, rabs or self.name_depth > 0, deps=not fast)
            return f"V.get({expr})"
        if kind == "area":
            _, sname, r1, c1, r2, c2, r1a, c1a, r2a, c2a = node
            sheet = self.sheet_of(sname)
            if sheet is None:
                return f"_E['#REF!']"
            if r2 == MAX_ROW and r1a and r2a:  # whole column: clip to the used rows
                r2 = max(1, min(r2, self.comp.ctx.max_row.get(sheet, 1)))
                r1 = min(r1, r2)
            absolute = self.name_depth > 0
            e1, rel1, k1 = self.key_expr(sheet, r1, c1, r1a or absolute, deps=False)
            e2, rel2, k2 = self.key_expr(sheet, r2, c2, r2a or absolute, deps=False)
            if not fast:
                self.areas.append((rel1, k1, rel2, k2))
            return f"_area(V, {e1}, {e2})"
        if kind == "name":
            return self.name(node, fast)
        if kind == "neg":
            x = self.expr(node[1], fast)
            return f"(-{x})" if fast else f"_neg({x})"
        if kind == "pos":
            return self.expr(node[1], fast)
        if kind == "pct":
            x = self.expr(node[1], fast)
            return f"({x} / 100.0)" if fast else f"_pct({x})"
        if kind == "bin":
            return self.binary(node, fast)
        if kind == "call":
            return self.call(node, fast)
        raise FormulaError(self.where, f"cannot compile {kind}")

    @staticmethod
    def simple(node):
        return node[0] in ("num", "ref", "str", "bool")

    def guard(self, node, fast):
        x = self.expr(node, fast)
        return x if (not fast or node[0] == "num") else f"_fin({x})"

    def binary(self, node, fast):
        _, op, a, b = node
        if not fast:
            return f"{_BIN_EXACT[op]}({self.expr(a, False)}, {self.expr(b, False)})"
        if op in _BIN_FAST:
            return _BIN_FAST[op].format(self.expr(a, True), self.expr(b, True))
        if op == "/":
            return f"({self.expr(a, True)} / {self.guard(b, True)})"
        if op == "^":
            return f"_fpow({self.expr(a, True)}, {self.expr(b, True)})"
        return f"{_BIN_EXACT[op]}({self.guard(a, True)}, {self.guard(b, True)})"

    def name(self, node, fast):
        _, name, sname = node
        scope = self.sheet_of(sname) if sname else self.sheet
        text = self.comp.ctx.resolve_name(name, scope)
        if text is None:
            return "_fb()" if fast else "_E['#NAME?']"
        if self.name_depth > 8:
            raise FormulaError(self.where, f"defined name {name} refers to itself")
        try:
            ast = parse(text, f"{self.where} (name {name})")
        except FormulaError:
            return "_E['#REF!']"
        self.name_depth += 1
        try:
            return self.expr(ast, fast)
        finally:
            self.name_depth -= 1

    def call(self, node, fast):
        _, name, args = node
        if name == "IF":
            if not 2 <= len(args) <= 3:
                raise FormulaError(self.where, f"IF takes 2 or 3 arguments, got {len(args)}")
            c = self.expr(args[0], fast)
            t = "0.0" if args[1][0] == "missing" else self.expr(args[1], fast)
            f = ("False" if len(args) == 2 else
                 ("0.0" if args[2][0] == "missing" else self.expr(args[2], fast)))
            return f"({t} if {'_ftruth' if fast else '_truth'}({c}) else {f})"
        if name in ("IFERROR", "IFNA"):
            if len(args) != 2:
                raise FormulaError(self.where, f"{name} takes 2 arguments, got {len(args)}")
            if fast:
                return "_fb()"
            x, y = self.expr(args[0], False), self.expr(args[1], False)
            return f"_iferror(lambda: {x}, lambda: {y}, {name == 'IFNA'})"
        if name in ("ROW", "COLUMN"):
            if len(args) > 1:
                raise FormulaError(self.where, f"{name} takes 0 or 1 arguments")
            shift = "(k >> 15) & 0x1FFFFF" if name == "ROW" else "k & 0x7FFF"
            if not args:
                return f"float({shift})"
            a = args[0]
            if a[0] in ("ref", "area"):
                sheet = self.sheet_of(a[1])
                if sheet is None:
                    return "_E['#REF!']"
                if name == "COLUMN":
                    return repr(float(a[3]))
                expr, _, _ = self.key_expr(sheet, a[2], a[3], a[4] or self.name_depth > 0, deps=False)
                return f"float(({expr} >> 15) & 0x1FFFFF)"
            raise FormulaError(self.where, f"{name} needs a reference")
        fdef = F.FUNCTIONS.get(name)
        if fdef is None:
            raise UnknownFunctionError(self.where, name)
        if not fdef.min_args <= len(args) <= fdef.max_args:
            raise FormulaError(self.where, f"{name} takes {fdef.min_args}..{fdef.max_args} arguments, got {len(args)}")
        self.volatile = self.volatile or fdef.volatile
        if fdef.raw:
            if fast:
                return "_fb()"
            parts = [self.expr(a, False) for a in args]
            return f"F_{name}(" + ", ".join(f"_catch(lambda: {p})" for p in parts) + ")"
        if name in REFERENCE_AWARE:  # a direct reference counts like a range: text, booleans ignored
            args = [("area", a[1], a[2], a[3], a[2], a[3], a[4], a[5], a[4], a[5]) if a[0] == "ref" else a
                    for a in args]
        parts = [self.guard(a, fast) for a in args]
        return f"F_{name}(" + ", ".join(parts) + ")"


def evaluate_exact(shape: Shape, k: int, V: dict):
    """A cell's value with Excel's semantics (never raises)."""
    try:
        v = shape.exact(k, V)
    except XLError as e:
        return e.error
    except ZeroDivisionError:
        return DIV0
    except (OverflowError, ValueError):
        return NUM
    except RecursionError:
        return NUM
    t = v.__class__
    if t is float:
        return v if v - v == 0.0 else NUM
    if v is None:
        return 0.0
    if t is int:
        return float(v)
    if t is Area:
        rows = v.rows
        if len(rows) == 1 and len(rows[0]) == 1:
            x = rows[0][0]
            return 0.0 if x is None else x
        return VALUE
    return v
