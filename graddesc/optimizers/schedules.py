"""Learning-rate schedules any optimizer can use, without macros: `with_schedule(opt, kind)` returns a
new unit whose formulas read the learning rate from a per-step column lr_t instead of {lr}; lr_t is
the epoch table's scheduled lr, computed by formulas once per epoch.

    kind "step"  torch.optim.lr_scheduler.StepLR(step_size, gamma): the lr is multiplied by gamma
                 every step_size epochs
    kind "sgdr"  torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(T_0, T_mult, eta_min):
                 lr = eta_min + (lr - eta_min)*(1 + cos(pi*T_cur/T_i))/2, T_cur counting epochs since
                 the last restart, and a restart (T_cur = 0, T_i *= T_mult) after T_i epochs

Both are epoch-granular, as torch's examples use them: scheduler.step() once after each epoch, so
epoch e runs with the lr after e-1 scheduler steps (epoch 1 with lr itself).  The epoch table's row e
holds the schedule after e steps (row 0, the start row: T_cur = 0, T_i = T_0, lr); epoch e's steps
read row e-1.  Like torch, the counters are updated recursively (StepLR multiplies by gamma, it does
not compute gamma^k; T_cur += 1 and wraps), so the sheet and numpy do the same operations.

torch's names T_0 and T_mult are lowercased (t_0, t_mult): spreadsheet names ignore case.
Only optimizers without an epoch table of their own can be scheduled.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from graddesc.errors import InputError
from graddesc.optimizers.adam import ADAM
from graddesc.optimizers.base import PLACEHOLDER, Column, Hyper, Optimizer
from graddesc.optimizers.sgd import SGD

LR_T = Column("lr_t", "lr_t (scheduled)", "{ep.prev:lr_next}",
              "the scheduled learning rate of this epoch (epoch table, previous row)", shared=True)


def _integer(hp, name, lo=1):
    v = hp[name]
    if v != int(v) or v < lo:
        raise InputError(f"{name} must be an integer >= {lo} (as in torch.optim.lr_scheduler), got {v:g}")


# --- StepLR

STEP_HYPERS = (
    Hyper("step_size", 5.0, "the lr is multiplied by gamma every step_size epochs (an integer)", lo=1.0),
    Hyper("gamma", 0.5, "factor the lr is multiplied by every step_size epochs", lo=0.0, hi=1.0, hi_open=False),
)
STEP_COLUMNS = (
    Column("since", "epochs since cut", "IF({since.prev}+1>={step_size},0,{since.prev}+1)",
           "epochs since the lr was last multiplied by gamma (0: it was, at the end of this epoch)",
           shared=True, init=0.0),
    Column("lr_next", "lr for next epoch", "IF({since}=0,{lr_next.prev}*{gamma},{lr_next.prev})",
           "the lr the next epoch uses: x gamma every step_size epochs (start row: lr)", shared=True,
           init="{lr}"),
)
STEP_EQ = ("StepLR per epoch: lr_t = lr, multiplied by gamma after every step_size epochs",)


def _step_epoch(hp, ep_prev, rows):
    since = ep_prev["since"] + 1
    lr = ep_prev["lr_next"]
    if since >= hp["step_size"]:
        since, lr = 0.0, lr * hp["gamma"]
    return {"since": since, "lr_next": lr}


def _step_check(hp):
    _integer(hp, "step_size")


# --- CosineAnnealingWarmRestarts

SGDR_HYPERS = (
    Hyper("t_0", 5.0, "T_0: epochs in the first cycle, from lr down to eta_min (an integer)", lo=1.0),
    Hyper("t_mult", 1.0, "T_mult: each cycle is t_mult times longer than the one before (an integer)", lo=1.0),
    Hyper("eta_min", 0.0, "the lowest lr, reached at the end of each cycle"),
)
SGDR_COLUMNS = (
    Column("t_cur", "T_cur", "IF({t_cur.prev}+1>={t_i.prev},{t_cur.prev}+1-{t_i.prev},{t_cur.prev}+1)",
           "epochs since the last restart (0 = the next epoch restarts at the full lr)", shared=True, init=0.0),
    Column("t_i", "T_i", "IF({t_cur.prev}+1>={t_i.prev},{t_i.prev}*{t_mult},{t_i.prev})",
           "the length of the current cycle in epochs (x t_mult at each restart)", shared=True, init="{t_0}"),
    Column("lr_next", "lr for next epoch", "{eta_min}+({lr}-{eta_min})*(1+COS(PI()*{t_cur}/{t_i}))/2",
           "eta_min + (lr - eta_min)*(1 + cos(pi*T_cur/T_i))/2: the lr the next epoch uses (start row: lr)",
           shared=True, init="{lr}"),
)
SGDR_EQ = ("SGDR per epoch: lr_t = eta_min + (lr - eta_min)*(1 + cos(pi*T_cur/T_i))/2;  "
           "T_cur += 1 per epoch, and when it reaches T_i: T_cur = 0, T_i *= t_mult",)


def _sgdr_epoch(hp, ep_prev, rows):
    t_cur, t_i = ep_prev["t_cur"] + 1, ep_prev["t_i"]
    if t_cur >= t_i:  # restart
        t_cur, t_i = t_cur - t_i, t_i * hp["t_mult"]
    lr = hp["eta_min"] + (hp["lr"] - hp["eta_min"]) * (1 + math.cos(math.pi * t_cur / t_i)) / 2
    return {"t_cur": t_cur, "t_i": t_i, "lr_next": lr}


def _sgdr_check(hp):
    _integer(hp, "t_0")
    _integer(hp, "t_mult")
    if hp["eta_min"] > hp["lr"]:
        raise InputError(f"eta_min ({hp['eta_min']:g}) must not exceed lr ({hp['lr']:g})")


@dataclass(frozen=True)
class Schedule:
    """A learning-rate schedule: its epoch table and the numpy side of it."""

    torch: str  # the torch.optim.lr_scheduler class it follows
    hypers: tuple[Hyper, ...]
    epoch_columns: tuple[Column, ...]
    equations: tuple[str, ...]
    epoch_fn: Callable  # (hp, ep_prev, rows) -> ep, at the end of each epoch
    check_fn: Callable  # raises InputError for inconsistent hyperparameters


KINDS = {
    "step": Schedule("StepLR", STEP_HYPERS, STEP_COLUMNS, STEP_EQ, _step_epoch, _step_check),
    "sgdr": Schedule("CosineAnnealingWarmRestarts", SGDR_HYPERS, SGDR_COLUMNS, SGDR_EQ, _sgdr_epoch, _sgdr_check),
}


def _use_lr_t(template):
    """{lr} -> {lr_t}: the scheduled lr of this row instead of the fixed hyperparameter."""
    if not isinstance(template, str):
        return template

    def sub(m):
        scope, scope_prev, name, prev = m.groups()
        return "{lr_t}" if name == "lr" and not scope and not prev else m.group(0)

    return PLACEHOLDER.sub(sub, template)


def with_schedule(opt: Optimizer, kind: str, name: str | None = None, title: str | None = None,
                  summary: str | None = None, lesson: str = "", defaults: dict | None = None) -> Optimizer:
    """A new unit: `opt` with its learning rate following schedule `kind` ("step" or "sgdr") per epoch.

    defaults: new default values for hyperparameters (of opt or of the schedule), e.g. {"lr": 0.5}."""
    if kind not in KINDS:
        raise ValueError(f"unknown schedule {kind!r} (known: {', '.join(KINDS)})")
    if opt.epoch_columns:
        raise ValueError(f"{opt.name} has its own epoch table: it cannot also take a schedule")
    if "lr" not in {h.name for h in opt.hypers}:
        raise ValueError(f"{opt.name} has no lr to schedule")
    sched = KINDS[kind]
    defaults = dict(defaults or {})
    new_hypers = []
    for h in opt.hypers + sched.hypers:
        if h.name == "lr":
            h = replace(h, meaning="base learning rate: the schedule starts from it (epoch 1)")
        if h.name in defaults:
            h = replace(h, default=float(defaults.pop(h.name)))
        new_hypers.append(h)
    if defaults:
        raise ValueError(f"unknown hyperparameters in defaults: {', '.join(defaults)}")
    inner_step, inner_check = opt.step_fn, opt.check_fn

    def step(hp, state, p, grad, t, loss, ep):
        lr_t = ep["lr_next"]
        new_p, new_state = inner_step({**hp, "lr": lr_t}, state, p, grad, t, loss)
        return new_p, {"lr_t": lr_t, **new_state}

    def check_all(hp):
        sched.check_fn(hp)
        if inner_check is not None:
            inner_check(hp)

    return Optimizer(
        name=name or f"{opt.name}_{kind}",
        title=title or f"{opt.title}, with {sched.torch} learning-rate schedule",
        summary=summary or opt.summary,
        equations=sched.equations + tuple(re.sub(r"\blr\b", "lr_t", e) for e in opt.equations),
        hypers=tuple(new_hypers),
        columns=(LR_T,) + tuple(replace(c, formula=_use_lr_t(c.formula), init=_use_lr_t(c.init))
                                for c in opt.columns),
        update=_use_lr_t(opt.update),
        torch=f"{opt.torch} + lr_scheduler.{sched.torch}" if opt.torch else None,
        lesson=lesson,
        epoch_columns=sched.epoch_columns,
        label=opt.label,
        init_fn=opt.init_fn,
        step_fn=step,
        check_fn=check_all,
        epoch_fn=sched.epoch_fn,
    )


SGD_STEP = with_schedule(
    SGD, "step", name="sgd_step",
    title="SGD with a step-decay schedule (StepLR)",
    summary="Plain SGD whose learning rate is multiplied by gamma every step_size epochs (torch's StepLR, "
            "stepped once per epoch). The schedule is the epoch table on the right; lr_t is the lr of each row.",
    lesson=("SGD's lr 1e-4 halved every 5 epochs: smaller steps calm a's zig-zag (epoch-20 loss 157 vs the sgd "
            "sheet's 260), but b crawls even more slowly (1.3): a schedule refines a good lr, it does not fix one "
            "that is too small for b."),
)

ADAM_SGDR = with_schedule(
    ADAM, "sgdr", name="adam_sgdr",
    title="Adam with cosine annealing and warm restarts (SGDR)",
    summary="Adam whose learning rate follows a cosine from lr down to eta_min over t_0 epochs, then "
            "restarts at lr (torch's CosineAnnealingWarmRestarts, stepped once per epoch). Small steps at "
            "the end of each cycle settle into the minimum; the restart kicks the parameters out again.",
    lesson=("lr 1, twice the adam sheet's, which alone jitters (epoch-10 loss 520): the cosine brings the lr down to "
            "0.02 in epoch 10 (loss 1.4), the restart in epoch 11 kicks the loss up, and the second cycle ends "
            "at loss 0.0002 (the adam sheet: 0.006)."),
    defaults={"lr": 1.0, "t_0": 10},
)
