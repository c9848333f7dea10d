"""The cell graph: load cells, compile every formula (once per shape), evaluate in dependency
order without recursion."""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from graddesc.engine.compiler import (
    ABS, COL_MASK, NOT_COL, REL, ROW_BITS, ROW_SHIFT, ROWREL, SHEET_SHIFT, Compiler, Context, Shape, dep_key,
    evaluate_exact, make_key, split_key)
from graddesc.engine.functions.base import Area, dims, unit
from graddesc.engine.functions.base import CTX
from graddesc.engine.parser import MAX_COL, MAX_ROW, col_letters, col_number, parse
from graddesc.engine.values import ERRORS, NA, NAME, REF, VALUE, ExcelError
from graddesc.errors import CircularReferenceError, FormulaError, UnknownFunctionError, WorkbookError

_ADDR = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)$")


def address(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


class _Shared(tuple):
    """A shared formula's child: (master row, master col, master text)."""

    __slots__ = ()


_MEMBER = Shape("(a cell of an array formula's range)")
_MEMBER.member = True
_MEMBER.qk = -1  # its only dependency, the anchor, has a smaller key


class _Member(tuple):
    """A cell of an array formula's range other than its anchor: (anchor key,).  Its formula is the
    anchor's; its value is the anchor's result at its place."""

    __slots__ = ()


class FormulaTexts(Mapping):
    """key -> formula text without '=' (shared-formula children are translated when asked; the
    cells of an array formula's range show the anchor's formula, as Excel does)."""

    def __init__(self, raw: dict):
        self._raw = raw

    def __getitem__(self, k):
        f = self._raw[k]
        if f.__class__ is str:
            return f
        if f.__class__ is _Member:
            return self[f[0]]
        from graddesc.xlsx.reader import translate

        _, r, c = split_key(k)
        return translate(f[2], r - f[0], c - f[1])

    def __contains__(self, k):
        return k in self._raw

    def __iter__(self):
        return iter(self._raw)

    def __len__(self):
        return len(self._raw)


@dataclass(frozen=True)
class Table:
    """An Excel table (ListObject): formulas refer to it as `display_name[Column]`.  ref is (r1, c1,
    r2, c2) with the header and totals rows included; columns are the header names, left to right."""

    name: str
    display_name: str
    sheet: str
    sheet_index: int
    ref: tuple
    columns: tuple
    header_rows: int = 1
    totals_rows: int = 0

    @property
    def data_rows(self) -> tuple:
        """(first, last) row of the data body (last < first when the table has no data rows)."""
        return self.ref[0] + self.header_rows, self.ref[2] - self.totals_rows

    def column(self, name: str) -> int | None:
        """The sheet column number of a table column, by name (case-insensitive), or None."""
        low = name.lower()
        for i, c in enumerate(self.columns):
            if c.lower() == low:
                return self.ref[1] + i
        return None


@dataclass(frozen=True)
class External:
    """A linked workbook ([index] in formulas) with the values the saving application cached from it:
    cells {(lower sheet name, row, col): value}, names {(lower name, lower sheet name or None): text}."""

    index: int
    target: str
    sheet_names: tuple
    cells: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)

    def value(self, sheet: str, row: int, col: int):
        """The cached value of [index]sheet!(row, col), None when the file holds none."""
        return self.cells.get((sheet.lower(), row, col))


class Workbook:
    """A workbook's cells, formulas and defined names, evaluated by graddesc's engine.

    V: key -> value of every non-empty cell (float, str, bool or ExcelError); formulas: key ->
    text; cached_values: key -> the value the file stored beside a formula, and in the cells of an
    array formula's range (its result as the file stored it); skipped: key -> reason (lenient
    mode); volatile: keys of volatile cells and of the cells depending on them.
    From a file: array_formulas: anchor key -> (r1, c1, r2, c2), the range of an array formula
    (the formula text is in `formulas` at the anchor); dynamic_arrays: the anchors that are Excel
    365 dynamic (spilling) arrays; tables: lower table name -> Table; externals: [N] -> External;
    date1904: serial dates count from 1904 (evaluation sets CTX.date1904); application: which
    program saved the file ("" if unknown)."""

    def __init__(self, path: str = "<memory>"):
        self.path = path
        self.sheet_names: list[str] = []
        self._sheet_index: dict[str, int] = {}
        self.V: dict[int, object] = {}
        self._ftext: dict[int, object] = {}
        self.formulas = FormulaTexts(self._ftext)
        self.cached_values: dict[int, object] = {}
        self.names: dict[tuple[str, int | None], str] = {}  # (lower name, sheet scope) -> text
        self._name_case: dict[tuple[str, int | None], str] = {}
        self.max_row: dict[int, int] = {}
        self.max_col: dict[int, int] = {}
        self.skipped: dict[int, str] = {}
        self.volatile: set[int] = set()
        self.evaluated = False
        self.order: list[int] = []
        self._shapes: dict[int, object] = {}
        self._formula_rows = None
        self._compiler = None
        self._use_fast = True  # False: EXACT only (tests compare the two paths)
        self._strict = True
        self._dynamic: list = []  # formula cells that make references at run time
        self.array_formulas: dict[int, tuple] = {}
        self.dynamic_arrays: set[int] = set()
        self.tables: dict[str, Table] = {}
        self.externals: dict[int, External] = {}
        self.date1904 = False
        self.application = ""

    # ------------------------------------------------------------------ construction
    def add_sheet(self, name: str) -> int:
        if name.lower() in self._sheet_index:
            raise FormulaError(name, "two sheets with the same name")
        idx = len(self.sheet_names)
        self.sheet_names.append(name)
        self._sheet_index[name.lower()] = idx
        return idx

    def set_cell(self, sheet: int, row: int, col: int, value=None, formula: str | None = None, cached=None):
        if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
            raise KeyError(f"cell outside the sheet: row {row}, column {col}")
        k = make_key(sheet, row, col)
        self.V.pop(k, None)
        self._ftext.pop(k, None)
        self.cached_values.pop(k, None)
        if formula is not None:
            self._ftext[k] = formula[1:] if formula.startswith("=") else formula
            if cached is not None:
                self.cached_values[k] = cached
        elif value is not None:
            self.V[k] = _normalize(value)
        if row > self.max_row.get(sheet, 0):
            self.max_row[sheet] = row
        if col > self.max_col.get(sheet, 0):
            self.max_col[sheet] = col

    def add_name(self, name: str, text: str, sheet: int | None = None):
        key = (name.lower(), sheet)
        self.names[key] = text[1:] if text.startswith("=") else text
        self._name_case[key] = name

    @classmethod
    def load(cls, path, **limits) -> "Workbook":
        """Read an .xlsx/.xlsm from disk with graddesc's streaming reader (macros are never run).
        limits: max_total_bytes, max_ratio (see graddesc.xlsx.reader)."""
        from graddesc.xlsx import reader

        raw = reader.read_workbook(path, **limits)
        wb = cls(os.fspath(path))
        for sh in raw.sheets:
            if sh.name.lower() in wb._sheet_index:
                raise WorkbookError(f"{wb.path}: two sheets named {sh.name!r}")
            wb.add_sheet(sh.name)
        V, ftext, cached_values = wb.V, wb._ftext, wb.cached_values
        err_type = reader.ErrorValue
        shared_type = reader.SharedFormula
        errors = ERRORS
        for i, sh in enumerate(raw.sheets):
            base = i << SHEET_SHIFT
            max_row = max_col = 0
            for row, col, value, formula, cached in sh.cells:
                k = base | (row << ROW_SHIFT) | col
                if formula is None:
                    if value is None:  # inside an array formula's range: its result, as cached
                        if cached.__class__ is err_type:
                            cached = errors.get(cached, VALUE)
                        cached_values[k] = cached
                        continue
                    if value.__class__ is err_type:
                        value = errors.get(value, VALUE)
                    V[k] = value
                else:
                    ftext[k] = formula if formula.__class__ is not shared_type else _Shared(formula)
                    if cached is not None:
                        if cached.__class__ is err_type:
                            cached = errors.get(cached, VALUE)
                        cached_values[k] = cached
                if row > max_row:
                    max_row = row
                if col > max_col:
                    max_col = col
            sh.cells = []  # free the reader's copy as we go
            for (row, col), rng in sh.arrays.items():
                k = base | (row << ROW_SHIFT) | col
                wb.array_formulas[k] = rng
                if (row, col) in sh.dynamic:
                    wb.dynamic_arrays.add(k)
                max_row, max_col = max(max_row, rng[2]), max(max_col, rng[3])
            for t in sh.tables:
                table = Table(t.name, t.display_name, sh.name, i, t.ref, t.columns, t.header_rows, t.totals_rows)
                wb.tables.setdefault(t.display_name.lower(), table)
                if t.name and t.name.lower() != t.display_name.lower():
                    wb.tables.setdefault(t.name.lower(), table)
            if max_row:
                wb.max_row[i] = max_row
                wb.max_col[i] = max_col
        for name, scope, text in raw.names:
            if scope is not None and not 0 <= scope < len(wb.sheet_names):
                continue
            wb.add_name(name, text, scope)
        for link in raw.externals:
            sheets = link.sheet_names
            cells = {}
            for (pos, row, col), v in link.cells.items():
                if 0 <= pos < len(sheets):
                    cells[(sheets[pos].lower(), row, col)] = errors.get(v, VALUE) if v.__class__ is err_type else v
            names = {}
            for name, pos, text in link.names:
                scope = sheets[pos].lower() if pos is not None and 0 <= pos < len(sheets) else None
                names[(name.lower(), scope)] = text
            wb.externals[link.number] = External(link.number, link.target, tuple(sheets), cells, names)
        wb.date1904 = raw.date1904
        wb.application = raw.application
        return wb

    @classmethod
    def from_cells(cls, sheets: dict, names: dict | None = None) -> "Workbook":
        """For tests and small uses: {"Sheet1": {"A1": 1.0, "B1": "=A1*2"}} (a str starting with
        '=' is a formula, "#DIV/0!" etc. an error value), names {"rate": "Sheet1!$A$1"} or
        {("rate", "Sheet1"): ...} for a name scoped to Sheet1."""
        wb = cls()
        for name in sheets:
            wb.add_sheet(name)
        for i, (name, cells) in enumerate(sheets.items()):
            for addr, v in cells.items():
                row, col = _split_addr(addr)
                if isinstance(v, str) and v.startswith("="):
                    wb.set_cell(i, row, col, formula=v)
                else:
                    wb.set_cell(i, row, col, v)
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
        ftext = wb._ftext
        for i, sh in enumerate(book.sheets):
            masters: dict = {}
            for r, row in enumerate(sh.rows, start=1):
                for c, item in enumerate(row, start=1):
                    master = getattr(item, "shared", None)
                    if master is not None:  # the builder vouches: the master's formula, moved
                        sf = masters.get(master)
                        if sf is None:
                            m = sh.rows[master[0] - 1][master[1] - 1]
                            sf = masters[master] = _Shared((master[0], master[1], m.value[1:]))
                        ftext[(i << SHEET_SHIFT) | (r << ROW_SHIFT) | c] = sf
                        continue
                    v = getattr(item, "value", item)
                    if v is None:
                        continue
                    if isinstance(v, str) and v.startswith("="):
                        wb.set_cell(i, r, c, formula=v)
                    else:
                        wb.set_cell(i, r, c, v)
            if sh.rows:
                wb.max_row[i] = max(wb.max_row.get(i, 0), len(sh.rows))
                wb.max_col[i] = max(wb.max_col.get(i, 0), max(len(row) for row in sh.rows))
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
        """The cell's formula with its '=', or None."""
        k = self.key(sheet, addr)
        return "=" + self.formulas[k] if k in self._ftext else None

    def cached(self, sheet: str, addr: str):
        """The value the file stored beside the cell's formula (None if none)."""
        return self.cached_values.get(self.key(sheet, addr))

    def formula_cells(self, sheet: str):
        """(address, formula, value) of each formula cell of a sheet, in row order."""
        s = self.sheet_index(sheet)
        for k in sorted(k for k in self._ftext if k >> SHEET_SHIFT == s):
            _, r, c = split_key(k)
            yield address(r, c), "=" + self.formulas[k], self.V.get(k)

    def sheet_values(self, sheet: str) -> dict:
        """{(row, col): value} of every formula cell of a sheet (used to cache values in files)."""
        return self.values_by_sheet().get(sheet, {})

    def values_by_sheet(self) -> dict:
        """{sheet: {(row, col): value}} of every formula cell, in one pass."""
        out: dict = {name: {} for name in self.sheet_names}
        names = self.sheet_names
        get = self.V.get
        for k in self._ftext:
            out[names[k >> SHEET_SHIFT]][((k >> ROW_SHIFT) & ROW_BITS, k & COL_MASK)] = get(k)
        return out

    def skipped_cells(self) -> list[tuple[str, str]]:
        """[("Sheet!A1", reason)] of the cells lenient evaluation could not compute properly."""
        return [(self.where(k), why) for k, why in sorted(self.skipped.items())]

    @property
    def defined_names(self) -> dict:
        """{(name, sheet name or None for workbook-level): text}."""
        return {(self._name_case.get((n, s), n), None if s is None else self.sheet_names[s]): t
                for (n, s), t in self.names.items()}

    def _resolve_text(self, name: str, sheet: int | None):
        low = name.lower()
        if sheet is not None:
            t = self.names.get((low, sheet))
            if t is not None:
                return t
        return self.names.get((low, None))

    def resolve_name(self, name: str, sheet: str | None = None) -> tuple[str, str]:
        """A defined name that refers to one cell -> (sheet, "A1"); a sheet-scoped name wins on its
        own sheet.  KeyError when the name is missing or is not a single cell."""
        scope = self.sheet_index(sheet) if sheet is not None else None
        text = self._resolve_text(name, scope)
        if text is None:
            raise KeyError(name)
        try:
            node = parse(text)
        except FormulaError:
            raise KeyError(name) from None
        if node[0] == "area" and node[2] == node[4] and node[3] == node[5]:
            node = ("ref", node[1], node[2], node[3])
        if node[0] != "ref" or node[1] is None and scope is None:
            raise KeyError(name)
        sname = node[1] if node[1] is not None else self.sheet_names[scope]
        return self.sheet_names[self.sheet_index(sname)], address(node[2], node[3])

    # ------------------------------------------------------------------ public API: addresses, not keys
    # For code outside graddesc/engine (recalc, verify, users' tests): every cell is named by its
    # address "Sheet!A1" (quote a sheet name with spaces: "'My sheet'!B2") or by a defined name.

    def get(self, ref: str):
        """The value at "Sheet!A1" or of a defined name that refers to one cell: float, str, bool,
        ExcelError or None (empty).  A range ("Sheet!A1:B3", or a name referring to one) gives a
        list of rows.  "A1" alone is allowed when the workbook has one sheet.  KeyError when the
        address or name does not exist."""
        s, r1, c1, r2, c2 = self._locate(ref)
        get = self.V.get
        if r1 == r2 and c1 == c2:
            return get(make_key(s, r1, c1))
        return [[get(make_key(s, r, c)) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    def __getitem__(self, ref: str):
        return self.get(ref)

    def __setitem__(self, ref: str, value):
        self.set({ref: value})

    def set(self, values: dict) -> list[str]:
        """Set input cells, {"Sheet!A1": 3.0, "rate": 0.05} (an address or a defined name of one
        cell; a value: number, text, bool, None to clear, an error code like "#N/A", or a
        formula "=..."), then
        recompute only the formula cells that depend on them (and the volatile ones, as Excel
        does).  Returns the addresses recomputed, in evaluation order.  A new formula, a value typed
        over a formula cell, or a cell beyond the sheet's used area recomputes the whole workbook
        (and returns every formula cell).  Before evaluate(), only stores the values."""
        changed = []
        full = not self.evaluated
        for ref, v in values.items():
            s, r1, c1, r2, c2 = self._locate(ref)
            if r1 != r2 or c1 != c2:
                raise KeyError(f"{ref!r} is a range; set its cells one by one")
            k = make_key(s, r1, c1)
            if k in self._ftext or k in self.array_formulas or r1 > self.max_row.get(s, 0) \
                    or c1 > self.max_col.get(s, 0):
                full = True
            if isinstance(v, str) and v.startswith("=") and len(v) > 1:
                self.set_cell(s, r1, c1, formula=v)
                full = True
            elif v is None:
                self.V.pop(k, None)
                self._ftext.pop(k, None)
                self.cached_values.pop(k, None)
                self.array_formulas.pop(k, None)
                self.dynamic_arrays.discard(k)
            else:
                self.set_cell(s, r1, c1, v)
            changed.append(k)
        if not self.evaluated:
            return []
        if full:
            self.evaluate(strict=self._strict)
            return [self.where(k) for k in self.order]
        affected = self._downstream_of(set(changed) | set(self.volatile))
        comp, shapes, skipped = self._compiler, self._shapes, self.skipped
        out = []
        for k in self.order:
            if k in affected and k in shapes:
                if k in skipped and skipped[k].startswith("circular"):
                    continue
                self._eval(comp, shapes[k], k)
                out.append(k)
        return [self.where(k) for k in out]

    def dependants(self, cells) -> set[str]:
        """The formula cells ("Sheet!A1") that depend, directly or not, on any of `cells` (addresses
        or names; formula cells among them are included): how a value, or an error, spreads.
        Needs evaluate() first."""
        seeds = set()
        for ref in cells:
            s, r1, c1, r2, c2 = self._locate(ref)
            seeds.update(make_key(s, r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        return {self.where(k) for k in self._downstream_of(seeds) if k in self._ftext}

    def _downstream_of(self, seeds: set) -> set:
        """downstream() of any cells, input cells included: they join, for the time of the pass,
        the index of the formula cells that ranges are searched for."""
        extra_keys = [k for k in seeds if k not in self._ftext]
        if not extra_keys:
            return self.downstream(seeds)
        rows = self._formula_rows if self._formula_rows is not None else self._index_formula_rows()
        extra = dict(rows)
        for k in extra_keys:
            s, r, c = split_key(k)
            lst = extra.get((s, c))
            lst = [] if lst is None else list(lst)
            bisect.insort(lst, r)
            extra[(s, c)] = lst
        self._formula_rows = extra
        try:
            return self.downstream(seeds)
        finally:
            self._formula_rows = rows

    def not_evaluated(self) -> list["NotEvaluated"]:
        """The formula cells lenient evaluation (evaluate(strict=False)) could not compute, in
        sheet order: kind "unsupported" (a function or syntax the engine does not know),
        "circular" (part of a circular reference), "external" (reads another workbook whose
        values the file does not hold), each with its reason; a cell depending on such a cell has
        the kind of the cell it depends on."""
        return [NotEvaluated(self.where(k), kind, why) for k, (kind, why) in sorted(self._unevaluated().items())]

    def _unevaluated(self) -> dict:
        """key -> (kind, reason) of every formula cell that was not evaluated: the skipped ones, and
        those reading a linked workbook the file holds no values of (#REF!), with their dependants."""
        kinds = self._skip_kinds()
        out = {k: (kinds[k], why) for k, why in self.skipped.items()}
        missing = {}
        for k in self._ftext:
            if k in out:
                continue
            text = self.formulas[k]
            if "[" not in text:
                continue
            for m in _EXTERNAL_REF.finditer(_strip_strings(text)):
                n = int(m.group(1))
                sheet = (m.group(2) or "").replace("''", "'") or m.group(3)
                ext = self.externals.get(n)
                if ext is None:
                    missing[k] = f"external workbook [{n}]: the file holds no values from it (#REF!)"
                elif sheet and sheet.lower() not in {x.lower() for x in ext.sheet_names}:
                    missing[k] = f"external workbook [{n}] ({ext.target}): no sheet {sheet!r} in its cached values"
                else:
                    continue
                break
        if missing and self.order:
            for k, why in missing.items():
                out[k] = ("external", why)
            root = dict.fromkeys(missing)  # key -> the missing-link cell it depends on (None: itself)
            shapes = self._shapes
            for k in self.order:  # evaluation order: a cell's dependencies come before it
                if k in root or k in out:
                    continue
                for d in self._deps(k, shapes[k]):
                    if d in root:
                        src = root[d] if root[d] is not None else d
                        root[k] = src
                        out[k] = ("external", f"depends on {self.where(src)} ({missing[src].split(':')[0]})")
                        break
        return out

    def results(self, sheet: str | None = None):
        """Every formula cell, and every cell of an array formula's range, of one sheet or of all,
        in sheet order, as CellResult(cell, formula, value, cached, array, not_evaluated,
        unreproducible): what recalc audits.  Needs evaluate() first."""
        unevaluated = self._unevaluated()
        random = self._unreproducible()
        in_array: dict = {}  # key of a cell in an array's range -> anchor key
        for a, (r1, c1, r2, c2) in self.array_formulas.items():
            s = a >> SHEET_SHIFT
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    in_array.setdefault(make_key(s, r, c), a)
        keys = set(self._ftext) | set(in_array)
        if sheet is not None:
            idx = self.sheet_index(sheet)
            keys = {k for k in keys if k >> SHEET_SHIFT == idx}
        V, cached, formulas, where = self.V, self.cached_values, self.formulas, self.where
        for k in sorted(keys):
            a = in_array.get(k)
            f = k if k in self._ftext else a
            if k not in self._ftext and k not in cached and k not in V:
                continue  # an empty cell of an array's range that nothing was stored in
            ne = unevaluated.get(f) if f is not None else None
            yield CellResult(where(k), "=" + formulas[f], V.get(k), cached.get(k),
                             None if a is None else where(a),
                             None if ne is None else NotEvaluated(where(f), ne[0], ne[1]), f in random)

    def _locate(self, ref: str) -> tuple:
        """"Sheet!A1", "'My sheet'!A1:B2", "A1" (one sheet), a defined name (workbook-level, or
        "Sheet!name" for one scoped to Sheet) -> (sheet index, r1, c1, r2, c2)."""
        if not isinstance(ref, str):
            raise KeyError(f"not a cell address or name: {ref!r}")
        text = ref.strip()
        sheet = None
        if "!" in text:
            sname, _, text = text.rpartition("!")
            if sname.startswith("'") and sname.endswith("'") and len(sname) >= 2:
                sname = sname[1:-1].replace("''", "'")
            sheet = self.sheet_index(sname)
        m = _RANGE.match(text)
        if m:
            if sheet is None:
                if len(self.sheet_names) != 1:
                    raise KeyError(f"{ref!r}: say which sheet, e.g. '{self.sheet_names[0]}!{text}'")
                sheet = 0
            r1, c1 = int(m.group(2)), col_number(m.group(1))
            r2, c2 = (int(m.group(4)), col_number(m.group(3))) if m.group(3) else (r1, c1)
            r1, r2, c1, c2 = min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)
            if not (1 <= r1 and r2 <= MAX_ROW and 1 <= c1 and c2 <= MAX_COL):
                raise KeyError(f"{ref!r} is outside the sheet")
            return sheet, r1, c1, r2, c2
        target = self._resolve_text(text, sheet)
        if target is None:
            raise KeyError(f"no cell address or defined name {ref!r}")
        m = _NAME_REF.match(target.strip())
        if not m:
            raise KeyError(f"defined name {ref!r} is not a reference to cells: {target}")
        sname = (m.group(1) or "").replace("''", "'") or m.group(2)
        s = self.sheet_index(sname)
        r1, c1 = int(m.group(4)), col_number(m.group(3))
        r2, c2 = (int(m.group(6)), col_number(m.group(5))) if m.group(5) else (r1, c1)
        return s, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)

    def _skip_kinds(self) -> dict:
        """key -> kind ("unsupported", "circular", "external") of every skipped cell."""
        skipped = self.skipped
        if not skipped:
            return {}
        kinds = {}
        for k, why in skipped.items():
            if why.startswith("depends on"):
                continue
            if why.startswith("circular"):
                kinds[k] = "circular"
            elif "external" in why or "another workbook" in why or _EXTERNAL.search(_strip_strings(
                    self.formulas[k] if k in self._ftext else "")):
                kinds[k] = "external"
            else:
                kinds[k] = "unsupported"
        shapes = self._shapes
        for k in self.order:  # a dependant takes the kind of what it depends on
            if k in skipped and k not in kinds:
                for d in self._deps(k, shapes[k]):
                    if d in kinds:
                        kinds[k] = kinds[d]
                        break
        for k in skipped:
            kinds.setdefault(k, "unsupported")
        return kinds

    def _unreproducible(self) -> set:
        """Keys of the formula cells that call RAND, RANDBETWEEN, NOW or TODAY, and of the cells
        depending on them: values no engine can reproduce."""
        seeds = {k for k in self._ftext
                 if _RANDOM.search(_strip_strings(self.formulas[k]))}
        if not seeds or not self.order:
            return seeds
        return self.downstream(seeds)

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, strict: bool = True) -> "Workbook":
        """Compile and evaluate every formula.  strict (default): a formula the engine cannot
        handle (unknown function, bad syntax) or a circular reference raises, naming the cell.
        Lenient (strict=False): such cells get an error value (#NAME?, #REF! in a cycle) and are
        listed in `skipped` with the reason, and so is every cell depending on them."""
        CTX.date1904 = self.date1904
        CTX.book = self
        self.skipped = {}
        self.volatile = set()
        self._expand_arrays()
        ctx = Context(self._sheet_index, self._resolve_text, self.max_row, self.max_col, self.tables, self.externals)
        comp = self._compiler = Compiler(ctx, fast=self._use_fast)
        self._strict = strict
        shapes = self._compile_all(comp, strict)
        self._shapes = shapes
        self._formula_rows = None
        self._run(comp, shapes, strict)
        if self._dynamic:
            self._rerun_dynamic(comp, shapes)
        if self.skipped or self.volatile:
            self._propagate()
        self.evaluated = True
        return self

    # -- array formulas ------------------------------------------------------------------
    def set_array_formula(self, sheet: int, r1: int, c1: int, r2: int, c2: int, formula: str,
                          dynamic: bool = False):
        """An array formula over rows r1..r2, columns c1..c2 of a sheet (its anchor is the top-left
        cell); dynamic: an Excel 365 spilling formula (its result fills exactly its own size)."""
        self.set_cell(sheet, r1, c1, formula=formula)
        self.set_cell(sheet, r2, c2, self.V.get(make_key(sheet, r2, c2)))
        k = make_key(sheet, r1, c1)
        self.array_formulas[k] = (r1, c1, r2, c2)
        if dynamic:
            self.dynamic_arrays.add(k)

    def _expand_arrays(self):
        """Every cell of an array formula's range becomes a formula cell (a _Member of its anchor):
        its value comes from the anchor's result, and cells reading it are ordered after the anchor."""
        ftext, V = self._ftext, self.V
        for k, (r1, c1, r2, c2) in self.array_formulas.items():
            if ftext.get(k).__class__ is not str:
                continue
            member = _Member((k,))
            base = (k >> SHEET_SHIFT) << SHEET_SHIFT
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    m = base | (r << ROW_SHIFT) | c
                    if m != k and (m not in ftext or ftext[m].__class__ is _Member):
                        ftext[m] = member
                        V.pop(m, None)

    def _fill(self, k, v):
        """Put an array formula's result v (an Area or one value) into its range as Excel does and
        return the anchor's value.  Legacy (CSE) arrays: a one-value result fills every cell, a
        one-row / one-column result repeats, cells beyond the result show the formula evaluated
        on #N/A in place of its arrays (#N/A, but ISNA(A1:A2) shows TRUE); a dynamic array spills
        exactly its own size.  An empty cell of the result shows as 0."""
        r1, c1, r2, c2 = self.array_formulas[k]
        if v.__class__ is Area:
            rows = v.rows
            h, w = dims(v)
        else:
            rows, h, w = ((v,),), 1, 1
        dynamic = k in self.dynamic_arrays
        V = self.V
        pad = None
        base = (k >> SHEET_SHIFT) << SHEET_SHIFT
        for i in range(r2 - r1 + 1):
            for j in range(c2 - c1 + 1):
                key = base | ((r1 + i) << ROW_SHIFT) | (c1 + j)
                if dynamic:
                    if i >= h or j >= w:
                        V.pop(key, None)
                        continue
                    x = rows[i][j] if i < len(rows) and j < len(rows[i]) else None
                else:
                    ii = 0 if h == 1 else i
                    jj = 0 if w == 1 else j
                    if ii >= h or jj >= w:
                        if pad is None:
                            S = self._shapes.get(k)
                            pad = NA if S is None or S.ast is None else self._compiler.pad_value(S, k, V)
                        x = pad
                    else:
                        x = rows[ii][jj] if ii < len(rows) and jj < len(rows[ii]) else None
                x = unit(x)
                if x is None:
                    x = 0.0
                elif x.__class__ is Area:
                    x = VALUE
                V[key] = x
        return V.get(k)

    # -- references made at run time (OFFSET, INDIRECT) ------------------------------------
    def _rerun_dynamic(self, comp, shapes):
        """Cells with OFFSET / INDIRECT read cells the static order does not know about: once every
        cell has a value, re-evaluate them and their dependants in order until nothing changes."""
        dyn = set(self._dynamic)
        for k in self.order:
            if k not in dyn and any(d in dyn for d in self._deps(k, shapes[k])):
                dyn.add(k)
        todo = [k for k in self.order if k in dyn]
        V = self.V
        for _ in range(20):
            changed = False
            for k in todo:
                old = V.get(k)
                self._eval(comp, shapes[k], k)
                new = V.get(k)
                if new is not old and new != old and not (new.__class__ is float and old.__class__ is float
                                                          and new - old == 0.0):
                    changed = True
            if not changed:
                break

    def _compile_all(self, comp: Compiler, strict: bool) -> dict:
        shapes = {}
        where = self.where
        shape_for = comp.shape_for
        shared_shapes = {}
        skipped, volatile = self.skipped, self.volatile
        arrays = self.array_formulas
        dynamic = self._dynamic = []
        for k, f in self._ftext.items():
            s = k >> SHEET_SHIFT
            r = (k >> ROW_SHIFT) & ROW_BITS
            c = k & COL_MASK
            if f.__class__ is str:
                S = shape_for(s, r, c, f, k, where, arrays and k in arrays)
                if S.dynamic:
                    dynamic.append(k)
            elif f.__class__ is _Member:
                shapes[k] = _MEMBER
                continue
            else:
                S = shared_shapes.get((s, f[0], f[1]))
                if S is None:
                    mk = make_key(s, f[0], f[1])
                    S = shared_shapes[(s, f[0], f[1])] = shape_for(s, f[0], f[1], f[2], mk, where)
                b = S.bounds
                if b is not None and not (1 <= r + b[0] and r + b[1] <= MAX_ROW and 1 <= c + b[2]
                                          and c + b[3] <= MAX_COL):
                    S = shape_for(s, r, c, self.formulas[k], k, where)  # moved off the sheet: #REF!
            shapes[k] = S
            if S.error is not None or S.unknown or S.volatile:
                if S.error is not None:
                    err = S.error
                    msg = str(err)[len(err.cell) + 2:]
                    if strict:
                        raise FormulaError(where(k), msg)
                    skipped[k] = msg
                elif S.unknown:
                    if strict:
                        raise UnknownFunctionError(where(k), S.unknown[0])
                    skipped[k] = f"unknown function {S.unknown[0]}()"
                if S.volatile:
                    volatile.add(k)
        return shapes

    def _run(self, comp: Compiler, shapes: dict, strict: bool):
        """Evaluate in key order; a cell whose dependencies are not all done yet is evaluated
        after them by an explicit-stack depth-first search (no recursion)."""
        V = self.V
        order = self.order = []
        push = order.append
        ahead: set = set()  # formula cells evaluated before their turn in key order
        for k in sorted(shapes):  # (already sorted when read from a file: linear)
            S = shapes[k]
            if S.qk < k:
                if ahead and k in ahead:
                    continue
                f = S.fast
                if f is not None:
                    try:
                        v = f(k, V)
                        c = v.__class__
                        if c is float:
                            if v - v == 0.0:
                                V[k] = v
                                push(k)
                                continue
                        elif c is bool or (c is str and S.str_ok):
                            V[k] = v
                            push(k)
                            continue
                    except Exception:
                        pass
                V[k] = self._exact(comp, S, k)
                push(k)
                continue
            if k in ahead:
                continue
            self._search(comp, k, shapes, ahead, strict)

    def _exact(self, comp, S, k):
        if S.member:
            return self.V.get(k)  # filled by its anchor, which comes first
        if S.error is not None:
            return self._fill(k, NAME) if S.array else NAME
        try:
            v = evaluate_exact(comp, S, k, self.V)
            return self._fill(k, v) if S.array else v
        except FormulaError as e:  # too complex for Python's compiler
            S.error = e
            msg = str(e)[len(e.cell) + 2:]
            if self._strict:
                raise FormulaError(self.where(k), msg) from None
            self.skipped[k] = msg
            return NAME

    def _eval(self, comp, S, k):
        V = self.V
        f = S.fast
        if f is not None and S.error is None:
            try:
                v = f(k, V)
                c = v.__class__
                if (c is float and v - v == 0.0) or c is bool or (c is str and S.str_ok):
                    V[k] = v
                    return
            except Exception:
                pass
        V[k] = self._exact(comp, S, k)

    def _search(self, comp, k0, shapes, ahead, strict):
        deps = self._deps
        on_stack = {k0: 0}
        stack = [(k0, iter(deps(k0, shapes[k0])))]
        in_cycle: dict = {}
        while stack:
            k, it = stack[-1]
            for d in it:
                if d < k0 or d not in shapes or d in ahead:
                    continue
                pos = on_stack.get(d)
                if pos is not None:
                    cycle = [x for x, _ in stack[pos:]]
                    names = [self.where(x) for x in cycle[:20]]
                    if len(cycle) > 20:
                        names.append(f"... ({len(cycle)} cells)")
                    if strict:
                        raise CircularReferenceError(names + [self.where(d)])
                    reason = "circular reference: " + " -> ".join(names + [self.where(d)])
                    for x in cycle:
                        in_cycle.setdefault(x, reason)
                    continue
                on_stack[d] = len(stack)
                stack.append((d, iter(deps(d, shapes[d]))))
                break
            else:
                stack.pop()
                del on_stack[k]
                if k in in_cycle:
                    self.skipped.setdefault(k, in_cycle[k])
                    self.V[k] = REF
                else:
                    self._eval(comp, shapes[k], k)
                self.order.append(k)
                if k != k0:
                    ahead.add(k)

    def _deps(self, k, S) -> list:
        """Keys of the cells formula cell k reads: its references, and the formula cells inside
        its ranges (a cell of an array formula's range: its anchor)."""
        if S.member:
            return [self._ftext[k][0]]
        out = []
        for mode, d in S.deps:
            if mode == REL:
                out.append(k + d)
            elif mode == ABS:
                out.append(d)
            elif mode == ROWREL:
                out.append((k & NOT_COL) + d)
            else:
                out.append((k & COL_MASK) + d)
        if S.areas:
            if self._formula_rows is None:
                self._formula_rows = self._index_formula_rows()
            rows_of = self._formula_rows
            for m1, d1, m2, d2 in S.areas:
                k1 = dep_key(k, m1, d1)
                k2 = dep_key(k, m2, d2)
                s, r1, c1 = split_key(k1)
                _, r2, c2 = split_key(k2)
                base = s << SHEET_SHIFT
                for col in range(c1, c2 + 1):
                    rows = rows_of.get((s, col))
                    if rows:
                        lo = bisect.bisect_left(rows, r1)
                        hi = bisect.bisect_right(rows, r2)
                        out.extend(base | (r << ROW_SHIFT) | col for r in rows[lo:hi])
        return out

    def _index_formula_rows(self):
        rows_of: dict = {}
        for k in sorted(self._ftext):
            s, r, c = split_key(k)
            lst = rows_of.get((s, c))
            if lst is None:
                rows_of[(s, c)] = [r]
            else:
                lst.append(r)
        return rows_of

    def _propagate(self):
        """Mark the dependants of skipped and of volatile cells (in evaluation order, so one pass
        reaches everything downstream)."""
        skipped, volatile, shapes = self.skipped, self.volatile, self._shapes
        cause = {k: why.split(":")[0] for k, why in skipped.items()}
        for k in self.order:
            if k in cause and k in skipped and not skipped[k].startswith("depends on"):
                continue
            for d in self._deps(k, shapes[k]):
                if d in cause and k not in skipped:
                    skipped[k] = f"depends on {self.where(d)} ({cause[d]})"
                    cause[k] = cause[d]
                if d in volatile:
                    volatile.add(k)

    def downstream(self, seeds: set) -> set:
        """Every formula cell (key) that depends, directly or not, on a key in `seeds` (seeds
        included): how an error value spreads through a sheet.  Needs evaluate() first."""
        out = set(seeds)
        for k in self.order:
            if k not in out and any(d in out for d in self._deps(k, self._shapes[k])):
                out.add(k)
        return out


class NotEvaluated(NamedTuple):
    """A formula cell the engine could not compute: kind "unsupported", "circular" or "external"."""

    cell: str  # "Sheet!A1"
    kind: str
    reason: str


class CellResult(NamedTuple):
    """One audited cell (Workbook.results): a formula cell, or a cell of an array formula's range."""

    cell: str  # "Sheet!A1"
    formula: str  # with its '='; for an array's other cells, the array's formula
    value: object  # what the engine computed (float, str, bool, ExcelError, None)
    cached: object  # what the file stored (None: nothing)
    array: str | None  # the array formula's anchor when the cell is in an array's range
    not_evaluated: NotEvaluated | None  # why the engine could not compute it
    unreproducible: bool  # RAND/RANDBETWEEN/NOW/TODAY or depends on one


_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")
_NAME_REF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!\s]+))!\$?([A-Za-z]{1,3})\$?(\d{1,7})"
                       r"(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")
_STRINGS = re.compile(r'"(?:[^"]|"")*"')
_RANDOM = re.compile(r"(?<![\w.])(?:_xlfn\.)?(?:RAND|RANDBETWEEN|RANDARRAY|NOW|TODAY)\s*\(", re.I)
_EXTERNAL = re.compile(r"\[\d+\]")
_EXTERNAL_REF = re.compile(r"'?\[(\d+)\](?:((?:[^']|'')+)'|([^\s!'(),;:+\-*/^&=<>{}\[\]]+))?!")


def _strip_strings(text: str) -> str:
    return _STRINGS.sub('""', text) if '"' in text else text


def _split_addr(addr: str):
    m = _ADDR.match(addr)
    if not m:
        raise KeyError(f"not a cell address: {addr!r}")
    return int(m.group(2)), col_number(m.group(1))


def _normalize(v):
    if v is None or v.__class__ is bool or v.__class__ is float:
        return v
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        return float(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, ExcelError):
        return v
    if isinstance(v, str):
        return ERRORS.get(v, v) if v.startswith("#") else str(v)
    return str(v)


__all__ = ["CellResult", "External", "FormulaTexts", "NotEvaluated", "Table", "Workbook", "address"]
