"""Independent applications that recalculate a workbook: LibreOffice and Gnumeric."""
