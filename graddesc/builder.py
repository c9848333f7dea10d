"""Lay out the workbook: a data sheet and one sheet per optimizer, every update a live formula.

The layout (which column holds what) is computed here once and used both to write the workbook
and, by verify, to find the cells that correspond to each numpy quantity.
"""

from __future__ import annotations

from dataclasses import dataclass

from graddesc.errors import InputError
from graddesc.optimizers import REGISTRY, Optimizer
from graddesc.optimizers.base import PLACEHOLDER
from graddesc.problem import INIT_A, INIT_B, NUMERIC_STEP, TRUE_A, TRUE_B, Data
from graddesc.trajectory import check_epochs
from graddesc.xlsx.model import Cell, Chart, Highlight, Series, Sheet, Workbook, col_letter

DATA_SHEET = "data"
HYPER_NAME_ROW = 4
HYPER_VALUE_ROW = 5
EQUATION_ROW = 6
HEADER_ROW = 8
START_ROW = 9  # "step 0": the starting state every first step reads as its previous row
FIRST_STEP_ROW = 10
MAX_ROWS = 1_048_576
PARAMS = ("a", "b")
NUM_FMT = {"x": "0", "y": "0", "p": "0.0000", "pred": "0.000", "loss": "0.000", "num_grad": "0.000", "g": "0.000",
           "grad": "0.000", "new": "0.0000"}


@dataclass(frozen=True)
class TableColumn:
    """One column of an optimizer's step table."""

    col: int
    key: str  # x y a b pred loss grad num_grad new, or an optimizer column key
    param: int | None  # 0: a, 1: b, None: not per parameter
    header: str
    meaning: str
    template: str | None  # formula template (placeholders resolved per row); None: constant

    @property
    def letter(self) -> str:
        return col_letter(self.col)


def table_columns(opt: Optimizer) -> list[TableColumn]:
    """The step table of an optimizer sheet, left to right; every column feeds only later ones."""
    cols: list[TableColumn] = []

    def add(key, param, header, meaning, template):
        cols.append(TableColumn(len(cols) + 1, key, param, header, meaning, template))

    add("t", None, "step t", "step counter: 1 on the first step", None)
    add("epoch", None, "epoch", "one epoch = one pass over the data", None)
    add("x", None, "x", "x of this step's sample (data sheet)", "{data_x}")
    add("y", None, "y", "y of this step's sample (data sheet)", "{data_y}")
    add("p", 0, "a", "a before this step = new a of the previous row", "{new.prev}")
    add("p", 1, "b", "b before this step = new b of the previous row", "{new.prev}")
    add("pred", None, "prediction", "prediction = a*x + b", "{p_a}*{x}+{p_b}")
    add("loss", None, "loss", "loss e = (prediction - y)^2", "({pred}-{y})*({pred}-{y})")
    add("grad", 1, "de/db", "de/db = 2*(prediction - y)", "2*({pred}-{y})")
    add("grad", 0, "de/da", "de/da = x * de/db", "{x}*{grad_b}")
    if opt.name == "sgd":
        h = repr(NUMERIC_STEP)
        add("num_grad", 1, f"de/db numerical (h={h})",
            f"(e(a, b+h) - e(a, b)) / h with h = {h}: close to de/db, not equal (h is finite)",
            f"(({{p_a}}*{{x}}+({{p_b}}+{h})-{{y}})^2-{{loss}})/{h}")
        add("num_grad", 0, f"de/da numerical (h={h})",
            f"(e(a+h, b) - e(a, b)) / h with h = {h}",
            f"((({{p_a}}+{h})*{{x}}+{{p_b}}-{{y}})^2-{{loss}})/{h}")
    for c in opt.columns:
        if c.shared:
            add(c.key, None, c.header, c.meaning, c.formula)
        else:
            for i, p in enumerate(PARAMS):
                add(c.key, i, f"{c.header} ({p})", c.meaning, c.formula)
    for i, p in enumerate(PARAMS):
        add("new", i, f"new {p}", "new value = " + opt.equations[-1].split("<-", 1)[-1].strip(), opt.update)
    return cols


def step_row(step: int) -> int:
    """Sheet row of step t (1-based); the start row is step 0."""
    return START_ROW + step


def epoch_columns(opt: Optimizer, first_col: int) -> list[TableColumn]:
    """The per-epoch table (epoch label, then its columns), starting at sheet column first_col."""
    if not opt.epoch_columns:
        return []
    cols = [TableColumn(first_col, "epoch_no", None, "epoch", "epoch k: its row sums up that epoch's steps", None)]
    for c in opt.epoch_columns:
        for param in ([None] if c.shared else [0, 1]):
            header = c.header if param is None else f"{c.header} ({PARAMS[param]})"
            cols.append(TableColumn(first_col + len(cols), c.key, param, header, c.meaning, c.formula))
    return cols


def epoch_row(epoch: int) -> int:
    """Sheet row of epoch k in the epoch table; epoch 0 (the starting row) shares the start row."""
    return START_ROW + epoch


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

    def step_formula(self, template: str, row: int, param: int | None, data_row: int, epoch: int) -> str:
        return self.step_format(template, param).format(
            r=row, rp=row - 1, dr=data_row, er=epoch_row(epoch), erp=epoch_row(epoch - 1))

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
        col = 2 + i
        sh.put(HYPER_NAME_ROW, col, Cell(h.name, "label", comment=f"{h.name}: {h.meaning}. Valid: {h.range_text}."))
        sh.put(HYPER_VALUE_ROW, col, Cell(hp[h.name], "input", number_format=h.number_format,
                                          comment=f"{h.meaning}. Valid range {h.range_text}. "
                                                  f"Named cell {opt.defined_name(h.name)}: formulas use this name."))
        names[opt.defined_name(h.name)] = f"{opt.name}!${col_letter(col)}${HYPER_VALUE_ROW}"
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
    patterns = [None if c.template is None else res.step_format(c.template, c.param) for c in cols]
    # the optimizer's own columns span many orders of magnitude (v ~ 1e5, m ~ 1e-3): scientific
    fmts = [None if c.key in ("t", "epoch") else NUM_FMT.get(c.key, "0.000E+00") for c in cols]
    while len(sh.rows) < START_ROW:
        sh.rows.append([])
    # a column whose pattern only moves with the row repeats the first step's formula (a shared
    # formula): the engine then compiles it once instead of reading every row's text
    relative_only = [pat is not None and not any(f in pat for f in ("{dr}", "{er}", "{erp}")) for pat in patterns]
    steps = range(1, n * epochs + 1)
    columns = []  # built column by column, then zipped into rows
    for c, pat, fmt, rel in zip(cols, patterns, fmts, relative_only):
        if c.key == "t":
            vals = list(steps)
        elif c.key == "epoch":
            vals = [(step - 1) // n + 1 for step in steps]
        elif rel:
            vals = [pat.format_map({"r": START_ROW + step, "rp": START_ROW + step - 1}) for step in steps]
        else:
            vals = [pat.format_map(dict(r=START_ROW + step, rp=START_ROW + step - 1, dr=2 + (step - 1) % n,
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
            value = k if c.key == "epoch_no" else Cell(res.epoch_formula(c.template, k, c.param), "result")
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


def build(data: Data, epochs: int = 20, overrides: dict | None = None, optimizers=None,
          seed_note: str = "") -> Workbook:
    """The workbook model. overrides: {optimizer: {hyper: value}}."""
    check_epochs(epochs)
    n = len(data)
    if step_row(n * epochs) > MAX_ROWS:
        raise InputError(f"{n} samples x {epochs} epochs = {n * epochs} rows: more than a sheet holds "
                         f"({MAX_ROWS - FIRST_STEP_ROW + 1} steps)")
    overrides = overrides or {}
    for name in overrides:
        if name not in REGISTRY:
            raise InputError(f"unknown optimizer {name!r} in --set (known: {', '.join(REGISTRY)})")
    from graddesc import teaching  # teaching builds on this module's layout

    if teaching.compare_last_row(n * epochs) > MAX_ROWS:
        raise InputError(f"{n} samples x {epochs} epochs = {n * epochs} steps: the compare sheet's per-step "
                         f"columns would not fit in a sheet ({MAX_ROWS} rows)")
    opts = [REGISTRY[k] for k in (optimizers or REGISTRY)]
    sheets, names = [teaching.intro_sheet(opts, n, epochs)], {}
    dsh, dnames = data_sheet(data, seed_note)
    sheets.append(dsh)
    names.update(dnames)
    for opt in opts:
        hp = opt.resolve(overrides.get(opt.name, {}), where=opt.name)
        sh, nm = optimizer_sheet(opt, hp, n, epochs)
        sheets.append(sh)
        names.update(nm)
    for sh, nm in (teaching.compare_sheet(opts, n, epochs), teaching.sparse_sheet(), teaching.global_min_sheet(opts)):
        sheets.append(sh)
        names.update(nm)
    return Workbook(sheets, names, title="graddesc: gradient descent optimizers as live formulas",
                    description="Generated by graddesc build; verify with graddesc verify.")
