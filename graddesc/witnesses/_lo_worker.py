"""LibreOffice worker: run ONLY under Debian's /usr/bin/python3, the one python that can `import uno`.

Started by graddesc.witnesses.libreoffice as `/usr/bin/python3 -I _lo_worker.py JOB.json`, in a process group
of its own that also holds soffice (the parent kills that group on timeout).  Standalone: imports
nothing from graddesc.  The job file is JSON:

    {"input": path, "workdir": dir, "soffice": path, "connect_timeout": s,
     "edits": {sheet: {addr: number | "=formula" | "text" | null}} or null,
     "save_to": path or null, "read": bool, "sheets": [names] or null}

The answer goes to WORKDIR/result.json: {"ok": {...}} or {"error": "one line"}.  With "read", "ok"
holds, per sheet in document order, blocks of values (one getDataArray call per rectangle of
non-empty cells), the rectangles holding formulas, and [col, row, code] of every error cell
(0-based positions; getDataArray gives None for those; the codes come from ERRORTYPE()).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

# com.sun.star.sheet.CellFlags
VALUE, DATETIME, STRING, FORMULA = 1, 2, 4, 16
CONTENT = VALUE | DATETIME | STRING | FORMULA
XLSX_FILTER = "Calc MS Excel 2007 XML"


class Failure(Exception):
    """A one-line message for the user."""


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def one_line(text):
    return " ".join(str(text).split())[:500]


def uno_message(exc):
    msg = getattr(exc, "Message", None) or str(exc)
    return one_line(f"{type(exc).__name__}: {msg}")


def watch_parent(workdir):
    """If the parent dies, nobody will kill our group or delete the profile: do it ourselves."""
    parent = os.getppid()
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            ready, go = os.pipe()
            if os.fork() == 0:  # leaves the group before the kill below, then removes the profile
                os.setsid()
                os.write(go, b"1")
                time.sleep(2)
                shutil.rmtree(workdir, ignore_errors=True)
                os._exit(0)
            os.read(ready, 1)
            os.killpg(0, signal.SIGKILL)


def log_tail(path):
    try:
        with open(path, "rb") as f:
            lines = [l for l in f.read().decode("utf-8", "replace").splitlines() if l.strip()]
        lines = [l for l in lines if "javaldx" not in l]
        return one_line(lines[-1]) if lines else ""
    except OSError:
        return ""


def start_office(job):
    workdir = job["workdir"]
    pipe = os.path.basename(workdir.rstrip("/"))  # graddesc-lo-XXXXXXXX: unique
    profile = uno.systemPathToFileUrl(os.path.join(workdir, "profile"))
    log = os.path.join(workdir, "soffice.log")
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [job["soffice"], "--headless", "--invisible", "--nologo", "--norestore",
             "--nodefault", "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
             f"-env:UserInstallation={profile}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, cwd=workdir)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + job["connect_timeout"]
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            pass
        status = proc.poll()
        if status is not None:
            tail = log_tail(log)
            raise Failure(f"soffice exited with status {status} during startup" + (f": {tail}" if tail else ""))
        if time.monotonic() > deadline:
            raise Failure(f"soffice did not accept a connection within {job['connect_timeout']:g} s")
        time.sleep(0.05)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return proc, desktop


def stop_office(proc, desktop, doc):
    try:
        if doc is not None:
            doc.close(True)
    except Exception:
        pass
    try:
        if desktop is not None:
            desktop.terminate()
    except Exception:  # the bridge is disposed while terminate() returns
        pass
    if proc is not None:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            pass  # the parent kills the whole process group


def load(desktop, path):
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    opts = (prop("Hidden", True), prop("MacroExecutionMode", 0), prop("UpdateDocMode", 0),
            prop("Silent", True))
    try:
        doc = desktop.loadComponentFromURL(url, "_blank", 0, opts)
    except Exception as exc:
        raise Failure(f"LibreOffice cannot load the file ({uno_message(exc)})")
    if doc is None:
        raise Failure("LibreOffice cannot load the file")
    if not doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
        doc.close(True)
        raise Failure("LibreOffice did not load the file as a spreadsheet")
    return doc


def formula_parser(doc):
    """A parser for Excel (OOXML) formula syntax: setFormula() expects ODF syntax (';', Sheet.A1)."""
    parser = doc.createInstance("com.sun.star.sheet.FormulaParser")
    mapper = doc.createInstance("com.sun.star.sheet.FormulaOpCodeMapper")
    ooxml = uno.getConstantByName("com.sun.star.sheet.FormulaLanguage.OOXML")
    groups = uno.getConstantByName("com.sun.star.sheet.FormulaMapGroup.ALL_EXCEPT_SPECIAL")
    parser.setPropertyValue("FormulaConvention",
                            uno.getConstantByName("com.sun.star.sheet.AddressConvention.XL_OOX"))
    parser.setPropertyValue("CompileEnglish", True)
    entries = mapper.getAvailableMappings(ooxml, groups)
    uno.invoke(parser, "setPropertyValue",
               ("OpCodeMap", uno.Any("[]com.sun.star.sheet.FormulaOpCodeMapEntry", tuple(entries))))
    return parser


# Error codes that mean the formula text did not compile (not a calculation result).
SYNTAX_ERRORS = {501: "invalid character", 505: "invalid jump", 506: "bad separator",
                 507: "unbalanced parentheses", 508: "missing parenthesis", 509: "missing operator",
                 510: "missing operand", 511: "missing argument", 520: "incomplete formula"}


def apply_edits(doc, edits):
    """Returns [(where, cell)] of the formulas set, to be checked after calculation."""
    sheets = doc.Sheets
    parser = None
    formulas = []
    for sheet_name, cells in edits.items():
        if not sheets.hasByName(sheet_name):
            raise Failure(f"edit: no sheet named {sheet_name!r}")
        sheet = sheets.getByName(sheet_name)
        for addr, value in cells.items():
            where = f"{sheet_name}!{addr}"
            try:
                cell = sheet.getCellRangeByName(addr).getCellByPosition(0, 0)
            except Exception:
                raise Failure(f"edit: bad cell address {where}")
            if value is None:
                sheet.getCellRangeByName(addr).clearContents(CONTENT)
            elif isinstance(value, (int, float)):
                cell.setValue(float(value))
            elif isinstance(value, str) and value.startswith("=") and len(value) > 1:
                if parser is None:
                    parser = formula_parser(doc)
                try:
                    cell.setTokens(parser.parseFormula(value, cell.getCellAddress()))
                except Exception as exc:
                    raise Failure(f"edit: LibreOffice rejects the formula in {where} ({uno_message(exc)})")
                formulas.append((where, value, cell))
            elif isinstance(value, str):
                cell.setString(value)
            else:
                raise Failure(f"edit: unsupported value for {where}: {value!r}")
    return formulas


def check_formulas(formulas):
    for where, text, cell in formulas:
        code = cell.getError()
        if code in SYNTAX_ERRORS:
            raise Failure(f"edit: LibreOffice rejects the formula {text} in {where} "
                          f"(Err:{code}, {SYNTAX_ERRORS[code]})")


def column_letters(n):
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def read_sheet(sheet):
    """Values of the non-empty cells in blocks, formula rectangles, and positions of error cells."""
    blocks, errors = [], []
    for r in sheet.queryContentCells(CONTENT).getRangeAddresses():
        rows = sheet.getCellRangeByPosition(r.StartColumn, r.StartRow, r.EndColumn, r.EndRow).getDataArray()
        for i, row in enumerate(rows):
            if None in row:  # getDataArray gives None for an error
                errors.extend((r.StartColumn + j, r.StartRow + i) for j, v in enumerate(row) if v is None)
        blocks.append([r.StartColumn, r.StartRow, rows])
    formulas = [[r.StartColumn, r.StartRow, r.EndColumn, r.EndRow]
                for r in sheet.queryContentCells(FORMULA).getRangeAddresses()]
    return {"blocks": blocks, "formulas": formulas, "errors": errors}


ERRORS_PER_PASS = 1 << 20  # rows of a sheet


def error_codes(doc, sheet_name, positions):
    """LibreOffice's error code of each (col, row) of sheet_name.

    cell.getError() costs a round trip (about 1 ms for getCellByPosition + getError), far too slow
    when an error spreads down a 100k-row table: instead fill a scratch sheet with
    =ERRORTYPE(cell) formulas (ERRORTYPE gives the internal code: 532, 502, 32767...) and read
    them with one getDataArray.  The scratch sheet is removed afterwards.
    """
    if not positions:
        return []
    sheets = doc.Sheets
    scratch = "graddesc_errors"
    while sheets.hasByName(scratch):
        scratch += "_"
    sheets.insertNewByName(scratch, sheets.getCount())
    try:
        tmp = sheets.getByName(scratch)
        prefix = "=ERRORTYPE($'" + sheet_name.replace("'", "''") + "'."
        codes = []
        for start in range(0, len(positions), ERRORS_PER_PASS):
            part = positions[start:start + ERRORS_PER_PASS]
            rng = tmp.getCellRangeByPosition(0, 0, 0, len(part) - 1)
            rng.setFormulaArray(tuple((f"{prefix}{column_letters(c)}{r + 1})",) for c, r in part))
            for (c, r), (code,) in zip(part, rng.getDataArray()):
                if not isinstance(code, float) or code <= 0:  # should not happen; ask the cell
                    code = sheet_error(doc, sheet_name, c, r)
                codes.append([c, r, int(code)])
            rng.clearContents(CONTENT)
        return codes
    finally:
        sheets.removeByName(scratch)


def sheet_error(doc, sheet_name, col, row):
    return doc.Sheets.getByName(sheet_name).getCellByPosition(col, row).getError()


def run(job):
    timings = {}
    proc = desktop = doc = None
    t = time.monotonic()
    try:
        proc, desktop = start_office(job)
        timings["start"] = time.monotonic() - t
        t = time.monotonic()
        doc = load(desktop, job["input"])
        timings["load"] = time.monotonic() - t
        edited = apply_edits(doc, job["edits"]) if job.get("edits") else []
        t = time.monotonic()
        doc.calculateAll()
        timings["calculate"] = time.monotonic() - t
        check_formulas(edited)
        out = {"timings": timings}
        if job.get("read"):
            t = time.monotonic()
            names = list(doc.Sheets.getElementNames())
            wanted = job.get("sheets")
            if wanted is not None:
                missing = [s for s in wanted if s not in names]
                if missing:
                    raise Failure(f"no sheet named {missing[0]!r} (sheets: {', '.join(names)})")
                names = [s for s in names if s in wanted]
            out["sheets"] = [[name, read_sheet(doc.Sheets.getByName(name))] for name in names]
            for name, sheet in out["sheets"]:
                sheet["errors"] = error_codes(doc, name, sheet["errors"])
            timings["read"] = time.monotonic() - t
        if job.get("save_to"):
            t = time.monotonic()
            url = uno.systemPathToFileUrl(os.path.abspath(job["save_to"]))
            try:
                doc.storeToURL(url, (prop("FilterName", XLSX_FILTER), prop("Overwrite", True)))
            except Exception as exc:
                raise Failure(f"LibreOffice cannot save the workbook ({uno_message(exc)})")
            timings["save"] = time.monotonic() - t
        return out
    finally:
        stop_office(proc, desktop, doc)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    threading.Thread(target=watch_parent, args=(job["workdir"],), daemon=True).start()
    try:
        answer = {"ok": run(job)}
    except Failure as exc:
        answer = {"error": str(exc)}
    except Exception as exc:
        traceback.print_exc()
        answer = {"error": uno_message(exc)}
    tmp = os.path.join(job["workdir"], "result.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(answer, f)
    os.replace(tmp, os.path.join(job["workdir"], "result.json"))


if __name__ == "__main__":
    main()
