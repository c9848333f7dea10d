"""Pieces several optimizers share, composed the way optax builds adam from scale_by_adam and
scale_by_learning_rate: each is stated once here and used by name in the units.

    l2_decay(opt)          torch's weight_decay: the unit's rule sees g = de/dp + weight_decay*p
                           (its hyperparameter, its g column, its equation and its numpy line)
    first_moment(...)      the m column: a moving mean of the gradient (Adam's m)
    second_moment(...)     the v column: a moving mean of the squared gradient (RMSProp's v, Adam's v)

The numpy side of a unit stays written from the maths: l2_decay hands its step the decayed
gradient g, so the step function reads like the paper's update.
"""

from __future__ import annotations

from dataclasses import replace

from graddesc.optimizers.base import Column, Hyper, Optimizer

WD_EQUATION = "g = de/dp + weight_decay*p"
WD_HYPER = Hyper("weight_decay", 0.0, "L2 penalty: adds weight_decay*p to the gradient")
WD_GRAD = Column("g", "g", "{grad}+{weight_decay}*{p}", WD_EQUATION)


def l2_decay(opt: Optimizer) -> Optimizer:
    """`opt` with torch's L2 weight decay in front: the hyperparameter weight_decay (last), the column g
    (first), the equation g = de/dp + weight_decay*p (first), and a step that passes g to opt's step."""
    inner = opt.step_fn

    def step(hp, state, p, grad, t, loss, **kw):
        g = grad + hp["weight_decay"] * p
        new_p, new_state = inner(hp, state, p, g, t, loss, **kw)
        return new_p, {"g": g, **new_state}

    return replace(opt, equations=(WD_EQUATION,) + opt.equations, hypers=opt.hypers + (WD_HYPER,),
                   columns=(WD_GRAD,) + opt.columns, step_fn=step)


def first_moment(decay: str = "beta1", of: str = "g", shown: str = "g") -> Column:
    """m = decay*m + (1-decay)*g, starting at 0; `of` is the template name of the gradient it averages
    (g after weight decay, or grad), `shown` how the header comment writes it."""
    return Column("m", "m (mean g)", f"{{{decay}}}*{{m.prev}}+(1-{{{decay}}})*{{{of}}}",
                  f"m = {decay}*m + (1-{decay})*{shown}", init=0.0)


def second_moment(decay: str = "beta2", of: str = "g", shown: str = "g") -> Column:
    """v = decay*v + (1-decay)*g^2, starting at 0."""
    return Column("v", "v (mean g^2)", f"{{{decay}}}*{{v.prev}}+(1-{{{decay}}})*({{{of}}}*{{{of}}})",
                  f"v = {decay}*v + (1-{decay})*{shown}^2", init=0.0)
