"""Information and logic functions: Microsoft's documented examples and error cases."""

import pytest

from graddesc.engine import ERRORS, evaluate_formula

# A1 number, A2 text, A3 TRUE, A4 error, A5 numeric text, A6 FALSE, A7 #N/A; E column empty
CELLS = {"A1": 1.0, "A2": "x", "A3": True, "A4": "#DIV/0!", "A5": "12", "A6": False, "A7": "#N/A", "A8": 2.5,
         "B1": 2.0, "B2": 3.0, "B3": "TRUE"}

TABLE = [
    # ISEVEN / ISODD: the number truncated; text that is no number and booleans are #VALUE!
    ("=ISEVEN(-1)", False), ("=ISEVEN(2.5)", True), ("=ISEVEN(5)", False), ("=ISEVEN(0)", True), ("=ISEVEN(-2.9)", True),
    ("=ISEVEN(E1)", True), ('=ISEVEN("2")', True), ('=ISEVEN("x")', "#VALUE!"), ("=ISEVEN(TRUE)", "#VALUE!"),
    ("=ISEVEN(A4)", "#DIV/0!"), ("=ISEVEN(A5)", True), ("=ISODD(-1)", True), ("=ISODD(2.5)", False), ("=ISODD(5)", True),
    ('=ISEVEN("1/1/1900")', False), ('=ISODD("1/1/1900")', True), ("=ISODD(-3.5)", True), ("=ISODD(E1)", False), ("=ISODD(A3)", "#VALUE!"), ("=ISODD(A2)", "#VALUE!"),
    # ISNONTEXT: TRUE for anything but text (empty cells and errors included)
    ("=ISNONTEXT(A2)", False), ("=ISNONTEXT(A1)", True), ("=ISNONTEXT(E1)", True), ("=ISNONTEXT(A4)", True),
    ('=ISNONTEXT("19")', False), ("=ISNONTEXT(A3)", True), ('=ISNONTEXT("")', False),
    # N: numbers themselves, TRUE 1, text 0, errors propagate, a range its first cell
    ("=N(7)", 7.0), ('=N("Even")', 0.0), ("=N(TRUE)", 1.0), ("=N(A6)", 0.0), ("=N(A4)", "#DIV/0!"), ("=N(A1:A3)", 1.0),
    ("=N(E1)", 0.0), ("=N(A5)", 0.0), ("=N(A8)", 2.5), ("=N(1/0)", "#DIV/0!"),
    # TYPE: 1 number, 2 text, 4 logical, 16 error, 64 array
    ("=TYPE(2)", 1.0), ('=TYPE("Smith")', 2.0), ("=TYPE(TRUE)", 4.0), ("=TYPE(A4)", 16.0), ("=TYPE(1/0)", 16.0),
    ("=TYPE(A1:A3)", 64.0), ("=TYPE({1,2;3,4})", 64.0), ("=TYPE(E1)", 1.0), ("=TYPE(A2)", 2.0), ("=TYPE(A1)", 1.0),
    # ERROR.TYPE: the error's number, #N/A for a value that is no error
    ("=ERROR.TYPE(#NULL!)", 1.0), ("=ERROR.TYPE(A4)", 2.0), ('=ERROR.TYPE(1+"a")', 3.0), ("=ERROR.TYPE(#REF!)", 4.0),
    ("=ERROR.TYPE(#NAME?)", 5.0), ("=ERROR.TYPE(SQRT(-1))", 6.0), ("=ERROR.TYPE(A7)", 7.0), ("=ERROR.TYPE(1)", "#N/A"),
    ('=ERROR.TYPE("x")', "#N/A"), ("=ERROR.TYPE(E1)", "#N/A"),
    ("=ISERR(A7)", False), ("=ISERR(A4)", True), ("=ISERROR(A7)", True), ("=ISNA(NA())", True),
    # XOR: TRUE when an odd number of the values is TRUE; ranges count booleans and numbers only
    ("=XOR(3>0,2<9)", False), ("=XOR(3>12,4>6)", False), ("=XOR(3>0,4>6)", True), ("=XOR(TRUE,FALSE,TRUE,TRUE)", True),
    ("=XOR(A1:A3)", False), ("=XOR(A1:A2)", True), ("=XOR(A2)", "#VALUE!"), ("=XOR(E1:E3)", "#VALUE!"),
    ("=XOR(A4,TRUE)", "#DIV/0!"), ("=XOR(TRUE,A4)", "#DIV/0!"), ("=XOR({1,0,1})", False), ('=XOR("TRUE")', True),
    ('=XOR("x")', "#VALUE!"), ('=XOR("",TRUE)', True), ('=XOR("")', "#VALUE!"), ('=XOR(TRUE,"0",#REF!)', "#REF!"),
    ('=XOR("0")', "#VALUE!"), ('=AND("",FALSE)', False), ('=OR("",TRUE)', True), ('=AND("")', "#VALUE!"),
    ('=AND(TRUE,"0")', True), ('=OR(FALSE,"x")', False), ('=AND(TRUE,"ciao",#REF!,"0")', "#REF!"), ("=XOR(B3)", "#VALUE!"), ("=XOR(1,B1:B2)", True), ("=XOR(0)", False),
    # AND / OR: text (in ranges, and typed unless it reads TRUE/FALSE) and empty cells are
    # ignored; no logical value at all is #VALUE!
    ("=AND(A1:A3)", True), ("=AND(A1:A3,A6)", False), ("=OR(A2,FALSE)", False), ("=OR(A2:A3)", True),
    ("=AND(E1:E3)", "#VALUE!"), ("=OR(E1:E3)", "#VALUE!"), ("=AND(B3)", "#VALUE!"), ('=AND("TRUE",1)', True),
    ("=OR(A1:A4)", "#DIV/0!"),
]


def _expected(v):
    return ERRORS[v] if isinstance(v, str) and v in ERRORS else v


@pytest.mark.parametrize("formula,expected", TABLE, ids=[f for f, _ in TABLE])
def test_info_and_logic(formula, expected):
    got = evaluate_formula(formula, CELLS)
    exp = _expected(expected)
    if isinstance(exp, float):
        assert type(got) is float and got == pytest.approx(exp, rel=1e-12, abs=0), got
    else:
        assert got == exp and type(got) is type(exp), got
