"""RMSProp as torch.optim.RMSprop, with its centered and momentum options."""

import numpy as np

from graddesc.optimizers.base import (
    Column, Optimizer, eps_hyper, flag, lr_hyper, unit_interval)
from graddesc.optimizers.compose import second_moment, l2_decay


def init(hp, p):
    z = p * 0.0
    return {"v": z, "gbar": z, "buf": z}


def step(hp, state, p, g, t, loss):
    """g: the gradient with weight decay (compose.l2_decay)."""
    alpha = hp["alpha"]
    v = alpha * state["v"] + (1 - alpha) * (g * g)
    if hp["centered"]:
        gbar = state["gbar"] + (1 - alpha) * (g - state["gbar"])
        den = np.sqrt(v - (gbar * gbar)) + hp["eps"]
    else:
        gbar = state["gbar"]
        den = np.sqrt(v) + hp["eps"]
    buf = hp["momentum"] * state["buf"] + g / den
    return p - hp["lr"] * buf, {"v": v, "gbar": gbar, "den": den, "buf": buf}


RMSPROP = l2_decay(Optimizer(
    name="rmsprop",
    title="RMSProp: divide by a moving root-mean-square of recent gradients",
    summary=(
        "Like Adagrad, but the sum of squared gradients is replaced by a moving average, so old "
        "gradients are forgotten and the step does not shrink to zero. centered=1 subtracts the "
        "squared mean gradient (a variance); momentum>0 adds a velocity on top."
    ),
    equations=(
        "v = alpha*v + (1-alpha)*g^2",
        "gbar = gbar + (1-alpha)*(g - gbar)   (only if centered)",
        "den = sqrt(v - gbar^2) + eps if centered else sqrt(v) + eps",
        "buf = momentum*buf + g/den",
        "p <- p - lr*buf",
    ),
    hypers=(
        lr_hyper(0.1),
        unit_interval("alpha", 0.9, "how much of the moving average of g^2 is kept each step"),
        eps_hyper(1e-8),
        unit_interval("momentum", 0.0, "velocity kept from the previous step (0: none)"),
        flag("centered", 0, "1: normalise by the variance of g instead of its mean square"),
    ),
    columns=(
        second_moment("alpha"),
        Column("gbar", "mean g", "IF({centered},{gbar.prev}+(1-{alpha})*({g}-{gbar.prev}),{gbar.prev})",
               "gbar = gbar + (1-alpha)*(g-gbar) if centered, else unchanged (0)", init=0.0),
        Column("den", "denominator", "IF({centered},SQRT({v}-({gbar}*{gbar})),SQRT({v}))+{eps}",
               "den = sqrt(v - gbar^2) + eps if centered, else sqrt(v) + eps"),
        Column("buf", "step direction", "{momentum}*{buf.prev}+{g}/{den}", "buf = momentum*buf + g/den", init=0.0),
    ),
    update="{p}-{lr}*{buf}",
    torch="RMSprop",
    lesson="each step moves about lr regardless of the gradient's size, so a and b both move.",
    init_fn=init,
    step_fn=step,
))
