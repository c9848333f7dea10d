"""Lookup functions: a table of formulas with values worked out from Microsoft's documentation
(its examples where it has them), including the error cases."""

import pytest

from graddesc.engine import evaluate_formula

# Microsoft's VLOOKUP example (density / viscosity / temperature, sorted by density) in A2:C10,
# its MATCH example (product / count) in E2:F5, its HLOOKUP example (axles / bearings / bolts)
# in H1:J4, its LOOKUP vector example (frequency / color) in L2:M6.
CELLS = {
    "A1": "Density", "B1": "Viscosity", "C1": "Temperature",
    "A2": 0.457, "B2": 3.55, "C2": 500.0, "A3": 0.525, "B3": 3.25, "C3": 400.0,
    "A4": 0.606, "B4": 2.93, "C4": 300.0, "A5": 0.675, "B5": 2.75, "C5": 250.0,
    "A6": 0.746, "B6": 2.57, "C6": 200.0, "A7": 0.835, "B7": 2.38, "C7": 150.0,
    "A8": 0.946, "B8": 2.17, "C8": 100.0, "A9": 1.09, "B9": 1.95, "C9": 50.0,
    "A10": 1.29, "B10": 1.71, "C10": 0.0,
    "E2": "Bananas", "F2": 25.0, "E3": "Oranges", "F3": 38.0, "E4": "Apples", "F4": 40.0,
    "E5": "Pears", "F5": 41.0,
    "H1": "Axles", "I1": "Bearings", "J1": "Bolts", "H2": 4.0, "I2": 4.0, "J2": 9.0,
    "H3": 5.0, "I3": 7.0, "J3": 10.0, "H4": 6.0, "I4": 8.0, "J4": 11.0,
    "L2": 4.14, "M2": "red", "L3": 4.19, "M3": "orange", "L4": 5.17, "M4": "yellow",
    "L5": 5.77, "M5": "green", "L6": 6.39, "M6": "blue",
    # mixed column for type rules: P1:P8, Q1:Q8 the values returned
    "P1": 1.0, "P2": "1", "P3": True, "P4": "a*c", "P5": "abc", "P6": "#N/A", "P8": "x?z",
    "Q1": "num", "Q2": "text", "Q3": "bool", "Q4": "star", "Q5": "abc", "Q6": "err", "Q7": "empty",
    "Q8": "quest",
    # sorted data with errors and blanks between (LOOKUP(2,1/...) style): S1:S6, T1:T6
    "S1": 1.0, "S2": "#DIV/0!", "S3": 1.0, "S4": "#DIV/0!", "S5": 1.0, "S6": "#DIV/0!",
    "T1": "first", "T2": "e2", "T3": "second", "T4": "e4", "T5": "third", "T6": "e6",
    # duplicates, ascending: V1:V5 = 1 2 2 2 3, W1:W5 = a b c d e
    "V1": 1.0, "V2": 2.0, "V3": 2.0, "V4": 2.0, "V5": 3.0,
    "W1": "a", "W2": "b", "W3": "c", "W4": "d", "W5": "e",
    # a horizontal list for XLOOKUP: Y1:AB1 keys, Y2:AB3 two rows of values
    "Y1": "q1", "Z1": "q2", "AA1": "q3", "AB1": "q4",
    "Y2": 10.0, "Z2": 20.0, "AA2": 30.0, "AB2": 40.0, "Y3": 11.0, "Z3": 21.0, "AA3": 31.0, "AB3": 41.0,
}

TABLE = [
    # VLOOKUP: Microsoft's examples
    ("=VLOOKUP(1,A2:C10,2)", 2.17), ("=VLOOKUP(1,A2:C10,3,TRUE)", 100.0),
    ("=VLOOKUP(0.7,A2:C10,3,FALSE)", "#N/A"), ("=VLOOKUP(0.1,A2:C10,2,TRUE)", "#N/A"),
    ("=VLOOKUP(2,A2:C10,2,TRUE)", 1.71),
    # VLOOKUP: exact, wildcards, case, argument errors
    ("=VLOOKUP(0.606,A2:C10,3,FALSE)", 300.0), ("=VLOOKUP(0.606,A2:C10,3,0)", 300.0),
    ("=VLOOKUP(0.606,A2:C10,3,)", 300.0), ("=VLOOKUP(\"apples\",E2:F5,2,FALSE)", 40.0),
    ("=VLOOKUP(\"P*\",E2:F5,2,FALSE)", 41.0), ("=VLOOKUP(\"?ranges\",E2:F5,2,FALSE)", 38.0),
    ("=VLOOKUP(\"*e*\",E2:F5,2,FALSE)", 38.0), ("=VLOOKUP(\"Kiwi\",E2:F5,2,FALSE)", "#N/A"),
    ("=VLOOKUP(1,A2:C10,0)", "#VALUE!"), ("=VLOOKUP(1,A2:C10,4)", "#REF!"),
    ("=VLOOKUP(1,A2:C10,2.9)", 2.17), ('=VLOOKUP(1,"table",1)', "#VALUE!"), ("=HLOOKUP(1,5,1)", "#N/A"),
    ("=VLOOKUP(5,5,1,FALSE)", 5.0), ("=VLOOKUP(5,5,2,FALSE)", "#REF!"), ("=VLOOKUP(1/0,A2:C10,2)", "#DIV/0!"),
    ("=VLOOKUP(1,A2:C10,\"x\")", "#VALUE!"), ("=VLOOKUP(\"Kiwi\",E2:F5,3,FALSE)", "#REF!"),
    # types never mix: 1 is not "1" nor TRUE; ~ escapes wildcards; errors and blanks never match
    ("=VLOOKUP(1,P1:Q8,2,FALSE)", "num"), ("=VLOOKUP(\"1\",P1:Q8,2,FALSE)", "text"),
    ("=VLOOKUP(TRUE,P1:Q8,2,FALSE)", "bool"), ("=VLOOKUP(\"a*c\",P1:Q8,2,FALSE)", "star"),
    ("=VLOOKUP(\"a~*c\",P1:Q8,2,FALSE)", "star"), ("=VLOOKUP(\"ABC\",P1:Q8,2,FALSE)", "abc"),
    ("=VLOOKUP(\"x~?z\",P1:Q8,2,FALSE)", "quest"), ("=VLOOKUP(\"x?z\",P1:Q8,2,FALSE)", "quest"),
    ("=VLOOKUP(\"xyz\",P1:Q8,2,FALSE)", "#N/A"), ("=VLOOKUP(\"xyz\",P1:Q8,2,FALSE)", "#N/A"),
    # approximate on mixed data: only values of the lookup value's type take part
    ("=VLOOKUP(2,S1:T6,2)", "third"), ("=VLOOKUP(0.5,S1:T6,2)", "#N/A"),
    ("=LOOKUP(2,S1:S6,T1:T6)", "third"), ("=VLOOKUP(2,V1:W5,2,FALSE)", "b"),
    # equal values in sorted data: the one the halving meets (the middle of 1 2 2 2 3)
    ("=VLOOKUP(2,V1:W5,2)", "c"), ("=VLOOKUP(2.5,V1:W5,2)", "d"),
    # an empty result cell is 0 in the cell (and "" when joined)
    ("=VLOOKUP(\"Kiwi\",E2:G5,3,FALSE)", "#N/A"), ("=VLOOKUP(\"Pears\",E2:G5,3,FALSE)", 0.0),
    ("=VLOOKUP(\"Pears\",E2:G5,3,FALSE)&\"\"", ""),
    # HLOOKUP: Microsoft's examples
    ("=HLOOKUP(\"Axles\",H1:J4,2,TRUE)", 4.0), ("=HLOOKUP(\"Bearings\",H1:J4,3,FALSE)", 7.0),
    ("=HLOOKUP(\"B\",H1:J4,3,TRUE)", 5.0), ("=HLOOKUP(\"Bolts\",H1:J4,4)", 11.0),
    ("=HLOOKUP(\"A\",H1:J4,2)", "#N/A"), ("=HLOOKUP(\"Axles\",H1:J4,5)", "#REF!"),
    ("=HLOOKUP(\"Axles\",H1:J4,0)", "#VALUE!"), ("=HLOOKUP(\"B*\",H1:J4,2,FALSE)", 4.0),
    # LOOKUP: Microsoft's vector examples, and the array form
    ("=LOOKUP(4.19,L2:L6,M2:M6)", "orange"), ("=LOOKUP(5.75,L2:L6,M2:M6)", "yellow"),
    ("=LOOKUP(7.66,L2:L6,M2:M6)", "blue"), ("=LOOKUP(0,L2:L6,M2:M6)", "#N/A"),
    ("=LOOKUP(5.2,L2:M6)", "yellow"), ("=LOOKUP(\"C\",H1:J2)", 9.0), ("=LOOKUP(\"Bc\",H1:J2)", 4.0),
    ("=LOOKUP(\"Bo\",H1:J4)", "Bolts"),
    ("=LOOKUP(5.2,L2:L6)", 5.17), ("=LOOKUP(1/0,L2:L6)", "#DIV/0!"),
    # MATCH: Microsoft's examples
    ("=MATCH(39,F2:F5,1)", 2.0), ("=MATCH(41,F2:F5,0)", 4.0), ("=MATCH(40,F2:F5,-1)", "#N/A"),
    ("=MATCH(39,F2:F5)", 2.0), ("=MATCH(40,F2:F5,)", 3.0), ("=MATCH(\"b*\",E2:E5,0)", 1.0),
    ("=MATCH(\"APPLES\",E2:E5,0)", 3.0), ("=MATCH(10,F2:F5,1)", "#N/A"), ("=MATCH(100,F2:F5,1)", 4.0),
    ("=MATCH(1,A2:C10,0)", "#N/A"), ("=MATCH(\"q3\",Y1:AB1,0)", 3.0), ("=MATCH(2,V1:V5,1)", 3.0),
    ("=MATCH(2,V1:V5,0)", 2.0), ("=MATCH(NA(),F2:F5,0)", "#N/A"), ("=MATCH(40,F2:F5,0.5)", 3.0),
    # MATCH -1: smallest value >= x in descending data
    ("=MATCH(300,C2:C10,-1)", 3.0), ("=MATCH(275,C2:C10,-1)", 3.0), ("=MATCH(600,C2:C10,-1)", "#N/A"),
    ("=MATCH(-5,C2:C10,-1)", 9.0),
    # XLOOKUP
    ("=XLOOKUP(\"Apples\",E2:E5,F2:F5)", 40.0), ("=XLOOKUP(\"kiwi\",E2:E5,F2:F5)", "#N/A"),
    ("=XLOOKUP(\"kiwi\",E2:E5,F2:F5,\"none\")", "none"), ("=XLOOKUP(\"kiwi\",E2:E5,F2:F5,,0)", "#N/A"),
    ("=XLOOKUP(\"P*\",E2:E5,F2:F5)", "#N/A"), ("=XLOOKUP(\"P*\",E2:E5,F2:F5,,2)", 41.0),
    ("=XLOOKUP(\"*s\",E2:E5,F2:F5,,2)", 25.0), ("=XLOOKUP(\"*s\",E2:E5,F2:F5,,2,-1)", 41.0),
    ("=XLOOKUP(39,F2:F5,E2:E5,,-1)", "Oranges"), ("=XLOOKUP(39,F2:F5,E2:E5,,1)", "Apples"),
    ("=XLOOKUP(50,F2:F5,E2:E5,,1)", "#N/A"), ("=XLOOKUP(20,F2:F5,E2:E5,,-1)", "#N/A"),
    ("=XLOOKUP(39,F2:F5,E2:E5,,-1,2)", "Oranges"), ("=XLOOKUP(39,F2:F5,E2:E5,,1,2)", "Apples"),
    ("=XLOOKUP(40,F2:F5,E2:E5,,0,2)", "Apples"), ("=XLOOKUP(39,F2:F5,E2:E5,,0,2)", "#N/A"),
    ("=XLOOKUP(275,C2:C10,A2:A10,,-1,-2)", 0.675), ("=XLOOKUP(275,C2:C10,A2:A10,,1,-2)", 0.606),
    ("=XLOOKUP(2,V1:V5,W1:W5,,0,2)", "b"), ("=XLOOKUP(2,V1:V5,W1:W5,,0,-1)", "d"),
    ("=XLOOKUP(1.5,V1:V5,W1:W5,,1,2)", "b"), ("=XLOOKUP(2.5,V1:V5,W1:W5,,-1,2)", "d"),
    ("=XLOOKUP(\"q3\",Y1:AB1,Y2:AB2)", 30.0), ("=SUM(XLOOKUP(\"q3\",Y1:AB1,Y2:AB3))", 61.0),
    ("=SUM(XLOOKUP(\"Apples\",E2:E5,E2:F5))", 40.0), ("=XLOOKUP(\"q3\",Y1:AB1,Y2:AA2)", "#VALUE!"),
    ("=XLOOKUP(1,A2:B3,A2:B3)", "#VALUE!"), ("=XLOOKUP(40,F2:F5,E2:E5,,4)", "#VALUE!"),
    ("=XLOOKUP(40,F2:F5,E2:E5,,0,0)", "#VALUE!"), ("=XLOOKUP(\"a*\",E2:E5,F2:F5,,2,2)", "#VALUE!"),
    ("=XLOOKUP(1/0,F2:F5,E2:E5)", "#DIV/0!"), ("=XLOOKUP(Z99,P1:P8,Q1:Q8)", "empty"),
    # next smaller / larger order values of different types as Excel sorts: numbers < text < TRUE
    ("=XLOOKUP(\"zzz\",P1:P5,Q1:Q5,,-1)", "abc"), ("=XLOOKUP(5,P1:P5,Q1:Q5,,1)", "text"),
    # XMATCH
    ("=XMATCH(\"Apples\",E2:E5)", 3.0), ("=XMATCH(39,F2:F5,1)", 3.0), ("=XMATCH(39,F2:F5,-1)", 2.0),
    ("=XMATCH(\"?ears\",E2:E5,2)", 4.0), ("=XMATCH(2,V1:V5,0,-1)", 4.0), ("=XMATCH(7,F2:F5)", "#N/A"),
    ("=XMATCH(1,A2:B3)", "#VALUE!"), ("=XMATCH(1,F2:F5,5)", "#VALUE!"),
    ('=XMATCH("^P.a",E2:E5,3)', 4.0), ('=XMATCH("an{2}",E2:E5,3)', "#N/A"), ('=XMATCH("b",E2:E5,3)', "#N/A"),
    ('=XMATCH("(",E2:E5,3)', "#VALUE!"), ('=XLOOKUP("ran",E2:E5,F2:F5,,3)', 38.0), ('=XMATCH("a",E2:E5,3,2)', "#VALUE!"),
]


@pytest.mark.parametrize("formula,expected", TABLE)
def test_lookup_table(formula, expected):
    got = evaluate_formula(formula, CELLS)
    if isinstance(expected, str) and expected.startswith("#"):
        assert str(got) == expected, formula
    elif isinstance(expected, float):
        assert isinstance(got, float) and got == pytest.approx(expected, rel=1e-12), formula
    else:
        assert got == expected, formula


# ------------------------------------------------------------------------------ ADDRESS and arrays
# The grid A2:C4 of Microsoft's TAKE/DROP examples (1..9 by rows); E2:G3 a second block for
# VSTACK/HSTACK; A6:G6 the WRAPROWS vector A..G; I1:J6 names and scores with a blank and a repeat.
ARR = {
    "A2": 1.0, "B2": 2.0, "C2": 3.0, "A3": 4.0, "B3": 5.0, "C3": 6.0, "A4": 7.0, "B4": 8.0, "C4": 9.0,
    "E2": "a", "F2": "b", "G2": "c", "E3": "d", "F3": "e", "G3": "f",
    "A6": "A", "B6": "B", "C6": "C", "D6": "D", "E6": "E", "F6": "F", "G6": "G",
    "I1": "pear", "J1": 3.0, "I2": "Apple", "J2": 1.0, "I3": "fig", "J3": 2.0, "I4": "apple", "J4": 5.0,
    "I5": "kiwi", "I6": "#N/A", "J6": 4.0,
}

ARRAYS = [
    # ADDRESS: Microsoft's examples, then the other forms and errors
    ("=ADDRESS(2,3)", "$C$2"), ("=ADDRESS(2,3,2)", "C$2"), ("=ADDRESS(2,3,2,FALSE)", "R2C[3]"),
    ('=ADDRESS(2,3,1,FALSE,"[Book1]Sheet1")', "[Book1]Sheet1!R2C3"),
    ('=ADDRESS(2,3,1,FALSE,"EXCEL SHEET")', "'EXCEL SHEET'!R2C3"),
    ("=ADDRESS(2,3,3)", "$C2"), ("=ADDRESS(2,3,4)", "C2"), ("=ADDRESS(2,3,1,FALSE)", "R2C3"),
    ("=ADDRESS(2,3,3,FALSE)", "R[2]C3"), ("=ADDRESS(2,3,4,FALSE)", "R[2]C[3]"),
    ("=ADDRESS(1048576,16384)", "$XFD$1048576"), ("=ADDRESS(5,27,4)", "AA5"), ('=ADDRESS(1,1,1,TRUE,"Data")', "Data!$A$1"),
    ('=ADDRESS(1,1,4,TRUE,"it\'s")', "'it''s'!A1"), ('=ADDRESS(1,1,4,TRUE,"A1")', "'A1'!A1"),
    ('=ADDRESS(1,1,4,TRUE,"2024")', "'2024'!A1"), ("=ADDRESS(2.9,3.9)", "$C$2"),
    ("=ADDRESS(2,3,4,TRUE,Z99)", "!C2"), ("=ADDRESS(0,1)", "#VALUE!"), ("=ADDRESS(1,16385)", "#VALUE!"), ("=ADDRESS(1048577,1)", "#VALUE!"),
    ("=ADDRESS(1,1,5)", "#VALUE!"), ("=ADDRESS(1,1,0)", "#VALUE!"), ('=ADDRESS("x",1)', "#VALUE!"),
    # TRANSPOSE
    ("=INDEX(TRANSPOSE(A2:C4),1,3)", 7.0), ("=ROWS(TRANSPOSE(A2:C3))", 3.0), ("=COLUMNS(TRANSPOSE(A2:C3))", 2.0),
    # TAKE / DROP: Microsoft's examples
    ("=SUM(TAKE(A2:C4,2))", 21.0), ("=SUM(TAKE(A2:C4,,2))", 27.0), ("=SUM(TAKE(A2:C4,-2))", 39.0),
    ("=SUM(TAKE(A2:C4,2,2))", 12.0), ("=ROWS(TAKE(A2:C4,10))", 3.0), ("=TAKE(A2:C4,0)", "#CALC!"),
    ("=SUM(DROP(A2:C4,2))", 24.0), ("=SUM(DROP(A2:C4,,2))", 18.0), ("=SUM(DROP(A2:C4,-2))", 6.0),
    ("=DROP(A2:C4,2,2)", 9.0), ("=DROP(A2:C4,3)", "#CALC!"), ("=DROP(A2:C4,,-3)", "#CALC!"),
    ("=SUM(DROP(A2:C4,0))", 45.0),
    # VSTACK / HSTACK: padded with #N/A
    ("=ROWS(VSTACK(A2:C4,E2:G3))", 5.0), ("=INDEX(VSTACK(A2:C4,E2:G3),4,2)", "b"),
    ("=INDEX(VSTACK(A2:C2,E2:F2),2,3)", "#N/A"), ("=COLUMNS(HSTACK(A2:C4,E2:G3))", 6.0),
    ("=INDEX(HSTACK(A2:C4,E2:G3),3,4)", "#N/A"), ("=INDEX(HSTACK(A2:C4,E2:G3),2,6)", "f"),
    # TOROW / TOCOL
    ("=INDEX(TOCOL(A2:C4),4,1)", 4.0), ("=INDEX(TOCOL(A2:C4,0,TRUE),4,1)", 2.0), ("=INDEX(TOROW(A2:C4),1,9)", 9.0),
    ("=ROWS(TOCOL(I1:J6))", 12.0), ("=ROWS(TOCOL(I1:J6,1))", 11.0), ("=ROWS(TOCOL(I1:J6,2))", 11.0),
    ("=ROWS(TOCOL(I1:J6,3))", 10.0), ("=INDEX(TOCOL(I5:J5),2,1)", 0.0), ("=TOCOL(I5:I5,4)", "#VALUE!"),
    ("=TOCOL(K1:K3,1)", "#CALC!"),
    # CHOOSEROWS / CHOOSECOLS
    ("=SUM(CHOOSEROWS(A2:C4,1,3))", 30.0), ("=INDEX(CHOOSEROWS(A2:C4,-1,1),1,1)", 7.0),
    ("=CHOOSEROWS(A2:C4,4)", "#VALUE!"), ("=CHOOSEROWS(A2:C4,0)", "#VALUE!"),
    ("=INDEX(CHOOSECOLS(A2:C4,3,1,3),2,2)", 4.0), ("=COLUMNS(CHOOSECOLS(A2:C4,1,3,1))", 3.0),
    ("=CHOOSECOLS(A2:C4,-4)", "#VALUE!"), ("=SUM(CHOOSECOLS(A2:C4,{1,3}))", 30.0),
    ("=CHOOSECOLS(A2:C4,A2:B3)", "#VALUE!"),
    # EXPAND: Microsoft's example pads with #N/A or the pad value
    ("=INDEX(EXPAND(A2:B3,3,3),3,3)", "#N/A"), ('=INDEX(EXPAND(A2:B3,3,3,"-"),1,3)', "-"),
    ("=INDEX(EXPAND(A2:B3,3,3),2,2)", 5.0), ("=ROWS(EXPAND(A2:B3,,4))", 2.0), ("=EXPAND(A2:B3,1,3)", "#VALUE!"),
    # WRAPROWS / WRAPCOLS: Microsoft's example (A..G in threes)
    ("=INDEX(WRAPROWS(A6:G6,3),2,3)", "F"), ("=INDEX(WRAPROWS(A6:G6,3),3,2)", "#N/A"),
    ('=INDEX(WRAPROWS(A6:G6,3,"x"),3,3)', "x"), ("=INDEX(WRAPCOLS(A6:G6,3),3,2)", "F"),
    ("=ROWS(WRAPCOLS(A6:G6,3))", 3.0), ("=WRAPROWS(A2:C4,2)", "#VALUE!"), ("=WRAPROWS(A6:G6,0)", "#NUM!"),
    # SORT / SORTBY: numbers < text < booleans < errors, text case-insensitively, stable
    ("=INDEX(SORT(I1:J4),1,1)", "Apple"), ("=INDEX(SORT(I1:J4),2,2)", 5.0), ("=INDEX(SORT(I1:J4,2,-1),1,1)", "apple"),
    ("=INDEX(SORT(I1:J4,2),4,2)", 5.0), ("=INDEX(SORT(J1:J4),4,1)", 5.0), ("=INDEX(SORT(A2:C4,1,-1,TRUE),1,1)", 3.0),
    ("=SORT(I1:J4,3)", "#VALUE!"), ("=SORT(I1:J4,1,2)", "#VALUE!"), ("=INDEX(SORT(I1:J6),6,1)", "#N/A"),
    ("=INDEX(SORTBY(I1:I4,J1:J4),1,1)", "Apple"), ("=INDEX(SORTBY(I1:I4,J1:J4,-1),1,1)", "apple"),
    ("=SORTBY(I1:I4,J1:J3)", "#VALUE!"), ("=INDEX(SORTBY(I1:I5,J1:J5),5,1)", "kiwi"),
    ("=INDEX(SORTBY(I1:I5,J1:J5,-1),5,1)", "kiwi"), ("=INDEX(SORT(J1:J5,1,-1),5,1)", 0.0),
    ("=INDEX(SORT(J1:J5),1,1)", 1.0), ("=INDEX(SORTBY(A2:C2,A3:C3,-1),1,1)", 3.0),
    # UNIQUE: first occurrences, case-insensitive
    ("=ROWS(UNIQUE(I1:I4))", 3.0), ("=INDEX(UNIQUE(I1:I4),2,1)", "Apple"), ("=ROWS(UNIQUE(I1:I4,FALSE,TRUE))", 2.0),
    ("=COLUMNS(UNIQUE(A2:C2,TRUE))", 3.0), ("=UNIQUE(I2:I2,FALSE,TRUE)", "Apple"),
    ("=UNIQUE(I2:I4,FALSE,TRUE)", "fig"), ("=UNIQUE(E2:E2&{1;1},FALSE,TRUE)", "#CALC!"),
    ("=ROWS(UNIQUE(J4:J6))", 3.0),
    # FILTER: rows or columns where include holds; nothing kept: if_empty or #CALC!
    ("=SUM(FILTER(A2:C4,A2:A4>3))", 39.0), ("=SUM(FILTER(A2:C4,A2:C2<>2))", 30.0),
    ('=FILTER(A2:C4,A2:A4>10,"none")', "none"), ("=FILTER(A2:C4,A2:A4>10)", "#CALC!"),
    ("=FILTER(A2:C4,A2:A3>0)", "#VALUE!"), ("=FILTER(A2:A4,E2:E4)", "#VALUE!"),
    ("=FILTER(I1:I6,J1:J6>2)", "pear"), ("=ROWS(FILTER(I1:I6,J1:J6>2))", 3.0), ("=INDEX(FILTER(J1:J5,I1:I5<>\"x\"),5,1)", 0.0), ("=FILTER(J1:J6,I1:I6<>\"x\")", "#N/A"),
]


@pytest.mark.parametrize("formula,expected", ARRAYS)
def test_address_and_arrays(formula, expected):
    got = evaluate_formula(formula, ARR)
    if isinstance(expected, str) and expected.startswith("#"):
        assert str(got) == expected, formula
    elif isinstance(expected, float):
        assert isinstance(got, float) and got == pytest.approx(expected, rel=1e-12), formula
    else:
        assert got == expected, formula


# Common idioms that combine these functions with array evaluation (values worked out by hand).
IDIOM_CELLS = {"A1": "a", "A2": "b", "A3": "a", "A4": "c", "B1": 1.0, "B2": 2.0, "B3": 3.0, "B4": 4.0,
               "D1": "a", "D2": "c"}


@pytest.mark.parametrize("formula,expected", [
    ('=SUM(COUNTIF(A1:A4,{"a","b"}))', 3.0), ("=SUMPRODUCT(COUNTIF(A1:A4,D1:D2))", 3.0),
    ('=SUM(SUMIF(A1:A4,{"a","c"},B1:B4))', 8.0), ("=SUMPRODUCT(SUMIFS(B1:B4,A1:A4,D1:D2))", 8.0),
    ('=INDEX(B1:B4,MATCH("c",A1:A4,0))', 4.0), ('=SUM(VLOOKUP({"b","c"},A1:B4,2,0))', 6.0),
    ("=SUMPRODUCT(1/COUNTIF(A1:A4,A1:A4))", 3.0),  # distinct values
    ('=LOOKUP(2,1/(A1:A4="a"),B1:B4)', 3.0),  # the last match
    ('=AGGREGATE(15,6,B1:B4/(A1:A4="a"),2)', 3.0),  # the 2nd smallest match, errors ignored
    ('=SUM(FILTER(B1:B4,A1:A4="a"))', 4.0), ("=ROWS(UNIQUE(A1:A4))", 3.0),
])
def test_idioms(formula, expected):
    assert evaluate_formula(formula, IDIOM_CELLS) == pytest.approx(expected, rel=1e-12)


def test_unique_tells_empty_from_zero_and_shows_it_as_zero():
    from graddesc.engine import FUNCTIONS
    from graddesc.engine.functions import Area
    got = FUNCTIONS["UNIQUE"].impl(Area([[None, 1.0], [0.0, 1.0], [None, 1.0]]))
    assert got.rows == [[0.0, 1.0], [0.0, 1.0]]
    got = FUNCTIONS["SORT"].impl(Area([[None], [2.0], [0.0]]))
    assert got.rows == [[0.0], [2.0], [0.0]]  # the empty cell sorts last, shown as 0
