"""The sparse sheet: y = a*x + c*z + b with z rarely non-zero; SGD and Adagrad side by side, the
accumulated g^2 and effective lr per parameter (what "infrequent" means), and numpy's value of each
of its formulas."""

from __future__ import annotations

import numpy as np

from graddesc.workbook.layout import SPARSE
from graddesc.workbook.teaching.common import (
    number,
    put,
    put_lines,
    settings,
)
from graddesc.xlsx.model import Cell, Chart, Series, Sheet, col_letter

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
    put_lines(sh, 2, [
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
    names = settings(sh, SPARSE, SP_SET_ROW, SP_HYPERS)
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
        hp[name] = number(read(SPARSE, f"B{SP_SET_ROW + i}"), name)
    cols = []
    for k in (1, 2, 3):
        L = col_letter(SP_DATA + k)
        cols.append(np.array([number(read(SPARSE, f"{L}{SP_START + i}"), f"{SPARSE}!{L}{SP_START + i}")
                              for i in range(SP_N)]))
    return hp, cols


def sparse_expected(read, floats: dict) -> None:
    hp, (x, z, y) = _sparse_inputs(read)
    o = sparse_run(x, z, y, hp)
    steps = len(o["x"])
    L = col_letter
    for t in range(steps):
        r = SP_START + 1 + t
        for col, v in ((SP_X, o["x"][t]), (SP_Z, o["z"][t]), (SP_Y, o["y"][t]), (SP_SGD, o["sgd_err"][t]),
                       (SP_ADA, o["ada_err"][t])):
            put(floats, f"{L(col)}{r}", v)
        for i in range(3):
            for col, key in ((SP_SGD + 1, "sgd_g"), (SP_SGD + 4, "sgd_p"), (SP_ADA + 1, "ada_g"),
                             (SP_ADA + 4, "ada_sum"), (SP_ADA + 7, "ada_eff"), (SP_ADA + 10, "ada_p"),
                             (SP_ADA + 13, "ada_nz")):
                put(floats, f"{L(col + i)}{r}", o[key][t, i])
    for i, p in enumerate(SP_PARAMS):
        put(floats, f"{L(SP_SGD + 4 + i)}{SP_START}", hp[f"sparse_start_{p}"])
        put(floats, f"{L(SP_ADA + 10 + i)}{SP_START}", hp[f"sparse_start_{p}"])
        put(floats, f"{L(SP_ADA + 4 + i)}{SP_START}", hp["sparse_init_acc"])
    a_eff = o["ada_eff"][-1, 0]
    for i in range(3):
        r = SP_SUM_HEAD + 1 + i
        nz = sum(o["ada_nz"][:, i].tolist(), 0.0)
        ssum = o["ada_sum"][-1, i]
        put(floats, f"D{r}", o["sgd_p"][-1, i])
        put(floats, f"E{r}", o["ada_p"][-1, i])
        put(floats, f"F{r}", nz)
        put(floats, f"G{r}", ssum)
        put(floats, f"H{r}", 0.0 if nz == 0 else (ssum - hp["sparse_init_acc"]) / nz)
        put(floats, f"I{r}", o["ada_eff"][-1, i])
        with np.errstate(all="ignore"):
            put(floats, f"J{r}", o["ada_eff"][-1, i] / a_eff)
