"""The teaching sheets (intro, compare, sparse, global_min): their numbers answer the learner's
questions, every formula cell has a numpy value, and the engine (and LibreOffice) agree with it."""

import math

import numpy as np
import pytest

from graddesc.optimizers import REGISTRY
from graddesc.problem import TRUE_A, TRUE_B, make_data
from graddesc.trajectory import run
from graddesc.workbook import teaching
from graddesc.workbook.build import build
from graddesc.workbook.layout import Compare, GlobalMin, Sparse
from graddesc.workbook.teaching import compare, global_min, sparse
from graddesc.xlsx.model import Cell, col_letter
from tests.witnesses import require_libreoffice

EPOCHS = 2


def _value(item):
    return item.value if isinstance(item, Cell) else item


def _model_reader(book):
    """read(sheet, addr) over the model's constant cells (what a freshly built file holds)."""
    import re

    sheets = {sh.name: sh for sh in book.sheets}

    def read(sheet, addr):
        sh = sheets.get(sheet)
        if sh is None:
            return None
        m = re.fullmatch(r"([A-Z]+)([0-9]+)", addr)
        col = 0
        for ch in m.group(1):
            col = col * 26 + ord(ch) - 64
        row = int(m.group(2))
        if row > len(sh.rows) or col > len(sh.rows[row - 1]):
            return None
        v = _value(sh.rows[row - 1][col - 1])
        assert not (isinstance(v, str) and v.startswith("=")), f"read() of a formula cell {sheet}!{addr}"
        return v

    return read


def _formula_cells(sh):
    from graddesc.xlsx.model import col_letter

    out = {}
    for r, row in enumerate(sh.rows, start=1):
        for c, item in enumerate(row, start=1):
            v = _value(item)
            if isinstance(v, str) and v.startswith("="):
                out[f"{col_letter(c)}{r}"] = v
    return out


@pytest.fixture(scope="module")
def book():
    return build(make_data(), EPOCHS)


@pytest.fixture(scope="module")
def expected(book):
    read = _model_reader(book)
    return teaching.expected_cells(read), teaching.expected_text(read)


def _sheet(book, name):
    return next(sh for sh in book.sheets if sh.name == name)


def test_sheet_order_intro_first_then_data_optimizers_and_teaching_sheets(book):
    names = [sh.name for sh in book.sheets]
    assert names == ["intro", "data", *REGISTRY, "compare", "sparse", "global_min"]


def test_intro_links_every_sheet(book):
    intro = _sheet(book, "intro")
    links = {c.link for row in intro.rows for c in row if isinstance(c, Cell) and c.link}
    for sh in book.sheets:
        if sh.name != "intro":
            assert f"#'{sh.name}'!A1" in links, sh.name


def test_every_formula_cell_of_the_teaching_sheets_has_a_numpy_value(book, expected):
    floats, texts = expected
    for name in teaching.SHEETS:
        formulas = set(_formula_cells(_sheet(book, name)))
        covered = set(floats[name]) | set(texts[name])
        assert formulas == covered, (name, sorted(formulas - covered)[:5], sorted(covered - formulas)[:5])
        assert not set(floats[name]) & set(texts[name])


# ------------------------------------------------------------------------- the learner's answers

def test_sparse_rare_parameter_keeps_the_largest_effective_lr():
    x, z, y = sparse.sparse_data()
    hp = {name: value for name, _, value, _ in sparse.SP_HYPERS}
    o = sparse.sparse_run(x, z, y, hp)
    eff_a, eff_c, eff_b = o["ada_eff"][-1]
    # c (feature z, rare) and b (feature 1, every step) have features of the same size: only
    # frequency differs, and the rare one keeps the larger step
    assert eff_c > 1.5 * eff_b > 1.5 * eff_a
    nz = o["ada_nz"].sum(axis=0)
    assert nz[1] == sparse.SP_RARE * sparse.SP_EPOCHS < nz[2] == nz[0] == len(x) * sparse.SP_EPOCHS
    # a's gradients are bigger (x up to 5): the smallest effective lr
    assert eff_a < eff_b
    # so Adagrad learns the rare c; SGD with one lr is still far off
    true_c = sparse.SP_TRUE[1]
    assert abs(o["ada_p"][-1, 1] - true_c) < 0.01 < 1.0 < abs(o["sgd_p"][-1, 1] - true_c)


def test_sparse_step_one_is_lr_times_sign_of_g():
    x, z, y = sparse.sparse_data()
    hp = {name: value for name, _, value, _ in sparse.SP_HYPERS}
    hp["sparse_init_acc"] = 0.0
    o = sparse.sparse_run(x, z, y, hp, epochs=1)
    step = o["ada_p"][0] - np.array([hp["sparse_start_a"], hp["sparse_start_c"], hp["sparse_start_b"]])
    g = o["ada_g"][0]
    want = -hp["sparse_adagrad_lr"] * np.sign(g)
    assert np.allclose(step[g != 0], want[g != 0], rtol=1e-9)


def test_global_min_winner_is_the_lowest_end(expected):
    floats, _ = expected
    g = floats["global_min"]
    k = GlobalMin.runs
    cols = [GlobalMin.summary.letter("run", j) for j in range(k)]
    ends = [g[f"{c}{GlobalMin.end_f}"] for c in cols]
    best = [g[f"{c}{GlobalMin.best}"] for c in cols]
    win = int(np.argmin(ends))
    assert best == [1.0 if j == win else 0.0 for j in range(k)]
    assert all(ends[win] < e for j, e in enumerate(ends) if j != win)
    assert g[GlobalMin.best_f.addr] == ends[win]
    # the winner sits in the deepest valley of f, near w = -1.47; the others are true local minima
    assert abs(g[f"{cols[win]}{GlobalMin.end_w}"] + 1.4725) < 1e-3
    for c in cols:
        assert abs(g[f"{c}{GlobalMin.slope}"]) < 1e-6 and g[f"{c}{GlobalMin.curv}"] > 0
        assert g[f"{c}{GlobalMin.wall}"] >= 0
    # the wall from the valley at 4.41 to the best one is the hill at w = 1.68 (f = 3.26)
    j = global_min.GM_STARTS.index(3.0)
    assert abs(g[f"{cols[j]}{GlobalMin.wall}"] - (global_min.fw(1.6) - ends[j])) < 1e-9


def test_global_min_claims_of_the_text():
    # "gm_momentum 0.9 - the run from 13 rolls over two walls into the deepest valley"
    w = global_min.gm_momentum_run(13.0, 0.05, 0.9)[-1, 2]
    assert abs(w + 1.47) < 0.01
    w = global_min.gm_momentum_run(13.0, 0.05, 0.8)[-1, 2]
    assert abs(w - 10.24) < 0.01
    # the seeded annealing run from 13 finds the deepest valley
    u, r = global_min.gm_random()
    hp = {name: value for name, _, value, _ in global_min.GM_HYPERS}
    sa = global_min.gm_annealing(hp["gm_sa_start"], hp["gm_sa_t0"], hp["gm_sa_cooling"], hp["gm_sa_step"], u, r)
    assert abs(sa[-1, 6] + 1.47) < 0.05


def test_compare_first_step_within_tolerance_equals_numpy(book, expected):
    floats, texts = expected
    data = make_data()
    for i, name in enumerate(REGISTRY):
        opt = REGISTRY[name]
        tr = run(opt, opt.defaults(), data, EPOCHS)
        col = col_letter(Compare.columns(list(REGISTRY)).opt[name])
        ok = np.nonzero((np.abs(tr.new_p[:, 0] - TRUE_A) < compare.DEFAULT_TOL)
                        & (np.abs(tr.new_p[:, 1] - TRUE_B) < compare.DEFAULT_TOL))[0]
        addr = f"{col}{Compare.first_within}"
        if ok.size:
            assert floats["compare"][addr] == ok[0] + 1
        else:
            assert texts["compare"][addr] == "not reached"
        assert floats["compare"][f"{col}{Compare.final_b}"] == tr.new_p[-1, 1]
        first_epoch = tr.loss[:len(data)]
        assert math.isclose(floats["compare"][f"{col}{Compare.table(1)}"], first_epoch.mean(), rel_tol=1e-12)


def test_compare_adam_arrives_within_20_epochs():
    data = make_data()
    opt = REGISTRY["adam"]
    tr = run(opt, opt.defaults(), data, 20)
    ok = (np.abs(tr.new_p[:, 0] - TRUE_A) < compare.DEFAULT_TOL) & (np.abs(tr.new_p[:, 1] - TRUE_B) < compare.DEFAULT_TOL)
    assert ok.any()


# ------------------------------------------------------------------------ engine and LibreOffice

def _engine():
    from graddesc import engine

    return engine


def _agree(get, floats, texts, rtol, atol):
    bad = []
    for sheet in teaching.SHEETS:
        for addr, exp in floats[sheet].items():
            v = get(sheet, addr)
            if not math.isfinite(exp):
                if isinstance(v, float) and math.isfinite(v):
                    bad.append((sheet, addr, exp, v))
                continue
            if not isinstance(v, (int, float)) or abs(v - exp) > rtol * max(abs(v), abs(exp)) + atol:
                bad.append((sheet, addr, exp, v))
        for addr, exp in texts[sheet].items():
            v = get(sheet, addr)
            if (v if v is not None else "") != exp:
                bad.append((sheet, addr, exp, v))
    return bad


def _evaluated(book):
    engine = _engine()
    wb = engine.Workbook.from_model(book)
    wb.evaluate(strict=True)
    return wb


def _engine_check(book):
    wb = _evaluated(book)

    def read(sheet, addr):
        return wb.value(sheet, addr) if sheet in wb.sheet_names else None

    floats, texts = teaching.expected_cells(read), teaching.expected_text(read)
    bad = _agree(wb.value, floats, texts, 1e-12, 1e-13)
    assert not bad, bad[:5]
    return wb, floats


def test_engine_agrees_with_numpy_on_the_teaching_sheets(book):
    _engine_check(book)


def test_engine_agrees_after_a_learner_edits_inputs():
    book = build(make_data(), EPOCHS)
    gm = _sheet(book, "global_min")
    sp = _sheet(book, "sparse")
    cmp_ = _sheet(book, "compare")
    gm.put(GlobalMin.settings.row("gm_momentum"), 2, 0.9)
    gm.put(GlobalMin.start_w, GlobalMin.summary.col("run", 1), 0.5)  # start 2
    sp.put(Sparse.settings.row("sparse_adagrad_lr"), 2, 0.7)
    sp.put(Sparse.start + 4, Sparse.data.col("z"), 1.0)  # z = 1 on one more sample (y not changed)
    cmp_.put(*Compare.tol, 5.0)
    wb, floats = _engine_check(book)
    # with momentum 0.9 the run from 13 reaches the deepest valley, like the one from -4
    assert abs(floats["global_min"][f"{GlobalMin.summary.letter('run', global_min.GM_STARTS.index(13.0))}{GlobalMin.end_w}"] + 1.47) < 0.01
    assert wb.value("global_min", f"{GlobalMin.summary.letter('run', global_min.GM_STARTS.index(13.0))}{GlobalMin.end_w}") == floats["global_min"][f"{GlobalMin.summary.letter('run', global_min.GM_STARTS.index(13.0))}{GlobalMin.end_w}"]


def test_libreoffice_witness_agrees_on_the_teaching_sheets(book, expected, tmp_path):
    lo = require_libreoffice()
    from graddesc.xlsx import writer

    path = tmp_path / "wb.xlsx"
    writer.write_workbook(book, path)
    values = lo.recalculate(path)
    floats, texts = expected

    def get(sheet, addr):
        return values[sheet].get(addr)

    bad = _agree(get, floats, texts, 1e-9, 1e-9)
    assert not bad, bad[:5]
