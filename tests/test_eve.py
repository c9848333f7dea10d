"""Eve (Koushik & Hayashi 2016, Algorithm 1) worked out by hand for the first steps, independently
of graddesc.optimizers.eve: the arithmetic below is written from the paper, step by step.

Data chosen so that every branch shows up in four steps (defaults lr 0.5, beta 0.9/0.999/0.999,
k 0.1, K 10, eps 1e-8; start a = b = 1):
    step 1  x=1,  y=3    f = 1: fhat = f, d = 1
    step 2  x=10, y=100  f ~ 6972 > (K+1)*fhat: the UPPER clip bound binds, c = K+1 = 11
    step 3  x=0,  y=5    f ~ 9.8 fell but by less than the bounds: c = f/fhat, not clipped
    step 4  x=0,  y=2    f ~ 0.03 < fhat/(K+1): the LOWER clip bound binds, c = 1/(K+1)
"""

import math

import numpy as np
import pytest

from graddesc import engine
from graddesc.optimizers import REGISTRY
from graddesc.problem import Data, make_data
from graddesc.trajectory import run
from graddesc.workbook import layout
from graddesc.workbook.build import build

EVE = REGISTRY["eve"]
LR, B1, B2, B3, K_LO, K_HI, EPS = 0.5, 0.9, 0.999, 0.999, 0.1, 10.0, 1e-8
DATA = Data(np.array([1.0, 10.0, 0.0, 0.0]), np.array([3.0, 100.0, 5.0, 2.0]))


def close(a, b, rtol=1e-12):
    return np.allclose(a, b, rtol=rtol, atol=0)


@pytest.fixture(scope="module")
def tr():
    hp = EVE.resolve()
    assert (hp["lr"], hp["beta1"], hp["beta2"], hp["beta3"], hp["small_k"], hp["big_k"], hp["eps"]) == \
        (LR, B1, B2, B3, K_LO, K_HI, EPS)
    return run(EVE, hp, DATA, 1)


def test_first_four_steps_by_hand(tr):
    col = tr.columns

    # ---- step 1: a = b = 1, x = 1, y = 3: prediction 2, f = (2-3)^2 = 1, de/db = 2*(2-3) = -2, de/da = 1*-2
    a, b = 1.0, 1.0
    f1 = (a * 1 + b - 3) ** 2
    assert f1 == 1.0 and tr.loss[0] == 1.0
    g = np.array([-2.0, -2.0])
    fhat1, d1 = f1, 1.0  # t = 1: fhat = f, d = 1
    m = (1 - B1) * g
    v = (1 - B2) * g**2
    mhat, vhat = m / (1 - B1), v / (1 - B2)
    p1 = np.array([a, b]) - LR * mhat / (d1 * np.sqrt(vhat) + EPS)
    # first step: mhat = g and sqrt(vhat) = |g|, so p moves by lr*g/(|g| + eps) = +0.5 each (up to eps)
    assert close(p1, [1.5, 1.5], rtol=1e-8)
    assert close(tr.new_p[0], p1) and col["fhat"][0] == 1.0 and col["d"][0] == 1.0

    # ---- step 2: x = 10, y = 100: prediction 10*1.5 + 1.5 = 16.5, f = 83.5^2 = 6972.25
    f2 = (p1[0] * 10 + p1[1] - 100) ** 2
    assert close(f2, 6972.25, rtol=1e-8)
    g = np.array([10.0, 1.0]) * 2 * (p1[0] * 10 + p1[1] - 100)
    # f2 >= fhat1: the bounds are (k+1, K+1) = (1.1, 11); f2/fhat1 = 6972 > 11: the upper bound binds
    lo, hi = K_LO + 1, K_HI + 1
    assert f2 / fhat1 > hi  # <- the clip binds on this step
    c2 = min(max(f2 / fhat1, lo), hi)
    assert c2 == 11.0
    fhat2 = c2 * fhat1
    r2 = abs(fhat2 - fhat1) / min(fhat2, fhat1)  # |11 - 1| / 1 = 10
    d2 = B3 * d1 + (1 - B3) * r2  # 0.999 + 0.01 = 1.009
    assert close([fhat2, r2, d2], [11.0, 10.0, 1.009])
    m = B1 * m + (1 - B1) * g
    v = B2 * v + (1 - B2) * g**2
    mhat, vhat = m / (1 - B1**2), v / (1 - B2**2)
    p2 = p1 - LR * mhat / (d2 * np.sqrt(vhat) + EPS)
    assert close(tr.new_p[1], p2)
    assert (col["lo"][1], col["hi"][1], col["c"][1]) == (lo, hi, 11.0) and col["ratio"][1] > hi
    assert close([col["fhat"][1], col["r"][1], col["d"][1]], [fhat2, r2, d2])

    # ---- step 3: x = 0, y = 5: prediction = b, f = (b - 5)^2 ~ 9.8 < fhat2 = 11
    f3 = (p2[1] - 5) ** 2
    g = np.array([0.0, 2 * (p2[1] - 5)])
    # f3 < fhat2: bounds (1/(K+1), 1/(k+1)) = (0.0909, 0.909); f3/fhat2 ~ 0.89 lies inside: no clip
    lo, hi = 1 / (K_HI + 1), 1 / (K_LO + 1)
    assert f3 < fhat2 and lo < f3 / fhat2 < hi
    c3 = f3 / fhat2
    fhat3 = c3 * fhat2  # = f3 (up to rounding): the smoothed loss follows f when it changes little
    r3 = abs(fhat3 - fhat2) / min(fhat3, fhat2)
    d3 = B3 * d2 + (1 - B3) * r3
    m = B1 * m + (1 - B1) * g
    v = B2 * v + (1 - B2) * g**2
    mhat, vhat = m / (1 - B1**3), v / (1 - B2**3)
    p3 = p2 - LR * mhat / (d3 * np.sqrt(vhat) + EPS)
    assert close(tr.new_p[2], p3)
    assert close([col["c"][2], col["fhat"][2], col["r"][2], col["d"][2]], [c3, fhat3, r3, d3])
    assert close(fhat3, f3)

    # ---- step 4: x = 0, y = 2: f = (b - 2)^2 ~ 0.03, far below fhat3/(K+1): the lower bound binds
    f4 = (p3[1] - 2) ** 2
    g = np.array([0.0, 2 * (p3[1] - 2)])
    lo, hi = 1 / (K_HI + 1), 1 / (K_LO + 1)
    assert f4 / fhat3 < lo  # <- the clip binds on this step
    c4 = lo
    fhat4 = c4 * fhat3  # fhat falls by at most a factor K+1 = 11 per step, however small f is
    r4 = abs(fhat4 - fhat3) / min(fhat4, fhat3)  # (fhat3 - fhat3/11) / (fhat3/11) = 10
    d4 = B3 * d3 + (1 - B3) * r4
    assert close(r4, 10.0)
    m = B1 * m + (1 - B1) * g
    v = B2 * v + (1 - B2) * g**2
    mhat, vhat = m / (1 - B1**4), v / (1 - B2**4)
    p4 = p3 - LR * mhat / (d4 * np.sqrt(vhat) + EPS)
    assert close(tr.new_p[3], p4)
    assert col["c"][3] == lo and col["ratio"][3] < lo
    assert close([col["fhat"][3], col["r"][3], col["d"][3]], [fhat4, r4, d4])
    assert close(tr.loss, [f1, f2, f3, f4])


def test_clip_bounds_bind_on_the_default_data():
    """On the default data single-sample losses jump by more than 11x: both bounds bind early."""
    tr = run(EVE, EVE.resolve(), make_data(), 1)
    c, ratio, lo, hi = (tr.columns[k] for k in ("c", "ratio", "lo", "hi"))
    upper = np.flatnonzero(ratio > hi)
    lower = np.flatnonzero(ratio < lo)
    assert upper.size and lower.size
    assert np.all(c[upper] == hi[upper]) and np.all(c[lower] == lo[lower])
    assert lower[0] == 4 and upper[0] == 5  # steps 5 and 6
    assert tr.columns["d"].min() >= 1.0  # d only grows here: Eve steps are smaller than Adam's


def test_loss_exactly_zero_on_step_1_divides_by_zero():
    """f = 0 on step 1 makes fhat = 0; step 2's ratio f/fhat divides by zero: numpy gives nan from
    there on and the sheet shows #DIV/0! (the two agree: verify counts both as diverged)."""
    data = Data(np.array([1.0, 2.0]), np.array([2.0, 5.0]))  # a = b = 1 fits sample 1 exactly
    tr = run(EVE, EVE.resolve(), data, 1)
    assert tr.loss[0] == 0.0 and tr.columns["fhat"][0] == 0.0
    assert math.isnan(tr.columns["ratio"][1]) and np.all(np.isnan(tr.new_p[1]))
    book = build(data, 1, optimizers=["eve"])
    wb = engine.Workbook.from_model(book)
    wb.evaluate()
    cols = {(c.key, c.param): c for c in layout.table_columns(EVE)}
    row = layout.step_row(2)
    assert str(wb.value("eve", f"{cols[('ratio', None)].letter}{row}")) == "#DIV/0!"
    assert str(wb.value("eve", f"{cols[('new', 0)].letter}{row}")).startswith("#")
