"""Engine vs numpy on whole workbooks: the default one, other hyperparameters and data, user edits,
tampering; the `formulas` package as an independent witness; the committed workbook is current."""

import json
import math
import re
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from graddesc import verify
from graddesc.cli import main
from graddesc.engine import Workbook
from graddesc.errors import InputError
from graddesc.optimizers import REGISTRY
from graddesc.problem import make_data
from graddesc.workbook import layout
from graddesc.workbook.build import build_file
from graddesc.workbook.data_sheet import data_sheet
from graddesc.workbook.optimizer_sheet import optimizer_sheet

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "workbooks" / "graddesc.xlsx"


@pytest.fixture(scope="module")
def default_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "graddesc.xlsx"
    build_file(path)
    return path


@pytest.fixture(scope="module")
def small_book(tmp_path_factory):
    """A 2-epoch workbook: the edit tests make their point on it at a tenth of the default's size."""
    path = tmp_path_factory.mktemp("wb") / "small.xlsx"
    build_file(path, epochs=2)
    return path


def _step_cell(opt, key, param, step):
    """The address of `key` (for parameter `param`) at `step` on optimizer `opt`'s sheet."""
    return f"{layout.table_column(REGISTRY[opt], key, param).letter}{layout.step_row(step)}"


def _hyper_cell(opt, name):
    return layout.hyper_spot([h.name for h in REGISTRY[opt].hypers].index(name)).addr


FIRST_X = f"{layout.DataSheet.samples.letter('x')}{layout.DataSheet.first_row}"


def test_default_workbook_agrees_cell_by_cell(default_book):
    rep = verify.verify_file(default_book)
    assert rep.ok, rep.text()
    names = [s.sheet for s in rep.sheets]
    assert set(REGISTRY) <= set(names) and {"compare", "sparse", "global_min"} <= set(names)
    for s in rep.sheets:
        if s.sheet not in REGISTRY:
            assert s.cells > 100 and s.max_rel <= verify.RTOL
            continue
        opt = REGISTRY[s.sheet]
        cols = [c for c in layout.table_columns(opt) if c.template is not None]
        n_epoch_cells = sum(2 if not c.shared else 1 for c in opt.epoch_columns) * 20
        assert s.cells == len(cols) * len(make_data()) * 20 + n_epoch_cells
        # pinned: on every optimizer sheet the engine reproduces numpy to the last bit (the same
        # IEEE operations in the same order); any engine change that alters one rounding fails here
        assert s.max_abs == 0.0, (s.sheet, s.max_abs)
        assert s.max_rel_cell is None and s.tol_used == 0.0  # no difference anywhere: no cell to point at
    j = rep.to_json()
    assert j["cells"] == sum(s.cells for s in rep.sheets) and j["mismatches"] == []
    # where a sheet's largest difference is, so it can be looked at: a formula cell of that sheet
    gm = next(s for s in j["sheets"] if s["sheet"] == "global_min")
    assert gm["max_rel_diff"] > 0 and gm["max_rel_cell"] is not None
    assert 0 < gm["tolerance_used"] < 1 and gm["tolerance_used_cell"] is not None
    wb = Workbook.load(default_book)
    assert wb.formula("global_min", gm["max_rel_cell"]).startswith("=")
    gm_line = next(line for line in rep.text().splitlines() if line.strip().startswith("global_min"))
    assert f"max rel {gm['max_rel_diff']:.2g} at {gm['max_rel_cell']}" in gm_line, gm_line


def test_engine_values_are_numpy_values(default_book):
    """Spot check through the public API: Adam's last new a / b equal numpy's to the last bit."""
    wb = Workbook.load(default_book).evaluate()
    from graddesc.trajectory import run

    opt = REGISTRY["adam"]
    tr = run(opt, opt.resolve(), make_data(), 20)
    cols = {(c.key, c.param): c for c in layout.table_columns(opt)}
    last = layout.step_row(len(make_data()) * 20)
    assert wb.value("adam", f"{cols[('new', 0)].letter}{last}") == tr.new_p[-1, 0]
    assert wb.value("adam", f"{cols[('new', 1)].letter}{last}") == tr.new_p[-1, 1]
    assert abs(tr.new_p[-1, 0] - 2) < 0.01 and abs(tr.new_p[-1, 1] - 30) < 0.5


@pytest.mark.parametrize("overrides", [
    {"sgd": {"lr": 3e-5, "weight_decay": 0.01}, "adam": {"lr": 0.1, "beta1": 0.5, "amsgrad": 1}},
    {"momentum": {"nesterov": 1, "lr": 5e-6}, "rmsprop": {"centered": 1, "momentum": 0.3, "lr": 0.01},
     "adagrad": {"lr_decay": 0.01, "initial_accumulator_value": 0.1}},
])
def test_other_hyperparameters(tmp_path, overrides):
    path = tmp_path / "w.xlsx"
    build_file(path, epochs=3, overrides=overrides)
    rep = verify.verify_file(path)
    assert rep.ok, rep.text()
    wb = Workbook.load(path).evaluate()
    for opt, hp in overrides.items():
        for k, v in hp.items():
            assert wb.value(*wb.resolve_name(f"{opt}_{k}")) == v


def test_other_data_from_csv(tmp_path):
    rng = np.random.default_rng(5)
    x = rng.uniform(-3, 3, 17)
    y = -1.5 * x + 4 + rng.normal(0, 0.1, 17)
    f = tmp_path / "d.csv"
    f.write_text("x,y\n" + "".join(f"{float(a)!r},{float(b)!r}\n" for a, b in zip(x, y)))
    path = tmp_path / "w.xlsx"
    assert main(["build", "-o", str(path), "--data", str(f), "--epochs", "4",
                 "--set", "sgd.lr=0.01", "--set", "momentum.lr=0.005"]) == 0
    rep = verify.verify_file(path)
    assert rep.ok, rep.text()
    assert sum(s.cells for s in rep.sheets) > 5 * 17 * 4 * 14
    wb = Workbook.load(path).evaluate()
    last_x = f"{layout.DataSheet.samples.letter('x')}{layout.DataSheet.first_row + len(x) - 1}"
    assert wb.value("data", last_x) == x[-1] and wb.value("sgd", _step_cell("sgd", "x", None, 1)) == x[0]


def test_user_edits_are_honoured(tmp_path, small_book):
    """Edit a hyperparameter and a data cell (as a user would, in the file): verify reads the new
    values, recomputes numpy with them and still agrees; the values really changed."""
    path = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(small_book)
    wb["adam"][_hyper_cell("adam", "lr")] = 0.05
    wb["data"][FIRST_X] = 50
    wb.save(path)
    rep = verify.verify_file(path)
    assert rep.ok, rep.text()
    before = Workbook.load(small_book).evaluate()
    after = Workbook.load(path).evaluate()
    new_a = _step_cell("adam", "new", 0, 1)
    assert after.value("adam", new_a) != before.value("adam", new_a)
    assert after.value("sgd", _step_cell("sgd", "x", None, 1)) == 50.0


def test_constant_typed_over_a_formula_is_reported(tmp_path, small_book):
    path = tmp_path / "typed.xlsx"
    addr = _step_cell("adam", "m", 0, 11)
    wb = openpyxl.load_workbook(small_book)
    wb["adam"][addr] = 0.123
    wb.save(path)
    rep = verify.verify_file(path)
    assert not rep.ok
    first = rep.mismatches[0]
    assert (first.sheet, first.cell, first.formula) == ("adam", addr, None)
    assert "constant was typed over this formula cell" in first.text()


def test_tampered_formula_gives_first_diverging_cell(tmp_path, small_book, capsys):
    """One factor changed in adam's v at step 31 (the first step of epoch 2): verify names that cell,
    its step and its formula first."""
    path = tmp_path / "tampered.xlsx"
    v, v_prev, g = _step_cell("adam", "v", 0, 31), _step_cell("adam", "v", 0, 30), _step_cell("adam", "g", 0, 31)
    wb = openpyxl.load_workbook(small_book)
    wb["adam"][v] = f"=adam_beta2*{v_prev}+(1-adam_beta2)*{g}^2*1.0001"
    wb.save(path)
    assert main(["verify", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["mismatches"]
    m = report["mismatches"][0]
    assert (m["sheet"], m["cell"], m["step"]) == ("adam", v, 31)
    assert m["formula"].endswith("*1.0001") and m["expected"] != m["actual"]
    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and f"adam!{v}" in out


def test_verify_bad_hyperparameter_in_file(tmp_path, small_book, capsys):
    path = tmp_path / "bad.xlsx"
    addr = _hyper_cell("adam", "beta1")
    wb = openpyxl.load_workbook(small_book)
    wb["adam"][addr] = 1.5
    wb.save(path)
    assert main(["verify", str(path)]) == 2
    assert f"beta1 (adam!{addr}) must be in [0, 1), got 1.5" in capsys.readouterr().err


def test_formulas_package_agrees_with_engine(tmp_path):
    """`formulas` (an independent evaluator) on a small build: every formula cell within 1e-12
    relative of the engine (both compute in IEEE doubles; formulas uses numpy's power)."""
    formulas = pytest.importorskip("formulas")
    path = tmp_path / "small.xlsx"
    from graddesc.xlsx.model import Workbook as Model
    from graddesc.xlsx.writer import write_workbook

    sheets, names = [], {}
    for sh, nm in [data_sheet(make_data(), "")] + [
            optimizer_sheet(REGISTRY[o], REGISTRY[o].resolve(), len(make_data()), 1) for o in ("sgd", "adam")]:
        sheets.append(sh)
        names.update(nm)
    model = Model(sheets, names)

    write_workbook(model, path)
    ours = Workbook.load(path).evaluate()
    sol = formulas.ExcelModel().loads(str(path)).finish().calculate()
    compared = 0
    for key, val in sol.items():
        if "!" not in key or ":" in key:
            continue
        sheet, addr = key.split("]", 1)[1].split("!")
        sheet = sheet.strip("'").lower()
        if not re.fullmatch(r"[A-Z]{1,3}[0-9]+", addr) or ours.formula(sheet, addr) is None:
            continue
        theirs = val.value[0, 0] if hasattr(val, "value") else val
        mine = ours.value(sheet, addr)
        assert isinstance(mine, float)
        assert math.isclose(float(theirs), mine, rel_tol=1e-12, abs_tol=1e-12), (sheet, addr, theirs, mine)
        compared += 1
    assert compared == sum(1 for s in ("sgd", "adam") for _ in ours.formula_cells(s))
    assert compared > 900


def test_build_is_deterministic(tmp_path, small_book):
    again = tmp_path / "again.xlsx"
    build_file(again, epochs=2)
    assert again.read_bytes() == small_book.read_bytes()


def test_committed_workbook_is_current(default_book):
    fresh = default_book  # what `graddesc build` writes with the defaults
    assert COMMITTED.exists(), "run `graddesc build` and commit workbooks/graddesc.xlsx"
    assert fresh.read_bytes() == COMMITTED.read_bytes(), "workbooks/graddesc.xlsx is stale: run `graddesc build`"


def test_build_refuses_to_overwrite_an_edited_workbook(tmp_path, capsys):
    path = tmp_path / "w.xlsx"
    build_file(path, epochs=1)
    build_file(path, epochs=2)  # unchanged since graddesc wrote it: fine to replace
    wb = openpyxl.load_workbook(path)
    wb["adam"][_hyper_cell("adam", "lr")] = 0.3
    wb.save(path)
    edited = path.read_bytes()
    assert main(["build", "-o", str(path), "--epochs", "1"]) == 2
    assert "changed after graddesc wrote it" in capsys.readouterr().err
    assert path.read_bytes() == edited
    assert main(["build", "-o", str(path), "--epochs", "1", "--force"]) == 0
    assert path.read_bytes() != edited
    other = tmp_path / "notes.xlsx"
    other.write_bytes(b"not ours")
    with pytest.raises(InputError):
        build_file(other, epochs=1)
    assert other.read_bytes() == b"not ours"


def test_libreoffice_witness_on_the_committed_workbook(capsys):
    """`graddesc verify --libreoffice` on the committed workbook: LibreOffice's full recalculation
    (fresh profile) is compared with numpy on every cell the engine is compared on, numbers and
    text alike.  Tolerance LO_RTOL = LO_ATOL_SCALE = 1e-9 of the column's scale, from the measured
    facts: LibreOffice snaps near-cancelling subtractions to exactly 0 and its ^ is pow(), so its
    values differ from numpy's by a few ulps that the recurrences carry forward (see verify.py)."""
    from tests.witnesses import require_libreoffice

    require_libreoffice()
    assert main(["verify", str(COMMITTED), "--libreoffice", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mismatches"] == [] and report["libreoffice_cells"] == report["cells"] > 250_000
    for s in report["sheets"]:
        assert s["libreoffice_cells"] == s["cells"] > 1000, s["sheet"]
        # measured: LibreOffice differs by ulps only on the three sheets with an epoch-level
        # SQRT(SUMSQ(...)) (largest relative difference 4e-12, on the loss of a converged step, a
        # near-cancelling difference); on every other optimizer sheet it is bit-equal to numpy
        if s["sheet"] in REGISTRY and s["sheet"] not in ("adagrad_fastai", "adagrad_ann", "adam_ann"):
            assert s["libreoffice_max_rel_diff"] == 0.0, s
