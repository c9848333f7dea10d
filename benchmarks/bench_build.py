"""`graddesc build` speed (issue 3): the default workbook and a ~1M-formula-cell build, against
a peer measured in the same run: openpyxl writing the same cells (values and formula text only,
no evaluation, no charts) in its fastest, write-only mode.

    python benchmarks/bench_build.py            # default workbook and ~1M formula cells
    python benchmarks/bench_build.py --quick    # default workbook only

ratio = peer seconds / graddesc in-process seconds.  The wall-clock column is the command a user
types (`python -m graddesc build`, interpreter start to exit; the median of 3 for the default
workbook): the target for it is 3 s.  graddesc's build also evaluates every formula with the
engine (to cache values in the file), so a ratio near 1 means that evaluation is nearly free.
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

BUILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
t = time.perf_counter()
from graddesc.workbook.build import build_file
build_file({path!r}, epochs={epochs}, force=True)
print(json.dumps({{"seconds": time.perf_counter() - t,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

PEER = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from graddesc.problem import make_data
from graddesc.workbook.build import build
book = build(make_data(), {epochs})
cells = [(sh.name, [[getattr(v, "value", v) for v in row] for row in sh.rows]) for sh in book.sheets]
n = sum(1 for _, rows in cells for row in rows for v in row if isinstance(v, str) and v.startswith("="))
t = time.perf_counter()
from openpyxl import Workbook
wb = Workbook(write_only=True)
for name, rows in cells:
    ws = wb.create_sheet(name)
    for row in rows:
        ws.append(row)
wb.save({path!r})
print(json.dumps({{"seconds": time.perf_counter() - t, "formula_cells": n,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def child(code):
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=1800)
    if r.returncode:
        raise RuntimeError(r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def command_seconds(path, epochs, repeat):
    """Wall-clock seconds of the command a user runs (interpreter start to exit), median of repeat."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "graddesc", "build", "-o", path, "--epochs", str(epochs),
                        "--force"], check=True, capture_output=True, env=env, timeout=1800)
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--big-epochs", type=int, default=0, help="epochs of the big build (default: ~1M cells)")
    args = ap.parse_args(argv)
    sys.path.insert(0, ROOT)
    from graddesc.problem import make_data
    from graddesc.workbook.build import build

    def formulas(epochs):
        return sum(1 for sh in build(make_data(), epochs).sheets for row in sh.rows for v in row
                   if isinstance(getattr(v, "value", v), str) and getattr(v, "value", v).startswith("="))

    fixed, per_epoch = formulas(1), formulas(2) - formulas(1)
    runs = [("default", 20)]
    if not args.quick:
        runs.append(("~1M cells", args.big_epochs or max(1, round((1_000_000 - fixed) / per_epoch) + 1)))
    print("| build | epochs | formula cells | `graddesc build` wall s | graddesc in-process s | peak MB "
          "| openpyxl write-only s | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for label, epochs in runs:
            ours = child(BUILD.format(root=ROOT, path=os.path.join(tmp, "g.xlsx"), epochs=epochs))
            peer = child(PEER.format(root=ROOT, path=os.path.join(tmp, "p.xlsx"), epochs=epochs))
            wall = command_seconds(os.path.join(tmp, "c.xlsx"), epochs, 3 if label == "default" else 1)
            print(f"| {label} | {epochs} | {peer['formula_cells']:,} | {wall:.2f} | {ours['seconds']:.2f} "
                  f"| {ours['peak_mb']:.0f} "
                  f"| {peer['seconds']:.2f} | {peer['seconds'] / ours['seconds']:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
