"""The one registry of optimizers: the CLI, the workbook builder, verify and the tests loop over it."""

from graddesc.errors import InputError
from graddesc.optimizers.adadelta import ADADELTA
from graddesc.optimizers.adagrad import ADAGRAD
from graddesc.optimizers.adam import ADAM
from graddesc.optimizers.adamax import ADAMAX
from graddesc.optimizers.adamw import ADAMW
from graddesc.optimizers.amsgrad import AMSGRAD
from graddesc.optimizers.base import Column, Hyper, Optimizer
from graddesc.optimizers.eve import EVE
from graddesc.optimizers.learned import LEARNED
from graddesc.optimizers.fastai import (
    ADAGRAD_ANN, ADAGRAD_FASTAI, ADAM_ANN, ADAM_FASTAI, EVE_FASTAI, RMSPROP_FASTAI)
from graddesc.optimizers.momentum import MOMENTUM
from graddesc.optimizers.nadam import NADAM
from graddesc.optimizers.nesterov import NESTEROV
from graddesc.optimizers.radam import RADAM
from graddesc.optimizers.rmsprop import RMSPROP
from graddesc.optimizers.schedules import ADAM_SGDR, SGD_STEP, with_schedule
from graddesc.optimizers.sgd import SGD

REGISTRY: dict[str, Optimizer] = {}


def register(opt: Optimizer) -> Optimizer:
    if opt.name in REGISTRY:
        raise ValueError(f"optimizer {opt.name!r} registered twice")
    REGISTRY[opt.name] = opt
    return opt


for _opt in (SGD, MOMENTUM, NESTEROV, ADAGRAD, ADADELTA, RMSPROP, ADAM, AMSGRAD, ADAMW, ADAMAX, NADAM, RADAM,
             EVE,
             # the fast.ai course workbook's variants, beside the standard ones above
             ADAGRAD_FASTAI, ADAGRAD_ANN, RMSPROP_FASTAI, ADAM_FASTAI, ADAM_ANN, EVE_FASTAI,
             # learning-rate schedules (graddesc.optimizers.schedules.with_schedule works for any unit)
             SGD_STEP, ADAM_SGDR,
             # a tiny LSTM meta-trained by graddesc itself (Andrychowicz et al. 2016, scaled down)
             LEARNED):
    register(_opt)


def get(name: str) -> Optimizer:
    key = name.strip().lower()
    if key not in REGISTRY:
        raise InputError(f"unknown optimizer {name!r} (known: {', '.join(REGISTRY)})")
    return REGISTRY[key]


__all__ = ["REGISTRY", "Column", "Hyper", "Optimizer", "get", "register", "with_schedule"]
