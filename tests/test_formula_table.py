"""The engine on a table of formulas with exact expected values (Excel semantics)."""

import math

import pytest

from graddesc.engine import ERRORS, Workbook, evaluate_formula
from graddesc.errors import CircularReferenceError, FormulaError, UnknownFunctionError

CELLS = {"A1": 1.0, "A2": 2.0, "A3": 3.0, "B1": "text", "B2": True, "B3": "#DIV/0!", "C1": "4", "D1": -8.0}

TABLE = [
    # precedence and operators
    ("=1+2*3", 7.0), ("=(1+2)*3", 9.0), ("=-2^2", 4.0), ("=2^3^2", 64.0), ("=2^-2", 0.25),
    ("=-(2)^2", 4.0), ("=-(2^2)", -4.0), ("=2*-3^2", 18.0), ("=10-4-3", 3.0), ("=8/4/2", 1.0),
    ("=50%", 0.5), ("=2^50%", math.sqrt(2)), ("=1+2&3", "33"), ("=1&2+3", "15"), ("=1+2=3", True),
    ("=2<>2", False), ("=1<2", True), ("=3>=3", True), ("=2<=1", False), ("=+3", 3.0), ("=--3", 3.0),
    # text and comparison semantics
    ('="a"="A"', True), ('="a"<"B"', True), ('=1<"a"', True), ('="z"<TRUE', True), ('="ab"&"c"', "abc"),
    ('=1.5&""', "1.5"), ('=TRUE&1', "TRUE1"), ('=1+"2"', 3.0), ('="a"+1', "#VALUE!"), ('=" 2 "*2', 4.0),
    ("=TRUE+TRUE", 2.0), ("=E1+1", 1.0), ("=E1=0", True), ('=E1=""', True), ("=E1&\"x\"", "x"),
    # references, ranges
    ("=A1+A2*A3", 7.0), ("=$A$1+A$2+$A3", 6.0), ("=SUM(A1:A3)", 6.0), ("=SUM(A1:B2)", 3.0), ("=SUM(A1:B3)", "#DIV/0!"),
    ("=SUM(A:A)", 6.0), ("=COUNT(A1:B3)", 3.0), ("=COUNTA(A1:B3)", 6.0), ("=AVERAGE(A1:A3)", 2.0),
    ("=SUM(C1)", 0.0), ("=SUM(C1,1)", 1.0), ("=SUM(\"4\",1)", 5.0), ("=B1", "text"), ("=E5", 0.0),
    # errors and propagation
    ("=1/0", "#DIV/0!"), ("=B3+1", "#DIV/0!"), ("=A1+B3", "#DIV/0!"), ("=0^0", "#NUM!"),
    ("=0^-1", "#DIV/0!"), ("=D1^(1/3)", "#NUM!"), ("=D1^3", -512.0), ("=SQRT(-1)", "#NUM!"),
    ("=LN(0)", "#NUM!"), ("=1E200*1E200", "#NUM!"), ("=1/(1E200*1E200)", "#NUM!"),
    ("=EXP(1000)", "#NUM!"), ("=SQRT(1E200*1E200)", "#NUM!"), ("=#N/A+1", "#N/A"), ("=nosuchname", "#NAME?"),
    ("=IF(1>0,1,1/0)", 1.0), ("=IF(0,1/0,2)", 2.0), ("=IF(B3,1,2)", "#DIV/0!"), ("=IF(FALSE,1)", False),
    ("=IFERROR(1/0,7)", 7.0), ("=IFERROR(2,7)", 2.0), ("=ISERROR(B3)", True), ("=ISERROR(A1)", False),
    ("=ISNUMBER(A1)", True), ("=ISNUMBER(B1)", False), ('=IF("x",1,2)', "#VALUE!"),
    # functions
    ("=SUMSQ(A1:A3)", 14.0), ("=SUMSQ(2,3)", 13.0), ("=SUMPRODUCT(A1:A3,A1:A3)", 14.0),
    ("=SUMPRODUCT(A1:A2,A1:A3)", "#VALUE!"), ("=MIN(A1:A3)", 1.0), ("=MAX(A1:A3,-5)", 3.0), ("=MIN(B1:B2)", 0.0),
    ("=ABS(-2.5)", 2.5), ("=SQRT(16)", 4.0), ("=EXP(0)", 1.0), ("=LN(EXP(2))", 2.0), ("=POWER(2,10)", 1024.0),
    ("=POWER(0,0)", "#NUM!"), ("=AND(1,TRUE)", True), ("=AND(1,0)", False), ("=OR(0,FALSE)", False),
    ("=OR(0,1)", True), ("=NOT(0)", True), ("=NOT(A1)", False), ("=SIGN(-3)", -1.0), ("=SIGN(0)", 0.0),
    ("=SIGN(2)", 1.0), ("=INT(-2.5)", -3.0), ("=MOD(-7,3)", 2.0), ("=MOD(1,0)", "#DIV/0!"),
    ("=ROUND(2.345,2)", 2.35), ("=ROUND(-1.5,0)", -2.0), ("=LOG10(1000)", 3.0), ("=LOG(8,2)", 3.0),
    ("=TANH(0)", 0.0), ("=COS(0)", 1.0), ("=SIN(0)", 0.0), ("=PI()", math.pi), ("=INDEX(A1:A3,2)", 2.0),
    ("=INDEX(A1:B3,3,1)", 3.0), ("=INDEX(A1:A3,4)", "#REF!"), ("=ROW()", 1.0), ("=ROW(A3)", 3.0),
    ("=COLUMN(C1)", 3.0), ("=AVERAGE(B1)", "#DIV/0!"),
]


def _expected(v):
    return ERRORS[v] if isinstance(v, str) and v in ERRORS else v


@pytest.mark.parametrize("formula,expected", TABLE, ids=[f for f, _ in TABLE])
def test_formula(formula, expected):
    got = evaluate_formula(formula, CELLS)
    exp = _expected(expected)
    if isinstance(exp, float):
        assert isinstance(got, float) and got == pytest.approx(exp, rel=1e-15, abs=0), got
    else:
        assert got == exp and type(got) is type(exp), got


def test_power_uses_c_pow_not_multiplication():
    """Like LibreOffice and Excel, ^ is pow(); it equals Python's float ** bit for bit."""
    for x in (1.1, 0.999, 3.7e-5, 123.456):
        assert evaluate_formula(f"={x!r}^2") == x ** 2.0
        assert evaluate_formula(f"={x!r}^0.5") == x ** 0.5


def test_cross_sheet_names_and_scopes():
    wb = Workbook.from_cells(
        {"Sheet 1": {"A1": 10.0, "B1": "=rate*2", "C1": "='My data'!A1+local"},
         "My data": {"A1": 5.0, "B1": "=local", "C1": "=SUM('Sheet 1'!A1:B1)"}},
        names={"rate": "'Sheet 1'!$A$1", "local": "'Sheet 1'!$A$1",
               ("local", "My data"): "'My data'!$A$1", "broken": "#REF!"})
    wb.evaluate()
    assert wb.value("Sheet 1", "B1") == 20.0
    assert wb.value("Sheet 1", "C1") == 15.0  # workbook-level `local` on Sheet 1
    assert wb.value("My data", "B1") == 5.0  # the sheet-scoped `local` wins on its own sheet
    assert wb.value("My data", "C1") == 30.0
    assert wb.resolve_name("rate") == ("Sheet 1", "A1")
    assert evaluate_formula("=broken+1", names={"broken": "#REF!"}) == ERRORS["#REF!"]


def test_shapes_are_compiled_once():
    cells = {"A1": 1.0}
    for r in range(2, 1002):
        cells[f"A{r}"] = f"=A{r - 1}*1.5-0.001+$A$1"
    wb = Workbook.from_cells({"S": cells})
    wb.evaluate()
    assert len({id(s) for s in wb._shapes.values()}) == 1
    assert wb.value("S", "A10") == pytest.approx(_chain(10), rel=0)


def _chain(n):
    x = 1.0
    for r in range(2, n + 1):
        x = x * 1.5 - 0.001 + 1.0
    return x


def test_unknown_function_names_the_cell():
    wb = Workbook.from_cells({"S": {"A1": 1.0, "C7": "=A1+FOO(2)"}})
    with pytest.raises(UnknownFunctionError, match=r"S!C7: unknown function FOO\(\)"):
        wb.evaluate()
    wb = Workbook.from_cells({"S": {"A1": 1.0, "C7": "=A1+FOO(2)", "C8": "=C7+1", "C9": "=A1*3"}})
    wb.evaluate(strict=False)
    assert wb.value("S", "C9") == 3.0
    assert "unknown function FOO" in wb.skipped[wb.key("S", "C7")]
    assert "depends on S!C7" in wb.skipped[wb.key("S", "C8")]


def test_circular_reference_names_the_cells():
    wb = Workbook.from_cells({"S": {"A1": "=B1+1", "B1": "=C1", "C1": "=A1", "D1": 2.0}})
    with pytest.raises(CircularReferenceError) as e:
        wb.evaluate()
    assert set(e.value.cycle) >= {"S!A1", "S!B1", "S!C1"}
    assert "circular reference" in str(e.value)


def test_deep_chain_has_no_recursion_limit():
    n = 200_000
    cells = {"A1": 0.0}
    for r in range(2, n + 1):
        cells[f"A{r}"] = f"=A{r - 1}+1"
    wb = Workbook.from_cells({"S": cells})
    wb.evaluate()
    assert wb.value("S", f"A{n}") == float(n - 1)


@pytest.mark.parametrize("formula", ["=" + "(" * 10_000 + "1" + ")" * 10_000, "=" + "-" * 5000 + "1",
                                     "=" + "SUM(" * 500 + "1" + ")" * 500, "=1+", "=SUM(1,", "=(1", "=1)",
                                     "=A1:", "={1,2", "=1 2", "=\"unterminated", "=@", "=" + "1+" * 5000 + "1"])
def test_malformed_or_deep_formulas_are_named_errors(formula):
    wb = Workbook.from_cells({"S": {"B2": formula}})
    with pytest.raises(FormulaError, match=r"S!B2"):
        wb.evaluate()


def test_fast_and_exact_paths_agree_on_edge_values():
    """The fast float path must never hide an inf/nan that Excel reports as #NUM!."""
    cases = {"=1/(1E308*10)": "#NUM!", "=(1E308*10)-(1E308*10)": "#NUM!", "=MIN(1E308*10,1)": "#NUM!",
             "=IF(1E308*10>1,1,2)": "#NUM!", "=2^1024": "#NUM!", "=(-8)^(1/3)": "#NUM!", "=0*(1E308*10)": "#NUM!",
             "=1E308+1E308": "#NUM!", "=-(1E308*10)": "#NUM!", "=1/3": 1 / 3}
    for f, exp in cases.items():
        assert evaluate_formula(f) == _expected(exp), f
