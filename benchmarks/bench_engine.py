"""Engine speed and memory at spreadsheet scale (issue 3), against peers measured in the same run.

    python benchmarks/bench_engine.py                 # 1k, 10k, 100k, 1M formula cells
    python benchmarks/bench_engine.py --sizes 1e3 1e4 # a subset

For each size it writes an unrolled Adam sheet (graddesc's own layout: x, y, a, b, prediction,
loss, gradients, m, v per parameter, new a, b, every row referencing the previous one and named
hyperparameters) and measures, each in a fresh process so peaks don't mix:
  graddesc     read the .xlsx from disk + compile + evaluate (seconds, peak RSS)
  formulas     the `formulas` package, at 1k and 10k only (it needs minutes beyond)
  LibreOffice  full recalculation (cold start included), at 10k and 100k, when installed
and checks the engine's last a and b against numpy, so a wrong engine cannot look fast.
Prints one table; ratio = peer seconds / graddesc seconds (higher is better for graddesc).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from graddesc import builder  # noqa: E402
from graddesc.optimizers import REGISTRY  # noqa: E402
from graddesc.problem import make_data  # noqa: E402
from graddesc.trajectory import run  # noqa: E402
from graddesc.xlsx.model import Workbook as Model  # noqa: E402
from graddesc.xlsx.writer import write_workbook  # noqa: E402

OPT = "adam"
ROW_CELLS = 18  # formula cells per step row of the Adam sheet


def make_workbook(cells: int, folder: str) -> tuple[str, int, int]:
    data = make_data()
    epochs = max(1, round(cells / ROW_CELLS / len(data)))
    opt = REGISTRY[OPT]
    sheets, names = [], {}
    for sh, nm in (builder.data_sheet(data, ""), builder.optimizer_sheet(opt, opt.resolve(), len(data), epochs)):
        sheets.append(sh)
        names.update(nm)
    path = os.path.join(folder, f"adam_{cells}.xlsx")
    write_workbook(Model(sheets, names), path)
    return path, epochs, len(data) * epochs


ENGINE = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
t = time.perf_counter()
from graddesc.engine import Workbook
wb = Workbook.load({path!r}).evaluate()
dt = time.perf_counter() - t
print(json.dumps({{"seconds": dt, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "cells": len(wb.formulas), "a": wb.value("adam", {a!r}), "b": wb.value("adam", {b!r})}}))
"""

FORMULAS = r"""
import json, resource, time
t = time.perf_counter()
import formulas
sol = formulas.ExcelModel().loads({path!r}).finish().calculate()
dt = time.perf_counter() - t
print(json.dumps({{"seconds": dt, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def child(code: str, timeout: float):
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["wall"] = time.perf_counter() - t
    return out


def libreoffice_seconds(path: str):
    try:
        from graddesc import libreoffice
    except ImportError:
        return None
    if not libreoffice.available():
        return None
    t = time.perf_counter()
    libreoffice.recalculate(path)
    return time.perf_counter() - t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="*", type=float, default=[1e3, 1e4, 1e5, 1e6])
    ap.add_argument("--no-peers", action="store_true")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in map(int, args.sizes):
            path, epochs, steps = make_workbook(size, tmp)
            opt = REGISTRY[OPT]
            tr = run(opt, opt.resolve(), make_data(), epochs)
            cols = {(c.key, c.param): c for c in builder.table_columns(opt)}
            last = builder.step_row(steps)
            a_addr, b_addr = f"{cols[('new', 0)].letter}{last}", f"{cols[('new', 1)].letter}{last}"
            eng = child(ENGINE.format(root=ROOT, path=path, a=a_addr, b=b_addr), timeout=600)
            assert (eng["a"], eng["b"]) == (tr.new_p[-1, 0], tr.new_p[-1, 1]), "engine disagrees with numpy"
            row = {"cells": eng["cells"], "seconds": eng["seconds"], "peak_mb": eng["peak_mb"],
                   "us_per_cell": eng["seconds"] / eng["cells"] * 1e6, "formulas": None, "libreoffice": None}
            if not args.no_peers and size <= 10_000:
                try:
                    row["formulas"] = child(FORMULAS.format(path=path), timeout=900)["seconds"]
                except Exception as e:  # noqa: BLE001 - report, don't hide
                    row["formulas"] = f"failed: {e}"
            if not args.no_peers and 10_000 <= size <= 100_000:
                row["libreoffice"] = libreoffice_seconds(path)
            rows.append(row)
            print(_line(row), flush=True)
    print()
    print("| formula cells | seconds | peak MB | µs per cell | formulas (s) | ratio | LibreOffice (s) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(_line(r, markdown=True))


def _ratio(peer, ours):
    return f"{peer / ours:.0f}x" if isinstance(peer, float) else "-"


def _line(r, markdown=False):
    f = r["formulas"]
    lo = r["libreoffice"]
    parts = [f"{r['cells']:,}", f"{r['seconds']:.2f}", f"{r['peak_mb']:.0f}", f"{r['us_per_cell']:.1f}",
             f"{f:.1f}" if isinstance(f, float) else (f or "-"), _ratio(f, r["seconds"]),
             f"{lo:.1f}" if isinstance(lo, float) else "-", _ratio(lo, r["seconds"])]
    return ("| " + " | ".join(parts) + " |") if markdown else "  ".join(parts)


if __name__ == "__main__":
    main()
