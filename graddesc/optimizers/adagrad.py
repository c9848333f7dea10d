"""Adagrad as torch.optim.Adagrad: a per-parameter, per-step learning rate."""

import numpy as np

from graddesc.optimizers.base import (
    Column, Hyper, Optimizer, eps_hyper, lr_hyper)
from graddesc.optimizers.compose import l2_decay


def init(hp, p):
    return {"sum": np.full_like(p, hp["initial_accumulator_value"])}


def step(hp, state, p, g, t, loss):
    """g: the gradient with weight decay (compose.l2_decay)."""
    clr = hp["lr"] / (1 + (t - 1) * hp["lr_decay"])
    s = state["sum"] + g * g
    eff = clr / (np.sqrt(s) + hp["eps"])
    return p - clr * g / (np.sqrt(s) + hp["eps"]), {"clr": clr, "sum": s, "eff_lr": eff}


ADAGRAD = l2_decay(Optimizer(
    name="adagrad",
    title="Adagrad: a learning rate per parameter that shrinks with its gradients",
    summary=(
        "Each parameter keeps the sum of its squared gradients; its step is lr divided by the "
        "square root of that sum. Parameters with large or frequent gradients slow down, rare "
        "or small ones keep a large step."
    ),
    equations=(
        "clr = lr / (1 + (t-1)*lr_decay)",
        "sum = sum + g^2",
        "p <- p - clr*g / (sqrt(sum) + eps)",
    ),
    hypers=(
        lr_hyper(5.0),
        Hyper("lr_decay", 0.0, "the learning rate is divided by 1 + (t-1)*lr_decay"),
        Hyper("initial_accumulator_value", 0.0, "starting value of each sum of squares"),
        eps_hyper(1e-10),
    ),
    columns=(
        Column("clr", "clr", "{lr}/(1+({t}-1)*{lr_decay})", "clr = lr / (1 + (t-1)*lr_decay)", shared=True),
        Column("sum", "sum g^2", "{sum.prev}+({g}*{g})", "sum = sum + g^2", init="{initial_accumulator_value}"),
        Column("eff_lr", "effective lr", "{clr}/(SQRT({sum})+{eps})",
               "effective lr = clr / (sqrt(sum) + eps): the step per unit of gradient"),
    ),
    update="{p}-{clr}*{g}/(SQRT({sum})+{eps})",
    torch="Adagrad",
    lesson="lr 5 looks huge, but the first step divides it by |g|; a settles fast, b creeps up as its effective lr shrinks.",
    init_fn=init,
    step_fn=step,
))
