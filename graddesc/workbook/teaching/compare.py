"""The compare sheet: every optimizer from the same start (mean loss per epoch, final a and b, the
first step within a tolerance of the true a, b; Adagrad's vs RMSProp's effective lr), and numpy's
value of each of its formulas.  Where each cell is: layout.Compare."""

from __future__ import annotations

import math

import numpy as np

from graddesc.errors import InputError
from graddesc.optimizers import REGISTRY, Optimizer
from graddesc.trajectory import run
from graddesc.workbook.data_sheet import cell_number, read_data, read_named
from graddesc.workbook.layout import COMPARE, Compare, step_row, table_column
from graddesc.workbook.optimizer_sheet import read_hypers
from graddesc.workbook.teaching.common import link, mean, put, put_lines, quote
from graddesc.xlsx.model import Cell, Chart, Series, Sheet, col_letter

DEFAULT_TOL = 0.5
EFF_HEADS = {"adagrad_a": "Adagrad a", "adagrad_b": "Adagrad b", "rmsprop_a": "RMSProp a", "rmsprop_b": "RMSProp b"}


def compare_last_row(steps: int) -> int:
    return Compare.table(steps)


def compare_sheet(opts: list[Optimizer], n: int, epochs: int) -> tuple[Sheet, dict[str, str]]:
    sh = Sheet(COMPARE)
    steps = n * epochs
    last = step_row(steps)
    cols = Compare.columns([o.name for o in opts])
    C = Compare
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
    sh.put(C.tol.row, C.tol.col - 1, Cell("tolerance", "label"))
    sh.put(C.tol.row, C.tol.col, Cell(DEFAULT_TOL, "input", comment="compare_tol: a run counts as arrived when |a - true a| "
                                                                "and |b - true b| are both below it. Edit me."))
    sh.put(C.tol.row, C.tol.col + 1, Cell("compare_tol (edit me): 'arrived' = |a - true_a| < compare_tol and |b - true_b| < compare_tol",
                                "note"))
    names = {"compare_tol": f"{COMPARE}!${col_letter(C.tol.col)}${C.tol.row}"}
    sh.put(C.head_row, C.label_col, Cell("optimizer", "header"))
    labels = {C.final_a: "final a", C.final_b: "final b", C.last_loss: "mean loss, last epoch",
              C.first_within: "first step within tol"}
    for r, text in labels.items():
        sh.put(r, C.label_col, Cell(text, "label"))
    sh.put(C.table_head, C.label_col, Cell("epoch", "header"))
    for k in range(1, epochs + 1):
        sh.put(C.table(k), C.label_col, k)
    series = []
    for o in opts:
        col = cols.opt[o.name]
        L = table_column(o, "loss", None).letter
        na, nb = table_column(o, "new", 0).letter, table_column(o, "new", 1).letter
        t_col = table_column(o, "t", None).letter
        q = quote(o.name)
        sh.put(C.head_row, col, Cell(o.name, "link", link=link(o.name)))
        sh.put(C.final_a, col, Cell(f"={q}!{na}{last}", number_format="0.0000"))
        sh.put(C.final_b, col, Cell(f"={q}!{nb}{last}", number_format="0.0000"))
        sh.put(C.last_loss, col, Cell(f"={col_letter(col)}{C.table(epochs)}", number_format="0.000"))
        wl = col_letter(cols.within[o.name])
        rng = f"{wl}{C.table(1)}:{wl}{C.table(steps)}"
        sh.put(C.first_within, col, Cell(f'=IF(COUNT({rng})=0,"not reached",MIN({rng}))', "result"))
        sh.put(C.table_head, col, Cell(o.name, "header"))
        for k in range(1, epochs + 1):
            first, lst = step_row((k - 1) * n + 1), step_row(k * n)
            sh.put(C.table(k), col, Cell(f"=AVERAGE({q}!{L}{first}:{L}{lst})", number_format="0.000"))
        series.append(Series(o.name, col, C.label_col, C.table(1), C.table(epochs)))
        # helper: the step number when this row's new a, b are within the tolerance, else ""
        sh.put(C.table_head, cols.within[o.name], Cell(f"{o.name} in tol", "header",
                                                    comment="the step number when new a and new b are both within "
                                                            "compare_tol of true_a, true_b; empty otherwise"))
        for t in range(1, steps + 1):
            r = step_row(t)
            sh.put(C.table(t), cols.within[o.name],
                   f'=IF(ISERROR({q}!{na}{r}+{q}!{nb}{r}),"",IF(AND(ABS({q}!{na}{r}-true_a)<compare_tol,'
                   f'ABS({q}!{nb}{r}-true_b)<compare_tol),{q}!{t_col}{r},""))')
    sh.put(C.table_head - 1, C.label_col, Cell("Mean loss of each epoch (= AVERAGE of the loss column over the epoch's rows)",
                                       "label"))
    sh.put(C.table_head - 1, cols.step, Cell(f"Per step: effective learning rates (Q3 chart), then for each optimizer the "
                                              f"step number if a, b are within tol (row {C.first_within} = MIN of it)", "label"))
    sh.put(C.table_head, cols.step, Cell("step", "header"))
    for t in range(1, steps + 1):
        sh.put(C.table(t), cols.step, t)
    sh.charts.append(Chart("mean loss per epoch (log scale)", C.loss_chart.addr, series,
                           x_title="epoch", y_title="mean loss", log_y=True, width_cm=24, height_cm=11))
    if cols.eff:
        ada, rms = REGISTRY["adagrad"], REGISTRY["rmsprop"]
        heads = EFF_HEADS
        notes = {"adagrad": "Adagrad's effective lr = clr / (sqrt(sum g^2) + eps), from the adagrad sheet",
                 "rmsprop": "RMSProp's lr / denominator (sqrt(v) + eps), from the rmsprop sheet"}
        for key, col in cols.eff.items():
            sh.put(C.table_head, col, Cell(heads[key], "header", comment=notes[key.split("_")[0]]))
            p = 0 if key.endswith("_a") else 1
            for t in range(1, steps + 1):
                r = step_row(t)
                if key.startswith("adagrad"):
                    f = f"=adagrad!{table_column(ada, 'eff_lr', p).letter}{r}"
                else:
                    f = f"={rms.defined_name('lr')}/rmsprop!{table_column(rms, 'den', p).letter}{r}"
                sh.put(C.table(t), col, Cell(f, number_format="0.00E+00"))
        sh.charts.append(Chart(
            "Q3: effective learning rate per step (log scale)", C.eff_chart.addr,
            [Series(heads[k] + (" (lr/den)" if k.startswith("rms") else " (eff. lr)"), c, cols.step, C.table(1), C.table(steps))
             for k, c in cols.eff.items()],
            y_title="lr per unit of gradient", log_y=True, width_cm=16, height_cm=11))
    sh.widths = {"A": 22}
    for col in cols.opt.values():
        sh.widths[col_letter(col)] = 15
    for col in list(cols.eff.values()) + list(cols.within.values()):
        sh.widths[col_letter(col)] = 16
    sh.freeze = None
    return sh, names



def compare_expected(read, floats: dict, texts: dict) -> None:
    C = Compare
    names = []
    col = C.first_opt
    while True:
        v = read(COMPARE, f"{col_letter(col)}{C.head_row}")
        if v in (None, ""):
            break
        if v not in REGISTRY:
            raise InputError(f"{COMPARE}!{col_letter(col)}{C.head_row}: unknown optimizer {v!r}")
        names.append(v)
        col += 1
    opts = [REGISTRY[k] for k in names]
    epochs = 0
    while read(COMPARE, f"{col_letter(C.label_col)}{C.table(epochs + 1)}") not in (None, ""):
        epochs += 1
    data = read_data(read)
    n = len(data)
    steps = n * epochs
    start = (read_named(read, "start_a"), read_named(read, "start_b"))
    ta, tb = read_named(read, "true_a"), read_named(read, "true_b")
    tol = read_compare_tol(read)
    cols = C.columns(names)
    trs = {}
    for o in opts:
        c = col_letter(cols.opt[o.name])
        tr = trs[o.name] = run(o, read_hypers(read, o), data, epochs, start=start)
        put(floats, f"{c}{C.final_a}", tr.new_p[-1, 0])
        put(floats, f"{c}{C.final_b}", tr.new_p[-1, 1])
        for k in range(epochs):
            with np.errstate(all="ignore"):
                m = mean(tr.loss[k * n:(k + 1) * n])
            put(floats, f"{c}{C.table(k + 1)}", m if math.isfinite(m) else math.nan)
        put(floats, f"{c}{C.last_loss}", floats[f"{c}{C.table(epochs)}"])
        wl = col_letter(cols.within[o.name])
        hits = []
        for t in range(1, steps + 1):
            a, b = tr.new_p[t - 1]
            addr = f"{wl}{C.table(t)}"
            if math.isfinite(a) and math.isfinite(b) and abs(a - ta) < tol and abs(b - tb) < tol:
                put(floats, addr, t)
                hits.append(t)
            else:
                texts[addr] = ""
        if hits:
            put(floats, f"{c}{C.first_within}", min(hits))
        else:
            texts[f"{c}{C.first_within}"] = "not reached"
    if cols.eff:
        rms_lr = trs["rmsprop"].hp["lr"]
        for key, col in cols.eff.items():
            p = 0 if key.endswith("_a") else 1
            L = col_letter(col)
            with np.errstate(all="ignore"):
                if key.startswith("adagrad"):
                    v = trs["adagrad"].columns["eff_lr"][:, p]
                else:
                    v = rms_lr / trs["rmsprop"].columns["den"][:, p]
            for t in range(1, steps + 1):
                put(floats, f"{L}{C.table(t)}", v[t - 1])


def read_compare_tol(read) -> float:
    return cell_number(read, COMPARE, Compare.tol.addr)
