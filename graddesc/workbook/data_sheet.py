"""The data sheet: the samples (x, y) every optimizer sheet reads, start and true values."""

from __future__ import annotations

from graddesc.problem import INIT_A, INIT_B, TRUE_A, TRUE_B, Data
from graddesc.workbook.layout import DATA_SHEET
from graddesc.xlsx.model import Cell, Sheet


def data_sheet(data: Data, seed_note: str) -> tuple[Sheet, dict[str, str]]:
    sh = Sheet(DATA_SHEET)
    sh.put(1, 1, Cell("x", "header"))
    sh.put(1, 2, Cell("y", "header"))
    for i, (x, y) in enumerate(zip(data.x.tolist(), data.y.tolist())):
        sh.put(i + 2, 1, x)
        sh.put(i + 2, 2, y)
    rows = [("start a", INIT_A, "start_a", "a at step 0 on every optimizer sheet"),
            ("start b", INIT_B, "start_b", "b at step 0 on every optimizer sheet"),
            ("true a", TRUE_A, "true_a", "the a that generated the data"),
            ("true b", TRUE_B, "true_b", "the b that generated the data")]
    names = {}
    for i, (label, value, name, note) in enumerate(rows, start=1):
        sh.put(i, 4, Cell(label, "label"))
        sh.put(i, 5, Cell(value, "input", comment=f"{note} (named cell {name})"))
        sh.put(i, 6, Cell(note, "note"))
        names[name] = f"{DATA_SHEET}!$E${i}"
    sh.put(6, 4, Cell(seed_note, "note"))
    sh.put(7, 4, Cell("Edit x or y here: every optimizer sheet reads its samples from this sheet.", "note"))
    sh.widths = {"A": 8, "B": 8, "C": 3, "D": 10, "E": 10}
    sh.freeze = "A2"
    return sh, names
