"""Engineering functions: values from Microsoft's function reference (its examples) and the
documented error cases.  Floats compare to 1e-12 relative unless a row says why not."""

import math

import pytest

from graddesc.engine import ERRORS, evaluate_formula

# A1 number, A2 text, A3 TRUE, A4 error, A5 numeric text; E column empty
CELLS = {"A1": 100.0, "A2": "abc", "A3": True, "A4": "#DIV/0!", "A5": "12", "B1": "1+2i", "B2": "3-4j",
         "B3": 4.0, "C1": "1+i", "C2": "2", "C3": "-i"}

BASES = [
    # DEC2BIN: -512..511, negatives as 10-bit two's complement (places ignored), places 1..10
    ("=DEC2BIN(9,4)", "1001"), ("=DEC2BIN(-100)", "1110011100"), ("=DEC2BIN(0)", "0"), ("=DEC2BIN(511)", "111111111"),
    ("=DEC2BIN(-512)", "1000000000"), ("=DEC2BIN(512)", "#NUM!"), ("=DEC2BIN(-513)", "#NUM!"),
    ("=DEC2BIN(9,3)", "#NUM!"), ("=DEC2BIN(9,0)", "#NUM!"), ("=DEC2BIN(9,-1)", "#NUM!"), ("=DEC2BIN(9,11)", "#NUM!"),
    ("=DEC2BIN(9,10)", "0000001001"), ("=DEC2BIN(9,4.9)", "1001"), ("=DEC2BIN(-1,2)", "1111111111"),
    ("=DEC2BIN(9.9)", "1001"), ("=DEC2BIN(-512.8)", "1000000000"), ("=DEC2BIN(-0.5)", "0"),
    ('=DEC2BIN("9")', "1001"), ('=DEC2BIN("x")', "#VALUE!"), ('=DEC2BIN(9,"x")', "#VALUE!"), ("=DEC2BIN(TRUE)", "#VALUE!"),
    ("=DEC2BIN(A4)", "#DIV/0!"), ("=DEC2BIN(E1)", "0"), ("=DEC2BIN(9,E1)", "#NUM!"), ('=DEC2BIN("x",0)', "#NUM!"),
    # DEC2OCT: -536870912..536870911
    ("=DEC2OCT(58,3)", "072"), ("=DEC2OCT(-100)", "7777777634"), ("=DEC2OCT(536870911)", "3777777777"),
    ("=DEC2OCT(-536870912)", "4000000000"), ("=DEC2OCT(536870912)", "#NUM!"), ("=DEC2OCT(58,1)", "#NUM!"),
    # DEC2HEX: -549755813888..549755813887, upper case
    ("=DEC2HEX(100,4)", "0064"), ("=DEC2HEX(-54)", "FFFFFFFFCA"), ("=DEC2HEX(28)", "1C"), ("=DEC2HEX(64,1)", "#NUM!"),
    ("=DEC2HEX(549755813887)", "7FFFFFFFFF"), ("=DEC2HEX(-549755813888)", "8000000000"),
    ("=DEC2HEX(549755813888)", "#NUM!"), ("=DEC2HEX(A1)", "64"),
    # BIN2*: at most 10 characters, the 10th bit is the sign
    ("=BIN2DEC(1100100)", 100.0), ("=BIN2DEC(1111111111)", -1.0), ('=BIN2DEC("1000000000")', -512.0),
    ('=BIN2DEC("0111111111")', 511.0), ("=BIN2DEC(11111111111)", "#NUM!"), ("=BIN2DEC(102)", "#NUM!"),
    ('=BIN2DEC("")', 0.0), ("=BIN2DEC(E1)", 0.0), ("=BIN2DEC(TRUE)", "#VALUE!"), ("=BIN2DEC(-1)", "#NUM!"),
    ("=BIN2DEC(1.5)", "#NUM!"), ("=BIN2DEC(A4)", "#DIV/0!"),
    ("=BIN2HEX(11111011,4)", "00FB"), ("=BIN2HEX(1110)", "E"), ("=BIN2HEX(1111111111)", "FFFFFFFFFF"),
    ("=BIN2HEX(11111011,1)", "#NUM!"), ("=BIN2OCT(1001,3)", "011"), ("=BIN2OCT(1100100)", "144"),
    ("=BIN2OCT(1111111111)", "7777777777"), ("=BIN2OCT(1111111111,3)", "7777777777"), ('=BIN2OCT("2")', "#NUM!"),
    # HEX2*: case-insensitive, 40-bit two's complement
    ('=HEX2BIN("F",8)', "00001111"), ('=HEX2BIN("B7")', "10110111"), ('=HEX2BIN("FFFFFFFE00")', "1000000000"),
    ('=HEX2BIN("200")', "#NUM!"), ('=HEX2BIN("FFFFFFFDFF")', "#NUM!"), ('=HEX2DEC("A5")', 165.0),
    ('=HEX2DEC("FFFFFFFF5B")', -165.0), ('=HEX2DEC("3DA408B9")', 1034160313.0), ('=HEX2DEC("a5")', 165.0),
    ('=HEX2DEC("G")', "#NUM!"), ('=HEX2DEC("12345678901")', "#NUM!"), ("=HEX2DEC(100)", 256.0),
    ('=HEX2DEC("8000000000")', -549755813888.0), ('=HEX2DEC(" 1")', "#NUM!"),
    ('=HEX2OCT("F",3)', "017"), ('=HEX2OCT("3B4E")', "35516"), ('=HEX2OCT("FFFFFFFF00")', "7777777400"),
    ('=HEX2OCT("20000000")', "#NUM!"), ('=HEX2OCT("FFE0000000")', "4000000000"), ('=HEX2OCT("FFDFFFFFFF")', "#NUM!"),
    # OCT2*
    ("=OCT2BIN(3,3)", "011"), ("=OCT2BIN(7777777000)", "1000000000"), ("=OCT2BIN(1000)", "#NUM!"),
    ("=OCT2DEC(54)", 44.0), ("=OCT2DEC(7777777533)", -165.0), ("=OCT2DEC(8)", "#NUM!"),
    ("=OCT2HEX(100,4)", "0040"), ("=OCT2HEX(7777777533)", "FFFFFFFF5B"), ("=OCT2HEX(4000000000)", "FFE0000000"),
]


def _expected(v):
    return ERRORS[v] if isinstance(v, str) and v in ERRORS else v


def check(formula, expected, rel=1e-12):
    got = evaluate_formula(formula, CELLS)
    exp = _expected(expected)
    if isinstance(exp, float):
        assert type(got) is float and got == pytest.approx(exp, rel=rel, abs=0), got
    else:
        assert got == exp and type(got) is type(exp), got


@pytest.mark.parametrize("formula,expected", BASES, ids=[f for f, _ in BASES])
def test_bases(formula, expected):
    check(formula, expected)
