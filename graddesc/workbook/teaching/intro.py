"""The intro sheet: what the workbook is, how to read and change it, a linked table of contents."""

from __future__ import annotations

from graddesc.optimizers import Optimizer
from graddesc.workbook import layout
from graddesc.workbook.layout import COMPARE, DATA_SHEET, GLOBAL, INTRO, SPARSE
from graddesc.workbook.teaching.common import (
    link,
    put_lines,
)
from graddesc.xlsx.model import Cell, Sheet


def intro_sheet(opts: list[Optimizer], n: int, epochs: int) -> Sheet:
    sh = Sheet(INTRO)
    sh.put(1, 1, Cell("graddesc: gradient descent, one step per row, as live formulas", "title"))
    sh.tab_color = "1F3864"
    names = {o.name for o in opts}
    lines = [
        (f"Each optimizer sheet fits a line y = a*x + b to the {n} points of the data sheet by gradient descent:", "text"),
        (f"one sample per step, {epochs} {'pass (epoch)' if epochs == 1 else 'passes (epochs)'} over the data.", "text"),
        ("Every number is a live formula: change an input (a yellow cell) and the whole workbook recalculates.",
         "text"),
        "",
        ("The idea in one paragraph", "label"),
        "The loss e = (a*x + b - y)^2 says how wrong the line is on one sample. Its slope (the gradient de/da, de/db)",
        "says which way is uphill for a and for b. Gradient descent takes a small step the other way: new a = a - lr * de/da.",
        "Repeat, and a and b slide down to the bottom of the loss valley, where the line fits the data (true a = 2, b = 30).",
        "The optimizers differ only in how they turn the slope into a step: momentum keeps a running velocity;",
        "Adagrad, RMSProp and Adam divide by the typical size of each parameter's gradient, so each parameter gets its own step.",
        "",
        ("How to read an optimizer sheet", "label"),
        f"Row {layout.HYPER_VALUE_ROW} (yellow): the hyperparameters. They are named cells (e.g. adam_lr): every formula uses the name.",
        f"From row {layout.START_ROW} down: one row = one step on one sample. The row marked 'start' is step 0.",
        "Left to right each column feeds only later ones: x, y (this step's sample) -> a, b (the previous row's new a, new b)",
        "   -> prediction -> loss -> gradients de/db, de/da -> the optimizer's own columns -> new a, new b.",
        "Hover over a column header for its formula in words. Red cells: the run diverged (above 1E6, or an error).",
        "",
        ("How to experiment", "label"),
        "Change a yellow cell and watch the charts: e.g. sgd_lr on the sgd sheet from 0.0001 to 0.0002: b climbs faster;",
        "   at 0.0003 the run diverges within 20 epochs (red cells). Put it back to 0.0001.",
        "start_a, start_b on the data sheet: where every optimizer starts. x and y on the data sheet: the data itself.",
        "The compare sheet shows every optimizer side by side; its tolerance compare_tol is yours to change too.",
        "",
        ("How the numbers are checked", "label"),
        "graddesc verify evaluates every formula with graddesc's own formula engine and compares it, cell by cell, with the",
        "   same optimizer written in numpy from the maths (not from the formulas). graddesc verify --libreoffice has",
        "   LibreOffice recalculate the file as an independent witness. The tests also check each numpy optimizer against",
        "   torch.optim, step by step (torch parity).",
        "",
    ]
    row = put_lines(sh, 2, lines)
    sh.put(row, 1, Cell("Sheets", "label"))
    row += 1
    sh.put(row, 1, Cell("sheet", "header"))
    sh.put(row, 2, Cell("what it shows", "header"))
    row += 1
    toc = [(DATA_SHEET, "the data (x, y), start_a, start_b and the true a, b: every optimizer sheet reads them")]
    for o in opts:
        label = f" ({o.label})" if o.label and o.label not in o.title else ""
        toc.append((o.name, o.title + label))
    toc += [(COMPARE, "all optimizers from the same start: loss per epoch, final a and b, first step within a tolerance"),
            (SPARSE, "a rarely non-zero feature: why Adagrad gives rarely-updated parameters larger steps"),
            (GLOBAL, "several local minima: many starts, best of N, how local a minimum is, simulated annealing")]
    for name, what in toc:
        sh.put(row, 1, Cell(name, "link", link=link(name)))
        sh.put(row, 2, Cell(what, "text"))
        row += 1
    row += 1
    sh.put(row, 1, Cell("Questions this workbook answers", "label"))
    row += 1
    sh.put(row, 1, Cell("sheet", "header"))
    sh.put(row, 2, Cell("question", "header"))
    row += 1
    qs = [(SPARSE, "Adagrad gives 'larger updates to infrequent parameters': what does infrequent mean?"),
          (SPARSE, "Big gradients get the learning rate shrunk most, but big gradients mean far from the optimum: "
                   "why slow down there?"),
          (COMPARE, "Why prefer RMSProp over Adagrad (or Adadelta)?"),
          (INTRO, "Is there a simple explanation of the technique? (the paragraph at the top of this sheet)"),
          (GLOBAL, "Can a method search for the global minimum, or tell how local a local minimum is?")]
    if "adam_sgdr" in names:
        qs.append(("adam_sgdr", "Warm restarts (SGDR): a learning rate that jumps back up to escape narrow valleys"))
    for name, q in qs:
        sh.put(row, 1, Cell(name, "link", link=link(name)))
        sh.put(row, 2, Cell(q, "text"))
        row += 1
    sh.widths = {"A": 14, "B": 100}
    return sh
