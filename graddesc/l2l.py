"""Meta-training of the `learned` optimizer ("learning to learn by gradient descent by gradient
descent", Andrychowicz et al. 2016, arXiv 1606.04474), scaled down to fit in a spreadsheet row.

The network (one copy per parameter, the same weights for a and b) is a 1-layer LSTM with 2 units,
fed with the paper's preprocessed gradient (p = 10):

    (l, s) = (ln|g|/p, sign g)   if |g| >= e^-p
             (-1,      e^p * g)  otherwise

    i_k = sigmoid(wi_k*l + bi_k)    input gate     \\
    f_k = sigmoid(wf_k*l + bf_k)    forget gate     > see only the size of the gradient
    o_k = sigmoid(wo_k*l + bo_k)    output gate    /
    z_k = tanh(wz_k*s + uz_k1*h1 + uz_k2*h2)        cell input: sees only signs and the state
    c_k = f_k*c_k + i_k*z_k,   h_k = o_k*tanh(c_k)  (k = 1, 2; c and h start at 0)
    out = v1*h1 + v2*h2,       p <- p - lr*out

Why this shape.  It is the paper's LSTM with one constraint: the gates see only ln|g| and the cell
input only the signed quantities (s and the hidden state), with no bias on the signed path.  Then
the optimizer is odd: flipping the sign of every gradient flips every update, so it behaves the same
whether the answer lies above or below the start (the problem family is symmetric that way; a
general LSTM has to learn it from data and mostly does not in this budget).  It also splits the work
readably: the size of the gradient decides how much to move (the gates), the signs decide where (the
cell).  It halves the weights (20 instead of 43), which is what makes the derivative-free training
below reliable: in our trials the unconstrained 2-unit LSTM trained erratically (results varied
widely between seeds and settings, some diverged past the training horizon), and a small MLP over
the preprocessed gradient and a momentum state (the other candidate) trained clearly worse in the
same budget.  Per parameter
and row it is 15 formula cells, all + - * / EXP LN ABS SIGN TANH IF.

Training: evolution strategies (antithetic Gaussian perturbations of the 20 weights, centred-rank
fitness shaping, Adam on the estimated gradient) on the full unrolled dynamics.  Each iteration
samples fresh problems of the workbook's family: 30 samples with x random integers 1..100,
y = a*x + b with true a ~ U(-5, 5), b ~ U(-50, 50), start a = b = 1, one sample per step, the data
repeated for `unroll` steps (600 = the workbook's 20 epochs).  Meta-loss of one problem: the mean
over the unrolled steps of ln(L_t/L_0 + 1e-12), L_t the problem's full-data mean squared error after
step t.  The log of the ratio weighs problems whose losses differ by orders of magnitude alike and
counts every tenfold reduction the same, so the late, fine convergence matters as much as the first
drop (a plain sum of losses is all first-steps-of-the-largest-problem); 1e-12 caps the reward for
precision beyond float64 usefulness; a diverging run counts as L_t/L_0 = 1e6.  Why not backprop
through time: the 600-step unroll of this ill-conditioned problem is chaotic, truncated/first-order
meta-gradients are biased and noisy, and ES needs only forward passes.  Every 50 iterations the
weights are scored on a fixed validation set; the best are returned.

Determinism: the random numbers come from numpy's PCG64 streams seeded by (seed, purpose,
iteration); the arithmetic is elementwise (no BLAS, no threads); the weight update depends on the
meta-losses only through their ranks, so even a one-ulp difference of exp/log/tanh between CPUs
(numpy's SIMD paths) cannot change the weights unless two population members tie to ~1e-13.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from dataclasses import dataclass, field

import numpy as np

from graddesc.problem import INIT_A, INIT_B

UNITS = 2
# Order of the weight vector theta (also the order of the sheet's hyperparameter cells).
GATE_NAMES = tuple(f"{kind}{gate}{k}" for gate in "ifo" for k in (1, 2) for kind in "wb")
CELL_NAMES = tuple(n for k in (1, 2) for n in (f"wz{k}", f"uz{k}1", f"uz{k}2"))
OUT_NAMES = ("v1", "v2")
WEIGHT_NAMES = GATE_NAMES + CELL_NAMES + OUT_NAMES
DIM = len(WEIGHT_NAMES)  # 20

PRE_P = 10.0  # the paper's p
LR = 1.0  # output multiplier used in training (the sheet's lr)
SAMPLES = 30  # per problem, as the workbook
A_RANGE = (-5.0, 5.0)
B_RANGE = (-50.0, 50.0)
DIVERGED = 1e6  # L_t/L_0 above this (or nan) counts as this
FLOOR = 1e-12

DEFAULT_SETTINGS = {
    "iters": 1500,  # ES iterations
    "population": 24,  # perturbations per iteration (12 antithetic pairs)
    "problems": 32,  # fresh problems per iteration, shared by the population
    "unroll": 600,  # steps per problem (20 epochs of 30 samples)
    "sigma": 0.1,  # perturbation size
    "meta_lr": 0.06,  # Adam step on the weights
    "init_std": 0.1,  # initial weights ~ N(0, init_std)
    "val_problems": 64,  # fixed validation problems
    "val_every": 50,  # score the weights on them every this many iterations
}
CHECK_ITERS = 10  # the json pins a digest of the weights after this many iterations

WEIGHTS_PATH = os.path.join(os.path.dirname(__file__), "data", "l2l_weights.json")


def preprocess(g, p=PRE_P):
    """The paper's input preprocessing, elementwise: returns (l, s)."""
    g = np.asarray(g, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        big = np.abs(g) >= np.exp(-p)
        l = np.where(big, np.log(np.abs(g)) / p, -1.0)
        s = np.where(big, np.sign(g), np.exp(p) * g)
    return l, s


def sample_problems(rng, n):
    """n problems: (x (n, SAMPLES), true a (n,), true b (n,))."""
    x = rng.integers(1, 101, size=(n, SAMPLES)).astype(np.float64)
    a = rng.uniform(*A_RANGE, size=n)
    b = rng.uniform(*B_RANGE, size=n)
    return x, a, b


def _split(theta):
    """theta (P, DIM) -> per-weight arrays shaped (P, 1, 1, UNITS) for broadcasting over (P, N, 2)."""
    P = theta.shape[0]
    g = theta[:, :12].reshape(P, 3, UNITS, 2)  # gate (i f o), unit, (w b)
    w = g[..., 0].reshape(P, 1, 1, 3 * UNITS)  # wi1 wi2 wf1 wf2 wo1 wo2
    b = g[..., 1].reshape(P, 1, 1, 3 * UNITS)
    cz = theta[:, 12:18].reshape(P, UNITS, 3)  # unit, (wz uz_1 uz_2)
    wz = cz[:, :, 0].reshape(P, 1, 1, UNITS)
    uz1 = cz[:, :, 1].reshape(P, 1, 1, UNITS)
    uz2 = cz[:, :, 2].reshape(P, 1, 1, UNITS)
    v1 = theta[:, 18].reshape(P, 1, 1)
    v2 = theta[:, 19].reshape(P, 1, 1)
    return w, b, wz, uz1, uz2, v1, v2


def meta_loss(theta, x, true_a, true_b, unroll, lr=LR, pre_p=PRE_P, start=(INIT_A, INIT_B)):
    """Run the network with each row of theta (P, DIM) on every problem; returns (P,) meta-losses
    and the final parameters (P, N, 2).  The sheet's operations in its order (numpy's exp and tanh
    may differ from the C library's by an ulp: irrelevant here, see Determinism above)."""
    theta = np.atleast_2d(np.asarray(theta, dtype=np.float64))
    P, N = theta.shape[0], x.shape[0]
    w, b, wz, uz1, uz2, v1, v2 = _split(theta)
    y = true_a[:, None] * x + true_b[:, None]
    ex = x.mean(axis=1)
    ex2 = (x * x).mean(axis=1)
    p = np.empty((P, N, 2))
    p[..., 0] = start[0]
    p[..., 1] = start[1]
    c = np.zeros((P, N, 2, UNITS))
    h = np.zeros((P, N, 2, UNITS))
    thr, big_scale = math.exp(-pre_p), math.exp(pre_p)

    def mse(p):
        da = p[..., 0] - true_a
        db = p[..., 1] - true_b
        return ex2 * da * da + 2 * ex * da * db + db * db

    L0 = mse(p)
    total = np.zeros((P, N))
    g = np.empty((P, N, 2))
    with np.errstate(all="ignore"):
        for t in range(unroll):
            j = t % SAMPLES
            xi = x[:, j]
            gb = 2 * (p[..., 0] * xi + p[..., 1] - y[:, j])
            g[..., 0] = xi * gb
            g[..., 1] = gb
            ag = np.abs(g)
            big = ag >= thr
            l = np.where(big, np.log(ag) / pre_p, -1.0)[..., None]
            s = np.where(big, np.sign(g), big_scale * g)[..., None]
            gates = 1 / (1 + np.exp(-(w * l + b)))
            i, f, o = gates[..., 0:2], gates[..., 2:4], gates[..., 4:6]
            z = np.tanh(wz * s + uz1 * h[..., 0:1] + uz2 * h[..., 1:2])
            c = f * c + i * z
            h = o * np.tanh(c)
            p = p - lr * (v1 * h[..., 0] + v2 * h[..., 1])
            ratio = mse(p) / L0
            total += np.log(np.where(ratio < DIVERGED, ratio, DIVERGED) + FLOOR)
    per_member = np.array([math.fsum(row) for row in total]) / (N * unroll)
    return per_member, p


@dataclass
class TrainResult:
    weights: dict
    seed: int
    settings: dict
    best_iter: int  # iteration whose weights are returned (-1: the initial ones)
    val_meta_loss: float
    check_digest: str  # digest of the weights after min(iters, CHECK_ITERS) iterations
    seconds: float
    history: list = field(default_factory=list)  # (iteration, validation meta-loss)


def digest(theta) -> str:
    """sha256 of the weights' exact float64 bytes (little-endian)."""
    return hashlib.sha256(np.asarray(theta, dtype="<f8").tobytes()).hexdigest()


def as_weights(theta) -> dict:
    return {name: float(v) for name, v in zip(WEIGHT_NAMES, theta)}


def theta_of(weights: dict) -> np.ndarray:
    return np.array([weights[n] for n in WEIGHT_NAMES], dtype=np.float64)


def _losses(theta, x, a, b, unroll):
    return meta_loss(theta, x, a, b, unroll)[0]


def _pool(workers):
    """A process pool (fork) for the population, or None to evaluate in this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def meta_train(seed: int = 0, progress=None, workers: int | None = None, **settings) -> TrainResult:
    """Evolution strategies on the 20 weights; see the module docstring.  progress(k, val) is
    called after each validation.  workers: processes sharing the population (default: up to 2,
    the CPUs available); each member's meta-loss is computed alone, so the result does not depend
    on it."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    unknown = set(settings) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError(f"unknown training settings: {', '.join(sorted(unknown))}")
    s = {**DEFAULT_SETTINGS, **settings}
    iters, P, N, T = int(s["iters"]), int(s["population"]), int(s["problems"]), int(s["unroll"])
    if P < 2 or P % 2:
        raise ValueError("population must be an even number >= 2 (antithetic pairs)")
    if min(iters, N, T, int(s["val_problems"]), int(s["val_every"])) < 1:
        raise ValueError("iters, problems, unroll, val_problems and val_every must be >= 1")
    if workers is None:
        workers = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    pool = _pool(workers)
    try:
        return _es(seed, s, progress, pool, workers)
    finally:
        if pool is not None:
            pool.shutdown()


def _es(seed, s, progress, pool, workers):
    t0 = time.perf_counter()
    iters, P, N, T = int(s["iters"]), int(s["population"]), int(s["problems"]), int(s["unroll"])
    sigma, meta_lr = float(s["sigma"]), float(s["meta_lr"])
    theta = np.random.default_rng([seed, 0]).normal(0.0, float(s["init_std"]), DIM)
    xv, av, bv = sample_problems(np.random.default_rng([seed, 2]), int(s["val_problems"]))
    best_val = float(meta_loss(theta, xv, av, bv, T)[0][0])
    best = (best_val, theta.copy(), -1)
    history = [(-1, best_val)]
    m = np.zeros(DIM)
    v = np.zeros(DIM)
    b1t = b2t = 1.0
    half = P // 2
    shaped = np.arange(P) / (P - 1) - 0.5  # centred ranks, best (lowest loss) gets -0.5
    check_at = min(iters, CHECK_ITERS)
    check = ""
    for k in range(iters):
        rng = np.random.default_rng([seed, 1, k])
        x, a, b = sample_problems(rng, N)
        eps = rng.standard_normal((half, DIM))
        pop = np.concatenate([theta + sigma * eps, theta - sigma * eps])
        if pool is None:
            losses = _losses(pop, x, a, b, T)
        else:
            cuts = np.linspace(0, P, workers + 1).astype(int)
            parts = [pool.submit(_losses, pop[lo:hi], x, a, b, T) for lo, hi in zip(cuts[:-1], cuts[1:])]
            losses = np.concatenate([f.result() for f in parts])
        rank = np.empty(P)
        rank[np.argsort(losses, kind="stable")] = shaped
        weight = rank[:half] - rank[half:]
        grad = np.zeros(DIM)
        for j in range(half):  # fixed order: no BLAS reduction
            grad = grad + weight[j] * eps[j]
        grad = grad / (P * sigma)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        b1t *= 0.9  # 0.9^(k+1) by products, not pow: exact the same on every libm
        b2t *= 0.999
        mhat = m / (1 - b1t)
        vhat = v / (1 - b2t)
        theta = theta - meta_lr * mhat / (np.sqrt(vhat) + 1e-8)
        if k + 1 == check_at:
            check = digest(theta)
        if (k + 1) % int(s["val_every"]) == 0 or k + 1 == iters:
            val = float(meta_loss(theta, xv, av, bv, T)[0][0])
            history.append((k, val))
            if val < best[0]:
                best = (val, theta.copy(), k)
            if progress:
                progress(k, val)
    return TrainResult(as_weights(best[1]), seed, s, best[2], best[0], check,
                       time.perf_counter() - t0, history)


def train(seed: int = 0, **settings) -> dict:
    """The trained weights {name: float}; train() with the shipped seed and settings reproduces
    graddesc/data/l2l_weights.json bit for bit."""
    return meta_train(seed, **settings).weights


def to_json(result: TrainResult) -> dict:
    return {
        "about": "weights of the graddesc 'learned' optimizer; reproduce with graddesc.l2l.train(seed, **settings)",
        "architecture": "coordinatewise sign-symmetric LSTM, 1 layer x 2 units, log/sign preprocessing p=10, lr=1",
        "seed": result.seed,
        "settings": result.settings,
        "problem_family": {"samples": SAMPLES, "x": "integers 1..100", "true_a": list(A_RANGE),
                           "true_b": list(B_RANGE), "start": [INIT_A, INIT_B]},
        "pre_p": PRE_P,
        "lr": LR,
        "weights": result.weights,  # json writes floats with repr: they round-trip exactly
        "check": {"iters": CHECK_ITERS, "sha256": result.check_digest},
        "best_iter": result.best_iter,
        "val_meta_loss": result.val_meta_loss,
        "numpy": np.__version__,
        "train_seconds": round(result.seconds, 1),
    }


def write_json(result: TrainResult, path=WEIGHTS_PATH) -> str:
    """Write the weights file atomically, as the workbook is written (writer.write_atomic: a fresh
    temporary file beside the target, flushed to disk, then renamed over it)."""
    from graddesc.errors import GraddescError, InputError
    from graddesc.xlsx.writer import write_atomic

    path = os.fspath(path)
    try:
        write_atomic(path, (json.dumps(to_json(result), indent=2) + "\n").encode("utf-8"))
    except GraddescError as e:
        raise InputError(f"{e} (the weights file)") from None
    return path


def same_as_shipped(weights: dict, shipped: dict | None = None) -> bool:
    """True when the weights equal the shipped ones bit for bit."""
    shipped = shipped or load_json()
    return theta_of(weights).tobytes() == theta_of(shipped["weights"]).tobytes()


def train_to_file(path, seed: int = 0, progress=None, **settings) -> TrainResult:
    """Meta-train (the shipped settings unless overridden) and write the weights JSON to path;
    what `graddesc train-l2l` runs."""
    result = meta_train(seed, progress=progress, **settings)
    write_json(result, path)
    return result


def load_json(path=WEIGHTS_PATH) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def check_digest(shipped: dict | None = None) -> tuple[str, str]:
    """(pinned, recomputed) digest of the weights after the first CHECK_ITERS iterations."""
    shipped = shipped or load_json()
    s = {**shipped["settings"], "iters": shipped["check"]["iters"]}
    r = meta_train(shipped["seed"], **s)
    return shipped["check"]["sha256"], r.check_digest
