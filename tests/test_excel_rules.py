"""Excel compatibility without Excel, part 3: the rules Excel (and Google Sheets) impose on a file,
checked on the committed workbook: defined names Excel accepts, only functions that Excel 2010+
and Google Sheets both have (newer ones would need the _xlfn. prefix), formula length and nesting
limits, sheet-name limits, style counts in range, comments with their VML drawing."""

import re
import zipfile
from pathlib import Path

import pytest

COMMITTED = Path(__file__).resolve().parents[1] / "workbooks" / "graddesc.xlsx"

# functions of Excel 2010 that Google Sheets also has, as far as graddesc uses them (grow the list
# only after checking both applications' function lists; a newer Excel function needs _xlfn.)
BOTH_HAVE = {"ABS", "AND", "AVERAGE", "COS", "COUNT", "EXP", "IF", "IFERROR", "INDEX", "ISERROR", "LN",
             "LOG", "MAX", "MIN", "MOD", "OR", "PI", "POWER", "ROUND", "ROW", "SIGN", "SIN", "SQRT", "SUM",
             "SUMPRODUCT", "SUMSQ", "TANH", "COUNTA", "NOT", "ATAN", "TAN", "INT"}
# Excel's limits (Microsoft, "Excel specifications and limits")
MAX_FORMULA_CHARS = 8192
MAX_NESTING = 64
MAX_SHEET_NAME = 31
MAX_CELL_STYLES = 64000
MAX_NUMBER_FORMATS = 250  # "between 200 and 250, depending on the language version"
NAME_RULE = re.compile(r"^[A-Za-z_\\][A-Za-z0-9_.\\]*$")
LOOKS_LIKE_CELL = re.compile(r"^(?:[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*|[Rr]|[Cc])$")


@pytest.fixture(scope="module")
def parts():
    with zipfile.ZipFile(COMMITTED) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels", ".vml"))}


def _formulas(parts):
    for name, xml in parts.items():
        if name.startswith("xl/worksheets/sheet"):
            for f in re.findall(r"<f\b[^>]*>(.*?)</f>", xml, re.S):
                yield name, f.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def _nesting(formula: str) -> int:
    depth = deepest = 0
    in_str = False
    for ch in formula:
        if ch == '"':
            in_str = not in_str
        elif not in_str and ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif not in_str and ch == ")":
            depth -= 1
    return deepest


def test_defined_names_are_names_excel_accepts(parts):
    names = re.findall(r'<definedName [^>]*name="([^"]+)"', parts["xl/workbook.xml"])
    assert len(names) > 100
    for n in names:
        assert len(n) <= 255 and NAME_RULE.match(n), n
        assert not LOOKS_LIKE_CELL.match(n) and n.upper() not in ("TRUE", "FALSE"), n
    assert len({n.lower() for n in names}) == len(names)  # names are case-insensitive in Excel


def test_only_functions_excel_2010_and_google_sheets_both_have(parts):
    used = set()
    for _, f in _formulas(parts):
        text = re.sub(r'"[^"]*"', '""', f)
        used |= set(re.findall(r"(?<![A-Za-z0-9_.])([A-Z][A-Z0-9.]*)\(", text))
    assert used, "no functions found: the check would prove nothing"
    assert used <= BOTH_HAVE, sorted(used - BOTH_HAVE)


def test_formula_length_and_nesting_limits(parts):
    n = 0
    for name, f in _formulas(parts):
        n += 1
        assert len(f) + 1 <= MAX_FORMULA_CHARS, (name, f[:80])
        assert _nesting(f) <= MAX_NESTING, (name, f[:80])
    assert n > 1000


def test_sheet_names_within_excel_limits(parts):
    names = re.findall(r'<sheet [^>]*name="([^"]+)"', parts["xl/workbook.xml"])
    assert len(names) == len({n.lower() for n in names})
    for n in names:
        assert 1 <= len(n) <= MAX_SHEET_NAME and not re.search(r"[\[\]:*?/\\]", n), n
        assert not n.startswith("'") and not n.endswith("'") and n.lower() != "history", n


def test_styles_in_range(parts):
    st = parts["xl/styles.xml"]
    xfs = int(re.search(r'<cellXfs count="(\d+)"', st).group(1))
    fmts = re.search(r'<numFmts count="(\d+)"', st)
    assert 1 <= xfs <= MAX_CELL_STYLES
    assert fmts is None or int(fmts.group(1)) <= MAX_NUMBER_FORMATS
    for m in re.finditer(r"<c [^>]*\bs=\"(\d+)\"", "".join(x for n, x in parts.items() if "worksheets/sheet" in n)):
        assert int(m.group(1)) < xfs


def test_comments_come_with_their_vml(parts):
    with_comments = 0
    for name, xml in parts.items():
        if not re.match(r"xl/worksheets/sheet\d+\.xml$", name):
            continue
        rels = parts.get(name.replace("worksheets/", "worksheets/_rels/") + ".rels", "")
        if "relationships/comments" not in rels:
            continue
        with_comments += 1
        assert "<legacyDrawing " in xml, name  # Excel shows no comment without its VML shape
        vml = re.search(r'Target="([^"]+\.vml)"', rels)
        assert vml, name
    assert with_comments >= 20
