"""Imported by pytest before any test module: graddesc.xlsx fixes openpyxl's serializer before a
test module imports openpyxl itself (see graddesc/xlsx/__init__.py)."""

import graddesc.xlsx  # noqa: F401
