"""graddesc.engine: a table of formulas with exact expected values (Excel semantics), references,
names, errors, evaluation order, limits, and the FAST path never disagreeing with the EXACT one."""

import math

import pytest

from graddesc.engine import ERRORS, FUNCTIONS, ExcelError, Workbook, evaluate_formula, parse
from graddesc.errors import CircularReferenceError, FormulaError, UnknownFunctionError

# B1 text, B2 TRUE, B3 and B4 errors, C1 numeric text, E column empty
CELLS = {"A1": 1.0, "A2": 2.0, "A3": 3.0, "B1": "text", "B2": True, "B3": "#DIV/0!", "B4": "#N/A",
         "C1": "4", "D1": -8.0, "D2": "ab", "D3": 0.5}

TABLE = [
    # precedence: unary minus binds tighter than ^, ^ is left-associative, % before ^
    ("=1+2*3", 7.0), ("=(1+2)*3", 9.0), ("=-2^2", 4.0), ("=2^3^2", 64.0), ("=2^-2", 0.25),
    ("=-(2)^2", 4.0), ("=-(2^2)", -4.0), ("=2*-3^2", 18.0), ("=-2^-2", 0.25), ("=10-4-3", 3.0),
    ("=8/4/2", 1.0), ("=10/4*2", 5.0), ("=1-1-1-1", -2.0), ("=2*3^2", 18.0), ("=(2*3)^2", 36.0),
    ("=2^2^0.5", 2.0), ("=50%", 0.5), ("=2^50%", math.sqrt(2)), ("=-50%", -0.5), ("=200%%", 0.02),
    ("=50%^2", 0.25), ("=1+2&3", "33"), ("=1&2+3", "15"), ("=1+2=3", True), ("=1<2=TRUE", True),
    ("=2<>2", False), ("=1<2", True), ("=3>=3", True), ("=2<=1", False), ("=2>1", True), ("=+3", 3.0),
    ("=--3", 3.0), ("=3--3", 6.0), ("= 1 + 2 ", 3.0), ("=.5+1E-3+1.5e2", 150.501),
    # comparison and text semantics
    ('="a"="A"', True), ('="a"<"B"', True), ('="b">"A"', True), ('=1<"a"', True), ('="z"<TRUE', True),
    ("=FALSE<TRUE", True), ('=1="1"', False), ('="abc"<"abd"', True), ("=E1=0", True), ('=E1=""', True),
    ("=E1=FALSE", True), ('="ab"&"c"', "abc"), ('="a""b"', 'a"b'), ('=1.5&""', "1.5"), ('=TRUE&1', "TRUE1"),
    ('=E1&"x"', "x"), ('=0.1+0.2&""', "0.3"), ('=1E20&""', "1E+20"), ("=A1&A2", "12"),
    # coercion
    ('=1+"2"', 3.0), ('="a"+1', "#VALUE!"), ('=" 2 "*2', 4.0), ("=TRUE+TRUE", 2.0), ("=E1+1", 1.0),
    ("=B2*3", 3.0), ("=C1*2", 8.0), ("=B1*2", "#VALUE!"), ('="1e3"+0', 1000.0), ("=A1/B2", 1.0),
    # Python traps the FAST path must not fall into: "ab"*True is "ab", "ab"+"ab" is "abab"
    ("=D2*B2", "#VALUE!"), ("=D2+D2", "#VALUE!"), ("=C1*B2", 4.0), ("=SQRT(C1*B2)", 2.0),
    ("=LEN(D2*B2)", "#VALUE!"), ("=IF(B2,D2*B2,0)", "#VALUE!"), ('=(D2*B2)&"x"', "#VALUE!"),
    ("=SUM(D2*B2)", "#VALUE!"), ("=(D2*B2)=D2", "#VALUE!"), ("=IF(B2,+(D2*B2),0)", "#VALUE!"),
    # references and ranges
    ("=A1+A2*A3", 7.0), ("=$A$1+A$2+$A3", 6.0), ("=SUM(A1:A3)", 6.0), ("=SUM(A3:A1)", 6.0),
    ("=SUM(A1:B2)", 3.0), ("=SUM(A1:B3)", "#DIV/0!"), ("=SUM(A:A)", 6.0), ("=SUM(2:2)", 2.0),
    ("=SUM($A:$A,A1)", 7.0), ("=COUNT(A1:B3)", 3.0), ("=COUNTA(A1:B3)", 6.0), ("=AVERAGE(A1:A3)", 2.0),
    ("=SUM(C1)", 0.0), ("=SUM(C1,1)", 1.0), ('=SUM("4",1)', 5.0), ("=SUM(B2)", 0.0), ("=SUM(TRUE,1)", 2.0),
    ("=B1", "text"), ("=B2", True), ("=E5", 0.0), ("=E1*2", 0.0), ("=SUM(E1:E5)", 0.0),
    ("=COUNT(E1:E5)", 0.0), ("=AVERAGE(E1:E5)", "#DIV/0!"), ("=MIN(E1:E5)", 0.0), ("=COUNTBLANK(E1:E3)", 3.0),
    # error values and their propagation (the first error in evaluation order wins)
    ("=1/0", "#DIV/0!"), ("=B3+1", "#DIV/0!"), ("=A1+B3", "#DIV/0!"), ("=0^0", "#NUM!"), ("=0^-1", "#DIV/0!"),
    ("=D1^(1/3)", "#NUM!"), ("=D1^3", -512.0), ("=(-2)^0.5", "#NUM!"), ("=(-2)^2", 4.0), ("=(-2)^3", -8.0),
    ("=(-2)^-1", -0.5), ("=SQRT(-1)", "#NUM!"), ("=LN(0)", "#NUM!"), ("=LN(-1)", "#NUM!"),
    ("=1E200*1E200", "#NUM!"), ("=1/(1E200*1E200)", "#NUM!"), ("=EXP(1000)", "#NUM!"), ("=#N/A+1", "#N/A"),
    ("=nosuchname", "#NAME?"), ("=nosuchname*0", "#NAME?"), ("=NA()+1/0", "#N/A"), ("=1/0+NA()", "#DIV/0!"),
    ("=B4&B3", "#N/A"), ("=SUM(B4,B3)", "#N/A"), ("=MAX(B3:B4)", "#DIV/0!"), ("=-B3", "#DIV/0!"),
    ("=B3%", "#DIV/0!"), ("=B3=1", "#DIV/0!"), ("=#REF!", "#REF!"), ("=#NULL!", "#NULL!"), ("=#NUM!+1", "#NUM!"),
    ("=#VALUE!", "#VALUE!"), ("=#NAME?", "#NAME?"), ("=1+#DIV/0!", "#DIV/0!"), ("=NoSheet!A1", "#REF!"),
    # IF evaluates only the chosen branch; IFERROR / IFNA
    ("=IF(1>0,1,1/0)", 1.0), ("=IF(0,1/0,2)", 2.0), ("=IF(FALSE,1)", False), ("=IF(TRUE,,1)", 0.0),
    ('=IF("x",1,2)', "#VALUE!"), ('=IF("true",1,2)', 1.0), ("=IF(E1,1,2)", 2.0), ('=IF(A1,"yes","no")', "yes"),
    ("=IF(B3,1,2)", "#DIV/0!"), ("=IF(A2>1,A3)", 3.0), ("=IF(A1:A1,5,6)", 5.0),
    ("=IFERROR(1/0,7)", 7.0), ("=IFERROR(2,7)", 2.0), ("=IFERROR(B1,7)", "text"), ("=IFERROR(E1,7)", 0.0),
    ('=IFERROR(NA(),"x")', "x"), ("=IFNA(NA(),1)", 1.0), ("=IFNA(1/0,1)", "#DIV/0!"), ("=IFERROR(B3,B4)", "#N/A"),
    # information functions see errors instead of propagating them
    ("=ISERROR(B3)", True), ("=ISERROR(A1)", False), ("=ISERROR(1/0)", True), ("=ISNUMBER(A1)", True),
    ("=ISNUMBER(B1)", False), ("=ISNUMBER(C1)", False), ("=ISNA(B4)", True), ("=ISNA(B3)", False),
    ("=ISTEXT(B1)", True), ("=ISBLANK(E1)", True), ("=ISBLANK(A1)", False), ("=ISERR(B4)", False),
    ("=ISLOGICAL(B2)", True),
    # logic: AND/OR evaluate every argument (an error anywhere is the result)
    ("=AND(1,TRUE)", True), ("=AND(1,0)", False), ("=OR(0,FALSE)", False), ("=OR(0,1)", True), ("=NOT(0)", True),
    ("=NOT(A1)", False), ("=AND(B3,FALSE)", "#DIV/0!"), ("=OR(TRUE,B3)", "#DIV/0!"), ("=AND(A1:B2)", True),
    ("=AND(B1)", "#VALUE!"), ("=TRUE()", True), ("=FALSE()", False), ("=TRUE", True), ("=false", False),
    # functions
    ("=SUMSQ(A1:A3)", 14.0), ("=SUMSQ(2,3)", 13.0), ("=SUMPRODUCT(A1:A3,A1:A3)", 14.0),
    ("=SUMPRODUCT(A1:A2,A1:A3)", "#VALUE!"), ("=SUMPRODUCT(A1:B2,A1:B2)", 5.0), ("=SUMPRODUCT(2,3)", 6.0),
    ("=MIN(A1:A3)", 1.0), ("=MAX(A1:A3,-5)", 3.0), ("=MIN(B1:B2)", 0.0), ("=MAX(D1,A1)", 1.0),
    ("=ABS(-2.5)", 2.5), ("=SQRT(16)", 4.0), ("=EXP(0)", 1.0), ("=EXP(1)", math.e), ("=LN(EXP(2))", 2.0),
    ("=LOG(8,2)", math.log(8) / math.log(2)), ("=LOG(100)", 2.0), ("=LOG10(1000)", 3.0), ("=LOG(8,1)", "#DIV/0!"),
    ("=POWER(2,10)", 1024.0), ("=POWER(0,0)", "#NUM!"), ("=POWER(-8,1/3)", "#NUM!"), ("=POWER(2,0.5)", 2 ** 0.5),
    ("=SIGN(-3)", -1.0), ("=SIGN(0)", 0.0), ("=SIGN(2)", 1.0), ("=INT(-2.5)", -3.0), ("=INT(2.7)", 2.0),
    ("=MOD(-7,3)", 2.0), ("=MOD(7,-3)", -2.0), ("=MOD(1,0)", "#DIV/0!"), ("=MOD(5.5,2)", 1.5),
    ("=ROUND(2.345,2)", 2.35), ("=ROUND(-1.5,0)", -2.0), ("=ROUND(1.005,2)", 1.01), ("=ROUND(1234.5,-2)", 1200.0),
    ("=ROUND(2.5,0)", 3.0), ("=ROUND(A1/3,3)", 0.333), ("=PI()", math.pi), ("=COS(0)", 1.0), ("=SIN(0)", 0.0),
    ("=TANH(0)", 0.0), ("=TANH(1)", math.tanh(1)), ("=INDEX(A1:A3,2)", 2.0), ("=INDEX(A1:B3,3,1)", 3.0),
    ("=INDEX(A1:A3,4)", "#REF!"), ("=INDEX(A1:B1,2)", "text"), ("=INDEX(A1:B3,3,2)", "#DIV/0!"),
    ("=ROW()", 1.0), ("=ROW(A3)", 3.0), ("=ROW(B2:C9)", 2.0), ("=COLUMN(C1)", 3.0), ("=COLUMN()", 702.0),
    ("=AVERAGE(B1)", "#DIV/0!"), ('=COUNT(1,"2","a",TRUE)', 3.0), ('=COUNTA(1,"",B3)', 3.0),
    ('=_xlfn.CONCATENATE("a",1)', "a1"), ("=LEN(A3*100)", 3.0), ("=_xlfn.ROUND(2.5,0)", 3.0),
    # hidden inf/nan: the FAST path must fall back, never return 0 or a finite number
    ("=1E308*10", "#NUM!"), ("=(1E308*10)-(1E308*10)", "#NUM!"), ("=MIN(1E308*10,1)", "#NUM!"),
    ("=IF(1E308*10>1,1,2)", "#NUM!"), ("=2^1024", "#NUM!"), ("=0*(1E308*10)", "#NUM!"), ("=-(1E308*10)", "#NUM!"),
    ("=1/(1E308*10)", "#NUM!"), ("=IFERROR(1E308*10,5)", 5.0), ("=ISERROR(1E308*10)", True),
    ("=ABS(1E308*10)", "#NUM!"), ("=(1E308*10)^0", "#NUM!"), ("=1E308*10>0", "#NUM!"), ("=D3^(1E308*10)", "#NUM!"),
    ("=(1E308*10)^-1", "#NUM!"), ("=1E400", "#NUM!"), ("=1E308+1E308", "#NUM!"), ("=1/3", 1 / 3),
    ("=D3^1024.5", 0.5 ** 1024.5), ("=1E-200*1E-200", 0.0), ("=SQRT(1E200*1E200)", "#NUM!"),
    ("=(-8)^(1/3)", "#NUM!"),
]


def _expected(v):
    return ERRORS[v] if isinstance(v, str) and v in ERRORS else v


@pytest.mark.parametrize("formula,expected", TABLE, ids=[f for f, _ in TABLE])
def test_formula(formula, expected):
    got = evaluate_formula(formula, CELLS)
    exp = _expected(expected)
    if isinstance(exp, float):
        assert type(got) is float and got == pytest.approx(exp, rel=1e-15, abs=0), got
    else:
        assert got == exp and type(got) is type(exp), got


def test_power_is_c_pow_never_multiplication():
    for x in (1.1, 0.999, 3.7e-5, 123.456, -1.7):
        for e in (2, 3, 0.5, -2):
            if x < 0 and e == 0.5:
                continue
            assert evaluate_formula(f"=({x!r})^{e}") == x ** float(e)
            assert evaluate_formula(f"=POWER({x!r},{e})") == x ** float(e)


def test_a_name_standing_for_arithmetic_is_not_trusted_with_text():
    assert evaluate_formula("=rep", CELLS, names={"rep": "Sheet1!$D$2*Sheet1!$B$2"}) is ERRORS["#VALUE!"]
    assert evaluate_formula("=rep&1", CELLS, names={"rep": "Sheet1!$D$2"}) == "ab1"


def test_errors_are_singletons_with_excel_text():
    assert str(ERRORS["#DIV/0!"]) == "#DIV/0!" and evaluate_formula("=1/0") is ERRORS["#DIV/0!"]
    assert set(ERRORS) == {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#CALC!", "#SPILL!"}
    assert isinstance(ERRORS["#N/A"], ExcelError) and ERRORS["#N/A"] == "#N/A"
    import copy
    import pickle
    assert copy.deepcopy(ERRORS["#N/A"]) is ERRORS["#N/A"] and pickle.loads(pickle.dumps(ERRORS["#REF!"])) is ERRORS["#REF!"]


def test_relative_absolute_and_forward_references():
    cells = {"A1": 1.0, "A2": "=A1*10", "A3": 3.0, "B1": "=SUM(A1:A3)", "B2": "=B1+$A$1", "C1": "=D5*2",
             "D5": "=A2+1", "C2": "=SUM(A:A)", "A4": "=A3+1", "E1": "=C$1+$C2"}
    wb = Workbook.from_cells({"S": cells}).evaluate()
    assert wb.value("S", "B1") == 14.0  # A2 (a formula below B1) is evaluated first
    assert wb.value("S", "B2") == 15.0
    assert wb.value("S", "C1") == 22.0
    assert wb.value("S", "C2") == 18.0
    assert wb.value("S", "E1") == 40.0


def test_cross_sheet_quoted_names_and_defined_names():
    wb = Workbook.from_cells(
        {"Sheet 1": {"A1": 10.0, "A2": 20.0, "B1": "=rate*2", "C1": "='My data'!A1+local", "D1": "=SUM(block)",
                     "E1": "=half*A1", "F1": "=twice", "G1": "=broken+1", "H1": "=adam.lr+adam_lr",
                     "I1": "='It''s'!A1", "J1": "=Sheet 1!A1"},
         "My data": {"A1": 5.0, "B1": "=local", "C1": "=SUM('Sheet 1'!A1:B1)", "D1": "='My data'!local",
                     "E1": "='Sheet 1'!local"},
         "It's": {"A1": 7.0}},
        names={"rate": "'Sheet 1'!$A$1", "local": "'Sheet 1'!$A$1", ("local", "My data"): "'My data'!$A$1",
               "block": "'Sheet 1'!$A$1:$A$2", "half": "0.5", "twice": "='Sheet 1'!$A$2*2", "broken": "#REF!",
               "adam.lr": "1", "adam_lr": "2"})
    with pytest.raises(FormulaError):  # unquoted sheet name with a space
        wb.evaluate()
    wb._ftext.pop(wb.key("Sheet 1", "J1"))
    wb.evaluate()
    v = lambda s, a: wb.value(s, a)  # noqa: E731
    assert v("Sheet 1", "B1") == 20.0
    assert v("Sheet 1", "C1") == 15.0  # workbook-level `local` on Sheet 1
    assert v("My data", "B1") == 5.0  # the sheet-scoped `local` wins on its own sheet
    assert v("My data", "C1") == 30.0
    assert v("My data", "D1") == 5.0 and v("My data", "E1") == 10.0
    assert v("Sheet 1", "D1") == 30.0 and v("Sheet 1", "E1") == 5.0 and v("Sheet 1", "F1") == 40.0
    assert v("Sheet 1", "G1") is ERRORS["#REF!"]
    assert v("Sheet 1", "H1") == 3.0 and v("Sheet 1", "I1") == 7.0
    assert wb.resolve_name("rate") == ("Sheet 1", "A1")
    assert wb.resolve_name("local", "My data") == ("My data", "A1")
    assert wb.resolve_name("LOCAL", "Sheet 1") == ("Sheet 1", "A1")
    for bad in ("block", "half", "nope"):
        with pytest.raises(KeyError):
            wb.resolve_name(bad)
    assert wb.defined_names[("local", "My data")] == "'My data'!$A$1"
    assert evaluate_formula("=broken+1", names={"broken": "#REF!"}) is ERRORS["#REF!"]


def test_formula_accessors_and_formula_cells():
    wb = Workbook.from_cells({"S": {"A1": 2.0, "A2": "=A1*3", "B1": "=A2&\"!\""}}).evaluate()
    assert wb.formula("S", "A2") == "=A1*3" and wb.formula("S", "A1") is None
    assert list(wb.formula_cells("S")) == [("B1", '=A2&"!"', "6!"), ("A2", "=A1*3", 6.0)]
    assert wb.sheet_names == ["S"] and wb.cached("S", "A2") is None


def test_shapes_are_compiled_once_per_r1c1_formula():
    cells = {"A1": 1.0, "B1": 1.0}
    for r in range(2, 1002):
        cells[f"A{r}"] = f"=A{r - 1}*1.5-0.001+$A$1"
        cells[f"B{r}"] = f"=B{r - 1}*1.5-0.001+$A$1"
    wb = Workbook.from_cells({"S": cells}).evaluate()
    assert len({id(s) for s in wb._shapes.values()}) == 2  # one per column (text shapes)
    x = 1.0
    for _ in range(2, 11):
        x = x * 1.5 - 0.001 + 1.0
    assert wb.value("S", "A10") == x and wb.value("S", "B10") == x


def test_unknown_function_names_the_cell_strict_and_lenient():
    wb = Workbook.from_cells({"Sheet 1": {"A1": 1.0, "B7": "=A1+FOO(2)"}})
    with pytest.raises(UnknownFunctionError, match=r"^Sheet 1!B7: unknown function FOO\(\)$"):
        wb.evaluate()
    wb = Workbook.from_cells({"S": {"A1": 1.0, "C7": "=A1+FOO(2)", "C8": "=C7+1", "C9": "=A1*3", "D1": "=C8"}})
    wb.evaluate(strict=False)
    assert wb.value("S", "C9") == 3.0 and wb.value("S", "C7") is ERRORS["#NAME?"]
    assert wb.value("S", "C8") is ERRORS["#NAME?"]
    skipped = dict(wb.skipped_cells())
    assert skipped["S!C7"] == "unknown function FOO()"
    assert skipped["S!C8"].startswith("depends on S!C7") and skipped["S!D1"].startswith("depends on S!C8")
    assert "S!C9" not in skipped


def test_circular_references_strict_and_lenient():
    wb = Workbook.from_cells({"S": {"A1": "=B1+1", "B1": "=C1", "C1": "=A1", "D1": 2.0, "E1": "=A1+1", "F1": "=D1"}})
    with pytest.raises(CircularReferenceError) as e:
        wb.evaluate()
    assert {"S!A1", "S!B1", "S!C1"} <= set(e.value.cycle) and "circular reference" in str(e.value)
    assert str(e.value).startswith("S!")
    wb.evaluate(strict=False)
    skipped = dict(wb.skipped_cells())
    assert all(skipped[c].startswith("circular reference") for c in ("S!A1", "S!B1", "S!C1"))
    assert skipped["S!E1"].startswith("depends on") and "S!F1" not in skipped and wb.value("S", "F1") == 2.0
    with pytest.raises(CircularReferenceError, match="S!A1"):
        Workbook.from_cells({"S": {"A1": "=A1+1"}}).evaluate()
    with pytest.raises(CircularReferenceError):  # through a range
        Workbook.from_cells({"S": {"A1": "=SUM(A2:A3)", "A3": "=A1"}}).evaluate()


def test_volatile_functions_are_marked_with_their_dependants():
    for name in ("RAND", "RANDBETWEEN", "NOW", "TODAY"):
        assert FUNCTIONS[name].volatile, name
    for name in ("OFFSET", "INDIRECT"):  # volatile in Excel but reproducible: re-run, not skipped
        assert FUNCTIONS[name].dynamic and not FUNCTIONS[name].volatile, name
    assert not FUNCTIONS["SUM"].volatile and FUNCTIONS["SUM"].refs
    wb = Workbook.from_cells({"S": {"A1": "=RAND()", "A2": "=A1*2", "A3": 5.0, "A4": "=A3+1"}}).evaluate()
    assert wb.volatile == {wb.key("S", "A1"), wb.key("S", "A2")}
    assert 0.0 <= wb.value("S", "A1") < 1.0 and wb.value("S", "A4") == 6.0


def test_deep_chain_has_no_recursion_limit():
    n = 200_000
    cells = {"A1": 0.0}
    for r in range(2, n + 1):
        cells[f"A{r}"] = f"=A{r - 1}+1"
    wb = Workbook.from_cells({"S": cells})
    wb.evaluate()
    assert wb.value("S", f"A{n}") == float(n - 1)


def test_deep_backward_chain_uses_the_explicit_stack():
    """Every cell depends on the one BELOW it: no cell can be done in key order."""
    n = 50_000
    cells = {f"A{n}": 1.0}
    for r in range(1, n):
        cells[f"A{r}"] = f"=A{r + 1}+1"
    wb = Workbook.from_cells({"S": cells}).evaluate()
    assert wb.value("S", "A1") == float(n)


@pytest.mark.parametrize("formula", [
    "=" + "(" * 10_000 + "1" + ")" * 10_000, "=" + "-" * 5000 + "1", "=" + "SUM(" * 500 + "1" + ")" * 500,
    "=1+", "=SUM(1,", "=(1", "=1)", "=A1:", "={1,2", "={1;2,3}", "={A1}", "=1 2", '="unterminated', "=@", "=" + "1+" * 5000 + "1",
    "=SQRT(1,2)", "=IF(1)", "=PI(1)", "=Sheet1!"])
def test_malformed_or_deep_formulas_are_named_errors(formula):
    wb = Workbook.from_cells({"S": {"B2": formula}})
    with pytest.raises(FormulaError, match=r"^S!B2: "):
        wb.evaluate()
    wb.evaluate(strict=False)
    assert wb.key("S", "B2") in wb.skipped


def test_nesting_limits():
    ok = "=" + "(" * 60 + "1" + ")" * 60
    assert evaluate_formula(ok) == 1.0
    assert evaluate_formula("=" + "SUM(" * 60 + "1" + ")" * 60) == 1.0
    assert evaluate_formula("=" + "IF(TRUE," * 60 + "2" + ",0)" * 60) == 2.0
    with pytest.raises(FormulaError, match="nested too deeply"):
        evaluate_formula("=" + "(" * 65 + "1" + ")" * 65)
    long_sum = "=" + "+".join(["A1"] * 2000)  # a long flat chain is fine (8,000 characters)
    assert evaluate_formula(long_sum, {"A1": 1.5}) == 3000.0
    assert evaluate_formula("=" + "*".join(["1.5"] * 1000) + "/1E100") == pytest.approx(1.5 ** 1000 / 1e100)
    assert evaluate_formula("=" + "&".join(['"a"'] * 1000)) == "a" * 1000
    assert evaluate_formula("=" + "^".join(["1"] * 1000)) == 1.0


def test_parser_ast():
    assert parse("=-2^2") == ("bin", "^", ("neg", ("num", 2.0)), ("num", 2.0))
    assert parse("=2^3^2")[0] == "chain"
    assert parse("='My sheet'!$A$1:B3") == ("area", "My sheet", 1, 1, 3, 2, True, True, False, False)
    assert parse("=_xlfn.STDEV.S(A1)")[1] == "STDEV.S"


def test_empty_string_and_text_results():
    wb = Workbook.from_cells({"S": {"A1": '=""', "A2": "=A1&\"x\"", "A3": "=LEN(A1)", "A4": "=A1=0"}}).evaluate()
    assert wb.value("S", "A1") == "" and wb.value("S", "A2") == "x"
    assert wb.value("S", "A3") == 0.0 and wb.value("S", "A4") is False


# ------------------------------------------------------------------ FAST path vs EXACT path

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

POOL = {"A1": 2.0, "A2": -3.5, "A3": 0.0, "A4": 1e308, "A5": 1e-308, "A6": "ab", "A7": "4", "A8": True,
        "A9": False, "A10": "#DIV/0!", "A11": "#N/A", "A12": 0.5, "A13": "", "A14": -1e308}
_ATOMS = [f"A{i}" for i in range(1, 16)] + ["0", "1", "2", "0.5", "1E308", "1E-308", '"a"', '"1"', '""',
                                             "TRUE", "FALSE", "#NUM!", "A1:A3", "$A$12"]
_BIN = ["+", "-", "*", "/", "^", "&", "=", "<>", "<", ">=", "+", "*", "^"]
_FUN1 = ["ABS", "SQRT", "LN", "EXP", "ISERROR", "ISNUMBER", "NOT", "SIGN", "INT", "-", "+", "%"]
_FUNN = ["SUM", "MIN", "MAX", "AND", "OR", "POWER", "MOD", "IF", "IFERROR", "AVERAGE", "COUNT", "ROUND"]


def _formula(draw, depth):
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(_ATOMS))
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return f"({_formula(draw, depth - 1)}{draw(st.sampled_from(_BIN))}{_formula(draw, depth - 1)})"
    if kind == 1:
        f = draw(st.sampled_from(_FUN1))
        x = _formula(draw, depth - 1)
        return f"({f}{x})" if f in "-+" else (f"({x}%)" if f == "%" else f"{f}({x})")
    f = draw(st.sampled_from(_FUNN))
    n = {"POWER": 2, "MOD": 2, "IFERROR": 2, "ROUND": 2, "IF": 3}.get(f, draw(st.integers(1, 3)))
    args = [_formula(draw, depth - 1) for _ in range(n)]
    if f in ("POWER", "MOD", "IFERROR", "ROUND", "IF") and any(":" in a for a in args):
        args = [a.replace("A1:A3", "A3") for a in args]
    return f"{f}({','.join(args)})"


@st.composite
def formulas(draw):
    return "=" + _formula(draw, 4)


def _same(a, b):
    return type(a) is type(b) and (a == b or a is b)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(formulas(), min_size=1, max_size=8))
def test_fast_path_never_disagrees_with_exact_path(fs):
    cells = dict(POOL)
    for i, f in enumerate(fs):
        cells[f"C{i + 1}"] = f
        cells[f"D{i + 1}"] = f"=C{i + 1}*2"  # a dependant of each
    fast = Workbook.from_cells({"S": cells})
    exact = Workbook.from_cells({"S": cells})
    exact._use_fast = False
    fast.evaluate()
    exact.evaluate()
    for i, f in enumerate(fs):
        for col in "CD":
            a, b = fast.value("S", f"{col}{i + 1}"), exact.value("S", f"{col}{i + 1}")
            assert _same(a, b), (f, col, a, b)
            assert not (isinstance(a, float) and not math.isfinite(a))
