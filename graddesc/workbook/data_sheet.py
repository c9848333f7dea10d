"""The data sheet: the samples (x, y) every optimizer sheet reads, start and true values."""

from __future__ import annotations

import math

import numpy as np

from graddesc.errors import InputError
from graddesc.problem import INIT_A, INIT_B, TRUE_A, TRUE_B, Data
from graddesc.workbook.layout import DATA_SHEET, DataSheet
from graddesc.xlsx.model import Cell, Sheet, col_letter


def data_sheet(data: Data, seed_note: str) -> tuple[Sheet, dict[str, str]]:
    sh = Sheet(DATA_SHEET)
    x, y = DataSheet.samples.col("x"), DataSheet.samples.col("y")
    sh.put(DataSheet.head_row, x, Cell("x", "header"))
    sh.put(DataSheet.head_row, y, Cell("y", "header"))
    for i, (vx, vy) in enumerate(zip(data.x.tolist(), data.y.tolist())):
        sh.put(DataSheet.first_row + i, x, vx)
        sh.put(DataSheet.first_row + i, y, vy)
    rows = [("start a", INIT_A, "start_a", "a at step 0 on every optimizer sheet"),
            ("start b", INIT_B, "start_b", "b at step 0 on every optimizer sheet"),
            ("true a", TRUE_A, "true_a", "the a that generated the data"),
            ("true b", TRUE_B, "true_b", "the b that generated the data")]
    names = {}
    for label, value, name, note in rows:
        r, c = DataSheet.named[name]
        sh.put(r, c - 1, Cell(label, "label"))
        sh.put(r, c, Cell(value, "input", comment=f"{note} (named cell {name})"))
        sh.put(r, c + 1, Cell(note, "note"))
        names[name] = f"{DATA_SHEET}!${col_letter(c)}${r}"
    sh.put(DataSheet.notes_row, 4, Cell(seed_note, "note"))
    sh.put(DataSheet.notes_row + 1, 4, Cell("Edit x or y here: every optimizer sheet reads its samples from this sheet.",
                                            "note"))
    sh.widths = {"A": 8, "B": 8, "C": 3, "D": 10, "E": 10}
    sh.freeze = "A2"
    return sh, names


def cell_number(read, sheet: str, addr: str, where: str = "") -> float:
    """The finite number in sheet!addr, or an InputError naming the cell (the one check every reader
    of the workbook's inputs uses). read(sheet, addr): the cell's evaluated value."""
    v = read(sheet, addr)
    if isinstance(v, bool):  # TRUE / FALSE count as 1 / 0, as in a spreadsheet's arithmetic
        return float(v)
    if isinstance(v, (int, float)) and math.isfinite(v):
        return float(v)
    raise InputError(f"{where}{sheet}!{addr} must be a number, got {v!r}")


def read_data(read, where: str = "") -> Data:
    """The samples of the data sheet, down to the first row where x and y are both empty."""
    x, y = DataSheet.samples.letter("x"), DataSheet.samples.letter("y")
    xs, ys = [], []
    row = DataSheet.first_row
    while read(DATA_SHEET, f"{x}{row}") is not None or read(DATA_SHEET, f"{y}{row}") is not None:
        xs.append(cell_number(read, DATA_SHEET, f"{x}{row}", where))
        ys.append(cell_number(read, DATA_SHEET, f"{y}{row}", where))
        row += 1
    if not xs:
        raise InputError(f"{where}the data sheet has no rows")
    return Data(np.array(xs), np.array(ys))


def read_named(read, name: str, where: str = "") -> float:
    """start_a, start_b, true_a or true_b as the data sheet holds it."""
    return cell_number(read, DATA_SHEET, DataSheet.named[name].addr, where)
