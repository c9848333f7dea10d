"""Write a model.Workbook to .xlsx: openpyxl builds the parts, then the zip is re-packed
deterministically (fixed timestamps and document dates, cached values injected beside formulas)
and written to a temporary name that is renamed over the target: nothing is ever half-written.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import tempfile
import zipfile

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import Reference, ScatterChart
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart import Series as OpenpyxlSeries
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.hyperlink import Hyperlink

from graddesc.errors import GraddescError
from graddesc.xlsx import model

FIXED_DATE = "2024-01-01T00:00:00Z"
FINGERPRINT_PROPERTY = "graddesc_fingerprint"
_PLACEHOLDER = "0" * 64
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
# deflate level: 3 compresses the default workbook's 24 MB of XML in 0.20 s to 5.5 MB; 6 (zlib's
# default) takes 0.43 s for 4.9 MB.  A build is ~3 s, so the smaller file is not worth a tenth of it.
ZIP_LEVEL = 3

STYLES = {
    "title": dict(font=Font(bold=True, size=14, color="1F3864")),
    "text": dict(alignment=Alignment(wrap_text=False)),
    "note": dict(font=Font(italic=True, color="595959")),
    "label": dict(font=Font(bold=True)),
    "header": dict(font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor="4472C4"),
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
    "input": dict(font=Font(bold=True, color="9C5700"), fill=PatternFill("solid", fgColor="FFEB9C")),
    "start": dict(font=Font(italic=True), fill=PatternFill("solid", fgColor="E2EFDA")),
    "link": dict(font=Font(color="0563C1", underline="single")),
    # right-aligned: a text result ("not reached") lines up with the numbers beside it
    "result": dict(font=Font(bold=True), fill=PatternFill("solid", fgColor="DDEBF7"),
                   alignment=Alignment(horizontal="right")),
}



def escape(text: str) -> str:
    """XML character data: &, < and > escaped (what xml.sax.saxutils.escape does, without the
    15 ms import of urllib it drags in)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

def _cell(ws, item):
    if not isinstance(item, model.Cell):
        return item
    c = WriteOnlyCell(ws, value=item.value)
    for attr, val in STYLES.get(item.style, {}).items():
        setattr(c, attr, val)
    if item.number_format:
        c.number_format = item.number_format
    if item.comment:
        c.comment = Comment(item.comment, "graddesc", width=320, height=110)
    if item.link:
        # a link inside the workbook ("#'sgd'!A1") is written as Excel writes it: location=, no
        # relationship (an external relationship to "#..." is not followed by Gnumeric)
        c.hyperlink = Hyperlink(ref="", location=item.link[1:]) if item.link.startswith("#") else item.link
    return c


# distinct colours (Tableau 10, then darker variants) so 20 series stay apart
PALETTE = ["4E79A7", "F28E2B", "E15759", "76B7B2", "59A14F", "EDC948", "B07AA1", "FF9DA7", "9C755F", "BAB0AC",
           "1F4E79", "A0522D", "8B0000", "2F6F6A", "2E6B2E", "8B7500", "5E3C58", "C71585", "4B3621", "555555"]


def _chart(spec: model.Chart, sheet_ws):
    ch = ScatterChart(scatterStyle="lineMarker")  # required by the schema (openpyxl omits it unset)
    ch.title = spec.title
    ch.x_axis.title = spec.x_title
    ch.y_axis.title = spec.y_title
    ch.width, ch.height = spec.width_cm, spec.height_cm
    ch.x_axis.delete = False
    ch.y_axis.delete = False
    # axes at the bottom and left edge, not crossing at 0 in the middle of the plot
    ch.x_axis.crosses = "min"
    ch.y_axis.crosses = "min"
    if spec.log_y:
        ch.y_axis.scaling.logBase = 10
        ch.y_axis.numFmt = NumFmt(formatCode="0.0E+00", sourceLinked=False)
    for i, s in enumerate(spec.series):
        ws = sheet_ws[s.sheet] if s.sheet else None
        xs = Reference(ws, min_col=s.x_col, min_row=s.first_row, max_row=s.last_row)
        ys = Reference(ws, min_col=s.col, min_row=s.first_row, max_row=s.last_row)
        ser = OpenpyxlSeries(ys, xs, title=s.title)
        ser.marker.symbol = "none"
        ser.smooth = False
        ser.graphicalProperties.line.solidFill = PALETTE[i % len(PALETTE)]
        ser.graphicalProperties.line.width = 15875  # 1.25 pt
        ch.series.append(ser)
    return ch


def _xml_text(text: str) -> str:
    return escape(text) if ("<" in text or ">" in text or "&" in text) else text


def _bulk_xml(ref: str, value, sid: int, cached) -> str:
    s = f' s="{sid}"' if sid else ""
    if value.__class__ is str:
        if value.startswith("="):
            if cached.__class__ is float and cached - cached == 0.0:
                return f'<c r="{ref}"{s}><f>{_xml_text(value[1:])}</f><v>{cached!r}</v></c>'
            v = _value_xml(cached) if cached is not None else None
            if v is None:
                return f'<c r="{ref}"{s}><f>{_xml_text(value[1:])}</f></c>'
            return f'<c r="{ref}"{s}{v[0].decode()}><f>{_xml_text(value[1:])}</f><v>{v[1].decode()}</v></c>'
        sp = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{sp}>{escape(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return f'<c r="{ref}"{s}><v>{repr(float(value))}</v></c>'


def _to_openpyxl(book: model.Workbook):
    """openpyxl writes the parts and the styled/commented cells; plain cells are returned as XML
    per (sheet index, row) to be merged into the sheet XML by _repack (openpyxl spends ~13 µs on a
    cell, the emitter ~1 µs)."""
    wb = OpenpyxlWorkbook(write_only=True)
    sheets = {}
    bulk: dict[str, dict[int, list[str]]] = {}
    for sh in book.sheets:
        sheets[sh.name] = wb.create_sheet(sh.name)
    for sh in book.sheets:
        ws = sheets[sh.name]
        for letter, width in sh.widths.items():
            ws.column_dimensions[letter].width = width
        for row_no, height in sh.heights.items():
            ws.row_dimensions[row_no].height = height
        if sh.freeze:
            ws.freeze_panes = sh.freeze
        if sh.tab_color:
            ws.sheet_properties.tabColor = sh.tab_color
        for h in sh.highlights:
            ws.conditional_formatting.add(
                h.range, FormulaRule(formula=[h.formula], fill=PatternFill("solid", bgColor=h.fill)))
        for spec in sh.charts:
            for s in spec.series:
                s.sheet = s.sheet or sh.name
            ws.add_chart(_chart(spec, sheets), spec.anchor)
        style_ids: dict = {}
        bulk_rows: dict = {}
        bulk[sh.name] = bulk_rows
        letters = [model.col_letter(i) for i in range(1, max((len(r) for r in sh.rows), default=0) + 1)]
        # openpyxl takes the rows up to the last one with a styled/commented cell; the emitter's
        # cells of later rows become rows of their own (_merge_bulk), which saves openpyxl ~30 µs a row
        pending: list = []  # openpyxl rows, appended up to the last one that has a rich cell
        cached = sh.cached
        Cell = model.Cell
        for r, row in enumerate(sh.rows, start=1):
            rich: list | None = None  # openpyxl cells of this row by position, made only when the row has one
            cells: list = []
            add = cells.append
            rs = str(r)
            for i, item in enumerate(row):
                if item is None:
                    continue
                if item.__class__ is Cell:
                    value = item.value
                    if item.style is not None or item.comment is not None or item.link is not None \
                            or value is None:
                        if rich is None:
                            rich = []
                        rich.extend([None] * (i - len(rich)))
                        rich.append(_cell(ws, item))
                        continue
                    fmt = item.number_format
                    sid = style_ids.get(fmt)
                    if sid is None:
                        probe = WriteOnlyCell(ws)
                        probe.number_format = fmt
                        sid = style_ids[fmt] = probe.style_id
                else:
                    value, sid = item, 0
                ref = letters[i] + rs
                if value.__class__ is str and value.startswith("="):
                    v = cached.get((r, i + 1))
                    if v.__class__ is float and v - v == 0.0:
                        f = value[1:]
                        if "<" in f or ">" in f or "&" in f:
                            f = escape(f)
                        if sid:
                            add(f'<c r="{ref}" s="{sid}"><f>{f}</f><v>{v!r}</v></c>')
                        else:
                            add(f'<c r="{ref}"><f>{f}</f><v>{v!r}</v></c>')
                        continue
                    add(_bulk_xml(ref, value, sid, v))
                else:
                    add(_bulk_xml(ref, value, sid, None))
            if rich:
                for earlier in pending:
                    ws.append(earlier)
                pending.clear()
                ws.append(rich)
            else:
                pending.append([])
            if cells:
                bulk_rows[r] = cells
    for name, ref in book.names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    wb.properties.creator = "graddesc"
    wb.properties.title = book.title
    wb.properties.description = book.description
    wb.custom_doc_props.append(StringProperty(name=FINGERPRINT_PROPERTY, value=_PLACEHOLDER))
    for key, value in sorted(book.properties.items()):
        wb.custom_doc_props.append(StringProperty(name=key, value=value))
    buf = io.BytesIO()
    # stored, not deflated: _repack compresses every part once, deterministically
    from openpyxl.writer.excel import ExcelWriter

    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return buf.getvalue(), bulk


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"([^>]*)><f>([^<]*)</f><v\s*/>(</c>)')
_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)")




def _value_xml(v):
    """(type attribute, <v> text) of a cached value, or None to leave the cell without one."""
    if isinstance(v, bool):
        return b' t="b"', b"1" if v else b"0"
    if isinstance(v, (int, float)):
        if not math.isfinite(v):
            return b' t="e"', b"#NUM!"
        return b"", repr(float(v)).encode()
    if v is None:
        return None
    text = str(v)
    if text.startswith("#"):
        return b' t="e"', text.encode()
    return b' t="str"', escape(text).encode()


def _inject_cached(xml: bytes, cached: dict) -> bytes:
    if not cached:
        return xml

    def sub(m):
        key = (int(m.group(2)), model.col_index(m.group(1)))
        val = _value_xml(cached.get(key))
        if val is None:
            return m.group(0)
        attrs = re.sub(rb'\s+t="[^"]*"', b"", m.group(3))
        return (b'<c r="' + m.group(1) + m.group(2) + b'"' + attrs + val[0] + b"><f>" + m.group(4)
                + b"</f><v>" + val[1] + b"</v></c>")

    return _FORMULA_CELL.sub(sub, xml)


def _content_hash(parts) -> str:
    """sha256 over every part but docProps/custom.xml (which carries the hash itself)."""
    h = hashlib.sha256()
    for name, data in sorted(parts):
        if name != CUSTOM_PART:
            h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


CUSTOM_PART = "docProps/custom.xml"


_ROW = re.compile(rb'<row r="([0-9]+)"([^>]*)>(.*?)</row>', re.S)
_CELL = re.compile(rb'<c r="([A-Z]+)[0-9]+"[^>]*?(?:/>|>.*?</c>)', re.S)


def _merge_bulk(xml: bytes, rows: dict) -> bytes:
    """Put the emitter's cells into openpyxl's <row> elements, in column order."""
    if not rows:
        return xml

    seen = set()

    def sub(m):
        seen.add(int(m.group(1)))
        cells = rows.get(int(m.group(1)))
        if not cells:
            return m.group(0)
        inner = m.group(3)
        added = "".join(cells).encode()
        if inner:
            merged = [(model.col_index(c.group(1)), c.group(0)) for c in _CELL.finditer(inner)]
            merged += [(model.col_index(_CELL.match(x).group(1)), x) for x in
                       (c.encode() for c in cells)]
            merged.sort(key=lambda t: t[0])
            added = b"".join(x for _, x in merged)
        return b'<row r="' + m.group(1) + b'"' + m.group(2) + b">" + added + b"</row>"

    xml = _ROW.sub(sub, xml)
    rest = b"".join(b'<row r="%d">' % r + "".join(rows[r]).encode() + b"</row>"
                    for r in sorted(rows) if r not in seen)
    if rest:
        if b"<sheetData />" in xml or b"<sheetData/>" in xml:
            xml = xml.replace(b"<sheetData />", b"<sheetData></sheetData>").replace(
                b"<sheetData/>", b"<sheetData></sheetData>")
        xml = xml.replace(b"</sheetData>", rest + b"</sheetData>", 1)
    return xml


def _repack(raw, book: model.Workbook) -> bytes:
    raw, bulk = raw
    src = zipfile.ZipFile(io.BytesIO(raw))
    sheet_parts = {f"xl/worksheets/sheet{i}.xml": sh for i, sh in enumerate(book.sheets, start=1)}
    parts = []
    for info in src.infolist():
        data = src.read(info.filename)
        if info.filename == "docProps/core.xml":
            data = _DATE.sub(rb"\g<1>" + FIXED_DATE.encode() + rb"\g<2>", data)
        elif info.filename in sheet_parts:
            sh = sheet_parts[info.filename]
            data = _merge_bulk(_inject_cached(data, sh.cached), bulk.get(sh.name, {}))
        parts.append((info.filename, data))
    digest = _content_hash(parts).encode()
    parts = [(n, d.replace(_PLACEHOLDER.encode(), digest) if n == CUSTOM_PART else d) for n, d in parts]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as z:
        for name, data in parts:
            zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data, compresslevel=ZIP_LEVEL)
    return out.getvalue()


def to_bytes(book: model.Workbook) -> bytes:
    return _repack(_to_openpyxl(book), book)


def write_atomic(path, data: bytes) -> None:
    """Write bytes to a temporary file beside `path`, then rename it over `path`."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".graddesc-", suffix=".tmp", dir=folder)
    except OSError as e:
        raise GraddescError(f"{path}: cannot write here: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise GraddescError(f"{path}: cannot write: {e.strerror}") from None
        raise


def write_workbook(book: model.Workbook, path) -> None:
    write_atomic(path, to_bytes(book))


def written_by_graddesc_unchanged(path) -> bool:
    """True when `path` is a workbook graddesc wrote and nobody has changed since (its stored
    fingerprint matches its content).  False for any other file, edited or not a workbook at all."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > 2 * 1024**3:
                return False
            parts = [(i.filename, z.read(i.filename)) for i in infos]
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return False
    custom = dict(parts).get(CUSTOM_PART, b"")
    m = re.search(rb'name="' + FINGERPRINT_PROPERTY.encode() + rb'"[^>]*>\s*<vt:lpwstr[^>]*>([0-9a-f]{64})<', custom)
    return m is not None and m.group(1).decode() == _content_hash(parts)


_ANY_CELL = re.compile(rb"<(?P<p>(?:\w+:)?)c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</(?P=p)c>)", re.S)
_F_EL = re.compile(rb"<(?:\w+:)?f\b")
_V_EL = re.compile(rb"<(?P<p>(?:\w+:)?)v\b[^>]*?(?:/>|>.*?</(?P=p)v>)", re.S)
_R_ATTR = re.compile(rb'\br="\$?([A-Z]+)\$?([0-9]+)"')
_T_ATTR = re.compile(rb'\s+t="[^"]*"')


def write_cached_copy(src, dst, values: dict, formulas_only: bool = False) -> None:
    """Copy a workbook, replacing the cached value of each formula cell (and of each cell of an
    array formula's range) by values[sheet][(row, col)] (None: no cached value); formulas and
    every other part stay as they are.  Written atomically."""
    from graddesc.xlsx import reader

    raw = reader.read_workbook(src)  # validates the file (size, zip bomb, DTD) and maps sheet parts
    parts = reader.sheet_parts(src)
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            sheet = parts.get(info.filename)
            if sheet is not None and sheet in values:
                data = _replace_cached(data, values[sheet], formulas_only)
            zout.writestr(info, data)
    del raw
    write_atomic(dst, out.getvalue())


class _NoValues(dict):
    """Every formula cell's new cached value: none."""

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return None


def write_uncached_copy(src, dst) -> None:
    """Copy a workbook with the cached value of every formula cell removed, so that an application
    opening it must compute every formula itself.  Written atomically."""
    from graddesc.xlsx import reader

    # only cells with a formula: plain inputs keep their values
    write_cached_copy(src, dst, {name: _NoValues() for name in reader.sheet_parts(src).values()},
                      formulas_only=True)


def _replace_cached(xml: bytes, values: dict, formulas_only: bool = False) -> bytes:
    def sub(m):
        body = m.group("body")
        if body is None:
            return m.group(0)
        r = _R_ATTR.search(m.group("attrs"))
        if not r:
            return m.group(0)
        key = (int(r.group(2)), model.col_index(r.group(1)))
        has_f = _F_EL.search(body)
        if key not in values or not has_f and (formulas_only or not _V_EL.search(body)):
            return m.group(0)  # (a cell of an array formula's range has a <v> and no <f>)
        val = _value_xml(values[key])
        p = m.group("p")
        attrs = _T_ATTR.sub(b"", m.group("attrs"))
        body = _V_EL.sub(b"", body)
        if val is None:
            return b"<" + p + b"c" + attrs + b">" + body + b"</" + p + b"c>"
        return (b"<" + p + b"c" + attrs + val[0] + b">" + body + b"<" + p + b"v>" + val[1] + b"</" + p
                + b"v></" + p + b"c>")

    return _ANY_CELL.sub(sub, xml)
