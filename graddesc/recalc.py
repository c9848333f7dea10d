"""Audit any saved workbook: recompute every formula with the engine and compare with the values
the application that saved the file cached beside each formula.

It never passes without checking: every formula cell is either compared with its cached value,
or listed with the reason it was not (not evaluated: unsupported, circular, external; no cached
value; RAND/RANDBETWEEN/NOW/TODAY or depends on one, which no engine can reproduce).  Uses only the
engine's public API (cells by "Sheet!A1" address)."""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field

from graddesc.engine import ExcelError, Workbook

# A file saved by a spreadsheet application stores numbers rounded to 15 significant digits
# (LibreOffice) or 17 (Excel), and its formulas were computed from the unrounded inputs: the engine
# recomputes from the rounded inputs in the file.  1e-9 relative (plus 1e-12 absolute for values
# that cancel to ~0) is far above that rounding carried through a few hundred operations and far
# below any real disagreement (a stale value, a wrong formula).
RTOL = 1e-9
ATOL = 1e-12

NO_CACHED = "no cached value in the file"
UNREPRODUCIBLE = "RAND/RANDBETWEEN/NOW/TODAY or depends on one: no engine can reproduce its value"


@dataclass
class RecalcReport:
    """compared/agree count formula cells; array_compared/array_agree the other cells of array
    formulas' ranges (the array's result as the file stored it).  cached: formula cells with a
    cached value; the agreement is agree / (cached - unreproducible): a cell that was not
    evaluated counts as not agreeing."""

    path: str
    compare_cached: bool = False
    application: str = ""
    formulas: int = 0
    cached: int = 0
    compared: int = 0
    agree: int = 0
    unreproducible: int = 0
    array_compared: int = 0
    array_agree: int = 0
    mismatches: list = field(default_factory=list)  # formula cells that disagree
    array_mismatches: list = field(default_factory=list)  # array-result cells that disagree
    skipped: list = field(default_factory=list)  # {"cell", "reason"} of each cell not compared
    not_evaluated: list = field(default_factory=list)  # {"cell", "kind", "reason"}
    per_sheet: dict = field(default_factory=dict)
    written: str | None = None  # -o: the copy written
    unwritten: list = field(default_factory=list)  # -o: cells written without a value

    @property
    def no_cached_values(self) -> bool:
        """--compare-cached on a file that holds no cached value at all: nothing can be checked."""
        return self.compare_cached and self.formulas > 0 and self.cached == 0

    @property
    def ok(self) -> bool:
        """Every formula cell evaluated and every compared cell agrees (and, when comparing, there
        was something to compare)."""
        return (not self.mismatches and not self.array_mismatches and not self.not_evaluated
                and not self.no_cached_values)

    @property
    def agreement(self) -> float | None:
        """Share of the formula cells with a cached value (RAND & co. excepted) that agree."""
        n = self.cached - self.unreproducible
        return self.agree / n if n > 0 else None

    def reasons(self) -> Counter:
        """Why cells were not compared, by reason (without the cell-specific detail)."""
        return Counter(short_reason(s["reason"]) for s in self.skipped)

    def to_json(self):
        return {"path": self.path, "application": self.application, "formulas": self.formulas,
                "cached": self.cached, "compared": self.compared, "agree": self.agree,
                "disagree": len(self.mismatches), "unreproducible": self.unreproducible,
                "agreement": self.agreement,
                "array_cells": {"compared": self.array_compared, "agree": self.array_agree,
                                "mismatches": self.array_mismatches},
                "mismatches": self.mismatches, "skipped": self.skipped, "not_evaluated": self.not_evaluated,
                "sheets": self.per_sheet, "tolerance": {"rtol": RTOL, "atol": ATOL}, "ok": self.ok,
                "written": self.written, "unwritten": self.unwritten}

    def text(self):
        lines = [f"{self.path}: {self.formulas} formula cells"
                 + (f" (saved by {self.application})" if self.application else "")]
        if self.compare_cached:
            for sheet, s in self.per_sheet.items():
                lines.append(f"  {sheet}: compared {s['compared']}, agree {s['agree']}, disagree {s['disagree']}, "
                             f"not compared {s['skipped']}")
        for m in self.mismatches[:20]:
            note = f" ({m['note']})" if m.get("note") else ""
            lines.append(f"  DISAGREE {m['cell']} ={m['formula']}: cached {m['cached']!r}, computed "
                         f"{m['computed']!r}{note}")
        if len(self.mismatches) > 20:
            lines.append(f"  ... and {len(self.mismatches) - 20} more")
        for m in self.array_mismatches[:10]:
            lines.append(f"  DISAGREE {m['cell']} (in the array of {m['array']}): cached {m['cached']!r}, "
                         f"computed {m['computed']!r}")
        if len(self.array_mismatches) > 10:
            lines.append(f"  ... and {len(self.array_mismatches) - 10} more array-result cells")
        kinds = Counter(n["kind"] for n in self.not_evaluated)
        for n in self.not_evaluated[:10]:
            lines.append(f"  NOT EVALUATED {n['cell']} ({n['kind']}): {n['reason']}")
        if len(self.not_evaluated) > 10:
            lines.append(f"  ... and {len(self.not_evaluated) - 10} more not evaluated")
        if self.compare_cached:
            for r, n in sorted(self.reasons().items(), key=lambda x: (-x[1], x[0])):
                lines.append(f"  not compared: {n} cells: {r}")
        if self.written:
            lines.append(f"  wrote {self.written}" + (
                f"; {len(self.unwritten)} cells written without a value (not evaluated, their old cached "
                f"value removed): {', '.join(self.unwritten[:10])}{' ...' if len(self.unwritten) > 10 else ''}"
                if self.unwritten else ""))
        if self.no_cached_values:
            lines.append("NO CACHED VALUES: the file stores no value beside its formulas (saved without "
                         "calculating?), so nothing could be compared")
            return "\n".join(lines)
        status = "OK" if self.ok else "FAILED" if self.mismatches or self.array_mismatches else "INCOMPLETE"
        parts = []
        if self.compare_cached:
            a = self.agreement
            parts.append(f"{self.agree} of {self.compared} compared formula cells agree with the cached values"
                         + (f" ({100 * a:.1f}% of the {self.cached - self.unreproducible} with a reproducible "
                            f"cached value)" if a is not None else ""))
            if self.array_compared:
                parts.append(f"{self.array_agree} of {self.array_compared} array-result cells agree")
        else:
            parts.append(f"{self.formulas - len(self.not_evaluated)} of {self.formulas} formula cells evaluated "
                         "(not compared: use --compare-cached)")
        if self.not_evaluated:
            parts.append(f"{len(self.not_evaluated)} not evaluated ("
                         + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ")")
        if self.unreproducible:
            parts.append(f"{self.unreproducible} unreproducible (RAND, NOW, ...)")
        lines.append(f"{status}: " + "; ".join(parts))
        return "\n".join(lines)


def short_reason(reason: str) -> str:
    """A reason without its cell-specific detail, for counting: "unknown function X()", "depends on
    ... (unknown function X())" -> the root cause."""
    m = _DEPENDS.search(reason)
    if m:
        reason = reason[:m.start()] + "depends on: " + m.group(1)
    i = reason.find("circular reference")
    if i >= 0:
        return reason[:i] + "circular reference"
    return reason[:100]


_DEPENDS = re.compile(r"depends on .*? \((.*)\)$")


def _jsonable(v):
    if isinstance(v, ExcelError):
        return str(v)
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return v


def same(cached, computed, numeric_booleans: bool = False) -> bool:
    """Does a computed value agree with the cached one?  Numbers within RTOL/ATOL; text, booleans and
    error values exactly (the same error code agrees).  numeric_booleans: the file's application
    stores TRUE/FALSE as 1/0 (LibreOffice), so a boolean agrees with the number it stands for."""
    if isinstance(cached, ExcelError) or isinstance(computed, ExcelError):
        return isinstance(cached, ExcelError) and isinstance(computed, ExcelError) and cached.code == computed.code
    if isinstance(cached, bool) or isinstance(computed, bool):
        if isinstance(cached, bool) and isinstance(computed, bool):
            return cached == computed
        if numeric_booleans and isinstance(cached, (bool, float)) and isinstance(computed, (bool, float)):
            return float(cached) == float(computed)
        return False
    if isinstance(cached, float):
        if not isinstance(computed, float):
            return False
        return abs(cached - computed) <= RTOL * max(abs(cached), abs(computed)) + ATOL
    if isinstance(cached, str):
        return isinstance(computed, str) and cached == computed or (cached == "" and computed is None)
    return cached == computed


_same = same  # the name older code used


def _libreoffice(application: str) -> bool:
    return application.lower().startswith(("libreoffice", "openoffice"))


def recalc(path, compare_cached: bool = False, output=None) -> tuple[Workbook, RecalcReport]:
    """Evaluate a workbook leniently; compare with its cached values when asked; write a copy whose
    cached values are the engine's when `output` is given."""
    wb = Workbook.load(path)
    wb.evaluate(strict=False)
    app = wb.application
    lo = _libreoffice(app)
    rep = RecalcReport(os.fspath(path), compare_cached=compare_cached, application=app)
    rep.not_evaluated = [{"cell": n.cell, "kind": n.kind, "reason": n.reason} for n in wb.not_evaluated()]
    for name in wb.sheet_names:
        rep.per_sheet[name] = {"compared": 0, "agree": 0, "disagree": 0, "skipped": 0}
    results = list(wb.results())
    for res in results:
        is_formula = res.array is None or res.array == res.cell
        if is_formula:
            rep.formulas += 1
            if res.cached is not None:
                rep.cached += 1
                if res.unreproducible:
                    rep.unreproducible += 1
        if not compare_cached:
            continue
        sheet = res.cell.rpartition("!")[0]
        stats = rep.per_sheet[sheet]
        reason = None
        if res.not_evaluated is not None:
            ne = res.not_evaluated
            reason = f"not evaluated ({ne.kind}): {ne.reason}"
            if ne.cell != res.cell:
                reason = f"depends on {ne.cell} ({reason})" if is_formula else f"in the array of {ne.cell} ({reason})"
        elif res.unreproducible:
            reason = UNREPRODUCIBLE
        elif res.cached is None:
            reason = NO_CACHED
        if reason:
            if is_formula:
                rep.skipped.append({"cell": res.cell, "reason": reason})
                stats["skipped"] += 1
            continue
        ok = same(res.cached, res.value, numeric_booleans=lo)
        if is_formula:
            rep.compared += 1
            stats["compared"] += 1
            rep.agree += ok
        else:
            rep.array_compared += 1
            rep.array_agree += ok
        if ok:
            stats["agree"] += 1
            continue
        stats["disagree"] += 1
        m = {"cell": res.cell, "formula": res.formula[1:], "cached": _jsonable(res.cached),
             "computed": _jsonable(res.value)}
        if lo and isinstance(res.cached, ExcelError) and isinstance(res.value, ExcelError):
            m["note"] = (f"saved by LibreOffice, which wrote {res.cached} where Excel, the engine's reference, "
                         f"gives {res.value}")
        if is_formula:
            rep.mismatches.append(m)
        else:
            m["array"] = res.array
            rep.array_mismatches.append(m)
    if output:
        from graddesc.xlsx.writer import write_cached_copy

        values: dict = {}
        for res in results:
            sheet, _, addr = res.cell.rpartition("!")
            row, col = _row_col(addr)
            if res.not_evaluated is not None:
                values.setdefault(sheet, {})[(row, col)] = None  # never an old cached value, silently
                rep.unwritten.append(res.cell)
            else:
                values.setdefault(sheet, {})[(row, col)] = res.value
        write_cached_copy(path, output, values)
        rep.written = os.fspath(output)
    return wb, rep


def _row_col(addr: str) -> tuple[int, int]:
    letters = addr.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch.upper()) - 64
    return int(addr[len(letters):]), col


# ---------------------------------------------------------------------------------- many workbooks

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def workbook_paths(paths) -> list[str]:
    """The workbooks named, folders expanded to the .xlsx/.xlsm files they hold (sorted, recursive,
    skipping Excel's ~$ lock files).  FileNotFoundError naming a path that does not exist."""
    out: list = []
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                out.extend(os.path.join(root, f) for f in sorted(files)
                           if f.lower().endswith(WORKBOOK_SUFFIXES) and not f.startswith("~$"))
        elif os.path.exists(p):
            out.append(p)
        else:
            raise FileNotFoundError(p)
    return out


def audit_one(path) -> dict:
    """recalc --compare-cached of one file, as a summary a process can send back."""
    import time
    import traceback

    from graddesc.errors import GraddescError

    t = time.perf_counter()
    row = {"path": os.fspath(path), "formulas": 0, "cached": 0, "compared": 0, "agree": 0, "disagree": 0,
           "unreproducible": 0, "not_evaluated": 0, "array_compared": 0, "array_agree": 0, "reasons": {},
           "error": None, "crash": None}
    try:
        _, rep = recalc(path, compare_cached=True)
    except GraddescError as e:  # an unreadable workbook: named, not a crash of the engine
        row["error"] = str(e)
    except Exception as e:  # noqa: BLE001 - a crash is what the audit reports
        row["crash"] = f"{type(e).__name__}: {e}"
        row["traceback"] = traceback.format_exc(limit=-3)
    else:
        row.update(formulas=rep.formulas, cached=rep.cached, compared=rep.compared, agree=rep.agree,
                   disagree=len(rep.mismatches), unreproducible=rep.unreproducible,
                   not_evaluated=len(rep.not_evaluated), array_compared=rep.array_compared,
                   array_agree=rep.array_agree, reasons=dict(rep.reasons()))
        if rep.mismatches:
            row["reasons"]["disagree"] = len(rep.mismatches)
        if rep.array_mismatches:
            row["reasons"]["array-result cells disagree (not counted in agree %)"] = len(rep.array_mismatches)
    row["seconds"] = time.perf_counter() - t
    return row


def audit(paths, jobs: int = 1) -> list[dict]:
    """audit_one over many workbooks, `jobs` processes at once (each file in a fresh process when
    jobs > 1, so one file's memory is returned when it is done).  The processes start from a
    fork server (a clean, single-threaded process), never by forking this one: a fork of a process
    with threads (the pool's own among them) can inherit a lock held by another thread and hang."""
    paths = list(paths)
    if jobs <= 1 or len(paths) <= 1:
        return [audit_one(p) for p in paths]
    import multiprocessing

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(min(jobs, len(paths)), maxtasksperchild=1) as pool:
        return pool.map(audit_one, paths, chunksize=1)


def summary_table(rows: list[dict], top: int = 8) -> str:
    """One table: per file and in total, formula cells, those with a cached value, compared, agree
    (agree % of the cached ones, RAND & co. excepted), the cells of array formulas' ranges that
    agree / were compared, and the top reason cells were not compared (or did not agree)."""

    def pct(r):
        n = r["cached"] - r["unreproducible"]
        return f"{100 * r['agree'] / n:.1f}%" if n > 0 else "-"

    def top_reason(r):
        if r.get("crash"):
            return "CRASH " + r["crash"][:70]
        if r.get("error"):
            return "unreadable: " + r["error"][:70]
        if not r["reasons"]:
            return ""
        reason, n = max(r["reasons"].items(), key=lambda x: (x[1], x[0]))
        return f"{n} {reason[:70]}"

    width = max([len("file")] + [len(os.path.basename(r["path"])) for r in rows])
    width = min(width, 60)
    def arr(r):
        return f"{r['array_agree']}/{r['array_compared']}" if r["array_compared"] else "-"

    head = (f"{'file':<{width}} {'formulas':>9} {'cached':>8} {'compared':>9} {'agree':>8} {'agree %':>8} "
            f"{'array cells':>13}  top reason")
    lines = [head, "-" * len(head)]
    for r in rows:
        name = os.path.basename(r["path"])
        if len(name) > width:
            name = name[:width - 1] + "~"
        lines.append(f"{name:<{width}} {r['formulas']:>9} {r['cached']:>8} {r['compared']:>9} {r['agree']:>8} "
                     f"{pct(r):>8} {arr(r):>13}  {top_reason(r)}")
    tot = {k: sum(r[k] for r in rows) for k in ("formulas", "cached", "compared", "agree", "unreproducible",
                                                "array_compared", "array_agree")}
    lines.append("-" * len(head))
    lines.append(f"{'total (' + str(len(rows)) + ' files)':<{width}} {tot['formulas']:>9} {tot['cached']:>8} "
                 f"{tot['compared']:>9} {tot['agree']:>8} {pct(tot):>8} {arr(tot):>13}")
    crashes = [r for r in rows if r.get("crash")]
    errors = [r for r in rows if r.get("error")]
    lines.append(f"crashes: {len(crashes)}; unreadable files: {len(errors)}; unreproducible cells (RAND, NOW, ..., "
                 f"not counted): {tot['unreproducible']}")
    for r in crashes:
        lines.append(f"  CRASH {r['path']}: {r['crash']}")
    for r in errors:
        lines.append(f"  UNREADABLE {r['error']}")
    reasons: Counter = Counter()
    for r in rows:
        reasons.update(r["reasons"])
    if reasons:
        lines.append("top reasons not compared or not agreeing (formula cells with a cached value count; "
                     f"'{NO_CACHED}' does not):")
        for reason, n in reasons.most_common(top):
            lines.append(f"  {n:>7}  {reason}")
    return "\n".join(lines)
