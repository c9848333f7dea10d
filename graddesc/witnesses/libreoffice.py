"""LibreOffice Calc as an independent witness: full recalculation of a workbook, values read at float64.

`import uno` works only in Debian's python (/usr/bin/python3), so every call runs
graddesc/witnesses/_lo_worker.py under that python.  The worker starts a headless soffice with a fresh
profile (-env:UserInstallation=file:///tmp/graddesc-lo-XXXX/profile, deleted afterwards), connects
over a named pipe, loads a copy of the workbook hidden (macros never run, links never updated),
calls calculateAll() and reads the values through UNO: no 15-digit rounding as in a saved file.
One soffice per call: about 1.5 s of start-up, plus the calculation.

    recalculate(path, sheets=None, timeout=300) -> Recalculation
        A dict {sheet: {"A1": value}} of every non-empty cell, sheets in workbook order.
        value: float for numbers (also dates, and booleans: LibreOffice gives TRUE as 1.0),
        str for text (a formula returning "" gives ""), and for an error cell the Excel error
        text that LibreOffice itself writes to xlsx ("#DIV/0!", "#VALUE!", ...; see
        ERROR_TEXT).  .formulas[sheet] is the set of formula addresses, .errors[sheet] maps
        error cells to LibreOffice's own code (532, 503, ...), .timings the seconds spent.
    save_recalculated(path, out_path, timeout=300)
        Full recalculation, then saved as xlsx (filter "Calc MS Excel 2007 XML") via a temporary
        file renamed onto out_path.  Numbers in the saved file have 15 significant digits.
    edit_and_save(path, edits, out_path, timeout=300)
        edits = {sheet: {"B3": value}}: int/float -> setValue (bool -> 1.0/0.0), "=..." -> a
        formula in Excel syntax ("=SUM(A1,B1)", "='Sheet 2'!A1", defined names), other str ->
        text, None -> cleared.  Then full recalculation and save as in save_recalculated.

Every failure (soffice missing or crashing, timeout, unreadable file, bad edit) raises
LibreOfficeError with a one-line message; the soffice process group and the profile are always
removed.  LibreOffice differs from Excel on some errors: SQRT(-1), LN(0), LOG(-1), FACT(-1) give
#VALUE! (Excel: #NUM!); a circular reference gives #VALUE! (code 522).
"""

import functools
import json
import math
import numbers
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from graddesc.errors import GraddescError
from graddesc.xlsx.model import col_letter

__all__ = ["LibreOfficeError", "Recalculation", "ERROR_TEXT", "error_text", "available",
           "why_unavailable", "recalculate", "save_recalculated", "edit_and_save"]

LO_PYTHON = "/usr/bin/python3"
WORKER = Path(__file__).with_name("_lo_worker.py")
CONNECT_TIMEOUT = 60.0

# LibreOffice error code -> the Excel error LibreOffice writes for it in xlsx
# (sc/source/filter/excel/xltools.cxx, XclTools::GetXclErrorCode; checked against LO 7.4 output).
ERROR_TEXT = {
    502: "#VALUE!",   # IllegalArgument: SQRT(-1), LN(0), LOG(-1), FACT(-1), INDEX out of range
    503: "#NUM!",     # IllegalFPOperation: overflow (1E308*10, EXP(1000)), ACOS(2), (-1)^0.5, 0^-1
    504: "#VALUE!",   # IllegalParameter
    508: "#VALUE!",   # PairExpected
    509: "#VALUE!",   # OperatorExpected
    510: "#VALUE!",   # VariableExpected
    511: "#VALUE!",   # ParameterExpected
    519: "#VALUE!",   # NoValue: "a"+1, 1/""
    521: "#NULL!",    # NoCode
    522: "#VALUE!",   # CircularReference
    524: "#REF!",     # NoRef
    525: "#NAME?",    # NoName: unknown function or name
    530: "#NAME?",    # NoAddin
    531: "#NAME?",    # NoMacro
    532: "#DIV/0!",   # DivisionByZero: 1/0, MOD(1,0)
    32767: "#N/A",    # NotAvailable: NA(), failed lookups
}


def error_text(code: int) -> str:
    """The Excel error text for a LibreOffice error code (LibreOffice's own default: #N/A)."""
    return ERROR_TEXT.get(code, "#N/A")


class LibreOfficeError(GraddescError):
    """LibreOffice is missing, failed, timed out, or could not load or save the workbook."""


class Recalculation(dict):
    """{sheet: {"A1": value}} of every non-empty cell after a full recalculation."""

    def __init__(self):
        super().__init__()
        self.formulas: dict[str, set[str]] = {}
        self.errors: dict[str, dict[str, int]] = {}
        self.timings: dict[str, float] = {}

    @property
    def values(self) -> "Recalculation":  # type: ignore[override]  # rec.values reads as the report's values
        return self

    @property
    def sheet_names(self) -> list[str]:
        return list(self)

    def formula_values(self, sheet: str) -> dict[str, object]:
        cells = self[sheet]
        return {a: cells[a] for a in self.formulas.get(sheet, ())}


# ---------------------------------------------------------------------------- availability

def _soffice() -> str | None:
    found = shutil.which("soffice")
    if found:
        return found
    return "/usr/bin/soffice" if os.access("/usr/bin/soffice", os.X_OK) else None


def _worker_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


@functools.lru_cache(maxsize=None)
def _problem() -> str:
    if _soffice() is None:
        return "soffice is not on PATH nor at /usr/bin/soffice (apt-get install libreoffice-calc-nogui)"
    if not os.access(LO_PYTHON, os.X_OK):
        return f"{LO_PYTHON} does not exist (it must be the python that python3-uno belongs to)"
    try:
        probe = subprocess.run([LO_PYTHON, "-I", "-c", "import uno"], capture_output=True,
                               env=_worker_env(), timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{LO_PYTHON} -c 'import uno' failed: {exc}"
    if probe.returncode != 0:
        return f"{LO_PYTHON} cannot import uno (apt-get install python3-uno)"
    if not WORKER.is_file():
        return f"the worker script {WORKER} is missing"
    return ""


def available() -> bool:
    return not _problem()


def why_unavailable() -> str:
    """Why available() is False ('' when it is True)."""
    return _problem()


# ---------------------------------------------------------------------------- running the worker

_ADDR = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")


def _column(n: int) -> str:
    """0-based column number (as UNO counts) -> letters."""
    return col_letter(n + 1)


def _make_workdir() -> str:  # seams for the tests
    return tempfile.mkdtemp(prefix="graddesc-lo-")


def _spawn(*args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(*args, **kwargs)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run(path, *, read=False, sheets=None, edits=None, save_to=None, timeout=300.0) -> dict:
    problem = _problem()
    if problem:
        raise LibreOfficeError("LibreOffice is not available: " + problem)
    src = Path(path)
    if not src.is_file():
        raise LibreOfficeError(f"{path}: no such file")
    workdir = _make_workdir()
    proc = None
    try:
        copy = os.path.join(workdir, "input" + (src.suffix.lower() or ".xlsx"))
        shutil.copyfile(src, copy)  # no lock file beside the user's workbook, never modified
        job = {"input": copy, "workdir": workdir, "soffice": _soffice(),
               "connect_timeout": min(CONNECT_TIMEOUT, float(timeout)), "read": read,
               "sheets": None if sheets is None else list(sheets), "edits": edits, "save_to": save_to}
        job_file = os.path.join(workdir, "job.json")
        with open(job_file, "w", encoding="utf-8") as f:
            json.dump(job, f, allow_nan=False)
        proc = _spawn([LO_PYTHON, "-I", str(WORKER), job_file], cwd=workdir,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=_worker_env(), start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.wait()
            raise LibreOfficeError(f"{path}: LibreOffice did not finish within {timeout:g} s") from None
        result_file = os.path.join(workdir, "result.json")
        if not os.path.exists(result_file):
            lines = err.decode("utf-8", "replace").strip().splitlines()
            tail = lines[-1].strip() if lines else f"exit status {proc.returncode}"
            raise LibreOfficeError(f"{path}: the LibreOffice worker failed: {tail}")
        with open(result_file, encoding="utf-8") as f:
            answer = json.load(f)
        if "error" in answer:
            raise LibreOfficeError(f"{path}: {answer['error']}")
        return answer["ok"]
    finally:
        if proc is not None:
            if proc.returncode is None:  # interrupted (KeyboardInterrupt...)
                _kill_group(proc.pid)
                proc.wait()
            _kill_group(proc.pid)  # soffice may outlive the worker
        for _ in range(3):
            shutil.rmtree(workdir, ignore_errors=True)
            if not os.path.exists(workdir):
                break
            time.sleep(0.2)


def _to_recalculation(answer: dict) -> Recalculation:
    out = Recalculation()
    out.timings = answer.get("timings", {})
    for name, sheet in answer["sheets"]:
        values: dict[str, object] = {}
        for c0, r0, rows in sheet["blocks"]:
            for i, row in enumerate(rows):
                digits = str(r0 + i + 1)
                for j, v in enumerate(row):
                    values[_column(c0 + j) + digits] = v
        errors = {}
        for c, r, code in sheet["errors"]:
            addr = f"{_column(c)}{r + 1}"
            errors[addr] = code
            values[addr] = error_text(code)
        formulas: set[str] = set()
        for c0, r0, c1, r1 in sheet["formulas"]:
            cols = [_column(c) for c in range(c0, c1 + 1)]
            for r in range(r0 + 1, r1 + 2):
                formulas.update(col + str(r) for col in cols)
        out[name] = values
        out.formulas[name] = formulas
        out.errors[name] = errors
    return out


def _check_out_path(out_path) -> Path:
    out = Path(out_path)
    if not out.parent.is_dir():
        raise LibreOfficeError(f"{out_path}: the folder does not exist")
    return out


def _save(path, out_path, edits, timeout) -> None:
    out = _check_out_path(out_path)
    tmp = out.parent / f".{out.name}.graddesc-lo-{uuid.uuid4().hex[:12]}.tmp"
    try:
        _run(path, edits=edits, save_to=str(tmp.resolve()), timeout=timeout)
        if not tmp.is_file():
            raise LibreOfficeError(f"{out_path}: LibreOffice wrote no file")
        os.replace(tmp, out)
    finally:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass


# ---------------------------------------------------------------------------- public API

def recalculate(path, sheets=None, timeout=300) -> Recalculation:
    """Full recalculation in LibreOffice; every non-empty cell of the chosen sheets (default all)."""
    if isinstance(sheets, str):
        sheets = [sheets]
    return _to_recalculation(_run(path, read=True, sheets=sheets, timeout=timeout))


def save_recalculated(path, out_path, timeout=300) -> None:
    """Full recalculation in LibreOffice, saved as xlsx to out_path (atomically)."""
    _save(path, out_path, None, timeout)


def edit_and_save(path, edits, out_path, timeout=300) -> None:
    """Apply edits {sheet: {addr: value}} through UNO, recalculate fully, save as xlsx to out_path."""
    clean: dict[str, dict[str, object]] = {}
    for sheet, cells in dict(edits).items():
        clean[str(sheet)] = {}
        for addr, value in dict(cells).items():
            m = _ADDR.match(str(addr))
            if not m:
                raise LibreOfficeError(f"edit: bad cell address {sheet}!{addr}")
            if isinstance(value, bool):
                value = float(value)
            elif isinstance(value, numbers.Real):
                try:
                    value = float(value)
                except OverflowError:
                    value = math.inf
                if not math.isfinite(value):
                    raise LibreOfficeError(f"edit: {sheet}!{addr}: {value} is not a finite number")
            elif value is not None and not isinstance(value, str):
                raise LibreOfficeError(f"edit: {sheet}!{addr}: unsupported value {value!r}")
            clean[str(sheet)][m.group(1).upper() + m.group(2)] = value
    _save(path, out_path, clean, timeout)
