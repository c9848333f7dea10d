"""Conditional aggregates and Excel's criteria language: a table of formulas with values worked
out from Microsoft's documentation (COUNTIF, COUNTIFS, SUMIF, SUMIFS, AVERAGEIF, MAXIFS, MINIFS
examples), including the error cases."""

import pytest

from graddesc.engine import evaluate_formula
from graddesc.engine.functions.criteria import criterion, text_value
from graddesc.engine.values import ERRORS

CELLS = {
    # COUNTIF example: A2:A5 fruit, B2:B5 numbers
    "A2": "apples", "A3": "oranges", "A4": "peaches", "A5": "apples",
    "B2": 32.0, "B3": 54.0, "B4": 75.0, "B5": 86.0,
    # SUMIF / AVERAGEIF example: D2:D5 property value, E2:E5 commission, F2 250000
    "D2": 100000.0, "D3": 200000.0, "D4": 300000.0, "D5": 400000.0,
    "E2": 7000.0, "E3": 14000.0, "E4": 21000.0, "E5": 28000.0, "F2": 250000.0,
    # SUMIF example 2: H2:H7 category (H5 empty), I2:I7 food, J2:J7 sales
    "H2": "Vegetables", "H3": "Vegetables", "H4": "Fruits", "H6": "Vegetables", "H7": "Fruits",
    "I2": "Tomatoes", "I3": "Celery", "I4": "Oranges", "I5": "Butter", "I6": "Carrots", "I7": "Apples",
    "J2": 2300.0, "J3": 5500.0, "J4": 800.0, "J5": 400.0, "J6": 4200.0, "J7": 1200.0,
    # SUMIFS example: L2:L9 quantity, M2:M9 product, N2:N9 salesperson
    "L2": 5.0, "L3": 4.0, "L4": 15.0, "L5": 3.0, "L6": 22.0, "L7": 12.0, "L8": 10.0, "L9": 33.0,
    "M2": "Apples", "M3": "Apples", "M4": "Artichokes", "M5": "Artichokes", "M6": "Bananas",
    "M7": "Bananas", "M8": "Carrots", "M9": "Carrots",
    "N2": "Tom", "N3": "Sarah", "N4": "Tom", "N5": "Sarah", "N6": "Tom", "N7": "Sarah", "N8": "Tom",
    "N9": "Sarah",
    # COUNTIFS example 1: P2:P5 salesperson, Q2:S5 exceeded quota in Q1..Q3
    "P2": "Davolio", "Q2": "Yes", "R2": "No", "S2": "No",
    "P3": "Buchanan", "Q3": "Yes", "R3": "Yes", "S3": "No",
    "P4": "Suyama", "Q4": "Yes", "R4": "Yes", "S4": "Yes",
    "P5": "Peacock", "Q5": "No", "R5": "Yes", "S5": "Yes",
    # COUNTIFS example 2: U2:U7 1..6, V2:V7 the dates 5/1/2011 .. 5/6/2011 (serials 40664..)
    "U2": 1.0, "U3": 2.0, "U4": 3.0, "U5": 4.0, "U6": 5.0, "U7": 6.0,
    "V2": 40664.0, "V3": 40665.0, "V4": 40666.0, "V5": 40667.0, "V6": 40668.0, "V7": 40669.0,
    # MAXIFS / MINIFS example: X2:X7 grade, Y2:Y7 weight
    "X2": 89.0, "X3": 93.0, "X4": 96.0, "X5": 85.0, "X6": 91.0, "X7": 88.0,
    "Y2": 1.0, "Y3": 2.0, "Y4": 2.0, "Y5": 3.0, "Y6": 1.0, "Y7": 1.0,
    # the criteria rules on mixed cells: AA1:AA10 (AA5 empty), AB1:AB10 numbers to add
    "AA1": 5.0, "AA2": "5", "AA3": True, "AA4": "", "AA6": "#N/A", "AA7": "a*b", "AA8": "AXB",
    "AA9": "1/1/2020", "AA10": 43831.0,
    "AB1": 1.0, "AB2": 2.0, "AB3": 4.0, "AB4": 8.0, "AB5": 16.0, "AB6": 32.0, "AB7": 64.0,
    "AB8": 128.0, "AB9": 256.0, "AB10": 512.0,
    "AC1": "#DIV/0!", "AC2": 1.0,
}

TABLE = [
    # COUNTIF: Microsoft's examples
    ('=COUNTIF(A2:A5,"apples")', 2.0), ("=COUNTIF(A2:A5,A4)", 1.0),
    ("=COUNTIF(A2:A5,A2)+COUNTIF(A2:A5,A3)", 3.0), ('=COUNTIF(B2:B5,">55")', 2.0),
    ('=COUNTIF(B2:B5,"<>"&B4)', 3.0), ('=COUNTIF(B2:B5,">=32")-COUNTIF(B2:B5,">85")', 3.0),
    ('=COUNTIF(A2:A5,"*")', 4.0), ('=COUNTIF(A2:A5,"?????es")', 2.0),
    # COUNTIF: the criteria rules
    ("=COUNTIF(AA1:AA10,5)", 2.0), ('=COUNTIF(AA1:AA10,"5")', 2.0), ('=COUNTIF(AA1:AA10,"=5")', 2.0),
    ('=COUNTIF(AA1:AA10,">4")', 2.0), ('=COUNTIF(AA1:AA10,"<>5")', 9.0),
    ('=COUNTIF(AA1:AA10,"<>")', 9.0), ('=COUNTIF(AA1:AA10,"<")', 0.0), ('=COUNTIF(AA1:AA10,">=")', 0.0), ("=COUNTIF(AA1:AA10,TRUE)", 1.0),
    ('=COUNTIF(AA1:AA10,"TRUE")', 1.0), ("=COUNTIF(AA1:AA10,1)", 0.0), ('=COUNTIF(AA1:AA10,"")', 2.0),
    ('=COUNTIF(AA1:AA10,"=")', 1.0), ('=COUNTIF(AA1:AA10,"<>")', 9.0), ('=COUNTIF(AA1:AA10,"#N/A")', 1.0),
    ("=COUNTIF(AA1:AA10,AA6)", 1.0), ('=COUNTIF(AA1:AA10,"a*b")', 2.0), ('=COUNTIF(AA1:AA10,"a~*b")', 1.0),
    ('=COUNTIF(AA1:AA10,"<>a~*b")', 9.0), ('=COUNTIF(AA1:AA10,"a?b")', 2.0), ('=COUNTIF(AA1:AA10,"*")', 5.0),
    ('=COUNTIF(AA1:AA10,"1/1/2020")', 1.0), ('=COUNTIF(AA1:AA10,">=1/1/2020")', 1.0),
    ('=COUNTIF(AA1:AA10,"2020-01-01")', 1.0), ('=COUNTIF(AA1:AA10,">a")', 2.0), ('=COUNTIF(AA7:AA9,"<B")', 3.0),
    ("=COUNTIF(AA1:AA10,Z99)", 0.0), ('=COUNTIF(AC1:AC2,">0")', 1.0), ('=COUNTIF(AA1:AA10,"<>#N/A")', 9.0),
    ('=COUNTIF(B2:B5,"5400%")', 1.0), ('=COUNTIF(D2:D5,"300,000")', 1.0),
    # COUNTIFS: Microsoft's examples (the date one compares with the date the text spells)
    ('=COUNTIFS(Q2:S2,"=Yes")', 1.0), ('=COUNTIFS(Q2:Q5,"=Yes",R2:R5,"=Yes")', 2.0),
    ('=COUNTIFS(Q5:S5,"=Yes",Q3:S3,"=Yes")', 1.0), ('=COUNTIFS(U2:U7,"<6",U2:U7,">1")', 4.0),
    ('=COUNTIFS(U2:U7,"<5",V2:V7,"<5/3/2011")', 2.0), ('=COUNTIFS(U2:U7,"<"&U6,V2:V7,"<"&V4)', 2.0),
    ('=COUNTIFS(U2:U7,">1",V2:V6,">0")', "#VALUE!"),
    # SUMIF: Microsoft's examples
    ('=SUMIF(D2:D5,">160000",E2:E5)', 63000.0), ('=SUMIF(D2:D5,">160000")', 900000.0),
    ("=SUMIF(D2:D5,300000,E2:E5)", 21000.0), ('=SUMIF(D2:D5,">"&F2,E2:E5)', 49000.0),
    ('=SUMIF(H2:H7,"Fruits",J2:J7)', 2000.0), ('=SUMIF(H2:H7,"Vegetables",J2:J7)', 12000.0),
    ('=SUMIF(I2:I7,"*es",J2:J7)', 4300.0), ('=SUMIF(H2:H7,"",J2:J7)', 400.0),
    # SUMIF: the sum range is taken in the criteria range's shape from its top-left cell
    ('=SUMIF(D2:D5,">160000",E2)', 63000.0), ('=SUMIF(D2:D5,">160000",E2:E3)', 63000.0),
    ('=AVERAGEIF(D2:D5,">250000",E2)', 24500.0), ('=SUMIF(D2:D3,">0",E2:E5)', 21000.0),
    # SUMIF: matching errors in the sum range propagate, numeric text is not added
    ('=SUMIF(AA1:AA10,"<>",AB1:AB10)', 1007.0), ('=SUMIF(AC1:AC2,">0")', 1.0),
    ('=SUMIF(AC2:AC3,">0",AC1:AC2)', "#DIV/0!"), ('=SUMIF(AA1:AA3,5,AA1:AA3)', 5.0),
    # SUMIFS: Microsoft's examples
    ('=SUMIFS(L2:L9,M2:M9,"=A*",N2:N9,"Tom")', 20.0), ('=SUMIFS(L2:L9,M2:M9,"<>Bananas",N2:N9,"Tom")', 30.0),
    ('=SUMIFS(L2:L9,M2:M9,"Carrots")', 43.0), ('=SUMIFS(L2:L9,M2:M8,"Carrots")', "#VALUE!"),
    ('=SUMIFS(L2:L9,M2:M9,"Kiwi")', 0.0),
    # AVERAGEIF(S): Microsoft's examples and the empty case
    ('=AVERAGEIF(E2:E5,"<23000")', 14000.0), ('=AVERAGEIF(D2:D5,"<250000")', 150000.0),
    ('=AVERAGEIF(D2:D5,"<95000")', "#DIV/0!"), ('=AVERAGEIF(D2:D5,">250000",E2:E5)', 24500.0),
    ('=AVERAGEIFS(L2:L9,N2:N9,"Tom")', 13.0), ('=AVERAGEIFS(L2:L9,N2:N9,"Bob")', "#DIV/0!"),
    ('=AVERAGEIFS(L2:L9,N2:N9,"Tom",M2:M9,"B*")', 22.0),
    # MAXIFS / MINIFS: Microsoft's examples
    ("=MAXIFS(X2:X7,Y2:Y7,1)", 91.0), ("=MINIFS(X2:X7,Y2:Y7,1)", 88.0), ("=MAXIFS(X2:X7,Y2:Y7,4)", 0.0),
    ("=MINIFS(X2:X7,Y2:Y7,4)", 0.0), ("=MAXIFS(X2:X7,Y2:Y6,1)", "#VALUE!"),
    ('=MAXIFS(X2:X7,Y2:Y7,">1",X2:X7,"<95")', 93.0),
]


@pytest.mark.parametrize("formula,expected", TABLE)
def test_criteria_table(formula, expected):
    got = evaluate_formula(formula, CELLS)
    if isinstance(expected, str) and expected.startswith("#"):
        assert str(got) == expected, formula
    elif isinstance(expected, float):
        assert isinstance(got, float) and got == pytest.approx(expected, rel=1e-12), formula
    else:
        assert got == expected, formula


@pytest.mark.parametrize("text,value", [
    ("5", 5.0), (" 2.5 ", 2.5), ("1E3", 1000.0), ("50%", 0.5), ("1,000", 1000.0), ("$12", 12.0),
    ("-1,234.5", -1234.5), ("12/31/2010", 40543.0), ("2010-12-31", 40543.0), ("31-Dec-2010", 40543.0),
    ("Dec 31, 2010", 40543.0), ("12:00", 0.5), ("6:00 PM", 0.75), ("1/1/2020 12:00", 43831.5),
    ("abc", None), ("13/1/2020", None), ("1,00", None), ("2/30/2020", None), ("", None),
])
def test_criteria_values(text, value):
    assert text_value(text) == value


def test_database_criteria_begin_with():
    p = criterion("Dav", database=True)
    assert p("Davolio") and p("david") and not p("Buchanan") and not p(5.0)
    exact = criterion("=Dav", database=True)
    assert exact("dav") and not exact("Davolio")
    assert criterion(ERRORS["#N/A"])(ERRORS["#N/A"]) and not criterion(ERRORS["#N/A"])(1.0)


# Microsoft's database-function example (DAVERAGE, DCOUNT, DGET, ... pages): criteria in A1:F3,
# the list of trees in A5:E11.
TREES = {
    "A1": "Tree", "B1": "Height", "C1": "Age", "D1": "Yield", "E1": "Profit", "F1": "Height",
    "A2": '="=Apple"', "B2": ">10", "F2": "<16", "A3": '="=Pear"',  # text cells "=Apple", "=Pear"
    "A5": "Tree", "B5": "Height", "C5": "Age", "D5": "Yield", "E5": "Profit",
    "A6": "Apple", "B6": 18.0, "C6": 20.0, "D6": 14.0, "E6": 105.0,
    "A7": "Pear", "B7": 12.0, "C7": 12.0, "D7": 10.0, "E7": 96.0,
    "A8": "Cherry", "B8": 13.0, "C8": 14.0, "D8": 9.0, "E8": 105.0,
    "A9": "Apple", "B9": 14.0, "C9": 15.0, "D9": 10.0, "E9": 75.0,
    "A10": "Pear", "B10": 9.0, "C10": 8.0, "D10": 8.0, "E10": 76.8,
    "A11": "Apple", "B11": 8.0, "C11": 9.0, "D11": 6.0, "E11": 45.0,
    # more criteria: H1:H2 a prefix ("Ch" begins Cherry), I1:I2 an empty condition (every
    # record), J1:J2 a label that is no column, K1:L3 OR of two rows, G1:G2 a wildcard
    "H1": "Tree", "H2": "Ch", "I1": "Tree", "J1": "Colour", "J2": "red",
    "K1": "Tree", "L1": "Age", "K2": "Cherry", "L3": "<9", "G1": "tree", "G2": "?ea",
    "M1": "Tree", "M2": '="="',
}

DATABASE = [
    # Microsoft's examples (the documented values are rounded to 2 decimals for DSTDEV(P))
    ('=DCOUNT(A5:E11,"Age",A1:F2)', 1.0), ('=DCOUNTA(A5:E11,"Profit",A1:F2)', 1.0),
    ('=DMAX(A5:E11,"Profit",A1:A3)', 105.0), ('=DMIN(A5:E11,"Profit",A1:B2)', 75.0),
    ('=DSUM(A5:E11,"Profit",A1:A2)', 225.0), ('=DSUM(A5:E11,"Profit",A1:F2)', 75.0),
    ('=DPRODUCT(A5:E11,"Yield",A1:F2)', 10.0), ('=DAVERAGE(A5:E11,"Yield",A1:B2)', 12.0),
    ("=DAVERAGE(A5:E11,3,A5:E11)", 13.0), ('=DGET(A5:E11,"Yield",A1:A3)', "#NUM!"),
    ('=ROUND(DSTDEV(A5:E11,"Yield",A1:A3),2)', 2.97), ('=ROUND(DSTDEVP(A5:E11,"Yield",A1:A3),2)', 2.65),
    ('=DVAR(A5:E11,"Yield",A1:A3)', 8.8), ('=DVARP(A5:E11,"Yield",A1:A3)', 7.04),
    # field by label (any case) or position; DCOUNT with an empty field counts records
    ('=DSUM(A5:E11,"profit",A1:A2)', 225.0), ("=DSUM(A5:E11,5,A1:A2)", 225.0), ("=DSUM(A5:E11,5.9,A1:A2)", 225.0),
    ('=DSUM(A5:E11,"Price",A1:A2)', "#VALUE!"), ("=DSUM(A5:E11,0,A1:A2)", "#VALUE!"),
    ("=DSUM(A5:E11,6,A1:A2)", "#VALUE!"), ("=DCOUNT(A5:E11,,A1:A3)", 5.0), ("=DCOUNTA(A5:E11,,A1:A2)", 3.0),
    ('=DCOUNTA(A5:E11,"Tree",A1:A3)', 5.0), ('=DCOUNT(A5:E11,"Tree",A1:A3)', 0.0),
    # conditions: text begins with, empty condition, unknown label, OR of rows, wildcards, "="
    ('=DGET(A5:E11,"Age",H1:H2)', 14.0), ('=DCOUNT(A5:E11,"Age",I1:I2)', 6.0),
    ('=DCOUNT(A5:E11,"Age",J1:J2)', 0.0), ('=DSUM(A5:E11,"Age",K1:L3)', 14.0 + 8.0),
    ('=DCOUNT(A5:E11,"Age",G1:G2)', 2.0), ('=DCOUNT(A5:E11,"Age",M1:M2)', 0.0),
    # no match, a header-only list, a criteria range without a condition row
    ('=DGET(A5:E11,"Yield",J1:J2)', "#VALUE!"), ('=DAVERAGE(A5:E11,"Yield",J1:J2)', "#DIV/0!"),
    ('=DMAX(A5:E11,"Yield",J1:J2)', 0.0), ('=DPRODUCT(A5:E11,"Yield",J1:J2)', 0.0),
    ('=DSTDEV(A5:E11,"Yield",H1:H2)', "#DIV/0!"), ('=DSTDEVP(A5:E11,"Yield",H1:H2)', 0.0),
    ('=DSUM(A5:E5,"Yield",A1:A2)', "#VALUE!"), ('=DSUM(A5:E11,"Yield",A1:B1)', "#VALUE!"),
]


@pytest.mark.parametrize("formula,expected", DATABASE)
def test_database_table(formula, expected):
    got = evaluate_formula(formula, TREES)
    if isinstance(expected, str) and expected.startswith("#"):
        assert str(got) == expected, formula
    else:
        assert isinstance(got, float) and got == pytest.approx(expected, rel=1e-12), formula


# Microsoft's AGGREGATE example in A1:B11, its SUBTOTAL example in D2:D5; E1:E6 small sets.
AGG = {
    "A1": "#DIV/0!", "A2": 72.0, "A3": 30.0, "A4": "#NUM!", "A5": 31.0, "A6": 96.0, "A7": 32.0,
    "A8": 81.0, "A9": 33.0, "A10": 53.0, "A11": 34.0,
    "B1": 82.0, "B2": 65.0, "B3": 95.0, "B4": 63.0, "B5": 53.0, "B6": 71.0, "B7": 55.0, "B8": 83.0,
    "B9": 100.0, "B10": 91.0, "B11": 89.0,
    "D2": 120.0, "D3": 10.0, "D4": 150.0, "D5": 23.0,
    "E1": 1.0, "E2": 2.0, "E3": "text", "E4": 4.0, "E5": True, "E6": 4.0,
}

AGGREGATES = [
    # Microsoft's examples
    ("=AGGREGATE(4,6,A1:A11)", 96.0), ("=AGGREGATE(14,6,A1:A11,3)", 72.0),
    ("=AGGREGATE(15,6,A1:A11)", "#VALUE!"), ("=AGGREGATE(12,6,A1:A11,B1:B11)", 68.0),
    ("=SUBTOTAL(9,D2:D5)", 303.0), ("=SUBTOTAL(1,D2:D5)", 75.75),
    # every function number on E1:E6 (numbers 1, 2, 4, 4; text and TRUE ignored; COUNTA counts them)
    ("=SUBTOTAL(1,E1:E6)", 2.75), ("=SUBTOTAL(2,E1:E6)", 4.0), ("=SUBTOTAL(3,E1:E6)", 6.0),
    ("=SUBTOTAL(4,E1:E6)", 4.0), ("=SUBTOTAL(5,E1:E6)", 1.0), ("=SUBTOTAL(6,E1:E6)", 32.0),
    ("=SUBTOTAL(7,E1:E6)", 1.5), ("=SUBTOTAL(8,E1:E6)", 1.299038105676658), ("=SUBTOTAL(9,E1:E6)", 11.0),
    ("=SUBTOTAL(10,E1:E6)", 2.25), ("=SUBTOTAL(11,E1:E6)", 1.6875), ("=SUBTOTAL(109,E1:E6,D2:D5)", 314.0),
    ("=SUBTOTAL(0,E1:E6)", "#VALUE!"), ("=SUBTOTAL(12,E1:E6)", "#VALUE!"), ("=SUBTOTAL(9,A1:A3)", "#DIV/0!"),
    ("=SUBTOTAL(2,A1:A4)", 2.0), ("=SUBTOTAL(3,A1:A4)", 4.0), ("=SUBTOTAL(4,E7:E9)", 0.0),
    ("=SUBTOTAL(1,E7:E9)", "#DIV/0!"), ("=SUBTOTAL(7,E1)", "#DIV/0!"),
    ("=AGGREGATE(12,4,E1:E6)", 3.0), ("=AGGREGATE(13,4,E1:E6)", 4.0), ("=AGGREGATE(13,4,D2:D5)", "#N/A"),
    ("=AGGREGATE(14,4,E1:E6,1)", 4.0), ("=AGGREGATE(15,4,E1:E6,2)", 2.0), ("=AGGREGATE(15,4,E1:E6,5)", "#NUM!"),
    ("=AGGREGATE(16,4,E1:E6,0.5)", 3.0), ("=AGGREGATE(17,4,E1:E6,1)", 1.75), ("=AGGREGATE(18,4,E1:E6,0.5)", 3.0),
    ("=AGGREGATE(19,4,E1:E6,1)", 1.25), ("=AGGREGATE(16,4,E1:E6,1.5)", "#NUM!"), ("=AGGREGATE(19,4,E1:E6,4)", "#NUM!"),
    # options: errors propagate unless ignored (2, 3, 6, 7); bad function number or option: #VALUE!
    ("=AGGREGATE(9,4,A1:A11)", "#DIV/0!"), ("=AGGREGATE(9,0,A1:A11)", "#DIV/0!"), ("=AGGREGATE(9,2,A1:A11)", 462.0),
    ("=AGGREGATE(9,3,A1:A11)", 462.0), ("=AGGREGATE(9,7,A1:A11)", 462.0), ("=AGGREGATE(2,4,A1:A11)", 9.0),
    ("=AGGREGATE(3,4,A1:A11)", 11.0), ("=AGGREGATE(3,6,A1:A11)", 9.0), ("=AGGREGATE(20,6,A1:A11)", "#VALUE!"),
    ("=AGGREGATE(9,8,A1:A11)", "#VALUE!"), ("=AGGREGATE(0,6,A1:A11)", "#VALUE!"),
]


@pytest.mark.parametrize("formula,expected", AGGREGATES)
def test_subtotal_aggregate_table(formula, expected):
    got = evaluate_formula(formula, AGG)
    if isinstance(expected, str) and expected.startswith("#"):
        assert str(got) == expected, formula
    else:
        assert isinstance(got, float) and got == pytest.approx(expected, rel=1e-12), formula


NESTED = {"A1": 1.0, "A2": 2.0, "A3": "=SUBTOTAL(9,A1:A2)", "A4": 4.0, "A5": "=AGGREGATE(9,4,A1:A2)",
          "B1": "=SUM(A1:A2)"}


@pytest.mark.parametrize("formula,expected", [
    # cells holding SUBTOTAL / AGGREGATE inside the references are left out (SUBTOTAL always,
    # AGGREGATE with options 0-3) to avoid counting them twice; other formulas count
    ("=SUBTOTAL(9,A1:A5)", 7.0), ("=SUBTOTAL(109,A1:A5)", 7.0), ("=SUBTOTAL(3,A1:A5)", 3.0),
    ("=AGGREGATE(9,0,A1:A5)", 7.0), ("=AGGREGATE(9,3,A1:A5)", 7.0), ("=AGGREGATE(9,4,A1:A5)", 13.0),
    ("=AGGREGATE(9,6,A1:A5)", 13.0), ("=AGGREGATE(14,1,A1:A5,1)", 4.0), ("=AGGREGATE(14,5,A1:A5,1)", 4.0),
    ("=SUBTOTAL(9,A1:A5,B1)", 10.0), ("=SUM(A1:A5)", 13.0),
])
def test_nested_subtotals_are_skipped(formula, expected):
    assert evaluate_formula(formula, NESTED) == pytest.approx(expected, rel=1e-12)


def test_hidden_and_filtered_rows_when_the_workbook_reports_them():
    """Row 2 hidden by hand, row 3 hidden by a filter (as sets of (sheet index, row) on the
    workbook): SUBTOTAL 1-11 leaves out filtered rows, 101-111 both; AGGREGATE options 1/3/5/7
    both; without the sets every row counts."""
    from graddesc.engine import Workbook
    cells = {"A1": 1.0, "A2": 2.0, "A3": 4.0, "A4": 8.0,
             "B1": "=SUBTOTAL(9,A1:A4)", "B2": "=SUBTOTAL(109,A1:A4)", "B3": "=AGGREGATE(9,5,A1:A4)",
             "B4": "=AGGREGATE(9,4,A1:A4)", "B5": "=AGGREGATE(14,7,A1:A4,2)", "B6": "=SUBTOTAL(3,A1:A4)"}
    wb = Workbook.from_cells({"Sheet1": cells})
    wb.hidden_rows = {(0, 2), (0, 3)}
    wb.filtered_rows = {(0, 3)}
    wb.evaluate()
    got = [wb.value("Sheet1", f"B{i}") for i in range(1, 7)]
    assert got == [11.0, 9.0, 9.0, 15.0, 1.0, 3.0]
    plain = Workbook.from_cells({"Sheet1": cells}).evaluate()
    assert [plain.value("Sheet1", f"B{i}") for i in range(1, 7)] == [15.0, 15.0, 15.0, 15.0, 4.0, 4.0]
