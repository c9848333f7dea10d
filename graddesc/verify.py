"""Join the two worlds: the workbook's formulas (evaluated by graddesc's engine, and optionally by
LibreOffice) against the numpy optimizers run with the hyperparameters and data read from the file.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from graddesc import problem
from graddesc.errors import InputError, WorkbookError
from graddesc.optimizers import REGISTRY
from graddesc.trajectory import run
from graddesc.workbook import layout, teaching
from graddesc.workbook.build import bulk_work
from graddesc.workbook.data_sheet import read_data, read_named
from graddesc.workbook.optimizer_sheet import read_hypers
from graddesc.xlsx.model import col_index

# Engine vs numpy.  Both compute the same IEEE-754 double operations in the same order (+ - * /
# and sqrt are correctly rounded; ^ and numpy's ** both call the C library's pow), so they agree
# to the last bit in practice; RTOL leaves room for one ulp of pow/exp/log per operation, which the
# recurrences can carry forward over a few hundred steps, and is still a million times tighter
# than any real difference in an update rule.  ATOL_SCALE: a difference in a value that is the
# cancellation of two much larger numbers (de/db = 2*(prediction - y) near the optimum) is measured
# against those numbers: |diff| <= ATOL_SCALE * scale, scale = the largest |value| in the column.
RTOL = 1e-12
ATOL_SCALE = 1e-13

# LibreOffice vs numpy.  LibreOffice snaps a subtraction whose result is below ~2^-48 of its
# operands to exactly 0 (so de/db can be 0 where numpy has 1e-13), and its ^, EXP, LN are up to 1 ulp
# from numpy.  Those differences are real and enter the recurrences (m, v, accumulators), so they
# are measured against the column's scale: |diff| <= LO_ATOL_SCALE * scale + LO_RTOL * |value|.
# 2^-48 = 3.6e-15; the recurrences of a 600-step run can amplify it a few hundred times.  The
# numerical derivative (e(b+h) - e(b))/h cancels two numbers of the loss's size, so its scale is
# |loss|/h (when a run diverges, LibreOffice snaps that difference to 0 while numpy keeps it).
LO_RTOL = 1e-9
LO_ATOL_SCALE = 1e-9

# Gnumeric vs the engine, on every formula cell.  Gnumeric computes in 80-bit long double, so each
# operation differs from float64's by up to half an ulp of a double (1.1e-16 relative), and a
# 600-step recurrence carries those differences forward: on the default sheets (defaults chosen so
# that no sheet amplifies rounding, see optimizers/fastai.py and learned.py) the largest is about
# 1e-9 relative, in values that cancel to near 0 (a converged run's loss, its de/db).  1e-6 relative
# is a thousand times above that and far below anything a reader sees on a sheet; 1e-12 absolute
# covers values that cancel to ~0 (a difference of 1e-13 in a de/db of 1e-12).
GN_RTOL = 1e-6
GN_ATOL = 1e-12


@dataclass
class WitnessCheck:
    """An independent application's values against the engine's, on every formula cell."""

    name: str
    cells: int = 0
    max_rel: float = 0.0
    max_rel_cell: str | None = None
    mismatches: list = field(default_factory=list)

    def to_json(self):
        return {"cells": self.cells, "max_rel_diff": self.max_rel, "max_rel_cell": self.max_rel_cell,
                "rtol": GN_RTOL, "atol": GN_ATOL, "mismatches": [m.to_json() for m in self.mismatches[:1000]],
                "mismatch_count": len(self.mismatches)}


def gnumeric_check(wb, values) -> WitnessCheck:
    """Compare Gnumeric's recalculation ({sheet: {(row, col): value}}) with the evaluated engine
    workbook on every formula cell: numbers within GN_RTOL relative or GN_ATOL absolute, text and
    booleans equal (Gnumeric writes an empty text result as an empty cell)."""
    check = WitnessCheck("gnumeric")
    for sheet in wb.sheet_names:
        got = values.get(sheet, {})
        for addr, formula, mine in wb.formula_cells(sheet):
            theirs = got.get(_rowcol(addr))
            check.cells += 1
            if isinstance(mine, float) and isinstance(theirs, float) and not isinstance(theirs, bool):
                d = abs(mine - theirs)
                scale = max(abs(mine), abs(theirs))
                rel = d / scale if scale else 0.0
                if rel > check.max_rel and d > GN_ATOL:
                    check.max_rel, check.max_rel_cell = rel, f"{sheet}!{addr}"
                if d <= GN_RTOL * scale or d <= GN_ATOL:
                    continue
            elif (mine if mine is not None else "") == (theirs if theirs is not None else "") or \
                    str(mine) == str(theirs):  # text, booleans, or an error value with the same code
                continue
            check.mismatches.append(Mismatch(sheet, addr, formula, mine, theirs, None, "gnumeric"))
    return check


def _rowcol(addr: str) -> tuple[int, int]:
    i = len(addr.rstrip("0123456789"))
    return int(addr[i:]), col_index(addr[:i])


class Expected(NamedTuple):
    """numpy's value of one formula cell."""

    addr: str  # "A1" on the plan's sheet
    group: object  # cells of one group (a column) share the scale their differences are measured on
    value: float
    step: int | None  # the step it belongs to (None on the teaching sheets)
    opscale: float = 0.0  # the size of what the formula cancels, when larger than the group's scale


class Plan(NamedTuple):
    """What one sheet should hold: numpy's numbers, and the text of its text-valued formulas."""

    sheet: str
    cells: list[Expected]
    texts: dict[str, str]


class Agreement(NamedTuple):
    """How one source (the engine, LibreOffice) agrees with numpy on one sheet."""

    cells: int
    max_abs: float
    max_rel: float
    errors_agree: int  # cells where both sides are an error / non-finite (a diverged run)
    diverged_at: int | None  # the first step where numpy diverged


@dataclass
class Mismatch:
    sheet: str
    cell: str
    formula: str | None
    expected: object
    actual: object
    step: int | None
    source: str = "engine"  # or "libreoffice"
    why: str = ""

    def to_json(self):
        return {"sheet": self.sheet, "cell": self.cell, "formula": self.formula, "step": self.step,
                "expected": _jsonable(self.expected), "actual": _jsonable(self.actual),
                "source": self.source, "why": self.why}

    def text(self):
        f = f" {self.formula}" if self.formula else ""
        why = f" ({self.why})" if self.why else ""
        return (f"{self.sheet}!{self.cell}{f}: expected {_show(self.expected)}, "
                f"{self.source} gives {_show(self.actual)}{why}")


@dataclass
class SheetReport:
    sheet: str
    cells: int = 0
    agree_errors: int = 0  # cells where both sides are an error / non-finite (a diverged run)
    max_abs: float = 0.0
    max_rel: float = 0.0
    max_rel_cell: str | None = None  # where max_rel is (None when every difference is 0)
    # the largest difference as a share of what the tolerance allows at its cell (1 = at the limit);
    # unlike max_rel it is not inflated by cancelled values near 0, which pass on the column's scale
    tol_used: float = 0.0
    tol_used_cell: str | None = None
    diverged_at: int | None = None
    lo_cells: int = 0
    lo_max_abs: float = 0.0
    lo_max_rel: float = 0.0
    lo_max_rel_cell: str | None = None
    mismatches: list[Mismatch] = field(default_factory=list)


@dataclass
class Report:
    path: str
    sheets: list[SheetReport]
    seconds: float
    libreoffice: bool
    gnumeric: WitnessCheck | None = None

    @property
    def mismatches(self):
        return [m for s in self.sheets for m in s.mismatches] + (self.gnumeric.mismatches if self.gnumeric else [])

    @property
    def ok(self):
        return not self.mismatches and bool(self.sheets)

    def to_json(self):
        return {
            "path": self.path, "ok": self.ok,
            "cells": sum(s.cells for s in self.sheets),
            "max_abs_diff": max((s.max_abs for s in self.sheets), default=0.0),
            "max_rel_diff": max((s.max_rel for s in self.sheets), default=0.0),
            "libreoffice": self.libreoffice,
            "libreoffice_cells": sum(s.lo_cells for s in self.sheets),
            "libreoffice_max_rel_diff": max((s.lo_max_rel for s in self.sheets), default=0.0),
            "mismatches": [m.to_json() for m in self.mismatches[:1000]],
            "mismatch_count": len(self.mismatches),
            "tolerance": {"rtol": RTOL, "atol_scale": ATOL_SCALE,
                          "libreoffice_rtol": LO_RTOL, "libreoffice_atol_scale": LO_ATOL_SCALE},
            "sheets": [{
                "sheet": s.sheet, "cells": s.cells, "error_cells_agreeing": s.agree_errors,
                "max_abs_diff": s.max_abs, "max_rel_diff": s.max_rel, "max_rel_cell": s.max_rel_cell,
                "tolerance_used": s.tol_used, "tolerance_used_cell": s.tol_used_cell,
                "diverged_at_step": s.diverged_at,
                "libreoffice_cells": s.lo_cells, "libreoffice_max_abs_diff": s.lo_max_abs,
                "libreoffice_max_rel_diff": s.lo_max_rel, "libreoffice_max_rel_cell": s.lo_max_rel_cell,
                "mismatches": len(s.mismatches)}
                for s in self.sheets],
            "gnumeric": self.gnumeric.to_json() if self.gnumeric else None,
            "seconds": self.seconds,
        }

    def text(self):
        lines = [f"{self.path}: engine vs numpy (rtol {RTOL:g})"
                 + (f", LibreOffice vs numpy (rtol {LO_RTOL:g})" if self.libreoffice else "")]
        w = max((len(s.sheet) for s in self.sheets), default=5)
        for s in self.sheets:
            status = "ok" if not s.mismatches else f"{len(s.mismatches)} MISMATCHES"
            extra = f"  diverged at step {s.diverged_at} ({s.agree_errors} error cells agree)" if s.diverged_at else ""
            lo = (f"  | LibreOffice {s.lo_cells} cells, max rel {s.lo_max_rel:.2g}{_at(s.lo_max_rel_cell)}"
                  if self.libreoffice else "")
            lines.append(f"  {s.sheet:<{w}}  {s.cells:>7} cells  max abs {s.max_abs:.2g}  max rel {s.max_rel:.2g}"
                         f"{_at(s.max_rel_cell)}{lo}  {status}{extra}")
        if self.gnumeric:
            g = self.gnumeric
            lines.append(f"  Gnumeric vs engine: {g.cells} formula cells, max rel {g.max_rel:.2g}{_at(g.max_rel_cell)}"
                         f" (tolerance {GN_RTOL:g} relative or {GN_ATOL:g} absolute)  "
                         + ("ok" if not g.mismatches else f"{len(g.mismatches)} MISMATCHES"))
        total = sum(s.cells for s in self.sheets)
        mm = self.mismatches
        if mm:
            lines.append(f"FAILED: {len(mm)} of {total} cells disagree; first: {mm[0].text()}")
        elif not self.sheets:
            lines.append("FAILED: no optimizer sheet found")
        else:
            lines.append(f"OK: {total} formula cells agree ({self.seconds:.2f} s)")
        return "\n".join(lines)


def _at(cell):
    return f" at {cell}" if cell else ""


def _jsonable(v):
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    return str(v)


def _show(v):
    return repr(v) if isinstance(v, float) else str(v)


def _number(v):
    """A cell value as a float, or None when it is not a number (error, text, empty)."""
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    return None


def _read_inputs(wb):
    """Data and start values, read from the workbook itself."""
    if layout.DATA_SHEET not in wb.sheet_names:
        raise InputError(f"{wb.path}: no '{layout.DATA_SHEET}' sheet: not a graddesc workbook")
    where = f"{wb.path}: "
    data = read_data(wb.value, where)
    return data, (read_named(wb.value, "start_a", where), read_named(wb.value, "start_b", where))


def _steps(wb, opt):
    """How many step rows opt's sheet has: its step counter runs 1, 2, ... down the table."""
    t = layout.table_column(opt, "t", None).letter
    n = 0
    while _number(wb.value(opt.name, f"{t}{layout.step_row(n + 1)}")) == n + 1:
        n += 1
    return n


def _numerical_gradient(tr, param):
    """(e(p+h) - e(p))/h, the sheet's check of de/da (param 0) or de/db (1), from the maths."""
    h = problem.NUMERIC_STEP
    a, b = tr.p[:, 0], tr.p[:, 1]
    if param == 1:
        return ((a * tr.x + (b + h) - tr.y) ** 2 - tr.loss) / h
    return (((a + h) * tr.x + b - tr.y) ** 2 - tr.loss) / h


# the step table's own columns -> numpy's value over the steps (param: 0 a, 1 b); every other
# column is an optimizer state column, in tr.columns
_NUMPY_COLUMNS = {
    "x": lambda tr, param: tr.x,
    "y": lambda tr, param: tr.y,
    "p": lambda tr, param: tr.p[:, param],
    "pred": lambda tr, param: tr.pred,
    "loss": lambda tr, param: tr.loss,
    "grad": lambda tr, param: tr.grad[:, param],
    "new": lambda tr, param: tr.new_p[:, param],
    "num_grad": _numerical_gradient,
}


def expected_columns(tr, cols):
    """numpy's value for every table column with a formula: {col: array over steps}."""
    out = {}
    with np.errstate(all="ignore"):
        for c in cols:
            if c.key in ("t", "epoch"):  # constants
                continue
            if c.key in _NUMPY_COLUMNS:
                out[c.col] = _NUMPY_COLUMNS[c.key](tr, c.param)
            else:
                arr = tr.columns[c.key]
                out[c.col] = arr if arr.ndim == 1 else arr[:, c.param]
    return out


def expected_cells(tr, opt, steps, n) -> list[Expected]:
    """numpy's value of every formula cell of an optimizer sheet that has a numpy
    counterpart: the step table, then the per-epoch table (complete epochs only)."""
    cols = layout.table_columns(opt)
    per_col = expected_columns(tr, cols)
    out = []
    h = problem.NUMERIC_STEP
    for step in range(1, steps + 1):
        row = layout.step_row(step)
        for c in cols:
            if c.col in per_col:
                # a difference quotient (e(b+h) - e(b))/h cancels two numbers of the loss's size:
                # its rounding (and LibreOffice's snapping to 0) scales with loss/h, not with itself
                opscale = abs(float(tr.loss[step - 1])) / h if c.key == "num_grad" else 0.0
                out.append(Expected(f"{c.letter}{row}", c.col, float(per_col[c.col][step - 1]), step, opscale))
    ecols = layout.epoch_columns(opt, cols[-1].col + 2)
    for epoch in range(1, steps // n + 1):
        row = layout.epoch_row(epoch)
        for c in ecols:
            if c.key == "epoch_no":
                continue
            arr = tr.epoch_columns[c.key]
            v = arr[epoch] if arr.ndim == 1 else arr[epoch, c.param]
            out.append(Expected(f"{c.letter}{row}", c.col, float(v), epoch * n))
    return out


def _compare(rep: SheetReport, sheet, cells: list[Expected], get, get_formula, source, rtol, atol_scale,
             diverged_cells=frozenset()) -> Agreement:
    """Compare every cell; a spreadsheet error agrees with numpy only where numpy diverged (inf or
    nan) at that cell or upstream of it (`diverged_cells`: addresses fed by a non-finite value,
    as Excel propagates an error value); a number never agrees with an error.  Differences are
    measured against the column's scale (its largest finite |value|) as explained at the top."""
    scale: dict = {}
    for cell in cells:
        if math.isfinite(cell.value) and abs(cell.value) > scale.get(cell.group, 0.0):
            scale[cell.group] = abs(cell.value)
    n = 0
    max_abs = max_rel = 0.0
    errors_agree = 0
    diverged = None
    for addr, col, exp, step, opscale in cells:
        act = get(sheet, addr)
        formula = get_formula(sheet, addr) if get_formula else None
        n += 1
        if get_formula and formula is None:
            rep.mismatches.append(Mismatch(sheet, addr, None, exp, act, step, source,
                                           "a constant was typed over this formula cell"))
            continue
        num = _number(act)
        is_error = num is None and act is not None and (not isinstance(act, str) or act.startswith("#"))
        if not math.isfinite(exp) or (is_error and addr in diverged_cells):
            if is_error:
                errors_agree += 1
                diverged = diverged or step
                continue
            rep.mismatches.append(Mismatch(sheet, addr, formula, exp, act, step, source,
                                           "numpy diverged here but the sheet has a number"))
            continue
        if num is None:
            rep.mismatches.append(Mismatch(sheet, addr, formula, exp, act, step, source,
                                           "the sheet has an error or text where numpy has a number"))
            continue
        diff = abs(num - exp)
        rel = diff / max(abs(num), abs(exp)) if diff else 0.0
        max_abs = max(max_abs, diff)
        if rel > max_rel:
            max_rel = rel
            rep.max_rel_cell = addr
        allowed = rtol * max(abs(num), abs(exp)) + atol_scale * max(scale.get(col, 0.0), opscale)
        if diff:
            used = diff / allowed if allowed else math.inf
            if used > rep.tol_used:
                rep.tol_used, rep.tol_used_cell = used, addr
        if diff > allowed:
            rep.mismatches.append(Mismatch(sheet, addr, formula, exp, num, step, source,
                                           f"differs by {diff:.3g} (relative {rel:.3g})"))
    return Agreement(n, max_abs, max_rel, errors_agree, diverged)


def _diverged_by_sheet(wb, plans) -> dict:
    """{sheet: addresses} of the cells that numpy's non-finite values flow into, anywhere in the
    workbook (a teaching sheet referencing a diverged optimizer sheet diverges too)."""
    seeds = [f"'{plan.sheet.replace(chr(39), chr(39) * 2)}'!{cell.addr}" for plan in plans for cell in plan.cells
             if not math.isfinite(cell.value)]
    out: dict = {}
    if not seeds:
        return out
    for cell in wb.dependants(seeds):
        sheet, _, addr = cell.rpartition("!")
        out.setdefault(sheet, set()).add(addr)
    return out


def _optimizer_plans(wb, path) -> list[Plan]:
    data, start = _read_inputs(wb)
    plans = []
    for sheet in wb.sheet_names:
        opt = REGISTRY.get(sheet)
        if opt is None:
            continue
        hp = read_hypers(wb.value, opt)
        steps = _steps(wb, opt)
        if steps == 0:
            raise InputError(f"{path}: sheet {sheet} has no step rows (column {layout.table_column(opt, 't', None).letter} "
                             f"from row {layout.FIRST_STEP_ROW})")
        tr = run(opt, hp, data, -(-steps // len(data)), start=start)
        plans.append(Plan(sheet, expected_cells(tr, opt, steps, len(data)), {}))
    return plans


def _teaching_plans(wb) -> list[Plan]:
    """The teaching sheets (compare, sparse, global_min): numpy's value for each numeric formula
    cell and the expected text of the others, from graddesc.workbook.teaching."""
    def read(sheet, addr):
        return wb.value(sheet, addr) if sheet in wb.sheet_names else None

    floats, texts = teaching.expected_cells(read), teaching.expected_text(read)
    return [Plan(sheet, [Expected(addr, f"{sheet}:{addr.rstrip('0123456789')}", float(exp), None)
                         for addr, exp in floats[sheet].items()], texts.get(sheet, {}))
            for sheet in floats if sheet in wb.sheet_names]


def verify_workbook(wb, libreoffice_values=None, path=""):
    """Compare an evaluated engine.Workbook (and optionally LibreOffice's values) with numpy."""
    plans = _optimizer_plans(wb, path) + _teaching_plans(wb)
    diverged = _diverged_by_sheet(wb, plans)
    reports = []
    for sheet, cells, texts in plans:
        rep = SheetReport(sheet)
        dv = diverged.get(sheet, set())
        agreed = _compare(rep, sheet, cells, wb.value, wb.formula, "engine", RTOL, ATOL_SCALE, dv)
        rep.cells, rep.max_abs, rep.max_rel = agreed.cells, agreed.max_abs, agreed.max_rel
        rep.agree_errors, rep.diverged_at = agreed.errors_agree, agreed.diverged_at
        sources = [("engine", wb.value)]
        if libreoffice_values is not None:
            lo = libreoffice_values.get(sheet, {})
            lo_rep = SheetReport(sheet)
            lo_agreed = _compare(lo_rep, sheet, cells, lambda s, a, lo=lo: lo.get(a), None, "libreoffice", LO_RTOL,
                                 LO_ATOL_SCALE, dv)
            rep.lo_cells, rep.lo_max_abs, rep.lo_max_rel = lo_agreed.cells, lo_agreed.max_abs, lo_agreed.max_rel
            rep.lo_max_rel_cell = lo_rep.max_rel_cell
            rep.mismatches.extend(lo_rep.mismatches)
            sources.append(("libreoffice", lambda s, a, lo=lo: lo.get(a)))
        for addr, exp in texts.items():  # text cells ("" helpers, "not reached"): compared by every source
            rep.cells += 1
            rep.lo_cells += libreoffice_values is not None
            for source, get in sources:
                act = get(sheet, addr)
                if (act if act is not None else "") != exp:
                    rep.mismatches.append(Mismatch(sheet, addr, wb.formula(sheet, addr), exp, act, None, source,
                                                   "text differs"))
        reports.append(rep)
    return reports


def verify_file(path, libreoffice: bool = False, gnumeric: bool = False) -> Report:
    with bulk_work():
        return _verify_file(path, libreoffice, gnumeric)


def _verify_file(path, libreoffice: bool, gnumeric: bool = False) -> Report:
    from graddesc import engine

    t0 = time.perf_counter()
    path = os.fspath(path)
    wb = engine.Workbook.load(path)
    wb.evaluate(strict=True)
    lo_values = None
    if libreoffice:
        from graddesc.witnesses import libreoffice as lo

        if not lo.available():
            raise WorkbookError(f"--libreoffice: LibreOffice is not available ({lo.why_unavailable()})")
        lo_values = lo.recalculate(path).values
    gn = None
    if gnumeric:
        from graddesc.witnesses import gnumeric as gnm

        if not gnm.available():
            raise WorkbookError(f"--gnumeric: Gnumeric is not available ({gnm.why_unavailable()})")
        gn = gnumeric_check(wb, gnm.recalculate(path))
    sheets = verify_workbook(wb, lo_values, path)
    return Report(path, sheets, time.perf_counter() - t0, libreoffice, gn)
