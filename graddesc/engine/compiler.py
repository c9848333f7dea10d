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
from typing import NamedTuple

from graddesc.engine import functions as F
from graddesc.engine.functions import Area, broadcast, power, to_number, to_text, unit
from graddesc.engine.functions.base import Union
from graddesc.engine.keys import COL_MASK, NOT_COL, ROW_BITS, ROW_SHIFT, SHEET_SHIFT, make_key, split_key
from graddesc.engine.parser import (
    MAX_COL,
    MAX_ROW,
    AreaRef,
    Bin,
    Call,
    Chain,
    Err,
    ExternalRef,
    Invoke,
    Name,
    Ref,
    StructRef,
    Unary,
    parse,
)
from graddesc.engine.structured import parse_spec, table_at, table_range
from graddesc.engine.tokenizer import tokenize
from graddesc.engine.values import DIV0, ERRORS, NA, NULL, NUM, VALUE, ExcelError, Fallback, XLError
from graddesc.errors import FormulaError

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
# error operand is returned as it is (the left one first), nothing raises.  An Area operand
# (an array, or a range in an array formula) makes the operator work element by element.

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


_unit = unit


def _binary(scalar):
    """An EXACT binary operator from its scalar form: Area operands broadcast."""
    def op(a, b):
        if a.__class__ is Area or b.__class__ is Area:
            a, b = _unit(a), _unit(b)
            if a.__class__ is Area or b.__class__ is Area:
                return broadcast(scalar, a, b)
        return scalar(a, b)
    op.scalar = scalar
    return op


def _arith(f):
    """An arithmetic operator: both operands coerced to numbers (errors first, left to right),
    then f(a, b); a non-finite result is #NUM!."""
    def scalar(a, b):
        a, b = _n(a), _n(b)
        if a.__class__ is ExcelError:
            return a
        if b.__class__ is ExcelError:
            return b
        return f(a, b)
    return _binary(scalar)


def _power(a, b):
    try:
        return power(a, b)
    except XLError as e:
        return e.error


_add = _arith(lambda a, b: _ok(a + b))
_sub = _arith(lambda a, b: _ok(a - b))
_mul = _arith(lambda a, b: _ok(a * b))
_div = _arith(lambda a, b: DIV0 if b == 0.0 else _ok(a / b))
_pow = _arith(_power)


def _unary(f):
    def op(a):
        if a.__class__ is Area:
            a = _unit(a)
            if a.__class__ is Area:
                return broadcast(op, a)
        a = _n(a)
        return a if a.__class__ is ExcelError else f(a)
    return op


_neg = _unary(lambda a: -a)
_pct = _unary(lambda a: a / 100.0)


def _cat2(a, b):
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    try:
        return to_text(a) + to_text(b)
    except XLError as e:
        return e.error


_catop = _binary(_cat2)


def _cat(*xs):
    out = []
    for x in xs:
        if x.__class__ is ExcelError:
            return x
        if x.__class__ is Area:
            acc = xs[0]
            for y in xs[1:]:
                acc = _catop(acc, y)
            return acc
        try:
            out.append(to_text(x))
        except XLError as e:
            return e.error
    return "".join(out)


_RANK = {float: 0, str: 1, bool: 2}


def _cmp(a, b):
    """-1, 0, 1 as Excel compares (numbers < text < booleans, text case-insensitively, empty is
    0, "" or FALSE after the other side), or an ExcelError."""
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
    def scalar(a, b):
        c = _cmp(a, b)
        return c if c.__class__ is ExcelError else test(c)
    return _binary(scalar)


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


def _xs(f, pos, *args):
    """Call f whose arguments at positions `pos` are scalars: a one-cell Area there is its
    value; a bigger Area (an array) lifts the call element by element (broadcast)."""
    lifted = None
    for i in pos:
        a = args[i]
        if a.__class__ is Area:
            if lifted is None:
                lifted = list(args)
            if a.ref is not None:  # a one-cell reference is its value
                lifted[i] = _unit(a)
    if lifted is None:
        return _x(f, *args)
    arr = [i for i in pos if lifted[i].__class__ is Area]
    if not arr:
        return _x(f, *lifted)

    def one(*vals):
        call = list(lifted)
        for i, v in zip(arr, vals):
            call[i] = v
        r = _x(f, *call)
        if r.__class__ is Area:  # an array in an array's element: its first value
            rows = r.rows
            return rows[0][0] if rows and rows[0] else VALUE
        return r
    return broadcast(one, *[lifted[i] for i in arr])


def _xr(f, pos, *args):
    """_xs for a function that does not take ranges at scalar positions (the Analysis ToolPak's):
    a reference of several cells there is #VALUE!; an array is lifted."""
    for i in pos:
        a = args[i]
        if a.__class__ is Area and a.ref is not None and (len(a.rows) != 1 or len(a.rows[0]) != 1):
            return VALUE
    return _xs(f, pos, *args)


class Lambda:
    """A function value made by LAMBDA(params..., body): called with up to len(params) values (the
    missing ones are omitted: None); more is #VALUE!."""

    __slots__ = ("f", "n", "lo")

    def __init__(self, f, n, lo=None):
        self.f = f
        self.n = n
        self.lo = lo  # a function's own name as a value (_xleta.SUM): its argument counts, no padding

    def __call__(self, *args):
        if len(args) > self.n:
            return VALUE
        if self.lo is not None:
            return VALUE if len(args) < self.lo else self.f(*args)
        return self.f(*(args + (None,) * (self.n - len(args))))


def _invoke(f, *args):
    if f.__class__ is ExcelError:
        return f
    if f.__class__ is not Lambda:
        return VALUE
    return f(*args)


def _ii(x, k):
    """Implicit intersection: a range used where one value is needed, in a formula that is not an
    array formula, is the cell of the range in the formula's row (a one-column range) or column
    (a one-row range); #VALUE! when there is none.  An array (no reference) is itself."""
    if x.__class__ is not Area:
        return x
    ref = x.ref
    rows = x.rows
    if ref is None:
        return x
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    k1, k2 = ref
    r1, c1 = (k1 >> ROW_SHIFT) & ROW_BITS, k1 & COL_MASK
    r2, c2 = (k2 >> ROW_SHIFT) & ROW_BITS, k2 & COL_MASK
    r, c = (k >> ROW_SHIFT) & ROW_BITS, k & COL_MASK
    if r1 != r2:
        if not r1 <= r <= r2:
            return VALUE
        i = r - r1
    else:
        i = 0
    if c1 != c2:
        if not c1 <= c <= c2:
            return VALUE
        j = c - c1
    else:
        j = 0
    if i >= len(rows) or j >= len(rows[0]):
        return None  # beyond the used part of a whole column / row
    return rows[i][j]


def _at(x, k):
    """The @ operator: implicit intersection of a range; an array's first value."""
    if x.__class__ is not Area:
        return x
    if x.ref is not None:
        return _ii(x, k)
    return x.rows[0][0]


def _refbox(x):
    """(sheet, r1, c1, r2, c2) of a reference value, or the ExcelError it is / #VALUE!."""
    if x.__class__ is ExcelError:
        return x
    if x.__class__ is not Area or x.ref is None:
        return VALUE
    k1, k2 = x.ref
    return (k1 >> SHEET_SHIFT, (k1 >> ROW_SHIFT) & ROW_BITS, k1 & COL_MASK,
            (k2 >> ROW_SHIFT) & ROW_BITS, k2 & COL_MASK)


def _range(a, b):
    """a:b between references: the smallest range holding both (on one sheet)."""
    ba, bb = _refbox(a), _refbox(b)
    if ba.__class__ is ExcelError:
        return ba
    if bb.__class__ is ExcelError:
        return bb
    if ba[0] != bb[0]:
        return VALUE
    return F.reference.book_area(ba[0], min(ba[1], bb[1]), min(ba[2], bb[2]), max(ba[3], bb[3]), max(ba[4], bb[4]))


def _isect(a, b):
    """a b: the cells both references hold; #NULL! when none.  With a union, the union of the
    intersections."""
    if a.__class__ is Union or b.__class__ is Union:
        parts = [_isect(x, y) for x in (a if a.__class__ is Union else (a,))
                 for y in (b if b.__class__ is Union else (b,))]
        for p in parts:
            if p.__class__ is ExcelError and p is not NULL:
                return p
        parts = [p for p in parts if p.__class__ is Area]
        if not parts:
            return NULL
        return parts[0] if len(parts) == 1 else Union(parts)
    ba, bb = _refbox(a), _refbox(b)
    if ba.__class__ is ExcelError:
        return ba
    if bb.__class__ is ExcelError:
        return bb
    r1, c1, r2, c2 = max(ba[1], bb[1]), max(ba[2], bb[2]), min(ba[3], bb[3]), min(ba[4], bb[4])
    if ba[0] != bb[0] or r1 > r2 or c1 > c2:
        return NULL
    return F.reference.book_area(ba[0], r1, c1, r2, c2)


def _union(*xs):
    areas = []
    for x in xs:
        if x.__class__ is Union:
            areas.extend(x)
            continue
        b = _refbox(x)
        if b.__class__ is ExcelError:
            return b
        areas.append(x)
    return Union(areas)


def _area(V, k1, k2, kfull=None):
    """The values of the range k1:k2 as an Area.  kfull: the range really ends there (a whole
    column or row, whose values are read only as far as the sheet is used); its ref says so."""
    s1, r1, c1 = k1 >> SHEET_SHIFT, (k1 >> ROW_SHIFT) & ROW_BITS, k1 & COL_MASK
    r2, c2 = (k2 >> ROW_SHIFT) & ROW_BITS, k2 & COL_MASK
    base = s1 << SHEET_SHIFT
    get = V.get
    ref = (k1, k2 if kfull is None else kfull)
    if c1 == c2:
        return Area([[get(base | (r << ROW_SHIFT) | c1)] for r in range(r1, r2 + 1)], ref)
    return Area([[get(base | (r << ROW_SHIFT) | c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)], ref)


_OP_EXACT = {"+": "_add", "-": "_sub", "*": "_mul", "/": "_div", "^": "_pow", "&": None,
             "=": "_eq", "<>": "_ne", "<": "_lt", "<=": "_le", ">": "_gt", ">=": "_ge"}

GLOBALS = {
    "_fin": _fin, "_ftruth": _ftruth, "_fpow": _fpow, "_fpowc": _fpowc, "_fb": _fb,
    "_add": _add, "_sub": _sub, "_mul": _mul, "_div": _div, "_pow": _pow, "_neg": _neg, "_pct": _pct,
    "_cat": _cat, "_eq": _eq, "_ne": _ne, "_lt": _lt, "_le": _le, "_gt": _gt, "_ge": _ge,
    "_fold": _fold, "_x": _x, "_xs": _xs, "_xr": _xr, "_invoke": _invoke, "Lambda": Lambda, "_area": _area, "_range": _range, "_isect": _isect, "_union": _union, "_ii": _ii, "_at": _at, "Area": Area,
    "_NC": NOT_COL, "_CM": COL_MASK, "_RB": ROW_BITS, "_RS": ROW_SHIFT, "__builtins__": {"float": float},
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

    __slots__ = (
        "areas",
        "array",
        "ast",
        "bounds",
        "col",
        "deps",
        "dynamic",
        "error",
        "exact",
        "fast",
        "member",
        "qk",
        "row",
        "sheet",
        "str_ok",
        "text",
        "unknown",
        "volatile",
        "where",
    )

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
        self.array = False  # an array formula's anchor: its value is the whole result
        self.dynamic = False  # makes references at run time (OFFSET, INDIRECT)
        self.member = False  # a cell of an array formula's range other than its anchor


class Context:
    """What compiling needs from the workbook."""

    def __init__(self, sheet_index, resolve_name, max_row, max_col=None, tables=None, externals=None):
        self.sheet_index = sheet_index  # lower-case sheet name -> index
        self.resolve_name = resolve_name  # (name, sheet index) -> formula text or None
        self.max_row = max_row  # sheet index -> last used row
        self.max_col = max_col or {}  # sheet index -> last used column
        self.tables = tables or {}  # lower-case table name -> workbook.Table
        self.externals = externals or {}  # [n] -> workbook.External (cached values of a linked book)


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

    def shape_for(self, sheet: int, row: int, col: int, text: str, k: int, where, array: bool = False) -> Shape:
        """The shape of formula `text` (without '=') at (row, col) of `sheet`, key k; where(k)
        names the cell (called only when something is compiled).  array: the anchor of an array
        formula (compiled for that cell alone)."""
        if array:
            return self._compile(sheet, row, col, text, where(k), array=True)
        if "[" in text and self.ctx.tables:  # [@Col] means the table holding the cell
            t = table_at(self.ctx.tables, sheet, row, col)
            key = (sheet, text, t.display_name if t is not None else None)
            sh = self.shapes.get(key)
            if sh is None:
                sh = self.shapes[key] = self._compile(sheet, row, col, text, where(k))
            return sh
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

    def _compile(self, sheet, row, col, text, where, array=False) -> Shape:
        shape = Shape(text)
        shape.sheet, shape.row, shape.col, shape.where = sheet, row, col, where
        shape.array = array
        try:
            ast = parse(text, where)
            gen = _Gen(self, sheet, row, col, where, fast=True, arr=array)
            src = gen.expr(ast)
            if array:
                gen.always_exact = True
            shape.deps = tuple(gen.deps)
            shape.areas = tuple(gen.areas)
            shape.volatile = gen.volatile
            shape.dynamic = gen.dynamic
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

    def pad_value(self, shape: Shape, k: int, V: dict):
        """What an array formula shows in the cells of its range beyond its result: Excel pads every
        array argument there with #N/A and evaluates the formula on that, so ISNA(A1:A2) over
        three cells shows TRUE in the third, A1:A2*2 shows #N/A."""
        try:
            ast = _pad_ast(shape.ast)
            gen = _Gen(self, shape.sheet, shape.row, shape.col, shape.where, fast=False, arr=True)
            fn = _build(f"def exact(k, V):\n    return {gen.expr(ast)}\n", "exact", shape.where)
            v = fn(k, V) if fn is not None else NA
        except (FormulaError, XLError, ArithmeticError, ValueError, TypeError):
            return NA
        v = unit(v)
        if v.__class__ is Area:
            rows = v.rows
            v = rows[0][0] if rows and rows[0] else NA
        return NA if v.__class__ is Area else v

    def exact_of(self, shape: Shape):
        """The EXACT function of a shape, compiled on first use."""
        if shape.exact is None:
            gen = _Gen(self, shape.sheet, shape.row, shape.col, shape.where, fast=False, arr=shape.array)
            src = gen.expr(shape.ast)
            fn = _build(f"def exact(k, V):\n    return {src}\n", "exact", shape.where)
            if fn is None:
                raise FormulaError(shape.where, "formula too complex to compile")
            shape.exact = fn
        return shape.exact


def _pad_ast(node):
    """The formula with every array (a range of several cells, an array constant) that would be
    used element by element replaced by #N/A (arguments taking whole arrays are kept)."""
    kind = node[0]
    if kind == "array" or _multi_area(node) or kind in ("range", "isect", "union", "sref"):
        return Err("err", "#N/A")
    if kind == "call":
        fdef = F.FUNCTIONS.get(node[1])
        if fdef is None:
            return node
        return Call("call", node[1], [a if fdef.takes_array(i) and not fdef.lazy else _pad_ast(a)
                                  for i, a in enumerate(node[2])])
    if kind in ("neg", "pos", "pct", "at"):
        return Unary(kind, _pad_ast(node[1]))
    if kind == "bin":
        return Bin("bin", node[1], _pad_ast(node[2]), _pad_ast(node[3]))
    if kind == "chain":
        return Chain("chain", node[1], [_pad_ast(x) for x in node[2]], node[3])
    return node


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


_REFLIKE = frozenset(("area", "name", "call", "range", "union", "isect", "sref"))


class RefArg(NamedTuple):
    """(compiler-internal node) an argument that takes a reference: a cell or name there is
    compiled as the reference it is, not as its value."""

    kind: str  # "refarg"
    node: tuple


def _as_area(node):
    """A cell reference node as a one-cell range (where a reference, not a value, is needed)."""
    if node[0] == "ref":
        return AreaRef("area", node.sheet, node.row, node.col, node.row, node.col, node.row_abs, node.col_abs,
                       node.row_abs, node.col_abs)
    return node


def _multi_area(node):
    return node[0] == "area" and (node[2] != node[4] or node[3] != node[5])


class _Gen:
    """Generates FAST or EXACT Python source for one AST at one cell.

    arr: the formula is an array formula (or this part is an argument that takes an array): a range
    at a scalar position is used whole, element by element; otherwise (a plain cell) it is
    implicitly intersected with the formula's row or column."""

    k = "k"  # the source of the formula cell's key in generated code

    def __init__(self, comp: Compiler, sheet: int, row: int, col: int, where: str, fast: bool, arr: bool = False):
        self.comp = comp
        self.sheet = sheet
        self.row = row
        self.col = col
        self.where = where
        self.fast = fast
        self.arr = arr
        self.deps: list = []
        self.areas: list = []
        self.volatile = False
        self.dynamic = False
        self.unknown: list = []
        self.always_exact = False
        self.name_depth = 0
        self.rel_rows: list = []
        self.rel_cols: list = []
        self.locals: list = []  # LET scopes: [{lower name: python variable}]
        self.nvars = 0

    def error(self, msg):
        """A FormulaError naming this formula's cell (for compile hooks to raise)."""
        return FormulaError(self.where, msg)

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
        if self.name_depth:  # a defined name's relative parts are stored relative to A1
            if not row_abs:
                row = (self.row + row - 2) % MAX_ROW + 1
            if not col_abs:
                col = (self.col + col - 2) % MAX_COL + 1
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
            self.deps.append((mode, d))
            return f"V.get({e})"
        if kind == "area":
            return self.area(node)
        if kind == "name":
            return self.name(node)
        if kind == "array":
            if self.fast:
                self.always_exact = True
                return "_fb()"
            return "Area([" + ", ".join("[" + ", ".join(map(self.const, row)) + "]" for row in node[1]) + "])"
        if kind == "at":
            x = self.expr(node[1])
            if self.fast:
                if node[1][0] != "ref":
                    self.always_exact = True
                return x
            return f"_at({x}, k)"
        if kind == "neg":
            x = self.operand(node[1])
            return f"(-{x})" if self.fast else f"_neg({x})"
        if kind == "pos":
            return self.expr(node[1])
        if kind == "pct":
            x = self.operand(node[1])
            return f"({x} / 100.0)" if self.fast else f"_pct({x})"
        if kind == "bin":
            return self.chain([node[2], node[3]], [node[1]])
        if kind == "chain":
            return self.chain(node[2], node[3])
        if kind == "call":
            return self.call(node)
        if kind == "sref":
            return self.sref(node)
        if kind == "xref":
            return self.xref(node)
        if kind == "invoke":
            srcs = [self.expr(node.target)] + [self.expr(a) for a in node.args]
            if self.fast:
                self.always_exact = True
                return "_fb()"
            return "_invoke(" + ", ".join(srcs) + ")"
        if kind == "refarg":  # (made by call(): an argument that takes a reference)
            return self.reference(node[1])
        if kind in ("range", "isect", "union"):
            items = node[1] if kind == "union" else node[1:]
            srcs = [self.reference(x) for x in items]
            if self.fast:
                self.always_exact = True
                return "_fb()"
            if kind == "range":
                self.dynamic = True  # the span can hold cells neither side names
            return f"_{kind}(" + ", ".join(srcs) + ")"
        raise FormulaError(self.where, f"cannot compile {kind}")

    def sref(self, node):
        """A structured reference: the table's range as an area (rows relative to the formula for
        #This Row, so the shape serves every row; outside the data rows it is #VALUE!)."""
        _, tname, spec_text = node
        tables = self.comp.ctx.tables
        if tname is None:
            t = table_at(tables, self.sheet, self.row, self.col)
        else:
            t = tables.get(tname.lower())
            if t is None:  # a defined name with brackets is not a table: unknown
                self.always_exact = True
                return "_fb()" if self.fast else _ERR_NAME["#REF!"]
        spec = parse_spec(spec_text)
        got = table_range(t, spec) if t is not None and spec is not None else None
        if got is None:
            return _ERR_NAME["#REF!"]
        r1, c1, r2, c2, this_row = got
        if not this_row:
            return self.expr(AreaRef("area", t.sheet, r1, c1, r2, c2, True, True, True, True))
        if not r1 <= self.row <= r2:
            return _ERR_NAME["#VALUE!"]
        if c1 == c2:
            x = self.expr(Ref("ref", t.sheet, self.row, c1, False, True))
        else:
            x = self.expr(AreaRef("area", t.sheet, self.row, c1, self.row, c2, False, True, False, True))
        if self.fast:
            return f"({x} if {r1} <= ((k >> _RS) & _RB) <= {r2} else _fb())"
        return f"({x} if {r1} <= ((k >> _RS) & _RB) <= {r2} else {_ERR_NAME['#VALUE!']})"

    def xref(self, node):
        """A reference into another workbook: the values the file cached from it (constants);
        #REF! when the file has none."""
        _, n, inner = node
        ext = self.comp.ctx.externals.get(n)
        if self.fast:
            self.always_exact = True
            return "_fb()"
        if ext is None or inner[0] not in ("ref", "area") or inner[1] is None:
            if ext is not None and inner[0] == "name":
                text = ext.names.get((inner[1].lower(), None))
                if text is not None:
                    try:
                        ast = parse(text, self.where)
                    except FormulaError:
                        return _ERR_NAME["#REF!"]
                    if ast[0] in ("ref", "area") and ast[1] is not None:
                        return self.xref(ExternalRef("xref", n, ast))
                return _ERR_NAME["#NAME?"]  # a name the linked book does not define
            return _ERR_NAME["#REF!"]
        sheet = inner[1]
        if sheet.lower() not in {x.lower() for x in ext.sheet_names}:
            return _ERR_NAME["#REF!"]
        if inner[0] == "ref":
            return self.const_value(ext.value(sheet, inner[2], inner[3]))
        r1, c1, r2, c2 = inner[2], inner[3], inner[4], inner[5]
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
            return _ERR_NAME["#REF!"]
        return "Area([" + ", ".join("[" + ", ".join(self.const_value(ext.value(sheet, r, c)) for c in range(c1, c2 + 1))
                                    + "]" for r in range(r1, r2 + 1)) + "])"

    def const_value(self, v):
        if v is None:
            return "None"
        if v.__class__ is ExcelError:
            return _ERR_NAME.get(v.code, _ERR_NAME["#VALUE!"])
        if v.__class__ is float and v - v != 0.0:
            return _ERR_NAME["#NUM!"]
        return repr(v)

    def reference(self, node):
        """Source for node where a reference (not a value) is needed: a cell as a one-cell range,
        a defined name as the reference it stands for."""
        if node[0] == "name" and not (node[2] is None and self.local(node[1]) is not None):
            ast = self.name_ast(node)
            if ast is not None and ast[0] == "ref":
                self.name_depth += 1
                try:
                    return self.expr(_as_area(ast))
                finally:
                    self.name_depth -= 1
        return self.expr(_as_area(node))

    @staticmethod
    def const(v):
        if v.__class__ is ExcelError:
            return _ERR_NAME[v.code]
        return repr(v)

    def operand(self, node):
        """An expression at a scalar position (an operator's operand, a scalar argument): in a
        plain cell a range there is intersected with the formula's row or column."""
        x = self.expr(node)
        if node[0] in _REFLIKE:
            if self.fast:
                if _multi_area(node) or node[0] in ("range", "union", "isect", "sref"):
                    self.always_exact = True
                elif node[0] == "name":
                    ast = self.name_ast(node)
                    if ast is not None and (_multi_area(ast) or ast[0] == "array"):
                        self.always_exact = True
            elif not self.arr:
                return f"_ii({x}, k)"
        return x

    def area(self, node):
        _, sname, r1, c1, r2, c2, r1a, c1a, r2a, c2a = node
        sheet = self.sheet_of(sname)
        if sheet is None:
            return _ERR_NAME["#REF!"]
        full = None
        if r1 == 1 and r2 == MAX_ROW and r1a and r2a:  # whole column: values of the used rows
            full = (r2, c2)
            r2 = max(1, self.comp.ctx.max_row.get(sheet, 1))
        if c1 == 1 and c2 == MAX_COL and c1a and c2a:  # whole row: values of the used columns
            full = (full[0] if full else r2, c2)
            c2 = max(1, self.comp.ctx.max_col.get(sheet, 1))
        e1, m1, d1 = self.key_expr(sheet, r1, c1, r1a, c1a)
        e2, m2, d2 = self.key_expr(sheet, r2, c2, r2a, c2a)
        self.areas.append((m1, d1, m2, d2))
        if full is not None:
            e3, _, _ = self.key_expr(sheet, full[0], full[1], r2a, c2a)
            return f"_area(V, {e1}, {e2}, {e3})"
        return f"_area(V, {e1}, {e2})"

    def local(self, name):
        """The Python variable of a LET name in scope, or None."""
        low = name.lower()
        for scope in reversed(self.locals):
            v = scope.get(low)
            if v is not None:
                return v
        return None

    def name(self, node):
        _, name, sname = node
        if sname is None:
            v = self.local(name)
            if v is not None:
                return v
        if sname is not None:
            scope = self.sheet_of(sname)
            if scope is None:
                return _ERR_NAME["#REF!"]
        else:
            scope = self.sheet
        text = self.comp.ctx.resolve_name(name, scope)
        if text is None and name.lower().startswith("_xleta."):  # BYROW(A1:C3, SUM): a function as a value
            fdef = F.FUNCTIONS.get(name[7:].upper())
            if fdef is not None and not (fdef.lazy or fdef.cell or fdef.compile):
                if self.fast:
                    self.always_exact = True
                    return "_fb()"
                return f"Lambda(lambda *a: _x({_fname(fdef.name)}, *a), {fdef.max_args}, {fdef.min_args})"
        if text is None:
            if sname is None and name.lower() in self.comp.ctx.tables:  # a table's name: its data
                return self.sref(StructRef("sref", name, ""))
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
        x = self.operand(node)
        if node[0] == "refarg":
            node = node[1]
        if not self.fast or node[0] in _SIMPLE:
            return x
        if node[0] == "name":
            if self.local(node[1]) is None:
                ast = self.name_ast(node)
                if ast is not None and ast[0] in _SIMPLE:
                    return x
        return f"_fin({x})"

    def name_ast(self, node):
        _, name, sname = node
        if sname is None and self.local(name) is not None:
            return None
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
                return "_cat(" + ", ".join(self.operand(x) for x in xs) + ")"
            if len(ops) == 1:
                return f"{_OP_EXACT[ops[0]]}({self.operand(xs[0])}, {self.operand(xs[1])})"
            fns = ", ".join(_OP_EXACT[o] for o in ops)
            return f"_fold(({fns},), " + ", ".join(self.operand(x) for x in xs) + ")"
        if prec == 2:
            return "_cat(" + ", ".join(self.guard(x) if _risky(x) else self.operand(x) for x in xs) + ")"
        if prec == 1:
            if len(ops) == 1:
                return f"{_OP_EXACT[ops[0]]}({self.guard(xs[0])}, {self.guard(xs[1])})"
            fns = ", ".join(_OP_EXACT[o] for o in ops)
            return f"_fold(({fns},), " + ", ".join(self.guard(x) for x in xs) + ")"
        if prec == 5:
            if len(ops) == 1:
                b = xs[1]
                if b[0] == "num" and b[1] > 0 and b[1] == int(b[1]) and b[1] <= 64:
                    return f"({self.operand(xs[0])} ** {b[1]!r})"
                return f"_fpow({self.operand(xs[0])}, {self.operand(b)})"
            return "_fpowc(" + ", ".join(self.operand(x) for x in xs) + ")"
        # + - * /: Python evaluates a flat infix run left to right, as Excel does
        terms = [self.operand(xs[0])]
        for op, x in zip(ops, xs[1:]):
            terms.append(f"{op} {self.guard(x) if op == '/' else self.operand(x)}")
        out = terms[0]
        for i in range(1, len(terms), 200):  # keep Python's parser within its nesting limits
            out = "(" + " ".join([out] + terms[i:i + 200]) + ")"
        return out

    def call(self, node):
        _, name, args = node
        fdef = F.FUNCTIONS.get(name)
        if fdef is None:
            if self.local(name) is not None or self.comp.ctx.resolve_name(name, self.sheet) is not None:
                return self.expr(Invoke("invoke", Name("name", name, None), args))  # a LAMBDA by name
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
        if fdef.dynamic:
            self.dynamic = True
        if fdef.compile is not None:
            src = fdef.compile(self, args)
            if src is not None:
                return src
        fname = _fname(name)
        if (fdef.cell or fdef.lazy) and self.fast:
            self.always_exact = True
            for a in args:
                self.expr(a)  # (for its dependencies)
            return "_fb()"
        if fdef.refs and any(a[0] == "union" for a in args):  # SUM((A1:B2,D4)) is SUM(A1:B2,D4)
            args = [x for a in args for x in (a[1] if a[0] == "union" else (a,))]
            n = len(args)
        if not fdef.lazy:  # a direct reference where a range is taken is a one-cell range
            args = [RefArg("refarg", a) if fdef.takes_array(i) and a[0] in ("ref", "name") else a
                    for i, a in enumerate(args)]
        srcs = []
        scalar_pos = []
        for i, a in enumerate(args):
            if fdef.takes_array(i):
                if fdef.lazy:  # passed through (IF's branches): the context stays
                    srcs.append(self.expr(a) if not self.fast else self.guard(a))
                else:
                    outer, self.arr = self.arr, True
                    try:
                        srcs.append(self.expr(a) if not self.fast else self.guard(a))
                    finally:
                        self.arr = outer
            else:
                scalar_pos.append(i)
                srcs.append(self.guard(a) if self.fast else self.operand(a))
        if fdef.lazy:
            thunks = ["None" if a[0] == "missing" else f"lambda: {x}" for a, x in zip(args, srcs)]
            return f"_x({fname}" + "".join(", " + t for t in thunks) + ")"
        if fdef.cell:
            srcs.insert(0, "k")
            scalar_pos = [i + 1 for i in scalar_pos]
        if self.fast:
            return f"{fname}(" + ", ".join(srcs) + ")"
        if scalar_pos:
            if not fdef.lifts_ranges:
                return f"_xr({fname}, {tuple(scalar_pos)!r}" + "".join(", " + x for x in srcs) + ")"
            return f"_xs({fname}, {tuple(scalar_pos)!r}" + "".join(", " + x for x in srcs) + ")"
        return f"_x({fname}" + "".join(", " + x for x in srcs) + ")"


    def position(self, which, node):
        """Source for ROW(node) (which="row") or COLUMN(node): the formula's own row / column when
        node is None; a range's first row / column, or in an array context all of them as an
        array; a reference made at run time (INDEX, OFFSET, ...) through its Area.ref."""
        if node is None:
            return "float((k >> _RS) & _RB)" if which == "row" else "float(k & _CM)"
        kind = node[0]
        if kind == "name" and node[2] is None and self.local(node[1]) is not None:
            return f"_position({self.local(node[1])}, {which == 'row'}, {self.arr})"
        if kind == "name":
            ast = self.name_ast(node)
            if ast is None:
                return self.expr(node)
            self.name_depth += 1
            try:
                return self.position(which, ast)
            finally:
                self.name_depth -= 1
        if kind in ("ref", "area"):
            sheet = self.sheet_of(node[1])
            if sheet is None:
                return _ERR_NAME["#REF!"]
            e1, _, _ = self.key_expr(sheet, node[2], node[3], node[4], node[5]) if kind == "ref" else \
                self.key_expr(sheet, node[2], node[3], node[6], node[7])
            if kind == "area" and self.arr and (node[2] != node[4] if which == "row" else node[3] != node[5]):
                if self.fast:
                    self.always_exact = True
                    return "_fb()"
                e2, _, _ = self.key_expr(sheet, node[4], node[5], node[8], node[9])
                return f"_positions({e1}, {e2}, {which == 'row'})"
            return f"float(({e1} >> _RS) & _RB)" if which == "row" else f"float({e1} & _CM)"
        if kind == "err":
            return self.expr(node)
        if self.fast:
            self.always_exact = True
            self.expr(node)
            return "_fb()"
        return f"_position({self.expr(node)}, {which == 'row'}, {self.arr})"


def _positions(k1, k2, row):
    if row:
        r1, r2 = (k1 >> ROW_SHIFT) & ROW_BITS, (k2 >> ROW_SHIFT) & ROW_BITS
        return Area([[float(r)] for r in range(r1, r2 + 1)])
    c1, c2 = k1 & COL_MASK, k2 & COL_MASK
    return Area([[float(c) for c in range(c1, c2 + 1)]])


def _position(x, row, arr):
    """ROW / COLUMN of a value made at run time: it must be a reference."""
    if x.__class__ is ExcelError:
        return x
    if x.__class__ is not Area or x.ref is None:
        return VALUE
    k1, k2 = x.ref
    if arr:
        return _positions(k1, k2, row)
    return float((k1 >> ROW_SHIFT) & ROW_BITS) if row else float(k1 & COL_MASK)


GLOBALS["_positions"] = _positions
GLOBALS["_position"] = _position


def evaluate_exact(comp: Compiler, shape: Shape, k: int, V: dict):
    """A cell's value with Excel's semantics (never raises for a bad value).  An array formula's
    anchor gets its whole result (an Area or a scalar); a plain cell gets one value."""
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
    if t is Area:
        if shape.array:
            return v
        v = _ii(v, k) if v.ref is not None else v.rows[0][0]
        t = v.__class__
        if t is Area:
            return VALUE
    if t is float:
        return v if v - v == 0.0 else NUM
    if v is None:
        return 0.0
    if t is bool or t is str or t is ExcelError:
        return v
    if t is int:
        return float(v)
    return VALUE


__all__ = [
    "ABS",
    "COLREL",
    "COL_MASK",
    "NOT_COL",
    "REL",
    "ROWREL",
    "ROW_BITS",
    "ROW_SHIFT",
    "SHEET_SHIFT",
    "Compiler",
    "Context",
    "Shape",
    "broadcast",
    "dep_key",
    "evaluate_exact",
    "make_key",
    "split_key",
]
