"""Differential fuzzing: random data, hyperparameters (in range and at the edges) and epochs for
every optimizer; build the sheet, evaluate it with the engine, require engine == numpy (verify's
tolerance; diverging runs must diverge at the same cells).  And random formula text fed to the
engine: it may reject a formula with a named error, never crash.

    python -m tests.fuzz.differential --examples 10000      # the large run (a few minutes)
    python -m tests.fuzz.differential --formulas 20000      # the formula fuzzer

The small versions run in the test suite (tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from typing import NamedTuple

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graddesc import verify
from graddesc.engine import Workbook
from graddesc.errors import GraddescError, InputError
from graddesc.optimizers import REGISTRY
from graddesc.problem import Data
from graddesc.workbook.data_sheet import data_sheet
from graddesc.workbook.optimizer_sheet import optimizer_sheet
from graddesc.xlsx.model import Workbook as Model


def hyper_strategy(h):
    if h.flag:
        return st.sampled_from([0.0, 1.0])
    lo, hi = h.lo, h.hi
    options = [st.just(h.default)]
    if math.isinf(lo):
        options.append(st.floats(-5.0, 5.0))
    else:
        if not h.lo_open:
            options.append(st.just(lo))
        base = max(abs(h.default), 1e-12)
        top = hi if math.isfinite(hi) else base * 1e3
        low = lo + (1e-12 if h.lo_open or lo == 0 else 0.0)
        options.append(st.floats(min_value=low, max_value=top, exclude_max=h.hi_open and math.isfinite(hi),
                                 allow_nan=False, allow_infinity=False))
        if math.isfinite(hi) and h.hi_open:
            options.append(st.just(math.nextafter(hi, lo)))  # the edge: beta = 0.9999999999999999
        elif math.isfinite(hi):
            options.append(st.just(hi))
    return st.one_of(options)


@st.composite
def configs(draw, names=None):
    name = draw(st.sampled_from(sorted(names or REGISTRY)))
    opt = REGISTRY[name]
    hp = {h.name: draw(hyper_strategy(h)) for h in opt.hypers}
    n = draw(st.integers(1, 8))
    xs = draw(st.lists(st.one_of(st.integers(-100, 100).map(float),
                                 st.floats(-100, 100, allow_nan=False, allow_infinity=False)),
                       min_size=n, max_size=n))
    ys = draw(st.lists(st.floats(-300, 300, allow_nan=False, allow_infinity=False), min_size=n, max_size=n))
    epochs = draw(st.integers(1, 3))
    start = (draw(st.floats(-50, 50)), draw(st.floats(-50, 50)))
    return name, hp, Data(np.array(xs), np.array(ys)), epochs, start


class Outcome(NamedTuple):
    cells: int  # cells compared
    max_rel: float  # largest raw relative difference
    max_rel_at: str | None  # where it is, and the sheet's value there
    tol_used: float  # largest share of the tolerance used
    tol_used_at: str  # where that is


def check(config, via_file=None):
    """Build, evaluate, compare.  Returns an Outcome; raises AssertionError on any disagreement.
    Invalid combinations (InputError) return None."""
    name, hp, data, epochs, start = config
    opt = REGISTRY[name]
    try:
        hp = opt.resolve(hp)
    except InputError:
        return None
    sheets, names = [], {}
    dsh, dn = data_sheet(data, "")
    dsh.rows[0][4].value, dsh.rows[1][4].value = start  # start_a, start_b
    for sh, nm in ((dsh, dn), optimizer_sheet(opt, hp, len(data), epochs)):
        sheets.append(sh)
        names.update(nm)
    model = Model(sheets, names)
    if via_file is not None:
        from graddesc.xlsx.writer import write_workbook

        write_workbook(model, via_file)
        wb = Workbook.load(via_file)
    else:
        wb = Workbook.from_model(model)
    wb.evaluate()
    reports = verify.verify_workbook(wb)
    bad = [m for r in reports for m in r.mismatches]
    assert not bad, f"{name} {hp} epochs={epochs} start={start} x={data.x.tolist()} y={data.y.tolist()}: " \
                    f"{len(bad)} mismatches, first {bad[0].text()}"
    worst = max(reports, key=lambda r: r.tol_used)
    rel = max(reports, key=lambda r: r.max_rel)
    # where the raw relative difference is largest, and the sheet's value there: a value cancelled
    # to ~0 can differ by 100% relative and still be within the tolerance on its column's scale
    rel_at = (f"{rel.sheet}!{rel.max_rel_cell}, the sheet's value there "
              f"{wb.value(rel.sheet, rel.max_rel_cell)!r}") if rel.max_rel_cell else None
    return Outcome(sum(r.cells for r in reports), rel.max_rel, rel_at, worst.tol_used,
                   f"{worst.sheet}!{worst.tol_used_cell}")


# ------------------------------------------------------------------------- formula fuzzing

ATOMS = ["1", "0", "-1", "2.5", "1E308", "1E-320", "A1", "$B$2", "C3:D4", "A:A", "1:1", "Sheet2!A1",
         "'Sheet 2'!B1", "name1", "nosuch", "TRUE", "FALSE", '"txt"', '"1"', '""', "#DIV/0!", "#N/A", "#REF!",
         "A1048576", "XFD1", "ZZZ1", "A0"]
FUNCS = ["SUM", "SUMSQ", "SUMPRODUCT", "COUNT", "AVERAGE", "MIN", "MAX", "ABS", "SQRT", "EXP", "LN", "POWER",
         "IF", "AND", "OR", "NOT", "SIGN", "IFERROR", "INDEX", "ROUND", "MOD", "NOSUCHFN", "RAND", "OFFSET"]
OPS = ["+", "-", "*", "/", "^", "&", "=", "<>", "<", ">", "<=", ">=", ":", ",", " ", "%"]


@st.composite
def formula_text(draw, depth=0):
    kind = draw(st.integers(0, 5 if depth < 4 else 0))
    if kind == 0:
        return draw(st.sampled_from(ATOMS))
    if kind == 1:
        return draw(st.sampled_from(["-", "+", ""])) + draw(formula_text(depth + 1))
    if kind == 2:
        return "(" + draw(formula_text(depth + 1)) + ")"
    if kind == 3:
        args = draw(st.lists(formula_text(depth + 1), max_size=4))
        return draw(st.sampled_from(FUNCS)) + "(" + ",".join(args) + ")"
    return draw(formula_text(depth + 1)) + draw(st.sampled_from(OPS)) + draw(formula_text(depth + 1))


garbage = st.text(alphabet=st.sampled_from(list("()+-*/^&=<>:,;!$'\"%#{}ABC123.E SUMIF")), max_size=60)


def check_formula(text):
    """The engine evaluates a random formula or rejects it with a named error; never crashes."""
    cells = {"A1": 2.0, "B2": -3.0, "C3": "x", "D4": True, "ZZ9": "=" + text}
    wb = Workbook.from_cells({"S": cells, "Sheet2": {"A1": 1.0}, "Sheet 2": {"B1": 5.0}},
                             names={"name1": "S!$A$1"})
    try:
        wb.evaluate()
    except GraddescError as e:
        assert "S!ZZ9" in str(e), str(e)
        return "rejected"
    v = wb.value("S", "ZZ9")
    assert v is None or isinstance(v, (float, str, bool)) or type(v).__name__ == "ExcelError", repr(v)
    assert not (isinstance(v, float) and not math.isfinite(v)), v
    return "evaluated"


def main(argv=None):
    ap = argparse.ArgumentParser(description="graddesc differential fuzzing")
    ap.add_argument("--examples", type=int, default=0, help="optimizer configurations to run")
    ap.add_argument("--formulas", type=int, default=0, help="random formulas to feed the engine")
    ap.add_argument("--file-every", type=int, default=20, help="round-trip through an .xlsx every N configs")
    args = ap.parse_args(argv)
    import tempfile

    if args.examples:
        stats = {"run": 0, "invalid": 0, "cells": 0, "max_rel": 0.0, "tol_used": 0.0, "per_opt": {},
                 "worst": None, "max_rel_at": None}
        t0 = time.time()
        tmp = tempfile.mkdtemp()

        @settings(max_examples=args.examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(configs())
        def run(config):
            i = stats["run"] + stats["invalid"]
            path = f"{tmp}/f.xlsx" if args.file_every and i % args.file_every == 0 else None
            out = check(config, via_file=path)
            if out is None:
                stats["invalid"] += 1
                return
            stats["run"] += 1
            stats["cells"] += out.cells
            if out.max_rel > stats["max_rel"]:
                stats["max_rel"], stats["max_rel_at"] = out.max_rel, out.max_rel_at
            if out.tol_used > stats["tol_used"]:
                name, hp, data, epochs, start = config
                stats["tol_used"] = out.tol_used
                stats["worst"] = (f"{out.tol_used_at} (epochs={epochs}, start={start}, {len(data)} samples, "
                                  f"hyperparameters {hp})")
            stats["per_opt"][config[0]] = stats["per_opt"].get(config[0], 0) + 1

        run()
        print(f"optimizer configurations: {stats['run']} checked ({stats['invalid']} invalid combinations "
              f"rejected), {stats['cells']:,} cells compared, max relative difference {stats['max_rel']:.3g}, "
              f"{time.time() - t0:.0f} s")
        print("per optimizer:", dict(sorted(stats["per_opt"].items())))
        if stats["max_rel_at"]:
            print(f"largest relative difference {stats['max_rel']:.3g} at {stats['max_rel_at']}")
        if stats["worst"]:
            print(f"closest to the tolerance: {stats['tol_used']:.3g} of it, at {stats['worst']}")
    if args.formulas:
        counts = {"evaluated": 0, "rejected": 0}
        t0 = time.time()

        @settings(max_examples=args.formulas, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(st.one_of(formula_text(), garbage))
        def run_f(text):
            counts[check_formula(text)] += 1

        run_f()
        print(f"random formulas: {counts}, {time.time() - t0:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
