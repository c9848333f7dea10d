"""Where everything is on the workbook's sheets, declared once.

The sheet builders write their cells at these places and verify's numpy mirror reads the same
places back, so moving a block is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass

from graddesc.optimizers import Optimizer
from graddesc.problem import NUMERIC_STEP
from graddesc.xlsx.model import col_letter

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


# ------------------------------------------------------------------------- teaching sheets' names
INTRO = "intro"
COMPARE = "compare"
SPARSE = "sparse"
GLOBAL = "global_min"
