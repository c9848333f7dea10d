"""Tokens -> AST, with Excel's operator precedence.

Precedence, loosest first: comparison (= <> < > <= >=), &, + -, * /, ^, %, unary - +, range ':'.
Unary minus binds tighter than ^ (=-2^2 is 4); ^ is left-associative (=2^3^2 is 64).

AST nodes are tuples:
  ("num", float) ("str", text) ("bool", b) ("err", "#DIV/0!") ("missing",)
  ("ref", sheet|None, row, col, row_abs, col_abs)
  ("area", sheet|None, r1, c1, r2, c2, r1_abs, c1_abs, r2_abs, c2_abs)   (whole column: r1=1, r2=MAX_ROW)
  ("name", name, sheet|None)
  ("neg", x) ("pos", x) ("pct", x) ("bin", op, a, b) ("call", NAME, [args])
"""

from __future__ import annotations

import re

from graddesc.errors import FormulaError
from graddesc.engine.tokenizer import tokenize

MAX_ROW = 1_048_576
MAX_COL = 16_384
MAX_DEPTH = 64  # Excel allows 64 levels of nested functions

_BINARY = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4, "^": 5}
_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)$")


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def parse_cell(text: str):
    """'$B$7' -> (row, col, row_abs, col_abs) or None when out of Excel's grid."""
    m = _CELL.match(text)
    if not m:
        return None
    row, col = int(m.group(4)), col_number(m.group(2))
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return None
    return row, col, bool(m.group(3)), bool(m.group(1))


class Parser:
    def __init__(self, text: str, cell: str = "?"):
        self.cell = cell
        self.toks = tokenize(text, cell)
        self.i = 0
        self.depth = 0

    def error(self, msg):
        raise FormulaError(self.cell, msg)

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self):
        t = self.peek()
        self.i += 1
        return t

    def expect_op(self, op):
        t = self.take()
        if t is None or t[0] != "op" or t[1] != op:
            self.error(f"expected '{op}'" + (f" before {t[1]!r}" if t else " at the end"))

    def parse(self):
        if not self.toks:
            self.error("empty formula")
        node = self.expr(0)
        if self.peek() is not None:
            self.error(f"unexpected {self.peek()[1]!r}")
        return node

    def expr(self, min_prec):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.error(f"formula nested too deeply (more than {MAX_DEPTH} levels)")
        left = self.unary()
        while True:
            t = self.peek()
            if t is None or t[0] != "op":
                break
            op = t[1]
            if op == "%":
                self.take()
                left = ("pct", left)
                continue
            prec = _BINARY.get(op)
            if prec is None or prec <= min_prec:
                break
            self.take()
            right = self.expr(prec)  # left-associative: the right side binds tighter only
            left = ("bin", op, left, right)
        self.depth -= 1
        return left

    def unary(self):
        t = self.peek()
        if t is not None and t[0] == "op" and t[1] in "-+":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.error(f"formula nested too deeply (more than {MAX_DEPTH} levels)")
            x = self.unary()
            self.depth -= 1
            return ("neg", x) if t[1] == "-" else ("pos", x)
        return self.primary()

    def primary(self):
        t = self.take()
        if t is None:
            self.error("formula ends too early")
        kind, text = t[0], t[1]
        if kind == "number":
            return ("num", float(text))
        if kind == "string":
            return ("str", text[1:-1].replace('""', '"'))
        if kind == "bool":
            return ("bool", text.upper() == "TRUE")
        if kind == "error":
            return ("err", text.upper())
        if kind == "op" and text == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.error(f"formula nested too deeply (more than {MAX_DEPTH} levels)")
            node = self.expr(0)
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
        if kind in ("cell", "colrange", "rowrange", "name"):
            return self.reference(t, None)
        if kind == "op" and text == "{":
            self.error("array constants {...} are not supported")
        self.error(f"unexpected {text!r}")

    def reference(self, t, sheet):
        kind, text = t[0], t[1]
        if kind == "cell":
            c = parse_cell(text)
            if c is None:
                self.error(f"reference {text} is outside the sheet")
            nxt = self.peek()
            if nxt is not None and nxt[0] == "op" and nxt[1] == ":":
                self.take()
                t2 = self.take()
                if t2 is None or t2[0] != "cell":
                    self.error(f"a range {text}:... needs a cell after ':'")
                c2 = parse_cell(t2[1])
                if c2 is None:
                    self.error(f"reference {t2[1]} is outside the sheet")
                return self.area(sheet, c, c2)
            return ("ref", sheet, c[0], c[1], c[2], c[3])
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
            return ("name", text, sheet)
        if kind == "error" and text.upper() == "#REF!":
            return ("err", "#REF!")
        self.error(f"expected a reference after {sheet}!")

    @staticmethod
    def area(sheet, c1, c2):
        r1, r2 = sorted((c1[0], c2[0]))
        k1, k2 = sorted((c1[1], c2[1]))
        return ("area", sheet, r1, k1, r2, k2, c1[2], c1[3], c2[2], c2[3])

    def call(self, name):
        if name.startswith("_XLFN."):
            name = name[6:]
        if name.startswith("_XLWS."):
            name = name[6:]
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.error(f"formula nested too deeply (more than {MAX_DEPTH} levels)")
        args = []
        t = self.peek()
        if t is not None and t[0] == "op" and t[1] == ")":
            self.take()
            self.depth -= 1
            return ("call", name, args)
        while True:
            t = self.peek()
            if t is not None and t[0] == "op" and t[1] in ",)":
                args.append(("missing",))
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
        return ("call", name, args)


def parse(text: str, cell: str = "?"):
    """Parse formula text (with or without the leading '=')."""
    if text.startswith("="):
        text = text[1:]
    return Parser(text, cell).parse()
