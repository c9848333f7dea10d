"""Arrays in the engine: array constants, element-wise operators and functions, implicit
intersection, the lazy functions (IF, IFERROR, IFS, SWITCH, CHOOSE, LET) and _xlfn. prefixes.
Expected values follow Excel's documented rules: an operation between arrays is element by
element, a one-row / one-column array (or a scalar) repeats, and a missing element is #N/A; a
range used where one value is needed in a plain cell is intersected with the formula's row or
column."""

import pytest

from graddesc.engine import Workbook, evaluate_formula

CELLS = {"A1": 1.0, "A2": 2.0, "A3": 3.0, "B1": 10.0, "B2": 20.0, "B3": 30.0, "C1": "x", "C2": "#DIV/0!"}

TABLE = [
    # array constants: numbers (signed), text, booleans, errors; rows ';' columns ','
    ("={1,2;3,4}", 1.0), ("=SUM({1,2;3,4})", 10.0), ("=INDEX({1,2;3,4},2,1)", 3.0),
    ("=INDEX({-1,+2.5,-3E1},1,3)", -30.0), ('=INDEX({"a","b""c"},1,2)', 'b"c'), ("=INDEX({TRUE,FALSE},1,2)", False),
    ("=INDEX({1,#N/A},1,2)", "#N/A"), ("=SUM({1,#DIV/0!})", "#DIV/0!"), ("=ROWS({1;2;3})", 3.0),
    ("=COLUMNS({1,2;3,4})", 2.0), ("=COUNTA({1,\"a\",TRUE})", 3.0),
    # operators broadcast element by element
    ("=SUM({1,2;3,4}*2)", 20.0), ("=INDEX({1,2,3}+{10;20},2,3)", 23.0), ("=SUM({1,2,3}+{10;20})", 102.0),
    ("=INDEX({1,2,3}+{1,2},1,3)", "#N/A"), ("=INDEX({1,2,3}+{1,2},1,2)", 4.0), ('=INDEX({"a","b"}&"x",1,2)', "bx"),
    ("=INDEX(-{1,2},1,2)", -2.0), ("=INDEX({50,200}%,1,2)", 2.0), ("=INDEX({2,3}^2,1,2)", 9.0),
    ("=SUMPRODUCT(--({1,2,3}>1))", 2.0), ('=SUMPRODUCT(--({"a","B","c"}="b"))', 1.0),
    ("=INDEX({1,0}/{1,0},1,2)", "#DIV/0!"), ('=INDEX({1,"a"}+1,1,2)', "#VALUE!"), ("=SUM(A1:A3*B1:B3)", 140.0),
    ("=SUMPRODUCT((A1:A3>1)*B1:B3)", 50.0), ("=SUMPRODUCT(A1:A3*{1;0;1})", 4.0),
    # scalar functions lifted over arrays
    ("=SUMPRODUCT(ABS({-1,-2}))", 3.0), ("=SUMPRODUCT(SQRT({4,9}))", 5.0), ("=INDEX(SQRT({4,-1}),1,2)", "#NUM!"),
    # lazy functions as table entries
    ("=IF(1,2,3)", 2.0), ("=IF(0,1)", False), ("=IF(0,1,)", 0.0), ("=IF(,1,2)", 2.0), ("=SUM(IF({1,0,1},{1,2,3},0))", 4.0),
    ("=IF(C2,1,2)", "#DIV/0!"), ("=IF(1,A1:A3)", 1.0), ("=SUM(IF(1,A1:A3))", 6.0),
    ("=IFERROR(1/0,5)", 5.0), ("=SUMPRODUCT(IFERROR(1/{1,0,2},0))", 1.5), ("=IFNA(NA(),1)", 1.0), ("=IFNA(1/0,1)", "#DIV/0!"),
    ("=SUMPRODUCT(IFNA({1,#N/A,#DIV/0!},0)*0+1)", "#DIV/0!"),
    ("=_xlfn.IFS(0,1,1,2)", 2.0), ("=_xlfn.IFS(1>2,1,2>3,2)", "#N/A"), ("=_xlfn.IFS(C2,1,TRUE,2)", "#DIV/0!"),
    ('=_xlfn.SWITCH(3,1,"Sunday",2,"Monday",3,"Tuesday","No match")', "Tuesday"),
    ('=_xlfn.SWITCH(99,1,"Sunday",2,"Monday","No match")', "No match"), ('=_xlfn.SWITCH(99,1,"Sunday")', "#N/A"),
    ('=_xlfn.SWITCH("B","a",1,"b",2)', 2.0), ("=_xlfn.SWITCH(C2,1,2)", "#DIV/0!"),
    ("=_xlfn.SWITCH(FALSE,E9,1,2)", 2.0), ("=_xlfn.SWITCH(0,E9,1,2)", 1.0), ('=_xlfn.SWITCH("",E9,1,2)', 2.0),
    ('=CHOOSE(2,"a","b","c")', "b"), ('=CHOOSE(2.9,"a","b","c")', "b"), ('=CHOOSE(4,"a","b","c")', "#VALUE!"),
    ('=CHOOSE(0,"a")', "#VALUE!"), ("=CHOOSE(2,1/0,7)", 7.0), ("=SUM(CHOOSE(2,A1:A3,B1:B3))", 60.0),
    ("=SUM(CHOOSE({1,2},1,2))", 3.0), ("=SUMPRODUCT(CHOOSE({1;2},A1:A2,B1:B2))", 21.0),
    ("=_xlfn.LET(_xlpm.x,5,_xlpm.y,_xlpm.x+1,_xlpm.x*_xlpm.y)", 30.0), ("=_xlfn.LET(_xlpm.x,A1:A3,SUM(x))", 6.0),
    ("=_xlfn.LET(_xlpm.x,2,_xlfn.LET(_xlpm.x,3,x)+x)", 5.0),
    # INDEX: a cell, a whole row / column (0), references; ROWS / COLUMNS of references and arrays
    ("=INDEX(A1:A3,2)", 2.0), ("=INDEX(A1:C1,3)", "x"), ("=SUM(INDEX(A1:B3,0,2))", 60.0), ("=SUM(INDEX(A1:B3,2,0))", 22.0),
    ("=INDEX(A1:B3,4,1)", "#REF!"), ("=INDEX(A1:B3,1,3)", "#REF!"), ("=INDEX(A1:B3,-1,1)", "#VALUE!"),
    ("=INDEX(A1:B3,2)", "#REF!"), ("=INDEX({1,2;3,4},2)", 3.0), ("=INDEX(A1:B3,2,2,1)", 20.0), ("=INDEX(A1:B3,2,2,2)", "#REF!"),
    ("=INDEX(A:A,5)", 0.0), ("=SUM(INDEX(A:B,0,2))", 60.0), ("=INDEX(C2,1,1)", "#DIV/0!"),
    ("=ROWS(A:A)", 1048576.0), ("=COLUMNS(2:2)", 16384.0), ("=ROWS(C2)", 1.0), ("=COLUMNS(A1:C7)", 3.0),
    # LAMBDA, called in place, through LET, and given to MAP / REDUCE / SCAN / BYROW / BYCOL / MAKEARRAY
    ("=_xlfn.LAMBDA(_xlpm.x,_xlpm.x+1)(1)", 2.0), ("=_xlfn.LAMBDA(_xlpm.x,_xlpm.y,_xlpm.x*_xlpm.y)(3,4)", 12.0),
    ("=_xlfn.LAMBDA(_xlpm.x,_xlpm.x)(1,2)", "#VALUE!"), ("=_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.x,_xlpm.x*10),f(3))", 30.0),
    ("=SUM(_xlfn.MAP(A1:A3,_xlfn.LAMBDA(_xlpm.a,IF(_xlpm.a>1,_xlpm.a*_xlpm.a,_xlpm.a))))", 14.0),
    ("=SUM(_xlfn.MAP(A1:A3,B1:B3,_xlfn.LAMBDA(_xlpm.a,_xlpm.b,_xlpm.a*_xlpm.b)))", 140.0),
    ("=_xlfn.REDUCE(,A1:A3,_xlfn.LAMBDA(_xlpm.a,_xlpm.b,_xlpm.a+_xlpm.b^2))", 14.0),
    ("=INDEX(_xlfn.SCAN(1,{1,2,3},_xlfn.LAMBDA(_xlpm.a,_xlpm.b,_xlpm.a*_xlpm.b)),1,3)", 6.0),
    ("=SUM(_xlfn.BYROW({1,2;3,4},_xlfn.LAMBDA(_xlpm.r,MAX(_xlpm.r))))", 6.0),
    ("=SUM(_xlfn.BYCOL({1,2;3,4},_xlfn.LAMBDA(_xlpm.c,MIN(_xlpm.c))))", 3.0),
    ("=SUM(_xlfn.MAKEARRAY(3,3,_xlfn.LAMBDA(_xlpm.r,_xlpm.c,_xlpm.r*_xlpm.c)))", 36.0),
    ("=INDEX(_xlfn.MAKEARRAY(2,3,_xlfn.LAMBDA(_xlpm.r,_xlpm.c,_xlpm.r*10+_xlpm.c)),2,3)", 23.0),
    ("=SUM(_xlfn.BYROW({1,2;3,4},_xleta.SUM))", 10.0), ("=SUM(_xlfn.MAP({1,-2},_xleta.ABS))", 3.0),  # SUM as a value
    # _xlfn. / _xlws. prefixes
    ("=_xlfn.SUM(1,2)", 3.0), ("=_xlfn._xlws.SUM(1,2)", 3.0),
    # ROW / COLUMN: the formula's own cell, a range's first, all of them in an array context
    ("=ROW()", 1.0), ("=COLUMN()", 702.0), ("=ROW(B7)", 7.0), ("=COLUMN(C1:E1)", 3.0),
    ("=SUMPRODUCT(ROW(A1:A3))", 6.0), ("=SUMPRODUCT(COLUMN(A1:C1))", 6.0), ("=ROW(#REF!)", "#REF!"),
]


def _expected(x):
    return x


@pytest.mark.parametrize("formula,expected", TABLE, ids=[f for f, _ in TABLE])
def test_formula(formula, expected):
    got = evaluate_formula(formula, CELLS)  # the formula is in ZZ1
    if isinstance(expected, float):
        assert type(got) is float and got == pytest.approx(expected, rel=1e-15, abs=0), got
    elif isinstance(expected, bool):
        assert got is expected
    else:
        assert str(got) == expected and type(got) is not float, got


def _book(cells):
    wb = Workbook.from_cells({"S": cells})
    wb.evaluate()
    return wb


def test_implicit_intersection_in_plain_cells():
    """A range at a scalar position takes the cell in the formula's row (one column) or column
    (one row); outside the range it is #VALUE!."""
    cells = dict(CELLS, D2="=A1:A3*10", D5="=A1:A3*10", D3="=@A1:A3", E2="=A1:A3", F9="=B1:C1&\"\"",
                 B9="=A1:C1", D9="=ABS(A1:A3)", D1="=SUM(A1:A3)")
    wb = _book(cells)
    assert wb.value("S", "D2") == 20.0
    assert str(wb.value("S", "D5")) == "#VALUE!"
    assert wb.value("S", "D3") == 3.0
    assert wb.value("S", "E2") == 2.0
    assert str(wb.value("S", "F9")) == "#VALUE!"  # B1:C1 has no column F
    assert wb.value("S", "B9") == 10.0
    assert str(wb.value("S", "D9")) == "#VALUE!"
    assert wb.value("S", "D1") == 6.0


def test_fast_and_exact_agree_on_arrays():
    cells = {f: f for f, _ in TABLE[:20]}
    for path_fast in (True, False):
        wb = Workbook.from_cells({"S": {"A1": 1.0, "B1": "={1,2}+A1", "B2": "=SUM(A1:A3*2)"}})
        wb._use_fast = path_fast
        wb.evaluate()
        assert wb.value("S", "B1") == 2.0 and wb.value("S", "B2") == 2.0
    assert cells


def _array_book(formulas, dynamic=()):
    """formulas: {"B1:B4": "=A1:A3*2"} array formulas over CELLS on sheet S."""
    from graddesc.engine.workbook import _split_addr

    wb = Workbook.from_cells({"S": dict(CELLS)})
    for rng, f in formulas.items():
        a, b = rng.split(":")
        (r1, c1), (r2, c2) = _split_addr(a), _split_addr(b)
        wb.set_array_formula(0, r1, c1, r2, c2, f, dynamic=rng in dynamic)
    return wb


def test_array_formulas_fill_their_range_as_excel_does():
    wb = _array_book({"D1:D4": "=A1:A3*2", "E1:E2": "=SUM(A1:A3)", "F1:G2": "={1,2}", "H1:I3": "={1,2;3,4}",
                      "J1:J3": "=A1:A3", "K1:K4": "=A1:A3", "L1:L5": "=A:A", "M1:N1": "=INDEX({2,3;4,5},{1,2})"},
                     dynamic=("K1:K4", "L1:L5"))
    wb.set_cell(0, 9, 1, formula="=SUM(D1:D3)+E2")  # reads cells of array ranges
    wb.set_cell(0, 1, 26, formula="=D3")  # Z1: before D3 in key order, after its anchor in evaluation
    wb.evaluate()
    v = lambda a: wb.value("S", a)  # noqa: E731
    assert [v(f"D{r}") for r in (1, 2, 3)] == [2.0, 4.0, 6.0] and str(v("D4")) == "#N/A"  # beyond: #N/A
    assert v("E1") == 6.0 and v("E2") == 6.0  # one value fills the range
    assert [v("F1"), v("G1"), v("F2"), v("G2")] == [1.0, 2.0, 1.0, 2.0]  # one row repeats down
    assert [v("H1"), v("I2"), str(v("H3")), str(v("I3"))] == [1.0, 4.0, "#N/A", "#N/A"]
    assert [v("J1"), v("J2"), v("J3")] == [1.0, 2.0, 3.0]
    assert [v("K1"), v("K2"), v("K3"), v("K4")] == [1.0, 2.0, 3.0, None]  # a dynamic array spills its size
    assert [v(f"L{r}") for r in range(1, 6)] == [1.0, 2.0, 3.0, 0.0, 0.0]  # empty cells of a reference: 0
    assert [v("M1"), v("N1")] == [2.0, 4.0]  # an array index lifts INDEX; each element's first value
    assert v("A9") == 18.0 and v("Z1") == 6.0
    assert wb.formula("S", "D3") == "=A1:A3*2"  # the range's cells show the anchor's formula


def test_array_formula_errors_fill_the_range():
    wb = _array_book({"D1:D2": "=NOSUCH(A1:A2)"})
    wb.evaluate(strict=False)
    assert str(wb.value("S", "D1")) == "#NAME?" and str(wb.value("S", "D2")) == "#NAME?"
    assert "S!D2" in dict(wb.skipped_cells())


def test_cells_beyond_an_array_formulas_result_see_na_arguments():
    """Excel pads an array formula's array arguments with #N/A up to the range's size: functions
    that look at errors show what they make of #N/A there."""
    wb = _array_book({"D1:D4": "=ISNA(A1:A3)", "E1:E4": "=ISNUMBER(A1:A3)", "F1:F4": "=IFERROR(A1:A3*2,-1)",
                      "G1:G4": "=A1:A3+SUM(B1:B3)"})
    wb.evaluate()
    v = lambda a: wb.value("S", a)  # noqa: E731
    assert [v("D1"), v("D4")] == [False, True] and [v("E3"), v("E4")] == [True, False]
    assert [v("F3"), v("F4")] == [6.0, -1.0] and v("G1") == 61.0 and str(v("G4")) == "#N/A"


def test_a_spill_reference_reads_the_dynamic_arrays_range():
    wb = _array_book({"D1:D3": "=A1:A3*2"}, dynamic=("D1:D3",))
    wb.set_cell(0, 1, 5, formula="=SUM(_xlfn.ANCHORARRAY(D1))")  # how files store D1#
    wb.set_cell(0, 2, 5, formula="=ROWS(D1#)")
    wb.set_cell(0, 3, 5, formula="=SUM(A1#)")
    wb.evaluate()
    assert wb.value("S", "E1") == 12.0 and wb.value("S", "E2") == 3.0
    assert str(wb.value("S", "E3")) == "#REF!"  # A1 anchors no array


def test_a_defined_name_holding_a_lambda_is_called_like_a_function():
    wb = Workbook.from_cells({"S": {"A1": "=Hypot(3,4)", "A2": "=NOSUCHFN(1)"}},
                             {"Hypot": "_xlfn.LAMBDA(_xlpm.a,_xlpm.b,SQRT(_xlpm.a^2+_xlpm.b^2))"}).evaluate(strict=False)
    assert wb.value("S", "A1") == 5.0
    assert dict(wb.skipped_cells())["S!A2"] == "unknown function NOSUCHFN()"
