"""graddesc: gradient-descent optimizers as live spreadsheet formulas, verified against numpy."""

__version__ = "0.1.0"
