"""One sheet per optimizer: hyperparameters, the step table (one row per step, every update a live
formula), the per-epoch table, a side panel and two charts.  Where each column is: layout.py."""

from __future__ import annotations

from typing import Any

from graddesc.optimizers import Optimizer
from graddesc.optimizers.base import PLACEHOLDER
from graddesc.problem import TRUE_A, TRUE_B
from graddesc.workbook.layout import (
    DATA_SHEET,
    EQUATION_ROW,
    FIRST_STEP_ROW,
    HEADER_ROW,
    HYPER_NAME_ROW,
    HYPER_VALUE_ROW,
    NUM_FMT,
    PARAMS,
    START_ROW,
    DataSheet,
    TableColumn,
    epoch_columns,
    epoch_row,
    hyper_spot,
    step_row,
    table_columns,
)
from graddesc.xlsx.model import Cell, Chart, Highlight, Series, Sheet, col_letter


class _Resolver:
    """Turns a template into the formula of one cell of the step table or the epoch table."""

    def __init__(self, opt: Optimizer, cols: list[TableColumn], ecols: list[TableColumn], n: int):
        self.opt = opt
        self.n = n
        self.hypers = {h.name for h in opt.hypers}
        self.steps = {(c.key, c.param): c for c in cols}
        self.epochs = {(c.key, c.param): c for c in ecols}

    @staticmethod
    def _find(table, key, param, what):
        c = table.get((key, param)) or table.get((key, None))
        if c is None and key.endswith(("_a", "_b")):
            c = table.get((key[:-2], PARAMS.index(key[-1])))
        if c is None:
            raise ValueError(f"template refers to unknown {what} column {key!r}")
        return c

    def column(self, key, param):
        return self._find(self.steps, key, param, "step")

    def _hyper(self, name):
        return self.opt.defined_name(name)

    def step_format(self, template: str, param: int | None) -> str:
        """The template as a str.format pattern over r (this row), rp (previous row), dr (data
        row), er / erp (this / previous epoch's row in the epoch table): resolved once per column."""
        def sub(m):
            scope, scope_prev, name, prev = m.groups()
            if scope == "ep":
                c = self._find(self.epochs, name, param, "epoch")
                return f"${c.letter}${{{'erp' if scope_prev else 'er'}}}"
            if scope:
                raise ValueError(f"{{{scope}:...}} is only valid in epoch-table templates")
            if name in self.hypers and not prev:
                return self._hyper(name)
            if name == "data_x":
                return f"{DATA_SHEET}!$A${{dr}}"
            if name == "data_y":
                return f"{DATA_SHEET}!$B${{dr}}"
            c = self.column(name, param)
            return f"{c.letter}{{{'rp' if prev else 'r'}}}"

        out, last = [], 0
        for m in PLACEHOLDER.finditer(template):
            out.append(template[last:m.start()].replace("{", "{{").replace("}", "}}"))
            out.append(sub(m))
            last = m.end()
        out.append(template[last:].replace("{", "{{").replace("}", "}}"))
        return "=" + "".join(out)

    def epoch_formula(self, template: str, epoch: int, param: int | None) -> str:
        first, last = step_row((epoch - 1) * self.n + 1), step_row(epoch * self.n)

        def sub(m):
            scope, scope_prev, name, prev = m.groups()
            if scope in ("rows", "first", "last"):
                c = self.column(name, param)
                if scope == "rows":
                    return f"{c.letter}{first}:{c.letter}{last}"
                return f"{c.letter}{first if scope == 'first' else last}"
            if scope:
                raise ValueError(f"{{{scope}:...}} is not valid in an epoch-table template")
            if name in self.hypers and not prev:
                return self._hyper(name)
            c = self._find(self.epochs, name, param, "epoch")
            return f"{c.letter}{epoch_row(epoch - 1 if prev else epoch)}"

        return "=" + PLACEHOLDER.sub(sub, template)


def _start_value(opt: Optimizer, init):
    if isinstance(init, str):
        return "=" + PLACEHOLDER.sub(lambda m: opt.defined_name(m.group(3)), init)
    return float(init)


def optimizer_sheet(opt: Optimizer, hp: dict, n: int, epochs: int) -> tuple[Sheet, dict[str, str]]:
    cols = table_columns(opt)
    ecols = epoch_columns(opt, cols[-1].col + 2)
    res = _Resolver(opt, cols, ecols, n)
    sh = Sheet(opt.name)
    names = {}
    sh.put(1, 1, Cell(opt.title, "title"))
    sh.put(2, 1, Cell(opt.summary, "text"))
    sh.put(3, 1, Cell("With the default settings: " + opt.lesson, "note"))
    sh.put(HYPER_NAME_ROW, 1, Cell("hyperparameter", "label"))
    sh.put(HYPER_VALUE_ROW, 1, Cell("value (edit me)", "label"))
    for i, h in enumerate(opt.hypers):
        row, col = hyper_spot(i)
        sh.put(HYPER_NAME_ROW, col, Cell(h.name, "label", comment=f"{h.name}: {h.meaning}. Valid: {h.range_text}."))
        sh.put(row, col, Cell(hp[h.name], "input", number_format=h.number_format,
                              comment=f"{h.meaning}. Valid range {h.range_text}. "
                                      f"Named cell {opt.defined_name(h.name)}: formulas use this name."))
        names[opt.defined_name(h.name)] = f"{opt.name}!${col_letter(col)}${row}"
    sh.put(EQUATION_ROW, 1, Cell("update rule", "label"))
    sh.put(EQUATION_ROW, 2, Cell("   ·   ".join(opt.equations), "text"))

    for c in cols:
        sh.put(HEADER_ROW, c.col, Cell(c.header, "header", comment=c.meaning))
    last = cols[-1].col
    # step 0: the starting state
    sh.put(START_ROW, 1, Cell(0, "start"))
    sh.put(START_ROW, 2, Cell("start", "start"))
    state_init = {c.key: c.init for c in opt.columns if c.init is not None}
    for c in cols:
        if c.key == "new":
            sh.put(START_ROW, c.col, Cell("=start_a" if c.param == 0 else "=start_b", "start", "0.0000"))
        elif c.key in state_init:
            sh.put(START_ROW, c.col, Cell(_start_value(opt, state_init[c.key]), "start"))
    patterns: list[str] = ["" if c.template is None else res.step_format(c.template, c.param) for c in cols]
    # the optimizer's own columns span many orders of magnitude (v ~ 1e5, m ~ 1e-3): scientific
    fmts = [None if c.key in ("t", "epoch") else NUM_FMT.get(c.key, "0.000E+00") for c in cols]
    while len(sh.rows) < START_ROW:
        sh.rows.append([])
    # a column whose pattern only moves with the row repeats the first step's formula (a shared
    # formula): the engine then compiles it once instead of reading every row's text
    relative_only = [bool(pat) and not any(f in pat for f in ("{dr}", "{er}", "{erp}")) for pat in patterns]
    steps = range(1, n * epochs + 1)
    columns = []  # built column by column, then zipped into rows
    for c, pat, fmt, rel in zip(cols, patterns, fmts, relative_only):
        vals: list[Any]
        if c.key == "t":
            vals = list(steps)
        elif c.key == "epoch":
            vals = [(step - 1) // n + 1 for step in steps]
        elif rel:
            vals = [pat.format_map({"r": START_ROW + step, "rp": START_ROW + step - 1}) for step in steps]
        else:
            vals = [pat.format_map(dict(r=START_ROW + step, rp=START_ROW + step - 1, dr=DataSheet.first_row + (step - 1) % n,
                                        er=epoch_row((step - 1) // n + 1), erp=epoch_row((step - 1) // n)))
                    for step in steps]
        if rel:
            shared = (FIRST_STEP_ROW, c.col)
            vals = [Cell(vals[0], number_format=fmt) if fmt else vals[0]] + [
                Cell(v, number_format=fmt, shared=shared) for v in vals[1:]]
        elif fmt:
            vals = [Cell(v, number_format=fmt) for v in vals]
        columns.append(vals)
    sh.rows.extend(map(list, zip(*columns)))
    last_row = step_row(n * epochs)
    if ecols:
        _epoch_table(sh, opt, res, ecols, epochs)
        last = ecols[-1].col
    side = last + 2
    _side_panel(sh, opt, side)
    sh.freeze = f"C{START_ROW}"
    sh.heights[HEADER_ROW] = 46  # three lines of a wrapped header
    sh.widths.update({col_letter(c.col): (7 if c.key in ("t", "epoch", "x", "y") else 12) for c in cols})
    sh.widths["A"] = 16
    sh.widths[col_letter(side)] = 14
    loss_col = res.column("loss", None)
    sh.highlights.append(Highlight(
        f"{loss_col.letter}{FIRST_STEP_ROW}:{col_letter(last)}{last_row}",
        f"OR(ISERROR({loss_col.letter}{FIRST_STEP_ROW}),ABS({loss_col.letter}{FIRST_STEP_ROW})>1E6)"))
    x_col = 1
    sh.charts.append(Chart(
        f"{opt.name}: loss per step (log scale)", f"{col_letter(side)}{HEADER_ROW + 12}",
        [Series("loss", loss_col.col, x_col, FIRST_STEP_ROW, last_row)], y_title="loss", log_y=True))
    na, nb = res.column("new", 0), res.column("new", 1)
    sh.charts.append(Chart(
        f"{opt.name}: a and b per step (true a = {TRUE_A:g}, b = {TRUE_B:g})", f"{col_letter(side)}{HEADER_ROW + 30}",
        [Series("a", na.col, x_col, FIRST_STEP_ROW, last_row), Series("b", nb.col, x_col, FIRST_STEP_ROW, last_row)],
        y_title="value"))
    return sh, names


def _epoch_table(sh: Sheet, opt: Optimizer, res: _Resolver, ecols: list[TableColumn], epochs: int) -> None:
    einit = {c.key: c.init for c in opt.epoch_columns}
    for c in ecols:
        sh.put(HEADER_ROW, c.col, Cell(c.header, "header", comment=c.meaning))
        if c.key == "epoch_no":
            sh.put(START_ROW, c.col, Cell(0, "start"))
        elif einit.get(c.key) is not None:
            sh.put(START_ROW, c.col, Cell(_start_value(opt, einit[c.key]), "start"))
    for k in range(1, epochs + 1):
        row = epoch_row(k)
        for c in ecols:
            value = k if c.key == "epoch_no" else Cell(res.epoch_formula(c.template or "", k, c.param), "result")
            sh.put(row, c.col, value)
    for c in ecols:
        sh.widths[c.letter] = 12


def _side_panel(sh: Sheet, opt: Optimizer, col: int) -> None:
    lines = [("How this sheet works", "label"),
             ("One row = one step on one sample; epochs repeat the data.", None),
             ("Each row's a, b are the previous row's new a, new b (row 'start' = step 0).", None),
             ("Yellow cells are hyperparameters: change one and every row recalculates.", None),
             ("Hover a column header for its equation.", None),
             ("", None), ("Update rule", "label")]
    lines += [(e, None) for e in opt.equations]
    if opt.torch:
        lines += [("", None), (f"Same as torch.optim.{opt.torch} (checked by the tests).", "note")]
    for i, (text, style) in enumerate(lines):
        sh.put(HEADER_ROW + i, col, Cell(text, style or "text"))


def read_hypers(read, opt: Optimizer) -> dict[str, float]:
    """The hyperparameters as the optimizer's sheet holds them, each checked against its range.
    read(sheet, addr): the cell's evaluated value."""
    hp = {}
    for i, h in enumerate(opt.hypers):
        addr = hyper_spot(i).addr
        hp[h.name] = h.check(read(opt.name, addr), where=f"{opt.name}!{addr}")
    if opt.check_fn:
        opt.check_fn(hp)
    return hp
