"""Reading and writing .xlsx files: the only place that touches openpyxl or the zip.

model:  plain data describing a workbook (the builder produces it)
writer: model -> .xlsx (openpyxl, then a deterministic re-pack of the zip)
reader: .xlsx/.xlsm -> raw cells, formulas, cached values and names (streaming, hardened)
"""
