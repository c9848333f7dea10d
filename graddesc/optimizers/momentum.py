"""SGD with momentum (torch.optim.SGD with momentum > 0; nesterov as an option)."""

from graddesc.errors import InputError
from graddesc.optimizers.base import (
    Column, Hyper, Optimizer, flag, lr_hyper, unit_interval)
from graddesc.optimizers.compose import l2_decay


def init(hp, p):
    return {"buf": p * 0.0}


def step(hp, state, p, g, t, loss):
    """g: the gradient with weight decay (compose.l2_decay)."""
    mu = hp["momentum"]
    if t == 1:
        buf = g  # torch: the first step takes the gradient as it is, no dampening
    else:
        buf = mu * state["buf"] + (1 - hp["dampening"]) * g
    d = g + mu * buf if hp["nesterov"] else buf
    return p - hp["lr"] * d, {"buf": buf}


def check(hp):
    if hp["nesterov"] and (hp["momentum"] <= 0 or hp["dampening"] != 0):
        raise InputError("nesterov=1 needs momentum > 0 and dampening = 0 (as in torch.optim.SGD)")


def make(name, title, summary, lr, nesterov, lesson):
    return l2_decay(Optimizer(
        name=name,
        title=title,
        summary=summary,
        equations=(
            "buf = g on step 1, then buf = momentum*buf + (1-dampening)*g",
            "d = g + momentum*buf if nesterov else buf",
            "p <- p - lr*d",
        ),
        hypers=(
            lr_hyper(lr),
            unit_interval("momentum", 0.9, "fraction of the previous velocity kept each step"),
            Hyper("dampening", 0.0, "fraction of the new gradient left out of the velocity", hi=1.0, hi_open=False),
            flag("nesterov", nesterov, "1: look ahead, step along g + momentum*buf (Nesterov)"),
        ),
        columns=(
            Column("buf", "velocity", "IF({t}=1,{g},{momentum}*{buf.prev}+(1-{dampening})*{g})",
                   "buf = g on step 1, else momentum*buf + (1-dampening)*g", init=0.0),
        ),
        update="{p}-{lr}*IF({nesterov},{g}+{momentum}*{buf},{buf})",
        torch="SGD",
        lesson=lesson,
        init_fn=init,
        step_fn=step,
        check_fn=check,
    ))


MOMENTUM = make(
    "momentum",
    "SGD with momentum",
    "The step follows a running velocity instead of the raw slope: each new gradient is added to "
    "a decaying sum of the old ones. Consistent directions build speed; zig-zags cancel out.",
    lr=1e-5,
    nesterov=0,
    lesson="velocity accumulates: with the same lr as SGD it would overshoot, so lr is 10x smaller.",
)
