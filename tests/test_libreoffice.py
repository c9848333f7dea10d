"""graddesc.witnesses.libreoffice: LibreOffice as an independent witness (full recalculation, float64 reads).

Skipped when LibreOffice is missing; failed instead when GRADDESC_REQUIRE_WITNESSES=1.
Each call starts its own soffice (about 2 s), so the workbooks below pack many checks per call.
"""

import math
import os
import re
import time
import zipfile

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from graddesc.errors import GraddescError
from tests.witnesses import require_libreoffice


def _name(wb, name, target):
    dn = DefinedName(name, attr_text=target)
    try:
        wb.defined_names[name] = dn  # openpyxl >= 3.1
    except TypeError:
        wb.defined_names.append(dn)


def _with_stale_values(path, sheet_xml, stale):
    """Give formula cells a wrong cached value (openpyxl cannot): {"A2": "999"}."""
    tmp = path.with_name(path.stem + "-stale.xlsx")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == sheet_xml:
                for addr, value in stale.items():
                    data, n = re.subn(
                        rb'(<c r="' + addr.encode() + rb'"[^>]*>)<f>([^<]*)</f>(<v\s*/>|<v>[^<]*</v>)?',
                        lambda m: m.group(1) + b"<f>" + m.group(2) + b"</f><v>" + value.encode() + b"</v>",
                        data)
                    assert n == 1, addr
            zout.writestr(item, data)
    os.replace(tmp, path)


ERROR_FORMULAS = {  # formula -> (Excel error LibreOffice reports, LibreOffice code)
    "=1/0": ("#DIV/0!", 532),
    "=MOD(1,0)": ("#DIV/0!", 532),
    "=SQRT(-1)": ("#VALUE!", 502),  # Excel: #NUM!
    "=LN(0)": ("#VALUE!", 502),  # Excel: #NUM!
    '="a"+1': ("#VALUE!", 519),
    "=FOO(1)": ("#NAME?", 525),
    "=no_such_name*2": ("#NAME?", 525),
    "=NA()": ("#N/A", 32767),
    "=1E308*10": ("#NUM!", 503),
    "=EXP(1000)": ("#NUM!", 503),
    "=#REF!+1": ("#REF!", 524),
    "=1E-160^2": ("#NUM!", 503),  # pow() underflow is an error in LibreOffice (Excel: 0)
}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("lo") / "witness.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Steps"
    ws["A1"] = 3
    ws["A2"] = "=A1*2"
    ws["A3"] = "=A2+1"  # depends on a stale cell
    ws["A4"] = "=SQRT(A1)"
    ws["A5"] = "=0.1+0.2"
    ws["A6"] = "=1/3"
    ws["A7"] = "=adam_lr*10"  # workbook-level defined name on another sheet
    ws["A8"] = "='Hyper params'!B2+A1"  # cross-sheet, quoted name
    ws["A9"] = "=TRUE()"
    ws["A10"] = '=""'
    ws["A11"] = "hello"
    ws["A12"] = "=1E-160*1E-160"  # subnormal product: fine
    ws["A14"] = "=SUM(A1:A6)"  # A13 stays empty
    for row, formula in enumerate(ERROR_FORMULAS, start=1):
        ws.cell(row=row, column=3, value=formula)
    hp = wb.create_sheet("Hyper params")
    hp["A1"] = "adam_lr"
    hp["B1"] = 0.001
    hp["B2"] = 0.25
    _name(wb, "adam_lr", "'Hyper params'!$B$1")
    wb.save(path)
    _with_stale_values(path, "xl/worksheets/sheet1.xml", {"A2": "999", "A3": "999"})
    return path


@pytest.fixture(scope="module")
def recalculated(workbook):
    lo = require_libreoffice()
    return lo.recalculate(workbook)


def test_stale_cached_values_are_recalculated(workbook, recalculated):
    assert openpyxl.load_workbook(workbook, data_only=True)["Steps"]["A2"].value == 999
    steps = recalculated["Steps"]
    assert steps["A2"] == 6.0
    assert steps["A3"] == 7.0
    assert steps["A14"] == 3 + 6 + 7 + math.sqrt(3) + (0.1 + 0.2) + 1 / 3


def test_values_are_full_float64(recalculated):
    steps = recalculated["Steps"]
    assert steps["A4"] == math.sqrt(3)  # bit-equal
    assert steps["A5"] == 0.30000000000000004  # not rounded to 15 digits
    assert steps["A6"] == 1 / 3
    assert steps["A12"] == 1e-160 * 1e-160


def test_defined_names_cross_sheet_text_booleans(recalculated):
    steps = recalculated["Steps"]
    assert steps["A7"] == 0.001 * 10
    assert steps["A8"] == 3.25
    assert steps["A9"] == 1.0  # booleans come back as numbers
    assert steps["A10"] == ""
    assert steps["A11"] == "hello"
    assert recalculated["Hyper params"] == {"A1": "adam_lr", "B1": 0.001, "B2": 0.25}


def test_empty_cells_skipped_and_formulas_listed(recalculated):
    assert list(recalculated) == ["Steps", "Hyper params"]
    steps = recalculated["Steps"]
    assert "A13" not in steps and "B1" not in steps
    formulas = recalculated.formulas["Steps"]
    assert {"A2", "A14", "A10", "C1"} <= formulas
    assert not formulas & {"A1", "A11"}
    assert recalculated.formulas["Hyper params"] == set()
    assert recalculated.formula_values("Steps")["A2"] == 6.0


@pytest.mark.parametrize("row, formula", list(enumerate(ERROR_FORMULAS, start=1)))
def test_errors(recalculated, row, formula):
    text, code = ERROR_FORMULAS[formula]
    assert (recalculated["Steps"][f"C{row}"], recalculated.errors["Steps"][f"C{row}"]) == (text, code)


def test_error_text_table():
    from graddesc.witnesses import libreoffice as lo

    assert lo.error_text(532) == "#DIV/0!" and lo.error_text(32767) == "#N/A"
    assert lo.error_text(9999) == "#N/A"  # LibreOffice's own default when it writes xlsx


def test_sheet_selection(workbook):
    lo = require_libreoffice()
    with pytest.raises(lo.LibreOfficeError, match="no sheet named 'Nope'"):
        lo.recalculate(workbook, sheets=["Hyper params", "Nope"])


def test_save_recalculated(workbook, tmp_path):
    lo = require_libreoffice()
    out = tmp_path / "saved.xlsx"
    lo.save_recalculated(workbook, out)
    values = openpyxl.load_workbook(out, data_only=True)["Steps"]
    formulas = openpyxl.load_workbook(out)["Steps"]
    assert values["A2"].value == 6 and values["A3"].value == 7
    assert values["A4"].value == pytest.approx(math.sqrt(3), rel=1e-14)  # 15 digits in the file
    assert values["C1"].value == "#DIV/0!"
    assert formulas["A2"].value == "=A1*2"
    assert [p.name for p in tmp_path.iterdir()] == ["saved.xlsx"]  # no temporary left behind


def test_edit_and_save(workbook, tmp_path):
    lo = require_libreoffice()
    out = tmp_path / "edited.xlsx"
    lo.edit_and_save(workbook, {"Hyper params": {"B1": 0.5},
                                "Steps": {"A1": 4, "B1": "=SUM(A1,A2)", "B2": "note",
                                          "B3": "='Hyper params'!B2*adam_lr", "A11": None}}, out)
    wb = openpyxl.load_workbook(out, data_only=True)
    steps = wb["Steps"]
    assert wb["Hyper params"]["B1"].value == 0.5
    assert steps["A2"].value == 8 and steps["A7"].value == 5
    assert steps["B1"].value == 12 and steps["B2"].value == "note"
    assert steps["B3"].value == 0.125 and steps["A11"].value is None
    assert openpyxl.load_workbook(out)["Steps"]["B1"].value == "=SUM(A1,A2)"
    assert openpyxl.load_workbook(workbook, data_only=True)["Hyper params"]["B1"].value == 0.001


def test_edit_rejects_bad_formula(workbook, tmp_path):
    lo = require_libreoffice()
    out = tmp_path / "bad.xlsx"
    with pytest.raises(lo.LibreOfficeError, match=r"rejects the formula =SUM\(\( in Steps!B1"):
        lo.edit_and_save(workbook, {"Steps": {"B1": "=SUM(("}}, out)
    assert not out.exists()


@pytest.mark.parametrize("edits, message", [
    ({"Steps": {"A0": 1}}, "bad cell address Steps!A0"),
    ({"Steps": {"A1:B2": 1}}, "bad cell address"),
    ({"Steps": {"A1": float("nan")}}, "not a finite number"),
    ({"Steps": {"A1": [1]}}, "unsupported value"),
])
def test_edit_validation(workbook, tmp_path, edits, message):
    from graddesc.witnesses import libreoffice as lo

    with pytest.raises(lo.LibreOfficeError, match=re.escape(message)):
        lo.edit_and_save(workbook, edits, tmp_path / "x.xlsx")


def test_unloadable_and_missing_files(tmp_path):
    lo = require_libreoffice()
    assert issubclass(lo.LibreOfficeError, GraddescError)
    with pytest.raises(lo.LibreOfficeError, match="no such file"):
        lo.recalculate(tmp_path / "missing.xlsx")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(lo.LibreOfficeError, match="cannot load") as info:
        lo.recalculate(bad)
    assert "\n" not in str(info.value)


def test_timeout_kills_everything(workbook, monkeypatch):
    lo = require_libreoffice()
    seen = {}
    make_workdir, spawn = lo._make_workdir, lo._spawn

    def record_workdir():
        seen["workdir"] = make_workdir()
        return seen["workdir"]

    def record_spawn(*args, **kwargs):
        seen["proc"] = spawn(*args, **kwargs)
        return seen["proc"]

    monkeypatch.setattr(lo, "_make_workdir", record_workdir)
    monkeypatch.setattr(lo, "_spawn", record_spawn)
    start = time.monotonic()
    with pytest.raises(lo.LibreOfficeError, match="did not finish within 0.5 s"):
        lo.recalculate(workbook, timeout=0.5)
    assert time.monotonic() - start < 5
    assert not os.path.exists(seen["workdir"])
    deadline = time.monotonic() + 5
    while True:  # the group (worker + soffice) is gone
        try:
            os.killpg(seen["proc"].pid, 0)
        except ProcessLookupError:
            break
        assert time.monotonic() < deadline, "soffice survived the timeout"
        time.sleep(0.1)
