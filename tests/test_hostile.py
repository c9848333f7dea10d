"""Hostile and broken workbooks: every one gets a one-line error naming the file (and the cell),
exit status 2, no traceback; nothing is expanded, nothing recurses, nothing is written."""

import zipfile

import pytest

from graddesc.cli import main
from graddesc.engine import Workbook
from graddesc.errors import WorkbookError

CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WB = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
      '<sheet name="S" sheetId="1" r:id="rId1"/></sheets>{names}</workbook>')
WB_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'


def xlsx(path, rows="", names="", sheet_xml=None, extra=None, compress=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compress) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB.format(names=names))
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml if sheet_xml is not None else SHEET.format(rows=rows))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def formula_cell(ref, f):
    return f'<row r="{ref[1:]}"><c r="{ref}"><f>{f}</f></c></row>'


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
          '&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'
          '&lol2;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
          '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>')
XXE = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
       '<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


def bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB.format(names=""))
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", SHEET.format(rows="") + " " * (50 * 1024 * 1024))
    return path


CASES = [
    ("missing", lambda p: p / "nope.xlsx", "no such file"),
    ("directory", lambda p: p, "is a directory"),
    ("not a zip", lambda p: _write(p / "a.xlsx", b"hello, not a workbook"), "not an .xlsx file (not a zip archive)"),
    ("empty file", lambda p: _write(p / "a.xlsx", b""), "not an .xlsx file"),
    ("corrupt zip", lambda p: _write(p / "a.xlsx", (xlsx(p / "ok.xlsx").read_bytes())[:300]), "corrupt zip"),
    ("legacy xls / encrypted", lambda p: _write(p / "a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
     "password-protected workbook or legacy .xls"),
    ("zip without workbook", lambda p: _zip(p / "a.xlsx", {"hello.txt": "hi"}), "not a workbook"),
    ("billion laughs", lambda p: xlsx(p / "a.xlsx", sheet_xml=LAUGHS), "declares a DTD"),
    ("external entity", lambda p: xlsx(p / "a.xlsx", sheet_xml=XXE), "declares a DTD"),
    ("zip bomb", lambda p: bomb(p / "a.xlsx"), "zip bomb"),
    ("malformed xml", lambda p: xlsx(p / "a.xlsx", sheet_xml="<worksheet><sheetData><row>"), "not well-formed XML"),
    ("formula too long", lambda p: xlsx(p / "a.xlsx", formula_cell("B7", "1+" * 5000 + "1")),
     "S!B7: formula longer than 8192 characters"),
]


def _write(path, data):
    path.write_bytes(data)
    return path


def _zip(path, parts):
    with zipfile.ZipFile(path, "w") as z:
        for k, v in parts.items():
            z.writestr(k, v)
    return path


@pytest.mark.parametrize("command", ["verify", "recalc"])
@pytest.mark.parametrize("label,make,message", CASES, ids=[c[0] for c in CASES])
def test_unreadable_workbooks(tmp_path, capsys, command, label, make, message):
    path = make(tmp_path)
    if command == "recalc" and label == "directory":  # recalc audits the workbooks in a folder
        message = "no .xlsx/.xlsm workbook found"
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main([command, str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("graddesc: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert message in err and str(path) in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_entities_are_never_expanded(tmp_path):
    with pytest.raises(WorkbookError, match="DTD"):
        Workbook.load(xlsx(tmp_path / "a.xlsx", sheet_xml=LAUGHS))


FORMULA_CASES = [
    ("deep nesting", "(" * 3000 + "1" + ")" * 3000, "S!B2: formula nested too deeply"),
    ("unknown function", "1+FOO(2)", "S!B2: unknown function FOO()"),
    ("syntax", "1+*2", "S!B2:"),
    ("array constant", "SUM({1,2)", "S!B2: expected ',', ';' or '}' in an array constant"),
]


@pytest.mark.parametrize("label,formula,message", FORMULA_CASES, ids=[c[0] for c in FORMULA_CASES])
def test_bad_formulas_name_the_cell(tmp_path, capsys, label, formula, message):
    path = xlsx(tmp_path / "a.xlsx", '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f>' + formula + "</f></c></row>")
    with pytest.raises(Exception) as e:
        Workbook.load(path).evaluate()
    assert message in str(e.value)
    assert main(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    # recalc is lenient: it reports the cell and carries on (exit 1: a cell was not evaluated)
    assert main(["recalc", str(path), "--compare-cached", "--json"]) == 1
    out = capsys.readouterr().out
    assert "S!B2" in out


def test_circular_reference_names_cells(tmp_path, capsys):
    rows = ('<row r="1"><c r="A1"><f>B1+1</f></c><c r="B1"><f>C1*2</f></c><c r="C1"><f>A1</f></c>'
            '<c r="D1"><f>1+1</f><v>2</v></c></row>')
    path = xlsx(tmp_path / "a.xlsx", rows)
    assert main(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert "circular reference" in err and "S!A1" in err and "S!B1" in err and "S!C1" in err
    assert main(["recalc", str(path), "--compare-cached", "--json"]) == 1  # 3 cells not evaluated
    out = capsys.readouterr().out
    assert "circular reference" in out and '"agree": 1' in out


def test_not_a_graddesc_workbook(tmp_path, capsys):
    path = xlsx(tmp_path / "a.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    assert main(["verify", str(path)]) == 2
    assert "no 'data' sheet: not a graddesc workbook" in capsys.readouterr().err
