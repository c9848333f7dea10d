"""Audit any saved workbook: recompute every formula with the engine and compare with the values
the application that saved the file cached beside each formula."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from graddesc.engine import ExcelError, Workbook
from graddesc.engine.workbook import address
from graddesc.engine.compiler import split_key

# A file saved by a spreadsheet application stores numbers rounded to 15 significant digits
# (LibreOffice) or 17 (Excel), and its formulas were computed from the unrounded inputs: the engine
# recomputes from the rounded inputs in the file.  1e-9 relative (plus 1e-12 absolute for values
# that cancel to ~0) is far above that rounding carried through a few hundred operations and far
# below any real disagreement (a stale value, a wrong formula).
RTOL = 1e-9
ATOL = 1e-12


@dataclass
class RecalcReport:
    path: str
    compared: int = 0
    agree: int = 0
    mismatches: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    per_sheet: dict = field(default_factory=dict)
    formulas: int = 0

    @property
    def ok(self):
        return not self.mismatches

    def to_json(self):
        return {"path": self.path, "formulas": self.formulas, "compared": self.compared, "agree": self.agree,
                "disagree": len(self.mismatches), "mismatches": self.mismatches, "skipped": self.skipped,
                "sheets": self.per_sheet, "tolerance": {"rtol": RTOL, "atol": ATOL}}

    def text(self):
        lines = [f"{self.path}: {self.formulas} formulas evaluated"]
        for sheet, s in self.per_sheet.items():
            lines.append(f"  {sheet}: compared {s['compared']}, agree {s['agree']}, disagree {s['disagree']}, "
                         f"not compared {s['skipped']}")
        for m in self.mismatches[:20]:
            lines.append(f"  DISAGREE {m['cell']} ={m['formula']}: cached {m['cached']!r}, computed {m['computed']!r}")
        if len(self.mismatches) > 20:
            lines.append(f"  ... and {len(self.mismatches) - 20} more")
        reasons: dict[str, int] = {}
        for s in self.skipped:
            reasons[s["reason"].split(" (")[0].split(":")[0]] = reasons.get(s["reason"].split(" (")[0].split(":")[0], 0) + 1
        for r, n in sorted(reasons.items()):
            lines.append(f"  not compared: {n} cells: {r}")
        lines.append(("OK: " if self.ok else "FAILED: ") +
                     f"{self.agree} of {self.compared} compared cells agree with the cached values")
        return "\n".join(lines)


def _jsonable(v):
    if isinstance(v, ExcelError):
        return str(v)
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return v


def _same(cached, computed) -> bool:
    if isinstance(cached, ExcelError) or isinstance(computed, ExcelError):
        return isinstance(cached, ExcelError) and isinstance(computed, ExcelError) and cached.code == computed.code
    if isinstance(cached, bool) or isinstance(computed, bool):
        return (isinstance(cached, bool) and isinstance(computed, bool) and cached == computed) or \
            (not isinstance(cached, str) and not isinstance(computed, str) and cached is not None
             and computed is not None and float(cached) == float(computed)
             and not isinstance(computed, ExcelError))
    if isinstance(cached, float):
        if not isinstance(computed, float):
            return False
        return abs(cached - computed) <= RTOL * max(abs(cached), abs(computed)) + ATOL
    if isinstance(cached, str):
        return isinstance(computed, str) and cached == computed or (cached == "" and computed is None)
    return cached == computed


def recalc(path, compare_cached: bool = False, output=None) -> tuple[Workbook, RecalcReport]:
    wb = Workbook.load(path)
    wb.evaluate(strict=False)
    rep = RecalcReport(os.fspath(path), formulas=len(wb.formulas))
    for name in wb.sheet_names:
        rep.per_sheet[name] = {"compared": 0, "agree": 0, "disagree": 0, "skipped": 0}
    if compare_cached:
        for k in sorted(wb.formulas):
            s, r, c = split_key(k)
            sheet = wb.sheet_names[s]
            cell = f"{sheet}!{address(r, c)}"
            stats = rep.per_sheet[sheet]
            reason = None
            cached = wb.cached_values.get(k)
            computed = wb.V.get(k)
            if k in wb.skipped:
                reason = wb.skipped[k]
            elif k in wb.volatile:
                reason = "volatile function (RAND, NOW, OFFSET, INDIRECT, ...) or depends on one"
            elif cached is None:
                reason = "no cached value in the file"
            if reason:
                rep.skipped.append({"cell": cell, "reason": reason})
                stats["skipped"] += 1
                continue
            rep.compared += 1
            stats["compared"] += 1
            if _same(cached, computed):
                rep.agree += 1
                stats["agree"] += 1
            else:
                stats["disagree"] += 1
                rep.mismatches.append({"cell": cell, "formula": wb.formulas[k], "cached": _jsonable(cached),
                                       "computed": _jsonable(computed)})
    if output:
        from graddesc.xlsx.writer import write_cached_copy

        values = {}
        for k in wb.formulas:
            s, r, c = split_key(k)
            if k not in wb.skipped:
                values.setdefault(wb.sheet_names[s], {})[(r, c)] = wb.V.get(k)
        write_cached_copy(path, output, values)
    return wb, rep
