"""AdamW as torch.optim.AdamW: Adam with decoupled weight decay."""

import numpy as np

from graddesc.optimizers.base import Column, Hyper, Optimizer, eps_hyper, flag, lr_hyper, unit_interval
from graddesc.optimizers.compose import first_moment, second_moment


def init(hp, p):
    z = p * 0.0
    return {"m": z, "v": z, "vmax": z}


def step(hp, state, p, grad, t, loss):
    b1, b2, lr = hp["beta1"], hp["beta2"], hp["lr"]
    decayed = p * (1 - lr * hp["weight_decay"])  # first shrink p towards 0 ...
    m = b1 * state["m"] + (1 - b1) * grad  # ... then Adam with the gradient of the loss alone
    v = b2 * state["v"] + (1 - b2) * (grad * grad)
    vmax = np.maximum(state["vmax"], v) if hp["amsgrad"] else v
    new_p = decayed - (lr / (1 - b1**t)) * m / (np.sqrt(vmax) / np.sqrt(1 - b2**t) + hp["eps"])
    return new_p, {"decayed": decayed, "m": m, "v": v, "vmax": vmax}


ADAMW = Optimizer(
    name="adamw",
    title="AdamW: Adam with decoupled weight decay",
    summary=(
        "Adam with weight_decay adds weight_decay*p to the gradient, and then Adam's division by "
        "sqrt(v) rescales that decay too. AdamW keeps the decay out of the gradient: each step first "
        "shrinks p by the factor 1 - lr*weight_decay, then takes the Adam step with the loss's own gradient."
    ),
    equations=(
        "p' = p * (1 - lr*weight_decay)     (decoupled decay)",
        "m = beta1*m + (1-beta1)*de/dp,   v = beta2*v + (1-beta2)*(de/dp)^2",
        "vmax = max(vmax, v) if amsgrad else v",
        "p <- p' - lr/(1-beta1^t) * m / (sqrt(vmax)/sqrt(1-beta2^t) + eps)",
    ),
    hypers=(
        lr_hyper(0.5),
        unit_interval("beta1", 0.9, "how much of the mean gradient m is kept each step"),
        unit_interval("beta2", 0.999, "how much of the mean squared gradient v is kept each step"),
        eps_hyper(1e-8),
        Hyper("weight_decay", 1e-2, "each step first multiplies p by 1 - lr*weight_decay (torch's default 1e-2)"),
        flag("amsgrad", 0, "1: divide by the largest v seen so far (AMSGrad)"),
    ),
    columns=(
        Column("decayed", "p decayed", "{p}*(1-{lr}*{weight_decay})", "p' = p * (1 - lr*weight_decay)"),
        first_moment(of="grad", shown="de/dp"),
        second_moment(of="grad", shown="(de/dp)"),
        Column("vmax", "v used", "IF({amsgrad},MAX({vmax.prev},{v}),{v})",
               "vmax = max(vmax, v) if amsgrad, else v", init=0.0),
    ),
    update="{decayed}-({lr}/(1-{beta1}^{t}))*{m}/(SQRT({vmax})/SQRT(1-{beta2}^{t})+{eps})",
    torch="AdamW",
    lesson=("Adam's lr 0.5 with torch's weight_decay 1e-2: every step first shrinks b by 0.5% (0.15 at b = "
            "30), about what an Adam step gains, so b hovers near 21 instead of 30 (a near 2.2): decay pulls "
            "towards 0. Set weight_decay 0 to get the adam sheet back."),
    init_fn=init,
    step_fn=step,
)
