"""Eve (Koushik & Hayashi 2016, arXiv 1611.01505), as in the authors' algorithm: Adam whose step is
divided by d, a smoothed relative change of the objective.  The objective f of step t is this row's
loss (the loss at the parameters before the step), so the numpy step uses `loss`.

The test "f >= fhat_prev" is the paper's (Algorithm 1); the authors' Keras code tests f > fhat_prev,
which differs only when f equals fhat_prev exactly.  A loss of exactly 0 on step 1 makes fhat 0, and
every later ratio f/fhat divides by zero (the sheet shows #DIV/0! from there on)."""

import numpy as np

from graddesc.optimizers.base import Column, Hyper, Optimizer, eps_hyper, lr_hyper, unit_interval
from graddesc.optimizers.compose import first_moment, second_moment


def init(hp, p):
    z = p * 0.0
    return {"m": z, "v": z, "fhat": np.float64(0.0), "d": np.float64(1.0)}


def step(hp, state, p, grad, t, loss):
    b1, b2, b3 = hp["beta1"], hp["beta2"], hp["beta3"]
    k, big_k = hp["small_k"], hp["big_k"]
    f = np.float64(loss)  # numpy division: f/0 gives inf or nan (a #DIV/0! in the sheet), not an exception
    fprev, dprev = state["fhat"], state["d"]
    if t == 1:  # nothing to compare with yet: fhat = f, d = 1
        ratio = lo = hi = c = np.float64(1.0)
        fhat, r, d = f, np.float64(0.0), np.float64(1.0)
    else:
        if f >= fprev:  # the objective grew (or stayed): its ratio is clipped to [k+1, K+1]
            lo, hi = k + 1, big_k + 1
        else:  # it fell: clipped to [1/(K+1), 1/(k+1)]
            lo, hi = 1 / (big_k + 1), 1 / (k + 1)
        ratio = f / fprev if fprev != 0 else np.float64(np.nan)  # f/0: undefined (#DIV/0! in the sheet)
        c = min(max(ratio, lo), hi)
        fhat = c * fprev
        r = np.abs(fhat - fprev) / min(fhat, fprev)
        d = b3 * dprev + (1 - b3) * r
    m = b1 * state["m"] + (1 - b1) * grad
    v = b2 * state["v"] + (1 - b2) * (grad * grad)
    new_p = p - hp["lr"] * (m / (1 - b1**t)) / (d * np.sqrt(v / (1 - b2**t)) + hp["eps"])
    return new_p, {"ratio": ratio, "lo": lo, "hi": hi, "c": c, "fhat": fhat, "r": r, "d": d, "m": m, "v": v}


EVE = Optimizer(
    name="eve",
    title="Eve: Adam with feedback from the objective",
    summary=(
        "Eve watches the loss f: fhat is a smoothed f whose relative change per step is clipped, "
        "and d is a moving average of that relative change. The Adam step is divided by d: when the "
        "loss jumps around, d grows and the steps shrink; when it is steady, d falls and they grow. "
        "Caution: if f is exactly 0 on step 1, fhat = 0 and the next ratio f/fhat divides by zero."
    ),
    equations=(
        "f = this row's loss;  t = 1: fhat = f, d = 1",
        "(lo, hi) = (k+1, K+1) if f >= fhat else (1/(K+1), 1/(k+1))",
        "c = min(max(f/fhat, lo), hi),   fhat <- c*fhat",
        "r = |fhat - fhat_prev| / min(fhat, fhat_prev),   d = beta3*d + (1-beta3)*r",
        "m = beta1*m + (1-beta1)*g,   v = beta2*v + (1-beta2)*g^2",
        "p <- p - lr*(m/(1-beta1^t)) / (d*sqrt(v/(1-beta2^t)) + eps)",
    ),
    hypers=(
        lr_hyper(0.5),
        unit_interval("beta1", 0.9, "how much of the mean gradient m is kept each step"),
        unit_interval("beta2", 0.999, "how much of the mean squared gradient v is kept each step"),
        unit_interval("beta3", 0.999, "how much of the feedback d is kept each step"),
        Hyper("small_k", 0.1, "k in the paper: the smallest relative change of fhat per step that is counted"),
        Hyper("big_k", 10.0, "K in the paper: the largest relative change of fhat per step (clips outliers)"),
        eps_hyper(1e-8, "added to d*sqrt(vhat)"),
    ),
    columns=(
        Column("ratio", "f/fhat_prev", "IF({t}=1,1,{loss}/{fhat.prev})",
               "the loss relative to the previous smoothed loss (1 on step 1)", shared=True),
        Column("lo", "clip lo", "IF({t}=1,1,IF({loss}>={fhat.prev},{small_k}+1,1/({big_k}+1)))",
               "lower clip bound: k+1 if f >= fhat_prev, else 1/(K+1) (1 on step 1)", shared=True),
        Column("hi", "clip hi", "IF({t}=1,1,IF({loss}>={fhat.prev},{big_k}+1,1/({small_k}+1)))",
               "upper clip bound: K+1 if f >= fhat_prev, else 1/(k+1) (1 on step 1)", shared=True),
        Column("c", "clipped ratio c", "MIN(MAX({ratio},{lo}),{hi})",
               "c = the ratio clipped to [lo, hi]", shared=True),
        Column("fhat", "fhat", "IF({t}=1,{loss},{c}*{fhat.prev})", "fhat = f on step 1, then c*fhat_prev",
               shared=True, init=0.0),
        Column("r", "relative change r", "IF({t}=1,0,ABS({fhat}-{fhat.prev})/MIN({fhat},{fhat.prev}))",
               "r = |fhat - fhat_prev| / min(fhat, fhat_prev) (0 on step 1)", shared=True),
        Column("d", "feedback d", "IF({t}=1,1,{beta3}*{d.prev}+(1-{beta3})*{r})",
               "d = 1 on step 1, then beta3*d + (1-beta3)*r", shared=True, init=1.0),
        first_moment(of="grad"),
        second_moment(of="grad"),
    ),
    update="{p}-{lr}*({m}/(1-{beta1}^{t}))/({d}*SQRT({v}/(1-{beta2}^{t}))+{eps})",
    lesson=("single-sample losses jump 10x from row to row here, the clip bounds bind often, and d grows (2.2"
            " by epoch 20), so Eve's steps are about half of Adam's: it converges more slowly than the adam "
            "sheet (epoch-20 loss 0.8 vs 0.006)."),
    init_fn=init,
    step_fn=step,
)
