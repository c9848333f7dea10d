"""What an optimizer unit is: hyperparameters, state columns with formula templates, numpy step.

A formula template is spreadsheet text with placeholders the workbook builder resolves:

    {lr}        the sheet's hyperparameter cell (a workbook-level defined name, e.g. adam_lr)
    {grad}      this parameter's raw gradient de/da or de/db in this row
    {p}         this parameter's value before the step (a or b)
    {x} {y}     this row's sample;  {loss} this row's loss (before the step)
    {t}         the step counter, 1 on the first step;  {epoch} the epoch, 1 on the first
    {m}         the column `m` of this parameter (or a shared column) in this row
    {m.prev}    the same column one step earlier; on the first step, the starting state
    {ep:k}      column `k` of the per-epoch table, in this step's epoch row
    {ep.prev:k} the same, one epoch earlier (epoch 0 = the starting row of the epoch table)

Per-epoch tables (one row per epoch, beside the step table) have `epoch_columns`, whose templates
may use {k} / {k.prev} (this / the previous epoch row of the epoch table), {rows:c} (the range of
step column `c` over this epoch's rows), {first:c} / {last:c} (its first / last step cell) and the
hyperparameters.  The numpy side gets `epoch_fn(hp, ep_prev, rows) -> ep`, called at the end of each
epoch with that epoch's step values, and `step(..., ep=ep_prev)`.

The numpy `init`/`step` are written from the maths (see ../shared/reference/optimizers.md), not
from the templates: agreement of the two is what `graddesc verify` proves.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from graddesc.errors import InputError


@dataclass(frozen=True)
class Hyper:
    name: str
    default: float
    meaning: str
    lo: float = 0.0
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = True
    flag: bool = False  # a 0/1 switch (TRUE/FALSE are accepted too)
    # how the sheet shows the value (the cell keeps it exactly): "General", or e.g. "0.0000" for
    # weights with 15 digits that would crowd the header block
    number_format: str = "General"

    @property
    def range_text(self) -> str:
        if self.flag:
            return "0 or 1"
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open or math.isinf(self.hi) else "]"
        hi = "inf" if math.isinf(self.hi) else _fmt(self.hi)
        return f"{left}{_fmt(self.lo)}, {hi}{right}"

    def check(self, value, where: str = "") -> float:
        """Return value as a float, or raise InputError naming the hyperparameter."""
        where = f" ({where})" if where else ""
        if isinstance(value, bool):
            value = float(value)
        if isinstance(value, str):
            text = value.strip()
            if self.flag and text.lower() in ("true", "false"):
                value = 1.0 if text.lower() == "true" else 0.0
            else:
                try:
                    value = float(text)
                except ValueError:
                    raise InputError(f"{self.name}{where} must be a number, got {value!r}") from None
        if not isinstance(value, (int, float)):
            raise InputError(f"{self.name}{where} must be a number, got {value!r}")
        value = float(value)
        if not math.isfinite(value):
            raise InputError(f"{self.name}{where} must be finite, got {value}")
        if self.flag:
            if value not in (0.0, 1.0):
                raise InputError(f"{self.name}{where} must be 0 or 1, got {_fmt(value)}")
            return value
        bad_lo = value < self.lo or (self.lo_open and value == self.lo)
        bad_hi = value > self.hi or (self.hi_open and value == self.hi)
        if bad_lo or bad_hi:
            raise InputError(f"{self.name}{where} must be in {self.range_text}, got {_fmt(value)}")
        return value


def _fmt(v: float) -> str:
    return f"{v:g}"


@dataclass(frozen=True)
class Column:
    """One computed column of the step table (one per parameter unless shared)."""

    key: str
    header: str
    formula: str
    meaning: str
    shared: bool = False  # one column for both parameters (e.g. a learning-rate schedule)
    init: str | float | None = None  # starting state; None: not carried from step to step


# {name}, {name.prev}, {scope:name}, {scope.prev:name}; groups: scope, scope_prev, name, prev
PLACEHOLDER = re.compile(r"\{(?:(\w+)(\.prev)?:)?(\w+)(\.prev)?\}")


@dataclass
class Optimizer:
    """One optimizer: everything the CLI, the workbook builder and verify need."""

    name: str  # registry key, sheet name, prefix of its defined names
    title: str
    summary: str  # two or three plain sentences for the top of the sheet
    equations: tuple[str, ...]  # the update in plain notation
    hypers: tuple[Hyper, ...]
    columns: tuple[Column, ...]
    update: str  # template of the new parameter value
    torch: str | None = None  # torch.optim class this follows, if any
    lesson: str = ""  # what the default settings show on the default data
    epoch_columns: tuple[Column, ...] = ()  # the per-epoch table (see module docstring)
    label: str = ""  # e.g. "fast.ai variant": shown beside the title
    # the sheet shows a numerical derivative (e(p+h) - e(p))/h beside each analytic one
    numerical_gradient: bool = False

    # numpy side, set by the unit
    init_fn: Callable[..., dict] | None = field(default=None, repr=False)  # (hp, p) -> state
    step_fn: Callable[..., tuple] | None = field(default=None, repr=False)  # see step()
    check_fn: Callable[[dict], None] | None = field(default=None, repr=False)  # raises InputError
    epoch_fn: Callable[..., dict] | None = field(default=None, repr=False)  # (hp, ep_prev, rows) -> ep

    def hyper(self, name: str) -> Hyper:
        for h in self.hypers:
            if h.name == name:
                return h
        known = ", ".join(h.name for h in self.hypers)
        raise InputError(f"{self.name} has no hyperparameter {name!r} (it has: {known})")

    def defaults(self) -> dict[str, float]:
        return {h.name: h.default for h in self.hypers}

    def resolve(self, overrides: dict | None = None, where: str = "") -> dict[str, float]:
        """Defaults updated with overrides, each checked against its range."""
        hp = self.defaults()
        for name, value in (overrides or {}).items():
            hp[name] = self.hyper(name).check(value, where)
        if self.check_fn is not None:
            self.check_fn(hp)
        return hp

    def defined_name(self, hyper: str) -> str:
        return f"{self.name}_{hyper}"

    def init(self, hp: dict, p: np.ndarray) -> dict:
        assert self.init_fn is not None, f"{self.name} has no numpy init"
        return self.init_fn(hp, p)

    def step(self, hp: dict, state: dict, p: np.ndarray, grad: np.ndarray, t: int, loss: float, ep=None):
        """One step: returns (new_p, new_state); new_state holds every column's value."""
        assert self.step_fn is not None, f"{self.name} has no numpy step"
        if self.epoch_columns:
            return self.step_fn(hp, state, p, grad, t, loss, ep=ep)
        return self.step_fn(hp, state, p, grad, t, loss)

    def epoch_init(self, hp: dict) -> dict:
        """The epoch table's starting row (epoch 0) as numpy values."""
        out = {}
        for c in self.epoch_columns:
            if c.init is None:
                continue
            v = hp[_hyper_of(c.init)] if isinstance(c.init, str) else float(c.init)
            out[c.key] = float(v) if c.shared else np.array([v, v], dtype=np.float64)
        return out


def _hyper_of(template: str) -> str:
    """The hyperparameter a starting-state template like "{initial_accumulator_value}" names."""
    m = PLACEHOLDER.fullmatch(template)
    if m is None:
        raise ValueError(f"a starting state must be one hyperparameter, like {{lr}}: got {template!r}")
    return m.group(3)


def flag(name, default, meaning):
    return Hyper(name, float(default), meaning, flag=True)


def unit_interval(name, default, meaning):
    """A value in [0, 1), like beta1, alpha, momentum."""
    return Hyper(name, default, meaning, lo=0.0, hi=1.0, hi_open=True)


def lr_hyper(default, meaning="learning rate: how far each step moves"):
    return Hyper("lr", default, meaning, lo=0.0, lo_open=True)


def eps_hyper(default, meaning="added to the denominator so it is never zero"):
    return Hyper("eps", default, meaning)
