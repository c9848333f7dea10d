"""Adamax as torch.optim.Adamax: Adam with the infinity norm (a decaying max of |g|) for v."""

import numpy as np

from graddesc.optimizers.base import (
    Column, Optimizer, eps_hyper, lr_hyper, unit_interval)
from graddesc.optimizers.compose import first_moment, l2_decay


def init(hp, p):
    z = p * 0.0
    return {"m": z, "u": z}


def step(hp, state, p, g, t, loss):
    """g: the gradient with weight decay (compose.l2_decay)."""
    b1, b2 = hp["beta1"], hp["beta2"]
    m = b1 * state["m"] + (1 - b1) * g
    u = np.maximum(b2 * state["u"], np.abs(g) + hp["eps"])
    return p - (hp["lr"] / (1 - b1**t)) * m / u, {"m": m, "u": u}


ADAMAX = l2_decay(Optimizer(
    name="adamax",
    title="Adamax: Adam with a decaying maximum of |g| instead of the mean of g^2",
    summary=(
        "Adamax keeps Adam's moving mean m of the gradient but divides by u, the largest recent |g| "
        "(each old value decays by beta2 per step). u needs no bias correction: max(0, |g|) is |g| "
        "from the first step."
    ),
    equations=(
        "m = beta1*m + (1-beta1)*g",
        "u = max(beta2*u, |g| + eps)",
        "p <- p - lr/(1-beta1^t) * m / u",
    ),
    hypers=(
        lr_hyper(0.5, "learning rate: each step moves about lr; torch's 2e-3 would need 15,000 steps to move b by 30"),
        unit_interval("beta1", 0.9, "how much of the mean gradient m is kept each step"),
        unit_interval("beta2", 0.999, "how much of the largest |g| u is kept each step"),
        eps_hyper(1e-8, "added to |g| inside the max, so u is never zero"),
    ),
    columns=(
        first_moment(),
        Column("u", "u (max |g|)", "MAX({beta2}*{u.prev},ABS({g})+{eps})", "u = max(beta2*u, |g| + eps)",
               init=0.0),
    ),
    update="{p}-({lr}/(1-{beta1}^{t}))*{m}/{u}",
    torch="Adamax",
    lesson=("Adam's lr 0.5: u remembers the largest |g| (thousands for a in the first steps) and forgets only"
            " 0.1% per step, so once the gradients shrink the steps are a fraction of lr: it converges, more "
            "slowly than Adam (epoch-20 loss 17 vs 0.006, b 21)."),
    init_fn=init,
    step_fn=step,
))
