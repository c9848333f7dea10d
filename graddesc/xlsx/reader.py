"""Read an .xlsx/.xlsm as raw cells, formulas, cached values and defined names.

Streaming and hardened: the zip's entries are checked before anything is decompressed (total size,
compression ratio, encryption), decompression is counted as it happens (headers can lie), XML with
a DOCTYPE (entity expansion, external entities) is refused before parsing, and sheet XML is parsed
incrementally.  Macros (.xlsm) are never looked at, let alone run.  Every problem is a
WorkbookError naming the file and what is wrong.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError, XMLPullParser

from graddesc.errors import WorkbookError

MAX_TOTAL_BYTES = 2 * 1024**3  # uncompressed, all parts together
MAX_RATIO = 200  # uncompressed / compressed, for parts bigger than RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024**2
MAX_FORMULA_LENGTH = 8192
CHUNK = 1 << 20

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ErrorValue(str):
    """An error value stored in a cell (t="e"), e.g. '#DIV/0!'."""


@dataclass
class RawSheet:
    name: str
    cells: list = field(default_factory=list)  # (row, col, value, formula or None, cached value)


@dataclass
class RawWorkbook:
    path: str
    sheets: list[RawSheet]
    names: list  # (name, sheet index or None, text)


def _fail(path, msg):
    raise WorkbookError(f"{path}: {msg}")


class _Budget:
    def __init__(self, path, limit):
        self.path, self.left = path, limit

    def take(self, n, part):
        self.left -= n
        if self.left < 0:
            _fail(self.path, f"uncompressed content too large (zip bomb?) while reading {part}")


def _open_zip(path) -> zipfile.ZipFile:
    path = os.fspath(path)
    if not os.path.exists(path):
        _fail(path, "no such file")
    if os.path.isdir(path):
        _fail(path, "is a directory, not a workbook")
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        _fail(path, f"cannot read: {e.strerror}")
    if head == _OLE_MAGIC:
        _fail(path, "password-protected workbook or legacy .xls (an OLE compound file); "
                    "save it as an unprotected .xlsx")
    if not head.startswith(b"PK"):
        _fail(path, "not an .xlsx file (not a zip archive)")
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        _fail(path, f"corrupt zip archive ({e})")
    except (OSError, ValueError) as e:
        _fail(path, f"corrupt zip archive ({e})")
    return z


def _check_entries(path, z: zipfile.ZipFile, max_total):
    total = 0
    for info in z.infolist():
        if info.flag_bits & 0x1:
            _fail(path, f"password-protected (encrypted entry {info.filename})")
        total += info.file_size
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            _fail(path, f"zip bomb: {info.filename} expands {info.file_size // max(info.compress_size, 1)}:1")
    if total > max_total:
        _fail(path, f"uncompressed size {total} bytes exceeds the limit of {max_total} (zip bomb?)")


def _chunks(path, z, name, budget):
    try:
        with z.open(name) as f:
            while True:
                data = f.read(CHUNK)
                if not data:
                    return
                budget.take(len(data), name)
                yield data
    except KeyError:
        _fail(path, f"missing part {name}")
    except (zipfile.BadZipFile, zlib_error(), EOFError, OSError) as e:
        _fail(path, f"corrupt zip entry {name} ({e})")
    except RuntimeError as e:  # encrypted
        _fail(path, f"cannot read {name} ({e})")


def zlib_error():
    import zlib

    return zlib.error


_PROLOG_END = re.compile(rb"<[A-Za-z_]")


def _parse(path, z, name, budget, events=("end",)):
    """Yield (event, element) of an XML part, refusing DTDs (entity expansion, external
    entities) before the parser sees them."""
    parser = XMLPullParser(events=events)
    prolog = b""
    in_prolog = True
    try:
        for data in _chunks(path, z, name, budget):
            if in_prolog:
                prolog += data
                if prolog.startswith((b"\xff\xfe", b"\xfe\xff")):
                    text = prolog.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
                else:
                    text = prolog
                m = _PROLOG_END.search(text)
                head = text if m is None else text[:m.start()]
                if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                    _fail(path, f"{name} declares a DTD (entity expansion / external entities are refused)")
                if m is None:
                    if len(prolog) > CHUNK * 4:
                        _fail(path, f"{name}: no XML element in the first {len(prolog)} bytes")
                    continue
                in_prolog = False
                data, prolog = prolog, b""
            parser.feed(data)
            yield from parser.read_events()
        parser.close()
        yield from parser.read_events()
    except ParseError as e:
        _fail(path, f"{name} is not well-formed XML ({e})")


def _read_small(path, z, name, budget):
    """Parse a small XML part completely; return its root element."""
    root = None
    for ev, el in _parse(path, z, name, budget):
        root = el
    return root


def _rels(path, z, part, budget):
    folder, base = posixpath.split(part)
    rel_name = posixpath.join(folder, "_rels", base + ".rels")
    if rel_name not in z.NameToInfo:
        return {}
    root = _read_small(path, z, rel_name, budget)
    out = {}
    for r in root.iter(f"{{{NS_PKG}}}Relationship"):
        target = r.get("Target", "")
        if r.get("TargetMode") == "External":
            continue
        full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[r.get("Id")] = full
    return out


_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)$")


def _col(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def read_workbook(path, max_total_bytes: int = MAX_TOTAL_BYTES) -> RawWorkbook:
    path = os.fspath(path)
    z = _open_zip(path)
    with z:
        _check_entries(path, z, max_total_bytes)
        budget = _Budget(path, max_total_bytes)
        wb_part = None
        if "_rels/.rels" in z.NameToInfo:
            for rid, target in _rels(path, z, "", budget).items():
                if target.endswith("workbook.xml") or target.endswith(".xml") and "workbook" in target:
                    wb_part = target
        if wb_part is None or wb_part not in z.NameToInfo:
            wb_part = "xl/workbook.xml" if "xl/workbook.xml" in z.NameToInfo else None
        if wb_part is None:
            _fail(path, "not a workbook (no xl/workbook.xml in the zip)")
        root = _read_small(path, z, wb_part, budget)
        rels = _rels(path, z, wb_part, budget)
        sheets_el = root.find(f"{{{NS_MAIN}}}sheets")
        if sheets_el is None:
            _fail(path, "not a workbook (no sheets in workbook.xml)")
        sheet_parts = []
        for s in sheets_el.findall(f"{{{NS_MAIN}}}sheet"):
            target = rels.get(s.get(f"{{{NS_REL}}}id"))
            sheet_parts.append((s.get("name", "?"), target))
        names = []
        dn = root.find(f"{{{NS_MAIN}}}definedNames")
        if dn is not None:
            for d in dn.findall(f"{{{NS_MAIN}}}definedName"):
                name = d.get("name", "")
                if name.startswith("_xlnm."):
                    continue  # print areas, filters: not formulas
                scope = d.get("localSheetId")
                names.append((name, int(scope) if scope is not None and scope.isdigit() else None, d.text or ""))
        strings = []
        for target in rels.values():
            if target.endswith("sharedStrings.xml") and target in z.NameToInfo:
                strings = _shared_strings(path, z, target, budget)
        sheets = []
        for name, target in sheet_parts:
            sh = RawSheet(name)
            if target and target in z.NameToInfo and "worksheet" in _content_kind(target):
                _read_sheet(path, z, target, budget, strings, sh)
            sheets.append(sh)
        return RawWorkbook(path, sheets, names)


def _content_kind(target):
    return "worksheet" if "worksheets/" in target or target.endswith(".xml") else ""


def _shared_strings(path, z, part, budget):
    out = []
    si_tag, t_tag, rph_tag = f"{{{NS_MAIN}}}si", f"{{{NS_MAIN}}}t", f"{{{NS_MAIN}}}rPh"
    for ev, el in _parse(path, z, part, budget):
        if el.tag == si_tag:
            parts = []
            for child in el.iter():
                if child.tag == rph_tag:
                    child.clear()
                elif child.tag == t_tag and child.text:
                    parts.append(child.text)
            out.append("".join(parts))
            el.clear()
    return out


def _value(t, v, el, strings, is_tag, t_tag):
    if t == "s":
        try:
            return strings[int(v)]
        except (ValueError, IndexError, TypeError):
            return None
    if t == "inlineStr":
        is_el = el.find(is_tag)
        return "".join(x.text or "" for x in is_el.iter(t_tag)) if is_el is not None else None
    if v is None:
        return None
    if t == "b":
        return v.strip() in ("1", "true")
    if t == "e":
        return ErrorValue(v.strip())
    if t in ("str", "d"):
        return v
    try:
        return float(v)
    except ValueError:
        return v


def _read_sheet(path, z, part, budget, strings, sh: RawSheet):
    c_tag, f_tag, v_tag = f"{{{NS_MAIN}}}c", f"{{{NS_MAIN}}}f", f"{{{NS_MAIN}}}v"
    is_tag, t_tag, row_tag = f"{{{NS_MAIN}}}is", f"{{{NS_MAIN}}}t", f"{{{NS_MAIN}}}row"
    cells = sh.cells
    shared: dict[str, tuple[int, int, str]] = {}
    row_no, col_no = 0, 0
    row_start = 0  # index in `cells` of the current row's first cell
    unplaced = False  # a cell of this row had no r="A1" attribute: place it when the row ends
    match = _CELL_REF.match
    for ev, el in _parse(path, z, part, budget):
        tag = el.tag
        if tag != c_tag:
            if tag == row_tag:
                r = el.get("r")
                row_no = int(r) if r and r.isdigit() else row_no + 1
                if unplaced:
                    _place(cells, row_start, row_no, path, sh)
                    unplaced = False
                row_start = len(cells)
                col_no = 0
                el.clear()
            continue
        ref = el.get("r")
        m = match(ref) if ref else None
        if m:
            col_no, row_no = _col(m.group(1)), int(m.group(2))
        else:
            col_no, row_no, unplaced = None, None, True
        t = el.get("t")
        v_el = el.find(v_tag)
        v = v_el.text if v_el is not None else None
        f_el = el.find(f_tag)
        value = _value(t, v, el, strings, is_tag, t_tag)
        if f_el is not None and f_el.get("t") != "dataTable":
            text = f_el.text
            ft = f_el.get("t")
            if ft == "shared":
                si = f_el.get("si")
                if text:
                    shared[si] = (row_no, col_no, text)
                elif si in shared and row_no is not None:
                    r0, c0, master = shared[si]
                    text = translate(master, row_no - r0, col_no - c0)
            if text:
                if len(text) > MAX_FORMULA_LENGTH:
                    where = f"{_letters(col_no)}{row_no}" if row_no else "a cell"
                    _fail(path, f"{sh.name}!{where}: formula longer than {MAX_FORMULA_LENGTH} characters ({len(text)})")
                cells.append((row_no, col_no, None, text, value))
                el.clear()
                continue
        if value is not None:
            cells.append((row_no, col_no, value, None, None))
        el.clear()


def _place(cells, start, row_no, path, sh):
    """Give cells written without r="..." their row and the column after the previous cell."""
    col = 0
    for i in range(start, len(cells)):
        r, c, value, formula, cached = cells[i]
        if c is None:
            c = col + 1
            if formula is not None and formula.startswith("\0shared"):
                pass
            cells[i] = (row_no, c, value, formula, cached)
        col = c


def _letters(col):
    s = ""
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


_REF = re.compile(r"""("(?:[^"]|"")*")|('(?:[^']|'')+'!|\b[A-Za-z_][\w.]*!)?(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![\w(])""")


def translate(text: str, dr: int, dc: int) -> str:
    """A shared formula's text moved by (dr, dc): relative rows and columns shift."""
    if not dr and not dc:
        return text

    def sub(m):
        if m.group(1):
            return m.group(1)
        sheet, cabs, col, rabs, row = m.group(2) or "", m.group(3), m.group(4), m.group(5), m.group(6)
        c = _col(col.upper()) + (0 if cabs else dc)
        r = int(row) + (0 if rabs else dr)
        if c < 1 or r < 1:
            return sheet + "#REF!"
        return f"{sheet}{cabs}{_letters(c)}{rabs}{r}"

    return _REF.sub(sub, text)


def sheet_parts(path) -> dict:
    """{zip part name: sheet name} of a workbook's worksheets."""
    path = os.fspath(path)
    z = _open_zip(path)
    with z:
        _check_entries(path, z, MAX_TOTAL_BYTES)
        budget = _Budget(path, MAX_TOTAL_BYTES)
        wb_part = "xl/workbook.xml"
        if wb_part not in z.NameToInfo:
            _fail(path, "not a workbook (no xl/workbook.xml in the zip)")
        root = _read_small(path, z, wb_part, budget)
        rels = _rels(path, z, wb_part, budget)
        out = {}
        sheets_el = root.find(f"{{{NS_MAIN}}}sheets")
        for s in (sheets_el.findall(f"{{{NS_MAIN}}}sheet") if sheets_el is not None else []):
            target = rels.get(s.get(f"{{{NS_REL}}}id"))
            if target:
                out[target] = s.get("name", "?")
        return out
