"""`graddesc recalc` on workbooks saved by a real spreadsheet application (LibreOffice), so their
cached values are an application's, covering the features real workbooks use."""

import json
import re
import zipfile

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from graddesc.cli import main
from graddesc.engine import Workbook
from graddesc.recalc import recalc
from tests.witnesses import require_libreoffice


def feature_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data sheet"
    for i in range(1, 11):
        ws[f"A{i}"] = i * 1.5
        ws[f"B{i}"] = f"=A{i}*2"  # becomes a run of similar formulas
    ws["C1"] = True
    ws["C2"] = "hello"
    ws["C3"] = 0.1
    calc = wb.create_sheet("Calc")
    calc["A1"] = "=SUM('Data sheet'!A1:A10)"
    calc["A2"] = "=SUM('Data sheet'!A:A)"  # whole column
    calc["A3"] = "=rate*2"  # workbook-level name
    calc["A4"] = "=local+1"  # sheet-scoped name: Calc's wins here
    calc["A5"] = "='Data sheet'!C1+1"  # boolean in arithmetic
    calc["A6"] = "='Data sheet'!C2&\" world\""  # string
    calc["A7"] = "='Data sheet'!D1+5"  # empty cell is 0
    # text is not counted.  (Booleans in a range are not counted by Excel but are by LibreOffice, which
    # stores TRUE as the number 1: the engine follows Excel, so no boolean in this range.)
    calc["A8"] = "=COUNT('Data sheet'!A1:B10,'Data sheet'!C2:C3)"
    calc["A9"] = "=1/0"  # error value
    calc["A10"] = "=A9+1"  # depends on an error
    calc["A11"] = "=RAND()"  # volatile
    calc["A12"] = "=A11*2"  # depends on a volatile cell
    calc["A13"] = "=NOW()"
    calc["A14"] = "=IF(A1>10,\"big\",\"small\")"
    calc["A15"] = "=AVERAGE('Data sheet'!B1:B10)"
    calc["A16"] = "=broken+1"  # a name that refers to #REF!
    calc["A17"] = "=SUMPRODUCT('Data sheet'!A1:A10,'Data sheet'!B1:B10)"
    calc["A18"] = "=MAX('Data sheet'!A1:A10)-MIN('Data sheet'!A1:A10)"
    calc["A19"] = "=-2^2+2^3^2"
    calc["A20"] = "=OFFSET(A1,1,0)"
    ws2 = wb.create_sheet("Other")
    ws2["A1"] = 100
    ws2["B1"] = "=local*3"  # workbook-level `local` (no sheet-scoped one here)
    wb.defined_names["rate"] = DefinedName("rate", attr_text="'Data sheet'!$C$3")
    wb.defined_names["local"] = DefinedName("local", attr_text="Other!$A$1")
    calc.defined_names["local"] = DefinedName("local", attr_text="'Data sheet'!$A$2")
    wb.defined_names["broken"] = DefinedName("broken", attr_text="#REF!")
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def lo_saved(tmp_path_factory):
    lo = require_libreoffice()
    d = tmp_path_factory.mktemp("recalc")
    src = feature_workbook(d / "made.xlsx")
    out = d / "saved_by_libreoffice.xlsx"
    lo.save_recalculated(src, out)
    return out


def test_agrees_with_libreoffice_cached_values(lo_saved, capsys):
    wb, rep = recalc(lo_saved, compare_cached=True)
    assert rep.ok, rep.mismatches
    skipped = {s["cell"]: s["reason"] for s in rep.skipped}
    assert "volatile" in skipped["Calc!A11"] and "volatile" in skipped["Calc!A12"]
    assert "volatile" in skipped["Calc!A13"]
    assert "Calc!A20" not in skipped  # OFFSET: volatile in Excel, but evaluated and compared
    assert "Calc!A9" not in skipped and "Calc!A10" not in skipped  # cached #DIV/0!: compared, and agree
    assert rep.compared >= 25 and rep.agree == rep.compared
    assert wb.value("Calc", "A4") == 4.0  # sheet-scoped `local` = 'Data sheet'!A2 (3.0) + 1
    assert wb.value("Other", "B1") == 300.0
    assert wb.value("Calc", "A2") == wb.value("Calc", "A1") == 82.5
    assert wb.value("Calc", "A6") == "hello world" and wb.value("Calc", "A5") == 2.0
    assert str(wb.value("Calc", "A16")) == "#REF!"
    assert wb.value("Calc", "A19") == 68.0
    assert main(["recalc", str(lo_saved), "--compare-cached", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"compared", "agree", "mismatches", "skipped"} <= set(report)
    assert report["mismatches"] == [] and report["agree"] == report["compared"]


def _set_cached(path, out, sheet_part, cell, value):
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == sheet_part:
                text = data.decode()
                pattern = re.compile(r'(<c r="' + cell + r'"[^>]*>.*?<v>)([^<]*)(</v>)', re.S)
                text, n = pattern.subn(lambda m: m.group(1) + value + m.group(3), text, count=1)
                assert n == 1
                data = text.encode()
            zout.writestr(info, data)


def test_agrees_with_libreoffice_on_the_committed_workbook(tmp_path):
    """graddesc's own workbook (28 sheets, 20 epochs) after LibreOffice recalculated and saved it:
    every formula cell's cached value is LibreOffice's, and the engine, computing from the inputs
    as saved, agrees with each within recalc's 1e-9 relative (LibreOffice writes 15 significant
    digits).  The whole workbook, not a short build: the learned sheet's LSTM once turned weights
    of 17 digits, cut to 15 by the save, into differences of 3e-9 from step 260 on."""
    import os

    lo = require_libreoffice()
    committed = os.path.join(os.path.dirname(os.path.dirname(__file__)), "workbooks", "graddesc.xlsx")
    saved = tmp_path / "saved.xlsx"
    lo.save_recalculated(committed, saved)
    wb, rep = recalc(saved, compare_cached=True)
    formula_cells = sum(1 for s in wb.sheet_names for _ in wb.formula_cells(s))
    assert rep.mismatches == [] and rep.skipped == [] and rep.ok
    assert rep.compared == rep.agree == formula_cells > 250_000


def test_stale_cached_value_is_reported(lo_saved, tmp_path, capsys):
    stale = tmp_path / "stale.xlsx"
    _set_cached(lo_saved, stale, "xl/worksheets/sheet2.xml", "A1", "999")
    assert main(["recalc", str(stale), "--compare-cached", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [m["cell"] for m in report["mismatches"]] == ["Calc!A1"]
    m = report["mismatches"][0]
    assert m["cached"] == 999.0 and m["computed"] == 82.5 and "SUM(" in m["formula"]
    assert main(["recalc", str(stale), "--compare-cached"]) == 1
    assert "DISAGREE Calc!A1" in capsys.readouterr().out


def test_output_copy_carries_the_engines_values(lo_saved, tmp_path):
    stale = tmp_path / "stale.xlsx"
    _set_cached(lo_saved, stale, "xl/worksheets/sheet2.xml", "A1", "999")
    fixed = tmp_path / "fixed.xlsx"
    assert main(["recalc", str(stale), "-o", str(fixed)]) == 0
    _, rep = recalc(fixed, compare_cached=True)
    assert rep.ok and rep.agree == rep.compared
    assert openpyxl.load_workbook(fixed, data_only=True)["Calc"]["A1"].value == 82.5
    assert openpyxl.load_workbook(fixed)["Calc"]["A1"].value.startswith("=SUM(")


def test_shared_formulas_are_expanded(tmp_path):
    """Excel and LibreOffice store runs of similar formulas once (t="shared"); each cell must get
    its own, shifted formula."""
    from tests.test_hostile import xlsx

    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c>'
        + (f'<c r="B{r}"><f t="shared" ref="B1:B5" si="0">A1*2+$A$1</f><v>0</v></c>' if r == 1 else
           f'<c r="B{r}"><f t="shared" si="0"/><v>0</v></c>') + "</row>" for r in range(1, 6))
    wb = Workbook.load(xlsx(tmp_path / "s.xlsx", rows)).evaluate()
    assert [wb.value("S", f"B{r}") for r in range(1, 6)] == [r * 2 + 1.0 for r in range(1, 6)]
    assert wb.formula("S", "B4") == "=A4*2+$A$1"
