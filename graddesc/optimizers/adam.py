"""Adam as torch.optim.Adam (with its amsgrad option)."""

import numpy as np

from graddesc.optimizers.base import (
    Column, Optimizer, eps_hyper, flag, lr_hyper, unit_interval)
from graddesc.optimizers.compose import first_moment, second_moment, l2_decay


def init(hp, p):
    z = p * 0.0
    return {"m": z, "v": z, "vmax": z}


def step(hp, state, p, g, t, loss):
    """g: the gradient with weight decay (compose.l2_decay)."""
    b1, b2 = hp["beta1"], hp["beta2"]
    m = b1 * state["m"] + (1 - b1) * g
    v = b2 * state["v"] + (1 - b2) * (g * g)
    vmax = np.maximum(state["vmax"], v) if hp["amsgrad"] else v
    bc1 = 1 - b1**t
    bc2 = 1 - b2**t
    new_p = p - (hp["lr"] / bc1) * m / (np.sqrt(vmax) / np.sqrt(bc2) + hp["eps"])
    return new_p, {"m": m, "v": v, "vmax": vmax}


def make(name, title, summary, amsgrad, lesson):
    return l2_decay(Optimizer(
        name=name,
        title=title,
        summary=summary,
        equations=(
            "m = beta1*m + (1-beta1)*g          (momentum: mean of g)",
            "v = beta2*v + (1-beta2)*g^2        (RMSProp: mean of g^2)",
            "vmax = max(vmax, v) if amsgrad else v",
            "p <- p - lr/(1-beta1^t) * m / (sqrt(vmax)/sqrt(1-beta2^t) + eps)",
        ),
        hypers=(
            lr_hyper(0.5),
            unit_interval("beta1", 0.9, "how much of the mean gradient m is kept each step"),
            unit_interval("beta2", 0.999, "how much of the mean squared gradient v is kept each step"),
            eps_hyper(1e-8),
            flag("amsgrad", amsgrad, "1: divide by the largest v seen so far (AMSGrad)"),
        ),
        columns=(
            first_moment(),
            second_moment(),
            Column("vmax", "v used", "IF({amsgrad},MAX({vmax.prev},{v}),{v})",
                   "vmax = max(vmax, v) if amsgrad, else v", init=0.0),
        ),
        update="{p}-({lr}/(1-{beta1}^{t}))*{m}/(SQRT({vmax})/SQRT(1-{beta2}^{t})+{eps})",
        torch="Adam",
        lesson=lesson,
        init_fn=init,
        step_fn=step,
    ))


ADAM = make(
    "adam",
    "Adam: momentum and RMSProp together, with bias correction",
    "Adam keeps a moving mean of the gradient (m, like momentum) and of its square (v, like "
    "RMSProp) and steps along m / sqrt(v). Both start at 0, so early steps are divided by "
    "1 - beta^t to undo that bias.",
    amsgrad=0,
    lesson="steps are about lr in size from the first step; lr 0.5 reaches a=2, b=30 within 20 epochs.",
)
