"""References as values: INDEX, OFFSET, INDIRECT, the reference operators (':' between
references, ' ' intersection, ',' union), ROW/COLUMN/ROWS/COLUMNS/AREAS, ISREF, ISFORMULA,
FORMULATEXT, SHEET(S), CELL, and cells whose references are made at run time being evaluated
after the cells they read.  Expected values follow Microsoft's function reference."""

import pytest

from graddesc.engine import Workbook

# A1:A5 1..5, B1:B5 10..50, C1 text, D1 a formula, E column empty; Other!A1 = 100
CELLS = {"A1": 1.0, "A2": 2.0, "A3": 3.0, "A4": 4.0, "A5": 5.0, "B1": 10.0, "B2": 20.0, "B3": 30.0,
         "B4": 40.0, "B5": 50.0, "C1": "x", "D1": "=A1*2"}

TABLE = [
    # OFFSET(reference, rows, cols, [height], [width])
    ("=OFFSET(A1,1,0)", 2.0), ("=OFFSET(A1,2,1)", 30.0), ("=SUM(OFFSET(A1,1,0,3,1))", 9.0),
    ("=SUM(OFFSET(A1:A2,1,1))", 50.0), ("=SUM(OFFSET(A1,0,0,2,2))", 33.0), ("=OFFSET(A1,-1,0)", "#REF!"),
    ("=OFFSET(A1,0,0,0,1)", "#REF!"), ("=OFFSET(A3,-2.7,0)", 1.0), ("=SUM(OFFSET(A5,0,0,-2,1))", 9.0),
    ("=OFFSET(C1,0,0)", "x"), ("=OFFSET(1,0,0)", "#VALUE!"), ("=ROWS(OFFSET(A1,0,0,4,2))", 4.0),
    # INDIRECT(ref_text, [a1])
    ('=INDIRECT("A2")', 2.0), ('=INDIRECT("$B$3")', 30.0), ('=SUM(INDIRECT("A1:A3"))', 6.0),
    ('=INDIRECT("Other!A1")', 100.0), ("=INDIRECT(\"'Other'!A1\")", 100.0), ('=INDIRECT("nosheet!A1")', "#REF!"),
    ('=INDIRECT("R2C1",FALSE)', 2.0), ('=INDIRECT("R[1]C[-25]",FALSE)', 2.0), ('=SUM(INDIRECT("R1C1:R2C2",FALSE))', 33.0),
    ('=INDIRECT("rate")', 0.5), ('=INDIRECT("not a ref")', "#REF!"), ('=INDIRECT("D1")+1', 3.0),
    ('=SUM(INDIRECT("A:A"))', 15.0),
    # the range operator between references, intersection, union
    ("=SUM(A1:INDEX(A1:A5,3))", 6.0), ("=SUM(INDEX(A1:A5,2):INDEX(B1:B5,3))", 55.0),
    ("=SUM(OFFSET(A1,1,0):A4)", 9.0), ('=SUM(A1:INDIRECT("A3"))', 6.0), ("=SUM(A1:B5 B2:C3)", 50.0),
    ("=A1:A5 A3:B3", 3.0), ("=SUM(A1:A2 B1:B2)", "#NULL!"), ("=SUM((A1:A2,B1))", 13.0), ("=AREAS((A1:A2,B1,C3))", 3.0),
    ("=AREAS(A1:B5)", 1.0), ("=INDEX((A1:A5,B1:B5),2,1,2)", 20.0), ("=INDEX((A1:A5,B1:B5),2,1,3)", "#REF!"),
    ("=ROWS((A1,B1))", "#REF!"), ("=AREAS(((A1:B2,A4:B5) B1:B5))", 2.0), ("=SUM(A1:B)", "#NAME?"), ("=XFE1:A1", "#NAME?"),
    # ROW / COLUMN of references made at run time
    ("=ROW(OFFSET(A1,3,0))", 4.0), ('=COLUMN(INDIRECT("C7"))', 3.0), ("=ROW(INDEX(A1:A5,4))", 4.0),
    ("=SUMPRODUCT(ROW(OFFSET(A1,0,0,3,1)))", 6.0),
    # information about references
    ("=ISREF(A1)", True), ("=ISREF(A1:B2)", True), ("=ISREF(1)", False), ('=ISREF("A1")', False),
    ("=ISREF(INDEX(A1:A5,1))", True), ("=ISREF(OFFSET(A1,1,1))", True), ("=ISFORMULA(D1)", True),
    ("=ISFORMULA(A1)", False), ("=FORMULATEXT(D1)", "=A1*2"), ("=FORMULATEXT(A1)", "#N/A"),
    ("=SHEET()", 1.0), ("=SHEET(Other!A1)", 2.0), ('=SHEET("Other")', 2.0), ('=SHEET("nope")', "#N/A"),
    ("=SHEETS()", 2.0), ("=SHEETS(A1)", 1.0),
    ('=CELL("address",B3)', "$B$3"), ('=CELL("address",Other!A1)', "Other!$A$1"), ('=CELL("row",B3)', 3.0),
    ('=CELL("col",B3)', 2.0), ('=CELL("contents",C1)', "x"), ('=CELL("type",C1)', "l"), ('=CELL("type",E9)', "b"),
    ('=CELL("type",A1)', "v"), ('=CELL("row")', 1.0), ('=CELL("nonsense",A1)', "#VALUE!"),
]


def _book(formula):
    cells = dict(CELLS, Z1=formula)
    wb = Workbook.from_cells({"S": cells, "Other": {"A1": 100.0}}, {"rate": "Other!$B$1"})
    wb.set_cell(1, 1, 2, 0.5)
    return wb.evaluate()


@pytest.mark.parametrize("formula,expected", TABLE, ids=[f for f, _ in TABLE])
def test_formula(formula, expected):
    got = _book(formula).value("S", "Z1")
    if isinstance(expected, bool):
        assert got is expected
    elif isinstance(expected, float):
        assert type(got) is float and got == pytest.approx(expected, rel=1e-15, abs=0), got
    else:
        assert str(got) == expected and type(got) is not float, got


def test_run_time_references_read_cells_evaluated_later():
    """OFFSET / INDIRECT point at formula cells the static order does not know about (here later
    in key order); those cells are re-evaluated once everything has a value."""
    wb = Workbook.from_cells({"S": {"A1": "=OFFSET(A2,4,0)+1", "B1": '=INDIRECT("A9")*2', "C1": "=A1+B1",
                                    "A6": "=A9+1", "A9": "=A10*3", "A10": 2.0}})
    wb.evaluate()
    assert wb.value("S", "A6") == 7.0 and wb.value("S", "A1") == 8.0
    assert wb.value("S", "B1") == 12.0 and wb.value("S", "C1") == 20.0
    assert not wb.volatile  # reproducible: compared by recalc, not skipped


def test_formulatext_shows_formulas_without_storage_prefixes():
    wb = Workbook.from_cells({"S": {"A1": "=_xlfn.IFS(TRUE,1)", "B1": "=FORMULATEXT(A1)"}}).evaluate()
    assert wb.value("S", "B1") == "=IFS(TRUE,1)"


def test_defined_names_with_relative_parts_follow_the_formulas_cell():
    """A name's relative references are stored relative to A1: `S!$A1` means column A of the
    formula's own row, `S!$A$1:$A1` the rows from 1 down to it."""
    wb = Workbook.from_cells({"S": {"A1": 1.0, "A2": 2.0, "A3": 3.0, "B2": "=leftcell*10", "B3": "=leftcell*10",
                                    "C3": "=SUM(upto)", "C2": "=SUM(upto)", "D3": "=above*2"}},
                             {"leftcell": "S!$A1", "upto": "S!$A$1:$A1", "above": "S!$B1048576"}).evaluate()
    assert wb.value("S", "B2") == 20.0 and wb.value("S", "B3") == 30.0
    assert wb.value("S", "C2") == 3.0 and wb.value("S", "C3") == 6.0
    assert wb.value("S", "D3") == 40.0  # row 1048576 seen from row 1 is the row above (it wraps): B2


def test_analysis_toolpak_functions_do_not_take_ranges_cell_by_cell():
    from graddesc.engine import evaluate_formula

    cells = {"A1": 1.0, "A2": 4.0}
    assert str(evaluate_formula("=SUMPRODUCT(SQRTPI(A1:A2))", cells)) == "#VALUE!"
    assert evaluate_formula("=SUMPRODUCT(SQRTPI({1,4}))") == pytest.approx(3.5449077018110318 + 1.7724538509055159)
    assert evaluate_formula("=SQRTPI(A1:A1)", cells) == pytest.approx(1.7724538509055159)
