"""Engine speed and memory at spreadsheet scale, against peers measured in the same run.

    python benchmarks/bench_engine.py                      # 1k, 10k, 100k, 1M formula cells
    python benchmarks/bench_engine.py --sizes 1e3 1e5      # a subset
    python benchmarks/bench_engine.py --no-peers           # graddesc only

For each size it writes (openpyxl, write-only) an unrolled Adam fit of y = a*x + b: a data sheet
(x, y) and a step sheet whose every row reads the previous row and the named hyperparameters
lr, beta1, beta2, eps:
    t  x  y  a  b  pred  loss  g_a  g_b  m_a  m_b  v_a  v_b  new_a  new_b      (14 formulas a row)
Then, each in a fresh process so that peaks do not mix:
  graddesc     read the .xlsx from disk + compile + evaluate: seconds, peak RSS (whole process)
  formulas     the `formulas` package (ExcelModel().loads().finish(), calculate()), 1k and 10k only
  LibreOffice  full recalculation, 10k and 100k, when installed: graddesc.witnesses.libreoffice's start +
               load + calculateAll() (values not read back), or else soffice --convert-to with
               OOXMLRecalcMode=0 in a fresh profile (cold start included either way)
and the engine's last a and b must equal a plain-Python computation of the same recurrence bit
for bit, so a wrong engine cannot look fast.  Prints a table; ratio = peer seconds / graddesc
seconds (higher is better for graddesc).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROW_CELLS = 14  # formula cells per step row
FIRST = 5  # first step row
DATA = [(float(x), 2.0 * x + 30.0 + ((x * 37) % 11 - 5) * 0.5) for x in range(1, 31)]
HYPER = {"lr": 0.5, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
START = (0.0, 0.0)
COLS = "ABCDEFGHIJKLMNO"


def step_formulas(r: int, data_row: int) -> list[str]:
    p = r - 1
    return [
        f"=data!$A${data_row}", f"=data!$B${data_row}",                          # x y
        f"=N{p}" if r > FIRST else "=start_a", f"=O{p}" if r > FIRST else "=start_b",  # a b
        f"=D{r}*B{r}+E{r}", f"=(F{r}-C{r})^2",                                 # pred loss
        f"=2*(F{r}-C{r})*B{r}", f"=2*(F{r}-C{r})",                             # g_a g_b
        f"=beta1*J{p}+(1-beta1)*H{r}" if r > FIRST else f"=(1-beta1)*H{r}",
        f"=beta1*K{p}+(1-beta1)*I{r}" if r > FIRST else f"=(1-beta1)*I{r}",
        f"=beta2*L{p}+(1-beta2)*H{r}^2" if r > FIRST else f"=(1-beta2)*H{r}^2",
        f"=beta2*M{p}+(1-beta2)*I{r}^2" if r > FIRST else f"=(1-beta2)*I{r}^2",
        f"=D{r}-lr*(J{r}/(1-beta1^A{r}))/(SQRT(L{r}/(1-beta2^A{r}))+eps)",
        f"=E{r}-lr*(K{r}/(1-beta1^A{r}))/(SQRT(M{r}/(1-beta2^A{r}))+eps)",
    ]


def make_workbook(cells: int, folder: str) -> tuple[str, int]:
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    steps = max(1, round(cells / ROW_CELLS))
    wb = openpyxl.Workbook(write_only=True)
    data = wb.create_sheet("data")
    data.append(["x", "y", "start a", "start b"])
    for i, (x, y) in enumerate(DATA):
        data.append([x, y] + (list(START) if i == 0 else []))
    ws = wb.create_sheet("adam")
    ws.append(["lr", "beta1", "beta2", "eps"])
    ws.append([HYPER["lr"], HYPER["beta1"], HYPER["beta2"], HYPER["eps"]])
    ws.append([])
    ws.append(["t", "x", "y", "a", "b", "pred", "loss", "g_a", "g_b", "m_a", "m_b", "v_a", "v_b", "new a", "new b"])
    for t in range(1, steps + 1):
        r = FIRST + t - 1
        ws.append([float(t)] + step_formulas(r, 2 + (t - 1) % len(DATA)))
    for name, ref in (("lr", "adam!$A$2"), ("beta1", "adam!$B$2"), ("beta2", "adam!$C$2"), ("eps", "adam!$D$2"),
                      ("start_a", "data!$C$2"), ("start_b", "data!$D$2")):
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    path = os.path.join(folder, f"adam_{cells}.xlsx")
    wb.save(path)
    return path, steps


def reference(steps: int) -> tuple[float, float]:
    """The same recurrence in plain Python floats, operation for operation."""
    lr, b1, b2, eps = HYPER["lr"], HYPER["beta1"], HYPER["beta2"], HYPER["eps"]
    a, b = START
    ma = mb = va = vb = 0.0
    for t in range(1, steps + 1):
        x, y = DATA[(t - 1) % len(DATA)]
        pred = a * x + b
        ga, gb = 2.0 * (pred - y) * x, 2.0 * (pred - y)
        if t == 1:
            ma, mb = (1.0 - b1) * ga, (1.0 - b1) * gb
            va, vb = (1.0 - b2) * ga ** 2.0, (1.0 - b2) * gb ** 2.0
        else:
            ma, mb = b1 * ma + (1.0 - b1) * ga, b1 * mb + (1.0 - b1) * gb
            va, vb = b2 * va + (1.0 - b2) * ga ** 2.0, b2 * vb + (1.0 - b2) * gb ** 2.0
        tf = float(t)
        a, b = (a - lr * (ma / (1.0 - b1 ** tf)) / (math.sqrt(va / (1.0 - b2 ** tf)) + eps),
                b - lr * (mb / (1.0 - b1 ** tf)) / (math.sqrt(vb / (1.0 - b2 ** tf)) + eps))
    return a, b


ENGINE = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
t = time.perf_counter()
from graddesc.engine import Workbook
wb = Workbook.load({path!r})
t1 = time.perf_counter()
wb.evaluate()
t2 = time.perf_counter()
print(json.dumps({{"seconds": t2 - t, "read": t1 - t, "evaluate": t2 - t1,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "cells": len(wb.formulas), "a": wb.value("adam", {a!r}), "b": wb.value("adam", {b!r})}}))
"""

FORMULAS = r"""
import json, resource, time
t = time.perf_counter()
import formulas
model = formulas.ExcelModel().loads({path!r}).finish()
sol = model.calculate()
dt = time.perf_counter() - t
print(json.dumps({{"seconds": dt, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def child(code: str, timeout: float) -> dict:
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed")
    return json.loads(r.stdout.strip().splitlines()[-1])


XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def libreoffice_seconds(path: str):
    """(seconds, how) of a full recalculation by LibreOffice, or (None, why not)."""
    sys.path.insert(0, ROOT)
    try:
        from graddesc.witnesses import libreoffice
    except ImportError:
        libreoffice = None
    if libreoffice is not None:
        if not libreoffice.available():
            return None, libreoffice.why_unavailable()
        rec = libreoffice.recalculate(path, sheets=["adam"])
        tm = rec.timings
        if all(k in tm for k in ("start", "load", "calculate")):
            return tm["start"] + tm["load"] + tm["calculate"], "bridge: start+load+calculateAll"
    soffice = shutil.which("soffice")
    if not soffice:
        return None, "soffice not installed"
    work = os.path.join(tempfile.gettempdir(), f"bench-lo-{uuid.uuid4().hex}")
    try:
        os.makedirs(os.path.join(work, "profile", "user"))
        with open(os.path.join(work, "profile", "user", "registrymodifications.xcu"), "w") as f:
            f.write(XCU)
        t = time.perf_counter()
        subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore",
                        "--convert-to", "xlsx", "--outdir", os.path.join(work, "out"), path],
                       capture_output=True, timeout=900)
        dt = time.perf_counter() - t
        if not os.path.exists(os.path.join(work, "out", os.path.basename(path))):
            return None, "soffice --convert-to wrote nothing"
        return dt, "soffice --convert-to (load+recalc+save)"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="*", type=float, default=[1e3, 1e4, 1e5, 1e6])
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="engine runs per size (the fastest is reported)")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in map(int, args.sizes):
            t = time.perf_counter()
            path, steps = make_workbook(size, tmp)
            gen = time.perf_counter() - t
            last = FIRST + steps - 1
            runs = [child(ENGINE.format(root=ROOT, path=path, a=f"N{last}", b=f"O{last}"), timeout=1800)
                    for _ in range(max(1, args.repeat))]
            eng = min(runs, key=lambda r: r["seconds"])
            exp = reference(steps)
            if (eng["a"], eng["b"]) != exp:
                raise SystemExit(f"engine disagrees with Python: {eng['a']!r}, {eng['b']!r} != {exp!r}")
            row = {"cells": eng["cells"], "seconds": eng["seconds"], "read": eng["read"], "evaluate": eng["evaluate"],
                   "peak_mb": max(r["peak_mb"] for r in runs), "us_per_cell": eng["seconds"] / eng["cells"] * 1e6,
                   "formulas": None, "libreoffice": None, "file_mb": os.path.getsize(path) / 2**20, "gen": gen}
            if not args.no_peers and size <= 10_000:
                try:
                    row["formulas"] = child(FORMULAS.format(path=path), timeout=1800)["seconds"]
                except Exception as e:  # noqa: BLE001 - report, don't hide
                    row["formulas"] = f"failed: {e}"[:60]
            if not args.no_peers and 10_000 <= size <= 100_000:
                try:
                    row["libreoffice"], row["lo_how"] = libreoffice_seconds(path)
                except Exception as e:  # noqa: BLE001
                    row["libreoffice"] = f"failed: {e}"[:60]
            rows.append(row)
            print(_line(row), f"(read {row['read']:.2f} s + compile/evaluate {row['evaluate']:.2f} s; "
                              f"file {row['file_mb']:.1f} MB; writing it took {gen:.1f} s)", flush=True)
    print()
    print("| formula cells | seconds | peak MB | µs per cell | formulas (s) | ratio | LibreOffice (s) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(_line(r, markdown=True))
    how = {r.get("lo_how") for r in rows if r.get("lo_how")}
    if how:
        print("\nLibreOffice: " + "; ".join(sorted(how)))


def _ratio(peer, ours):
    return f"{peer / ours:.0f}x" if isinstance(peer, float) else "-"


def _line(r, markdown=False):
    f, lo = r["formulas"], r["libreoffice"]
    parts = [f"{r['cells']:,}", f"{r['seconds']:.2f}", f"{r['peak_mb']:.0f}", f"{r['us_per_cell']:.1f}",
             f"{f:.1f}" if isinstance(f, float) else (f or "-"), _ratio(f, r["seconds"]),
             f"{lo:.1f}" if isinstance(lo, float) else (lo or "-"), _ratio(lo, r["seconds"])]
    return ("| " + " | ".join(parts) + " |") if markdown else "  ".join(parts)


if __name__ == "__main__":
    main()
