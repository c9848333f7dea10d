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
from graddesc.recalc import UNREPRODUCIBLE, recalc
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
    assert skipped["Calc!A11"] == skipped["Calc!A12"] == skipped["Calc!A13"] == UNREPRODUCIBLE  # RAND, NOW
    assert "Calc!A20" not in skipped  # OFFSET: volatile in Excel, but evaluated and compared
    assert rep.unreproducible == 3 and rep.agreement == 1.0
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


# ------------------------------------------------------------------------------ recalc never passes unchecked

def _book(path, rows, application=None):
    """A one-sheet workbook (sheet S) written by hand, optionally saying which program saved it."""
    from tests.test_hostile import CT, SHEET, WB, WB_RELS

    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/>'
            + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               'extended-properties" Target="docProps/app.xml"/>' if application else '') + '</Relationships>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", WB.format(names=""))
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", SHEET.format(rows=rows))
        if application:
            z.writestr("docProps/app.xml", '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
                                           f'2006/extended-properties"><Application>{application}</Application>'
                                           '</Properties>')
    return path


def test_boolean_cached_beside_an_error_does_not_crash(tmp_path, capsys):
    """The 6 corpus crashes: _same() called float() on the computed error value when the cached
    value was a boolean.  Now a boolean and an error simply disagree, whichever side is which."""
    rows = ('<row r="1"><c r="A1" t="b"><f>1/0</f><v>1</v></c><c r="B1" t="e"><f>TRUE</f><v>#N/A</v></c>'
            '<c r="C1" t="b"><f>1=1</f><v>1</v></c><c r="D1" t="b"><f>1</f><v>1</v></c></row>')
    path = _book(tmp_path / "b.xlsx", rows)
    _, rep = recalc(path, compare_cached=True)
    assert rep.compared == 4 and rep.agree == 1  # C1: TRUE = TRUE
    assert {m["cell"]: (m["cached"], m["computed"]) for m in rep.mismatches} == {
        "S!A1": (True, "#DIV/0!"), "S!B1": ("#N/A", True), "S!D1": (True, 1.0)}  # Excel keeps TRUE and 1 apart
    assert main(["recalc", str(path), "--compare-cached"]) == 1
    assert "DISAGREE S!A1" in capsys.readouterr().out


def test_cached_errors_are_compared_and_libreoffice_codes_named(tmp_path):
    rows = ('<row r="1"><c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="B1" t="e"><f>NA()</f><v>#N/A</v></c>'
            '<c r="C1" t="e"><f>SQRT(-1)</f><v>#VALUE!</v></c><c r="D1"><f>1=1</f><v>1</v></c></row>')
    _, rep = recalc(_book(tmp_path / "x.xlsx", rows, "Microsoft Excel"), compare_cached=True)
    assert (rep.compared, rep.agree) == (4, 2)  # the same code agrees; C1's differs; D1 is a number
    assert [m["cell"] for m in rep.mismatches] == ["S!C1", "S!D1"] and "note" not in rep.mismatches[0]
    _, rep = recalc(_book(tmp_path / "lo.xlsx", rows, "LibreOffice/7.6.4.1$Linux_X86_64"), compare_cached=True)
    assert rep.application.startswith("LibreOffice") and (rep.compared, rep.agree) == (4, 3)  # LO stores TRUE as 1
    (m,) = rep.mismatches
    assert m["cell"] == "S!C1" and m["cached"] == "#VALUE!" and m["computed"] == "#NUM!"
    assert m["note"] == "saved by LibreOffice, which wrote #VALUE! where Excel, the engine's reference, gives #NUM!"


def test_without_compare_the_report_lists_what_was_not_evaluated(tmp_path, capsys):
    rows = ('<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f><v>4</v></c><c r="C1"><f>NOSUCHFN(A1)</f>'
            '<v>1</v></c><c r="D1"><f>C1+1</f><v>2</v></c><c r="E1"><f>F1</f><v>0</v></c><c r="F1"><f>E1</f>'
            '<v>0</v></c><c r="G1"><f>[1]Other!A1</f><v>3</v></c><c r="H1"><f>G1+1</f><v>4</v></c></row>')
    path = _book(tmp_path / "n.xlsx", rows)
    _, rep = recalc(path)
    kinds = {n["cell"]: n["kind"] for n in rep.not_evaluated}
    assert kinds == {"S!C1": "unsupported", "S!D1": "unsupported", "S!E1": "circular", "S!F1": "circular",
                     "S!G1": "external", "S!H1": "external"}
    reasons = {n["cell"]: n["reason"] for n in rep.not_evaluated}
    assert reasons["S!G1"] == "external workbook [1]: the file holds no values from it (#REF!)"
    assert reasons["S!H1"] == "depends on S!G1 (external workbook [1])"
    assert not rep.ok
    assert main(["recalc", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("INCOMPLETE: 1 of 7 formula cells evaluated")
    assert "6 not evaluated (2 circular, 2 external, 2 unsupported)" in out
    assert "NOT EVALUATED S!C1 (unsupported): unknown function NOSUCHFN()" in out
    clean = _book(tmp_path / "c.xlsx", '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f><v>4</v></c></row>')
    assert main(["recalc", str(clean)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "OK: 1 of 1 formula cells evaluated (not compared: use --compare-cached)")


def test_compare_cached_without_cached_values_says_so(tmp_path, capsys):
    path = _book(tmp_path / "n.xlsx", '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f></c></row>')
    _, rep = recalc(path, compare_cached=True)
    assert rep.no_cached_values and not rep.ok and rep.compared == 0
    assert main(["recalc", str(path), "--compare-cached"]) == 1
    assert "NO CACHED VALUES" in capsys.readouterr().out


def test_output_never_carries_an_old_cached_value_silently(tmp_path, capsys):
    rows = ('<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f><v>999</v></c><c r="C1"><f>NOSUCHFN(A1)</f>'
            '<v>7</v></c><c r="D1"><f>C1+1</f><v>8</v></c></row>')
    path, out = _book(tmp_path / "o.xlsx", rows), tmp_path / "out.xlsx"
    assert main(["recalc", str(path), "-o", str(out)]) == 1  # written, but incomplete
    text = capsys.readouterr().out
    assert f"wrote {out}; 2 cells written without a value" in text and "S!C1, S!D1" in text
    copy = Workbook.load(out)
    assert copy.cached("S", "B1") == 4.0 and copy.cached("S", "C1") is None and copy.cached("S", "D1") is None
    assert copy.formula("S", "C1") == "=NOSUCHFN(A1)"


def test_unreproducible_cells_are_left_out_other_volatile_ones_count(tmp_path):
    """RAND/RANDBETWEEN/NOW/TODAY and their dependants are not in the agreement's denominator; every
    other cell with a cached value is, evaluated or not."""
    rows = ('<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>RAND()</f><v>0.7</v></c><c r="C1"><f>B1*2</f>'
            '<v>1.4</v></c><c r="D1"><f>TODAY()-TODAY()</f><v>0</v></c><c r="E1"><f>A1+1</f><v>3</v></c>'
            '<c r="F1"><f>NOSUCHFN(1)</f><v>1</v></c><c r="G1"><f>"RAND()"&amp;A1</f><v>RAND()2</v></c>'
            '<c r="H1"><f>A1</f></c></row>')
    _, rep = recalc(_book(tmp_path / "r.xlsx", rows), compare_cached=True)
    assert (rep.formulas, rep.cached, rep.unreproducible) == (7, 6, 3)
    assert (rep.compared, rep.agree) == (2, 2)  # E1 and G1 ("RAND()" in a string is text)
    assert rep.agreement == 2 / 3  # F1 was not evaluated: it counts as not agreeing
    reasons = {s["cell"]: s["reason"] for s in rep.skipped}
    assert reasons["S!B1"].startswith("RAND/") and reasons["S!C1"].startswith("RAND/")
    assert reasons["S!H1"] == "no cached value in the file"


def test_array_formula_cells_are_compared(tmp_path):
    """Each cell of an array formula's range is compared with what the file cached there (the
    counts are separate from the formula cells'); a one-cell array is an ordinary formula cell."""
    rows = ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="array" ref="B1">SUM(A1:A2*2)</f><v>6</v></c>'
            '<c r="C1"><f t="array" ref="C1:C2">A1:A2*3</f><v>3</v></c></row>'
            '<row r="2"><c r="A2"><v>2</v></c><c r="C2"><v>6</v></c></row>')
    _, rep = recalc(_book(tmp_path / "a.xlsx", rows), compare_cached=True)
    assert rep.formulas == 2 and rep.compared == rep.agree == 2
    assert rep.array_compared == rep.array_agree == 1 and rep.ok
    stale = _book(tmp_path / "s.xlsx", rows.replace("<v>6</v>", "<v>99</v>"))
    _, rep = recalc(stale, compare_cached=True, output=tmp_path / "o.xlsx")
    assert rep.array_mismatches == [{"cell": "S!C2", "formula": "A1:A2*3", "cached": 99.0, "computed": 6.0,
                                     "array": "S!C1"}] and not rep.ok
    assert Workbook.load(tmp_path / "o.xlsx").cached("S", "C2") == 6.0  # -o rewrites the array's cells too


def test_many_workbooks_one_summary_table(tmp_path, capsys, monkeypatch):
    from graddesc import recalc as recalc_mod

    d = tmp_path / "books"
    d.mkdir()
    _book(d / "good.xlsx", '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f><v>4</v></c></row>')
    _book(d / "half.xlsx", '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f><v>4</v></c>'
                           '<c r="C1"><f>NOSUCHFN(1)</f><v>4</v></c></row>')
    (d / "broken.xlsx").write_bytes(b"not a zip")
    (d / "notes.txt").write_text("ignored")
    assert main(["recalc", str(d), "--jobs", "2"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:7] == ["file", "formulas", "cached", "compared", "agree", "agree", "%"]
    row = {ln.split()[0]: ln.split() for ln in lines[2:5]}
    assert row["good.xlsx"][1:6] == ["1", "1", "1", "1", "100.0%"]
    assert row["half.xlsx"][1:6] == ["2", "2", "1", "1", "50.0%"]
    assert "unreadable" in " ".join(row["broken.xlsx"])
    assert [ln for ln in lines if ln.startswith("total (3 files)")][0].split()[3:8] == ["3", "3", "2", "2", "66.7%"]
    assert "crashes: 0; unreadable files: 1" in out and "1  not evaluated (unsupported): unknown function NOSUCHFN()" in out
    assert main(["recalc", str(d / "good.xlsx"), str(d / "good.xlsx")]) == 0
    capsys.readouterr()
    # a crash of the engine on one file is a row of the table, not the end of the audit
    real = recalc_mod.recalc

    def crashing(path, **kw):
        if str(path).endswith("half.xlsx"):
            raise ZeroDivisionError("boom")
        return real(path, **kw)

    monkeypatch.setattr(recalc_mod, "recalc", crashing)
    rows = recalc_mod.audit(recalc_mod.workbook_paths([d]), jobs=1)
    assert [r["crash"] for r in rows] == [None, None, "ZeroDivisionError: boom"]
    assert "crashes: 1" in recalc_mod.summary_table(rows)
    assert main(["recalc", str(d / "missing.xlsx"), str(d)]) == 2
    assert "missing.xlsx: no such file or folder" in capsys.readouterr().err
