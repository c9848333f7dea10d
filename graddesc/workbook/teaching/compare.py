"""The compare sheet: every optimizer from the same start (mean loss per epoch, final a and b, the
first step within a tolerance of the true a, b; Adagrad's vs RMSProp's effective lr), and numpy's
value of each of its formulas."""

from __future__ import annotations

import math

import numpy as np

from graddesc.errors import InputError
from graddesc.optimizers import REGISTRY, Optimizer
from graddesc.problem import Data
from graddesc.trajectory import run
from graddesc.workbook import layout
from graddesc.workbook.data_sheet import data_sheet
from graddesc.workbook.layout import COMPARE, DATA_SHEET
from graddesc.workbook.teaching.common import (
    link,
    mean,
    number,
    put,
    put_lines,
    quote,
)
from graddesc.xlsx.model import Cell, Chart, Series, Sheet, col_letter

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
    for c in layout.table_columns(opt):
        if c.key == key and c.param == param:
            return c
    raise ValueError(f"{opt.name} has no column {key}/{param}")


def compare_sheet(opts: list[Optimizer], n: int, epochs: int) -> tuple[Sheet, dict[str, str]]:
    sh = Sheet(COMPARE)
    steps = n * epochs
    last = layout.step_row(steps)
    step_col, eff, within = _cmp_layout(opts, n, epochs)
    sh.put(1, 1, Cell("Compare: every optimizer from the same start (start_a, start_b on the data sheet)", "title"))
    put_lines(sh, 2, [
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
        q = quote(o.name)
        sh.put(CMP_HEAD_ROW, col, Cell(o.name, "link", link=link(o.name)))
        sh.put(CMP_FINAL_A, col, Cell(f"={q}!{na}{last}", number_format="0.0000"))
        sh.put(CMP_FINAL_B, col, Cell(f"={q}!{nb}{last}", number_format="0.0000"))
        sh.put(CMP_LAST_LOSS, col, Cell(f"={col_letter(col)}{CMP_TABLE_ROW + epochs - 1}", number_format="0.000"))
        wl = col_letter(within[o.name])
        rng = f"{wl}{CMP_TABLE_ROW}:{wl}{CMP_TABLE_ROW + steps - 1}"
        sh.put(CMP_FIRST, col, Cell(f'=IF(COUNT({rng})=0,"not reached",MIN({rng}))', "result"))
        sh.put(CMP_TABLE_HEAD, col, Cell(o.name, "header"))
        for k in range(1, epochs + 1):
            first, lst = layout.step_row((k - 1) * n + 1), layout.step_row(k * n)
            sh.put(CMP_TABLE_ROW + k - 1, col, Cell(f"=AVERAGE({q}!{L}{first}:{L}{lst})", number_format="0.000"))
        series.append(Series(o.name, col, 1, CMP_TABLE_ROW, CMP_TABLE_ROW + epochs - 1))
        # helper: the step number when this row's new a, b are within the tolerance, else ""
        sh.put(CMP_TABLE_HEAD, within[o.name], Cell(f"{o.name} in tol", "header",
                                                    comment="the step number when new a and new b are both within "
                                                            "compare_tol of true_a, true_b; empty otherwise"))
        for t in range(1, steps + 1):
            r = layout.step_row(t)
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
                r = layout.step_row(t)
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



def _hypers(read, opt: Optimizer) -> dict:
    hp = {}
    for i, h in enumerate(opt.hypers):
        addr = f"{col_letter(2 + i)}{layout.HYPER_VALUE_ROW}"
        hp[h.name] = h.check(read(opt.name, addr), where=f"{opt.name}!{addr}")
    if opt.check_fn:
        opt.check_fn(hp)
    return hp


def _data_names():
    _, names = data_sheet(Data(np.zeros(1), np.zeros(1)), "")
    return {k: v.split("!")[1].replace("$", "") for k, v in names.items()}


def _read_data(read):
    xs, ys = [], []
    row = 2
    while True:
        vx, vy = read(DATA_SHEET, f"A{row}"), read(DATA_SHEET, f"B{row}")
        if vx is None and vy is None:
            break
        xs.append(number(vx, f"{DATA_SHEET}!A{row}"))
        ys.append(number(vy, f"{DATA_SHEET}!B{row}"))
        row += 1
    return Data(np.array(xs), np.array(ys))



def compare_expected(read, floats: dict, texts: dict) -> None:
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
    start = tuple(number(read(DATA_SHEET, dn[k]), k) for k in ("start_a", "start_b"))
    ta, tb = (number(read(DATA_SHEET, dn[k]), k) for k in ("true_a", "true_b"))
    tol = number(read(COMPARE, f"B{CMP_TOL_ROW}"), "compare_tol")
    step_col, eff, within = _cmp_layout(opts, n, epochs)
    trs = {}
    for i, o in enumerate(opts):
        c = col_letter(2 + i)
        tr = trs[o.name] = run(o, _hypers(read, o), data, epochs, start=start)
        put(floats, f"{c}{CMP_FINAL_A}", tr.new_p[-1, 0])
        put(floats, f"{c}{CMP_FINAL_B}", tr.new_p[-1, 1])
        means = []
        for k in range(epochs):
            with np.errstate(all="ignore"):
                m = mean(tr.loss[k * n:(k + 1) * n])
            means.append(m)
            put(floats, f"{c}{CMP_TABLE_ROW + k}", m if math.isfinite(m) else math.nan)
        put(floats, f"{c}{CMP_LAST_LOSS}", floats[f"{c}{CMP_TABLE_ROW + epochs - 1}"])
        wl = col_letter(within[o.name])
        hits = []
        for t in range(1, steps + 1):
            a, b = tr.new_p[t - 1]
            addr = f"{wl}{CMP_TABLE_ROW + t - 1}"
            if math.isfinite(a) and math.isfinite(b) and abs(a - ta) < tol and abs(b - tb) < tol:
                put(floats, addr, t)
                hits.append(t)
            else:
                texts[addr] = ""
        if hits:
            put(floats, f"{c}{CMP_FIRST}", min(hits))
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
                put(floats, f"{L}{CMP_TABLE_ROW + t - 1}", v[t - 1])
