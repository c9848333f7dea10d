"""graddesc's spreadsheet formula engine: tokenizer -> parser (AST) -> compiler (Python code,
one function per formula shape) -> evaluator over the cell graph.  General: it knows nothing of
optimizers.

    wb = Workbook.load("book.xlsx").evaluate()      # or Workbook.from_cells({...}, names)
    wb["Sheet1!B7"], wb.get("rate")                   # float, str, bool, ExcelError or None
    wb.set({"Sheet1!A1": 3.0})                        # recomputes only what depends on A1
    wb.not_evaluated(), wb.results()                  # what could not be computed; every formula cell
    evaluate_formula("=-2^2")                         # 4.0
"""

from graddesc.engine.functions import FUNCTIONS
from graddesc.engine.parser import parse
from graddesc.engine.values import ERRORS, ExcelError
from graddesc.engine.workbook import CellResult, External, NotEvaluated, Table, Workbook


def evaluate_formula(formula: str, cells: dict | None = None, names: dict | None = None, sheet: str = "Sheet1"):
    """Evaluate one formula in a one-sheet workbook, e.g. evaluate_formula("=-2^2") -> 4.0.
    cells: {"A1": 1.0, "B1": "=A1*2"} on that sheet; names as for Workbook.from_cells."""
    cells = dict(cells or {})
    cells["ZZ1"] = formula if formula.startswith("=") else "=" + formula
    wb = Workbook.from_cells({sheet: cells}, names)
    wb.evaluate()
    return wb.value(sheet, "ZZ1")


__all__ = ["ERRORS", "CellResult", "ExcelError", "External", "FUNCTIONS", "NotEvaluated", "Table", "Workbook",
           "evaluate_formula", "parse"]
