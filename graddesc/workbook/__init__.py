"""Everything that lays out graddesc.xlsx.

    layout.py           where things are: rows, columns and named cells of every sheet, declared once;
                        read by the sheet builders and by verify's numpy mirror
    build.py            build(data, epochs, ...) -> model; build_file() evaluates and writes it
    data_sheet.py       the data sheet (x, y, start and true values)
    optimizer_sheet.py  one sheet per optimizer: hyperparameters, step table, epoch table, charts
    teaching/           intro, compare, sparse, global_min: one module per sheet, each with the numpy
                        value of its formulas (expected_cells / expected_text in teaching/__init__)

Dependencies point down: build -> teaching, optimizer_sheet, data_sheet -> layout -> optimizers,
problem, xlsx.model.
"""
