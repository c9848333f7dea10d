"""SGD with Nesterov momentum (torch.optim.SGD with nesterov=True): the momentum unit, nesterov=1."""

from graddesc.optimizers import momentum

NESTEROV = momentum.make(
    "nesterov",
    "SGD with Nesterov momentum (look-ahead)",
    "Momentum, but each step adds the fresh gradient on top of the velocity: d = g + momentum*buf. "
    "In effect it looks one step ahead along the velocity, so it brakes earlier than plain momentum "
    "when the velocity starts to overshoot.",
    lr=1e-5,
    nesterov=1,
    lesson=("momentum's lr 1e-5: the look-ahead brakes the first overshoot (epoch-1 loss 1301 vs the momentum "
            "sheet's 2149), then both settle alike and b still crawls (1.7 after 20 epochs): one lr for both."),
)
