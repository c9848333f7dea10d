"""A learned optimizer: a tiny LSTM, meta-trained on random problems of this workbook's family
("learning to learn by gradient descent by gradient descent", Andrychowicz et al. 2016).

The same network runs on a and on b (its weights are the sheet's hyperparameters, its cell and
hidden states are the state columns).  The architecture and its training are described in
graddesc/l2l.py; the weights come from graddesc/data/l2l_weights.json (graddesc.l2l.train()).
The numpy step below is written from the equations, independently of the formula templates.
"""

import json
import math
import os

import numpy as np

from graddesc.optimizers.base import Column, Hyper, Optimizer, lr_hyper

WEIGHTS_FILE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "l2l_weights.json")
UNITS = (1, 2)
# The sheet's default lr.  The weights were trained with lr = 1, but at 1 the path, once it hovers
# near the answer, amplifies a one-ulp difference about 1e4-fold (measured by perturbing the start
# by 1e-12), so applications that round differently (Gnumeric computes in 80-bit) show different
# numbers on the sheet; at 0.9 the amplification is about 200 and it converges sooner (244 steps).
SHEET_LR = 0.9
GATES = (("i", "input gate"), ("f", "forget gate"), ("o", "output gate"))


def _shipped():
    with open(WEIGHTS_FILE, encoding="utf-8") as f:
        return json.load(f)


_SHIPPED = _shipped()
WEIGHTS = _SHIPPED["weights"]


def _elementwise(f):
    """f applied to each element with Python's math (the C library, as the engine's EXP, LN, TANH
    and LibreOffice's): numpy's own SIMD exp/tanh differ from it by an ulp for a quarter of inputs,
    and the LSTM's recurrence and ln|g| of a nearly cancelled gradient would carry that into every
    later row.  An overflow or a non-finite input gives nan, as the sheet gives #NUM!."""
    def apply(arr):
        arr = np.asarray(arr, dtype=np.float64)
        out = np.empty(arr.shape)
        for idx, v in np.ndenumerate(arr):
            try:
                out[idx] = f(float(v)) if math.isfinite(v) else math.nan
            except (OverflowError, ValueError):
                out[idx] = math.nan
        return out
    return apply


_exp = _elementwise(math.exp)
_tanh = _elementwise(math.tanh)
_ln_abs = _elementwise(lambda v: math.log(abs(v)) if v != 0 else -math.inf)


def _sigmoid(zz):
    return 1 / (1 + _exp(-zz))


def init(hp, p):
    z = p * 0.0
    return {"c1": z, "c2": z, "h1": z, "h2": z}


def forward(hp, state, grad):
    """Every column's value for gradients `grad` (one entry per parameter), in the sheet's order."""
    pp = hp["pre_p"]
    g = np.asarray(grad, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        big = np.abs(g) >= np.exp(-pp)  # np.exp: inf/0 like the sheet's EXP, never an exception
        l = np.where(big, _ln_abs(g) / pp, -1.0)
        s = np.where(big, np.sign(g), np.exp(pp) * g)
        bad = ~np.isfinite(g)  # a diverged run: the sheet has #NUM! here
        l = np.where(bad, math.nan, l)
        s = np.where(bad, math.nan, s)
        out = {"l": l, "s": s}
        for gate, _ in GATES:
            for k in UNITS:
                out[f"{gate}{k}"] = _sigmoid(hp[f"w{gate}{k}"] * l + hp[f"b{gate}{k}"])
        h1, h2 = state["h1"], state["h2"]
        for k in UNITS:
            out[f"z{k}"] = _tanh(hp[f"wz{k}"] * s + hp[f"uz{k}1"] * h1 + hp[f"uz{k}2"] * h2)
        for k in UNITS:
            out[f"c{k}"] = out[f"f{k}"] * state[f"c{k}"] + out[f"i{k}"] * out[f"z{k}"]
            out[f"h{k}"] = out[f"o{k}"] * _tanh(out[f"c{k}"])
        out["out"] = hp["v1"] * out["h1"] + hp["v2"] * out["h2"]
    return out


def step(hp, state, p, grad, t, loss):
    cols = forward(hp, state, grad)
    return p - hp["lr"] * cols["out"], cols


def weight_hyper(name, meaning):
    # 15 significant digits, as trained but for the 16th and 17th: LibreOffice saves numbers with 15,
    # so a sheet it saved would otherwise hold weights other than those its cached values came from
    # (the LSTM's recurrence grows that 1e-16 to 3e-9 by step 260, and recalc --compare-cached flags it)
    return Hyper(name, float(f"{WEIGHTS[name]:.15g}"), meaning, lo=-math.inf, lo_open=True,
                 number_format="0.0000")


def _hypers():
    hs = [lr_hyper(SHEET_LR, "output multiplier: step = lr*out (the weights were trained with lr = 1; "
                             "the sheet's 0.9 keeps its hovering from amplifying rounding)"),
          Hyper("pre_p", float(_SHIPPED.get("pre_p", 10.0)),
                "p of the preprocessing: (ln|g|/p, sign g) if |g| >= e^-p, else (-1, e^p*g) (paper: 10)",
                lo=0.0, lo_open=True)]
    for gate, what in GATES:
        for k in UNITS:
            hs.append(weight_hyper(f"w{gate}{k}", f"{what} {k}: weight of l = ln|g|/p (trained)"))
            hs.append(weight_hyper(f"b{gate}{k}", f"{what} {k}: bias (trained)"))
    for k in UNITS:
        hs.append(weight_hyper(f"wz{k}", f"cell input {k}: weight of s = sign g (trained)"))
        hs.append(weight_hyper(f"uz{k}1", f"cell input {k}: weight of h1, the previous row's hidden state 1 (trained)"))
        hs.append(weight_hyper(f"uz{k}2", f"cell input {k}: weight of h2, the previous row's hidden state 2 (trained)"))
    for k in UNITS:
        hs.append(weight_hyper(f"v{k}", f"output: weight of hidden state h{k} (trained)"))
    return tuple(hs)


def _columns():
    big = "ABS({grad})>=EXP(-{pre_p})"
    cols = [
        Column("l", "l = log size", f"IF({big},LN(ABS({{grad}}))/{{pre_p}},-1)",
               "l = ln|g|/p if |g| >= e^-p, else -1 (the gradient's size, on a log scale)"),
        Column("s", "s = sign", f"IF({big},SIGN({{grad}}),EXP({{pre_p}})*{{grad}})",
               "s = sign g if |g| >= e^-p, else e^p*g"),
    ]
    for gate, what in GATES:
        for k in UNITS:
            cols.append(Column(f"{gate}{k}", f"{gate}{k} ({what})",
                               f"1/(1+EXP(-({{w{gate}{k}}}*{{l}}+{{b{gate}{k}}})))",
                               f"{gate}{k} = sigmoid(w{gate}{k}*l + b{gate}{k})"))
    for k in UNITS:
        cols.append(Column(f"z{k}", f"z{k} (cell input)",
                           f"TANH({{wz{k}}}*{{s}}+{{uz{k}1}}*{{h1.prev}}+{{uz{k}2}}*{{h2.prev}})",
                           f"z{k} = tanh(wz{k}*s + uz{k}1*h1 + uz{k}2*h2), h from the previous row"))
    for k in UNITS:
        cols.append(Column(f"c{k}", f"c{k} (cell)", f"{{f{k}}}*{{c{k}.prev}}+{{i{k}}}*{{z{k}}}",
                           f"c{k} = f{k}*c{k} + i{k}*z{k}", init=0.0))
    for k in UNITS:
        cols.append(Column(f"h{k}", f"h{k} (hidden)", f"{{o{k}}}*TANH({{c{k}}})",
                           f"h{k} = o{k}*tanh(c{k})", init=0.0))
    cols.append(Column("out", "out", "{v1}*{h1}+{v2}*{h2}", "out = v1*h1 + v2*h2"))
    return tuple(cols)


LEARNED = Optimizer(
    name="learned",
    title="Learned: a tiny LSTM trained to optimize this kind of problem",
    summary=(
        "The update is computed by a 2-unit LSTM whose 20 weights (the yellow cells) were trained "
        "by graddesc on thousands of random problems like this one (y = a*x + b, x from 1 to 100). "
        "The gates see only the size of the gradient (l = ln|g|/10), the cell only its sign, so the "
        "size decides how far to move and the signs decide which way; the cell remembers."
    ),
    equations=(
        "l = ln|g|/p, s = sign g  (if |g| >= e^-p; else l = -1, s = e^p*g)",
        "i, f, o = sigmoid(w*l + b)   (per unit k = 1, 2)",
        "z = tanh(wz*s + uz1*h1 + uz2*h2)",
        "c = f*c + i*z,  h = o*tanh(c)",
        "out = v1*h1 + v2*h2",
        "p <- p - lr*out",
    ),
    hypers=_hypers(),
    columns=_columns(),
    update="{p}-{lr}*{out}",
    torch=None,
    label="learned (L2L)",
    lesson=("trained on random problems, not on this one, it gets a and b within 1% after 244 steps "
            "(Adam's defaults: 521), then hovers about 0.1% off: it learned no schedule beyond the "
            "600 steps it was trained for."),
    init_fn=init,
    step_fn=step,
)
