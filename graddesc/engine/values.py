"""Excel values: numbers (float), text (str), booleans (bool), empty (None) and error values."""

from __future__ import annotations


class ExcelError:
    """An Excel error value such as #DIV/0!.  Singletons: compare with `is` or ==."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code

    def __repr__(self):
        return self.code

    __str__ = __repr__

    def __eq__(self, other):
        if isinstance(other, ExcelError):
            return self.code == other.code
        if isinstance(other, str):
            return self.code == other
        return NotImplemented

    def __hash__(self):
        return hash(self.code)

    def __reduce__(self):  # copies and pickles stay the singletons
        return (_error, (self.code,))


def _error(code):
    return ERRORS[code]


CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#CALC!", "#SPILL!")
ERRORS = {c: ExcelError(c) for c in CODES}
NULL, DIV0, VALUE, REF, NAME, NUM, NA = (ERRORS[c] for c in CODES[:7])


class XLError(Exception):
    """Raised inside exact evaluation to carry an error value up to the cell."""

    def __init__(self, error: ExcelError):
        self.error = error


class Fallback(Exception):
    """Raised by the fast path when a value needs the exact semantics."""
