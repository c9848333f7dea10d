"""NAdam as torch.optim.NAdam: Adam with Nesterov momentum and a momentum warm-up (mu_t)."""

import numpy as np

from graddesc.optimizers.base import (
    Column, Hyper, Optimizer, eps_hyper, lr_hyper, unit_interval)
from graddesc.optimizers.compose import first_moment, second_moment, l2_decay


def init(hp, p):
    z = p * 0.0
    return {"m": z, "v": z, "prod": 1.0}


def step(hp, state, p, g, t, loss):
    """g: the gradient with weight decay (compose.l2_decay)."""
    b1, b2, lr, psi = hp["beta1"], hp["beta2"], hp["lr"], hp["momentum_decay"]
    mu = b1 * (1 - 0.5 * 0.96 ** (t * psi))  # momentum of this step: about beta1/2 at first
    mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
    prod = state["prod"] * mu  # running product of the mu's
    m = b1 * state["m"] + (1 - b1) * g
    v = b2 * state["v"] + (1 - b2) * (g * g)
    den = np.sqrt(v / (1 - b2**t)) + hp["eps"]
    new_p = p - lr * (1 - mu) / (1 - prod) * g / den - lr * mu_next / (1 - prod * mu_next) * m / den
    return new_p, {"mu": mu, "mu_next": mu_next, "prod": prod, "m": m, "v": v, "den": den}


NADAM = l2_decay(Optimizer(
    name="nadam",
    title="NAdam: Adam with Nesterov momentum",
    summary=(
        "NAdam is Adam whose momentum looks one step ahead, like Nesterov's: the step mixes the fresh "
        "gradient (weight 1-mu_t) with the next step's momentum (weight mu_next). The momentum mu_t "
        "warms up slowly from beta1/2 towards beta1 (momentum_decay), and prod is the running product "
        "of the mu's that corrects the bias of m."
    ),
    equations=(
        "mu_t = beta1*(1 - 0.5*0.96^(t*momentum_decay)),  mu_next = the same with t+1",
        "prod = prod * mu_t   (starts at 1)",
        "m = beta1*m + (1-beta1)*g,   v = beta2*v + (1-beta2)*g^2",
        "den = sqrt(v/(1-beta2^t)) + eps",
        "p <- p - lr*(1-mu_t)/(1-prod)*g/den - lr*mu_next/(1-prod*mu_next)*m/den",
    ),
    hypers=(
        lr_hyper(0.5, "learning rate: each step moves about lr; torch's 2e-3 is far too small here"),
        unit_interval("beta1", 0.9, "the momentum mu_t warms up towards beta1; also the decay of m"),
        unit_interval("beta2", 0.999, "how much of the mean squared gradient v is kept each step"),
        eps_hyper(1e-8, "added to the bias-corrected sqrt(v)"),
        Hyper("momentum_decay", 4e-3, "psi: how fast mu_t warms up from beta1/2 to beta1 (0: stays beta1/2)"),
    ),
    columns=(
        Column("mu", "mu_t", "{beta1}*(1-0.5*0.96^({t}*{momentum_decay}))",
               "mu_t = beta1*(1 - 0.5*0.96^(t*momentum_decay)): this step's momentum", shared=True),
        Column("mu_next", "mu_next", "{beta1}*(1-0.5*0.96^(({t}+1)*{momentum_decay}))",
               "mu_next = beta1*(1 - 0.5*0.96^((t+1)*momentum_decay)): the next step's momentum", shared=True),
        Column("prod", "prod of mu", "{prod.prev}*{mu}", "prod = prod * mu_t, starting at 1", shared=True,
               init=1.0),
        first_moment(),
        second_moment(),
        Column("den", "denominator", "SQRT({v}/(1-{beta2}^{t}))+{eps}", "den = sqrt(v/(1-beta2^t)) + eps"),
    ),
    update="{p}-{lr}*(1-{mu})/(1-{prod})*{g}/{den}-{lr}*{mu_next}/(1-{prod}*{mu_next})*{m}/{den}",
    torch="NAdam",
    lesson=("Adam's lr 0.5: mu_t starts near 0.45, not 0.9, so the early steps lean on the fresh gradient: "
            "epoch-1 loss 432 vs Adam's 768; it converges (b 29.3 after 20 epochs)."),
    init_fn=init,
    step_fn=step,
))
