"""Plain stochastic gradient descent (torch.optim.SGD with momentum=0)."""

from graddesc.optimizers.base import Optimizer, lr_hyper
from graddesc.optimizers.compose import l2_decay


def init(hp, p):
    return {}


def step(hp, state, p, g, t, loss):
    """g: the gradient with weight decay (compose.l2_decay)."""
    return p - hp["lr"] * g, {}


SGD = l2_decay(Optimizer(
    name="sgd",
    title="SGD: plain stochastic gradient descent",
    summary=(
        "Each step takes one sample, measures the slope of its loss with respect to a and b, "
        "and moves each parameter a small step downhill: new = old - lr * slope. "
        "The numerical derivative beside the analytic one shows the slope is right."
    ),
    equations=("p <- p - lr*g",),
    hypers=(
        lr_hyper(1e-4, "learning rate; torch's 1e-3 diverges here because x reaches 100"),
    ),
    columns=(),
    update="{p}-{lr}*{g}",
    torch="SGD",
    numerical_gradient=True,
    lesson="a converges within an epoch but b crawls: one lr for both parameters is too small for b.",
    init_fn=init,
    step_fn=step,
))
