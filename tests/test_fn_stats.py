"""Statistics functions and distributions: a table of formulas with the values of Microsoft's
function reference examples (rounded as printed there) and exact values worked out by hand,
including each function's error cases; then scipy / numpy as independent witnesses for the
distributions and the regressions (graddesc itself never imports them)."""

import math

import pytest

from graddesc.engine import ERRORS, FUNCTIONS, evaluate_formula
from graddesc.engine.functions import Area
from graddesc.engine.values import XLError


def _column(col, values, start=1):
    return {f"{col}{start + i}": v for i, v in enumerate(values)}


CELLS = {}
for _col, _vals in {
    "A": [1345.0, 1301.0, 1368.0, 1322.0, 1310.0, 1370.0, 1318.0, 1350.0, 1303.0, 1299.0],  # STDEV example
    "B": [4.0, 5.0, 6.0, 7.0, 5.0, 4.0, 3.0],  # AVEDEV / DEVSQ example
    "C": [4.0, 5.0, 8.0, 7.0, 11.0, 4.0, 3.0],  # GEOMEAN / HARMEAN example
    "D": [4.0, 5.0, 6.0, 7.0, 2.0, 3.0, 4.0, 5.0, 1.0, 2.0, 3.0],  # TRIMMEAN example
    "E": [3.0, 4.0, 5.0, 2.0, 3.0, 4.0, 5.0, 6.0, 4.0, 7.0],  # KURT / SKEW example
    "F": [3.0, 2.0, 4.0, 5.0, 6.0], "G": [9.0, 7.0, 12.0, 15.0, 17.0],  # CORREL example
    "H": [2.0, 3.0, 9.0, 1.0, 8.0, 7.0, 5.0], "I": [6.0, 5.0, 11.0, 7.0, 5.0, 4.0, 4.0],  # SLOPE example
    "J": [6.0, 7.0, 9.0, 15.0, 21.0], "K": [20.0, 28.0, 31.0, 38.0, 40.0],  # FORECAST / F.TEST example
    "L": [1.0, 2.0, 3.0, 6.0, 6.0, 6.0, 7.0, 8.0, 9.0],  # PERCENTILE.EXC / PERCENTRANK.EXC example
    "M": [13.0, 12.0, 11.0, 8.0, 4.0, 3.0, 2.0, 1.0, 1.0, 1.0],  # PERCENTRANK.INC example
    "N": [7.0, 3.5, 3.5, 1.0, 2.0],  # RANK.EQ example
    "O": [89.0, 88.0, 92.0, 101.0, 94.0, 97.0, 95.0],  # RANK.AVG example
    "P": [1.0, 2.0, 3.0, 2.0, 3.0, 1.0, 4.0, 2.0, 3.0, 1.0],  # MODE.MULT: 1, 2, 3 three times each, 4 once
    "Q": [3.0, 6.0, 7.0, 8.0, 6.0, 5.0, 4.0, 2.0, 1.0, 9.0],  # Z.TEST example
    "R": [0.0, 1.0, 2.0, 3.0], "S": [0.2, 0.3, 0.1, 0.4],  # PROB example
    "T": [79.0, 85.0, 78.0, 85.0, 50.0, 81.0, 95.0, 88.0, 97.0], "U": [70.0, 79.0, 89.0],  # FREQUENCY example
    "V": [3.0, 4.0, 5.0, 8.0, 9.0, 1.0, 2.0, 4.0, 5.0], "W": [6.0, 19.0, 3.0, 2.0, 14.0, 4.0, 5.0, 17.0, 1.0],  # T.TEST
    "X": [1.0, "text", True, None, 3.0, "#N/A"], "Y": [1.0, "text", True, None, 3.0],  # mixed
    "Z": [2.0, 2.0, 2.0],
}.items():
    CELLS.update(_column(_col, _vals))
# CHISQ.TEST example: actual AA1:AB3, expected AC1:AD3
CELLS.update({"AA1": 58.0, "AB1": 35.0, "AA2": 11.0, "AB2": 25.0, "AA3": 10.0, "AB3": 23.0,
              "AC1": 45.35, "AD1": 47.65, "AC2": 17.56, "AD2": 18.44, "AC3": 16.09, "AD3": 16.91})
# CHISQ.TEST error order: actual AJ1:AJ2 (TRUE, #N/A), expected AK1:AK2 (#DIV/0!, 1)
CELLS.update({"AJ1": True, "AJ2": "#N/A", "AK1": "#DIV/0!", "AK2": 1.0})
# LARGE example (two rows) AE1:AI2
CELLS.update({"AE1": 3.0, "AF1": 5.0, "AG1": 3.0, "AH1": 5.0, "AI1": 4.0,
              "AE2": 4.0, "AF2": 2.0, "AG2": 4.0, "AH2": 6.0, "AI2": 7.0})

# (formula, value, digits): Microsoft's examples, compared at the digits printed in the reference
DOC = [
    ("=MEDIAN(1,2,3,4,5)", 3, 9), ("=MEDIAN(1,2,3,4,5,6)", 3.5, 9), ("=MODE.SNGL(5.6,4,4,3,2,4)", 4, 9),
    ("=MODE(5.6,4,4,3,2,4)", 4, 9), ("=LARGE(AE1:AI2,3)", 5, 9), ("=LARGE(AE1:AI2,7)", 4, 9),
    ("=SMALL(AE1:AI2,4)", 4, 9), ("=RANK.EQ(N1,N1:N5,1)", 5, 9), ("=RANK.EQ(N5,N1:N5)", 4, 9),
    ("=RANK.EQ(N2,N1:N5,1)", 3, 9), ("=RANK(N2,N1:N5,1)", 3, 9), ("=RANK.AVG(94,O1:O7)", 4, 9),
    ("=RANK.AVG(N2,N1:N5)", 2.5, 9),
    ("=PERCENTILE.INC(R1:R4,0.3)", 0.9, 9), ("=PERCENTILE(H1:H4,0.3)", 1.9, 9),
    ("=PERCENTILE.EXC(L1:L9,0.25)", 2.5, 9), ("=QUARTILE.INC(B1:B7,1)", 4, 9),
    ("=PERCENTRANK.INC(M1:M10,2)", 0.333, 3), ("=PERCENTRANK.INC(M1:M10,4)", 0.555, 3),
    ("=PERCENTRANK.INC(M1:M10,8)", 0.666, 3), ("=PERCENTRANK.INC(M1:M10,5)", 0.583, 3),
    ("=PERCENTRANK(M1:M10,2)", 0.333, 3), ("=PERCENTRANK.EXC(L1:L9,7)", 0.7, 3),
    ("=PERCENTRANK.EXC(L1:L9,5.43)", 0.381, 3), ("=PERCENTRANK.EXC(L1:L9,5.43,1)", 0.3, 1),
    ("=STDEV.S(A1:A10)", 27.46391572, 8), ("=STDEV(A1:A10)", 27.46391572, 8), ("=STDEV.P(A1:A10)", 26.05455814, 8),
    ("=STDEVP(A1:A10)", 26.05455814, 8), ("=STDEVA(A1:A10)", 27.46391572, 8), ("=STDEVPA(A1:A10)", 26.05455814, 8),
    ("=VAR.S(A1:A10)", 754.2666667, 7), ("=VAR(A1:A10)", 754.2666667, 7), ("=VAR.P(A1:A10)", 678.84, 9),
    ("=VARP(A1:A10)", 678.84, 9), ("=VARA(A1:A10)", 754.2666667, 7), ("=VARPA(A1:A10)", 678.84, 9),
    ("=AVEDEV(B1:B7)", 1.020408163, 9), ("=DEVSQ(C1:C7)", 48, 9), ("=GEOMEAN(C1:C7)", 5.47698697, 8),
    ("=HARMEAN(C1:C7)", 5.028375962, 9), ("=TRIMMEAN(D1:D11,0.2)", 3.777777778, 9),
    ("=KURT(E1:E10)", -0.151799637, 9), ("=SKEW(E1:E10)", 0.359543071, 9), ("=SKEW.P(E1:E10)", 0.303193339, 9),
    ("=CORREL(F1:F5,G1:G5)", 0.997054486, 9), ("=PEARSON(F1:F5,G1:G5)", 0.997054486, 9),
    ("=RSQ(H1:H7,I1:I7)", 0.05795, 5), ("=COVARIANCE.P(F1:F5,G1:G5)", 5.2, 9), ("=COVAR(F1:F5,G1:G5)", 5.2, 9),
    ("=SLOPE(H1:H7,I1:I7)", 0.305556, 6), ("=INTERCEPT(H1:H5,I1:I5)", 0.0483871, 7),
    ("=STEYX(H1:H7,I1:I7)", 3.305719, 6), ("=FORECAST(30,J1:J5,K1:K5)", 10.607253, 6),
    ("=FORECAST.LINEAR(30,J1:J5,K1:K5)", 10.607253, 6),
    ("=STANDARDIZE(42,40,1.5)", 1.333333, 6), ("=FISHER(0.75)", 0.972955, 6), ("=FISHERINV(0.972955)", 0.75, 6),
    ("=PHI(0.75)", 0.301137432, 9), ("=GAUSS(2)", 0.47725, 5), ("=GAMMA(2.5)", 1.329, 3), ("=GAMMA(-3.75)", 0.268, 3),
    ("=GAMMALN(4)", 1.791759, 6), ("=GAMMALN.PRECISE(4)", 1.791759, 6),
    ("=NORM.DIST(42,40,1.5,TRUE)", 0.9087888, 7), ("=NORM.DIST(42,40,1.5,FALSE)", 0.10934, 5),
    ("=NORMDIST(42,40,1.5,TRUE)", 0.9087888, 7), ("=NORM.INV(0.908789,40,1.5)", 42.000002, 6),
    ("=NORMINV(0.908789,40,1.5)", 42.000002, 6), ("=NORM.S.DIST(1.333333,TRUE)", 0.908788726, 9),
    ("=NORM.S.DIST(1.333333,FALSE)", 0.164010148, 9), ("=NORMSDIST(1.333333)", 0.908788726, 9),
    ("=NORM.S.INV(0.908789)", 1.3333347, 7), ("=NORMSINV(0.908789)", 1.3333347, 7),
    ("=LOGNORM.DIST(4,3.5,1.2,TRUE)", 0.0390836, 7), ("=LOGNORM.DIST(4,3.5,1.2,FALSE)", 0.0176176, 7),
    ("=LOGNORMDIST(4,3.5,1.2)", 0.0390836, 7), ("=LOGNORM.INV(0.039084,3.5,1.2)", 4.0000252, 7),
    ("=LOGINV(0.039084,3.5,1.2)", 4.0000252, 7),
    ("=BINOM.DIST(6,10,0.5,FALSE)", 0.2050781, 7), ("=BINOMDIST(6,10,0.5,FALSE)", 0.2050781, 7),
    ("=BINOM.DIST.RANGE(60,0.75,48)", 0.084, 3), ("=BINOM.DIST.RANGE(60,0.75,45,50)", 0.524, 3),
    ("=BINOM.INV(6,0.5,0.75)", 4, 9), ("=CRITBINOM(6,0.5,0.75)", 4, 9),
    ("=NEGBINOM.DIST(10,5,0.25,TRUE)", 0.3135141, 7), ("=NEGBINOM.DIST(10,5,0.25,FALSE)", 0.0550487, 7),
    ("=NEGBINOMDIST(10,5,0.25)", 0.0550487, 7),
    ("=POISSON.DIST(2,5,TRUE)", 0.124652, 6), ("=POISSON.DIST(2,5,FALSE)", 0.084224, 6),
    ("=POISSON(2,5,TRUE)", 0.124652, 6), ("=EXPON.DIST(0.2,10,TRUE)", 0.86466472, 8),
    ("=EXPON.DIST(0.2,10,FALSE)", 1.35335283, 8), ("=EXPONDIST(0.2,10,TRUE)", 0.86466472, 8),
    ("=GAMMA.DIST(10.00001131,9,2,FALSE)", 0.032639, 6), ("=GAMMA.DIST(10.00001131,9,2,TRUE)", 0.068094, 6),
    ("=GAMMADIST(10.00001131,9,2,TRUE)", 0.068094, 6), ("=GAMMA.INV(0.068094,9,2)", 10.0000112, 7),
    ("=GAMMAINV(0.068094,9,2)", 10.0000112, 7),
    ("=BETA.DIST(2,8,10,TRUE,1,3)", 0.6854706, 7), ("=BETA.DIST(2,8,10,FALSE,1,3)", 1.4837646, 7),
    ("=BETADIST(2,8,10,1,3)", 0.6854706, 7), ("=BETA.INV(0.685470581,8,10,1,3)", 2, 9),
    ("=BETAINV(0.685470581,8,10,1,3)", 2, 9),
    ("=CHISQ.DIST(0.5,1,TRUE)", 0.52049988, 8), ("=CHISQ.DIST(2,3,FALSE)", 0.20755375, 8),
    ("=CHISQ.DIST.RT(18.307,10)", 0.0500006, 7), ("=CHIDIST(18.307,10)", 0.0500006, 7),
    ("=CHISQ.INV(0.93,1)", 3.28302029, 8), ("=CHISQ.INV(0.6,2)", 1.832581464, 9),
    ("=CHISQ.INV.RT(0.050001,10)", 18.306973, 6), ("=CHIINV(0.050001,10)", 18.306973, 6),
    ("=CHISQ.TEST(AA1:AB3,AC1:AD3)", 0.0003082, 7), ("=CHITEST(AA1:AB3,AC1:AD3)", 0.0003082, 7),
    ("=F.DIST(15.2069,6,4,TRUE)", 0.99, 6), ("=F.DIST(15.2069,6,4,FALSE)", 0.0012238, 7),
    ("=F.DIST.RT(15.2068649,6,4)", 0.01, 6), ("=FDIST(15.2068649,6,4)", 0.01, 6),
    ("=F.INV(0.01,6,4)", 0.10930991, 8), ("=F.INV.RT(0.01,6,4)", 15.20686, 5), ("=FINV(0.01,6,4)", 15.20686, 5),
    ("=F.TEST(J1:J5,K1:K5)", 0.64831785, 8), ("=FTEST(J1:J5,K1:K5)", 0.64831785, 8),
    ("=T.DIST(60,1,TRUE)", 0.99469533, 8), ("=T.DIST(8,3,FALSE)", 0.00073691, 8),
    ("=T.DIST.2T(1.959999998,60)", 0.054645, 6), ("=T.DIST.RT(1.959999998,60)", 0.027322, 6),
    ("=TDIST(1.959999998,60,2)", 0.054645, 6), ("=TDIST(1.959999998,60,1)", 0.027322, 6),
    ("=T.INV.2T(0.546449,60)", 0.606533, 6), ("=TINV(0.546449,60)", 0.606533, 6),
    ("=T.TEST(V1:V9,W1:W9,2,1)", 0.196016, 6), ("=TTEST(V1:V9,W1:W9,2,1)", 0.196016, 6),
    ("=HYPGEOM.DIST(1,4,8,20,TRUE)", 0.4654, 4), ("=HYPGEOM.DIST(1,4,8,20,FALSE)", 0.3633, 4),
    ("=HYPGEOMDIST(1,4,8,20)", 0.3633, 4),
    ("=WEIBULL.DIST(105,20,100,TRUE)", 0.929581, 6), ("=WEIBULL.DIST(105,20,100,FALSE)", 0.035589, 6),
    ("=WEIBULL(105,20,100,TRUE)", 0.929581, 6),
    ("=Z.TEST(Q1:Q10,4)", 0.090574, 6), ("=Z.TEST(Q1:Q10,6)", 0.863043, 6), ("=ZTEST(Q1:Q10,4)", 0.090574, 6),
    ("=CONFIDENCE.NORM(0.05,2.5,50)", 0.692952, 6), ("=CONFIDENCE(0.05,2.5,50)", 0.692952, 6),
    ("=CONFIDENCE.T(0.05,1,50)", 0.284196855, 9),
    ("=PROB(R1:R4,S1:S4,2)", 0.1, 9), ("=PROB(R1:R4,S1:S4,1,3)", 0.8, 9),
]


@pytest.mark.parametrize("formula,value,digits", DOC, ids=[f for f, _, _ in DOC])
def test_documented_examples(formula, value, digits):
    got = evaluate_formula(formula, CELLS)
    assert type(got) is float, got
    assert round(got, digits) == pytest.approx(value, abs=10.0 ** -(digits + 3)), got


def _expected(v):
    return ERRORS[v] if isinstance(v, str) and v in ERRORS else v


# (formula, exact value or error): hand-worked values and each function's error cases
TABLE = [
    # reference rules: text / TRUE / empty in a range ignored; typed arguments coerced; *A count them
    ("=MEDIAN(X1:X5)", 2.0), ('=MEDIAN(1,"3",TRUE)', 1.0), ("=MEDIAN(X1:X6)", "#N/A"), ("=MEDIAN(Y2:Y4)", "#NUM!"),
    ('=MEDIAN("a")', "#VALUE!"), ("=MODE(1,2,3)", "#N/A"), ("=MODE.SNGL(P1:P10)", 1.0),
    ("=SUM(MODE.MULT(P1:P10))", 6.0), ("=MODE.MULT(1,2)", "#N/A"),
    ("=AVERAGEA(Y1:Y5)", 5.0 / 4), ("=AVERAGEA(Y2:Y4)", 0.5), ("=AVERAGEA(Y4)", "#DIV/0!"), ('=AVERAGEA(1,"x")', "#VALUE!"),
    ("=MAXA(Y1:Y5)", 3.0), ("=MINA(Y1:Y5)", 0.0), ("=MAXA(Y4)", 0.0), ("=MINA(Y2:Y3)", 0.0), ("=MAXA(X1:X6)", "#N/A"),
    # Y1:Y5 as the *A functions see it: 1, 0 (text), 1 (TRUE), 3; the empty cell is skipped
    ("=STDEVA(1,3)", math.sqrt(2)), ("=VARA(Y1:Y5)", 4.75 / 3), ("=VARPA(Y1:Y5)", 4.75 / 4),
    ("=STDEVPA(Y1:Y5)", math.sqrt(4.75 / 4)), ('=VARA(1,"x")', "#VALUE!"), ('=VARA(1,"3")', 2.0),
    ("=VAR(Y1:Y5)", 2.0), ("=VAR.S(1)", "#DIV/0!"), ("=VAR.P(1)", 0.0), ("=STDEV.P(Y4)", "#DIV/0!"), ("=STDEV(Z1:Z3)", 0.0),
    ("=STDEV(X1:X6)", "#N/A"),
    ("=LARGE(AE1:AI2,0)", "#NUM!"), ("=LARGE(AE1:AI2,11)", "#NUM!"), ("=LARGE(AE1:AI2,1.5)", 6.0),
    ("=SMALL(Y1:Y5,2)", 3.0), ("=SMALL(Y2:Y4,1)", "#NUM!"), ("=LARGE(X1:X6,1)", "#N/A"),
    ("=RANK.EQ(2.5,N1:N5)", "#N/A"), ("=RANK.AVG(3.5,N1:N5,1)", 3.5), ("=RANK.EQ(3,Y1:Y5)", 1.0),
    ("=PERCENTILE.INC(R1:R4,1.1)", "#NUM!"), ("=PERCENTILE.INC(R1:R4,-0.1)", "#NUM!"), ("=PERCENTILE.INC(Y4,0.5)", "#NUM!"),
    ("=PERCENTILE.INC(R1:R4,1)", 3.0), ("=PERCENTILE.INC(R1:R4,0)", 0.0), ("=PERCENTILE.EXC(L1:L9,0)", "#NUM!"),
    ("=PERCENTILE.EXC(L1:L9,0.01)", "#NUM!"), ("=PERCENTILE.EXC(L1:L9,2)", "#NUM!"), ("=PERCENTILE.EXC(L1:L9,0.9)", 9.0),
    ("=QUARTILE.INC(R1:R4,4)", 3.0), ("=QUARTILE.INC(R1:R4,5)", "#NUM!"), ("=QUARTILE.INC(R1:R4,-1)", "#NUM!"),
    ("=QUARTILE.INC(R1:R4,2.9)", 1.5), ("=QUARTILE(R1:R4,0)", 0.0), ("=QUARTILE.EXC(L1:L9,0)", "#NUM!"),
    ("=QUARTILE.EXC(L1:L9,4)", "#NUM!"), ("=QUARTILE.EXC(L1:L9,2)", 6.0),
    ("=PERCENTRANK.INC(M1:M10,0.5)", "#N/A"), ("=PERCENTRANK.INC(M1:M10,14)", "#N/A"),
    ("=PERCENTRANK.INC(M1:M10,2,0)", "#NUM!"), ("=PERCENTRANK.INC(M1:M10,13)", 1.0), ("=PERCENTRANK.INC(M1:M10,1)", 0.0),
    ("=PERCENTRANK.INC(Z1:Z3,2)", 0.0), ("=PERCENTRANK.INC(M1:M10,2,5)", 0.33333),
    ("=AVEDEV(Y2:Y4)", "#NUM!"), ("=DEVSQ(Y2:Y4)", "#NUM!"), ("=DEVSQ(1,2,3)", 2.0),
    ("=GEOMEAN(1,0)", "#NUM!"), ("=GEOMEAN(-1,2)", "#NUM!"), ("=GEOMEAN(2,8)", 4.0), ("=HARMEAN(0,1)", "#NUM!"),
    ("=HARMEAN(1,2,4)", 3 / 1.75), ("=TRIMMEAN(D1:D11,1)", "#NUM!"), ("=TRIMMEAN(D1:D11,-0.1)", "#NUM!"),
    ("=TRIMMEAN(D1:D11,0)", 42 / 11.0), ("=TRIMMEAN(Y2:Y4,0.1)", "#NUM!"),
    ("=KURT(1,2,3)", "#DIV/0!"), ("=KURT(Z1:Z3,2)", "#DIV/0!"), ("=SKEW(1,2)", "#DIV/0!"), ("=SKEW(Z1:Z3)", "#DIV/0!"),
    ("=SKEW.P(Z1:Z3)", "#DIV/0!"), ("=SKEW.P(1,2)", "#DIV/0!"), ("=SKEW(1,2,3)", 0.0),
    ("=CORREL(F1:F5,G1:G4)", "#N/A"), ("=CORREL(Z1:Z3,F1:F3)", "#DIV/0!"), ("=CORREL(Y1:Y5,F1:F5)", 1.0),
    ("=COVARIANCE.S(1,2)", "#DIV/0!"), ("=COVARIANCE.P(Y2:Y4,Y2:Y4)", "#DIV/0!"), ("=COVARIANCE.S(F1:F3,G1:G3)", 2.5),
    ("=SLOPE(F1:F5,Z1:Z3)", "#N/A"), ("=SLOPE(F1:F3,Z1:Z3)", "#DIV/0!"), ("=SLOPE(G1:G5,F1:F5)", 2.6),
    ("=INTERCEPT(G1:G5,F1:F5)", 12.0 - 2.6 * 4),
    ("=STEYX(F1:F2,G1:G2)", "#DIV/0!"), ('=FORECAST("x",J1:J5,K1:K5)', "#VALUE!"), ("=FORECAST(1,Z1:Z3,Z1:Z3)", "#DIV/0!"),
    ("=STANDARDIZE(1,0,0)", "#NUM!"), ("=STANDARDIZE(1,0,-1)", "#NUM!"), ("=FISHER(1)", "#NUM!"), ("=FISHER(-1)", "#NUM!"),
    ("=FISHER(0)", 0.0), ("=GAMMA(0)", "#NUM!"), ("=GAMMA(-1)", "#NUM!"), ("=GAMMA(5)", 24.0), ("=GAMMA(172)", "#NUM!"),
    ("=GAMMALN(0)", "#NUM!"), ("=GAMMALN(-1)", "#NUM!"), ('=GAMMALN("x")', "#VALUE!"), ("=PHI(0)", 1 / math.sqrt(2 * math.pi)),
    ("=GAUSS(0)", 0.0),
    # every argument is converted before the domain checks: a #VALUE! or an error value later in
    # the list wins over a #NUM! from an earlier argument's range
    ('=BINOM.DIST(1,10,1.5,"x")', "#VALUE!"), ('=NORM.DIST(1,0,-1,"x")', "#VALUE!"), ("=CHISQ.DIST(-1,0.5,X6)", "#N/A"),
    ('=T.INV(2,"x")', "#VALUE!"), ("=BINOM.DIST(X6,10,1.5,TRUE)", "#N/A"),
    # errors of two arrays propagate pair by pair (y before x within a pair: SLOPE(y, x)); the
    # scalar arguments of LARGE, PERCENTILE, Z.TEST, ... are read before the array's values
    ("=SLOPE(X5:X6,F1:F2)", "#N/A"), ("=SLOPE(F1:F2,X5:X6)", "#N/A"), ("=SLOPE(X1:X6,AA1:AA6)", "#N/A"),
    ("=CORREL(AA1:AA6,X1:X6)", "#N/A"), ("=LARGE(X1:X6,1/0)", "#DIV/0!"), ("=PERCENTILE(X1:X6,1/0)", "#DIV/0!"),
    ("=Z.TEST(X1:X6,1/0)", "#DIV/0!"), ("=Z.TEST(X1:X6,1,1/0)", "#DIV/0!"), ("=Z.TEST(X1:X6,1,1)", "#N/A"),
    ("=Z.TEST(A1,1,2)", "#DIV/0!"), ("=TRIMMEAN(X1:X6,1/0)", "#DIV/0!"), ("=PERCENTRANK(M1:M10,2,)", "#NUM!"),
    ("=BINOM.DIST.RANGE(2,0.1,2,Y4)", "#NUM!"), ("=BINOM.DIST.RANGE(2,0.1,2)", 0.1 ** 2), ("=T.DIST(0,0,FALSE)", "#DIV/0!"),
    ("=T.DIST(0,0,TRUE)", "#NUM!"), ("=BETA.DIST(0.5,2,2,TRUE,,)", "#NUM!"), ("=BETA.DIST(0.5,2,2,TRUE,0)", 0.5),
    # MODE's arguments are arrays: typed text is skipped, an empty argument is #VALUE!
    ('=MODE.SNGL(P1:P10,"")', 1.0), ('=MODE(P1:P10,"1",TRUE)', 1.0), ("=MODE.SNGL(P1:P10,)", "#VALUE!"),
    ("=QUARTILE(R1:R4,-0.1)", "#NUM!"), ("=QUARTILE(R1:R4,4.5)", 3.0),
    ("=PROB(R1:R4,S1:S4,1,Y4)", 0.0), ("=PROB(R1:R4,S1:S4,3,1)", 0.0),
    # LINEST / TREND: an error value in the data or in const is #VALUE!; an empty const keeps b
    ("=SUM(LINEST(X5:X6,F1:F2))", "#VALUE!"), ("=SUM(LINEST(G1:G5,F1:F5,X6))", "#VALUE!"),
    ("=SUM(LINEST(G1:G5,F1:F5,,FALSE))", 2.6 + 1.6), ("=SUM(TREND(G1:G5,F1:F5,X6))", "#VALUE!"),
    # normal family
    ("=NORM.DIST(1,0,0,TRUE)", "#NUM!"), ("=NORM.DIST(1,0,-1,TRUE)", "#NUM!"), ('=NORM.DIST(1,0,1,"x")', "#VALUE!"),
    ("=NORM.S.DIST(0,TRUE)", 0.5), ("=NORM.INV(0,0,1)", "#NUM!"), ("=NORM.INV(1,0,1)", "#NUM!"), ("=NORM.INV(0.5,3,0)", "#NUM!"),
    ("=NORM.INV(0.5,3,2)", 3.0), ("=NORM.S.INV(0.5)", 0.0), ("=NORM.S.INV(-0.1)", "#NUM!"), ("=NORMSINV(1)", "#NUM!"),
    ("=LOGNORM.DIST(0,0,1,TRUE)", "#NUM!"), ("=LOGNORM.DIST(1,0,0,TRUE)", "#NUM!"), ("=LOGNORM.DIST(1,0,1,TRUE)", 0.5),
    ("=LOGNORM.INV(0,0,1)", "#NUM!"), ("=LOGNORM.INV(0.5,0,-1)", "#NUM!"), ("=LOGNORM.INV(0.5,0,1)", 1.0),
    ("=CONFIDENCE.NORM(0,1,10)", "#NUM!"), ("=CONFIDENCE.NORM(1,1,10)", "#NUM!"), ("=CONFIDENCE.NORM(0.05,0,10)", "#NUM!"),
    ("=CONFIDENCE.NORM(0.05,1,0.5)", "#NUM!"), ("=CONFIDENCE.T(0.05,1,1)", "#DIV/0!"), ("=CONFIDENCE.T(0.05,-1,5)", "#NUM!"),
    ("=Z.TEST(Y2:Y4,1)", "#N/A"), ("=Z.TEST(1,1)", "#DIV/0!"), ("=Z.TEST(Z1:Z3,2,0)", "#NUM!"), ("=Z.TEST(Q1:Q10,5.1,1)", 0.5),
    # discrete distributions
    ("=BINOM.DIST(6,10,0.5,FALSE)", 210 / 1024), ("=BINOM.DIST(6,10,0.5,TRUE)", 848 / 1024), ("=BINOM.DIST(6.9,10.2,0.5,FALSE)", 210 / 1024),
    ("=BINOM.DIST(11,10,0.5,FALSE)", "#NUM!"), ("=BINOM.DIST(-1,10,0.5,FALSE)", "#NUM!"), ("=BINOM.DIST(1,10,1.5,FALSE)", "#NUM!"),
    ("=BINOM.DIST(1,10,-0.5,TRUE)", "#NUM!"), ("=BINOM.DIST(0,3,0,FALSE)", 1.0), ("=BINOM.DIST(3,3,1,FALSE)", 1.0),
    ('=BINOM.DIST(1,2,0.5,"x")', "#VALUE!"), ("=BINOM.DIST(10,10,0.3,TRUE)", 1.0),
    ("=BINOM.DIST.RANGE(10,0.5,6)", 210 / 1024), ("=BINOM.DIST.RANGE(10,0.5,0,10)", 1.0), ("=BINOM.DIST.RANGE(-1,0.5,0)", "#NUM!"),
    ("=BINOM.DIST.RANGE(10,1.5,6)", "#NUM!"), ("=BINOM.DIST.RANGE(10,0.5,11)", "#NUM!"), ("=BINOM.DIST.RANGE(10,0.5,6,5)", "#NUM!"),
    ("=BINOM.DIST.RANGE(10,0.5,6,11)", "#NUM!"), ("=BINOM.DIST.RANGE(10,0.5,-1)", "#NUM!"),
    ("=BINOM.INV(-1,0.5,0.5)", "#NUM!"), ("=BINOM.INV(6,1.5,0.5)", "#NUM!"), ("=BINOM.INV(6,0.5,1.5)", "#NUM!"),
    # Excel excludes the ends (saved workbooks), though the reference writes < 0 / > 1
    ("=BINOM.INV(6,0.5,0)", "#NUM!"), ("=BINOM.INV(6,0.5,1)", "#NUM!"), ("=BINOM.INV(6,1,0.5)", "#NUM!"),
    ("=BINOM.INV(6,0,0.5)", "#NUM!"), ("=BINOM.INV(6,0.5,0.999)", 6.0), ("=BINOM.INV(6,0.5,1E-300)", 0.0), ("=BINOM.INV(10,0.5,848/1024)", 6.0),
    ("=NEGBINOM.DIST(0,1,0.5,FALSE)", 0.5), ("=NEGBINOM.DIST(2,1,0.5,TRUE)", 0.875), ("=NEGBINOM.DIST(-1,1,0.5,TRUE)", "#NUM!"),
    ("=NEGBINOM.DIST(1,0,0.5,TRUE)", "#NUM!"), ("=NEGBINOM.DIST(1,1,1.5,TRUE)", "#NUM!"), ("=NEGBINOM.DIST(2,3,1,FALSE)", "#NUM!"), ("=NEGBINOM.DIST(2,3,0,TRUE)", "#NUM!"),
    ("=POISSON.DIST(0,0,FALSE)", 1.0), ("=POISSON.DIST(-1,2,FALSE)", "#NUM!"), ("=POISSON.DIST(1,-2,FALSE)", "#NUM!"),
    ("=POISSON.DIST(1.9,2,FALSE)", 2 * math.exp(-2)), ("=POISSON.DIST(1,2,TRUE)", 3 * math.exp(-2)),
    ("=HYPGEOM.DIST(5,4,8,20,FALSE)", "#NUM!"), ("=HYPGEOM.DIST(-1,4,8,20,FALSE)", "#NUM!"), ("=HYPGEOM.DIST(1,0,8,20,FALSE)", "#NUM!"),
    ("=HYPGEOM.DIST(1,21,8,20,FALSE)", "#NUM!"), ("=HYPGEOM.DIST(1,4,0,20,FALSE)", "#NUM!"), ("=HYPGEOM.DIST(1,4,21,20,FALSE)", "#NUM!"),
    ("=HYPGEOM.DIST(0,4,18,20,FALSE)", 0.0), ("=HYPGEOM.DIST(0,4,18,20,TRUE)", 0.0),
    ("=HYPGEOM.DIST(0,0,0,0,TRUE)", 1.0), ("=HYPGEOM.DIST(0,0,4,4,TRUE)", 1.0), ("=HYPGEOM.DIST(0,-1,4,4,TRUE)", "#NUM!"), ("=HYPGEOM.DIST(1,4,8,20,FALSE)", 8 * 220 / 4845),
    ("=HYPGEOM.DIST(2,2,2,4,TRUE)", 1.0),
    # continuous distributions: domains
    ("=EXPON.DIST(-1,1,TRUE)", "#NUM!"), ("=EXPON.DIST(1,0,TRUE)", "#NUM!"), ("=EXPON.DIST(0,2,FALSE)", 2.0),
    ("=WEIBULL.DIST(-1,1,1,TRUE)", "#NUM!"), ("=WEIBULL.DIST(1,0,1,TRUE)", "#NUM!"), ("=WEIBULL.DIST(1,1,0,TRUE)", "#NUM!"),
    ("=WEIBULL.DIST(1,1,1,TRUE)", 1 - math.exp(-1)), ("=WEIBULL.DIST(2,1,2,FALSE)", 0.5 * math.exp(-1)),
    ("=GAMMA.DIST(-1,1,1,TRUE)", "#NUM!"), ("=GAMMA.DIST(1,0,1,TRUE)", "#NUM!"), ("=GAMMA.DIST(1,1,0,TRUE)", "#NUM!"),
    ("=GAMMA.DIST(2,1,2,TRUE)", 1 - math.exp(-1)), ("=GAMMA.DIST(0,1,2,FALSE)", 0.5), ("=GAMMA.DIST(0,0.5,1,FALSE)", "#NUM!"),
    ("=GAMMA.INV(-0.1,1,1)", "#NUM!"), ("=GAMMA.INV(1.1,1,1)", "#NUM!"), ("=GAMMA.INV(0.5,0,1)", "#NUM!"),
    ("=GAMMA.INV(0,2,1)", 0.0), ("=GAMMA.INV(1,2,1)", "#NUM!"), ("=GAMMA.INV(0.5,1,1)", math.log(2)),
    ("=BETA.DIST(0.5,0,1,TRUE)", "#NUM!"), ("=BETA.DIST(0.5,1,0,TRUE)", "#NUM!"), ("=BETA.DIST(1.5,1,1,TRUE)", "#NUM!"),
    ("=BETA.DIST(0.5,1,1,TRUE,1,1)", "#NUM!"), ("=BETA.DIST(0.5,1,1,TRUE,0.6,2)", "#NUM!"), ("=BETA.DIST(0.25,1,1,TRUE)", 0.25),
    ("=BETA.DIST(0.25,2,1,FALSE)", 0.5), ("=BETA.DIST(0.5,2,2,TRUE)", 0.5), ("=BETADIST(3,2,2,2,4)", 0.5),
    ("=BETA.INV(0,2,2)", "#NUM!"), ("=BETA.INV(1,2,2)", 1.0), ("=BETA.INV(1.5,2,2)", "#NUM!"), ("=BETA.INV(0.5,2,2,2,4)", 3.0),
    ("=BETA.INV(0.25,1,1)", 0.25), ("=BETA.INV(0.5,-1,2)", "#NUM!"),
    ("=CHISQ.DIST(-1,2,TRUE)", "#NUM!"), ("=CHISQ.DIST(1,0.5,TRUE)", "#NUM!"), ("=CHISQ.DIST(1,10^10+1,TRUE)", "#NUM!"),
    ("=CHISQ.DIST(2,2,TRUE)", 1 - math.exp(-1)), ("=CHISQ.DIST(2,2.9,TRUE)", 1 - math.exp(-1)),
    ("=CHISQ.DIST.RT(-1,2)", "#NUM!"), ("=CHISQ.DIST.RT(2,2)", math.exp(-1)), ("=CHIDIST(1,0)", "#NUM!"),
    ("=CHISQ.INV(-0.1,2)", "#NUM!"), ("=CHISQ.INV(1.1,2)", "#NUM!"), ("=CHISQ.INV(0,2)", 0.0), ("=CHISQ.INV(0.5,0)", "#NUM!"),
    ("=CHISQ.INV.RT(0,2)", "#NUM!"), ("=CHISQ.INV.RT(1,2)", 0.0), ("=CHISQ.INV.RT(1.5,2)", "#NUM!"),
    ("=CHISQ.TEST(AA1:AB3,AC1:AD2)", "#N/A"), ("=CHISQ.TEST(1,1)", "#N/A"),
    ("=CHISQ.TEST(F1:F2,Z1:Z2)", math.erfc(math.sqrt(0.5 / 2))), ("=CHISQ.TEST(F1:F2,G1:G2)", math.erfc(math.sqrt((36 / 9 + 25 / 7) / 2))),
    ("=CHISQ.TEST(F1:F2,R1:R2)", "#DIV/0!"), ("=CHISQ.TEST(F1:F2,I2:J2)", math.erfc(math.sqrt((4 / 5 + 25 / 7) / 2))),
    ("=CHISQ.TEST(F1:F2,I2:I4)", "#N/A"), ("=CHISQ.TEST(Y2:Y3,F1:F2)", "#DIV/0!"), ("=CHISQ.TEST(AJ1:AJ2,AK1:AK2)", "#N/A"),
    ("=SLOPE(AJ1:AJ2,AK1:AK2)", "#DIV/0!"),  # CHISQ.TEST reads the actual range first, SLOPE pairwise
    ("=F.DIST(-1,2,2,TRUE)", "#NUM!"), ("=F.DIST(1,0,2,TRUE)", "#NUM!"), ("=F.DIST(1,2,0.5,TRUE)", "#NUM!"),
    ("=F.DIST(1,2,2,TRUE)", 0.5), ("=F.DIST.RT(1,2,2)", 0.5), ("=F.DIST.RT(-1,2,2)", "#NUM!"), ("=F.DIST(0,2,2,FALSE)", 1.0),
    ("=F.INV(-0.1,2,2)", "#NUM!"), ("=F.INV(0.5,2,2)", 1.0), ("=F.INV.RT(0.5,2,2)", 1.0), ("=F.INV(0.5,0,2)", "#NUM!"),
    ("=F.INV.RT(0,2,2)", "#NUM!"), ("=F.TEST(1,F1:F5)", "#DIV/0!"), ("=F.TEST(Z1:Z3,F1:F5)", "#DIV/0!"),
    ("=T.DIST(0,1,TRUE)", 0.5), ("=T.DIST(1,1,TRUE)", 0.75), ("=T.DIST(1,0,TRUE)", "#NUM!"), ("=T.DIST(0,1,FALSE)", 1 / math.pi),
    ("=T.DIST.2T(-1,2)", "#NUM!"), ("=T.DIST.2T(1,1)", 0.5), ("=T.DIST.RT(-1,1)", 0.75), ("=TDIST(1,1,3)", "#NUM!"),
    ("=TDIST(-1,1,1)", "#NUM!"), ("=T.INV(0,2)", "#NUM!"), ("=T.INV(1,2)", "#NUM!"), ("=T.INV(0.5,2)", 0.0),
    ("=T.INV(0.75,1)", 1.0), ("=T.INV(0.25,1)", -1.0), ("=T.INV.2T(0,2)", "#NUM!"), ("=T.INV.2T(1.1,2)", "#NUM!"),
    ("=T.INV.2T(1,2)", 0.0), ("=T.INV.2T(0.5,1)", 1.0), ("=T.INV(0.5,0.5)", "#NUM!"),
    ("=T.TEST(V1:V9,W1:W9,3,1)", "#NUM!"), ("=T.TEST(V1:V9,W1:W9,2,4)", "#NUM!"), ("=T.TEST(V1:V9,W1:W8,2,1)", "#N/A"),
    ("=T.TEST(Z1:Z3,Z1:Z3,2,2)", "#DIV/0!"), ("=T.TEST(1,W1:W9,2,2)", "#DIV/0!"),
    ("=PROB(R1:R4,S1:S3,1)", "#N/A"), ("=PROB(R1:R4,R1:R4,1)", "#NUM!"), ("=PROB(R1:R4,S1:S4,5)", 0.0),
    ("=PROB(R1:R2,S1:S2,0)", "#NUM!"),
    # FREQUENCY / regression scalars
    ("=SUM(FREQUENCY(T1:T9,U1:U3))", 9.0),
    ("=SUM(LINEST(G1:G5,F1:F5))", 2.6 + 1.6),
]


@pytest.mark.parametrize("formula,expected", TABLE, ids=[f for f, _ in TABLE])
def test_formula(formula, expected):
    got = evaluate_formula(formula, CELLS)
    exp = _expected(expected)
    if isinstance(exp, float):
        # 1e-12: the implementations sum with math.fsum and the closed forms are evaluated directly
        assert type(got) is float and got == pytest.approx(exp, rel=1e-12, abs=1e-15), got
    else:
        assert got == exp and type(got) is type(exp), got


# ------------------------------------------------------------------------------ witnesses
# scipy (installed for the tests only) as an independent implementation of the distributions.
# Tolerance 1e-12 relative: both sides evaluate the same mathematical functions to ~1e-14 (our
# saddle-point densities and continued fractions, scipy's Boost/Cephes code) for moderate
# parameters and results above 1e-100; in far tails scipy's log-space pmfs lose |log p|*eps
# (checked against mpmath: graddesc is the closer one), so the grids stay out of them.

def _call(name, *args):
    return FUNCTIONS[name].impl(*[a if isinstance(a, (bool, Area)) else float(a) for a in args])


def _close(got, exp, rel=1e-12):
    assert type(got) is float and got == pytest.approx(float(exp), rel=rel, abs=1e-300), (got, float(exp))


_X = [0.001, 0.1, 0.5, 1.0, 2.5, 7.0, 20.0, 60.0]
_DF = [1, 2, 3, 7, 30, 200]
_P = [1e-10, 1e-4, 0.01, 0.3, 0.5, 0.8, 0.99, 0.9999]


def _witness():
    try:
        from scipy import stats
    except ImportError:  # pragma: no cover
        from tests.witnesses import _missing
        _missing("scipy is not installed (the witness for the distributions)")
    return stats


def test_continuous_distributions_agree_with_scipy():
    st = _witness()
    for x in _X:
        assert _call("NORM.S.DIST", -x * 5, True) == pytest.approx(st.norm.cdf(-x * 5), rel=1e-13)
        assert _call("NORM.DIST", x, 1.5, 2.0, False) == pytest.approx(st.norm.pdf(x, 1.5, 2.0), rel=1e-13)
        _close(_call("LOGNORM.DIST", x, 0.5, 1.2, True), st.lognorm.cdf(x, 1.2, scale=math.exp(0.5)))
        _close(_call("LOGNORM.DIST", x, 0.5, 1.2, False), st.lognorm.pdf(x, 1.2, scale=math.exp(0.5)))
        _close(_call("EXPON.DIST", x, 0.7, True), st.expon.cdf(x, scale=1 / 0.7))
        _close(_call("WEIBULL.DIST", x, 1.7, 3.0, True), st.weibull_min.cdf(x, 1.7, scale=3.0))
        _close(_call("WEIBULL.DIST", x, 1.7, 3.0, False), st.weibull_min.pdf(x, 1.7, scale=3.0))
        for a in [0.3, 1, 2.5, 9, 40, 300]:
            for b in [0.5, 2, 10]:
                _close(_call("GAMMA.DIST", x, a, b, True), st.gamma.cdf(x, a, scale=b))
                _close(_call("GAMMA.DIST", x, a, b, False), st.gamma.pdf(x, a, scale=b))
        for df in _DF:
            _close(_call("CHISQ.DIST.RT", x, df), st.chi2.sf(x, df))
            _close(_call("CHISQ.DIST", x, df, True), st.chi2.cdf(x, df))
            _close(_call("CHISQ.DIST", x, df, False), st.chi2.pdf(x, df))
            _close(_call("T.DIST", x, df, True), st.t.cdf(x, df))
            _close(_call("T.DIST", -x, df, True), st.t.cdf(-x, df))
            _close(_call("T.DIST", x, df, False), st.t.pdf(x, df))
            _close(_call("T.DIST.RT", x, df), st.t.sf(x, df))
            _close(_call("T.DIST.2T", x, df), 2 * st.t.sf(x, df))
            for d2 in [1, 4, 25, 300]:
                _close(_call("F.DIST", x, df, d2, True), st.f.cdf(x, df, d2))
                _close(_call("F.DIST", x, df, d2, False), st.f.pdf(x, df, d2))
                _close(_call("F.DIST.RT", x, df, d2), st.f.sf(x, df, d2))
    for y in [0.001, 0.05, 0.3, 0.5, 0.77, 0.999]:
        for a in [0.4, 1, 3, 17, 200]:
            for b in [0.6, 1, 5, 80]:
                _close(_call("BETA.DIST", y, a, b, True), st.beta.cdf(y, a, b))
                _close(_call("BETA.DIST", y, a, b, False), st.beta.pdf(y, a, b))


def test_inverses_agree_with_scipy_and_invert_our_distributions():
    st = _witness()
    for p in _P:
        _close(_call("NORM.S.INV", p), st.norm.ppf(p), 1e-14)
        _close(_call("NORM.INV", p, 3.0, 0.5), st.norm.ppf(p, 3.0, 0.5), 1e-14)
        _close(_call("LOGNORM.INV", p, 0.2, 0.9), st.lognorm.ppf(p, 0.9, scale=math.exp(0.2)), 1e-13)
        for df in _DF:
            _close(_call("CHISQ.INV", p, df), st.chi2.ppf(p, df))
            _close(_call("CHISQ.INV.RT", p, df), st.chi2.isf(p, df))
            # Near the median the quantile of a symmetric law has a condition number ~1/|t|: the
            # digits of p lost in 1 - p bound the agreement there.
            _close(_call("T.INV", p, df), st.t.ppf(p, df), 1e-12 if abs(p - 0.5) > 0.1 else 1e-10)
            _close(_call("T.INV.2T", p, df), st.t.isf(p / 2, df), 1e-12 if p < 0.8 else 1e-10)
            for d2 in [1, 4, 25, 300]:
                _close(_call("F.INV", p, df, d2), st.f.ppf(p, df, d2))
                if p >= 1e-4:  # scipy's f.isf loses ~1e-7 at p = 1e-10 (its own Q there is 1.00000008e-10)
                    _close(_call("F.INV.RT", p, df, d2), st.f.isf(p, df, d2))
                q = _call("F.INV.RT", p, df, d2)
                _close(_call("F.DIST.RT", q, df, d2), p, 1e-13)
        for a in [0.4, 1, 3, 17, 200]:
            for b in [0.6, 1, 5, 80]:
                _close(_call("BETA.INV", p, a, b), st.beta.ppf(p, a, b))
                _close(_call("GAMMA.INV", p, a, b), st.gamma.ppf(p, a, scale=b))


def test_discrete_distributions_agree_with_scipy():
    st = _witness()
    for n in [1, 5, 20, 100, 1000, 5000]:
        for p in [0.01, 0.3, 0.5, 0.9]:
            s = max(1, n // 4)
            for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
                for name, ours, theirs in [
                        ("BINOM pmf", _call("BINOM.DIST", k, n, p, False), st.binom.pmf(k, n, p)),
                        ("BINOM cdf", _call("BINOM.DIST", k, n, p, True), st.binom.cdf(k, n, p)),
                        ("NEGBINOM pmf", _call("NEGBINOM.DIST", k, s, p, False), st.nbinom.pmf(k, s, p)),
                        ("NEGBINOM cdf", _call("NEGBINOM.DIST", k, s, p, True), st.nbinom.cdf(k, s, p))]:
                    if theirs > 1e-100:
                        _close(ours, theirs)
                alpha = _call("BINOM.DIST", k, n, p, True)
                if 1e-100 < alpha < 1 - 1e-12:
                    assert _call("BINOM.INV", n, p, alpha * (1 + 1e-12)) == st.binom.ppf(alpha * (1 + 1e-12), n, p)
        assert _call("BINOM.DIST.RANGE", n, 0.3, n // 4, n // 2) == pytest.approx(
            st.binom.cdf(n // 2, n, 0.3) - st.binom.cdf(n // 4 - 1, n, 0.3), rel=1e-12, abs=1e-15)
    for lam in [0.1, 2, 30, 500, 3000]:
        for k in [0, 1, 5, 29, 400, 2500, 3100]:
            for ours, theirs in [(_call("POISSON.DIST", k, lam, False), st.poisson.pmf(k, lam)),
                                 (_call("POISSON.DIST", k, lam, True), st.poisson.cdf(k, lam))]:
                if theirs > 1e-100:
                    _close(ours, theirs, 1e-12 if lam * k < 1e5 else 5e-12)  # scipy: log-space pmf
    for N, M, n in [(20, 8, 4), (100, 30, 40), (5000, 1200, 300), (30000, 9000, 700)]:
        mid = n * M // N  # around the mean and in both tails
        for x in sorted(set(range(max(0, n - N + M), min(n, M) + 1, max(1, min(n, M) // 7)))
                        | {max(0, mid - 300), mid, min(n, M, mid + 300)}):
            _close(_call("HYPGEOM.DIST", x, n, M, N, False), st.hypergeom.pmf(x, N, M, n))
            _close(_call("HYPGEOM.DIST", x, n, M, N, True), st.hypergeom.cdf(x, N, M, n))


def test_large_hypergeometric_agrees_with_mpmath():
    """N = 777122: scipy's log-space pmf is off by ~1e-10 here, so the witness is mpmath's exact
    binomials at 50 digits (the cdf summed over 20 standard deviations below x, sd ~ 140)."""
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 50
    N, M, n = 777122, 124410, 278223
    total = mp.binomial(N, n)
    for x in (44540 - 600, 44540 - 150, 44540, 44540 + 150, 44540 + 600):
        pmf = mp.binomial(M, x) * mp.binomial(N - M, n - x) / total
        cdf = mp.fsum(mp.binomial(M, i) * mp.binomial(N - M, n - i) for i in range(x - 2800, x + 1)) / total
        _close(_call("HYPGEOM.DIST", x, n, M, N, False), pmf, 1e-13)
        _close(_call("HYPGEOM.DIST", x, n, M, N, True), cdf, 1e-12)


def test_special_functions_and_tests_agree_with_scipy():
    st = _witness()
    from scipy import special
    for x in [0.1, 0.5, 1.7, 4.5, 30.0, 170.5]:
        _close(_call("GAMMA", x), special.gamma(x))
        _close(_call("GAMMALN", x) + 1.0, special.gammaln(x) + 1.0)
    _close(_call("GAMMA", -2.5), special.gamma(-2.5))
    a = Area([[v] for v in CELLS_ROWS["V"]])
    b = Area([[v] for v in CELLS_ROWS["W"]])
    for tails in (1, 2):
        _close(_call("T.TEST", a, b, tails, 1), st.ttest_rel(CELLS_ROWS["V"], CELLS_ROWS["W"]).pvalue / (3 - tails))
        _close(_call("T.TEST", a, b, tails, 2), st.ttest_ind(CELLS_ROWS["V"], CELLS_ROWS["W"]).pvalue / (3 - tails))
        _close(_call("T.TEST", a, b, tails, 3),
               st.ttest_ind(CELLS_ROWS["V"], CELLS_ROWS["W"], equal_var=False).pvalue / (3 - tails))
    obs = [[58, 35], [11, 25], [10, 23]]
    exp = [[45.35, 47.65], [17.56, 18.44], [16.09, 16.91]]
    stat = sum((o - e) ** 2 / e for ro, re_ in zip(obs, exp) for o, e in zip(ro, re_))
    _close(evaluate_formula("=CHISQ.TEST(AA1:AB3,AC1:AD3)", CELLS), st.chi2.sf(stat, 2))
    x, y = CELLS_ROWS["J"], CELLS_ROWS["K"]
    import statistics
    f = statistics.variance(x) / statistics.variance(y)
    _close(evaluate_formula("=F.TEST(J1:J5,K1:K5)", CELLS), 2 * min(st.f.cdf(f, 4, 4), st.f.sf(f, 4, 4)))
    _close(evaluate_formula("=CONFIDENCE.T(0.05,1,50)", CELLS), st.t.isf(0.025, 49) / math.sqrt(50))
    _close(evaluate_formula("=CONFIDENCE.NORM(0.05,2.5,50)", CELLS), st.norm.isf(0.025) * 2.5 / math.sqrt(50))
    q = CELLS_ROWS["Q"]
    _close(evaluate_formula("=Z.TEST(Q1:Q10,4)", CELLS),
           st.norm.sf((statistics.mean(q) - 4) / (statistics.stdev(q) / math.sqrt(10))))
    for col in "ABCDE":
        vals = CELLS_ROWS[col]
        _close(evaluate_formula(f"=SKEW({col}1:{col}{len(vals)})", CELLS), st.skew(vals, bias=False))
        _close(evaluate_formula(f"=SKEW.P({col}1:{col}{len(vals)})", CELLS), st.skew(vals))
        if len(vals) >= 4:
            _close(evaluate_formula(f"=KURT({col}1:{col}{len(vals)})", CELLS), st.kurtosis(vals, bias=False))


CELLS_ROWS = {c: [CELLS[f"{c}{i}"] for i in range(1, 100) if f"{c}{i}" in CELLS] for c in "ABCDEJKQVW"}


# ------------------------------------------------------------------------------ array results

def _col(vals):
    return Area([[float(v)] for v in vals])


def _row(vals):
    return Area([[float(v) for v in vals]])


# Microsoft's LINEST example: office buildings (floor space, offices, entrances, age) -> value
_X1 = [2310, 2333, 2356, 2379, 2402, 2425, 2448, 2471, 2494, 2517, 2540]
_X2 = [2, 2, 3, 3, 2, 4, 2, 2, 3, 4, 2]
_X3 = [2, 2, 1.5, 2, 3, 2, 1.5, 2, 3, 4, 3]
_X4 = [20, 12, 33, 43, 53, 23, 99, 34, 23, 55, 22]
_Y = [142000, 144000, 151000, 150000, 139000, 169000, 126000, 142900, 163000, 169000, 149000]


def test_linest_reproduces_microsofts_multiple_regression_example():
    x = Area([[float(a), float(b), float(c), float(d)] for a, b, c, d in zip(_X1, _X2, _X3, _X4)])
    t = FUNCTIONS["LINEST"].impl(_col(_Y), x, True, True).rows
    doc = [[-234.2371645, 2553.21066, 12529.76817, 27.64138737, 52317.83051],
           [13.26801148, 530.6691519, 400.0668382, 5.429374042, 12237.3616],  # row checked with numpy
           [0.996747993, 970.5784629], [459.7536742, 6.0], [1732393319.0, 5652135.316]]
    for r, d in zip(t, doc):
        for got, want in zip(r, d):
            assert got == pytest.approx(want, rel=5e-9)  # the reference prints 10 significant digits
    assert [str(v) for v in t[2][2:] + t[3][2:] + t[4][2:]] == ["#N/A"] * 9


def test_linest_and_logest_agree_with_numpy_least_squares():
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(7)
    n = 13
    X = rng.normal(size=(n, 3)) * [1.0, 10.0, 0.1] + [0.0, 5.0, 1.0]
    y = X @ [1.5, -0.25, 4.0] + 2.0 + rng.normal(size=n) * 0.3
    for const in (True, False):
        A = np.column_stack([X, np.ones(n)]) if const else X
        coef, *_ = np.linalg.lstsq(A, y, rcond=None)
        resid = y - A @ coef
        df = n - A.shape[1]
        ssresid = float(resid @ resid)
        sstot = float(((y - y.mean()) ** 2).sum()) if const else float(y @ y)
        cov = np.linalg.inv(A.T @ A) * (ssresid / df)
        se = np.sqrt(np.diag(cov))
        t = FUNCTIONS["LINEST"].impl(Area([[float(v)] for v in y]), Area([[float(v) for v in r] for r in X]),
                                     const, True).rows
        m = list(coef[:3][::-1]) + ([coef[3]] if const else [0.0])
        # 1e-10: numpy's lstsq (SVD) and our QR agree to the problem's condition number times eps
        assert t[0] == pytest.approx(m, rel=1e-10, abs=1e-12)
        assert t[1][:3] == pytest.approx(list(se[:3][::-1]), rel=1e-10)
        if const:
            assert t[1][3] == pytest.approx(se[3], rel=1e-10)
        else:
            assert str(t[1][3]) == "#N/A"
        assert t[2][:2] == pytest.approx([1 - ssresid / sstot, math.sqrt(ssresid / df)], rel=1e-10)
        assert t[3][:2] == pytest.approx([((sstot - ssresid) / 3) / (ssresid / df), df], rel=1e-10)
        assert t[4][:2] == pytest.approx([sstot - ssresid, ssresid], rel=1e-10)
    # LOGEST: the same fit of ln(y), coefficients exponentiated
    yl = np.exp(0.3 * X[:, 0] - 0.05 * X[:, 1] + 1.0 + rng.normal(size=n) * 0.01)
    coef, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(n)]), np.log(yl), rcond=None)
    t = FUNCTIONS["LOGEST"].impl(Area([[float(v)] for v in yl]), Area([[float(v) for v in r] for r in X])).rows
    assert t[0] == pytest.approx(list(np.exp(coef[:3][::-1])) + [math.exp(coef[3])], rel=1e-10)


def test_regression_shapes_collinearity_and_errors():
    L = FUNCTIONS["LINEST"].impl
    # y = 2x + 1 along a row; known_x omitted means 1, 2, 3, ...
    assert L(_row([3, 5, 7, 9])).rows == [[pytest.approx(2.0, rel=1e-15), pytest.approx(1.0, rel=1e-15)]]
    assert L(_col([1, 9, 5, 7]), _col([0, 4, 2, 3])).rows[0] == [pytest.approx(2.0), pytest.approx(1.0)]
    t = L(_col([3, 5, 7, 9]), None, False, True).rows  # through the origin
    assert t[0][1] == 0.0 and str(t[1][1]) == "#N/A" and t[3][1] == 3.0
    # a perfect fit: no residual, F is #NUM!
    t = L(_col([3, 5, 7, 9]), _col([1, 2, 3, 4]), True, True).rows
    assert t[4][1] == pytest.approx(0.0, abs=1e-20) and t[2][0] == pytest.approx(1.0) and str(t[3][0]) == "#NUM!"
    # collinear x columns: the redundant one gets 0 and the degrees of freedom grow
    x = Area([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0], [4.0, 8.0], [5.0, 10.0]])
    t = L(_col([2.1, 3.9, 6.2, 7.8, 10.1]), x, True, True).rows
    assert t[0][0] == 0.0 and t[1][0] == 0.0 and t[3][1] == 3.0
    with pytest.raises(XLError) as e:
        L(_col([1, 2, 3]), _col([1, 2]))
    assert e.value.error is ERRORS["#REF!"]
    assert evaluate_formula("=SUM(LINEST(X1:X3))", CELLS) is ERRORS["#VALUE!"]
    T, G = FUNCTIONS["TREND"].impl, FUNCTIONS["GROWTH"].impl
    assert T(_col([1, 9, 5, 7]), _col([0, 4, 2, 3]), _col([5, 6])).rows == [[11.0], [13.0]]
    assert T(_row([3, 5, 7, 9])).rows == [[3.0, 5.0, 7.0, 9.0]]
    assert T(_col([3, 5, 7, 9]), None, _row([5, 6])).rows == [[11.0, 13.0]]
    assert T(_col([2, 4, 6]), _col([1, 2, 3]), _col([4]), False).rows == [[8.0]]
    with pytest.raises(XLError) as e:  # 2 variables, new_x gives 1 column
        T(_col([1, 2, 3]), Area([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0]]), _col([1, 2]))
    assert e.value.error is ERRORS["#REF!"]
    # Microsoft's GROWTH example: units sold in months 11-16, forecast for months 17 and 18; the
    # witness is numpy's straight-line fit of ln(units)
    np = pytest.importorskip("numpy")
    m, u = [11, 12, 13, 14, 15, 16], [33100, 47300, 69000, 102000, 150000, 220000]
    c = np.polyfit(m, np.log(u), 1)
    fitted = G(_col(u), _col(m)).rows
    assert fitted[0][0] == pytest.approx(32618.20377, rel=1e-9)  # as printed in the reference
    assert [r[0] for r in fitted] == pytest.approx(list(np.exp(np.polyval(c, m))), rel=1e-12)
    assert G(_col(u), _col(m), _col([17, 18])).rows[0][0] == pytest.approx(320196.7184, rel=1e-9)
    assert G(_col(u), _col(m), _col([17, 18])).rows[1][0] == pytest.approx(float(np.exp(np.polyval(c, 18))), rel=1e-12)
    assert evaluate_formula("=SUM(GROWTH(X1:X1))", {"X1": -1.0}) is ERRORS["#NUM!"]


def test_frequency_and_mode_mult_arrays():
    F = FUNCTIONS["FREQUENCY"].impl
    data = _col(CELLS_ROWS_T)
    assert F(data, _col([70, 79, 89])).rows == [[1.0], [2.0], [4.0], [2.0]]  # Microsoft's example
    assert F(data, _col([89, 70, 79])).rows == [[4.0], [1.0], [2.0], [2.0]]  # bins kept in their order
    assert F(data, Area([[None]])).rows == [[0.0], [9.0]]  # no bins: one bin at 0, as Excel does
    assert F(Area([[1.0, "a", True, 2.0]]), _col([1])).rows == [[1.0], [1.0]]
    assert evaluate_formula("=SUM(FREQUENCY(X1:X6,U1:U3))", CELLS) is ERRORS["#N/A"]
    assert FUNCTIONS["MODE.MULT"].impl(_col(CELLS_ROWS_P)).rows == [[1.0], [2.0], [3.0]]


CELLS_ROWS_T = [CELLS[f"T{i}"] for i in range(1, 10)]
CELLS_ROWS_P = [CELLS[f"P{i}"] for i in range(1, 11)]


def test_extreme_parameters_finish_quickly():
    import time
    st = _witness()
    t = time.time()
    # Wilson-Hilferty above shape 1e7: relative error O(1/shape), 1e-7 at df = 3e7
    for df in (3e7, 1e9, 1e10):
        x = float(st.chi2.ppf(0.01, df))
        assert _call("CHISQ.DIST", x, df, True) == pytest.approx(0.01, rel=1e-7)
        assert _call("CHISQ.INV", 0.01, df) == pytest.approx(x, rel=1e-9)
    for args in [("GAMMA.INV", 1e-12, 2.0 ** 53, 0.7), ("BETA.INV", 0.999999, 0.54, 1e300, 1e-12, 1e300),
                 ("GAMMA.DIST", 1e300, 1e-300, 0.2, True)]:
        try:
            _call(*args)
        except XLError as e:
            assert e.error is ERRORS["#NUM!"]
        except (OverflowError, ValueError):
            pass  # the engine turns these into #NUM!
    assert time.time() - t < 20
    assert evaluate_formula("=SUM(MUNIT(1E15))") is ERRORS["#NUM!"]
