"""Structured references: Table1[Column], Table1[[#This Row],[Col]], [@Col], Table1[#Totals],
Table1[#All], Table1[[Col1]:[Col2]], Table1[#Headers], Table1[] ... resolved against a table's
geometry (graddesc.engine.workbook.Table: ref with the header and totals rows, column names).

In the brackets: either one column name or special item (Table1[Sales], Table1[#All]), or a list of
bracketed items separated by ',' (areas: #Headers, #Data, #Totals, #All, #This Row) and ':'
(a column range); '@' stands for #This Row.  A quote escapes the next character in a column name
('[, '], '#, '')."""

from __future__ import annotations

from typing import NamedTuple

SPECIALS = ("#all", "#data", "#headers", "#totals", "#this row")


class Spec(NamedTuple):
    items: frozenset  # lower-case special items (#data when none is given)
    col1: str | None  # first column name (None: every column)
    col2: str | None  # last column name of a range [A]:[B] (None: just col1)


def _unescape(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        if s[i] == "'" and i + 1 < len(s):
            i += 1
        out.append(s[i])
        i += 1
    return "".join(out)


def parse_spec(spec: str) -> Spec | None:
    """The parts of what is inside Table1[...], or None when it is not well formed."""
    s = spec.strip()
    items: set = set()
    if s.startswith("@"):
        items.add("#this row")
        s = s[1:].strip()
    if not s:
        return Spec(frozenset(items or {"#data"}), None, None)
    if not s.startswith("["):  # one column name or special item
        name = _unescape(s)
        if name.lower() in SPECIALS:
            return Spec(frozenset(items | {name.lower()}), None, None)
        return Spec(frozenset(items or {"#data"}), name, None)
    parts, seps, i, n = [], [], 0, len(s)
    while i < n:
        c = s[i]
        if c == "[":
            j, buf = i + 1, []
            while j < n and s[j] != "]":
                if s[j] == "'" and j + 1 < n:
                    j += 1
                buf.append(s[j])
                j += 1
            if j >= n:
                return None
            parts.append("".join(buf))
            i = j + 1
        elif c in ",:":
            seps.append(c)
            i += 1
        elif c.isspace():
            i += 1
        else:
            return None
    cols = []
    for k, p in enumerate(parts):
        if p.strip().lower() in SPECIALS:
            items.add(p.strip().lower())
        else:
            cols.append((k, p))
    if len(cols) > 2:
        return None
    col1 = cols[0][1] if cols else None
    col2 = cols[1][1] if len(cols) == 2 else None
    return Spec(frozenset(items or {"#data"}), col1, col2)


def table_range(table, spec: Spec):
    """(r1, c1, r2, c2, this_row) of a structured reference in `table`, or None (#REF!): unknown
    column, no header / totals row asked for.  this_row: rows r1..r2 are the table's data rows and
    the reference is to the formula's own row among them."""
    r1, c1, r2, c2 = table.ref
    d1, d2 = table.data_rows
    items = spec.items
    if spec.col1 is None:
        ca, cb = c1, c2
    else:
        ca = table.column(spec.col1)
        cb = table.column(spec.col2) if spec.col2 is not None else ca
        if ca is None or cb is None:
            return None
        ca, cb = min(ca, cb), max(ca, cb)
    if "#this row" in items:
        return d1, ca, d2, cb, True
    if "#all" in items:
        return r1, ca, r2, cb, False
    rows = []
    if "#headers" in items:
        if not table.header_rows:
            return None
        rows += [r1, r1 + table.header_rows - 1]
    if "#data" in items:
        if d2 < d1:
            return None
        rows += [d1, d2]
    if "#totals" in items:
        if not table.totals_rows:
            return None
        rows += [r2 - table.totals_rows + 1, r2]
    if not rows:
        return None
    return min(rows), ca, max(rows), cb, False


def table_at(tables, sheet: int, row: int, col: int):
    """The table holding a cell, or None."""
    for t in tables.values():
        if t.sheet_index == sheet and t.ref[0] <= row <= t.ref[2] and t.ref[1] <= col <= t.ref[3]:
            return t
    return None
