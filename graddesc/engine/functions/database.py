"""Database functions over a list with a header row and a criteria range: DSUM, DCOUNT, DCOUNTA,
DAVERAGE, DMAX, DMIN, DPRODUCT, DGET, DSTDEV, DSTDEVP, DVAR, DVARP (Microsoft's documentation of
each, and of criteria ranges).

- database: a range whose first row holds the column labels; every further row is a record.
- field: a column label (text, matched case-insensitively) or its position (1 for the first
  column); an unknown label or a position outside the list is #VALUE!.  DCOUNT and DCOUNTA with
  an empty field count the matching records.
- criteria: a range whose first row holds labels of the database and whose further rows hold
  conditions: the conditions of one row must all hold (AND), a record matches when any row
  matches (OR); an empty condition cell holds for every record, so an empty criteria row matches
  every record.  A condition is Excel's criterion (criteria.py) with the advanced-filter rule
  that text without an operator matches text that BEGINS with it ("Dav" finds "Davolio"; the
  cell ="=Dav" gives the exact match).
- A condition under a label that is no label of the database holds for no record (a computed
  criterion - a formula evaluated for each record - would need the formula, not its value).
"""

from __future__ import annotations

import math

from graddesc.engine.functions.base import _one, finite, fn, to_text
from graddesc.engine.functions.criteria import criterion
from graddesc.engine.functions.lookup import grid
from graddesc.engine.values import DIV0, NUM, VALUE, ExcelError, XLError


def _label(v):
    if v is None:
        return ""
    if v.__class__ is ExcelError:
        return v.code.lower()
    return to_text(v).lower()


def _field_index(header, field):
    """The 0-based column of `field` in the header row, or None for an empty field."""
    f = _one(field)
    if f is None:
        return None
    t = f.__class__
    if t is ExcelError:
        raise XLError(f)
    if t is str:
        low = f.lower()
        for j, h in enumerate(header):
            if _label(h) == low:
                return j
        raise XLError(VALUE)
    j = int(f)  # a position (TRUE is 1): Excel truncates
    if j < 1 or j > len(header):
        raise XLError(VALUE)
    return j - 1


def _never(v):
    return False


def _records(database, criteria):
    """(header, matching records) of the database."""
    rows = grid(database)
    header, records = rows[0], rows[1:]
    if not records:  # a list needs a record below its labels
        raise XLError(VALUE)
    crows = grid(criteria)
    if len(crows) < 2:  # a criteria range needs a label and at least one condition row
        raise XLError(VALUE)
    labels = [_label(h) for h in crows[0]]
    columns = {}
    for j, h in enumerate(header):
        columns.setdefault(_label(h), j)
    alternatives = []
    for crow in crows[1:]:
        tests = []
        for label, cond in zip(labels, crow):
            if cond is None or cond == "":  # an empty condition holds for every record
                continue
            j = columns.get(label)
            if j is None:  # no such column: the row's conditions cannot hold
                tests.append((None, _never))
                continue
            tests.append((j, criterion(cond, database=True)))
        alternatives.append(tests)
    matched = [r for r in records
               if any(all(p(None if j is None else r[j]) for j, p in tests) for tests in alternatives)]
    return header, matched


def _numbers_of(database, field, criteria):
    header, matched = _records(database, criteria)
    j = _field_index(header, field)
    if j is None:
        raise XLError(VALUE)
    out = []
    for r in matched:
        v = r[j]
        if v.__class__ is float:
            out.append(v)
        elif v.__class__ is ExcelError:
            raise XLError(v)
    return out


def _variance(xs, sample):
    n = len(xs)
    if n < (2 if sample else 1):
        raise XLError(DIV0)
    mean = math.fsum(xs) / n
    return finite(math.fsum((x - mean) ** 2 for x in xs) / (n - 1 if sample else n))


@fn("DSUM", 3, 3, arrays=(0, 2))
def DSUM(database, field, criteria):
    total = 0.0
    for x in _numbers_of(database, field, criteria):
        total += x
    return finite(total)


@fn("DAVERAGE", 3, 3, arrays=(0, 2))
def DAVERAGE(database, field, criteria):
    xs = _numbers_of(database, field, criteria)
    if not xs:
        raise XLError(DIV0)
    total = 0.0
    for x in xs:
        total += x
    return finite(total / len(xs))


@fn("DMAX", 3, 3, arrays=(0, 2))
def DMAX(database, field, criteria):
    xs = _numbers_of(database, field, criteria)
    return max(xs) if xs else 0.0


@fn("DMIN", 3, 3, arrays=(0, 2))
def DMIN(database, field, criteria):
    xs = _numbers_of(database, field, criteria)
    return min(xs) if xs else 0.0


@fn("DPRODUCT", 3, 3, arrays=(0, 2))
def DPRODUCT(database, field, criteria):
    xs = _numbers_of(database, field, criteria)
    if not xs:
        return 0.0  # like PRODUCT of no numbers
    p = 1.0
    for x in xs:
        p *= x
    return finite(p)


def _count(database, field, criteria, keep):
    header, matched = _records(database, criteria)
    j = _field_index(header, field)
    if j is None:
        return float(len(matched))
    return float(sum(1 for r in matched if keep(r[j])))


@fn("DCOUNT", 3, 3, arrays=(0, 2))
def DCOUNT(database, field, criteria):
    return _count(database, field, criteria, lambda v: v.__class__ is float)


@fn("DCOUNTA", 3, 3, arrays=(0, 2))
def DCOUNTA(database, field, criteria):
    return _count(database, field, criteria, lambda v: v is not None)


@fn("DGET", 3, 3, arrays=(0, 2))
def DGET(database, field, criteria):
    """The field of the one matching record: none #VALUE!, more than one #NUM!."""
    header, matched = _records(database, criteria)
    j = _field_index(header, field)
    if j is None:
        raise XLError(VALUE)
    if not matched:
        raise XLError(VALUE)
    if len(matched) > 1:
        raise XLError(NUM)
    v = matched[0][j]
    if v.__class__ is ExcelError:
        raise XLError(v)
    return v


@fn("DSTDEV", 3, 3, arrays=(0, 2))
def DSTDEV(database, field, criteria):
    return math.sqrt(_variance(_numbers_of(database, field, criteria), True))


@fn("DSTDEVP", 3, 3, arrays=(0, 2))
def DSTDEVP(database, field, criteria):
    return math.sqrt(_variance(_numbers_of(database, field, criteria), False))


@fn("DVAR", 3, 3, arrays=(0, 2))
def DVAR(database, field, criteria):
    return _variance(_numbers_of(database, field, criteria), True)


@fn("DVARP", 3, 3, arrays=(0, 2))
def DVARP(database, field, criteria):
    return _variance(_numbers_of(database, field, criteria), False)
