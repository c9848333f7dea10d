"""The problem every sheet teaches: fit y = a*x + b, one sample per step.

loss e = (a*x + b - y)^2, de/db = 2*(a*x + b - y), de/da = x * de/db.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass

import numpy as np

from graddesc.errors import InputError

TRUE_A = 2.0
TRUE_B = 30.0
INIT_A = 1.0
INIT_B = 1.0
DEFAULT_SEED = 42
DEFAULT_SAMPLES = 30
# Excel's last row is 1,048,576; a data sheet holds one header row.
MAX_SAMPLES = 1_048_575
NUMERIC_STEP = 0.01  # h of the numerical derivative shown on the SGD sheet


@dataclass(frozen=True)
class Data:
    x: np.ndarray
    y: np.ndarray

    def __len__(self):
        return len(self.x)


def make_data(seed: int = DEFAULT_SEED, n: int = DEFAULT_SAMPLES) -> Data:
    """n samples with x = seeded random integers 1..100 and y = 2*x + 30."""
    if not isinstance(seed, int) or seed < 0:
        raise InputError(f"--seed must be a non-negative integer, got {seed!r}")
    if not isinstance(n, int) or not 1 <= n <= MAX_SAMPLES:
        raise InputError(f"number of samples must be between 1 and {MAX_SAMPLES}, got {n!r}")
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 101, size=n).astype(np.float64)
    return Data(x, TRUE_A * x + TRUE_B)


def load_csv(path, max_rows: int = MAX_SAMPLES) -> Data:
    """Read a CSV with header `x,y`; every error names the file and line."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except FileNotFoundError:
        raise InputError(f"{path}: data file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a text CSV file (not UTF-8)") from None
    except (OSError, csv.Error) as e:
        raise InputError(f"{path}: cannot read data file: {e}") from None
    if not rows:
        raise InputError(f"{path}: empty file, expected a header line 'x,y'")
    header = [h.strip().lower() for h in rows[0]]
    if header != ["x", "y"]:
        raise InputError(f"{path}, line 1: header must be 'x,y', got {','.join(rows[0])!r}")
    xs, ys = [], []
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != 2:
            raise InputError(f"{path}, line {lineno}: expected 2 values (x,y), got {len(row)}")
        vals = []
        for name, cell in zip("xy", row):
            try:
                v = float(cell)
            except ValueError:
                raise InputError(f"{path}, line {lineno}: {name} is not a number: {cell.strip()!r}") from None
            if not math.isfinite(v):
                raise InputError(f"{path}, line {lineno}: {name} must be finite, got {cell.strip()!r}")
            vals.append(v)
        xs.append(vals[0])
        ys.append(vals[1])
        if len(xs) > max_rows:
            raise InputError(f"{path}: more than {max_rows} data rows (a sheet holds at most {max_rows})")
    if not xs:
        raise InputError(f"{path}: no data rows after the header")
    return Data(np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64))


def loss(a, b, x, y):
    r = a * x + b - y
    return r * r


def grads(a, b, x, y):
    """(de/da, de/db) at one sample, computed as the sheet does: de/db first, de/da = x*de/db."""
    gb = 2 * (a * x + b - y)
    return x * gb, gb
