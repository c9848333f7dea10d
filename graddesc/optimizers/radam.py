"""RAdam as torch.optim.RAdam: Adam whose adaptive step is switched on (and rectified) only once
the variance of v's estimate is bounded (rho_t > 5)."""

import numpy as np

from graddesc.optimizers.base import (
    Column, Optimizer, eps_hyper, lr_hyper, unit_interval)
from graddesc.optimizers.compose import first_moment, second_moment, l2_decay


def init(hp, p):
    z = p * 0.0
    return {"m": z, "v": z}


def step(hp, state, p, g, t, loss):
    """g: the gradient with weight decay (compose.l2_decay)."""
    b1, b2, lr = hp["beta1"], hp["beta2"], hp["lr"]
    m = b1 * state["m"] + (1 - b1) * g
    v = b2 * state["v"] + (1 - b2) * (g * g)
    mhat = m / (1 - b1**t)
    rho_inf = 2 / (1 - b2) - 1
    rho_t = rho_inf - 2 * t * b2**t / (1 - b2**t)
    if rho_t > 5:
        rect = np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        new_p = p - mhat * lr * (np.sqrt(1 - b2**t) / (np.sqrt(v) + hp["eps"])) * rect
        adapted = 1.0
    else:  # un-adapted: SGD with (bias-corrected) momentum
        rect = 0.0
        new_p = p - mhat * lr
        adapted = 0.0
    return new_p, {"rho_t": rho_t, "adapted": adapted, "rect": rect, "m": m, "v": v, "mhat": mhat}


RHO_INF = "(2/(1-{beta2})-1)"

RADAM = l2_decay(Optimizer(
    name="radam",
    title="RAdam: rectified Adam, momentum SGD until v can be trusted",
    summary=(
        "In the first steps v is an average of very few g^2, too noisy to divide by. RAdam measures "
        "that with rho_t (an effective number of samples in v): while rho_t <= 5 it takes plain "
        "momentum steps lr*mhat (column 'adapted' = 0); after that, Adam steps scaled by a "
        "rectification factor r that grows towards 1."
    ),
    equations=(
        "m = beta1*m + (1-beta1)*g,   v = beta2*v + (1-beta2)*g^2,   mhat = m/(1-beta1^t)",
        "rho_inf = 2/(1-beta2) - 1,   rho_t = rho_inf - 2*t*beta2^t/(1-beta2^t)",
        "r = sqrt((rho_t-4)(rho_t-2)rho_inf / ((rho_inf-4)(rho_inf-2)rho_t))",
        "p <- p - mhat*lr*(sqrt(1-beta2^t)/(sqrt(v)+eps))*r if rho_t > 5 else p - mhat*lr",
    ),
    hypers=(
        lr_hyper(1e-3, "learning rate (torch's default): the first steps move lr*mhat, later ones about lr*r"),
        unit_interval("beta1", 0.9, "how much of the mean gradient m is kept each step"),
        unit_interval("beta2", 0.999, "how much of the mean squared gradient v is kept each step"),
        eps_hyper(1e-8, "added to sqrt(v) (before its bias correction)"),
    ),
    columns=(
        Column("rho_t", "rho_t", "2/(1-{beta2})-1-2*{t}*{beta2}^{t}/(1-{beta2}^{t})",
               "rho_t = rho_inf - 2*t*beta2^t/(1-beta2^t), rho_inf = 2/(1-beta2) - 1: how many g^2 v "
               "effectively averages", shared=True),
        Column("adapted", "adapted (1/0)", "IF({rho_t}>5,1,0)",
               "1: the Adam step is used (rho_t > 5); 0: a plain momentum step lr*mhat", shared=True),
        Column("rect", "rectification r",
               "IF({adapted}=1,SQRT(({rho_t}-4)*({rho_t}-2)*" + RHO_INF + "/((" + RHO_INF + "-4)*("
               + RHO_INF + "-2)*{rho_t})),0)",
               "r = sqrt((rho_t-4)(rho_t-2)rho_inf / ((rho_inf-4)(rho_inf-2)rho_t)) when adapted, else 0",
               shared=True),
        first_moment(),
        second_moment(),
        Column("mhat", "mhat", "{m}/(1-{beta1}^{t})", "mhat = m/(1-beta1^t): the bias-corrected mean gradient"),
    ),
    update="{p}-IF({adapted}=1,{mhat}*{lr}*(SQRT(1-{beta2}^{t})/(SQRT({v})+{eps}))*{rect},{mhat}*{lr})",
    torch="RAdam",
    lesson=("torch's lr 1e-3. Steps 1-5 (adapted = 0) are momentum steps lr*mhat with gradients in the "
            "thousands: a jumps to 6.4, then -3.5, then back to 2.2. From step 6 the Adam step is about lr*r "
            "with r = 0.03 growing slowly, so b crawls (1.4 after 20 epochs): on this problem no single lr "
            "suits both phases."),
    init_fn=init,
    step_fn=step,
))
