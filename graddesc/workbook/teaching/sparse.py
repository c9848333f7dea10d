"""The sparse sheet: y = a*x + c*z + b with z rarely non-zero; SGD and Adagrad side by side, the
accumulated g^2 and effective lr per parameter (what "infrequent" means), and numpy's value of each
of its formulas.  Where each cell is: layout.Sparse."""

from __future__ import annotations

import numpy as np

from graddesc.workbook.data_sheet import cell_number
from graddesc.workbook.layout import SPARSE, Sparse
from graddesc.workbook.teaching.common import put, put_lines, settings
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
assert tuple(h[0] for h in SP_HYPERS) == Sparse.settings.names


def sparse_data():
    """x: integers 1..5; z = 1 on SP_RARE samples, else 0; y = 2x + 5z + 1 exactly."""
    rng = np.random.default_rng(SP_SEED)
    x = rng.integers(1, 6, SP_N).astype(float)
    z = np.zeros(SP_N)
    z[rng.choice(SP_N, SP_RARE, replace=False)] = 1.0
    a, c, b = SP_TRUE
    return x, z, a * x + c * z + b


def sparse_sheet() -> tuple[Sheet, dict[str, str]]:
    S = Sparse
    sh = Sheet(SPARSE)
    x, z, y = sparse_data()
    n = SP_N
    steps = n * SP_EPOCHS
    last = S.start + steps
    sgd, ada, st, data, summ = S.sgd, S.ada, S.steps, S.data, S.summary
    sh.put(1, 1, Cell("Sparse features: what 'infrequent' means for Adagrad, and why big gradients get small steps",
                      "title"))
    put_lines(sh, 2, [
        ("Q1: 'Adagrad gives larger updates to infrequent parameters' - what does infrequent mean?", "label"),
        f"Model y = a*x + c*z + b. x is a number 1..5 on every sample; z is 1 on only {SP_RARE} of the {n} samples, 0 "
        f"elsewhere (data: column {S.data.letter('x')} onwards). SGD and Adagrad fit it side by side, one sample per step.",
        "On a sample with z = 0 the gradient of c is exactly 0 (de/dc = z * de/db): c is not updated and its sum of g^2 "
        "does not grow. That is 'infrequent': a parameter whose gradient is zero on most steps.",
        "Adagrad's sum of g^2 = start sum + (steps with g≠0) x (mean g^2 on those steps): how often AND how big both count. "
        f"c and b have the same feature size (1), so only frequency differs: c keeps the larger effective lr (column "
        f"{S.summary.letter('eff_ratio')}).",
        ("Q2: 'big gradients shrink the learning rate most - but big gradients mean far from the optimum?'", "label"),
        "Adagrad's step is lr * g / sqrt(sum of g^2). On step 1 that is lr * g / |g| = lr * sign(g): the size of g "
        "cancels. The step is scale-free: about lr per step for every parameter, whatever the units of its feature.",
        "A big gradient does not mean 'far away': a's gradient is big because x is big (de/da = x * de/db), not because "
        "a is far off. SGD's single lr is then too big for a and too small for c and b (the SGD columns).",
        "The same on the main problem: on the adagrad sheet the 'effective lr' column is far smaller for a (x up to 100) "
        "than for b. Try: sparse_sgd_lr 0.04, or set z = 1 on more samples and watch c's effective lr fall.",
    ])
    names = settings(sh, SPARSE, S.settings, SP_HYPERS)
    # summary table
    heads = ["parameter", "its feature", "true value", "SGD final", "Adagrad final", "steps g≠0",
             "sum g^2", "mean g^2", "eff. lr now", "eff. lr / a's"]
    notes = [None, None, None, "SGD's value after the last step", "Adagrad's value after the last step",
             "steps on which this parameter's gradient was not 0", "Adagrad: the sum of g^2 after the last step",
             "(sum of g^2 - start sum) / steps with g≠0: the typical size of g^2 when it is not 0",
             "Adagrad's effective lr = lr / (sqrt(sum g^2) + eps) after the last step",
             "effective lr of this parameter / effective lr of a"]
    sh.heights[S.summary_head] = 31  # "Adagrad final" wraps to two lines
    for j, (h, note) in enumerate(zip(heads, notes)):
        sh.put(S.summary_head, summ.first + j, Cell(h, "header", comment=note))
    features = ("x, every sample", "z, rare", "1, every sample")
    F, G, I_ = summ.letter("nonzero"), summ.letter("sum"), summ.letter("eff")
    for i, p in enumerate(S.params):
        r = S.summary_row(p)
        sh.put(r, summ.col("param"), Cell(p, "label"))
        sh.put(r, summ.col("feature"), Cell(features[i], "text"))
        sh.put(r, summ.col("true"), SP_TRUE[i])
        sh.put(r, summ.col("sgd_final"), Cell(f"={sgd.letter('p', i)}{last}", "result", "0.0000"))
        sh.put(r, summ.col("ada_final"), Cell(f"={ada.letter('p', i)}{last}", "result", "0.0000"))
        nz = ada.letter("nz", i)
        sh.put(r, summ.col("nonzero"), Cell(f"=SUM({nz}{S.start + 1}:{nz}{last})", number_format="0"))
        sh.put(r, summ.col("sum"), Cell(f"={ada.letter('sum', i)}{last}", number_format="0.0"))
        sh.put(r, summ.col("mean"), Cell(f"=IF({F}{r}=0,0,({G}{r}-sparse_init_acc)/{F}{r})", number_format="0.00"))
        sh.put(r, summ.col("eff"), Cell(f"={ada.letter('eff', i)}{last}", "result", "0.00000"))
        sh.put(r, summ.col("eff_ratio"), Cell(f"={I_}{r}/{I_}${S.summary_row('a')}", "result", "0.0"))
    # step table
    head = ["step t", "epoch", "x", "z", "y",
            "pred - y", "de/da", "de/dc", "de/db", "a", "c", "b",
            "pred - y", "de/da", "de/dc", "de/db", "sum g^2 a", "sum g^2 c", "sum g^2 b",
            "eff. lr a", "eff. lr c", "eff. lr b", "a", "c", "b", "g≠0 a", "g≠0 c", "g≠0 b"]
    err = "error e = a*x + c*z + b - y, with the previous row's a, c, b"
    grad = ("de/da = 2*e*x", "de/dc = 2*e*z: 0 whenever z = 0", "de/db = 2*e")
    P = S.params
    meaning = ([None] * 5 + [err, *grad] + [f"{p} <- {p} - sparse_sgd_lr * de/d{p}" for p in P]
               + [err, *grad] + [f"sum of g^2 of {p} so far: + (de/d{p})^2 each step" for p in P]
               + [f"effective lr of {p} = sparse_adagrad_lr / (sqrt(sum g^2 {p}) + sparse_eps)" for p in P]
               + [f"{p} <- {p} - effective lr * de/d{p}" for p in P]
               + [f"1 when de/d{p} is not 0 on this step (summed in column {F} above)" for p in P])
    assert len(head) == ada.end - st.first
    for j, (h, note) in enumerate(zip(head, meaning)):
        sh.put(S.head, st.first + j, Cell(h, "header", comment=note))
    sh.put(S.head - 1, sgd.first, Cell("SGD: one lr for a, c and b", "label"))
    sh.put(S.head - 1, ada.first, Cell("Adagrad: lr / sqrt(sum of g^2), per parameter", "label"))
    sh.put(S.head - 1, data.first, Cell("the data (edit me)", "label"))
    for key, h in (("sample", "sample"), ("x", "x"), ("z", "z"), ("y", "y")):
        sh.put(S.head, data.col(key), Cell(h, "header"))
    for i in range(n):
        sh.put(S.start + i, data.col("sample"), i + 1)
        sh.put(S.start + i, data.col("x"), Cell(float(x[i]), "input"))
        sh.put(S.start + i, data.col("z"), Cell(float(z[i]), "input"))
        sh.put(S.start + i, data.col("y"), Cell(float(y[i]), "input"))
    sh.put(S.start + n, data.col("sample"), Cell(f"y = {SP_TRUE[0]:g}x + {SP_TRUE[1]:g}z + {SP_TRUE[2]:g} exactly "
                                                 "(true a, c, b)", "note"))
    sh.put(S.start, st.col("t"), Cell(0, "start"))
    sh.put(S.start, st.col("epoch"), Cell("start", "start"))
    for i, p in enumerate(S.params):
        sh.put(S.start, sgd.col("p", i), Cell(f"=sparse_start_{p}", "start", "0.0000"))
        sh.put(S.start, ada.col("p", i), Cell(f"=sparse_start_{p}", "start", "0.0000"))
        sh.put(S.start, ada.col("sum", i), Cell("=sparse_init_acc", "start", "0.0"))
    dx, dz, dy = (f"${data.letter(k)}$" for k in ("x", "z", "y"))
    X, Z, Y = st.letter("x"), st.letter("z"), st.letter("y")
    feat = (X, Z, None)
    for t in range(1, steps + 1):
        r, rp = S.start + t, S.start + t - 1
        dr = S.start + (t - 1) % n
        sh.put(r, st.col("t"), t)
        sh.put(r, st.col("epoch"), (t - 1) // n + 1)
        sh.put(r, st.col("x"), f"={dx}{dr}")
        sh.put(r, st.col("z"), f"={dz}{dr}")
        sh.put(r, st.col("y"), f"={dy}{dr}")
        for blk in (sgd, ada):
            pa, pc, pb = (blk.letter("p", i) for i in range(3))
            e = blk.letter("err")
            sh.put(r, blk.col("err"), Cell(f"={pa}{rp}*{X}{r}+{pc}{rp}*{Z}{r}+{pb}{rp}-{Y}{r}", number_format="0.000"))
            for i in range(3):
                g = f"2*{e}{r}*{feat[i]}{r}" if feat[i] else f"2*{e}{r}"
                sh.put(r, blk.col("g", i), Cell("=" + g, number_format="0.000"))
            for i in range(3):
                gcol, pcol = blk.letter("g", i), blk.letter("p", i)
                if blk is sgd:
                    sh.put(r, blk.col("p", i), Cell(f"={pcol}{rp}-sparse_sgd_lr*{gcol}{r}", number_format="0.0000"))
                else:
                    s_, ef = blk.letter("sum", i), blk.letter("eff", i)
                    sh.put(r, blk.col("sum", i), Cell(f"={s_}{rp}+{gcol}{r}^2", number_format="0.0"))
                    sh.put(r, blk.col("eff", i), Cell(f"=sparse_adagrad_lr/(SQRT({s_}{r})+sparse_eps)",
                                                      number_format="0.00000"))
                    sh.put(r, blk.col("p", i), Cell(f"={pcol}{rp}-{ef}{r}*{gcol}{r}", number_format="0.0000"))
                    sh.put(r, blk.col("nz", i), f"=IF({gcol}{r}=0,0,1)")
    rows = (S.start + 1, last)
    sh.charts.append(Chart("Adagrad: effective lr per step (log scale)", S.eff_chart.addr,
                           [Series(f"lr {p}" + (" (rare)" if p == "c" else ""), ada.col("eff", i), st.col("t"), *rows)
                            for i, p in enumerate(S.params)],
                           y_title="lr / sqrt(sum g^2)", log_y=True, width_cm=15, height_cm=10))
    c = S.params.index("c")
    sh.charts.append(Chart(f"c per step (true c = {SP_TRUE[1]:g}): SGD vs Adagrad", S.c_chart.addr,
                           [Series("c, SGD", sgd.col("p", c), st.col("t"), *rows),
                            Series("c, Adagrad", ada.col("p", c), st.col("t"), *rows)],
                           y_title="c", width_cm=15, height_cm=10))
    sh.widths = {"A": 18, "B": 16, **{col_letter(k): 12 for k in range(st.col("x"), ada.end)},
                 data.letter("sample"): 8}
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
    S = Sparse
    hp = {name: cell_number(read, SPARSE, S.settings.addr(name)) for name in S.settings.names}
    cols = []
    for key in ("x", "z", "y"):
        L = S.data.letter(key)
        cols.append(np.array([cell_number(read, SPARSE, f"{L}{S.start + i}") for i in range(SP_N)]))
    return hp, cols


def sparse_expected(read, floats: dict) -> None:
    S = Sparse
    sgd, ada, st, summ = S.sgd, S.ada, S.steps, S.summary
    hp, (x, z, y) = _sparse_inputs(read)
    o = sparse_run(x, z, y, hp)
    steps = len(o["x"])
    for t in range(steps):
        r = S.start + 1 + t
        for letter, v in ((st.letter("x"), o["x"][t]), (st.letter("z"), o["z"][t]), (st.letter("y"), o["y"][t]),
                          (sgd.letter("err"), o["sgd_err"][t]), (ada.letter("err"), o["ada_err"][t])):
            put(floats, f"{letter}{r}", v)
        for i in range(3):
            for blk, name, key in ((sgd, "g", "sgd_g"), (sgd, "p", "sgd_p"), (ada, "g", "ada_g"), (ada, "sum", "ada_sum"),
                                   (ada, "eff", "ada_eff"), (ada, "p", "ada_p"), (ada, "nz", "ada_nz")):
                put(floats, f"{blk.letter(name, i)}{r}", o[key][t, i])
    for i, p in enumerate(S.params):
        put(floats, f"{sgd.letter('p', i)}{S.start}", hp[f"sparse_start_{p}"])
        put(floats, f"{ada.letter('p', i)}{S.start}", hp[f"sparse_start_{p}"])
        put(floats, f"{ada.letter('sum', i)}{S.start}", hp["sparse_init_acc"])
    a_eff = o["ada_eff"][-1, 0]
    for i, p in enumerate(S.params):
        r = S.summary_row(p)
        nz = sum(o["ada_nz"][:, i].tolist(), 0.0)
        ssum = o["ada_sum"][-1, i]
        put(floats, f"{summ.letter('sgd_final')}{r}", o["sgd_p"][-1, i])
        put(floats, f"{summ.letter('ada_final')}{r}", o["ada_p"][-1, i])
        put(floats, f"{summ.letter('nonzero')}{r}", nz)
        put(floats, f"{summ.letter('sum')}{r}", ssum)
        put(floats, f"{summ.letter('mean')}{r}", 0.0 if nz == 0 else (ssum - hp["sparse_init_acc"]) / nz)
        put(floats, f"{summ.letter('eff')}{r}", o["ada_eff"][-1, i])
        with np.errstate(all="ignore"):
            put(floats, f"{summ.letter('eff_ratio')}{r}", o["ada_eff"][-1, i] / a_eff)
