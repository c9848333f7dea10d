"""Independent witnesses (LibreOffice, torch): skip when absent, fail when GRADDESC_REQUIRE_WITNESSES=1."""

import importlib.util
import os

import pytest


def _required() -> bool:
    return os.environ.get("GRADDESC_REQUIRE_WITNESSES") == "1"


def _missing(reason: str):
    if _required():
        pytest.fail(f"witness required (GRADDESC_REQUIRE_WITNESSES=1) but {reason}")
    pytest.skip(reason)


def require_torch():
    if importlib.util.find_spec("torch") is None:
        _missing("torch is not installed (pip install torch==2.13.0)")
    import torch

    return torch


def require_libreoffice():
    from graddesc.witnesses import libreoffice

    if not libreoffice.available():
        _missing("LibreOffice is not available: " + libreoffice.why_unavailable())
    return libreoffice
