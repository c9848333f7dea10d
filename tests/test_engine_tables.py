"""Structured references to tables (Table1[Col], [@Col], Table1[[#This Row],[Col]], #All, #Data,
#Headers, #Totals, column ranges, escaped names) and references to other workbooks ([1]Sheet!A1)
evaluated from the values the file cached from them.  Expected values follow Excel's documented
meaning of each specifier."""

import pytest

from graddesc.engine import Workbook
from graddesc.engine.workbook import External, Table

# Sales: B2:E6 with a header row (2), data rows 3..5, a totals row (6)
#   B: Region  C: Units  D: Unit Cost  E: Total (=[@Units]*[@[Unit Cost]])
CELLS = {"B2": "Region", "C2": "Units", "D2": "Unit Cost", "E2": "Total", "F2": "[Odd]",
         "B3": "East", "C3": 10.0, "D3": 2.0, "E3": "=[@Units]*[@[Unit Cost]]", "F3": 1.0,
         "B4": "West", "C4": 20.0, "D4": 3.0, "E4": "=Sales[[#This Row],[Units]]*Sales[[#This Row],[Unit Cost]]", "F4": 2.0,
         "B5": "North", "C5": 30.0, "D5": 4.0, "E5": "=Sales[@Units]*Sales[@[Unit Cost]]", "F5": 3.0,
         "B6": "Total", "C6": "=SUBTOTAL(109,[Units])", "E6": "=SUM(Sales[Total])"}
SALES = Table("Sales", "Sales", "S", 0, (2, 2, 6, 6), ("Region", "Units", "Unit Cost", "Total", "[Odd]"), 1, 1)

TABLE = [
    ("=SUM(Sales[Units])", 60.0), ("=SUM(Sales[Total])", 200.0), ("=E6", 200.0), ("=C6", 60.0),
    ("=SUM(Sales[[Units]:[Unit Cost]])", 69.0), ("=COUNTA(Sales[#All])", 23.0), ("=COUNTA(Sales[#Headers])", 5.0),
    ("=COUNTA(Sales[#Data])", 15.0), ("=COUNTA(Sales[])", 15.0), ("=Sales[[#Totals],[Units]]", 60.0),
    ("=SUM(Sales[[#Data],[#Totals],[Units]])", 120.0), ("=SUM(Sales[[#Headers],[#Data],[Units]])", 60.0),
    ("=ROWS(Sales[[#All],[Units]])", 5.0), ("=COLUMNS(Sales[#All])", 5.0),
    ("=SUM(Sales['[Odd']])", 6.0), ("=SUM(Sales[nope])", "#REF!"), ("=SUM(Nosuch[Units])", "#REF!"),
    ("=SUM(sales[UNITS])", 60.0), ("=COUNTA(Sales)", 15.0), ("=ROWS(Sales)", 3.0),
]


def _book(formula=None, at="H1"):
    cells = dict(CELLS)
    if formula:
        cells[at] = formula
    wb = Workbook.from_cells({"S": cells})
    wb.tables["sales"] = SALES
    return wb.evaluate()


@pytest.mark.parametrize("formula,expected", TABLE, ids=[f for f, _ in TABLE])
def test_formula(formula, expected):
    got = _book(formula).value("S", "H1")
    if isinstance(expected, float):
        assert type(got) is float and got == pytest.approx(expected, rel=1e-15, abs=0), got
    else:
        assert str(got) == expected, got


def test_this_row_is_the_formulas_row():
    wb = _book()
    assert [wb.value("S", f"E{r}") for r in (3, 4, 5)] == [20.0, 60.0, 120.0]
    assert str(_book("=[@Units]", at="H9").value("S", "H9")) == "#REF!"  # no table holds H9
    assert str(_book("=Sales[@Units]", at="H9").value("S", "H9")) == "#VALUE!"  # row 9 is no data row
    assert _book("=Sales[@Units]*2", at="H4").value("S", "H4") == 40.0  # beside the table, in row 4


def test_implicit_intersection_of_a_table_column():
    assert _book("=Sales[Units]+1", at="H5").value("S", "H5") == 31.0
    assert str(_book("=Sales[Units]+1", at="H9").value("S", "H9")) == "#VALUE!"


def test_references_to_other_workbooks_use_their_cached_values():
    ext = External(1, "other.xlsx", ("Prices",), {("prices", 1, 1): 2.5, ("prices", 2, 1): 4.0},
                   {("rate", None): "Prices!$A$2"})
    wb = Workbook.from_cells({"S": {"A1": "=[1]Prices!$A$1*2", "A2": "=SUM('[1]Prices'!A1:A3)", "A3": "=[1]!rate",
                                    "A4": "=[1]Nosheet!A1", "A5": "=[2]Prices!A1", "A6": "=[1]!nosuch"}})
    wb.externals[1] = ext
    wb.evaluate()
    assert wb.value("S", "A1") == 5.0 and wb.value("S", "A2") == 6.5 and wb.value("S", "A3") == 4.0
    assert str(wb.value("S", "A4")) == "#REF!" and str(wb.value("S", "A5")) == "#REF!"
    assert str(wb.value("S", "A6")) == "#NAME?"
