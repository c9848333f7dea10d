"""Plain stochastic gradient descent (torch.optim.SGD with momentum=0)."""

from graddesc.optimizers.base import WD_GRAD, Optimizer, lr_hyper, weight_decay_hyper


def init(hp, p):
    return {}


def step(hp, state, p, grad, t, loss):
    g = grad + hp["weight_decay"] * p
    return p - hp["lr"] * g, {"g": g}


SGD = Optimizer(
    name="sgd",
    title="SGD: plain stochastic gradient descent",
    summary=(
        "Each step takes one sample, measures the slope of its loss with respect to a and b, "
        "and moves each parameter a small step downhill: new = old - lr * slope. "
        "The numerical derivative beside the analytic one shows the slope is right."
    ),
    equations=("g = de/dp + weight_decay*p", "p <- p - lr*g"),
    hypers=(
        lr_hyper(1e-4, "learning rate; torch's 1e-3 diverges here because x reaches 100"),
        weight_decay_hyper(),
    ),
    columns=(WD_GRAD,),
    update="{p}-{lr}*{g}",
    torch="SGD",
    lesson="a converges within an epoch but b crawls: one lr for both parameters is too small for b.",
    init_fn=init,
    step_fn=step,
)
