"""Gnumeric, the third application: with the cached values removed it computes every formula of the
committed workbook itself, and agrees with the engine on every formula cell (1e-6 relative or
1e-12 absolute; why those numbers: verify.GN_RTOL).  Skips when Gnumeric is absent; CI requires it."""

import json
from pathlib import Path

from graddesc import verify
from graddesc.cli import main
from tests.witnesses import require_gnumeric

COMMITTED = Path(__file__).resolve().parents[1] / "workbooks" / "graddesc.xlsx"


def test_gnumeric_agrees_with_the_engine_on_every_formula_cell(capsys):
    require_gnumeric()
    assert main(["verify", str(COMMITTED), "--gnumeric", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    gn = rep["gnumeric"]
    assert gn["mismatch_count"] == 0
    assert gn["cells"] > 250_000  # every formula cell of the default build, not a sample
    assert gn["max_rel_diff"] < 1e-7  # measured 5.3e-9: a hundred times inside the tolerance


def test_gnumeric_computes_its_own_numbers(tmp_path):
    """The copy Gnumeric opens has no cached values, so its numbers are its own: a formula whose
    cached value is stale in the file still comes back right."""
    gnumeric = require_gnumeric()
    from graddesc.engine import Workbook

    values = gnumeric.recalculate(COMMITTED)
    wb = Workbook.load(COMMITTED).evaluate()
    addr, formula, mine = next(c for c in wb.formula_cells("sgd") if isinstance(c[2], float) and c[2] != 0)
    check = verify.gnumeric_check(wb, values)
    assert check.cells == sum(1 for s in wb.sheet_names for _ in wb.formula_cells(s))
    # a tampered value is caught
    row, col = verify._rowcol(addr)
    values["sgd"][(row, col)] = mine * (1 + 1e-5)
    check = verify.gnumeric_check(wb, values)
    assert [(m.sheet, m.cell) for m in check.mismatches] == [("sgd", addr)]


def test_links_survive_a_libreoffice_round_trip(tmp_path):
    """The intro's and compare's links to other sheets, saved back by LibreOffice, still point at
    those sheets (as location=, Excel's form)."""
    import re
    import zipfile

    from tests.witnesses import require_libreoffice

    lo = require_libreoffice()
    out = tmp_path / "lo.xlsx"
    lo.save_recalculated(COMMITTED, out)
    with zipfile.ZipFile(out) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        names = re.findall(rb'<sheet [^>]*name="([^"]+)"', z.read("xl/workbook.xml"))
    targets = re.findall(rb'<hyperlink [^>]*location="(?:&apos;|\')?([^&\'!"]+)', xml)
    assert len(targets) >= 50
    assert set(targets) <= set(names)
