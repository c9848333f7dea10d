"""graddesc.xlsx.reader: workbooks written by openpyxl and by hand (shared formulas, inline and rich
strings, cells without r=, scoped names, cached values, error cells), and hostile files."""

import struct
import zipfile

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName as OpxName

from graddesc.engine import ERRORS, Workbook
from graddesc.errors import WorkbookError
from graddesc.xlsx import reader
from graddesc.xlsx.reader import ErrorValue, SharedFormula, formula_text, read_workbook, translate

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>')
REL_T = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def workbook_xml(sheets, names=""):
    s = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(sheets))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{NS}" '
            f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{s}</sheets>'
            f'{names}</workbook>')


def wb_rels(n, strings=False, kinds=None):
    out = "".join(f'<Relationship Id="rId{i + 1}" Type="{REL_T}{(kinds or {}).get(i, "worksheet")}" '
                  f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(n))
    if strings:
        out += f'<Relationship Id="rId99" Type="{REL_T}sharedStrings" Target="sharedStrings.xml"/>'
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{out}</Relationships>'


def sheet_xml(rows, ns=NS):
    return f'<worksheet xmlns="{ns}"><sheetData>{rows}</sheetData></worksheet>'


def make_xlsx(path, sheets, names="", strings=None, kinds=None, extra=None, raw_sheets=None):
    """sheets: {name: rows xml}; raw_sheets: {index: full sheet xml}."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", workbook_xml(list(sheets), names))
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels(len(sheets), strings is not None, kinds))
        for i, rows in enumerate(sheets.values()):
            xml = (raw_sheets or {}).get(i) or sheet_xml(rows)
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
        if strings is not None:
            z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{NS}">{strings}</sst>')
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def cells_of(raw, i=0):
    return {(r, c): (v, f, cached) for r, c, v, f, cached in raw.sheets[i].cells}


# ------------------------------------------------------------------------------ openpyxl files

def test_openpyxl_workbook_values_formulas_names(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "My sheet"
    ws["A1"], ws["A2"], ws["A3"], ws["A4"] = 1.5, "text", True, 7
    ws["B1"] = "=A1*2"
    ws["B2"] = '=A2&"!"'
    other = book.create_sheet("Other")
    other["C3"] = "='My sheet'!A1+rate"
    book.defined_names["rate"] = OpxName("rate", attr_text="'My sheet'!$A$1")
    other.defined_names["local"] = OpxName("local", attr_text="Other!$C$3")
    ws.print_area = "A1:B4"  # a _xlnm. built-in name: skipped
    path = tmp_path / "a.xlsx"
    book.save(path)
    raw = read_workbook(path)
    assert [s.name for s in raw.sheets] == ["My sheet", "Other"]
    c = cells_of(raw)
    assert c[(1, 1)] == (1.5, None, None) and c[(2, 1)] == ("text", None, None)
    assert c[(3, 1)] == (True, None, None) and c[(4, 1)] == (7.0, None, None)
    assert c[(1, 2)] == (None, "A1*2", None) and c[(2, 2)] == (None, 'A2&"!"', None)
    names = {(n.name, n.sheet_index): n.text for n in raw.names}
    assert names == {("rate", None): "'My sheet'!$A$1", ("local", 1): "Other!$C$3"}
    wb = Workbook.load(path).evaluate()
    assert wb.value("My sheet", "B1") == 3.0 and wb.value("My sheet", "B2") == "text!"
    assert wb.value("Other", "C3") == 3.0 and wb.resolve_name("local", "Other") == ("Other", "C3")
    with pytest.raises(KeyError):
        wb.resolve_name("local")  # scoped to Other only


def test_matches_openpyxl_on_a_mixed_sheet(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    for r in range(1, 60):
        ws.cell(r, 1, r * 0.25)
        ws.cell(r, 2, f"s{r % 7}")  # shared strings, repeated
        ws.cell(r, 3, r % 3 == 0)
        ws.cell(r, 4, f"=A{r}*2+LEN(B{r})")
        ws.cell(r, 30, -r)
    path = tmp_path / "m.xlsx"
    book.save(path)
    ours = cells_of(read_workbook(path))
    theirs = {}
    for row in openpyxl.load_workbook(path).active.iter_rows():
        for cell in row:
            if cell.value is not None:
                v = cell.value
                theirs[(cell.row, cell.column)] = (None, v[1:], None) if isinstance(v, str) and v.startswith("=") \
                    else (float(v) if isinstance(v, int) and not isinstance(v, bool) else v, None, None)
    assert ours == theirs


# ------------------------------------------------------------------------------ hand-written parts

def test_shared_formulas_reuse_the_master_shape(tmp_path):
    rows = ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>10</v></c><c r="C1"><v>100</v></c></row>'
            '<row r="2"><c r="A2"><f t="shared" ref="A2:C4" si="0">A1*2+$A$1</f><v>3</v></c>'
            '<c r="B2"><f t="shared" si="0"/><v>21</v></c><c r="C2"><f t="shared" si="0"/></c></row>'
            '<row r="3"><c r="A3"><f t="shared" si="0"/></c><c r="B3"><f t="shared" si="0"/></c>'
            '<c r="C3"><f t="shared" si="0"/></c></row>'
            '<row r="4"><c r="A4"><f t="shared" si="0"/></c><c r="B4"><f t="shared" si="0"/></c>'
            '<c r="C4"><f t="shared" si="0"/></c></row>'
            '<row r="5"><c r="A5"><f t="shared" ref="A5:A6" si="1">SUM(A$1:A4)</f></c></row>'
            '<row r="6"><c r="A6"><f t="shared" si="1"/></c></row>')
    path = make_xlsx(tmp_path / "s.xlsx", {"S": rows})
    c = cells_of(read_workbook(path))
    assert c[(2, 1)] == (None, "A1*2+$A$1", 3.0)
    assert c[(2, 2)] == (None, SharedFormula(2, 1, "A1*2+$A$1"), 21.0)
    assert formula_text(4, 3, c[(4, 3)][1]) == "C3*2+$A$1"
    wb = Workbook.load(path).evaluate()
    assert [wb.value("S", a) for a in ("A2", "B2", "C2", "A3", "B4", "C4")] == [3.0, 21.0, 201.0, 7.0, 87.0, 807.0]
    assert wb.formula("S", "C4") == "=C3*2+$A$1" and wb.formula("S", "A6") == "=SUM(A$1:A5)"
    assert wb.value("S", "A5") == 1 + 3 + 7 + 15 and wb.value("S", "A6") == 2 * (1 + 3 + 7 + 15)
    assert wb.cached("S", "B2") == 21.0 and wb.cached("S", "C2") is None
    shapes = {id(wb._shapes[wb.key("S", a)]) for a in ("A2", "B2", "C2", "A3", "B3", "C3", "A4", "B4", "C4")}
    assert len(shapes) == 1


def test_translate_moves_relative_references_only():
    assert translate("A1*2+$A$1+B$2+$C3+'My s'!D4+SUM(E1:F2)", 2, 1) == \
        "B3*2+$A$1+C$2+$C5+'My s'!E6+SUM(F3:G4)"
    assert translate('LOG10(A1)&"A1"+adam_beta1', 1, 0) == 'LOG10(A2)&"A1"+adam_beta1'
    assert translate("A1+1", -1, 0) == "#REF!+1"


def test_strings_inline_rich_and_phonetic(tmp_path):
    strings = ('<si><t>plain</t></si><si><r><rPr><b/></rPr><t>ri</t></r><r><t xml:space="preserve">ch </t></r></si>'
               '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si><si><t>a&amp;b&lt;c</t></si>')
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
            '<c r="D1" t="s"><v>3</v></c><c r="E1" t="inlineStr"><is><t>inline</t></is></c>'
            '<c r="F1" t="inlineStr"><is><r><t>in</t></r><r><t>rich</t></r><rPh><t>x</t></rPh></is></c>'
            '<c r="G1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="H1" t="d"><v>2024-01-31T00:00:00</v></c>'
            '<c r="I1" t="s"><v>99</v></c></row>')
    c = cells_of(read_workbook(make_xlsx(tmp_path / "t.xlsx", {"S": rows}, strings=strings)))
    assert [c[(1, i)][0] for i in range(1, 7)] == ["plain", "rich ", "漢字", "a&b<c", "inline", "inrich"]
    assert c[(1, 7)] == (None, '"a"&"b"', "ab")
    assert c[(1, 8)] == ("2024-01-31T00:00:00", None, None)
    assert (1, 9) not in c  # an index beyond the shared strings: empty


def test_types_errors_and_cached_values(tmp_path):
    rows = ('<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" t="e"><v>#DIV/0!</v></c>'
            '<c r="D1" t="n"><v>1e-08</v></c><c r="E1"><v>-2.5E+3</v></c></row>'
            '<row r="2"><c r="A2"><f>1/0</f><v></v></c><c r="B2" t="e"><f>C1+1</f><v>#DIV/0!</v></c>'
            '<c r="C2" t="b"><f>A1</f><v>1</v></c><c r="D2" t="str"><f>"x"</f><v>x</v></c>'
            '<c r="E2"><f>E1*2</f><v>-5000</v></c><c r="F2"><f t="array" ref="F2:F3">E1*3</f><v>-7500</v></c>'
            '</row><row r="3"><c r="F3"><v>-7500</v></c></row>')
    path = make_xlsx(tmp_path / "e.xlsx", {"S": rows})
    c = cells_of(read_workbook(path))
    assert c[(1, 1)][0] is True and c[(1, 2)][0] is False
    assert c[(1, 3)][0] == "#DIV/0!" and isinstance(c[(1, 3)][0], ErrorValue)
    assert c[(1, 4)][0] == 1e-08 and c[(1, 5)][0] == -2500.0
    assert c[(2, 1)] == (None, "1/0", None)
    assert c[(2, 2)][2] == "#DIV/0!" and isinstance(c[(2, 2)][2], ErrorValue)
    assert c[(2, 3)][2] is True and c[(2, 4)][2] == "x" and c[(2, 5)][2] == -5000.0
    # the array's other cell holds its cached result, not an input value
    assert c[(2, 6)] == (None, "E1*3", -7500.0) and c[(3, 6)] == (None, None, -7500.0)
    wb = Workbook.load(path)
    assert wb.cached("S", "B2") is ERRORS["#DIV/0!"]  # a cached error is an ExcelError
    assert wb.cached("S", "F3") == -7500.0 and wb.value("S", "F3") is None
    assert wb.array_formulas == {wb.key("S", "F2"): (2, 6, 3, 6)} and not wb.dynamic_arrays
    wb.evaluate()
    assert wb.value("S", "C1") is ERRORS["#DIV/0!"] and wb.value("S", "B2") is ERRORS["#DIV/0!"]
    assert wb.value("S", "A2") is ERRORS["#DIV/0!"] and wb.value("S", "E2") == -5000.0
    assert wb.value("S", "F2") == -7500.0 and wb.cached("S", "E2") == -5000.0


METADATA = (f'<metadata xmlns="{NS}" xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
            '<metadataTypes count="2"><metadataType name="XLMDX"/><metadataType name="XLDAPR"/></metadataTypes>'
            '<futureMetadata name="XLDAPR" count="2"><bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
            '<xda:dynamicArrayProperties fDynamic="0" fCollapsed="0"/></ext></extLst></bk>'
            '<bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
            '<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata>'
            '<cellMetadata count="2"><bk><rc t="2" v="0"/></bk><bk><rc t="2" v="1"/></bk></cellMetadata></metadata>')


def test_arrays_dynamic_tables_externals_date1904_application(tmp_path):
    """What a file saved by Excel 365 carries beyond cells: dynamic arrays (cm= -> metadata.xml),
    legacy array formulas, tables through the sheet's relationships, an external link ([1] in
    formulas) with its cached values and names, workbookPr date1904 and the saving application."""
    rows = ('<row r="1"><c r="A1" cm="2"><f t="array" ref="A1:B2">SEQUENCE(2,2)</f><v>1</v></c><c r="B1"><v>2</v></c>'
            '<c r="D1" cm="1"><f t="array" ref="D1:D2">E1:E2*2</f><v>2</v></c><c r="E1"><v>1</v></c></row>'
            '<row r="2"><c r="A2"><v>3</v></c><c r="B2" t="e"><v>#N/A</v></c><c r="C2"><v>9</v></c>'
            '<c r="D2"><v>4</v></c><c r="E2"><v>2</v></c></row>'
            '<row r="3"><c r="A3"><f>[1]Prices!B2*2</f><v>10</v></c><c r="B3"><v>8</v></c></row>')
    sheet = f'<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData><tableParts count="1"><tablePart r:id="rId1" ' \
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></tableParts></worksheet>'
    names = ('<workbookPr date1904="1"/><externalReferences><externalReference r:id="rId50"/></externalReferences>'
             '<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">S!$A$1:$B$2</definedName>'
             '<definedName name="secret" hidden="1">S!$C$2</definedName></definedNames>')
    table = (f'<table xmlns="{NS}" id="1" name="Table1" displayName="Sales" ref="A5:B8" totalsRowCount="1">'
             '<tableColumns count="2"><tableColumn id="1" name="Item"/><tableColumn id="2" name="Amount"/>'
             '</tableColumns></table>')
    link = (f'<externalLink xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<externalBook r:id="rId1"><sheetNames><sheetName val="Notes"/><sheetName val="Prices"/></sheetNames>'
            '<definedNames><definedName name="Rate" refersTo="=Prices!$B$2"/>'
            '<definedName name="Local" refersTo="=Notes!$A$1" sheetId="0"/></definedNames>'
            '<sheetDataSet><sheetData sheetId="1"><row r="2"><cell r="B2"><v>5</v></cell>'
            '<cell r="C2" t="str"><v>pear</v></cell><cell r="D2" t="e"><v>#REF!</v></cell>'
            '<cell r="E2" t="b"><v>1</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>')
    rel = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
    extra = {
        "xl/worksheets/_rels/sheet1.xml.rels": rel.format(
            f'<Relationship Id="rId1" Type="{REL_T}table" Target="../tables/table1.xml"/>'),
        "xl/tables/table1.xml": table,
        "xl/externalLinks/externalLink7.xml": link,
        "xl/externalLinks/_rels/externalLink7.xml.rels": rel.format(
            f'<Relationship Id="rId1" Type="{REL_T}externalLinkPath" Target="file:///C:/data/prices.xlsx" '
            'TargetMode="External"/>'),
        "xl/metadata.xml": METADATA,
        "docProps/app.xml": '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                            'extended-properties"><Application>Microsoft Excel</Application></Properties>',
        "_rels/.rels": rel.format(
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'),
        "xl/_rels/workbook.xml.rels": rel.format(
            f'<Relationship Id="rId1" Type="{REL_T}worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId50" Type="{REL_T}externalLink" Target="externalLinks/externalLink7.xml"/>'
            f'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sheetMetadata" Target="metadata.xml"/>'),
    }
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("xl/workbook.xml", workbook_xml(["S"], names))
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in extra.items():
            z.writestr(name, data)
    raw = read_workbook(path)
    assert raw.sheets[0].arrays == {(1, 1): (1, 1, 2, 2), (1, 4): (1, 4, 2, 4)}
    assert raw.sheets[0].dynamic == {(1, 1)}  # D1's cm points at fDynamic="0": a legacy array
    assert raw.date1904 and raw.application == "Microsoft Excel"
    wb = Workbook.load(path)
    k = wb.key
    assert wb.array_formulas == {k("S", "A1"): (1, 1, 2, 2), k("S", "D1"): (1, 4, 2, 4)}
    assert wb.dynamic_arrays == {k("S", "A1")}
    assert wb.formula("S", "A1") == "=SEQUENCE(2,2)" and wb.formula("S", "B1") is None
    # the array's other cells: cached results (an error too), not inputs; cells outside are inputs
    assert [wb.cached("S", a) for a in ("B1", "A2", "B2", "D2")] == [2.0, 3.0, ERRORS["#N/A"], 4.0]
    assert [wb.value("S", a) for a in ("B1", "A2", "B2", "D2")] == [None] * 4
    assert wb.value("S", "C2") == 9.0 and wb.value("S", "E2") == 2.0 and wb.value("S", "B3") == 8.0
    assert wb.date1904 and wb.application == "Microsoft Excel"
    t = wb.tables["sales"]
    assert (t.name, t.display_name, t.sheet, t.sheet_index, t.ref) == ("Table1", "Sales", "S", 0, (5, 1, 8, 2))
    assert t.columns == ("Item", "Amount") and (t.header_rows, t.totals_rows) == (1, 1)
    assert t.data_rows == (6, 7) and t.column("amount") == 2 and t.column("nope") is None
    assert wb.tables["table1"] is t  # its name too, when it differs from the display name
    ext = wb.externals[1]  # [1]: the first <externalReference>, whatever the part's file number
    assert ext.target == "file:///C:/data/prices.xlsx" and ext.sheet_names == ("Notes", "Prices")
    assert ext.value("prices", 2, 2) == 5.0 and ext.value("Prices", 2, 3) == "pear"
    assert ext.value("Prices", 2, 4) is ERRORS["#REF!"] and ext.value("Prices", 2, 5) is True
    assert ext.value("Notes", 2, 2) is None
    assert ext.names == {("rate", None): "Prices!$B$2", ("local", "notes"): "Notes!$A$1"}
    assert wb.defined_names == {("secret", None): "S!$C$2"}  # hidden names kept, _xlnm. built-ins not
    from graddesc.engine.functions.base import CTX

    wb.evaluate(strict=False)
    assert CTX.date1904 is True  # evaluation works in the file's date system
    Workbook.from_cells({"S": {"A1": "=1+1"}}).evaluate()
    assert CTX.date1904 is False


def test_cells_and_rows_without_r(tmp_path):
    rows = ('<row><c><v>1</v></c><c><v>2</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row>'
            '<row><c><f>A1+B1</f></c></row><row r="7"><c><v>7</v></c><c t="inlineStr"><is><t>x</t></is></c></row>'
            '<row><c r="C8"><v>8</v></c></row>')
    path = make_xlsx(tmp_path / "r.xlsx", {"S": rows})
    c = cells_of(read_workbook(path))
    assert c == {(1, 1): (1.0, None, None), (1, 2): (2.0, None, None), (1, 5): (5.0, None, None),
                 (1, 6): (6.0, None, None), (2, 1): (None, "A1+B1", None), (7, 1): (7.0, None, None),
                 (7, 2): ("x", None, None), (8, 3): (8.0, None, None)}
    assert Workbook.load(path).evaluate().value("S", "A2") == 3.0


def test_scoped_names_and_builtins(tmp_path):
    names = ('<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">S!$A$1:$B$2</definedName>'
             '<definedName name="lr">S!$A$1</definedName><definedName name="lr" localSheetId="1">T!$A$1'
             '</definedName><definedName name="adam.beta_1">0.9</definedName>'
             '<definedName name="gone">#REF!</definedName></definedNames>')
    sheets = {"S": '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>lr+adam.beta_1</f></c>'
                   '<c r="C1"><f>gone</f></c></row>',
              "T": '<row r="1"><c r="A1"><v>100</v></c><c r="B1"><f>lr*2</f></c><c r="C1"><f>S!lr</f></c></row>'}
    path = make_xlsx(tmp_path / "n.xlsx", sheets, names=names)
    raw = read_workbook(path)
    assert [(n.name, n.sheet_index, n.text) for n in raw.names] == [
        ("lr", None, "S!$A$1"), ("lr", 1, "T!$A$1"), ("adam.beta_1", None, "0.9"), ("gone", None, "#REF!")]
    wb = Workbook.load(path).evaluate()
    assert wb.value("S", "B1") == 1.9 and wb.value("T", "B1") == 200.0 and wb.value("T", "C1") == 1.0
    assert wb.value("S", "C1") is ERRORS["#REF!"]
    assert wb.resolve_name("lr") == ("S", "A1") and wb.resolve_name("lr", "T") == ("T", "A1")


def test_prefixed_namespace_and_chartsheet(tmp_path):
    prefixed = (f'<x:worksheet xmlns:x="{NS}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>4</x:v></x:c>'
                '<x:c r="B1"><x:f>A1^2</x:f></x:c></x:row></x:sheetData></x:worksheet>')
    path = make_xlsx(tmp_path / "p.xlsx", {"S": "", "Chart": ""}, raw_sheets={0: prefixed}, kinds={1: "chartsheet"})
    raw = read_workbook(path)
    assert raw.sheets[1].kind == "chartsheet" and raw.sheets[1].cells == []
    assert Workbook.load(path).evaluate().value("S", "B1") == 16.0


def test_limits_are_configurable(tmp_path):
    path = make_xlsx(tmp_path / "l.xlsx", {"S": '<row r="1"><c r="A1"><v>1</v></c></row>'})
    with pytest.raises(WorkbookError, match="exceeds the limit of 100"):
        read_workbook(path, max_total_bytes=100)


# ------------------------------------------------------------------------------ hostile files

LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
          '&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'
          f'&lol2;">]><worksheet xmlns="{NS}"><sheetData>'
          '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>')
XXE = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       f'<worksheet xmlns="{NS}"><sheetData><row r="1">'
       '<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')
PARAM = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]>'
         f'<worksheet xmlns="{NS}"/>')
PLAIN_DOCTYPE = f'<?xml version="1.0"?><!DOCTYPE worksheet><worksheet xmlns="{NS}"/>'


def _write(path, data):
    path.write_bytes(data)
    return path


def _zip(path, parts, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for k, v in parts.items():
            z.writestr(k, v)
    return path


def _patched(path, edit):
    data = bytearray(path.read_bytes())
    edit(data)
    path.write_bytes(bytes(data))
    return path


def _encrypt_flag(data):
    for sig in (b"PK\x01\x02", b"PK\x03\x04"):
        i = data.find(sig)
        while i >= 0:
            off = i + (8 if sig == b"PK\x01\x02" else 6)
            flags = struct.unpack_from("<H", data, off)[0]
            struct.pack_into("<H", data, off, flags | 1)
            i = data.find(sig, i + 4)


def _lie_about_size(data):
    """Claim every member is 10 bytes long in the central directory."""
    i = data.find(b"PK\x01\x02")
    while i >= 0:
        struct.pack_into("<I", data, i + 24, 10)
        i = data.find(b"PK\x01\x02", i + 4)


def _ok(tmp_path, name="ok.xlsx"):
    return make_xlsx(tmp_path / name, {"S": '<row r="1"><c r="A1"><v>1</v></c></row>'})


def _bomb(tmp_path):
    return make_xlsx(tmp_path / "b.xlsx", {"S": ""},
                     raw_sheets={0: sheet_xml("") + " " * (5 * 1024 * 1024)})


HOSTILE = [
    ("missing", lambda p: p / "nope.xlsx", "no such file"),
    ("directory", lambda p: p, "is a directory"),
    ("not a zip", lambda p: _write(p / "a.xlsx", b"hello, not a workbook"), "not an .xlsx file (not a zip archive)"),
    ("empty file", lambda p: _write(p / "a.xlsx", b""), "not an .xlsx file (not a zip archive)"),
    ("corrupt zip", lambda p: _write(p / "a.xlsx", _ok(p).read_bytes()[:300]), "corrupt zip"),
    ("OLE / encrypted", lambda p: _write(p / "a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
     "password-protected workbook or legacy .xls"),
    ("encrypted entries", lambda p: _patched(_ok(p), _encrypt_flag), "password-protected"),
    ("zip without workbook", lambda p: _zip(p / "a.xlsx", {"hello.txt": "hi"}), "not a workbook"),
    ("xlsb", lambda p: _zip(p / "a.xlsb", {"xl/workbook.bin": "x"}), ".xlsb workbooks are not supported"),
    ("billion laughs", lambda p: make_xlsx(p / "a.xlsx", {"S": ""}, raw_sheets={0: LAUGHS}), "declares a DTD"),
    ("external entity", lambda p: make_xlsx(p / "a.xlsx", {"S": ""}, raw_sheets={0: XXE}), "declares a DTD"),
    ("parameter entity", lambda p: make_xlsx(p / "a.xlsx", {"S": ""}, raw_sheets={0: PARAM}), "declares a DTD"),
    ("any doctype", lambda p: make_xlsx(p / "a.xlsx", {"S": ""}, raw_sheets={0: PLAIN_DOCTYPE}), "declares a DTD"),
    ("dtd in utf-16", lambda p: make_xlsx(p / "a.xlsx", {"S": ""},
                                          raw_sheets={0: XXE.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>')
                                                      .encode("utf-16")}), "declares a DTD"),
    ("dtd in workbook.xml", lambda p: _zip(p / "a.xlsx", {"xl/workbook.xml": XXE}), "declares a DTD"),
    ("dtd in shared strings", lambda p: make_xlsx(p / "a.xlsx", {"S": ""}, strings="",
                                                  extra={}) and _zip(p / "a.xlsx", {
                                                      "xl/workbook.xml": workbook_xml(["S"]),
                                                      "xl/_rels/workbook.xml.rels": wb_rels(1, True),
                                                      "xl/worksheets/sheet1.xml": sheet_xml(""),
                                                      "xl/sharedStrings.xml": LAUGHS}), "declares a DTD"),
    ("zip bomb by ratio", _bomb, "zip bomb"),
    ("size header lies", lambda p: _patched(_ok(p), _lie_about_size), "corrupt zip entry"),
    ("malformed xml", lambda p: make_xlsx(p / "a.xlsx", {"S": ""}, raw_sheets={0: "<worksheet><sheetData><row>"}),
     "not well-formed XML"),
    ("undefined entity", lambda p: make_xlsx(p / "a.xlsx", {"S": ""},
                                             raw_sheets={0: sheet_xml('<row r="1"><c r="A1"><f>&x;</f></c></row>')}),
     "not well-formed XML"),
    ("bad cell reference", lambda p: make_xlsx(p / "a.xlsx", {"S": '<row r="1"><c r="1A"><v>1</v></c></row>'}),
     "bad cell reference"),
    ("row beyond the grid", lambda p: make_xlsx(p / "a.xlsx", {"S": '<row r="1"><c r="A1048577"><v>1</v></c></row>'}),
     "outside the sheet"),
    ("column beyond the grid", lambda p: make_xlsx(p / "a.xlsx", {"S": '<row r="1"><c r="XFE1"><v>1</v></c></row>'}),
     "bad cell reference"),
    ("row element beyond the grid", lambda p: make_xlsx(p / "a.xlsx", {"S": '<row r="99999999"><c><v>1</v></c></row>'}),
     "outside the sheet"),
    ("duplicate sheet names", lambda p: make_xlsx(p / "a.xlsx", {"S": "", "s": ""}), "two sheets named 's'"),
    ("formula too long", lambda p: make_xlsx(p / "a.xlsx", {"S": '<row r="7"><c r="B7"><f>' + "1+" * 5000 + "1</f></c></row>"}),
     "S!B7: formula longer than 8192 characters"),
]


@pytest.mark.parametrize("label,make,message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_and_broken_files(tmp_path, label, make, message):
    path = make(tmp_path)
    with pytest.raises(WorkbookError) as e:
        Workbook.load(path)
    text = str(e.value)
    assert message in text and str(path) in text and "\n" not in text, text


def test_sheet_parts_maps_parts_to_sheet_names(tmp_path):
    path = make_xlsx(tmp_path / "a.xlsx", {"S": "", "T": ""})
    assert reader.sheet_parts(path) == {"xl/worksheets/sheet1.xml": "S", "xl/worksheets/sheet2.xml": "T"}
