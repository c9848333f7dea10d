"""The fast.ai variants and the learning-rate schedules: their epoch-level quantities against direct
numpy computations written here (not the units' code), the epoch tables evaluated by the engine
against numpy, and the schedules' learning rates against torch.optim.lr_scheduler."""

import math

import numpy as np
import pytest

from graddesc import engine, verify
from graddesc.optimizers import REGISTRY, with_schedule
from graddesc.problem import make_data
from graddesc.trajectory import run
from graddesc.workbook.build import build
from tests.witnesses import require_torch

N = len(make_data())  # samples per epoch
EPOCH_SHEETS = ["adagrad_fastai", "adagrad_ann", "eve_fastai", "adam_ann", "sgd_step", "adam_sgdr"]


def trajectory(name, epochs, **overrides):
    opt = REGISTRY[name]
    return run(opt, opt.resolve(overrides), make_data(), epochs)


def epoch_rows(tr, k):
    """Slice of the steps of epoch k (1-based)."""
    return slice((k - 1) * N, k * N)


def measure(grads):
    """sqrt(sum of squares of the epoch's gradients) / their count, per parameter."""
    return np.sqrt((grads**2).sum(axis=0)) / len(grads)


def test_labelled_as_fastai_variants():
    for name in ("adagrad_fastai", "adagrad_ann", "rmsprop_fastai", "adam_fastai", "adam_ann", "eve_fastai"):
        opt = REGISTRY[name]
        assert opt.label == "fast.ai variant" and "fast.ai variant" in opt.title and opt.torch is None


def test_adagrad_fastai_lr_from_previous_epoch():
    tr = trajectory("adagrad_fastai", 4)
    hp = REGISTRY["adagrad_fastai"].resolve()
    elr = tr.columns["elr"]
    # epoch 1: no previous epoch, plain SGD with first_lr
    assert np.all(elr[:N] == hp["first_lr"])
    assert np.allclose(tr.new_p[:N], tr.p[:N] - hp["first_lr"] * tr.grad[:N], rtol=1e-15, atol=0)
    for k in (2, 3, 4):
        prev = tr.grad[epoch_rows(tr, k - 1)]
        expected = hp["lr"] / (np.sqrt(np.sum(prev**2, axis=0)) / 30)  # lr / (sqrt(SUMSQ)/COUNT)
        rows = epoch_rows(tr, k)
        assert np.allclose(elr[rows], expected, rtol=1e-14, atol=0)  # fixed within the epoch
        assert np.allclose(tr.new_p[rows], tr.p[rows] - elr[rows] * tr.grad[rows], rtol=1e-15, atol=0)
        assert np.allclose(tr.epoch_columns["rss"][k - 1], measure(prev), rtol=1e-14)
    # b's gradients are ~x times smaller than a's, so its lr is tens of times larger
    assert np.all(elr[N:, 1] > 20 * elr[N:, 0])


def test_adagrad_ann_quarters_lr_when_the_measure_doubles():
    tr = trajectory("adagrad_ann", 12, lr=0.1)
    hp = REGISTRY["adagrad_ann"].resolve({"lr": 0.1})
    scale = np.ones(2)
    prev = None
    cuts = []
    for k in range(1, 13):
        g = measure(tr.grad[epoch_rows(tr, k)])
        if prev is not None:
            grown = g > 2 * prev
            scale = np.where(grown, scale * 0.25, scale)
            cuts += [k] if grown.any() else []
        assert np.allclose(tr.epoch_columns["scale"][k], scale, rtol=0, atol=0)
        assert np.allclose(tr.epoch_columns["lr_next"][k], hp["lr"] * scale / g, rtol=1e-14)
        if k < 12:
            assert np.allclose(tr.columns["elr"][epoch_rows(tr, k + 1)], hp["lr"] * scale / g, rtol=1e-14)
        prev = g
    assert cuts == [8]  # the epoch where adagrad_fastai at lr 0.1 blows up
    assert np.all(np.isfinite(tr.new_p)) and tr.loss[-N:].mean() < tr.loss[:N].mean() / 2
    fastai = trajectory("adagrad_fastai", 12, lr=0.1)
    assert fastai.loss[-N:].mean() > 1e6  # without annealing the same lr diverges


def test_rmsprop_fastai_divides_by_previous_row():
    tr = trajectory("rmsprop_fastai", 1)
    lr, alpha = 0.02, 0.9
    g = tr.grad
    v = np.zeros(2)
    p = np.array([1.0, 1.0])
    for t in range(N):
        v_prev = v
        v = alpha * v + (1 - alpha) * g[t] ** 2
        den = np.sqrt(v) if t == 0 else np.sqrt(v_prev)  # no eps; step 1 has no previous row
        p = p - lr * g[t] / den
        assert np.allclose(tr.new_p[t], p, rtol=1e-13, atol=0)
    # step 1 moves each parameter by lr/sqrt(1 - alpha) = 0.0632 (against the gradient)
    assert np.allclose(tr.new_p[0] - 1, 0.02 / math.sqrt(0.1), rtol=1e-14)


def test_adam_fastai_no_bias_correction_no_eps():
    tr = trajectory("adam_fastai", 1)
    # step 1: m = 0.3 g, v = 0.1 g^2, step = lr * 0.3/sqrt(0.1) = 0.9487 lr against the gradient
    assert np.allclose(tr.new_p[0] - 1, 0.3 / math.sqrt(0.1), rtol=1e-14)
    m = v = np.zeros(2)
    p = np.array([1.0, 1.0])
    for t in range(N):
        m = 0.7 * m + 0.3 * tr.grad[t]
        v = 0.9 * v + 0.1 * tr.grad[t] ** 2
        p = p - 1.0 * m / np.sqrt(v)
    assert np.allclose(tr.new_p[N - 1], p, rtol=1e-12)


def test_adam_ann_cuts():
    tr = trajectory("adam_ann", 20)
    lr = np.full(2, 0.7)
    prev = None
    for k in range(1, 21):
        rows = epoch_rows(tr, k)
        assert np.all(tr.columns["elr"][rows] == lr)  # the lr of epoch k, fixed within it
        g = measure(tr.grad[rows])
        if prev is not None:
            lr = np.where(g > 2 * prev, lr * 0.25, lr)
        assert np.array_equal(tr.epoch_columns["lr_ep"][k], lr)
        prev = g
    # both gradient measures more than double in epoch 9 (both lrs quartered), and only then
    assert tr.epoch_columns["lr_ep"][[8, 9, 20]].tolist() == [[0.7, 0.7], [0.175, 0.175], [0.175, 0.175]]
    assert tr.loss[-N:].mean() < trajectory("adam_fastai", 20, lr=0.7).loss[-N:].mean() / 2


def test_eve_fastai_d_from_epoch_loss():
    tr = trajectory("eve_fastai", 6)
    d, f_prev = 1.0, None
    for k in range(1, 7):
        rows = epoch_rows(tr, k)
        assert np.allclose(tr.columns["d"][rows], d, rtol=1e-14, atol=0)  # the previous epoch's d
        f = math.sqrt(tr.loss[rows].sum())  # sqrt(SSE) of the epoch
        if f_prev is not None:
            r = abs(f - f_prev) / min(f, f_prev)
            d = 0.9 * d + 0.1 * r
        assert np.allclose(tr.epoch_columns["f"][k], f, rtol=1e-14)
        assert np.allclose(tr.epoch_columns["d"][k], d, rtol=1e-14)
        f_prev = f
    assert tr.epoch_columns["d"][6] < 0.9  # the loss settles, d falls, the steps grow (the lesson)


@pytest.mark.parametrize("overrides", [{}, {
    "adagrad_ann": {"lr": 0.1, "grow": 1.5, "anneal": 0.5}, "adam_ann": {"lr": 1.5},
    "eve_fastai": {"beta3": 0.5, "lr": 0.3}, "sgd_step": {"step_size": 1, "gamma": 0.8},
    "adam_sgdr": {"t_0": 1, "t_mult": 2, "eta_min": 0.05}}])
def test_epoch_tables_engine_vs_numpy(overrides):
    """Every cell of the step and epoch tables of the sheets with an epoch table, evaluated by the
    engine, against numpy (the epoch tables are where these sheets differ from the others)."""
    book = build(make_data(), 8, overrides, optimizers=EPOCH_SHEETS)
    wb = engine.Workbook.from_model(book)
    wb.evaluate()
    reports = [r for r in verify.verify_workbook(wb) if r.sheet in REGISTRY]
    assert [r.sheet for r in reports] == EPOCH_SHEETS
    for r in reports:
        opt = REGISTRY[r.sheet]
        epoch_cells = 8 * sum(1 if c.shared else 2 for c in opt.epoch_columns)
        assert r.cells > epoch_cells and not r.mismatches, (r.sheet, r.mismatches[:3])
        assert r.max_rel <= 1e-15


def test_scheduled_lr_matches_torch_schedulers():
    torch = require_torch()
    cases = [
        ("step", {"step_size": 3, "gamma": 0.5}, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
        ("sgdr", {"t_0": 2, "t_mult": 2, "eta_min": 1e-5},
         lambda o: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2, eta_min=1e-5)),
        ("sgdr", {"t_0": 3, "t_mult": 1, "eta_min": 0.0},
         lambda o: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=1)),
    ]
    epochs = 16
    for kind, hp_over, make in cases:
        unit = with_schedule(REGISTRY["sgd"], kind, name="x")
        hp = unit.resolve({**hp_over, "lr": 1e-4})
        tr = run(unit, hp, make_data(), epochs)
        ours = tr.columns["lr_t"][::N]  # the lr of each epoch
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=1e-4)
        sched = make(opt)
        theirs = []
        for _ in range(epochs):
            theirs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        assert np.allclose(ours, theirs, rtol=1e-15, atol=0), (kind, hp_over, ours, theirs)
        assert np.all(tr.columns["lr_t"].reshape(epochs, N) == ours[:, None])  # fixed within an epoch


def test_with_schedule_rejects_what_it_cannot_do():
    with pytest.raises(ValueError):
        with_schedule(REGISTRY["adagrad_fastai"], "step")
    with pytest.raises(ValueError):
        with_schedule(REGISTRY["sgd"], "exponential")
    unit = with_schedule(REGISTRY["adam"], "sgdr", name="y")
    from graddesc.errors import InputError

    with pytest.raises(InputError, match="t_0"):
        unit.resolve({"t_0": 2.5})
    with pytest.raises(InputError, match="eta_min"):
        unit.resolve({"eta_min": 1.0, "lr": 0.5})
    assert "{lr}" not in unit.update and "{lr_t}" in unit.update
