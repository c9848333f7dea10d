"""The teaching sheets around the optimizer sheets, and numpy's value of each of their formulas.

    intro       what the workbook is, how to read and change it, a linked table of contents
    compare     every optimizer from the same start: mean loss per epoch, final a and b, the first
                step within a tolerance of the true a, b; Adagrad's vs RMSProp's effective lr
    sparse      y = a*x + c*z + b with z rarely non-zero: SGD and Adagrad side by side, the
                accumulated g^2 and effective lr per parameter (what "infrequent" means)
    global_min  f(w) = w^2/10 + 3*sin(w): momentum from six starts, best of N, how local each
                minimum is; simulated annealing from one start

`expected_cells(read)` gives numpy's value of every numeric formula cell of the last three sheets,
computed from the maths (graddesc.trajectory.run and the loops below), never from the formula
text; `expected_text(read)` gives the formula cells whose result is text ("" or "not reached").
`read(sheet, addr)` returns the evaluated value of an input cell, so a user's edits are honoured.
"""

from __future__ import annotations

import math
import re

import numpy as np

from graddesc import builder
from graddesc.errors import InputError
from graddesc.optimizers import REGISTRY, Optimizer
from graddesc.problem import Data
from graddesc.trajectory import run
from graddesc.xlsx.model import Cell, Chart, Highlight, Series, Sheet, col_letter

INTRO = "intro"
COMPARE = "compare"
SPARSE = "sparse"
GLOBAL = "global_min"
SHEETS = (COMPARE, SPARSE, GLOBAL)  # the sheets expected_cells covers


def _q(sheet: str) -> str:
    """A sheet name as a formula prefix, quoted when it must be."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet) and not re.fullmatch(r"[A-Za-z]{1,3}[0-9]+", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def _link(sheet: str) -> str:
    return "#'" + sheet.replace("'", "''") + "'!A1"


def _text(sh: Sheet, row: int, lines, col: int = 1) -> int:
    """Write (text, style) lines from `row` down; returns the next free row."""
    for item in lines:
        text, style = (item, "text") if isinstance(item, str) else item
        if text:
            sh.put(row, col, Cell(text, style))
        row += 1
    return row


def _num(v, where: str) -> float:
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    raise InputError(f"{where} must be a number, got {v!r}")


# --------------------------------------------------------------------------------------- intro

def intro_sheet(opts: list[Optimizer], n: int, epochs: int) -> Sheet:
    sh = Sheet(INTRO)
    sh.put(1, 1, Cell("graddesc: gradient descent, one step per row, as live formulas", "title"))
    sh.tab_color = "1F3864"
    names = {o.name for o in opts}
    lines = [
        (f"Each optimizer sheet fits a line y = a*x + b to the {n} points of the data sheet by gradient descent:", "text"),
        (f"one sample per step, {epochs} {'pass (epoch)' if epochs == 1 else 'passes (epochs)'} over the data.", "text"),
        ("Every number is a live formula: change an input (a yellow cell) and the whole workbook recalculates.",
         "text"),
        "",
        ("The idea in one paragraph", "label"),
        "The loss e = (a*x + b - y)^2 says how wrong the line is on one sample. Its slope (the gradient de/da, de/db)",
        "says which way is uphill for a and for b. Gradient descent takes a small step the other way: new a = a - lr * de/da.",
        "Repeat, and a and b slide down to the bottom of the loss valley, where the line fits the data (true a = 2, b = 30).",
        "The optimizers differ only in how they turn the slope into a step: momentum keeps a running velocity;",
        "Adagrad, RMSProp and Adam divide by the typical size of each parameter's gradient, so each parameter gets its own step.",
        "",
        ("How to read an optimizer sheet", "label"),
        f"Row {builder.HYPER_VALUE_ROW} (yellow): the hyperparameters. They are named cells (e.g. adam_lr): every formula uses the name.",
        f"From row {builder.START_ROW} down: one row = one step on one sample. The row marked 'start' is step 0.",
        "Left to right each column feeds only later ones: x, y (this step's sample) -> a, b (the previous row's new a, new b)",
        "   -> prediction -> loss -> gradients de/db, de/da -> the optimizer's own columns -> new a, new b.",
        "Hover over a column header for its formula in words. Red cells: the run diverged (above 1E6, or an error).",
        "",
        ("How to experiment", "label"),
        "Change a yellow cell and watch the charts: e.g. sgd_lr on the sgd sheet from 0.0001 to 0.0002: b climbs faster;",
        "   at 0.0003 the run diverges within 20 epochs (red cells). Put it back to 0.0001.",
        "start_a, start_b on the data sheet: where every optimizer starts. x and y on the data sheet: the data itself.",
        "The compare sheet shows every optimizer side by side; its tolerance compare_tol is yours to change too.",
        "",
        ("How the numbers are checked", "label"),
        "graddesc verify evaluates every formula with graddesc's own formula engine and compares it, cell by cell, with the",
        "   same optimizer written in numpy from the maths (not from the formulas). graddesc verify --libreoffice has",
        "   LibreOffice recalculate the file as an independent witness. The tests also check each numpy optimizer against",
        "   torch.optim, step by step (torch parity).",
        "",
    ]
    row = _text(sh, 2, lines)
    sh.put(row, 1, Cell("Sheets", "label"))
    row += 1
    sh.put(row, 1, Cell("sheet", "header"))
    sh.put(row, 2, Cell("what it shows", "header"))
    row += 1
    toc = [(builder.DATA_SHEET, "the data (x, y), start_a, start_b and the true a, b: every optimizer sheet reads them")]
    for o in opts:
        label = f" ({o.label})" if o.label and o.label not in o.title else ""
        toc.append((o.name, o.title + label))
    toc += [(COMPARE, "all optimizers from the same start: loss per epoch, final a and b, first step within a tolerance"),
            (SPARSE, "a rarely non-zero feature: why Adagrad gives rarely-updated parameters larger steps"),
            (GLOBAL, "several local minima: many starts, best of N, how local a minimum is, simulated annealing")]
    for name, what in toc:
        sh.put(row, 1, Cell(name, "link", link=_link(name)))
        sh.put(row, 2, Cell(what, "text"))
        row += 1
    row += 1
    sh.put(row, 1, Cell("Questions this workbook answers", "label"))
    row += 1
    sh.put(row, 1, Cell("sheet", "header"))
    sh.put(row, 2, Cell("question", "header"))
    row += 1
    qs = [(SPARSE, "Adagrad gives 'larger updates to infrequent parameters': what does infrequent mean?"),
          (SPARSE, "Big gradients get the learning rate shrunk most, but big gradients mean far from the optimum: "
                   "why slow down there?"),
          (COMPARE, "Why prefer RMSProp over Adagrad (or Adadelta)?"),
          (INTRO, "Is there a simple explanation of the technique? (the paragraph at the top of this sheet)"),
          (GLOBAL, "Can a method search for the global minimum, or tell how local a local minimum is?")]
    if "adam_sgdr" in names:
        qs.append(("adam_sgdr", "Warm restarts (SGDR): a learning rate that jumps back up to escape narrow valleys"))
    for name, q in qs:
        sh.put(row, 1, Cell(name, "link", link=_link(name)))
        sh.put(row, 2, Cell(q, "text"))
        row += 1
    sh.widths = {"A": 14, "B": 100}
    return sh


# ------------------------------------------------------------------------------------- compare

CMP_TOL_ROW = 9
CMP_HEAD_ROW = 11  # optimizer names (links); expected_cells reads them back
CMP_FINAL_A, CMP_FINAL_B, CMP_LAST_LOSS, CMP_FIRST = 12, 13, 14, 15
CMP_CHART_ROW = 17
CMP_TABLE_HEAD = 42
CMP_TABLE_ROW = 43  # epoch 1 / step 1
DEFAULT_TOL = 0.5


def compare_last_row(steps: int) -> int:
    return CMP_TABLE_ROW + steps - 1


def _cmp_layout(opts, n, epochs):
    """Columns of the compare sheet: epoch table B.., then (gap) the per-step helpers."""
    k = len(opts)
    step_col = 2 + k + 1
    col = step_col + 1
    eff = {}
    if "adagrad" in {o.name for o in opts} and "rmsprop" in {o.name for o in opts}:
        for key in ("adagrad_a", "adagrad_b", "rmsprop_a", "rmsprop_b"):
            eff[key] = col
            col += 1
    within = {}
    for o in opts:
        within[o.name] = col
        col += 1
    return step_col, eff, within


def _col_of(opt, key, param):
    for c in builder.table_columns(opt):
        if c.key == key and c.param == param:
            return c
    raise ValueError(f"{opt.name} has no column {key}/{param}")


def compare_sheet(opts: list[Optimizer], n: int, epochs: int) -> tuple[Sheet, dict[str, str]]:
    sh = Sheet(COMPARE)
    steps = n * epochs
    last = builder.step_row(steps)
    step_col, eff, within = _cmp_layout(opts, n, epochs)
    sh.put(1, 1, Cell("Compare: every optimizer from the same start (start_a, start_b on the data sheet)", "title"))
    _text(sh, 2, [
        "Mean loss of each epoch, final a and b, and the first step at which both are within compare_tol of the true a, b: "
        "all formulas over the optimizer sheets, so a change there shows here.",
        ("Why prefer RMSProp over Adagrad (or Adadelta)?", "label"),
        "Adagrad divides by the square root of the SUM of all past g^2: the sum only grows, so its effective lr only falls. When "
        "gradients stay large for long (noisy mini-batches, deep networks) the steps shrink towards 0 before the optimum is reached.",
        "RMSProp divides by a moving AVERAGE of recent g^2 (alpha): old gradients are forgotten, the step stays about lr in size. "
        "Chart on the right: Adagrad's effective lr (from its sheet) vs RMSProp's lr/denominator, per step.",
        "Here the data are exact, the gradients die out, Adagrad's sum stops growing and Adagrad does well; RMSProp's step never "
        "shrinks by itself, so it jitters around the optimum (lower rmsprop_lr, or a schedule, fixes that).",
        "Adadelta replaces lr by a moving RMS of past updates (no lr to tune) but starts very slowly and needs one more state "
        "per parameter; RMSProp (or Adam = RMSProp + momentum) is the simpler, usual choice."
        + (" Compare with the adadelta sheet." if "adadelta" in {o.name for o in opts} else ""),
    ])
    sh.put(CMP_TOL_ROW, 1, Cell("tolerance", "label"))
    sh.put(CMP_TOL_ROW, 2, Cell(DEFAULT_TOL, "input", comment="compare_tol: a run counts as arrived when |a - true a| "
                                                                "and |b - true b| are both below it. Edit me."))
    sh.put(CMP_TOL_ROW, 3, Cell("compare_tol (edit me): 'arrived' = |a - true_a| < compare_tol and |b - true_b| < compare_tol",
                                "note"))
    names = {"compare_tol": f"{COMPARE}!$B${CMP_TOL_ROW}"}
    sh.put(CMP_HEAD_ROW, 1, Cell("optimizer", "header"))
    labels = {CMP_FINAL_A: "final a", CMP_FINAL_B: "final b", CMP_LAST_LOSS: "mean loss, last epoch",
              CMP_FIRST: "first step within tol"}
    for r, text in labels.items():
        sh.put(r, 1, Cell(text, "label"))
    sh.put(CMP_TABLE_HEAD, 1, Cell("epoch", "header"))
    for k in range(1, epochs + 1):
        sh.put(CMP_TABLE_ROW + k - 1, 1, k)
    series = []
    for i, o in enumerate(opts):
        col = 2 + i
        L = _col_of(o, "loss", None).letter
        na, nb = _col_of(o, "new", 0).letter, _col_of(o, "new", 1).letter
        q = _q(o.name)
        sh.put(CMP_HEAD_ROW, col, Cell(o.name, "link", link=_link(o.name)))
        sh.put(CMP_FINAL_A, col, Cell(f"={q}!{na}{last}", number_format="0.0000"))
        sh.put(CMP_FINAL_B, col, Cell(f"={q}!{nb}{last}", number_format="0.0000"))
        sh.put(CMP_LAST_LOSS, col, Cell(f"={col_letter(col)}{CMP_TABLE_ROW + epochs - 1}", number_format="0.000"))
        wl = col_letter(within[o.name])
        rng = f"{wl}{CMP_TABLE_ROW}:{wl}{CMP_TABLE_ROW + steps - 1}"
        sh.put(CMP_FIRST, col, Cell(f'=IF(COUNT({rng})=0,"not reached",MIN({rng}))', "result"))
        sh.put(CMP_TABLE_HEAD, col, Cell(o.name, "header"))
        for k in range(1, epochs + 1):
            first, lst = builder.step_row((k - 1) * n + 1), builder.step_row(k * n)
            sh.put(CMP_TABLE_ROW + k - 1, col, Cell(f"=AVERAGE({q}!{L}{first}:{L}{lst})", number_format="0.000"))
        series.append(Series(o.name, col, 1, CMP_TABLE_ROW, CMP_TABLE_ROW + epochs - 1))
        # helper: the step number when this row's new a, b are within the tolerance, else ""
        sh.put(CMP_TABLE_HEAD, within[o.name], Cell(f"{o.name} in tol", "header",
                                                    comment="the step number when new a and new b are both within "
                                                            "compare_tol of true_a, true_b; empty otherwise"))
        for t in range(1, steps + 1):
            r = builder.step_row(t)
            sh.put(CMP_TABLE_ROW + t - 1, within[o.name],
                   f'=IF(ISERROR({q}!{na}{r}+{q}!{nb}{r}),"",IF(AND(ABS({q}!{na}{r}-true_a)<compare_tol,'
                   f'ABS({q}!{nb}{r}-true_b)<compare_tol),{q}!A{r},""))')
    sh.put(CMP_TABLE_HEAD - 1, 1, Cell("Mean loss of each epoch (= AVERAGE of the loss column over the epoch's rows)",
                                       "label"))
    sh.put(CMP_TABLE_HEAD - 1, step_col, Cell(f"Per step: effective learning rates (Q3 chart), then for each optimizer the "
                                              f"step number if a, b are within tol (row {CMP_FIRST} = MIN of it)", "label"))
    sh.put(CMP_TABLE_HEAD, step_col, Cell("step", "header"))
    for t in range(1, steps + 1):
        sh.put(CMP_TABLE_ROW + t - 1, step_col, t)
    sh.charts.append(Chart("mean loss per epoch (log scale)", f"A{CMP_CHART_ROW}", series,
                           x_title="epoch", y_title="mean loss", log_y=True, width_cm=24, height_cm=11))
    if eff:
        ada, rms = REGISTRY["adagrad"], REGISTRY["rmsprop"]
        heads = {"adagrad_a": "Adagrad a", "adagrad_b": "Adagrad b", "rmsprop_a": "RMSProp a", "rmsprop_b": "RMSProp b"}
        notes = {"adagrad": "Adagrad's effective lr = clr / (sqrt(sum g^2) + eps), from the adagrad sheet",
                 "rmsprop": "RMSProp's lr / denominator (sqrt(v) + eps), from the rmsprop sheet"}
        for key, col in eff.items():
            sh.put(CMP_TABLE_HEAD, col, Cell(heads[key], "header", comment=notes[key.split("_")[0]]))
            p = 0 if key.endswith("_a") else 1
            for t in range(1, steps + 1):
                r = builder.step_row(t)
                if key.startswith("adagrad"):
                    f = f"=adagrad!{_col_of(ada, 'eff_lr', p).letter}{r}"
                else:
                    f = f"={rms.defined_name('lr')}/rmsprop!{_col_of(rms, 'den', p).letter}{r}"
                sh.put(CMP_TABLE_ROW + t - 1, col, Cell(f, number_format="0.00E+00"))
        sh.charts.append(Chart(
            "Q3: effective learning rate per step (log scale)", f"K{CMP_CHART_ROW}",
            [Series(heads[k] + (" (lr/den)" if k.startswith("rms") else " (eff. lr)"), c, step_col, CMP_TABLE_ROW, CMP_TABLE_ROW + steps - 1) for k, c in eff.items()],
            y_title="lr per unit of gradient", log_y=True, width_cm=16, height_cm=11))
    sh.widths = {"A": 22}
    for i in range(len(opts)):
        sh.widths[col_letter(2 + i)] = 15
    for col in list(eff.values()) + list(within.values()):
        sh.widths[col_letter(col)] = 16
    sh.freeze = None
    return sh, names


# -------------------------------------------------------------------------------------- sparse

def _settings(sh: Sheet, sheet: str, row: int, items) -> dict[str, str]:
    """Named input cells one per row: label in A, value in B (yellow), what it is in C."""
    names = {}
    for i, (name, label, value, note) in enumerate(items):
        r = row + i
        sh.put(r, 1, Cell(label, "label"))
        sh.put(r, 2, Cell(value, "input", number_format="General", comment=f"named cell {name}: {note}"))
        sh.put(r, 3, Cell(f"{name}: {note}", "note"))
        names[name] = f"{sheet}!$B${r}"
    return names


SP_SEED = 3
SP_N = 20
SP_RARE = 3  # samples with z = 1
SP_EPOCHS = 10
SP_TRUE = (2.0, 5.0, 1.0)  # a, c, b
SP_HYPERS = (("sparse_sgd_lr", "SGD lr", 0.02, "SGD's one learning rate for a, c and b"),
             ("sparse_adagrad_lr", "Adagrad lr", 2.0, "Adagrad's lr (each parameter divides it by sqrt(sum g^2))"),
             ("sparse_eps", "Adagrad eps", 1e-10, "added to sqrt(sum g^2) so it is never 0"),
             ("sparse_init_acc", "Adagrad start sum", 1.0,
              "sum of g^2 at step 0 (torch: initial_accumulator_value); c's effective lr is lr/sqrt(this) "
              "until z is first non-zero"),
             ("sparse_start_a", "start a", 0.0, "a at step 0 (both runs)"),
             ("sparse_start_c", "start c", 0.0, "c at step 0 (both runs)"),
             ("sparse_start_b", "start b", 0.0, "b at step 0 (both runs)"))
SP_SET_ROW = 12
SP_SUM_HEAD = 20
SP_CHART_ROW = 25
SP_HEAD = 47
SP_START = 48
SP_PARAMS = ("a", "c", "b")  # order of the parameters in every block; features x, z, 1
# step table columns
SP_T, SP_EP, SP_X, SP_Z, SP_Y = 1, 2, 3, 4, 5
SP_SGD = 6  # error, g_a, g_c, g_b, a, c, b
SP_ADA = 13  # error, g_a, g_c, g_b, sum x3, eff x3, a c b, nonzero x3
SP_DATA = 30  # sample, x, z, y


def sparse_data():
    """x: integers 1..5; z = 1 on SP_RARE samples, else 0; y = 2x + 5z + 1 exactly."""
    rng = np.random.default_rng(SP_SEED)
    x = rng.integers(1, 6, SP_N).astype(float)
    z = np.zeros(SP_N)
    z[rng.choice(SP_N, SP_RARE, replace=False)] = 1.0
    a, c, b = SP_TRUE
    return x, z, a * x + c * z + b


def sparse_sheet() -> tuple[Sheet, dict[str, str]]:
    sh = Sheet(SPARSE)
    x, z, y = sparse_data()
    n = SP_N
    steps = n * SP_EPOCHS
    last = SP_START + steps
    L = col_letter
    sum_rows = {p: SP_SUM_HEAD + 1 + i for i, p in enumerate(SP_PARAMS)}
    sh.put(1, 1, Cell("Sparse features: what 'infrequent' means for Adagrad, and why big gradients get small steps",
                      "title"))
    _text(sh, 2, [
        ("Q1: 'Adagrad gives larger updates to infrequent parameters' - what does infrequent mean?", "label"),
        f"Model y = a*x + c*z + b. x is a number 1..5 on every sample; z is 1 on only {SP_RARE} of the {n} samples, 0 "
        f"elsewhere (data: column {L(SP_DATA + 1)} onwards). SGD and Adagrad fit it side by side, one sample per step.",
        "On a sample with z = 0 the gradient of c is exactly 0 (de/dc = z * de/db): c is not updated and its sum of g^2 "
        "does not grow. That is 'infrequent': a parameter whose gradient is zero on most steps.",
        "Adagrad's sum of g^2 = start sum + (steps with g≠0) x (mean g^2 on those steps): how often AND how big both count. "
        "c and b have the same feature size (1), so only frequency differs: c keeps the larger effective lr (column J).",
        ("Q2: 'big gradients shrink the learning rate most - but big gradients mean far from the optimum?'", "label"),
        "Adagrad's step is lr * g / sqrt(sum of g^2). On step 1 that is lr * g / |g| = lr * sign(g): the size of g "
        "cancels. The step is scale-free: about lr per step for every parameter, whatever the units of its feature.",
        "A big gradient does not mean 'far away': a's gradient is big because x is big (de/da = x * de/db), not because "
        "a is far off. SGD's single lr is then too big for a and too small for c and b (the SGD columns).",
        "The same on the main problem: on the adagrad sheet the 'effective lr' column is far smaller for a (x up to 100) "
        "than for b. Try: sparse_sgd_lr 0.04, or set z = 1 on more samples and watch c's effective lr fall.",
    ])
    names = _settings(sh, SPARSE, SP_SET_ROW, SP_HYPERS)
    # summary table
    heads = ["parameter", "its feature", "true value", "SGD final", "Adagrad final", "steps g≠0",
             "sum g^2", "mean g^2", "eff. lr now", "eff. lr / a's"]
    notes = [None, None, None, "SGD's value after the last step", "Adagrad's value after the last step",
             "steps on which this parameter's gradient was not 0", "Adagrad: the sum of g^2 after the last step",
             "(sum of g^2 - start sum) / steps with g≠0: the typical size of g^2 when it is not 0",
             "Adagrad's effective lr = lr / (sqrt(sum g^2) + eps) after the last step",
             "effective lr of this parameter / effective lr of a"]
    sh.heights[SP_SUM_HEAD] = 31  # "Adagrad final" wraps to two lines
    for j, (h, note) in enumerate(zip(heads, notes)):
        sh.put(SP_SUM_HEAD, 1 + j, Cell(h, "header", comment=note))
    features = ("x, every sample", "z, rare", "1, every sample")
    for i, p in enumerate(SP_PARAMS):
        r = sum_rows[p]
        sh.put(r, 1, Cell(p, "label"))
        sh.put(r, 2, Cell(features[i], "text"))
        sh.put(r, 3, SP_TRUE[i])
        sh.put(r, 4, Cell(f"={L(SP_SGD + 4 + i)}{last}", "result", "0.0000"))
        sh.put(r, 5, Cell(f"={L(SP_ADA + 10 + i)}{last}", "result", "0.0000"))
        nz = L(SP_ADA + 13 + i)
        sh.put(r, 6, Cell(f"=SUM({nz}{SP_START + 1}:{nz}{last})", number_format="0"))
        sh.put(r, 7, Cell(f"={L(SP_ADA + 4 + i)}{last}", number_format="0.0"))
        sh.put(r, 8, Cell(f"=IF(F{r}=0,0,(G{r}-sparse_init_acc)/F{r})", number_format="0.00"))
        sh.put(r, 9, Cell(f"={L(SP_ADA + 7 + i)}{last}", "result", "0.00000"))
        sh.put(r, 10, Cell(f"=I{r}/I${sum_rows['a']}", "result", "0.0"))
    # step table
    head = ["step t", "epoch", "x", "z", "y",
            "pred - y", "de/da", "de/dc", "de/db", "a", "c", "b",
            "pred - y", "de/da", "de/dc", "de/db", "sum g^2 a", "sum g^2 c", "sum g^2 b",
            "eff. lr a", "eff. lr c", "eff. lr b", "a", "c", "b", "g≠0 a", "g≠0 c", "g≠0 b"]
    err = "error e = a*x + c*z + b - y, with the previous row's a, c, b"
    grad = ("de/da = 2*e*x", "de/dc = 2*e*z: 0 whenever z = 0", "de/db = 2*e")
    meaning = ([None] * 5 + [err, *grad] + [f"{p} <- {p} - sparse_sgd_lr * de/d{p}" for p in SP_PARAMS]
               + [err, *grad] + [f"sum of g^2 of {p} so far: + (de/d{p})^2 each step" for p in SP_PARAMS]
               + [f"effective lr of {p} = sparse_adagrad_lr / (sqrt(sum g^2 {p}) + sparse_eps)" for p in SP_PARAMS]
               + [f"{p} <- {p} - effective lr * de/d{p}" for p in SP_PARAMS]
               + [f"1 when de/d{p} is not 0 on this step (summed in column F above)" for p in SP_PARAMS])
    for j, (h, note) in enumerate(zip(head, meaning)):
        sh.put(SP_HEAD, 1 + j, Cell(h, "header", comment=note))
    sh.put(SP_HEAD - 1, SP_SGD, Cell("SGD: one lr for a, c and b", "label"))
    sh.put(SP_HEAD - 1, SP_ADA, Cell("Adagrad: lr / sqrt(sum of g^2), per parameter", "label"))
    sh.put(SP_HEAD - 1, SP_DATA, Cell("the data (edit me)", "label"))
    for j, h in enumerate(("sample", "x", "z", "y")):
        sh.put(SP_HEAD, SP_DATA + j, Cell(h, "header"))
    for i in range(n):
        sh.put(SP_START + i, SP_DATA, i + 1)
        sh.put(SP_START + i, SP_DATA + 1, Cell(float(x[i]), "input"))
        sh.put(SP_START + i, SP_DATA + 2, Cell(float(z[i]), "input"))
        sh.put(SP_START + i, SP_DATA + 3, Cell(float(y[i]), "input"))
    sh.put(SP_START + n, SP_DATA, Cell(f"y = {SP_TRUE[0]:g}x + {SP_TRUE[1]:g}z + {SP_TRUE[2]:g} exactly "
                                        "(true a, c, b)", "note"))
    sh.put(SP_START, SP_T, Cell(0, "start"))
    sh.put(SP_START, SP_EP, Cell("start", "start"))
    for i, p in enumerate(SP_PARAMS):
        sh.put(SP_START, SP_SGD + 4 + i, Cell(f"=sparse_start_{p}", "start", "0.0000"))
        sh.put(SP_START, SP_ADA + 10 + i, Cell(f"=sparse_start_{p}", "start", "0.0000"))
        sh.put(SP_START, SP_ADA + 4 + i, Cell("=sparse_init_acc", "start", "0.0"))
    dx, dz, dy = (f"${L(SP_DATA + k)}$" for k in (1, 2, 3))
    feat = (L(SP_X), L(SP_Z), None)
    for t in range(1, steps + 1):
        r, rp = SP_START + t, SP_START + t - 1
        dr = SP_START + (t - 1) % n
        sh.put(r, SP_T, t)
        sh.put(r, SP_EP, (t - 1) // n + 1)
        sh.put(r, SP_X, f"={dx}{dr}")
        sh.put(r, SP_Z, f"={dz}{dr}")
        sh.put(r, SP_Y, f"={dy}{dr}")
        for base, sgd in ((SP_SGD, True), (SP_ADA, False)):
            pa, pc, pb = (L(base + (4 if sgd else 10) + i) for i in range(3))
            e = L(base)
            sh.put(r, base, Cell(f"={pa}{rp}*C{r}+{pc}{rp}*D{r}+{pb}{rp}-E{r}", number_format="0.000"))
            for i in range(3):
                g = f"2*{e}{r}*{feat[i]}{r}" if feat[i] else f"2*{e}{r}"
                sh.put(r, base + 1 + i, Cell("=" + g, number_format="0.000"))
            for i in range(3):
                gcol = L(base + 1 + i)
                if sgd:
                    new = f"={L(base + 4 + i)}{rp}-sparse_sgd_lr*{gcol}{r}"
                    sh.put(r, base + 4 + i, Cell(new, number_format="0.0000"))
                else:
                    s, ef = L(base + 4 + i), L(base + 7 + i)
                    sh.put(r, base + 4 + i, Cell(f"={s}{rp}+{gcol}{r}^2", number_format="0.0"))
                    sh.put(r, base + 7 + i, Cell(f"=sparse_adagrad_lr/(SQRT({s}{r})+sparse_eps)",
                                                 number_format="0.00000"))
                    pcol = L(base + 10 + i)
                    sh.put(r, base + 10 + i, Cell(f"={pcol}{rp}-{ef}{r}*{gcol}{r}", number_format="0.0000"))
                    sh.put(r, base + 13 + i, f"=IF({gcol}{r}=0,0,1)")
    rows = (SP_START + 1, last)
    sh.charts.append(Chart("Adagrad: effective lr per step (log scale)", f"A{SP_CHART_ROW}",
                           [Series(f"lr {p}" + (" (rare)" if p == "c" else ""), SP_ADA + 7 + i, SP_T, *rows)
                            for i, p in enumerate(SP_PARAMS)],
                           y_title="lr / sqrt(sum g^2)", log_y=True, width_cm=15, height_cm=10))
    sh.charts.append(Chart(f"c per step (true c = {SP_TRUE[1]:g}): SGD vs Adagrad", f"F{SP_CHART_ROW}",
                           [Series("c, SGD", SP_SGD + 5, SP_T, *rows), Series("c, Adagrad", SP_ADA + 11, SP_T, *rows)],
                           y_title="c", width_cm=15, height_cm=10))
    sh.widths = {"A": 18, "B": 16, **{L(c): 12 for c in range(3, 29)}, L(SP_DATA): 8}
    return sh, names


# ---------------------------------------------------------------------------------- global_min

GM_STEPS = 300
GM_STARTS = (-14.0, -9.0, -4.0, 3.0, 7.0, 13.0)
GM_HYPERS = (("gm_lr", "lr", 0.05, "momentum descent: w <- w - lr*v"),
             ("gm_momentum", "momentum", 0.8, "momentum descent: v <- momentum*v + f'(w)"),
             ("gm_sa_start", "annealing: start", 13.0, "simulated annealing starts here"),
             ("gm_sa_t0", "annealing: T0", 5.0, "temperature on step 1: how readily uphill moves are taken"),
             ("gm_sa_cooling", "annealing: cooling", 0.98, "T = T0 * cooling^(t-1): in (0, 1], smaller cools faster"),
             ("gm_sa_step", "annealing: step", 3.0, "proposal = w + step * u, u random in [-1, 1]"))
GM_SA_SEED = 7
GM_GRID = (-16.0, 0.2, 161)  # first w, spacing, points
GM_SET_ROW = 11
GM_SUM_HEAD = 19
GM_START_ROW, GM_END_W, GM_END_F, GM_SLOPE, GM_CURV, GM_BEST, GM_GAP, GM_WALL = range(20, 28)
GM_BEST_F, GM_BEST_W = 29, 30
GM_CHART_ROW = 32
GM_HEAD = 55
GM_START = 56
GM_SA = 27  # u, r, T, proposal, f(proposal), accept, w, f(w), best w, best f
GM_GRID_COL = 38  # w, f(w), then one helper per run (6 starts + annealing)
GM_MARK_COL = GM_GRID_COL + 10  # chart helper: a vertical line at each run's end (w, f) pairs
GM_MARK_BOTTOM = -4.0
F_TEXT = "f(w) = w^2/10 + 3*sin(w)"


def gm_random():
    rng = np.random.default_rng(GM_SA_SEED)
    u = np.round(rng.uniform(-1, 1, GM_STEPS), 4)
    r = np.round(rng.uniform(0, 1, GM_STEPS), 4)
    return u, r


def _f(w):
    return "{0}^2/10+3*SIN({0})".format(w)


def global_min_sheet(opts: list[Optimizer]) -> tuple[Sheet, dict[str, str]]:
    sh = Sheet(GLOBAL)
    L = col_letter
    k = len(GM_STARTS)
    last = GM_START + GM_STEPS
    sgdr = "adam_sgdr" in {o.name for o in opts}
    sh.put(1, 1, Cell(f"Local and global minima of {F_TEXT}: many starts, best of N, how local a minimum is", "title"))
    _text(sh, 2, [
        "Gradient descent only feels the local slope, so it stops in whichever valley it starts in. This f has five "
        "valleys between -16 and 16; the deepest (the global minimum) is near w = -1.47.",
        f"Best of N (multi-start): the same momentum descent runs from {k} starts; row {GM_BEST} and the green column mark "
        "the lowest end. It finds the global minimum only if some start lies in its valley: more starts, more chances.",
        f"How local is a minimum? Row {GM_GAP}: how much worse than the best end. Row {GM_WALL}: the wall = the highest f "
        "between this end and the best end, minus f here; a low wall is escaped by a little more momentum or lr.",
        f"Row {GM_CURV}: curvature f''(w) at the end (> 0 at a minimum; large = a narrow valley, small = a wide, flat one).",
        "Try: gm_momentum 0.9 - the run from 13 rolls over two walls into the deepest valley; 0.95 - most runs do.",
        f"Simulated annealing (column {L(2 + k)}; its table from column {L(GM_SA)}): random proposals w + step*u; downhill "
        "is always taken, uphill with probability exp(-rise/T); T shrinks each step, so it jumps walls early and "
        "settles late.",
        "   It is random: u and r are seeded numbers; change them (or the start) and it may end in another valley.",
        "Warm restarts (SGDR) raise the learning rate back up every few epochs to kick the optimizer out of narrow "
        "valleys: " + ("see the adam_sgdr sheet." if sgdr else "not in this workbook yet."),
    ])
    if sgdr:
        sh.put(9, 14, Cell("adam_sgdr sheet", "link", link=_link("adam_sgdr")))
    names = _settings(sh, GLOBAL, GM_SET_ROW, GM_HYPERS)
    sh.put(GM_SET_ROW + len(GM_HYPERS), 1, Cell("momentum descent: v = momentum*v + f'(w), w = w - lr*v, "
                                                "with f'(w) = w/5 + 3*cos(w); v = 0 at the start", "note"))
    # summary
    sh.put(GM_SUM_HEAD, 1, Cell("run", "header"))
    labels = {GM_START_ROW: ("start w (edit me)", None), GM_END_W: ("end w", None), GM_END_F: ("f(end)", None),
              GM_SLOPE: ("slope f'(end)", "f'(w) = w/5 + 3*cos(w): about 0 once a run has settled"),
              GM_CURV: ("curvature f''(end)", "f''(w) = 0.2 - 3*sin(w): > 0 at a minimum, large = narrow valley"),
              GM_BEST: ("best of the 6? (1 = yes)", "1 where f(end) is the lowest of the 6 starts"),
              GM_GAP: ("worse than best by", "f(end) - the best f(end) of the 6 starts"),
              GM_WALL: ("wall to the best valley", "highest f (on the grid, column "
                        f"{L(GM_GRID_COL)}) between this end and the best end, minus f(end)")}
    for r, (text, note) in labels.items():
        sh.put(r, 1, Cell(text, "label", comment=note))
    sa_w, sa_f = L(GM_SA + 8), L(GM_SA + 9)  # annealing: best seen
    fr = f"$B${GM_END_F}:${L(1 + k)}${GM_END_F}"
    for j in range(k + 1):
        col = 2 + j
        c = L(col)
        if j < k:
            wcol, fcol = L(2 + 4 * j + 2), L(2 + 4 * j + 3)
            sh.put(GM_SUM_HEAD, col, Cell(f"start {j + 1}", "header"))
            sh.put(GM_START_ROW, col, Cell(GM_STARTS[j], "input", comment=f"named cell gm_start_{j + 1}"))
            names[f"gm_start_{j + 1}"] = f"{GLOBAL}!${c}${GM_START_ROW}"
        else:
            wcol, fcol = sa_w, sa_f
            sh.put(GM_SUM_HEAD, col, Cell("annealing", "header", comment="simulated annealing: the best w it saw"))
            sh.put(GM_START_ROW, col, "=gm_sa_start")
        sh.put(GM_END_W, col, Cell(f"={wcol}{last}", number_format="0.000"))
        sh.put(GM_END_F, col, Cell(f"={fcol}{last}", "result", "0.000"))
        sh.put(GM_SLOPE, col, Cell(f"={c}{GM_END_W}/5+3*COS({c}{GM_END_W})", number_format="0.0000"))
        sh.put(GM_CURV, col, Cell(f"=0.2-3*SIN({c}{GM_END_W})", number_format="0.00"))
        if j < k:
            sh.put(GM_BEST, col, f"=IF({c}{GM_END_F}=MIN({fr}),1,0)")
        sh.put(GM_GAP, col, Cell(f"={c}{GM_END_F}-$B${GM_BEST_F}", number_format="0.000"))
        h = L(GM_GRID_COL + 2 + j)
        sh.put(GM_WALL, col, Cell(f"=MAX({h}{GM_START}:{h}{GM_START + GM_GRID[2] - 1},{c}{GM_END_F})-{c}{GM_END_F}",
                                  number_format="0.000"))
    sh.put(GM_BEST_F, 1, Cell("best f of the 6", "label"))
    sh.put(GM_BEST_F, 2, Cell(f"=MIN({fr})", "result", "0.000"))
    sh.put(GM_BEST_W, 1, Cell("its end w", "label"))
    br = f"$B${GM_BEST}:${L(1 + k)}${GM_BEST}"
    sh.put(GM_BEST_W, 2, Cell(f"=SUMPRODUCT({br},$B${GM_END_W}:${L(1 + k)}${GM_END_W})/SUM({br})", "result", "0.000"))
    sh.highlights.append(Highlight(f"B{GM_START_ROW}:{L(1 + k)}{GM_WALL}", f"B${GM_BEST}=1", fill="C6EFCE"))
    # step table
    sh.put(GM_HEAD, 1, Cell("step t", "header"))
    sh.put(GM_START, 1, Cell(0, "start"))
    for j in range(k):
        base = 2 + 4 * j
        sh.put(GM_HEAD - 1, base, Cell(f"start {j + 1}: from gm_start_{j + 1}", "label"))
        for d, (h, note) in enumerate((("f'(w)", "slope at the previous row's w: w/5 + 3*cos(w)"),
                                       ("v", "velocity: momentum*v + f'(w)"), ("w", "w - lr*v"),
                                       ("f(w)", "w^2/10 + 3*sin(w)"))):
            sh.put(GM_HEAD, base + d, Cell(f"{h} ({j + 1})", "header", comment=note))
        g, v, w, f = (L(base + d) for d in range(4))
        sh.put(GM_START, base + 1, Cell(0.0, "start"))
        sh.put(GM_START, base + 2, Cell(f"={L(2 + j)}${GM_START_ROW}", "start", "0.000"))
        sh.put(GM_START, base + 3, Cell("=" + _f(f"{w}{GM_START}"), "start", "0.000"))
        for t in range(1, GM_STEPS + 1):
            r, rp = GM_START + t, GM_START + t - 1
            sh.put(r, base, Cell(f"={w}{rp}/5+3*COS({w}{rp})", number_format="0.000"))
            sh.put(r, base + 1, Cell(f"=gm_momentum*{v}{rp}+{g}{r}", number_format="0.000"))
            sh.put(r, base + 2, Cell(f"={w}{rp}-gm_lr*{v}{r}", number_format="0.000"))
            sh.put(r, base + 3, Cell("=" + _f(f"{w}{r}"), number_format="0.000"))
    u, rnd = gm_random()
    sh.put(GM_HEAD - 1, GM_SA, Cell("simulated annealing from w = gm_sa_start", "label"))
    sa_heads = (("u", "random in [-1, 1] (seeded; edit me)"), ("r", "random in [0, 1) (seeded; edit me)"),
                ("T", "temperature gm_sa_t0 * gm_sa_cooling^(t-1)"), ("w'", "proposal w + gm_sa_step*u"),
                ("f(w')", "f at the proposal"), ("accept?", "1 if r < exp(-max(0, f(w') - f(w))/T): always downhill"),
                ("w", "w' if accepted, else w"), ("f(w)", "f(w)"), ("best w", "the w with the lowest f so far"),
                ("best f", "the lowest f so far"))
    for d, (h, note) in enumerate(sa_heads):
        sh.put(GM_HEAD, GM_SA + d, Cell(h, "header", comment=note))
    U, R, T, P, FP, A, W, FW, BW, BF = (L(GM_SA + d) for d in range(10))
    sh.put(GM_START, GM_SA + 6, Cell("=gm_sa_start", "start", "0.000"))
    sh.put(GM_START, GM_SA + 7, Cell("=" + _f(f"{W}{GM_START}"), "start", "0.000"))
    sh.put(GM_START, GM_SA + 8, Cell(f"={W}{GM_START}", "start", "0.000"))
    sh.put(GM_START, GM_SA + 9, Cell(f"={FW}{GM_START}", "start", "0.000"))
    for t in range(1, GM_STEPS + 1):
        r, rp = GM_START + t, GM_START + t - 1
        sh.put(r, 1, t)
        sh.put(r, GM_SA, float(u[t - 1]))
        sh.put(r, GM_SA + 1, float(rnd[t - 1]))
        sh.put(r, GM_SA + 2, Cell(f"=gm_sa_t0*gm_sa_cooling^(A{r}-1)", number_format="0.000"))
        sh.put(r, GM_SA + 3, Cell(f"={W}{rp}+gm_sa_step*{U}{r}", number_format="0.000"))
        sh.put(r, GM_SA + 4, Cell("=" + _f(f"{P}{r}"), number_format="0.000"))
        sh.put(r, GM_SA + 5, f"=IF({R}{r}<EXP(-MAX(0,{FP}{r}-{FW}{rp})/{T}{r}),1,0)")
        sh.put(r, GM_SA + 6, Cell(f"=IF({A}{r}=1,{P}{r},{W}{rp})", number_format="0.000"))
        sh.put(r, GM_SA + 7, Cell(f"=IF({A}{r}=1,{FP}{r},{FW}{rp})", number_format="0.000"))
        sh.put(r, GM_SA + 8, Cell(f"=IF({FW}{r}<{BF}{rp},{W}{r},{BW}{rp})", number_format="0.000"))
        sh.put(r, GM_SA + 9, Cell(f"=MIN({BF}{rp},{FW}{r})", number_format="0.000"))
    # grid of f and the wall helpers
    gw, gf = L(GM_GRID_COL), L(GM_GRID_COL + 1)
    sh.put(GM_HEAD - 1, GM_GRID_COL, Cell("f on a grid, for the chart and the walls (row "
                                          f"{GM_WALL})", "label"))
    sh.put(GM_HEAD, GM_GRID_COL, Cell("grid w", "header"))
    sh.put(GM_HEAD, GM_GRID_COL + 1, Cell("f(w)", "header"))
    for j in range(k + 1):
        sh.put(GM_HEAD, GM_GRID_COL + 2 + j, Cell(
            f"wall {j + 1 if j < k else 'SA'}", "header",
            comment="f on the grid where w lies between this run's end and the best end, else empty; "
                    f"the wall (row {GM_WALL}) is the MAX of this column minus f(end)"))
    w0, dw, npts = GM_GRID
    for i in range(npts):
        r = GM_START + i
        sh.put(r, GM_GRID_COL, round(w0 + dw * i, 10))
        sh.put(r, GM_GRID_COL + 1, Cell("=" + _f(f"{gw}{r}"), number_format="0.000"))
        for j in range(k + 1):
            e = f"{L(2 + j)}${GM_END_W}"
            sh.put(r, GM_GRID_COL + 2 + j,
                   f'=IF(AND({gw}{r}>=MIN({e},$B${GM_BEST_W}),{gw}{r}<=MAX({e},$B${GM_BEST_W})),{gf}{r},"")')
    # chart helper: each run's end as a vertical line from GM_MARK_BOTTOM up to f(end)
    mw, mf = L(GM_MARK_COL), L(GM_MARK_COL + 1)
    sh.put(GM_HEAD, GM_MARK_COL, Cell("end w", "header", comment="chart helper: each run's end, twice"))
    sh.put(GM_HEAD, GM_MARK_COL + 1, Cell("line", "header", comment=f"chart helper: {GM_MARK_BOTTOM:g}, then f(end)"))
    for j in range(k + 1):
        r = GM_START + 2 * j
        for rr in (r, r + 1):
            sh.put(rr, GM_MARK_COL, f"={L(2 + j)}${GM_END_W}")
        sh.put(r, GM_MARK_COL + 1, GM_MARK_BOTTOM)
        sh.put(r + 1, GM_MARK_COL + 1, f"={L(2 + j)}${GM_END_F}")
    grid_rows = (GM_START, GM_START + npts - 1)
    marks = [Series(f"end {j + 1}" if j < k else "end SA", GM_MARK_COL + 1, GM_MARK_COL, GM_START + 2 * j,
                    GM_START + 2 * j + 1) for j in range(k + 1)]
    sh.charts.append(Chart("f(w) and where each run ends (vertical lines)", f"A{GM_CHART_ROW}",
                           [Series("f(w)", GM_GRID_COL + 1, GM_GRID_COL, *grid_rows)] + marks, x_title="w",
                           y_title="f(w)", width_cm=20, height_cm=10))
    ws = [Series(f"start {GM_STARTS[j]:g}", 2 + 4 * j + 2, 1, GM_START, last) for j in range(k)]
    ws.append(Series("annealing", GM_SA + 6, 1, GM_START, last))
    sh.charts.append(Chart("w per step: each run settles in a valley", f"J{GM_CHART_ROW}", ws, y_title="w",
                           width_cm=18, height_cm=10))
    sh.widths = {"A": 22, **{L(c): 10 for c in range(2, GM_MARK_COL + 2)}}
    return sh, names


# ------------------------------------------------------------------------------ numpy expected

def _hypers(read, opt: Optimizer) -> dict:
    hp = {}
    for i, h in enumerate(opt.hypers):
        addr = f"{col_letter(2 + i)}{builder.HYPER_VALUE_ROW}"
        hp[h.name] = h.check(read(opt.name, addr), where=f"{opt.name}!{addr}")
    if opt.check_fn:
        opt.check_fn(hp)
    return hp


def _data_names():
    _, names = builder.data_sheet(Data(np.zeros(1), np.zeros(1)), "")
    return {k: v.split("!")[1].replace("$", "") for k, v in names.items()}


def _read_data(read):
    xs, ys = [], []
    row = 2
    while True:
        vx, vy = read(builder.DATA_SHEET, f"A{row}"), read(builder.DATA_SHEET, f"B{row}")
        if vx is None and vy is None:
            break
        xs.append(_num(vx, f"{builder.DATA_SHEET}!A{row}"))
        ys.append(_num(vy, f"{builder.DATA_SHEET}!B{row}"))
        row += 1
    return Data(np.array(xs), np.array(ys))


def _mean(values) -> float:
    vals = [float(v) for v in values]
    return sum(vals, 0.0) / len(vals)  # left to right, as a spreadsheet adds


def _put(out: dict, addr: str, value) -> None:
    out[addr] = float(value)


def _compare_expected(read, floats: dict, texts: dict) -> None:
    names = []
    col = 2
    while True:
        v = read(COMPARE, f"{col_letter(col)}{CMP_HEAD_ROW}")
        if v in (None, ""):
            break
        if v not in REGISTRY:
            raise InputError(f"{COMPARE}!{col_letter(col)}{CMP_HEAD_ROW}: unknown optimizer {v!r}")
        names.append(v)
        col += 1
    opts = [REGISTRY[k] for k in names]
    epochs = 0
    while read(COMPARE, f"A{CMP_TABLE_ROW + epochs}") not in (None, ""):
        epochs += 1
    data = _read_data(read)
    n = len(data)
    steps = n * epochs
    dn = _data_names()
    start = tuple(_num(read(builder.DATA_SHEET, dn[k]), k) for k in ("start_a", "start_b"))
    ta, tb = (_num(read(builder.DATA_SHEET, dn[k]), k) for k in ("true_a", "true_b"))
    tol = _num(read(COMPARE, f"B{CMP_TOL_ROW}"), "compare_tol")
    step_col, eff, within = _cmp_layout(opts, n, epochs)
    trs = {}
    for i, o in enumerate(opts):
        c = col_letter(2 + i)
        tr = trs[o.name] = run(o, _hypers(read, o), data, epochs, start=start)
        _put(floats, f"{c}{CMP_FINAL_A}", tr.new_p[-1, 0])
        _put(floats, f"{c}{CMP_FINAL_B}", tr.new_p[-1, 1])
        means = []
        for k in range(epochs):
            with np.errstate(all="ignore"):
                m = _mean(tr.loss[k * n:(k + 1) * n])
            means.append(m)
            _put(floats, f"{c}{CMP_TABLE_ROW + k}", m if math.isfinite(m) else math.nan)
        _put(floats, f"{c}{CMP_LAST_LOSS}", floats[f"{c}{CMP_TABLE_ROW + epochs - 1}"])
        wl = col_letter(within[o.name])
        hits = []
        for t in range(1, steps + 1):
            a, b = tr.new_p[t - 1]
            addr = f"{wl}{CMP_TABLE_ROW + t - 1}"
            if math.isfinite(a) and math.isfinite(b) and abs(a - ta) < tol and abs(b - tb) < tol:
                _put(floats, addr, t)
                hits.append(t)
            else:
                texts[addr] = ""
        if hits:
            _put(floats, f"{c}{CMP_FIRST}", min(hits))
        else:
            texts[f"{c}{CMP_FIRST}"] = "not reached"
    if eff:
        rms_lr = trs["rmsprop"].hp["lr"]
        for key, col in eff.items():
            p = 0 if key.endswith("_a") else 1
            L = col_letter(col)
            with np.errstate(all="ignore"):
                if key.startswith("adagrad"):
                    v = trs["adagrad"].columns["eff_lr"][:, p]
                else:
                    v = rms_lr / trs["rmsprop"].columns["den"][:, p]
            for t in range(1, steps + 1):
                _put(floats, f"{L}{CMP_TABLE_ROW + t - 1}", v[t - 1])


def sparse_run(x, z, y, hp, epochs=SP_EPOCHS):
    """SGD and Adagrad on y = a*x + c*z + b, one sample per step; parameters in the order a, c, b.
    Returns per-step dicts of arrays (steps, ...)."""
    n = len(x)
    steps = n * epochs
    p_sgd = np.array([hp["sparse_start_a"], hp["sparse_start_c"], hp["sparse_start_b"]], dtype=float)
    p_ada = p_sgd.copy()
    s = np.full(3, hp["sparse_init_acc"])
    out = {k: [] for k in ("x", "z", "y", "sgd_err", "sgd_g", "sgd_p", "ada_err", "ada_g", "ada_sum", "ada_eff",
                           "ada_p", "ada_nz")}
    with np.errstate(all="ignore"):
        for t in range(steps):
            i = t % n
            feat = np.array([x[i], z[i], 1.0])
            e = p_sgd[0] * x[i] + p_sgd[1] * z[i] + p_sgd[2] - y[i]
            g = 2 * e * feat
            p_sgd = p_sgd - hp["sparse_sgd_lr"] * g
            out["sgd_err"].append(e)
            out["sgd_g"].append(g)
            out["sgd_p"].append(p_sgd)
            e = p_ada[0] * x[i] + p_ada[1] * z[i] + p_ada[2] - y[i]
            g = 2 * e * feat
            s = s + g**2
            eff = hp["sparse_adagrad_lr"] / (np.sqrt(s) + hp["sparse_eps"])
            p_ada = p_ada - eff * g
            for k, v in (("x", x[i]), ("z", z[i]), ("y", y[i]), ("ada_err", e), ("ada_g", g), ("ada_sum", s),
                         ("ada_eff", eff), ("ada_p", p_ada), ("ada_nz", (g != 0).astype(float))):
                out[k].append(v)
    return {k: np.array(v, dtype=float) for k, v in out.items()}


def _sparse_inputs(read):
    hp = {}
    for i, (name, *_) in enumerate(SP_HYPERS):
        hp[name] = _num(read(SPARSE, f"B{SP_SET_ROW + i}"), name)
    cols = []
    for k in (1, 2, 3):
        L = col_letter(SP_DATA + k)
        cols.append(np.array([_num(read(SPARSE, f"{L}{SP_START + i}"), f"{SPARSE}!{L}{SP_START + i}")
                              for i in range(SP_N)]))
    return hp, cols


def _sparse_expected(read, floats: dict) -> None:
    hp, (x, z, y) = _sparse_inputs(read)
    o = sparse_run(x, z, y, hp)
    steps = len(o["x"])
    L = col_letter
    for t in range(steps):
        r = SP_START + 1 + t
        for col, v in ((SP_X, o["x"][t]), (SP_Z, o["z"][t]), (SP_Y, o["y"][t]), (SP_SGD, o["sgd_err"][t]),
                       (SP_ADA, o["ada_err"][t])):
            _put(floats, f"{L(col)}{r}", v)
        for i in range(3):
            for col, key in ((SP_SGD + 1, "sgd_g"), (SP_SGD + 4, "sgd_p"), (SP_ADA + 1, "ada_g"),
                             (SP_ADA + 4, "ada_sum"), (SP_ADA + 7, "ada_eff"), (SP_ADA + 10, "ada_p"),
                             (SP_ADA + 13, "ada_nz")):
                _put(floats, f"{L(col + i)}{r}", o[key][t, i])
    for i, p in enumerate(SP_PARAMS):
        _put(floats, f"{L(SP_SGD + 4 + i)}{SP_START}", hp[f"sparse_start_{p}"])
        _put(floats, f"{L(SP_ADA + 10 + i)}{SP_START}", hp[f"sparse_start_{p}"])
        _put(floats, f"{L(SP_ADA + 4 + i)}{SP_START}", hp["sparse_init_acc"])
    a_eff = o["ada_eff"][-1, 0]
    for i in range(3):
        r = SP_SUM_HEAD + 1 + i
        nz = sum(o["ada_nz"][:, i].tolist(), 0.0)
        ssum = o["ada_sum"][-1, i]
        _put(floats, f"D{r}", o["sgd_p"][-1, i])
        _put(floats, f"E{r}", o["ada_p"][-1, i])
        _put(floats, f"F{r}", nz)
        _put(floats, f"G{r}", ssum)
        _put(floats, f"H{r}", 0.0 if nz == 0 else (ssum - hp["sparse_init_acc"]) / nz)
        _put(floats, f"I{r}", o["ada_eff"][-1, i])
        with np.errstate(all="ignore"):
            _put(floats, f"J{r}", o["ada_eff"][-1, i] / a_eff)


def fw(w: float) -> float:
    """f(w) = w^2/10 + 3*sin(w)."""
    return w * w / 10 + 3 * math.sin(w)


def dfw(w: float) -> float:
    return w / 5 + 3 * math.cos(w)


def gm_momentum_run(w0, lr, momentum, steps=GM_STEPS):
    """Heavy-ball descent on f: v = momentum*v + f'(w), w = w - lr*v (v starts at 0, as torch's
    first step). Returns arrays over steps of (slope, v, w, f)."""
    w, v = float(w0), 0.0
    out = []
    for _ in range(steps):
        g = dfw(w)
        v = momentum * v + g
        w = w - lr * v
        out.append((g, v, w, fw(w)))
    return np.array(out)


def gm_annealing(w0, t0, cooling, step, u, r):
    """Simulated annealing with the given random numbers; rows (T, proposal, f(prop), accept, w, f, best w, best f)."""
    w, f = float(w0), fw(float(w0))
    bw, bf = w, f
    out = []
    for t in range(len(u)):
        temp = t0 * cooling**t
        prop = w + step * u[t]
        fp = fw(prop)
        acc = 1.0 if r[t] < math.exp(-max(0.0, fp - f) / temp) else 0.0
        if acc:
            w, f = prop, fp
        if f < bf:
            bw = w
        bf = min(bf, f)
        out.append((temp, prop, fp, acc, w, f, bw, bf))
    return np.array(out)


def _gm_inputs(read):
    hp = {name: _num(read(GLOBAL, f"B{GM_SET_ROW + i}"), name) for i, (name, *_) in enumerate(GM_HYPERS)}
    starts = [_num(read(GLOBAL, f"{col_letter(2 + j)}{GM_START_ROW}"), f"gm_start_{j + 1}")
              for j in range(len(GM_STARTS))]
    U, R = col_letter(GM_SA), col_letter(GM_SA + 1)
    u = [_num(read(GLOBAL, f"{U}{GM_START + t}"), f"{GLOBAL}!{U}{GM_START + t}") for t in range(1, GM_STEPS + 1)]
    r = [_num(read(GLOBAL, f"{R}{GM_START + t}"), f"{GLOBAL}!{R}{GM_START + t}") for t in range(1, GM_STEPS + 1)]
    gw = col_letter(GM_GRID_COL)
    grid = [_num(read(GLOBAL, f"{gw}{GM_START + i}"), f"{GLOBAL}!{gw}{GM_START + i}") for i in range(GM_GRID[2])]
    return hp, starts, u, r, grid


def _gm_expected(read, floats: dict, texts: dict) -> None:
    hp, starts, u, rnd, grid = _gm_inputs(read)
    L = col_letter
    k = len(starts)
    ends_w, ends_f = [], []
    for j, w0 in enumerate(starts):
        base = 2 + 4 * j
        arr = gm_momentum_run(w0, hp["gm_lr"], hp["gm_momentum"])
        _put(floats, f"{L(base + 2)}{GM_START}", w0)
        _put(floats, f"{L(base + 3)}{GM_START}", fw(w0))
        for t in range(GM_STEPS):
            for d in range(4):
                _put(floats, f"{L(base + d)}{GM_START + 1 + t}", arr[t, d])
        ends_w.append(arr[-1, 2])
        ends_f.append(arr[-1, 3])
    sa = gm_annealing(hp["gm_sa_start"], hp["gm_sa_t0"], hp["gm_sa_cooling"], hp["gm_sa_step"], u, rnd)
    w0 = hp["gm_sa_start"]
    for d, v in ((6, w0), (7, fw(w0)), (8, w0), (9, fw(w0))):
        _put(floats, f"{L(GM_SA + d)}{GM_START}", v)
    for t in range(GM_STEPS):
        for d in range(8):
            _put(floats, f"{L(GM_SA + 2 + d)}{GM_START + 1 + t}", sa[t, d])
    ends_w.append(sa[-1, 6])
    ends_f.append(sa[-1, 7])
    best_f = min(ends_f[:k])
    is_best = [1.0 if f == best_f else 0.0 for f in ends_f[:k]]
    best_w = sum((b * w for b, w in zip(is_best, ends_w[:k])), 0.0) / sum(is_best, 0.0)
    _put(floats, f"B{GM_BEST_F}", best_f)
    _put(floats, f"B{GM_BEST_W}", best_w)
    _put(floats, f"{L(2 + k)}{GM_START_ROW}", hp["gm_sa_start"])
    grid_f = [fw(w) for w in grid]
    for j in range(k + 1):
        c = L(2 + j)
        we, fe = ends_w[j], ends_f[j]
        _put(floats, f"{c}{GM_END_W}", we)
        _put(floats, f"{c}{GM_END_F}", fe)
        _put(floats, f"{c}{GM_SLOPE}", dfw(we))
        _put(floats, f"{c}{GM_CURV}", 0.2 - 3 * math.sin(we))
        if j < k:
            _put(floats, f"{c}{GM_BEST}", is_best[j])
        _put(floats, f"{c}{GM_GAP}", fe - best_f)
        lo, hi = min(we, best_w), max(we, best_w)
        h = L(GM_GRID_COL + 2 + j)
        inside = []
        for i, (gw, gf) in enumerate(zip(grid, grid_f)):
            addr = f"{h}{GM_START + i}"
            if lo <= gw <= hi:
                _put(floats, addr, gf)
                inside.append(gf)
            else:
                texts[addr] = ""
        _put(floats, f"{c}{GM_WALL}", max(inside + [fe]) - fe)
    for i, gf in enumerate(grid_f):
        _put(floats, f"{L(GM_GRID_COL + 1)}{GM_START + i}", gf)
    for j in range(k + 1):
        r = GM_START + 2 * j
        _put(floats, f"{L(GM_MARK_COL)}{r}", ends_w[j])
        _put(floats, f"{L(GM_MARK_COL)}{r + 1}", ends_w[j])
        _put(floats, f"{L(GM_MARK_COL + 1)}{r + 1}", ends_f[j])


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
    for sheet, fn in ((COMPARE, lambda f, t: _compare_expected(read, f, t)),
                      (SPARSE, lambda f, t: _sparse_expected(read, f)),
                      (GLOBAL, lambda f, t: _gm_expected(read, f, t))):
        if read(sheet, "A1") is None:
            continue
        floats[sheet], texts[sheet] = {}, {}
        fn(floats[sheet], texts[sheet])
    return floats, texts
