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


SHARED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared")


def require_shared(sub: str) -> str:
    """The path of ../shared/<sub> beside the project root; skip (fail when witnesses are
    required, as in CI) when a clone stands alone without it."""
    path = os.path.normpath(os.path.join(SHARED, sub))
    if not os.path.exists(path):
        _missing(f"{path} is absent (the shared material lies beside the project root, not in a clone)")
    return path
