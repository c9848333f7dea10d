"""graddesc, `formulas` and pycel over a folder of real workbooks, judged against the same cached values.

    python benchmarks/bench_corpus.py [FOLDER] [--timeout S] [--jobs N] [--only graddesc,formulas,pycel]
                                      [--json OUT.json]

FOLDER defaults to ../shared/corpus/files (relative to the project root).  For every workbook:

* the judge: the cached values Excel (or whichever program saved the file) stored beside each
  formula, read once with openpyxl (data_only=True; a value openpyxl shows as a date or time is
  turned back into its serial number, in the file's 1900 or 1904 system), and the formula cells
  (openpyxl's data_type "f", array formulas' anchors included);
* each engine computes every formula cell from the inputs, in a process of its own killed after
  --timeout seconds (a hang or a crash costs that file only):
  - graddesc: Workbook.load(path).evaluate(strict=False), values by address;
  - formulas: ExcelModel().loads(path).finish(circular=True).calculate();
  - pycel: ExcelCompiler(filename=path); every formula cell is evaluated once to build the graph,
    then every formula cell's value is cleared (pycel would otherwise return the cached value it
    read) and evaluated again, one cell at a time (an exception in a cell costs that cell).
* a formula cell agrees when the engine's value matches the cached one by graddesc.recalc.same:
  numbers within 1e-9 relative, text, booleans and error codes exactly.  A reference to an empty
  cell counts as 0 (what Excel stores).  Cells calling RAND, RANDBETWEEN, NOW or TODAY, and cells
  depending on them (found by graddesc's dependency graph, the same cells for all three), are left
  out: no engine can reproduce them.  Formula cells without a cached value are not counted.

Prints one markdown table: formula cells with a cached value, agreeing (count and %), files that
crashed or timed out, cells whose evaluation raised, and the wall time summed over files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import re
import sys
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
DEFAULT_FOLDER = os.path.join(ROOT, "..", "shared", "corpus", "files")
ENGINES = ("graddesc", "formulas", "pycel")
SHOW = 0  # --show: disagreeing cells kept per engine per file

_ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#BUSY!", "#PYTHON!")


# ---------------------------------------------------------------------------------- the judge

class Err(str):
    """An error value, canonical across engines (its code)."""


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def judge(path: str) -> dict:
    """{"cells": {(sheet, "A1"): cached value}, "formulas": {(sheet, "A1"): formula}, "lo": bool}
    read with openpyxl: formula cells, and the value cached beside each (None: none)."""
    import openpyxl
    from openpyxl.utils.datetime import to_excel

    wf = openpyxl.load_workbook(path, data_only=False, read_only=True, keep_links=True)
    wv = openpyxl.load_workbook(path, data_only=True, read_only=True, keep_links=True)
    epoch = getattr(wv, "epoch", None)
    formulas, cells = {}, {}
    for ws in wf.worksheets:
        if not hasattr(ws, "iter_rows"):
            continue
        for row in ws.iter_rows():
            for c in row:
                if getattr(c, "data_type", None) == "f" and c.value is not None:
                    text = c.value if isinstance(c.value, str) else getattr(c.value, "text", str(c.value))
                    formulas[(ws.title, c.coordinate)] = text
    for ws in wv.worksheets:
        if not hasattr(ws, "iter_rows"):
            continue
        for row in ws.iter_rows():
            for c in row:
                key = (ws.title, getattr(c, "coordinate", None))
                if key not in formulas:
                    continue
                v = c.value
                if c.data_type == "e" and isinstance(v, str):
                    v = Err(v)
                elif isinstance(v, (dt.datetime, dt.date, dt.time, dt.timedelta)):
                    v = float(to_excel(v, epoch) if epoch is not None else to_excel(v))
                elif isinstance(v, int) and not isinstance(v, bool):
                    v = float(v)
                cells[key] = v
    wf.close()
    wv.close()
    lo = False
    try:
        with zipfile.ZipFile(path) as z:
            app = z.read("docProps/app.xml").decode("utf-8", "replace")
        m = re.search(r"<Application>([^<]*)", app)
        lo = bool(m and m.group(1).lower().startswith(("libreoffice", "openoffice")))
    except (KeyError, OSError, zipfile.BadZipFile):
        pass
    return {"cells": cells, "formulas": formulas, "lo": lo}


def unreproducible(path: str, addresses) -> set:
    """The cells (sheet, "A1") among `addresses` that call RAND, RANDBETWEEN, NOW or TODAY or depend
    on one, by graddesc's dependency graph; by the formula text alone if graddesc cannot read it."""
    try:
        from graddesc.engine import Workbook

        wb = Workbook.load(path).evaluate(strict=False)
        out = set()
        for r in wb.results():
            if r.unreproducible:
                sheet, _, addr = r.cell.rpartition("!")
                out.add((sheet, addr))
        return out
    except Exception:  # noqa: BLE001 - fall back to the text
        pat = re.compile(r"(?<![\w.])(?:_xlfn\.)?(?:RAND|RANDBETWEEN|RANDARRAY|NOW|TODAY)\s*\(", re.IGNORECASE)
        return {k for k, f in addresses.items() if pat.search(re.sub(r'"(?:[^"]|"")*"', "", f))}


# ---------------------------------------------------------------------------------- the engines

def _canon(v):
    """An engine's value in the judge's terms: float, str, bool, Err, or None (empty)."""
    try:
        import numpy as np

        if isinstance(v, np.ndarray):
            v = v.flat[0] if v.size else None
        if isinstance(v, np.generic):
            v = v.item()
    except ImportError:  # pragma: no cover
        pass
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    cls = type(v).__name__
    if cls == "ExcelError" or cls == "XlError":
        return Err(str(v))
    if isinstance(v, str):
        return Err(v) if v in _ERROR_CODES else str(v)
    if cls == "Token" or repr(v) == "empty":  # formulas' EMPTY: a reference to an empty cell
        return 0.0
    return str(v)


def run_graddesc(path, cells):
    from graddesc.engine import Workbook

    wb = Workbook.load(path).evaluate(strict=False)
    out = {}
    for sheet, addr in cells:
        out[(sheet, addr)] = _canon(wb.get(f"{_quote(sheet)}!{addr}"))
    return out, 0


def run_formulas(path, cells):
    import formulas

    xl = formulas.ExcelModel().loads(path).finish(circular=True)
    sol = xl.calculate()
    book = os.path.basename(path).upper()
    by_key = {}
    for k, v in sol.items():
        key = str(k).upper()
        if ":" in key.rpartition("!")[2]:
            continue
        by_key[key] = v
    out = {}
    for sheet, addr in cells:
        r = by_key.get(f"'[{book}]{sheet.upper()}'!{addr}")
        if r is None:
            continue
        v = getattr(r, "value", r)
        out[(sheet, addr)] = _canon(v)
    return out, 0


def run_pycel(path, cells):
    from pycel import ExcelCompiler

    xl = ExcelCompiler(filename=path)
    raised = 0
    addrs = {key: f"{_quote(key[0])}!{key[1]}" for key in cells}
    for a in addrs.values():  # build the graph (values are the cached ones at this point)
        try:
            xl.evaluate(a)
        except Exception:  # noqa: BLE001, S110 - counted below, when evaluated for real
            pass
    for cell in list(xl.cell_map.values()):  # clear what pycel read from the file
        if getattr(cell, "formula", None) or type(cell).__name__ == "_CellRange":
            cell.value = None
    out = {}
    for key, a in addrs.items():
        try:
            out[key] = _canon(xl.evaluate(a))
        except Exception:  # noqa: BLE001 - a cell pycel cannot evaluate
            raised += 1
    return out, raised


RUNNERS = {"graddesc": run_graddesc, "formulas": run_formulas, "pycel": run_pycel}


def _child(engine, path, cells, conn):
    import warnings

    warnings.simplefilter("ignore")
    import logging

    logging.disable(logging.CRITICAL)
    t = time.perf_counter()
    try:
        values, raised = RUNNERS[engine](path, cells)
        conn.send({"values": values, "raised": raised, "seconds": time.perf_counter() - t})
    except BaseException as e:  # noqa: BLE001 - a crash is a result
        conn.send({"crash": f"{type(e).__name__}: {str(e)[:200]}", "seconds": time.perf_counter() - t})
    conn.close()


def run_engine(engine, path, cells, timeout):
    """The engine's values of `cells` in a process of its own; {"crash"} / {"timeout"} otherwise."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    t = time.perf_counter()
    p = ctx.Process(target=_child, args=(engine, path, list(cells), send), daemon=True)
    p.start()
    send.close()
    result = None
    if recv.poll(timeout):
        try:
            result = recv.recv()
        except EOFError:
            result = None
    p.join(1)
    if p.is_alive():
        p.kill()
        p.join()
    if result is None:
        if time.perf_counter() - t >= timeout:
            return {"timeout": True, "seconds": timeout}
        return {"crash": f"process died (exit {p.exitcode})", "seconds": time.perf_counter() - t}
    return result


# ---------------------------------------------------------------------------------- the table

def bench_file(path, engines, timeout):
    from graddesc.engine import ERRORS
    from graddesc.recalc import same

    row = {"file": os.path.basename(path)}
    try:
        j = judge(path)
    except Exception as e:  # noqa: BLE001 - openpyxl cannot read it: nobody is judged on it
        row["judge_error"] = f"{type(e).__name__}: {e}"[:200]
        return row
    skip = unreproducible(path, j["formulas"])
    cells = {k: v for k, v in j["cells"].items() if v is not None and k not in skip}
    row["cells"] = len(cells)
    row["unreproducible"] = len([k for k in skip if j["cells"].get(k) is not None])

    def as_engine(v):
        return ERRORS.get(v, v) if isinstance(v, Err) else v

    for engine in engines:
        res = run_engine(engine, path, cells, timeout)
        r = {"seconds": res["seconds"]}
        if "values" in res:
            values = res["values"]
            bad = [k for k, cached in cells.items() if k not in values
                   or not same(as_engine(cached), as_engine(values[k]), numeric_booleans=j["lo"])]
            r["agree"] = len(cells) - len(bad)
            r["raised"] = res["raised"]
            r["examples"] = [f"{k[0]}!{k[1]} {j['formulas'][k][:60]}: cached {cells[k]!r}, got {values.get(k, 'nothing')!r}"
                             for k in bad[:SHOW]]
        else:
            r["agree"] = 0
            r["raised"] = 0
            r["crash" if "crash" in res else "timeout"] = res.get("crash", True)
        row[engine] = r
    return row


def table(rows, engines) -> str:
    judged = [r for r in rows if "cells" in r]
    total = sum(r["cells"] for r in judged)
    head = (f"{len(rows)} workbooks ({len(rows) - len(judged)} unreadable by openpyxl, not judged); "
            f"{total:,} formula cells with a cached value (RAND/NOW/TODAY/RANDBETWEEN and their dependants "
            f"left out: {sum(r['unreproducible'] for r in judged):,})")
    lines = [head, "",
             "| engine | agree | agree % | files crashed | files timed out | cells raised | time (s) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for e in engines:
        rs = [r[e] for r in judged if e in r]
        agree = sum(x["agree"] for x in rs)
        lines.append(f"| {e} | {agree:,} | {100 * agree / total if total else 0:.1f}% | "
                     f"{sum(1 for x in rs if 'crash' in x)} | {sum(1 for x in rs if 'timeout' in x)} | "
                     f"{sum(x['raised'] for x in rs):,} | {sum(x['seconds'] for x in rs):.1f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", default=DEFAULT_FOLDER)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per engine per file (default 120)")
    ap.add_argument("--jobs", type=int, default=1, help="files at once (default 1)")
    ap.add_argument("--only", default=",".join(ENGINES), help="engines, comma-separated")
    ap.add_argument("--json", metavar="OUT.json", help="also write the per-file results")
    ap.add_argument("--files", type=int, default=None, help="only the first N files (a quick run)")
    ap.add_argument("--grep", default=None, help="only the files whose name matches this regular expression")
    ap.add_argument("--show", type=int, default=0, help="print up to N disagreeing cells per engine per file")
    args = ap.parse_args(argv)
    global SHOW
    SHOW = args.show
    engines = [e for e in args.only.split(",") if e]
    bad = [e for e in engines if e not in RUNNERS]
    if bad or not os.path.isdir(args.folder):
        print(f"bench_corpus: {'unknown engine ' + ','.join(bad) if bad else args.folder + ': not a folder'}",
              file=sys.stderr)
        return 2
    files = sorted(os.path.join(args.folder, f) for f in os.listdir(args.folder)
                   if f.lower().endswith((".xlsx", ".xlsm")) and not f.startswith("~$")
                   and (args.grep is None or re.search(args.grep, f)))[:args.files]
    t = time.perf_counter()
    if args.jobs > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(args.jobs) as ex:  # each engine run is its own process already
            rows = list(ex.map(lambda p: bench_file(p, engines, args.timeout), files))
    else:
        rows = []
        for p in files:
            rows.append(bench_file(p, engines, args.timeout))
            print(f"  {rows[-1]['file']}: " + ", ".join(
                f"{e} {rows[-1][e]['agree']}/{rows[-1].get('cells', 0)}" + (" CRASH" if "crash" in rows[-1][e] else "")
                + (" TIMEOUT" if "timeout" in rows[-1][e] else "") for e in engines if e in rows[-1]),
                file=sys.stderr, flush=True)
            for e in engines:
                for x in rows[-1].get(e, {}).get("examples", []):
                    print(f"    {e}: {x}", file=sys.stderr)
    print(table(rows, engines))
    print(f"\n(wall time {time.perf_counter() - t:.0f} s; timeout {args.timeout:g} s per engine per file)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
