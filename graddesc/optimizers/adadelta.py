"""Adadelta as torch.optim.Adadelta: the step is scaled by a moving RMS of past steps."""

import numpy as np

from graddesc.optimizers.base import (
    Column, Optimizer, eps_hyper, lr_hyper, unit_interval)
from graddesc.optimizers.compose import second_moment, l2_decay


def init(hp, p):
    z = p * 0.0
    return {"v": z, "u": z}


def step(hp, state, p, g, t, loss):
    """g: the gradient with weight decay (compose.l2_decay)."""
    rho, eps = hp["rho"], hp["eps"]
    v = rho * state["v"] + (1 - rho) * (g * g)
    # the RMS of past steps uses u from BEFORE this step's update
    delta = np.sqrt(state["u"] + eps) / np.sqrt(v + eps) * g
    u = rho * state["u"] + (1 - rho) * (delta * delta)
    return p - hp["lr"] * delta, {"v": v, "delta": delta, "u": u}


ADADELTA = l2_decay(Optimizer(
    name="adadelta",
    title="Adadelta: the step size comes from the size of past steps",
    summary=(
        "Like RMSProp it divides the gradient by a moving RMS of recent gradients, but instead of a "
        "learning rate it multiplies by a moving RMS of its own recent steps (u). Steps start tiny "
        "(sqrt(eps)) and can only grow as fast as they have grown before."
    ),
    equations=(
        "v = rho*v + (1-rho)*g^2",
        "delta = sqrt(u + eps) / sqrt(v + eps) * g    (u from the previous step)",
        "u = rho*u + (1-rho)*delta^2",
        "p <- p - lr*delta",
    ),
    hypers=(
        lr_hyper(1.0, "multiplies delta; 1 is the original Adadelta (no learning rate)"),
        unit_interval("rho", 0.9, "how much of the moving averages v and u is kept each step"),
        eps_hyper(1e-6, "inside both square roots: sets the size of the first steps, sqrt(eps)"),
    ),
    columns=(
        second_moment("rho"),
        Column("delta", "delta", "SQRT({u.prev}+{eps})/SQRT({v}+{eps})*{g}",
               "delta = sqrt(u + eps) / sqrt(v + eps) * g, with u of the previous row"),
        Column("u", "u (mean delta^2)", "{rho}*{u.prev}+(1-{rho})*({delta}*{delta})", "u = rho*u + (1-rho)*delta^2",
               init=0.0),
    ),
    update="{p}-{lr}*{delta}",
    torch="Adadelta",
    lesson=("no lr to tune, but the steps start at about sqrt(eps) = 0.001 and grow only as fast as past "
            "steps did: the loss falls steadily (7283 in epoch 1, 145 in epoch 20) yet b is only 3.1 after 20"
            " epochs."),
    init_fn=init,
    step_fn=step,
))
