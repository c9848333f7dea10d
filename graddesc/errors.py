"""Errors a user can cause.  Every GraddescError becomes one line and exit status 2 in the CLI."""


class GraddescError(Exception):
    """Bad input: a one-line message naming what is wrong and where."""


class InputError(GraddescError):
    """A bad command-line value, hyperparameter or data file."""


class WorkbookError(GraddescError):
    """A workbook that cannot be read safely (missing, not a zip, corrupt, hostile, encrypted)."""


class FormulaError(GraddescError):
    """A formula the engine cannot handle; the message names the cell (Sheet!A1)."""

    def __init__(self, cell, message):
        self.cell = cell
        super().__init__(f"{cell}: {message}")


class UnknownFunctionError(FormulaError):
    def __init__(self, cell, name):
        self.function = name
        super().__init__(cell, f"unknown function {name}()")


class CircularReferenceError(FormulaError):
    def __init__(self, cycle):
        self.cycle = list(cycle)
        super().__init__(self.cycle[0], "circular reference: " + " -> ".join(self.cycle))
