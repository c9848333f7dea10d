"""Run an optimizer in numpy over the data, one sample per step, epoch after epoch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graddesc.errors import InputError
from graddesc.optimizers import Optimizer
from graddesc.problem import INIT_A, INIT_B, Data

MAX_EPOCHS = 100_000


@dataclass
class Trajectory:
    """Every quantity of every step; arrays have one entry per step (per-parameter ones: shape (steps, 2))."""

    optimizer: Optimizer
    hp: dict
    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    epoch: np.ndarray
    p: np.ndarray  # parameters before the step, (steps, 2): a, b
    pred: np.ndarray
    loss: np.ndarray
    grad: np.ndarray  # (steps, 2): de/da, de/db
    new_p: np.ndarray
    columns: dict  # key -> (steps,) or (steps, 2)
    epoch_columns: dict  # key -> (epochs + 1,) or (epochs + 1, 2); row 0 is the starting row

    def rows(self):
        """One dict per step with the keys of `graddesc run`."""
        for i in range(len(self.t)):
            yield {
                "step": int(self.t[i]), "epoch": int(self.epoch[i]),
                "x": float(self.x[i]), "y": float(self.y[i]),
                "a": float(self.p[i, 0]), "b": float(self.p[i, 1]),
                "loss": float(self.loss[i]),
                "grad_a": float(self.grad[i, 0]), "grad_b": float(self.grad[i, 1]),
                "new_a": float(self.new_p[i, 0]), "new_b": float(self.new_p[i, 1]),
            }


def check_epochs(epochs) -> int:
    if isinstance(epochs, bool) or not isinstance(epochs, int) or not 1 <= epochs <= MAX_EPOCHS:
        raise InputError(f"--epochs must be an integer between 1 and {MAX_EPOCHS}, got {epochs!r}")
    return epochs


def run(opt: Optimizer, hp: dict, data: Data, epochs: int,
        start=(INIT_A, INIT_B)) -> Trajectory:
    check_epochs(epochs)
    n = len(data)
    steps = n * epochs
    xs = np.tile(data.x, epochs)
    ys = np.tile(data.y, epochs)
    P = np.empty((steps, 2))
    NP = np.empty((steps, 2))
    G = np.empty((steps, 2))
    pred = np.empty(steps)
    loss = np.empty(steps)
    cols: dict[str, list] = {}
    p = np.array(start, dtype=np.float64)
    state = opt.init(hp, p)
    ep = opt.epoch_init(hp) if opt.epoch_columns else None
    ecols: dict[str, list] = {k: [v] for k, v in (ep or {}).items()}
    for c in opt.epoch_columns:  # no starting value (an empty start cell): row 0 is nan
        ecols.setdefault(c.key, [np.nan if c.shared else np.full(2, np.nan)])
    with np.errstate(all="ignore"):  # a diverging run gives inf/nan, which verify compares with #NUM!
        for i in range(steps):
            a, b = p
            x, y = xs[i], ys[i]
            pr = a * x + b
            r = pr - y
            gb = 2 * r
            grad = np.array([x * gb, gb])
            pred[i] = pr
            loss[i] = r * r
            P[i] = p
            G[i] = grad
            if ep is not None:
                ep["first_step"] = i % n == 0  # not an epoch column: lets a step restart a running sum
            new_p, new_state = opt.step(hp, state, p, grad, i + 1, loss[i], ep=ep)
            for k, v in new_state.items():
                cols.setdefault(k, []).append(v)
            state = new_state
            p = np.asarray(new_p, dtype=np.float64)
            NP[i] = p
            if ep is not None and (i + 1) % n == 0:
                lo = i + 1 - n
                rows = {k: np.array(v[lo:], dtype=np.float64) for k, v in cols.items()}
                rows.update(grad=G[lo:i + 1], loss=loss[lo:i + 1], p=P[lo:i + 1], new=NP[lo:i + 1],
                            x=xs[lo:i + 1], y=ys[lo:i + 1], pred=pred[lo:i + 1])
                assert opt.epoch_fn is not None  # a unit with epoch columns has one
                ep = opt.epoch_fn(hp, ep, rows)
                for k, v in ep.items():
                    if k != "first_step":
                        ecols.setdefault(k, []).append(v)
    return Trajectory(
        optimizer=opt, hp=hp, x=xs, y=ys, t=np.arange(1, steps + 1),
        epoch=np.repeat(np.arange(1, epochs + 1), n), p=P, pred=pred, loss=loss, grad=G,
        new_p=NP, columns={k: np.array(v, dtype=np.float64) for k, v in cols.items()},
        epoch_columns={k: np.array(v, dtype=np.float64) for k, v in ecols.items()},
    )
