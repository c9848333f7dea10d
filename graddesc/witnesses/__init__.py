"""Independent spreadsheet applications that recalculate a workbook, to check graddesc's engine.

    libreoffice.py   LibreOffice Calc through UNO (its worker _lo_worker.py runs under Debian's python)
"""
