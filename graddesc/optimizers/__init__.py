"""The one registry of optimizers: the CLI, the workbook builder, verify and the tests loop over it."""

from graddesc.errors import InputError
from graddesc.optimizers.adagrad import ADAGRAD
from graddesc.optimizers.adam import ADAM
from graddesc.optimizers.base import Column, Hyper, Optimizer
from graddesc.optimizers.momentum import MOMENTUM
from graddesc.optimizers.rmsprop import RMSPROP
from graddesc.optimizers.sgd import SGD

REGISTRY: dict[str, Optimizer] = {}


def register(opt: Optimizer) -> Optimizer:
    if opt.name in REGISTRY:
        raise ValueError(f"optimizer {opt.name!r} registered twice")
    REGISTRY[opt.name] = opt
    return opt


for _opt in (SGD, MOMENTUM, ADAGRAD, RMSPROP, ADAM):
    register(_opt)


def get(name: str) -> Optimizer:
    key = name.strip().lower()
    if key not in REGISTRY:
        raise InputError(f"unknown optimizer {name!r} (known: {', '.join(REGISTRY)})")
    return REGISTRY[key]


__all__ = ["REGISTRY", "Column", "Hyper", "Optimizer", "get", "register"]
