"""Divergence is agreement too: an optimizer that blows up gives inf/nan in numpy and error values
in the spreadsheet; the engine gives the same error values at the same cells as LibreOffice, and
verify treats them as agreement only where numpy diverged."""

import openpyxl
import pytest

from graddesc import verify
from graddesc.engine import ExcelError, Workbook
from graddesc.workbook.build import build_file
from tests.witnesses import require_libreoffice

DIVERGE = {"sgd": {"lr": 0.01}, "momentum": {"lr": 0.1}, "adagrad": {"lr": 1e300},
           "rmsprop": {"lr": 1e200}, "adam": {"lr": 1e306}}


@pytest.fixture(scope="module")
def diverging(tmp_path_factory):
    path = tmp_path_factory.mktemp("div") / "div.xlsx"
    build_file(path, epochs=3, overrides=DIVERGE)
    return path


def test_verify_agrees_and_reports_where_the_run_diverged(diverging):
    rep = verify.verify_file(diverging)
    assert rep.ok, rep.text()
    by = {s.sheet: s for s in rep.sheets}
    for name in ("momentum", "adagrad", "rmsprop", "adam"):
        assert by[name].diverged_at is not None and by[name].agree_errors > 0, name
    assert by["adagrad"].diverged_at == 2  # lr 1e300 overflows on the second step
    assert "diverged at step" in rep.text()


def test_a_number_never_agrees_with_an_error(diverging, tmp_path):
    """Type a number over a cell where the run has diverged: verify must fail there."""
    wb = Workbook.load(diverging).evaluate()
    addr = next(a for a, f, v in wb.formula_cells("adagrad") if isinstance(v, ExcelError))
    edited = tmp_path / "e.xlsx"
    book = openpyxl.load_workbook(diverging)
    book["adagrad"][addr] = 1.0
    book.save(edited)
    rep = verify.verify_file(edited)
    assert not rep.ok and any(m.cell == addr for m in rep.mismatches)


# LibreOffice reports SQRT/LN of a negative number as #VALUE! where Excel (and the engine) give #NUM!
LO_DIFFERS = {("#NUM!", "#VALUE!")}


def test_error_cells_match_libreoffice(diverging):
    lo = require_libreoffice().recalculate(diverging)
    wb = Workbook.load(diverging).evaluate()
    checked = 0
    for sheet in DIVERGE:
        ours = {a: str(v) for a, f, v in wb.formula_cells(sheet) if isinstance(v, ExcelError)}
        theirs = {a: v for a, v in lo[sheet].items() if a in lo.formulas[sheet]
                  and isinstance(v, str) and v.startswith("#")}
        assert set(ours) == set(theirs), f"{sheet}: error cells differ: {sorted(set(ours) ^ set(theirs))[:5]}"
        for a in ours:
            assert ours[a] == theirs[a] or (ours[a], theirs[a]) in LO_DIFFERS, (sheet, a, ours[a], theirs[a])
        checked += len(ours)
    assert checked > 1000
    rep = verify.verify_file(diverging, libreoffice=True)
    assert rep.ok, rep.text()
