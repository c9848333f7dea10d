"""graddesc's spreadsheet formula engine: tokenizer -> parser (AST) -> compiler (Python code,
one function per formula shape) -> evaluator over the cell graph.  General: it knows nothing of
optimizers."""

from graddesc.engine.parser import parse
from graddesc.engine.values import ERRORS, ExcelError
from graddesc.engine.workbook import Workbook


def evaluate_formula(formula: str, cells: dict | None = None, names: dict | None = None):
    """Evaluate one formula, e.g. evaluate_formula("=-2^2") -> 4.0; cells on sheet "Sheet1"."""
    sheet = dict(cells or {})
    sheet["ZZ1"] = formula if formula.startswith("=") else "=" + formula
    wb = Workbook.from_cells({"Sheet1": sheet}, names)
    wb.evaluate()
    return wb.value("Sheet1", "ZZ1")


__all__ = ["ERRORS", "ExcelError", "Workbook", "evaluate_formula", "parse"]
