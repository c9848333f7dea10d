"""The fast.ai variants: the sheets of the fast.ai deeplearning1 course workbook (graddesc.xlsm),
rebuilt without macros, labelled "fast.ai variant" so a learner can set them beside the standard
(torch.optim) versions.  Where the original used a macro between epochs, the per-epoch table does
the same with formulas (one row per epoch, beside the step table).

    adagrad_fastai  epoch-based Adagrad: lr / (sqrt(SUMSQ(previous epoch's gradients))/COUNT), fixed
                    within an epoch, per parameter
    rmsprop_fastai  no eps; each row divides by the PREVIOUS row's sqrt(v)
    adam_fastai     beta1 0.7, beta2 0.9, lr 1, no eps, no bias correction
    eve_fastai      adam_fastai with the step divided by d, updated once per epoch from the epoch
                    loss sqrt(SSE): r = |f1-f2|/min(f1,f2), d = 0.9*d + 0.1*r (no clipping, no fhat)
    adagrad_ann     adagrad_fastai + annealing: the lr is cut (x anneal) when an epoch's gradient
    adam_ann        measure has grown to more than `grow` times the previous epoch's; adam_fastai + the same

Sums over an epoch are added left to right, as a spreadsheet's SUM and SUMSQ do.
"""

import math

import numpy as np

from graddesc.optimizers.base import Column, Hyper, Optimizer, lr_hyper, unit_interval
from graddesc.optimizers.compose import first_moment, second_moment

LABEL = "fast.ai variant"


def _sumsq(col) -> float:
    s = 0.0
    for v in col:
        s += v * v
    return s


def grad_measure(grads):
    """Per parameter: sqrt(sum of the epoch's g^2) / number of steps (grads: (steps, 2))."""
    n = len(grads)
    return np.array([math.sqrt(_sumsq(grads[:, j])) / n for j in range(2)])


def _first_epoch(ep_prev, key):
    """The starting row of the epoch table has no value in column `key`: this is epoch 1."""
    return key not in ep_prev


RSS = Column("rss", "grad measure", "SQRT(SUMSQ({rows:grad}))/COUNT({rows:grad})",
             "sqrt(sum of this epoch's g^2) / number of steps: the size of this epoch's gradients")
ANNEAL_HYPERS = (
    Hyper("anneal", 0.25, "the lr is multiplied by this when the gradient measure has grown too much",
          lo=0.0, hi=1.0, lo_open=True, hi_open=False),
    Hyper("grow", 2.0, "cut the lr when an epoch's gradient measure exceeds grow x the previous epoch's",
          lo=1.0),
)
FIRST_LR = Hyper("first_lr", 1e-4, "the lr of epoch 1 (there is no previous epoch to measure): plain SGD")


# ----------------------------------------------------------------------------- adagrad (epoch)

def _adagrad_init(hp, p):
    return {}


def _adagrad_step(hp, state, p, grad, t, loss, ep):
    elr = ep["lr_next"]
    return p - elr * grad, {"elr": elr}


def _adagrad_epoch(hp, ep_prev, rows):
    rss = grad_measure(rows["grad"])
    return {"rss": rss, "lr_next": hp["lr"] / rss}


def _adagrad_ann_epoch(hp, ep_prev, rows):
    rss = grad_measure(rows["grad"])
    if _first_epoch(ep_prev, "rss"):
        scale = ep_prev["scale"]
    else:
        scale = np.where(rss > hp["grow"] * ep_prev["rss"], ep_prev["scale"] * hp["anneal"], ep_prev["scale"])
    return {"rss": rss, "scale": scale, "lr_next": hp["lr"] * scale / rss}


ELR = Column("elr", "lr this epoch", "{ep.prev:lr_next}",
             "the lr of this epoch: the previous epoch's 'lr for next epoch' (epoch table)")
ADAGRAD_EQ = (
    "G_e = sqrt(SUMSQ(g over epoch e))/COUNT(g over epoch e)   (the gradient measure of epoch e)",
    "lr of epoch e+1 = lr/G_e   (epoch 1: first_lr; fixed within the epoch, one per parameter)",
    "p <- p - lr_epoch*de/dp",
)

ADAGRAD_FASTAI = Optimizer(
    name="adagrad_fastai",
    title="Adagrad, fast.ai variant: one learning rate per epoch from the previous epoch's gradients",
    summary=(
        "The fast.ai course workbook's 'Adagrad' (a fast.ai variant, not torch's Adagrad): each "
        "parameter's learning rate for a whole epoch is lr divided by sqrt(sum of g^2)/count over the "
        "previous epoch, computed in the epoch table on the right. Large gradients last epoch mean "
        "small steps this epoch. Epoch 1 has no previous epoch and runs plain SGD with first_lr."
    ),
    equations=ADAGRAD_EQ,
    hypers=(lr_hyper(0.02, "lr per unit of normalised gradient (lr_e = lr / the gradient measure)"), FIRST_LR),
    columns=(ELR,),
    update="{p}-{elr}*{grad}",
    epoch_columns=(
        RSS,
        Column("lr_next", "lr for next epoch", "{lr}/{rss}",
               "lr / gradient measure: the lr the next epoch uses (start row: first_lr, for epoch 1)",
               init="{first_lr}"),
    ),
    label=LABEL,
    lesson=("epoch 1 is plain SGD (first_lr); then each parameter gets lr / its own gradient measure, so b's lr is "
            "50-70x a's and b moves (21.5 after 20 epochs; the sgd sheet's b: 1.7). At lr 0.03 or more it "
            "blows up after some epochs: as the gradients shrink, lr/measure grows (adagrad_ann adds the fix)."),
    init_fn=_adagrad_init,
    step_fn=_adagrad_step,
    epoch_fn=_adagrad_epoch,
)

ADAGRAD_ANN = Optimizer(
    name="adagrad_ann",
    title="Adagrad with annealing, fast.ai variant: cut the lr when the gradients grow",
    summary=(
        "The fast.ai epoch-based Adagrad (see adagrad_fastai) plus the course's annealing macro, done "
        "with formulas: between epochs, if a parameter's gradient measure has grown to more than grow "
        "times the previous epoch's, its lr is multiplied by anneal (a quarter) from then on."
    ),
    equations=(
        "G_e = sqrt(SUMSQ(g over epoch e))/COUNT(g over epoch e)   (the gradient measure of epoch e)",
        "scale_e = scale_(e-1)*anneal if G_e > grow*G_(e-1), else scale_(e-1)   (scale_0 = 1)",
        "lr of epoch e+1 = lr*scale_e/G_e   (epoch 1: first_lr)",
        "p <- p - lr_epoch*de/dp",
    ),
    hypers=(lr_hyper(0.1, "lr per unit of normalised gradient, before annealing"), FIRST_LR) + ANNEAL_HYPERS,
    columns=(ELR,),
    update="{p}-{elr}*{grad}",
    epoch_columns=(
        RSS,
        Column("scale", "lr scale", "IF(AND({epoch_no}>1,{rss}>{grow}*{rss.prev}),{scale.prev}*{anneal},{scale.prev})",
               "x anneal when the gradient measure grew to more than grow x the previous epoch's", init=1.0),
        Column("lr_next", "lr for next epoch", "{lr}*{scale}/{rss}",
               "lr * scale / gradient measure: the lr the next epoch uses (start row: first_lr)",
               init="{first_lr}"),
    ),
    label=LABEL,
    lesson=("lr 0.1, which blows adagrad_fastai up in epoch 8: here that epoch's gradient measure jumps 11x, the lr "
            "is quartered and the run recovers (epoch-20 loss 69, b 17.4); later cuts follow whenever lr/measure "
            "creeps up too far."),
    init_fn=_adagrad_init,
    step_fn=_adagrad_step,
    epoch_fn=_adagrad_ann_epoch,
)


# ------------------------------------------------------------------------------------ rmsprop

def _rmsprop_init(hp, p):
    return {"v": p * 0.0}


def _rmsprop_step(hp, state, p, grad, t, loss):
    alpha = hp["alpha"]
    v = alpha * state["v"] + (1 - alpha) * (grad * grad)
    den = np.sqrt(v) if t == 1 else np.sqrt(state["v"])  # the PREVIOUS row's v (none before step 1)
    return p - hp["lr"] * grad / den, {"v": v, "den": den}


RMSPROP_FASTAI = Optimizer(
    name="rmsprop_fastai",
    title="RMSProp, fast.ai variant: divide by the previous row's root-mean-square",
    summary=(
        "The fast.ai course workbook's RMSProp (a fast.ai variant; compare the rmsprop sheet, which is "
        "torch's): no eps, and each row divides its gradient by the square root of the PREVIOUS row's "
        "moving mean of g^2, so a sudden large gradient is not damped on the step it appears."
    ),
    equations=(
        "v = alpha*v + (1-alpha)*g^2",
        "den = sqrt(v of the previous row)   (step 1: its own v)",
        "p <- p - lr*g/den",
    ),
    hypers=(
        lr_hyper(0.02, "learning rate (0.02 as in the fast.ai workbook)"),
        unit_interval("alpha", 0.9, "how much of the moving average of g^2 is kept each step"),
    ),
    columns=(
        second_moment("alpha", of="grad"),
        Column("den", "denominator", "IF({t}=1,SQRT({v}),SQRT({v.prev}))",
               "sqrt of the previous row's v (step 1 has none: its own v)"),
    ),
    update="{p}-{lr}*{grad}/{den}",
    label=LABEL,
    lesson=("fast.ai's lr 0.02 converges, slowly: epoch loss 546 -> 110 in 20 epochs, b 6.6. Dividing by the previous "
            "row's v lets a sudden large gradient through undamped."),
    init_fn=_rmsprop_init,
    step_fn=_rmsprop_step,
)


# --------------------------------------------------------------------------------------- adam

def _adam_init(hp, p):
    z = p * 0.0
    return {"m": z, "v": z}


def _adam_mv(hp, state, grad):
    b1, b2 = hp["beta1"], hp["beta2"]
    m = b1 * state["m"] + (1 - b1) * grad
    v = b2 * state["v"] + (1 - b2) * (grad * grad)
    return m, v


def _adam_step(hp, state, p, grad, t, loss):
    m, v = _adam_mv(hp, state, grad)
    return p - hp["lr"] * m / np.sqrt(v), {"m": m, "v": v}


ADAM_HYPERS = (
    unit_interval("beta1", 0.7, "how much of the mean gradient m is kept each step (fast.ai: 0.7)"),
    unit_interval("beta2", 0.9, "how much of the mean squared gradient v is kept each step (fast.ai: 0.9)"),
)
ADAM_COLUMNS = (
    first_moment(of="grad"),
    second_moment(of="grad"),
)

ADAM_FASTAI = Optimizer(
    name="adam_fastai",
    title="Adam, fast.ai variant: no bias correction, no eps",
    summary=(
        "The fast.ai course workbook's Adam (a fast.ai variant; compare the adam sheet, which is "
        "torch's): beta1 0.7, beta2 0.9, lr 1, no bias correction and no eps. With beta2 = 0.9 the "
        "first step is 0.3/sqrt(0.1) = 0.95 lr instead of lr."
    ),
    equations=(
        "m = beta1*m + (1-beta1)*g",
        "v = beta2*v + (1-beta2)*g^2",
        "p <- p - lr*m/sqrt(v)",
    ),
    hypers=(lr_hyper(1.0, "learning rate: each step moves about lr (fast.ai: 1)"),) + ADAM_HYPERS,
    columns=ADAM_COLUMNS,
    update="{p}-{lr}*{m}/SQRT({v})",
    label=LABEL,
    lesson=("fast.ai's lr 1: b climbs to about 26.7 in 8 epochs and stops there: the steps stay about lr in size "
            "(no decay, no bias correction), a and b fall into a cycle and the epoch loss stalls near 290 "
            "(compare the adam sheet, and adam_ann)."),
    init_fn=_adam_init,
    step_fn=_adam_step,
)


def _adam_ann_step(hp, state, p, grad, t, loss, ep):
    m, v = _adam_mv(hp, state, grad)
    elr = ep["lr_ep"]
    return p - elr * m / np.sqrt(v), {"m": m, "v": v, "elr": elr}


def _adam_ann_epoch(hp, ep_prev, rows):
    rss = grad_measure(rows["grad"])
    if _first_epoch(ep_prev, "rss"):
        lr_ep = ep_prev["lr_ep"]
    else:
        lr_ep = np.where(rss > hp["grow"] * ep_prev["rss"], ep_prev["lr_ep"] * hp["anneal"], ep_prev["lr_ep"])
    return {"rss": rss, "lr_ep": lr_ep}


ADAM_ANN = Optimizer(
    name="adam_ann",
    title="Adam with annealing, fast.ai variant: cut the lr when the gradients grow",
    summary=(
        "The fast.ai Adam (see adam_fastai) plus the course's annealing macro, done with formulas: "
        "between epochs, if a parameter's gradient measure has grown to more than grow times the "
        "previous epoch's, its lr is multiplied by anneal (a quarter) from then on."
    ),
    equations=(
        "G_e = sqrt(SUMSQ(g over epoch e))/COUNT(g over epoch e)   (the gradient measure of epoch e)",
        "lr of epoch e+1 = lr of epoch e * anneal if G_e > grow*G_(e-1), else unchanged   (epoch 1: lr)",
        "m = beta1*m + (1-beta1)*g,   v = beta2*v + (1-beta2)*g^2",
        "p <- p - lr_epoch*m/sqrt(v)",
    ),
    # lr 0.7: at 2 (and at 0.4-0.55) the path bounces chaotically: a one-ulp change at the start
    # moves the last epochs' numbers by up to 1e9 ulps, and Gnumeric's 80-bit arithmetic shows it;
    # at 0.7 the same change moves them by a few ulps, and the one annealing decision has a wide
    # margin (the measure grows x2.47 and x2.25 against the threshold 2)
    hypers=(lr_hyper(0.7, "learning rate before annealing"),)
    + ADAM_HYPERS + ANNEAL_HYPERS,
    columns=ADAM_COLUMNS + (Column("elr", "lr this epoch", "{ep.prev:lr_ep}",
                                   "the lr of this epoch, from the epoch table"),),
    update="{p}-{elr}*{m}/SQRT({v})",
    epoch_columns=(
        RSS,
        Column("lr_ep", "lr for next epoch",
               "IF(AND({epoch_no}>1,{rss}>{grow}*{rss.prev}),{lr_ep.prev}*{anneal},{lr_ep.prev})",
               "x anneal when the gradient measure grew to more than grow x the previous epoch's", init="{lr}"),
    ),
    label=LABEL,
    lesson=("lr 0.7, where adam_fastai keeps bouncing (mean loss 295 in epoch 9, 161 in epoch 19): here both "
            "gradient measures more than double in epoch 9 (x2.5 for a, x2.3 for b), both lrs are quartered "
            "to 0.175, and the mean loss falls to 11 in epoch 10 and stays near 9 (9.0 in epoch 20)."),
    init_fn=_adam_init,
    step_fn=_adam_ann_step,
    epoch_fn=_adam_ann_epoch,
)


# ---------------------------------------------------------------------------------------- eve

def _eve_step(hp, state, p, grad, t, loss, ep):
    m, v = _adam_mv(hp, state, grad)
    d = ep["d"]
    # the epoch's sum of squared errors so far, restarted on an epoch's first step
    sse = loss if ep["first_step"] else state["sse"] + loss
    return p - hp["lr"] * m / np.sqrt(v) / d, {"m": m, "v": v, "d": d, "sse": sse}


def _eve_epoch(hp, ep_prev, rows):
    f = np.float64(math.sqrt(rows["sse"][-1]))  # sqrt(SSE) of the epoch
    if _first_epoch(ep_prev, "f"):
        r, d = np.float64(0.0), ep_prev["d"]
    else:
        fp = ep_prev["f"]
        r = np.abs(f - fp) / min(f, fp)
        d = hp["beta3"] * ep_prev["d"] + (1 - hp["beta3"]) * r
    return {"f": f, "r": r, "d": d}


EVE_FASTAI = Optimizer(
    name="eve_fastai",
    title="Eve, fast.ai variant: Adam slowed by the epoch-to-epoch change of the loss",
    summary=(
        "The fast.ai course workbook's Eve (a fast.ai variant; compare the eve sheet, the authors' "
        "algorithm): the adam_fastai step divided by d, and d is updated once per epoch in the epoch "
        "table from the epoch loss f = sqrt(sum of the epoch's losses): r = |f - f_prev|/min(f, f_prev), "
        "d = beta3*d + (1-beta3)*r. No clipping and no smoothed fhat."
    ),
    equations=(
        "m = beta1*m + (1-beta1)*g,   v = beta2*v + (1-beta2)*g^2",
        "per epoch: f = sqrt(SSE),  r = |f - f_prev|/min(f, f_prev),  d = beta3*d + (1-beta3)*r",
        "(d starts at 1 and stays 1 after epoch 1: no previous epoch to compare with)",
        "p <- p - lr*m/sqrt(v)/d   (d of the previous epoch)",
    ),
    # lr 0.15, not fast.ai's 1: at 1 the failing run is chaotic (a one-ulp change at the start moves
    # its last epochs by more than 1e12 ulps); at 0.15 it fails the same way, reproducibly
    hypers=(lr_hyper(0.15, "learning rate (fast.ai: 1)"),) + ADAM_HYPERS + (
        unit_interval("beta3", 0.9, "how much of d is kept each epoch (fast.ai: 0.9)"),),
    columns=ADAM_COLUMNS + (
        Column("d", "d (this epoch)", "{ep.prev:d}", "the feedback d of the previous epoch, from the epoch table",
               shared=True),
        # a running sum rather than SUM(...) over the epoch: `+` rounds the same in every application,
        # while LibreOffice's SUM rounds differently (SUM(0.1,0.2,0.3) is 0.6 there, 0.6000000000000001
        # in IEEE order), and this sheet, unstable on purpose, amplifies that into visible differences
        Column("sse", "epoch SSE so far", "IF({epoch}<>{epoch.prev},{loss},{sse.prev}+{loss})",
               "sum of this epoch's losses up to this step (restarts with each epoch)", shared=True, init=0.0)),
    update="{p}-{lr}*{m}/SQRT({v})/{d}",
    epoch_columns=(
        Column("f", "epoch loss f", "SQRT({last:sse})", "f = sqrt(sum of this epoch's losses) = sqrt(SSE)",
               shared=True),
        Column("r", "relative change r", "IF({epoch_no}=1,0,ABS({f}-{f.prev})/MIN({f},{f.prev}))",
               "r = |f - f_prev| / min(f, f_prev) (0 in epoch 1: no previous epoch)", shared=True),
        Column("d", "d", "IF({epoch_no}=1,{d.prev},{beta3}*{d.prev}+(1-{beta3})*{r})",
               "d = beta3*d + (1-beta3)*r (unchanged in epoch 1); the next epoch divides its steps by it",
               shared=True, init=1.0),
    ),
    label=LABEL,
    lesson=("FAILS, and that is the lesson (lr 0.15, where adam_fastai converges steadily: mean loss 7.2 in "
            "epoch 20): as the epoch loss settles, r and so d fall (1 -> 0.23), the steps grow to 4x "
            "adam_fastai's and the loss climbs back (mean 44 in epoch 12, 110 in epoch 19). The eve sheet's "
            "clipping and smoothed fhat are what prevent this."),
    init_fn=_adam_init,
    step_fn=_eve_step,
    epoch_fn=_eve_epoch,
)
