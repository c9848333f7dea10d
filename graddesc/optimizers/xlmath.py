"""Spreadsheet arithmetic for the numpy side of the units, where numpy's own differs.

A formula's x^2 is the C library's pow(x, 2) (Excel, LibreOffice and graddesc's engine alike), but
numpy computes `array ** 2` as x*x, which differs from pow by one ulp for a few inputs in a million;
through a recurrence (v = beta2*v + (1-beta2)*g^2) that ulp can reach 1e-14 after some hundred
steps.  numpy's scalar power (np.float64 ** float) does call pow(), so `power` applies it per element.
"""

import numpy as np


def power(a, b: float):
    """a^b element by element with pow(), as a spreadsheet's ^ (inf/nan instead of exceptions)."""
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(all="ignore"):
        return np.array([np.float64(v) ** b for v in a.ravel()], dtype=np.float64).reshape(a.shape)
