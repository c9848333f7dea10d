"""The teaching sheets around the optimizer sheets, one module each, and numpy's value of each of
their formulas.

    intro       what the workbook is, how to read and change it, a linked table of contents
    compare     every optimizer from the same start: mean loss per epoch, final a and b, the first
                step within a tolerance of the true a, b; Adagrad's vs RMSProp's effective lr
    sparse      y = a*x + c*z + b with z rarely non-zero: SGD and Adagrad side by side, the
                accumulated g^2 and effective lr per parameter (what "infrequent" means)
    global_min  f(w) = w^2/10 + 3*sin(w): momentum from six starts, best of N, how local each
                minimum is; simulated annealing from one start

`expected_cells(read)` gives numpy's value of every numeric formula cell of the last three sheets,
computed from the maths (graddesc.trajectory.run and the loops in each module), never from the
formula text; `expected_text(read)` gives the formula cells whose result is text ("" or "not
reached"). `read(sheet, addr)` returns the evaluated value of an input cell, so a user's edits are
honoured.
"""

from __future__ import annotations

from graddesc.workbook.layout import COMPARE, GLOBAL, SPARSE
from graddesc.workbook.teaching.compare import compare_expected
from graddesc.workbook.teaching.global_min import gm_expected
from graddesc.workbook.teaching.sparse import sparse_expected

SHEETS = (COMPARE, SPARSE, GLOBAL)  # the sheets expected_cells covers


def expected_cells(read) -> dict[str, dict[str, float]]:
    """numpy's value of every numeric formula cell of the compare, sparse and global_min sheets
    ({sheet: {"A1": value}}); nan where numpy diverges (the sheet then shows an error).
    read(sheet, addr): the evaluated value of an input cell (None when empty). Sheets that are
    not in the workbook (read(sheet, "A1") is None) are left out."""
    return _expected(read)[0]


def expected_text(read) -> dict[str, dict[str, str]]:
    """The formula cells of the same sheets whose value is text: "" (an empty helper cell) or
    "not reached" (compare, row 15); compare with ==."""
    return _expected(read)[1]


def _expected(read):
    floats: dict[str, dict] = {}
    texts: dict[str, dict] = {}
    for sheet, fn in ((COMPARE, lambda f, t: compare_expected(read, f, t)),
                      (SPARSE, lambda f, t: sparse_expected(read, f)),
                      (GLOBAL, lambda f, t: gm_expected(read, f, t))):
        if read(sheet, "A1") is None:
            continue
        floats[sheet], texts[sheet] = {}, {}
        fn(floats[sheet], texts[sheet])
    return floats, texts
