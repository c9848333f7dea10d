"""Pictures of the optimizers on the default problem (matplotlib, Agg canvas, no pyplot state):
loss per step of every optimizer, and their paths over the contour plot of the mean loss."""

from __future__ import annotations

import os

import numpy as np

from graddesc import problem
from graddesc.errors import GraddescError
from graddesc.optimizers import REGISTRY
from graddesc.trajectory import check_epochs, run

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f",
          "#bcbd22")


def _figure(w=9.0, h=5.5):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), dpi=90)
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path):
    try:
        fig.savefig(path)
    except OSError as e:
        raise GraddescError(f"{path}: cannot write: {e.strerror}") from None
    return path


def mean_loss_grid(data: problem.Data, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean loss over the data set at every (a, b) of the grid (shapes of a and b)."""
    out = np.zeros(np.broadcast(a, b).shape)
    for x, y in zip(data.x, data.y):
        out += (a * x + b - y) ** 2
    return out / len(data)


def plot(out_dir, epochs: int = 20, seed: int = problem.DEFAULT_SEED, optimizers=None) -> list[str]:
    """Write loss.png and paths.png into out_dir; returns their paths."""
    check_epochs(epochs)
    data = problem.make_data(seed)
    out_dir = os.fspath(out_dir)
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as e:
        raise GraddescError(f"{out_dir}: cannot create the folder: {e.strerror}") from None
    names = list(optimizers or REGISTRY)
    runs = {}
    for name in names:
        opt = REGISTRY[name]
        runs[name] = run(opt, opt.defaults(), data, epochs)
    n = len(data)
    colors = {name: COLORS[i % len(COLORS)] for i, name in enumerate(names)}

    ncols = min(5, len(names))
    nrows = -(-len(names) // ncols)
    means = {}
    with np.errstate(all="ignore"):
        for name, tr in runs.items():
            means[name] = tr.loss.reshape(epochs, n).mean(axis=1)
    ends = np.arange(1, epochs + 1) * n

    # (a) loss per step, log scale, one panel per optimizer; the others' epoch means in grey behind
    fig = _figure(3.2 * ncols, 2.5 * nrows + 0.8)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)).ravel()
    finite = np.concatenate([m[np.isfinite(m) & (m > 0)] for m in means.values()] + [np.array([1.0])])
    lo, hi = max(finite.min() / 30, 1e-9), min(max(finite.max() * 30, 10.0), 1e9)
    for ax, (name, tr) in zip(axes, runs.items()):
        for other, m in means.items():
            if other != name:
                ax.plot(ends, m, color="0.75", lw=0.8)
        with np.errstate(all="ignore"):
            loss = np.where(np.isfinite(tr.loss) & (tr.loss > 0), tr.loss, np.nan)
        ax.plot(tr.t, loss, color=colors[name], alpha=0.3, lw=0.6)
        ax.plot(ends, means[name], color=colors[name], lw=2.2, marker="o", ms=2.5)
        ax.set_title(f"{name}: last epoch {means[name][-1]:.3g}", fontsize=10)
        ax.set_yscale("log")
        ax.set_ylim(lo, hi)
        ax.grid(True, alpha=0.3)
    _bottom_labels(axes, len(runs), ncols, "step")
    for ax in axes[::ncols]:
        ax.set_ylabel("loss")
    fig.suptitle(f"Loss per step with default hyperparameters, {epochs} epochs of {n} samples (log scale)\n"
                 "faint: each step's loss;  bold: mean of each epoch;  grey: the other optimizers' epoch means",
                 fontsize=11)
    fig.tight_layout()
    paths = [_save(fig, os.path.join(out_dir, "loss.png"))]

    # (b) paths over the contour plot of the mean loss, one panel per optimizer, same window
    a_lo, a_hi = min(problem.INIT_A, problem.TRUE_A) - 1.0, max(problem.INIT_A, problem.TRUE_A) + 1.5
    b_lo, b_hi = min(problem.INIT_B, problem.TRUE_B) - 5.0, max(problem.INIT_B, problem.TRUE_B) + 5.0
    A, B = np.meshgrid(np.linspace(a_lo, a_hi, 240), np.linspace(b_lo, b_hi, 240))
    Z = mean_loss_grid(data, A, B)
    levels = np.geomspace(max(Z.min(), 1e-2), Z.max(), 20)
    fig = _figure(3.2 * ncols, 3.0 * nrows + 0.9)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)).ravel()
    for ax, (name, tr) in zip(axes, runs.items()):
        ax.contourf(A, B, Z, levels=levels, cmap="Greys", norm=_lognorm(levels), alpha=0.45)
        ax.contour(A, B, Z, levels=levels, colors="grey", linewidths=0.3, alpha=0.6)
        p = np.vstack([[problem.INIT_A, problem.INIT_B], tr.new_p])
        ax.plot(p[:, 0], p[:, 1], color=colors[name], lw=0.8)
        ax.plot(problem.INIT_A, problem.INIT_B, "s", color="black", ms=5)
        ax.plot(problem.TRUE_A, problem.TRUE_B, "*", color="gold", mec="black", ms=12, zorder=4)
        if np.all(np.isfinite(p[-1])):
            ax.plot(p[-1, 0], p[-1, 1], "o", color=colors[name], ms=6, mec="black", mew=0.7, zorder=5)
        ax.set_title(f"{name}: ends a={p[-1, 0]:.2f}, b={p[-1, 1]:.1f}", fontsize=10)
        ax.set_xlim(a_lo, a_hi)
        ax.set_ylim(b_lo, b_hi)
    _bottom_labels(axes, len(runs), ncols, "a (slope)")
    for ax in axes[::ncols]:
        ax.set_ylabel("b (intercept)")
    fig.suptitle(f"Paths of (a, b) over {epochs} epochs from the square ({problem.INIT_A:g}, {problem.INIT_B:g}) "
                 f"towards the star ({problem.TRUE_A:g}, {problem.TRUE_B:g}) over the mean loss (darker = higher)\n"
                 "the valley is long and narrow: a is pinned fast (x up to 100), b crawls along the floor",
                 fontsize=11)
    fig.tight_layout()
    paths.append(_save(fig, os.path.join(out_dir, "paths.png")))
    return paths


def _bottom_labels(axes, used, ncols, label):
    """Hide the unused panels; x tick labels and the x label under every column's lowest panel."""
    for i, ax in enumerate(axes):
        if i >= used:
            ax.set_visible(False)
        elif i + ncols >= used:
            ax.xaxis.set_tick_params(labelbottom=True)
            ax.set_xlabel(label)


def _lognorm(levels):
    from matplotlib.colors import LogNorm

    return LogNorm(vmin=levels[0], vmax=levels[-1])
