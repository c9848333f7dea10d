"""Tokens -> AST, with Excel's operator precedence.

Precedence, loosest first: comparison (= <> < > <= >=), &, + -, * /, ^, %, unary - +, range ':'.
Unary minus binds tighter than ^ (=-2^2 is 4, =2^-2 is 0.25); ^ is left-associative (=2^3^2 is
64).  A run of operators of one precedence (1+2+3+...) is one flat "chain" node, so a long sum
does not make a deep tree; nesting (parentheses, function calls, unary operators) is limited to
MAX_DEPTH levels: deeper formulas are a FormulaError, never a RecursionError.

AST nodes are named tuples (Num, Str, Ref, AreaRef, Call, ... below), kind first:
  ("num", float) ("str", text) ("bool", b) ("err", "#DIV/0!") ("missing",)
  ("ref", sheet|None, row, col, row_abs, col_abs)
  ("area", sheet|None, r1, c1, r2, c2, r1_abs, c1_abs, r2_abs, c2_abs)
        whole column A:A is rows 1..MAX_ROW with absolute rows; whole row 1:1 is columns 1..MAX_COL
  ("name", name, sheet|None)
  ("neg", x) ("pos", x) ("pct", x)
  ("bin", op, a, b)                     one binary operator
  ("chain", prec, [x0, x1, ...], [op1, op2, ...])   x0 op1 x1 op2 x2 ..., left to right
  ("call", NAME, [args])                NAME upper-case, _xlfn./_xlws./_xlpm. prefixes removed
  ("array", ((v, ...), ...))            an array constant {1,2;3,4}: rows of float/str/bool/ExcelError
  ("at", x)                             the implicit-intersection operator @x
  ("range", a, b) ("isect", a, b)        reference operators a:b (when not two cells) and a b
  ("union", (a, b, ...))                (a, b, ...) in parentheses: a union of references
  ("sref", table|None, spec)            a structured reference Table1[spec] ([@Col]: no table name)
  ("xref", n, node)                     a reference (ref, area or name node) into external workbook [n]
  ("invoke", target, [args])            LAMBDA(x,x+1)(2): the function a call made, called
Names written _xlpm.x (LET and LAMBDA parameters) lose the prefix.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from graddesc.engine.tokenizer import tokenize
from graddesc.engine.values import ERRORS
from graddesc.errors import FormulaError
from graddesc.xlsx.model import col_index, col_letter

MAX_ROW = 1_048_576
MAX_COL = 16_384
MAX_DEPTH = 64  # Excel allows 64 levels of nested functions

_REF_NODES = frozenset(("ref", "area", "name", "call", "range", "isect", "union", "sref"))
_REF_START = frozenset(("cell", "colrange", "rowrange", "qual", "name", "func", "sref"))
BINARY = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4, "^": 5}
_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)$")
_PREFIX = re.compile(r"(?:_xlfn\.|_xlws\.|_xlpm\.)+", re.IGNORECASE)


# ------------------------------------------------------------------ AST nodes
# Named tuples whose first field is the node's kind, so `node.kind` and `node[0]` agree.

class Num(NamedTuple):
    kind: str  # "num"
    value: float


class Str(NamedTuple):
    kind: str  # "str"
    value: str


class Bool(NamedTuple):
    kind: str  # "bool"
    value: bool


class Err(NamedTuple):
    kind: str  # "err"
    code: str


class Missing(NamedTuple):
    kind: str  # "missing": an argument left empty, as in IF(A1,,2)


class Ref(NamedTuple):
    kind: str  # "ref"
    sheet: str | None
    row: int
    col: int
    row_abs: bool
    col_abs: bool


class AreaRef(NamedTuple):
    kind: str  # "area"
    sheet: str | None
    r1: int
    c1: int
    r2: int
    c2: int
    r1_abs: bool
    c1_abs: bool
    r2_abs: bool
    c2_abs: bool


class Name(NamedTuple):
    kind: str  # "name"
    name: str
    sheet: str | None


class Unary(NamedTuple):
    kind: str  # "neg" "pos" "pct" "at"
    x: tuple


class Bin(NamedTuple):
    kind: str  # "bin"
    op: str
    a: tuple
    b: tuple


class Chain(NamedTuple):
    kind: str  # "chain"
    prec: int
    operands: list
    ops: list


class Call(NamedTuple):
    kind: str  # "call"
    name: str
    args: list


class Invoke(NamedTuple):
    kind: str  # "invoke": a function value (LAMBDA) called with arguments
    target: tuple
    args: list


class ArrayConst(NamedTuple):
    kind: str  # "array"
    rows: tuple


class RefOp(NamedTuple):
    kind: str  # "range" (a:b) or "isect" (a b)
    a: tuple
    b: tuple


class UnionRef(NamedTuple):
    kind: str  # "union"
    items: tuple


class StructRef(NamedTuple):
    kind: str  # "sref"
    table: str | None
    spec: str


class ExternalRef(NamedTuple):
    kind: str  # "xref"
    book: int
    ref: tuple


def strip_prefix(name: str) -> str:
    """A function or parameter name without the _xlfn. / _xlws. / _xlpm. prefixes Excel writes."""
    m = _PREFIX.match(name)
    return name[m.end():] if m else name


col_number = col_index  # the package's one decoder of column letters (graddesc.xlsx.model)
col_letters = col_letter


def parse_cell(text: str):
    """'$B$7' -> (row, col, row_abs, col_abs), or None when it is not a cell of Excel's grid."""
    m = _CELL.match(text)
    if not m:
        return None
    row, col = int(m.group(4)), col_number(m.group(2))
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return None
    return row, col, bool(m.group(3)), bool(m.group(1))


class Parser:
    __slots__ = ("cell", "depth", "i", "n", "toks")

    def __init__(self, text: str, cell: str = "?"):
        self.cell = cell
        self.toks = tokenize(text, cell)
        self.n = len(self.toks)
        self.i = 0
        self.depth = 0

    def error(self, msg):
        raise FormulaError(self.cell, msg)

    def take(self):
        t = self.toks[self.i] if self.i < self.n else None
        self.i += 1
        return t

    def peek_op(self):
        """The operator text of the next token, or None."""
        if self.i < self.n:
            t = self.toks[self.i]
            if t[0] == "op":
                return t[1]
        return None

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.error(f"formula nested too deeply (more than {MAX_DEPTH} levels)")

    def parse(self):
        if not self.toks:
            self.error("empty formula")
        node = self.expr(0)
        if self.i < self.n:
            self.error(f"unexpected {self.toks[self.i][1]!r}")
        return node

    def expr(self, min_prec):
        """Operators looser than min_prec end the expression; a run of operators of one
        precedence becomes one node (bin, or chain when longer), evaluated left to right."""
        left = self.postfix()
        while True:
            op = self.peek_op()
            prec = BINARY.get(op) if op is not None else None
            if prec is None or prec <= min_prec:
                return left
            operands, ops = [left], []
            while True:
                op = self.peek_op()
                if op is None or BINARY.get(op) != prec:
                    break
                self.take()
                ops.append(op)
                operands.append(self.expr(prec))  # only tighter operators bind to the right
            left = Bin("bin", ops[0], operands[0], operands[1]) if len(ops) == 1 else Chain("chain", prec, operands, ops)

    def postfix(self):
        x = self.unary()
        while self.peek_op() == "%":
            self.take()
            x = Unary("pct", x)
        return x

    def unary(self):
        op = self.peek_op()
        if op == "@":
            self.take()
            self.enter()
            x = self.unary()
            self.depth -= 1
            return Unary("at", x)
        if op == "-" or op == "+":
            self.take()
            self.enter()
            x = self.unary()
            self.depth -= 1
            return Unary("neg", x) if op == "-" else Unary("pos", x)
        return self.intersection()

    def intersection(self):
        """Reference operators, tighter than any other: ':' (the range spanning two references),
        then ' ' (the intersection of two references: a space between them)."""
        x = self.range_()
        while x[0] in _REF_NODES and self.i < self.n:
            t = self.toks[self.i]
            if t[2] == self.toks[self.i - 1][3] or not (t[0] in _REF_START or (t[0] == "op" and t[1] == "(")):
                break
            x = RefOp("isect", x, self.range_())
        return x

    def range_(self):
        x = self.primary()
        if self.peek_op() == "#" and x[0] in ("ref", "name"):  # A1#: the array spilled from A1
            self.take()
            x = Call("call", "ANCHORARRAY", [x])
        while self.peek_op() == ":" and x[0] in _REF_NODES:
            self.take()
            x = RefOp("range", x, self.primary())
        return x

    def primary(self):
        t = self.take()
        if t is None:
            self.error("formula ends too early")
        kind, text = t[0], t[1]
        if kind == "number":
            return Num("num", float(text))
        if kind == "string":
            return Str("str", text[1:-1].replace('""', '"'))
        if kind == "bool":
            return Bool("bool", text.upper() == "TRUE")
        if kind == "error":
            return Err("err", text.upper())
        if kind == "op" and text == "(":
            self.enter()
            node = self.expr(0)
            if self.peek_op() == ",":  # (A1:B2,D4): the union of references
                items = [node]
                while self.peek_op() == ",":
                    self.take()
                    items.append(self.expr(0))
                node = UnionRef("union", tuple(items))
            self.depth -= 1
            self.expect_op(")")
            return node
        if kind == "func":
            return self.call(text.upper())
        if kind == "qual":
            nxt = self.take()
            if nxt is None:
                self.error(f"nothing after {text}!")
            return self.reference(nxt, text)
        if kind == "xqual":  # [1]Sheet1!A1: a cell of another workbook
            body = text[1:-2].replace("''", "'") if text.startswith("'") else text[:-1]
            book, _, sheet = body[1:].partition("]")
            nxt = self.take()
            if nxt is None:
                self.error(f"nothing after {text}")
            inner = self.reference(nxt, sheet or None)
            return ExternalRef("xref", int(book), inner)
        if kind == "sref":
            i = text.index("[")
            return StructRef("sref", text[:i] or None, text[i + 1:-1])
        if kind in ("cell", "colrange", "rowrange", "name"):
            return self.reference(t, None)
        if kind == "op" and text == "{":
            return self.array()
        self.error(f"unexpected {text!r}")

    def array(self):
        """An array constant after '{': rows separated by ';', items by ','; each item a number
        (with an optional sign), text, TRUE/FALSE or an error value."""
        rows, row = [], []
        while True:
            t = self.take()
            if t is None:
                self.error("missing '}' after an array constant")
            kind, text = t[0], t[1]
            sign = 1.0
            while kind == "op" and text in "+-":
                if text == "-":
                    sign = -sign
                t = self.take()
                if t is None:
                    self.error("missing '}' after an array constant")
                kind, text = t[0], t[1]
                if kind != "number":
                    self.error("a sign in an array constant needs a number")
            if kind == "number":
                row.append(sign * float(text))
            elif kind == "string":
                row.append(text[1:-1].replace('""', '"'))
            elif kind == "bool":
                row.append(text.upper() == "TRUE")
            elif kind == "error" and text.upper() in ERRORS:
                row.append(ERRORS[text.upper()])
            else:
                self.error(f"unexpected {text!r} in an array constant")
            t = self.take()
            if t is None or t[0] != "op" or t[1] not in ",;}":
                self.error("expected ',', ';' or '}' in an array constant")
            if t[1] != ",":
                if rows and len(row) != len(rows[0]):
                    self.error("the rows of an array constant differ in length")
                rows.append(tuple(row))
                row = []
                if t[1] == "}":
                    return ArrayConst("array", tuple(rows))

    def expect_op(self, op):
        t = self.take()
        if t is None or t[0] != "op" or t[1] != op:
            self.error(f"expected '{op}'" + (f" before {t[1]!r}" if t else " at the end"))

    def reference(self, t, sheet):
        kind, text = t[0], t[1]
        if kind == "cell":
            c = parse_cell(text)
            if c is None:
                if sheet is None and re.fullmatch(r"[A-Za-z]+\d+", text):
                    return Name("name", text, None)  # e.g. XFE1: beyond the grid, so a name
                self.error(f"reference {text} is outside the sheet")
            if self.peek_op() == ":" and self._cell_follows():
                self.take()
                t2 = self.take()
                if t2[0] == "qual":  # Sheet1!A1:Sheet1!B2
                    if t2[1].lower() != (sheet or "").lower():
                        self.error("a range across sheets is not supported")
                    t2 = self.take()
                c2 = parse_cell(t2[1])
                if c2 is None:
                    self.error(f"reference {t2[1]} is outside the sheet")
                return self.area(sheet, c, c2)
            return Ref("ref", sheet, c[0], c[1], c[2], c[3])
        if kind == "colrange":
            a, b = text.split(":")
            c1, c2 = col_number(a.lstrip("$")), col_number(b.lstrip("$"))
            if max(c1, c2) > MAX_COL:
                self.error(f"column range {text} is outside the sheet")
            return self.area(sheet, (1, c1, True, a.startswith("$")), (MAX_ROW, c2, True, b.startswith("$")))
        if kind == "rowrange":
            a, b = text.split(":")
            r1, r2 = int(a.lstrip("$")), int(b.lstrip("$"))
            if not (1 <= min(r1, r2) and max(r1, r2) <= MAX_ROW):
                self.error(f"row range {text} is outside the sheet")
            return self.area(sheet, (r1, 1, a.startswith("$"), True), (r2, MAX_COL, b.startswith("$"), True))
        if kind == "name":
            return Name("name", strip_prefix(text), sheet)
        if kind == "error" and text.upper() == "#REF!":
            return Err("err", "#REF!")
        self.error(f"expected a reference after {sheet}!")

    def _cell_follows(self):
        """After 'A1' and ':': is the next token a cell (A1:B2, A1:Sheet1!B2)?  Else the ':' is
        the range operator between references (A1:INDEX(...))."""
        i = self.i + 1
        if i < self.n and self.toks[i][0] == "qual":
            i += 1
        return i < self.n and self.toks[i][0] == "cell"

    @staticmethod
    def area(sheet, c1, c2):
        if c1[0] <= c2[0]:
            r1, r1a, r2, r2a = c1[0], c1[2], c2[0], c2[2]
        else:
            r1, r1a, r2, r2a = c2[0], c2[2], c1[0], c1[2]
        if c1[1] <= c2[1]:
            k1, k1a, k2, k2a = c1[1], c1[3], c2[1], c2[3]
        else:
            k1, k1a, k2, k2a = c2[1], c2[3], c1[1], c1[3]
        return AreaRef("area", sheet, r1, k1, r2, k2, r1a, k1a, r2a, k2a)

    def call(self, name):
        name = strip_prefix(name)
        node = Call("call", name, self.arguments(name))
        while self.peek_op() == "(":  # LAMBDA(x, x+1)(2): the function a call made, called
            self.take()
            node = Invoke("invoke", node, self.arguments(name))
        return node

    def arguments(self, name):
        """The arguments after '(' up to the matching ')'."""
        self.enter()
        args = []
        if self.peek_op() == ")":
            self.take()
            self.depth -= 1
            return args
        while True:
            op = self.peek_op()
            if op == "," or op == ")":
                args.append(Missing("missing"))
            else:
                args.append(self.expr(0))
            t = self.take()
            if t is None:
                self.error(f"missing ')' after the arguments of {name}")
            if t[0] == "op" and t[1] == ")":
                break
            if not (t[0] == "op" and t[1] in ",;"):
                self.error(f"expected ',' or ')' in {name}(...), got {t[1]!r}")
        self.depth -= 1
        return args


def parse(text: str, cell: str = "?"):
    """Parse formula text (with or without the leading '=')."""
    text = text.removeprefix("=")
    return Parser(text, cell).parse()
