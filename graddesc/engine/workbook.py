"""The cell graph: load cells, compile every formula (once per shape), order them without
recursion, evaluate."""

from __future__ import annotations

import bisect
import os
import re

from graddesc.engine.compiler import (
    COL_MASK, ROW_MASK, ROW_SHIFT, SHEET_SHIFT, Compiler, Context, evaluate_exact, make_key, split_key)
from graddesc.engine.parser import col_number, parse_cell
from graddesc.engine.values import ERRORS, NAME, ExcelError
from graddesc.errors import CircularReferenceError, FormulaError, WorkbookError

_ADDR = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)$")


def col_letters(col: int) -> str:
    s = ""
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


def address(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


class Workbook:
    """A workbook's cells, formulas and defined names, evaluated by graddesc's engine."""

    def __init__(self, path: str = "<memory>"):
        self.path = path
        self.sheet_names: list[str] = []
        self._sheet_index: dict[str, int] = {}
        self.V: dict[int, object] = {}  # key -> value (constants and computed values)
        self.formulas: dict[int, str] = {}  # key -> formula text without '='
        self.cached_values: dict[int, object] = {}  # key -> value cached in the file
        self.names: dict[tuple[str, int | None], str] = {}  # (lower name, sheet scope) -> text
        self.max_row: dict[int, int] = {}
        self.skipped: dict[int, str] = {}  # lenient mode: key -> reason
        self.volatile: set[int] = set()
        self.evaluated = False
        self.order = []
        self._formula_rows = {}
        self._shapes: dict[int, object] = {}

    # ------------------------------------------------------------------ construction
    def add_sheet(self, name: str) -> int:
        idx = len(self.sheet_names)
        self.sheet_names.append(name)
        self._sheet_index[name.lower()] = idx
        return idx

    def set_cell(self, sheet: int, row: int, col: int, value=None, formula: str | None = None, cached=None):
        k = make_key(sheet, row, col)
        if formula is not None:
            self.formulas[k] = formula[1:] if formula.startswith("=") else formula
            if cached is not None:
                self.cached_values[k] = cached
        elif value is not None:
            self.V[k] = value
        if row > self.max_row.get(sheet, 0):
            self.max_row[sheet] = row

    def add_name(self, name: str, text: str, sheet: int | None = None):
        self.names[(name.lower(), sheet)] = text[1:] if text.startswith("=") else text

    @classmethod
    def load(cls, path) -> "Workbook":
        """Read an .xlsx/.xlsm from disk (graddesc's streaming reader; macros are never run)."""
        from graddesc.xlsx import reader

        raw = reader.read_workbook(path)
        wb = cls(os.fspath(path))
        for sh in raw.sheets:
            wb.add_sheet(sh.name)
        for i, sh in enumerate(raw.sheets):
            for row, col, value, formula, cached in sh.cells:
                wb.set_cell(i, row, col, value, formula, cached)
        for name, scope, text in raw.names:
            wb.add_name(name, text, scope)
        return wb

    @classmethod
    def from_cells(cls, sheets: dict, names: dict | None = None) -> "Workbook":
        """For tests: {"Sheet1": {"A1": 1.0, "B1": "=A1*2"}}, names {"rate": "Sheet1!$A$1"} or
        {("rate", "Sheet1"): ...} for a sheet-scoped name."""
        wb = cls()
        for name in sheets:
            wb.add_sheet(name)
        for i, (name, cells) in enumerate(sheets.items()):
            for addr, v in cells.items():
                row, col = _split_addr(addr)
                if isinstance(v, str) and v.startswith("="):
                    wb.set_cell(i, row, col, formula=v)
                else:
                    wb.set_cell(i, row, col, _normalize(v))
        for key, text in (names or {}).items():
            if isinstance(key, tuple):
                wb.add_name(key[0], text, wb.sheet_index(key[1]))
            else:
                wb.add_name(key, text)
        return wb

    @classmethod
    def from_model(cls, book) -> "Workbook":
        """From graddesc.xlsx.model.Workbook (what the builder produces), without writing a file."""
        wb = cls()
        for sh in book.sheets:
            wb.add_sheet(sh.name)
        for i, sh in enumerate(book.sheets):
            for r, row in enumerate(sh.rows, start=1):
                for c, item in enumerate(row, start=1):
                    v = getattr(item, "value", item)
                    if v is None:
                        continue
                    if isinstance(v, str) and v.startswith("="):
                        wb.set_cell(i, r, c, formula=v)
                    else:
                        wb.set_cell(i, r, c, _normalize(v))
        for name, text in book.names.items():
            wb.add_name(name, text)
        return wb

    # ------------------------------------------------------------------ lookups
    def sheet_index(self, name: str) -> int:
        idx = self._sheet_index.get(name.lower())
        if idx is None:
            raise KeyError(f"no sheet {name!r}")
        return idx

    def key(self, sheet: str, addr: str) -> int:
        row, col = _split_addr(addr)
        return make_key(self.sheet_index(sheet), row, col)

    def where(self, k: int) -> str:
        s, r, c = split_key(k)
        return f"{self.sheet_names[s]}!{address(r, c)}"

    def value(self, sheet: str, addr: str):
        """The cell's value: float, str, bool, ExcelError, or None for an empty cell."""
        return self.V.get(self.key(sheet, addr))

    def formula(self, sheet: str, addr: str):
        f = self.formulas.get(self.key(sheet, addr))
        return None if f is None else "=" + f

    def cached(self, sheet: str, addr: str):
        return self.cached_values.get(self.key(sheet, addr))

    def formula_cells(self, sheet: str):
        """(address, formula, value) of each formula cell of a sheet, in row order."""
        s = self.sheet_index(sheet)
        keys = sorted(k for k in self.formulas if k >> SHEET_SHIFT == s)
        for k in keys:
            _, r, c = split_key(k)
            yield address(r, c), "=" + self.formulas[k], self.V.get(k)

    def sheet_values(self, sheet: str) -> dict:
        """{(row, col): value} of every formula cell of a sheet (used to cache values in files)."""
        s = self.sheet_index(sheet)
        out = {}
        for k in self.formulas:
            if k >> SHEET_SHIFT == s:
                _, r, c = split_key(k)
                out[(r, c)] = self.V.get(k)
        return out

    @property
    def defined_names(self) -> dict:
        return {(n, None if s is None else self.sheet_names[s]): t for (n, s), t in self.names.items()}

    def _resolve_text(self, name: str, sheet: int | None):
        low = name.lower()
        if sheet is not None:
            t = self.names.get((low, sheet))
            if t is not None:
                return t
        return self.names.get((low, None))

    def resolve_name(self, name: str, sheet: str | None = None) -> tuple[str, str]:
        """A single-cell defined name -> (sheet, "A1"); KeyError when missing or not one cell."""
        scope = self.sheet_index(sheet) if sheet is not None else None
        text = self._resolve_text(name, scope)
        if text is None:
            raise KeyError(name)
        m = re.fullmatch(r"(?:'((?:[^']|'')+)'|([^!'\s]+))!\$?([A-Za-z]{1,3})\$?(\d+)", text.strip())
        if not m:
            raise KeyError(name)
        sname = (m.group(1) or "").replace("''", "'") or m.group(2)
        return self.sheet_names[self.sheet_index(sname)], f"{m.group(3).upper()}{m.group(4)}"

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, strict: bool = True) -> "Workbook":
        """Compile and evaluate every formula.  strict: an unknown function or a circular
        reference raises (naming the cell); otherwise such cells and their dependants are listed in
        `skipped` with the reason and left as #NAME? / #REF!-free error values."""
        ctx = Context(self._sheet_index, self._resolve_text, self.max_row)
        comp = Compiler(ctx)
        shapes = {}
        where = self.where
        for k, text in self.formulas.items():
            shape = comp.shape_for(k >> SHEET_SHIFT, (k >> ROW_SHIFT) & 0x1FFFFF, text, lambda: where(k))
            if shape.error is not None:
                if strict:
                    err = shape.error
                    if err.cell != where(k):  # the shape was compiled at another cell
                        err = type(err)(where(k), err.function) if hasattr(err, "function") else \
                            FormulaError(where(k), str(err).split(": ", 1)[1])
                    raise err
                self.skipped[k] = str(shape.error)
            elif shape.volatile:
                self.volatile.add(k)
            shapes[k] = shape
        self._shapes = shapes
        order = self._order(shapes, strict)
        self.order = order
        V = self.V
        skipped = self.skipped
        for k, shape in order:
            if shape.error is not None:
                V[k] = NAME
                continue
            try:
                v = shape.fast(k, V)
                if (v.__class__ is float and v - v == 0.0) or v.__class__ is bool:
                    V[k] = v
                    continue
            except Exception:
                pass
            V[k] = evaluate_exact(shape, k, V)
        if not strict:
            self._propagate_skips(order)
        self.evaluated = True
        return self

    def _deps(self, k, shape, formula_rows):
        base = k & ROW_MASK
        out = [base + c for c in shape.rel_deps]
        out.extend(shape.abs_deps)
        for rel1, c1, rel2, c2 in shape.areas:
            k1 = base + c1 if rel1 else c1
            k2 = base + c2 if rel2 else c2
            s, r1, col1 = split_key(k1)
            _, r2, col2 = split_key(k2)
            for col in range(col1, col2 + 1):
                rows = formula_rows.get((s, col))
                if not rows:
                    continue
                lo = bisect.bisect_left(rows, r1)
                hi = bisect.bisect_right(rows, r2)
                out.extend(make_key(s, r, col) for r in rows[lo:hi])
        return out

    def _order(self, shapes, strict):
        """Formula cells in dependency order: iterative depth-first search (no recursion, so a
        chain of a million cells is fine); a cycle raises CircularReferenceError."""
        formula_rows: dict = {}
        if any(sh.areas for sh in shapes.values()):
            for k in shapes:
                s, r, c = split_key(k)
                formula_rows.setdefault((s, c), []).append(r)
            for rows in formula_rows.values():
                rows.sort()
        state: dict[int, int] = {}
        order = []
        deps = self._deps
        # Cells are taken in key order (sheet, row, col); when one is taken, every cell before it
        # is done (a search finishes everything it starts).  So a cell whose dependencies all come
        # before it in key order is ready at once: most of an unrolled sheet.
        for k0 in sorted(shapes):
            if k0 in state:
                continue
            sh0 = shapes[k0]
            if not sh0.areas and sh0.max_rel < k0 - (k0 & ROW_MASK) and sh0.max_abs < k0:
                state[k0] = 2
                order.append((k0, sh0))
                continue
            ds = deps(k0, shapes[k0], formula_rows)
            for d in ds:
                if d in shapes and state.get(d) != 2:
                    break
            else:
                state[k0] = 2
                order.append((k0, shapes[k0]))
                continue
            state[k0] = 1
            stack = [(k0, iter(deps(k0, shapes[k0], formula_rows)))]
            while stack:
                k, it = stack[-1]
                for d in it:
                    if d in shapes:
                        st = state.get(d)
                        if st is None:
                            state[d] = 1
                            stack.append((d, iter(deps(d, shapes[d], formula_rows))))
                            break
                        if st == 1:
                            cycle = [self.where(x) for x, _ in stack[[x for x, _ in stack].index(d):]]
                            if strict:
                                raise CircularReferenceError(cycle + [self.where(d)])
                            for x, _ in stack:
                                self.skipped.setdefault(x, "circular reference: " + " -> ".join(cycle))
                else:
                    stack.pop()
                    state[k] = 2
                    order.append((k, shapes[k]))
        self._formula_rows = formula_rows
        return order

    def downstream(self, seeds: set) -> set:
        """Every formula cell (key) that depends, directly or not, on a key in `seeds` (seeds
        included): how an error value spreads through a sheet.  Needs evaluate() first."""
        out = set(seeds)
        for k, shape in self.order:
            if k not in out and any(d in out for d in self._deps(k, shape, self._formula_rows)):
                out.add(k)
        return out

    def _propagate_skips(self, order):
        for k, shape in order:
            if k in self.skipped:
                if "circular" in self.skipped[k]:
                    self.V[k] = ERRORS["#REF!"]
                continue
            for d in self._deps(k, shape, self._formula_rows):
                if d in self.skipped:
                    self.skipped[k] = f"depends on {self.where(d)} ({self.skipped[d].split(':')[0]})"
                    break
                if d in self.volatile and k not in self.volatile:
                    self.volatile.add(k)


def _split_addr(addr: str):
    m = _ADDR.match(addr)
    if not m:
        raise KeyError(f"not a cell address: {addr!r}")
    return int(m.group(2)), col_number(m.group(1))


def _normalize(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, float):
        return v
    if isinstance(v, str) and v in ERRORS:
        return ERRORS[v]
    if isinstance(v, ExcelError):
        return v
    return str(v)
