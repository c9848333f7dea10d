"""Excel compatibility without Excel, part 1: every XML part of the built workbook validates against
the ECMA-376 Transitional and OPC schemas (../shared/xsd), and the package is wired right
(content types, relationship targets, r:ids).  Skips when ../shared is absent; CI requires it."""

import re
import zipfile
from pathlib import Path

import pytest

from graddesc.cli import main
from tests.witnesses import require_shared

COMMITTED = Path(__file__).resolve().parents[1] / "workbooks" / "graddesc.xlsx"


@pytest.fixture(scope="module")
def xsd():
    return Path(require_shared("xsd"))


def _check(path, xsd):
    pytest.importorskip("lxml", reason="lxml validates against the schemas (pip install -e '.[test]')")
    from tests.ooxml import check_package

    return check_package(path, xsd)


def test_committed_workbook_is_schema_valid(xsd):
    assert _check(COMMITTED, xsd) == []


@pytest.mark.parametrize("epochs", [1, 60])
def test_other_sizes_are_schema_valid(tmp_path, xsd, epochs):
    out = tmp_path / f"e{epochs}.xlsx"
    assert main(["build", "-o", str(out), "--epochs", str(epochs)]) == 0
    assert _check(out, xsd) == []


def test_the_checker_finds_what_it_should(tmp_path, xsd):
    """A chart without the required scatterStyle, a part without a content type and a dangling
    relationship are each reported: the clean result above is not a checker that sees nothing."""
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(COMMITTED) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/charts/chart1.xml":
                data = re.sub(rb'<scatterStyle val="lineMarker" ?/>', b"", data)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                    b'Target="worksheets/nosuch.xml"/></Relationships>')
            dst.writestr(item, data)
        dst.writestr("xl/stray.bin", b"x")
    found = "\n".join(_check(bad, xsd))
    assert "xl/charts/chart1.xml" in found and "scatterStyle" in found
    assert "xl/stray.bin: no content type" in found
    assert "targets missing part xl/worksheets/nosuch.xml" in found


def test_links_inside_the_workbook_use_location(tmp_path):
    """Excel's own form for a link to another sheet: <hyperlink location=...> with no relationship
    (Gnumeric ignores a relationship whose target is '#Sheet!A1')."""
    with zipfile.ZipFile(COMMITTED) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        links = b"".join(z.read(n) for n in sheets).count(b"<hyperlink ")
        located = b"".join(z.read(n) for n in sheets).count(b"location=")
        rels = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/_rels/"))
    assert links >= 50 and located == links
    assert b"relationships/hyperlink" not in rels
