"""Gnumeric as a third independent witness: every formula recalculated by another application.

`ssconvert` (Debian's gnumeric package) loads a copy of the workbook whose cached values have been
removed, so every number is Gnumeric's own, recalculates (--recalc) and exports one CSV per sheet
in its "raw" format (numbers with 20 significant digits, unformatted).

Gnumeric on this build computes in 80-bit long double, so its numbers are not float64's: on a
sheet that amplifies rounding they drift from any float64 engine (LibreOffice, Excel, numpy,
graddesc).  `graddesc verify --gnumeric` compares with tolerances chosen for that (see verify.py).

    recalculate(path, timeout=300) -> {sheet: {(row, col): value}}
        value: float for numbers (and booleans: Gnumeric's CSV writes TRUE/FALSE, given as bool),
        str for text, and the error text ("#DIV/0!", ...) for an error cell.

Failures (ssconvert missing, crashing, timing out, writing nothing) raise GnumericError with a
one-line message.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from graddesc.errors import GraddescError

__all__ = ["GnumericError", "available", "why_unavailable", "recalculate"]

_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


class GnumericError(GraddescError):
    """Gnumeric could not recalculate the workbook."""


def _ssconvert() -> str | None:
    return shutil.which("ssconvert")


def available() -> bool:
    return _ssconvert() is not None


def why_unavailable() -> str:
    if available():
        return ""
    return "ssconvert is not on PATH (apt-get install -y --no-install-recommends gnumeric)"


def _value(text: str):
    if text == "":
        return None
    if _NUMBER.match(text):
        return float(text)
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    return text


def recalculate(path, timeout: float = 300.0) -> dict:
    """Every non-empty cell's value after Gnumeric's full recalculation of `path`'s formulas."""
    from graddesc.xlsx import reader, writer

    exe = _ssconvert()
    if exe is None:
        raise GnumericError(why_unavailable())
    sheets = list(reader.sheet_parts(path).values())  # validates the file first
    work = tempfile.mkdtemp(prefix="graddesc-gnumeric-")
    try:
        src = os.path.join(work, "book.xlsx")
        writer.write_uncached_copy(path, src)
        out = os.path.join(work, "sheet_%n.csv")
        try:
            proc = subprocess.run(
                [exe, "--recalc", "-S", "-T", "Gnumeric_stf:stf_assistant", "-O", "format=raw separator=,",
                 src, out], capture_output=True, timeout=timeout, env={**os.environ, "HOME": work})
        except subprocess.TimeoutExpired:
            raise GnumericError(f"{path}: ssconvert did not finish in {timeout:g} s") from None
        result = {}
        for i, name in enumerate(sheets):
            csv_path = Path(work) / f"sheet_{i}.csv"
            if not csv_path.exists():
                tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
                raise GnumericError(f"{path}: ssconvert wrote no values for sheet {name!r} "
                                    f"(exit {proc.returncode}: {tail[0]})")
            cells = {}
            with open(csv_path, newline="", encoding="utf-8") as f:
                for r, row in enumerate(csv.reader(f), start=1):
                    for c, text in enumerate(row, start=1):
                        v = _value(text)
                        if v is not None:
                            cells[(r, c)] = v
            result[name] = cells
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
