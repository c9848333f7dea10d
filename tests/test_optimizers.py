"""Each numpy optimizer against torch.optim (float64, one sample per step), over several settings.

Tolerance 1e-12 relative: torch fuses multiply-adds (addcmul_, lerp_, add_ with alpha) and its
sqrt can be 1 ulp off, so the two differ by a few ulps per step (measured <= 2.6e-15 relative over
150 steps, see ../shared/reference/optimizers.md); 1e-12 leaves room for that growth over a run
while still catching any real difference in the update rule (those show at 1e-3 or worse).
"""

import math

import numpy as np
import pytest

from graddesc.errors import InputError
from graddesc.optimizers import REGISTRY
from graddesc.problem import load_csv, make_data
from graddesc.trajectory import run
from tests.witnesses import require_torch

EPOCHS = 5
RTOL = 1e-12


# torch.optim class -> its keyword arguments, named as our hyperparameters ("betas" = beta1, beta2).
# A unit passes the ones it has: plain SGD has no momentum, and torch's default 0 is its rule.
TORCH_KWARGS = {
    "SGD": ("lr", "momentum", "dampening", "nesterov", "weight_decay"),
    "Adagrad": ("lr", "lr_decay", "eps", "initial_accumulator_value", "weight_decay"),
    "RMSprop": ("lr", "alpha", "eps", "momentum", "centered", "weight_decay"),
    "Adam": ("lr", "betas", "eps", "amsgrad", "weight_decay"),
    "AdamW": ("lr", "betas", "eps", "amsgrad", "weight_decay"),
    "Adadelta": ("lr", "rho", "eps", "weight_decay"),
    "Adamax": ("lr", "betas", "eps", "weight_decay"),
    "NAdam": ("lr", "betas", "eps", "momentum_decay", "weight_decay"),
    "RAdam": ("lr", "betas", "eps", "weight_decay"),
}
FLAGS = {"nesterov", "centered", "amsgrad"}  # 0/1 on the sheet, bool in torch
# NAdam keeps its running product mu_product in a tensor of torch's default dtype (float32 unless
# set): float64 here, as every other quantity
FLOAT64_STATE = {"NAdam"}
# lr_scheduler class -> its keyword arguments; stepped once per epoch, as the sheet
SCHEDULERS = {
    "StepLR": lambda hp: {"step_size": int(hp["step_size"]), "gamma": hp["gamma"]},
    "CosineAnnealingWarmRestarts": lambda hp: {"T_0": int(hp["t_0"]), "T_mult": int(hp["t_mult"]),
                                               "eta_min": hp["eta_min"]},
}


def torch_factory(name, hp):
    """The torch.optim optimizer that unit `name` follows (its Optimizer.torch), with the same
    hyperparameters."""
    torch = require_torch()
    cls, _, sched = REGISTRY[name].torch.partition(" + lr_scheduler.")
    kwargs = {}
    for key in TORCH_KWARGS[cls]:
        if key == "betas" and "beta1" in hp:
            kwargs[key] = (hp["beta1"], hp["beta2"])
        elif key in hp:
            kwargs[key] = bool(hp[key]) if key in FLAGS else hp[key]
    scheduler = (lambda opt: getattr(torch.optim.lr_scheduler, sched)(opt, **SCHEDULERS[sched](hp))) if sched else None
    return lambda ps: _Stepper(getattr(torch.optim, cls)(ps, **kwargs), scheduler, float64_state=cls in FLOAT64_STATE)


class _Stepper:
    """An optimizer with, optionally, an lr scheduler stepped once per epoch (every len(data) steps)
    and its lazily created state in float64."""

    def __init__(self, opt, scheduler=None, float64_state=False, steps_per_epoch=len(make_data())):
        self.opt, self.float64_state, self.per_epoch, self.steps = opt, float64_state, steps_per_epoch, 0
        self.scheduler = scheduler(opt) if scheduler else None

    def zero_grad(self):
        self.opt.zero_grad()

    def step(self):
        torch = require_torch()
        old = torch.get_default_dtype()
        if self.float64_state:
            torch.set_default_dtype(torch.float64)
        try:
            self.opt.step()
        finally:
            torch.set_default_dtype(old)
        self.steps += 1
        if self.scheduler is not None and self.steps % self.per_epoch == 0:
            self.scheduler.step()


# optimizer -> list of hyperparameter overrides (the default settings are always included)
SETTINGS = {
    "sgd": [{"lr": 3e-5}, {"lr": 5e-5, "weight_decay": 0.01}],
    "momentum": [{"momentum": 0.5, "dampening": 0.3}, {"nesterov": 1, "lr": 5e-6},
                 {"weight_decay": 0.1, "momentum": 0.8}],
    "adagrad": [{"lr_decay": 0.01}, {"initial_accumulator_value": 0.5, "lr": 1.0},
                {"weight_decay": 0.01, "eps": 1e-6}],
    "rmsprop": [{"centered": 1}, {"momentum": 0.5, "lr": 0.01}, {"centered": 1, "momentum": 0.3, "lr": 0.01},
                {"alpha": 0.99, "weight_decay": 0.01}, {"centered": 1, "alpha": 0.99, "lr": 0.05},
                {"momentum": 0.9, "lr": 0.003, "eps": 1e-4}],
    "adam": [{"amsgrad": 1}, {"beta1": 0.5, "beta2": 0.9, "lr": 0.1}, {"weight_decay": 0.01, "eps": 1e-4}],
    "nesterov": [{"lr": 5e-6, "momentum": 0.5}, {"weight_decay": 0.05, "momentum": 0.95, "lr": 3e-6}],
    "adadelta": [{"rho": 0.5, "eps": 1e-3}, {"lr": 2.0, "weight_decay": 0.01}, {"rho": 0.99, "eps": 1e-8, "lr": 0.5}],
    "amsgrad": [{"beta1": 0.5, "beta2": 0.9, "lr": 0.1}, {"weight_decay": 0.01, "eps": 1e-4, "lr": 1.0}],
    "adamw": [{"amsgrad": 1}, {"weight_decay": 0.1, "lr": 0.1, "beta1": 0.5}, {"weight_decay": 0.0, "eps": 1e-4}],
    "adamax": [{"beta1": 0.5, "beta2": 0.9, "lr": 0.1}, {"weight_decay": 0.01, "eps": 1e-3, "lr": 1.0}],
    "nadam": [{"momentum_decay": 0.05, "lr": 0.1}, {"beta1": 0.5, "beta2": 0.9, "weight_decay": 0.01},
              {"momentum_decay": 0.0, "eps": 1e-4}],
    "radam": [{"beta2": 0.9, "lr": 0.01}, {"beta1": 0.5, "beta2": 0.99, "lr": 1e-4, "weight_decay": 0.01},
              {"beta2": 0.6, "lr": 1e-4}],
    "sgd_step": [{"step_size": 1, "gamma": 0.9}, {"step_size": 2, "gamma": 0.1, "weight_decay": 0.01}],
    "adam_sgdr": [{"t_0": 2, "t_mult": 2, "eta_min": 0.01}, {"t_0": 1, "lr": 0.3}, {"t_0": 3, "amsgrad": 1}],
}


def cases():
    for name, opt in REGISTRY.items():
        if opt.torch is None:
            continue
        yield pytest.param(name, {}, id=f"{name}-defaults")
        for i, s in enumerate(SETTINGS.get(name, [])):
            yield pytest.param(name, s, id=f"{name}-{i}")


def test_every_torch_optimizer_has_extra_settings():
    for name, opt in REGISTRY.items():
        if opt.torch:
            assert len(SETTINGS.get(name, [])) >= 2, f"{name}: add torch parity settings"


def torch_run(name, hp, data, epochs, start=(1.0, 1.0)):
    torch = require_torch()
    a = torch.tensor([start[0]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([start[1]], dtype=torch.float64, requires_grad=True)
    opt = torch_factory(name, hp)([a, b])
    out = []
    for _ in range(epochs):
        for x, y in zip(data.x.tolist(), data.y.tolist()):
            opt.zero_grad()
            loss = (a * x + b - y) ** 2
            loss.sum().backward()
            opt.step()
            out.append((a.item(), b.item()))
    return np.array(out)


@pytest.mark.parametrize("name,overrides", list(cases()))
def test_numpy_matches_torch(name, overrides):
    data = make_data()
    opt = REGISTRY[name]
    hp = opt.resolve(overrides)
    ours = run(opt, hp, data, EPOCHS).new_p
    theirs = torch_run(name, hp, data, EPOCHS)
    assert np.all(np.isfinite(ours)), "choose settings that do not diverge"
    rel = np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-300)
    assert rel.max() <= RTOL, f"{name} {overrides}: max rel diff {rel.max():.3g} at step {rel.argmax() // 2 + 1}"


# Sheets whose defaults fail on purpose: failing is their lesson, and the lesson says so.
#   eve_fastai: its d (unclipped, from the epoch loss) falls as the loss settles, the steps grow and
#   the loss climbs back (mean 44 in epoch 12, 110 in epoch 19), which is what the real Eve's clipping
#   and smoothed fhat prevent.
FAILS_ON_PURPOSE = {"eve_fastai"}


@pytest.mark.parametrize("name", list(REGISTRY))
def test_defaults_converge_or_say_why(name):
    """Each sheet's defaults do something instructive: the loss falls on the default data (or, for
    FAILS_ON_PURPOSE, it visibly does not, and the sheet's lesson says so)."""
    opt = REGISTRY[name]
    tr = run(opt, opt.resolve(), make_data(), 20)
    n = 30
    first, last = tr.loss[:n].mean(), tr.loss[-n:].mean()
    assert np.all(np.isfinite(tr.new_p))
    if name in FAILS_ON_PURPOSE:
        assert "FAILS" in opt.lesson
        epochs = tr.loss.reshape(20, n).mean(axis=1)
        best = epochs[:15].min()
        assert epochs[15:].max() > 2 * best, f"{name}: the loss no longer climbs back: update its lesson"
        return
    assert last < first / 2, f"{name}: epoch loss {first:.3g} -> {last:.3g}"


@pytest.mark.parametrize("name", list(REGISTRY))
def test_hyperparameters_validated(name):
    opt = REGISTRY[name]
    with pytest.raises(InputError, match="lr"):
        opt.resolve({"lr": 0})
    with pytest.raises(InputError, match="lr"):
        opt.resolve({"lr": "fast"})
    with pytest.raises(InputError, match="no hyperparameter"):
        opt.resolve({"nonsense": 1})
    for h in opt.hypers:
        assert h.check(h.default) == h.default
        assert h.meaning and h.name == h.name.lower()


def test_first_sgd_step_by_hand():
    """x=9, y=48, a=b=1: pred 10, de/db = 2*(10-48) = -76, de/da = 9*-76 = -684."""
    data = make_data()
    assert (data.x[0], data.y[0]) == (9.0, 48.0)
    tr = run(REGISTRY["sgd"], REGISTRY["sgd"].resolve(), data, 1)
    assert tr.grad[0].tolist() == [-684.0, -76.0]
    assert tr.new_p[0].tolist() == [1 + 1e-4 * 684, 1 + 1e-4 * 76]


def test_first_adam_step_moves_lr():
    """Adam's first step is lr * g/|g| (up to eps) whatever the gradient's size."""
    tr = run(REGISTRY["adam"], REGISTRY["adam"].resolve(), make_data(), 1)
    step = tr.new_p[0] - tr.p[0]
    assert np.allclose(step, [0.5, 0.5], rtol=1e-9)


def test_data_is_seeded_and_csv_round_trips(tmp_path):
    d = make_data(42)
    assert len(d) == 30 and d.x.min() >= 1 and d.x.max() <= 100
    assert np.array_equal(d.y, 2 * d.x + 30)
    assert np.array_equal(make_data(42).x, d.x) and not np.array_equal(make_data(7).x, d.x)
    f = tmp_path / "d.csv"
    f.write_text("x,y\n" + "".join(f"{x},{y}\n" for x, y in zip(d.x, d.y)))
    back = load_csv(f)
    assert np.array_equal(back.x, d.x) and np.array_equal(back.y, d.y)
    assert math.isclose(float(back.y[0]), 48.0)
