"""The learned optimizer against SGD, momentum, RMSProp, Adam (and Adagrad) with their sheet defaults,
on held-out problems of the workbook's family, and on the workbook's own problem.

    python benchmarks/l2l_compare.py [--problems 100] [--epochs 20,100] [--seed 20240]

Held-out problems: drawn from numpy.random.default_rng(seed) (default 20240), a stream the
meta-training never uses (it draws from SeedSequence((train seed, purpose, iteration))): 30 samples,
x random integers 1..100, y = a*x + b with true a ~ U(-5, 5), b ~ U(-50, 50), start a = b = 1, one
sample per step, the data repeated each epoch.  Every optimizer is run by graddesc.trajectory.run,
exactly as its sheet computes it.

Columns, per number of epochs:
  final MSE   median over problems of the full-data mean squared error after the last step
  within 1%   share of problems whose a and b are within 1% of the true values
              (|a - a*| <= 0.01*max(|a*|, 1), same for b: the floor 1 keeps a* near 0 reachable)
              from some step to the end of the run
  steps       median over all problems of the first step from which that holds to the end
              (">N" when fewer than half the problems get there)
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from graddesc import l2l  # noqa: E402
from graddesc.optimizers import REGISTRY  # noqa: E402
from graddesc.problem import INIT_A, INIT_B, TRUE_A, TRUE_B, Data, make_data  # noqa: E402
from graddesc.trajectory import run  # noqa: E402

NAMES = ("sgd", "momentum", "rmsprop", "adam", "adagrad", "learned")
HELDOUT_SEED = 20240
TOL = 0.01


def heldout(n, seed=HELDOUT_SEED):
    x, a, b = l2l.sample_problems(np.random.default_rng(seed), n)
    return [(Data(x[i], a[i] * x[i] + b[i]), a[i], b[i]) for i in range(n)]


def measure(opt, data, ta, tb, epochs):
    """(final full-data MSE, first step from which a and b stay within tolerance or None)."""
    tr = run(opt, opt.resolve(), data, epochs, start=(INIT_A, INIT_B))
    p = tr.new_p
    with np.errstate(all="ignore"):
        ok = ((np.abs(p[:, 0] - ta) <= TOL * max(abs(ta), 1.0))
              & (np.abs(p[:, 1] - tb) <= TOL * max(abs(tb), 1.0)))
        a, b = p[-1]
        mse = float(np.mean((a * data.x + b - data.y) ** 2))
    if not ok[-1]:
        return mse, None
    bad = np.flatnonzero(~ok)
    return mse, int(bad[-1] + 2) if bad.size else 1


def table(problems, epochs_list, names=NAMES):
    steps_total = {e: e * len(problems[0][0]) for e in epochs_list}
    res = {(n, e): [measure(REGISTRY[n], d, ta, tb, e) for d, ta, tb in problems]
           for n in names for e in epochs_list}
    head = "| optimizer | " + " | ".join(
        f"final MSE ({e} ep) | within 1% ({e} ep) | steps to 1% ({e} ep)" for e in epochs_list) + " |"
    lines = [head, "|" + "---|" * (1 + 3 * len(epochs_list))]
    for n in names:
        cells = []
        for e in epochs_list:
            r = res[(n, e)]
            mse = np.median([m for m, _ in r])
            hit = [s for _, s in r if s is not None]
            steps = np.median([s if s is not None else np.inf for _, s in r])
            cells += [f"{mse:.3g}", f"{100 * len(hit) / len(r):.0f}%",
                      f"{steps:.0f}" if np.isfinite(steps) else f">{steps_total[e]}"]
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def workbook_problem(names=NAMES, epochs=20):
    d = make_data()
    out = []
    for n in names:
        mse, step = measure(REGISTRY[n], d, TRUE_A, TRUE_B, epochs)
        out.append(f"{n} {'>' + str(epochs * len(d)) if step is None else step} (MSE {mse:.3g})")
    return "; ".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--problems", type=int, default=100)
    ap.add_argument("--epochs", default="20,100", help="comma-separated epoch counts (20 = the trained horizon)")
    ap.add_argument("--seed", type=int, default=HELDOUT_SEED, help="seed of the held-out problems")
    args = ap.parse_args(argv)
    epochs = [int(e) for e in args.epochs.split(",")]
    t0 = time.perf_counter()
    print(f"{args.problems} held-out problems (seed {args.seed}), sheet defaults, tolerance 1% of |true| "
          f"(floor 1), start a = b = 1, 30 samples per epoch\n")
    print(table(heldout(args.problems, args.seed), epochs))
    print(f"\nworkbook problem (seed 42, a = 2, b = 30), steps to 1% in 20 epochs: {workbook_problem()}")
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
