"""Where everything is on the workbook's sheets, declared once.

The sheet builders write their cells at these places and verify's numpy mirror reads the same
places back, so moving a block is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

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
    if opt.numerical_gradient:
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


def table_column(opt: Optimizer, key: str, param: int | None) -> TableColumn:
    """The step-table column of opt holding `key` (for parameter `param`: 0 a, 1 b, None shared)."""
    for c in table_columns(opt):
        if c.key == key and c.param == param:
            return c
    raise ValueError(f"{opt.name} has no column {key}/{param}")


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


# ---------------------------------------------------------------------------- building blocks

class Spot(NamedTuple):
    """One named cell."""

    row: int
    col: int

    @property
    def addr(self) -> str:
        return f"{col_letter(self.col)}{self.row}"


class Block:
    """Adjacent named columns from sheet column `first`; a name may span several columns (one per
    parameter): Block(6, err=1, g=3) puts err in F and g in G, H, I."""

    def __init__(self, first: int, **widths: int):
        self.first = first
        self._at: dict[str, tuple[int, int]] = {}
        col = first
        for name, width in widths.items():
            self._at[name] = (col, width)
            col += width
        self.end = col  # the first column after the block

    def col(self, name: str, i: int = 0) -> int:
        start, width = self._at[name]
        if not 0 <= i < width:
            raise IndexError(f"column {name}[{i}]: it spans {width}")
        return start + i

    def letter(self, name: str, i: int = 0) -> str:
        return col_letter(self.col(name, i))

    def width(self, name: str) -> int:
        return self._at[name][1]


class Settings(NamedTuple):
    """Named input cells one per row from `first_row`: label in A, value in B, note in C."""

    first_row: int
    names: tuple[str, ...]

    def row(self, name: str) -> int:
        return self.first_row + self.names.index(name)

    def addr(self, name: str) -> str:
        return f"B{self.row(name)}"

    @property
    def next_row(self) -> int:
        return self.first_row + len(self.names)


# -------------------------------------------------------------------------------------- data

class DataSheet:
    """The samples in A:B from row 2, the named start and true values in E (labels D, notes F)."""

    samples = Block(1, x=1, y=1)
    head_row = 1
    first_row = 2
    named = {"start_a": Spot(1, 5), "start_b": Spot(2, 5), "true_a": Spot(3, 5), "true_b": Spot(4, 5)}
    notes_row = 6  # where the data come from; then how to edit them


def hyper_spot(i: int) -> Spot:
    """The value cell of an optimizer sheet's i-th hyperparameter (its name is the row above)."""
    return Spot(HYPER_VALUE_ROW, 2 + i)


# ------------------------------------------------------------------------------------- intro
INTRO = "intro"

# ----------------------------------------------------------------------------------- compare
COMPARE = "compare"


class CompareColumns(NamedTuple):
    """The compare sheet's columns for a list of optimizers."""

    opt: dict[str, int]  # summary and epoch table: one column per optimizer from B
    step: int  # the step number of the per-step helpers
    eff: dict[str, int]  # effective lr per step: adagrad_a, adagrad_b, rmsprop_a, rmsprop_b (if both are there)
    within: dict[str, int]  # per optimizer: the step number when it is within compare_tol, else ""


class Compare:
    """Rows of the compare sheet; its columns depend on the optimizers (columns())."""

    tol = Spot(9, 2)  # compare_tol: label in A, value in B, note in C
    head_row = 11  # optimizer names (links); the numpy mirror reads them back
    final_a, final_b, last_loss, first_within = 12, 13, 14, 15
    table_head = 42
    table_row = 43  # epoch 1 (mean losses) and step 1 (per-step helpers)
    loss_chart, eff_chart = Spot(17, 1), Spot(17, 11)  # top-left corners
    label_col = 1  # row labels; the epoch number in the table
    first_opt = 2  # the first optimizer's column (summary and epoch table)

    @staticmethod
    def columns(names: list[str]) -> CompareColumns:
        """Epoch table B.. (one column per optimizer), a gap, then the per-step helpers."""
        opt = {name: Compare.first_opt + i for i, name in enumerate(names)}
        step = Compare.first_opt + len(names) + 1
        col = step + 1
        eff = {}
        if "adagrad" in names and "rmsprop" in names:
            for key in ("adagrad_a", "adagrad_b", "rmsprop_a", "rmsprop_b"):
                eff[key] = col
                col += 1
        within = {}
        for name in names:
            within[name] = col
            col += 1
        return CompareColumns(opt, step, eff, within)

    @staticmethod
    def table(k: int) -> int:
        """Row of epoch k (mean losses) or of step k (helpers), 1-based."""
        return Compare.table_row + k - 1


# ------------------------------------------------------------------------------------ sparse
SPARSE = "sparse"


class Sparse:
    """y = a*x + c*z + b: settings, a summary row per parameter, the step table, the data."""

    params = ("a", "c", "b")  # order of the parameters in every block; features x, z, 1
    settings = Settings(12, ("sparse_sgd_lr", "sparse_adagrad_lr", "sparse_eps", "sparse_init_acc",
                             "sparse_start_a", "sparse_start_c", "sparse_start_b"))
    summary_head = 20  # one row per parameter below it
    summary = Block(1, param=1, feature=1, true=1, sgd_final=1, ada_final=1, nonzero=1, sum=1, mean=1, eff=1,
                    eff_ratio=1)
    eff_chart, c_chart = Spot(25, 1), Spot(25, 6)  # top-left corners
    head = 47  # column headers; block titles on the row above
    start = 48  # step 0 (step t is start + t) and data sample 1 (sample i is start + i - 1)
    steps = Block(1, t=1, epoch=1, x=1, z=1, y=1)
    sgd = Block(steps.end, err=1, g=3, p=3)
    ada = Block(sgd.end, err=1, g=3, sum=3, eff=3, p=3, nz=3)
    data = Block(30, sample=1, x=1, z=1, y=1)

    @staticmethod
    def summary_row(param: str) -> int:
        return Sparse.summary_head + 1 + Sparse.params.index(param)


# -------------------------------------------------------------------------------- global_min
GLOBAL = "global_min"


class GlobalMin:
    """Momentum from several starts and simulated annealing on one f(w)."""

    runs = 6  # momentum runs (starts); the annealing run comes after them
    sgdr_link = Spot(9, 14)  # link to the adam_sgdr sheet, beside the text that mentions it
    settings = Settings(11, ("gm_lr", "gm_momentum", "gm_sa_start", "gm_sa_t0", "gm_sa_cooling", "gm_sa_step"))
    summary_head = 19
    start_w, end_w, end_f, slope, curv, best, gap, wall = range(20, 28)  # summary rows
    best_f, best_w = Spot(29, 2), Spot(30, 2)
    summary = Block(2, run=runs + 1)  # one column per run; the last is annealing
    f_chart, w_chart = Spot(32, 1), Spot(32, 10)  # top-left corners
    head = 55  # column headers; block titles on the row above
    start = 56  # step 0 (step t is start + t), and the first grid point
    t_col = 1
    momentum = tuple(Block(2 + 4 * j, g=1, v=1, w=1, f=1) for j in range(runs))
    sa = Block(momentum[-1].end + 1, u=1, r=1, T=1, prop=1, fprop=1, accept=1, w=1, f=1, best_w=1, best_f=1)
    grid = Block(sa.end + 1, w=1, f=1, wall=runs + 1)  # f on a grid; per run the f between its end and the best
    marks = Block(grid.end + 1, w=1, line=1)  # chart helper: a vertical line at each run's end
