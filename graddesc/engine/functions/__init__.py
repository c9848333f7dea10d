"""Excel's functions: ONE table, name -> Function (implementation + metadata), filled by one module
per category.  To add a function, write it in its category's module with @fn (see
`base.Function` for the metadata) and add its table test; nothing else changes.

An implementation takes evaluated arguments: scalars (float, str, bool, None for an empty cell or
a missing argument, ExcelError) or Area (the values of a range or an array).  An error argument is
passed as a value: the coercion helpers (to_number, to_text, to_bool) raise it, so it propagates
unless the function looks at it (ISERROR).  The implementation returns a value or raises
XLError(error); the compiled code turns a raised error into the cell's value.  Semantics follow
Excel's documentation; where LibreOffice differs it is noted.
"""

from graddesc.engine.functions.base import (  # noqa: F401
    CTX, FUNCTIONS, Area, Function, broadcast, date_to_serial, finite, fn, number_text, serial_to_date,
    serial_ymd, to_bool, to_number, to_text, unit,
)
from graddesc.engine.functions.maths import power  # noqa: F401

# every category registers its functions on import
from graddesc.engine.functions import (  # noqa: F401,E402
    criteria, database, dates, engineering, financial, info, logic, lookup, maths, stats, text, volatile,
)
# reference functions (INDEX, ROW, OFFSET, ...) register last: they replace any earlier entry
from graddesc.engine.functions import lambdas, reference  # noqa: F401,E402
