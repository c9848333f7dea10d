"""Reading and writing .xlsx files: the only place that touches openpyxl or the zip.

model:  plain data describing a workbook (the builder produces it)
writer: model -> .xlsx (openpyxl, then a deterministic re-pack of the zip)
reader: .xlsx/.xlsm -> raw cells, formulas, cached values and names (streaming, hardened)
"""

import os as _os

# openpyxl serializes with lxml when lxml is importable, and its XML then differs byte for byte
# (namespace declarations, "<a/>" vs "<a />"): the same build would give different files on
# machines that differ only in having lxml.  graddesc's files are byte-identical everywhere, so
# openpyxl's own serializer is chosen before openpyxl is first imported (a user can still set
# OPENPYXL_LXML themselves; the files are equally valid, only not byte-identical to ours).
_os.environ.setdefault("OPENPYXL_LXML", "False")
