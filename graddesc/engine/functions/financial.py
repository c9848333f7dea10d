"""Financial: PMT, NPV, IRR, bonds, depreciation, ..."""

from __future__ import annotations

from graddesc.engine.functions.base import (  # noqa: F401
    Area, CTX, FUNCTIONS, _num1, _numbers, _one, finite, fn, number_text, to_bool, to_number,
    to_text,
)
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401
