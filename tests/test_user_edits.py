"""A user edits the generated workbook in a real spreadsheet application (LibreOffice, through
UNO) and saves it: verify re-reads the edited values, recomputes numpy with them and agrees; a
constant typed over a formula is reported with its address and the expected value."""

import pytest

from graddesc import verify
from graddesc.engine import Workbook
from graddesc.optimizers import REGISTRY
from graddesc.workbook import layout
from graddesc.workbook.build import build_file
from tests.witnesses import require_libreoffice


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("edits") / "w.xlsx"
    build_file(path, epochs=2)
    return path


def _cell(opt, key, param, step):
    c = next(c for c in layout.table_columns(REGISTRY[opt]) if c.key == key and c.param == param)
    return f"{c.letter}{layout.step_row(step)}"


def test_edits_saved_by_libreoffice_are_honoured(built, tmp_path):
    lo = require_libreoffice()
    edited = tmp_path / "edited.xlsx"
    lr_sheet, lr_addr = Workbook.load(built).resolve_name("adam_lr")
    lo.edit_and_save(built, {lr_sheet: {lr_addr: 0.3}, "data": {"A2": 50}}, edited)
    after = Workbook.load(edited).evaluate()
    assert after.value(lr_sheet, lr_addr) == 0.3 and after.value("data", "A2") == 50.0
    rep = verify.verify_file(edited)
    assert rep.ok, rep.text()
    before = Workbook.load(built).evaluate()
    new_a = _cell("adam", "new", 0, 1)
    assert after.value("adam", new_a) != before.value("adam", new_a)
    assert after.value("sgd", _cell("sgd", "x", None, 1)) == 50.0


def test_constant_typed_over_formula_is_reported(built, tmp_path):
    lo = require_libreoffice()
    edited = tmp_path / "typed.xlsx"
    addr = _cell("adam", "m", 1, 5)
    lo.edit_and_save(built, {"adam": {addr: 0.123}}, edited)
    rep = verify.verify_file(edited)
    assert not rep.ok
    m = rep.mismatches[0]
    assert (m.sheet, m.cell, m.formula, m.actual) == ("adam", addr, None, 0.123)
    assert "a constant was typed over this formula cell" in m.text() and isinstance(m.expected, float)
