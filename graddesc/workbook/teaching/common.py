"""Helpers shared by the teaching sheets: sheet names in formulas, links, text blocks, named
settings, and the numpy mirror's small tools."""

from __future__ import annotations

import re

from graddesc.xlsx.model import Cell, Sheet


def quote(sheet: str) -> str:
    """A sheet name as a formula prefix, quoted when it must be."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet) and not re.fullmatch(r"[A-Za-z]{1,3}[0-9]+", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def link(sheet: str) -> str:
    return "#'" + sheet.replace("'", "''") + "'!A1"


def put_lines(sh: Sheet, row: int, lines, col: int = 1) -> int:
    """Write (text, style) lines from `row` down; returns the next free row."""
    for item in lines:
        text, style = (item, "text") if isinstance(item, str) else item
        if text:
            sh.put(row, col, Cell(text, style))
        row += 1
    return row


def settings(sh: Sheet, sheet: str, where, items) -> dict[str, str]:
    """Named input cells at `where` (a layout.Settings), one per row: label in A, value in B (yellow),
    what it is in C.  items: (name, label, value, note) in the layout's order."""
    names = {}
    for name, label, value, note in items:
        r = where.row(name)
        sh.put(r, 1, Cell(label, "label"))
        sh.put(r, 2, Cell(value, "input", number_format="General", comment=f"named cell {name}: {note}"))
        sh.put(r, 3, Cell(f"{name}: {note}", "note"))
        names[name] = f"{sheet}!$B${r}"
    return names


def mean(values) -> float:
    vals = [float(v) for v in values]
    return sum(vals, 0.0) / len(vals)  # left to right, as a spreadsheet adds


def put(out: dict, addr: str, value) -> None:
    out[addr] = float(value)
