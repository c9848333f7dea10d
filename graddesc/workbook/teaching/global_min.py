"""The global_min sheet: f(w) = w^2/10 + 3*sin(w); momentum from six starts, best of N, how local
each minimum is; simulated annealing from one start; and numpy's value of each of its formulas."""

from __future__ import annotations

import math

import numpy as np

from graddesc.optimizers import Optimizer
from graddesc.workbook.layout import GLOBAL
from graddesc.workbook.teaching.common import (
    link,
    number,
    put,
    put_lines,
    settings,
)
from graddesc.xlsx.model import Cell, Chart, Highlight, Series, Sheet, col_letter

GM_STEPS = 300
GM_STARTS = (-14.0, -9.0, -4.0, 3.0, 7.0, 13.0)
GM_HYPERS = (("gm_lr", "lr", 0.05, "momentum descent: w <- w - lr*v"),
             ("gm_momentum", "momentum", 0.8, "momentum descent: v <- momentum*v + f'(w)"),
             ("gm_sa_start", "annealing: start", 13.0, "simulated annealing starts here"),
             ("gm_sa_t0", "annealing: T0", 5.0, "temperature on step 1: how readily uphill moves are taken"),
             ("gm_sa_cooling", "annealing: cooling", 0.98, "T = T0 * cooling^(t-1): in (0, 1], smaller cools faster"),
             ("gm_sa_step", "annealing: step", 3.0, "proposal = w + step * u, u random in [-1, 1]"))
GM_SA_SEED = 7
GM_GRID = (-16.0, 0.2, 161)  # first w, spacing, points
GM_SET_ROW = 11
GM_SUM_HEAD = 19
GM_START_ROW, GM_END_W, GM_END_F, GM_SLOPE, GM_CURV, GM_BEST, GM_GAP, GM_WALL = range(20, 28)
GM_BEST_F, GM_BEST_W = 29, 30
GM_CHART_ROW = 32
GM_HEAD = 55
GM_START = 56
GM_SA = 27  # u, r, T, proposal, f(proposal), accept, w, f(w), best w, best f
GM_GRID_COL = 38  # w, f(w), then one helper per run (6 starts + annealing)
GM_MARK_COL = GM_GRID_COL + 10  # chart helper: a vertical line at each run's end (w, f) pairs
GM_MARK_BOTTOM = -4.0
F_TEXT = "f(w) = w^2/10 + 3*sin(w)"


def gm_random():
    rng = np.random.default_rng(GM_SA_SEED)
    u = np.round(rng.uniform(-1, 1, GM_STEPS), 4)
    r = np.round(rng.uniform(0, 1, GM_STEPS), 4)
    return u, r


def _f(w):
    return "{0}^2/10+3*SIN({0})".format(w)


def global_min_sheet(opts: list[Optimizer]) -> tuple[Sheet, dict[str, str]]:
    sh = Sheet(GLOBAL)
    L = col_letter
    k = len(GM_STARTS)
    last = GM_START + GM_STEPS
    sgdr = "adam_sgdr" in {o.name for o in opts}
    sh.put(1, 1, Cell(f"Local and global minima of {F_TEXT}: many starts, best of N, how local a minimum is", "title"))
    put_lines(sh, 2, [
        "Gradient descent only feels the local slope, so it stops in whichever valley it starts in. This f has five "
        "valleys between -16 and 16; the deepest (the global minimum) is near w = -1.47.",
        f"Best of N (multi-start): the same momentum descent runs from {k} starts; row {GM_BEST} and the green column mark "
        "the lowest end. It finds the global minimum only if some start lies in its valley: more starts, more chances.",
        f"How local is a minimum? Row {GM_GAP}: how much worse than the best end. Row {GM_WALL}: the wall = the highest f "
        "between this end and the best end, minus f here; a low wall is escaped by a little more momentum or lr.",
        f"Row {GM_CURV}: curvature f''(w) at the end (> 0 at a minimum; large = a narrow valley, small = a wide, flat one).",
        "Try: gm_momentum 0.9 - the run from 13 rolls over two walls into the deepest valley; 0.95 - most runs do.",
        f"Simulated annealing (column {L(2 + k)}; its table from column {L(GM_SA)}): random proposals w + step*u; downhill "
        "is always taken, uphill with probability exp(-rise/T); T shrinks each step, so it jumps walls early and "
        "settles late.",
        "   It is random: u and r are seeded numbers; change them (or the start) and it may end in another valley.",
        "Warm restarts (SGDR) raise the learning rate back up every few epochs to kick the optimizer out of narrow "
        "valleys: " + ("see the adam_sgdr sheet." if sgdr else "not in this workbook yet."),
    ])
    if sgdr:
        sh.put(9, 14, Cell("adam_sgdr sheet", "link", link=link("adam_sgdr")))
    names = settings(sh, GLOBAL, GM_SET_ROW, GM_HYPERS)
    sh.put(GM_SET_ROW + len(GM_HYPERS), 1, Cell("momentum descent: v = momentum*v + f'(w), w = w - lr*v, "
                                                "with f'(w) = w/5 + 3*cos(w); v = 0 at the start", "note"))
    # summary
    sh.put(GM_SUM_HEAD, 1, Cell("run", "header"))
    labels = {GM_START_ROW: ("start w (edit me)", None), GM_END_W: ("end w", None), GM_END_F: ("f(end)", None),
              GM_SLOPE: ("slope f'(end)", "f'(w) = w/5 + 3*cos(w): about 0 once a run has settled"),
              GM_CURV: ("curvature f''(end)", "f''(w) = 0.2 - 3*sin(w): > 0 at a minimum, large = narrow valley"),
              GM_BEST: ("best of the 6? (1 = yes)", "1 where f(end) is the lowest of the 6 starts"),
              GM_GAP: ("worse than best by", "f(end) - the best f(end) of the 6 starts"),
              GM_WALL: ("wall to the best valley", "highest f (on the grid, column "
                        f"{L(GM_GRID_COL)}) between this end and the best end, minus f(end)")}
    for r, (text, note) in labels.items():
        sh.put(r, 1, Cell(text, "label", comment=note))
    sa_w, sa_f = L(GM_SA + 8), L(GM_SA + 9)  # annealing: best seen
    fr = f"$B${GM_END_F}:${L(1 + k)}${GM_END_F}"
    for j in range(k + 1):
        col = 2 + j
        c = L(col)
        if j < k:
            wcol, fcol = L(2 + 4 * j + 2), L(2 + 4 * j + 3)
            sh.put(GM_SUM_HEAD, col, Cell(f"start {j + 1}", "header"))
            sh.put(GM_START_ROW, col, Cell(GM_STARTS[j], "input", comment=f"named cell gm_start_{j + 1}"))
            names[f"gm_start_{j + 1}"] = f"{GLOBAL}!${c}${GM_START_ROW}"
        else:
            wcol, fcol = sa_w, sa_f
            sh.put(GM_SUM_HEAD, col, Cell("annealing", "header", comment="simulated annealing: the best w it saw"))
            sh.put(GM_START_ROW, col, "=gm_sa_start")
        sh.put(GM_END_W, col, Cell(f"={wcol}{last}", number_format="0.000"))
        sh.put(GM_END_F, col, Cell(f"={fcol}{last}", "result", "0.000"))
        sh.put(GM_SLOPE, col, Cell(f"={c}{GM_END_W}/5+3*COS({c}{GM_END_W})", number_format="0.0000"))
        sh.put(GM_CURV, col, Cell(f"=0.2-3*SIN({c}{GM_END_W})", number_format="0.00"))
        if j < k:
            sh.put(GM_BEST, col, f"=IF({c}{GM_END_F}=MIN({fr}),1,0)")
        sh.put(GM_GAP, col, Cell(f"={c}{GM_END_F}-$B${GM_BEST_F}", number_format="0.000"))
        h = L(GM_GRID_COL + 2 + j)
        sh.put(GM_WALL, col, Cell(f"=MAX({h}{GM_START}:{h}{GM_START + GM_GRID[2] - 1},{c}{GM_END_F})-{c}{GM_END_F}",
                                  number_format="0.000"))
    sh.put(GM_BEST_F, 1, Cell("best f of the 6", "label"))
    sh.put(GM_BEST_F, 2, Cell(f"=MIN({fr})", "result", "0.000"))
    sh.put(GM_BEST_W, 1, Cell("its end w", "label"))
    br = f"$B${GM_BEST}:${L(1 + k)}${GM_BEST}"
    sh.put(GM_BEST_W, 2, Cell(f"=SUMPRODUCT({br},$B${GM_END_W}:${L(1 + k)}${GM_END_W})/SUM({br})", "result", "0.000"))
    sh.highlights.append(Highlight(f"B{GM_START_ROW}:{L(1 + k)}{GM_WALL}", f"B${GM_BEST}=1", fill="C6EFCE"))
    # step table
    sh.put(GM_HEAD, 1, Cell("step t", "header"))
    sh.put(GM_START, 1, Cell(0, "start"))
    for j in range(k):
        base = 2 + 4 * j
        sh.put(GM_HEAD - 1, base, Cell(f"start {j + 1}: from gm_start_{j + 1}", "label"))
        for d, (h, note) in enumerate((("f'(w)", "slope at the previous row's w: w/5 + 3*cos(w)"),
                                       ("v", "velocity: momentum*v + f'(w)"), ("w", "w - lr*v"),
                                       ("f(w)", "w^2/10 + 3*sin(w)"))):
            sh.put(GM_HEAD, base + d, Cell(f"{h} ({j + 1})", "header", comment=note))
        g, v, w, f = (L(base + d) for d in range(4))
        sh.put(GM_START, base + 1, Cell(0.0, "start"))
        sh.put(GM_START, base + 2, Cell(f"={L(2 + j)}${GM_START_ROW}", "start", "0.000"))
        sh.put(GM_START, base + 3, Cell("=" + _f(f"{w}{GM_START}"), "start", "0.000"))
        for t in range(1, GM_STEPS + 1):
            r, rp = GM_START + t, GM_START + t - 1
            sh.put(r, base, Cell(f"={w}{rp}/5+3*COS({w}{rp})", number_format="0.000"))
            sh.put(r, base + 1, Cell(f"=gm_momentum*{v}{rp}+{g}{r}", number_format="0.000"))
            sh.put(r, base + 2, Cell(f"={w}{rp}-gm_lr*{v}{r}", number_format="0.000"))
            sh.put(r, base + 3, Cell("=" + _f(f"{w}{r}"), number_format="0.000"))
    u, rnd = gm_random()
    sh.put(GM_HEAD - 1, GM_SA, Cell("simulated annealing from w = gm_sa_start", "label"))
    sa_heads = (("u", "random in [-1, 1] (seeded; edit me)"), ("r", "random in [0, 1) (seeded; edit me)"),
                ("T", "temperature gm_sa_t0 * gm_sa_cooling^(t-1)"), ("w'", "proposal w + gm_sa_step*u"),
                ("f(w')", "f at the proposal"), ("accept?", "1 if r < exp(-max(0, f(w') - f(w))/T): always downhill"),
                ("w", "w' if accepted, else w"), ("f(w)", "f(w)"), ("best w", "the w with the lowest f so far"),
                ("best f", "the lowest f so far"))
    for d, (h, note) in enumerate(sa_heads):
        sh.put(GM_HEAD, GM_SA + d, Cell(h, "header", comment=note))
    U, R, T, P, FP, A, W, FW, BW, BF = (L(GM_SA + d) for d in range(10))
    sh.put(GM_START, GM_SA + 6, Cell("=gm_sa_start", "start", "0.000"))
    sh.put(GM_START, GM_SA + 7, Cell("=" + _f(f"{W}{GM_START}"), "start", "0.000"))
    sh.put(GM_START, GM_SA + 8, Cell(f"={W}{GM_START}", "start", "0.000"))
    sh.put(GM_START, GM_SA + 9, Cell(f"={FW}{GM_START}", "start", "0.000"))
    for t in range(1, GM_STEPS + 1):
        r, rp = GM_START + t, GM_START + t - 1
        sh.put(r, 1, t)
        sh.put(r, GM_SA, float(u[t - 1]))
        sh.put(r, GM_SA + 1, float(rnd[t - 1]))
        sh.put(r, GM_SA + 2, Cell(f"=gm_sa_t0*gm_sa_cooling^(A{r}-1)", number_format="0.000"))
        sh.put(r, GM_SA + 3, Cell(f"={W}{rp}+gm_sa_step*{U}{r}", number_format="0.000"))
        sh.put(r, GM_SA + 4, Cell("=" + _f(f"{P}{r}"), number_format="0.000"))
        sh.put(r, GM_SA + 5, f"=IF({R}{r}<EXP(-MAX(0,{FP}{r}-{FW}{rp})/{T}{r}),1,0)")
        sh.put(r, GM_SA + 6, Cell(f"=IF({A}{r}=1,{P}{r},{W}{rp})", number_format="0.000"))
        sh.put(r, GM_SA + 7, Cell(f"=IF({A}{r}=1,{FP}{r},{FW}{rp})", number_format="0.000"))
        sh.put(r, GM_SA + 8, Cell(f"=IF({FW}{r}<{BF}{rp},{W}{r},{BW}{rp})", number_format="0.000"))
        sh.put(r, GM_SA + 9, Cell(f"=MIN({BF}{rp},{FW}{r})", number_format="0.000"))
    # grid of f and the wall helpers
    gw, gf = L(GM_GRID_COL), L(GM_GRID_COL + 1)
    sh.put(GM_HEAD - 1, GM_GRID_COL, Cell("f on a grid, for the chart and the walls (row "
                                          f"{GM_WALL})", "label"))
    sh.put(GM_HEAD, GM_GRID_COL, Cell("grid w", "header"))
    sh.put(GM_HEAD, GM_GRID_COL + 1, Cell("f(w)", "header"))
    for j in range(k + 1):
        sh.put(GM_HEAD, GM_GRID_COL + 2 + j, Cell(
            f"wall {j + 1 if j < k else 'SA'}", "header",
            comment="f on the grid where w lies between this run's end and the best end, else empty; "
                    f"the wall (row {GM_WALL}) is the MAX of this column minus f(end)"))
    w0, dw, npts = GM_GRID
    for i in range(npts):
        r = GM_START + i
        sh.put(r, GM_GRID_COL, round(w0 + dw * i, 10))
        sh.put(r, GM_GRID_COL + 1, Cell("=" + _f(f"{gw}{r}"), number_format="0.000"))
        for j in range(k + 1):
            e = f"{L(2 + j)}${GM_END_W}"
            sh.put(r, GM_GRID_COL + 2 + j,
                   f'=IF(AND({gw}{r}>=MIN({e},$B${GM_BEST_W}),{gw}{r}<=MAX({e},$B${GM_BEST_W})),{gf}{r},"")')
    # chart helper: each run's end as a vertical line from GM_MARK_BOTTOM up to f(end)
    mw, mf = L(GM_MARK_COL), L(GM_MARK_COL + 1)
    sh.put(GM_HEAD, GM_MARK_COL, Cell("end w", "header", comment="chart helper: each run's end, twice"))
    sh.put(GM_HEAD, GM_MARK_COL + 1, Cell("line", "header", comment=f"chart helper: {GM_MARK_BOTTOM:g}, then f(end)"))
    for j in range(k + 1):
        r = GM_START + 2 * j
        for rr in (r, r + 1):
            sh.put(rr, GM_MARK_COL, f"={L(2 + j)}${GM_END_W}")
        sh.put(r, GM_MARK_COL + 1, GM_MARK_BOTTOM)
        sh.put(r + 1, GM_MARK_COL + 1, f"={L(2 + j)}${GM_END_F}")
    grid_rows = (GM_START, GM_START + npts - 1)
    marks = [Series(f"end {j + 1}" if j < k else "end SA", GM_MARK_COL + 1, GM_MARK_COL, GM_START + 2 * j,
                    GM_START + 2 * j + 1) for j in range(k + 1)]
    sh.charts.append(Chart("f(w) and where each run ends (vertical lines)", f"A{GM_CHART_ROW}",
                           [Series("f(w)", GM_GRID_COL + 1, GM_GRID_COL, *grid_rows)] + marks, x_title="w",
                           y_title="f(w)", width_cm=20, height_cm=10))
    ws = [Series(f"start {GM_STARTS[j]:g}", 2 + 4 * j + 2, 1, GM_START, last) for j in range(k)]
    ws.append(Series("annealing", GM_SA + 6, 1, GM_START, last))
    sh.charts.append(Chart("w per step: each run settles in a valley", f"J{GM_CHART_ROW}", ws, y_title="w",
                           width_cm=18, height_cm=10))
    sh.widths = {"A": 22, **{L(c): 10 for c in range(2, GM_MARK_COL + 2)}}
    return sh, names



def fw(w: float) -> float:
    """f(w) = w^2/10 + 3*sin(w)."""
    return w * w / 10 + 3 * math.sin(w)


def dfw(w: float) -> float:
    return w / 5 + 3 * math.cos(w)


def gm_momentum_run(w0, lr, momentum, steps=GM_STEPS):
    """Heavy-ball descent on f: v = momentum*v + f'(w), w = w - lr*v (v starts at 0, as torch's
    first step). Returns arrays over steps of (slope, v, w, f)."""
    w, v = float(w0), 0.0
    out = []
    for _ in range(steps):
        g = dfw(w)
        v = momentum * v + g
        w = w - lr * v
        out.append((g, v, w, fw(w)))
    return np.array(out)


def gm_annealing(w0, t0, cooling, step, u, r):
    """Simulated annealing with the given random numbers; rows (T, proposal, f(prop), accept, w, f, best w, best f)."""
    w, f = float(w0), fw(float(w0))
    bw, bf = w, f
    out = []
    for t in range(len(u)):
        temp = t0 * cooling**t
        prop = w + step * u[t]
        fp = fw(prop)
        acc = 1.0 if r[t] < math.exp(-max(0.0, fp - f) / temp) else 0.0
        if acc:
            w, f = prop, fp
        if f < bf:
            bw = w
        bf = min(bf, f)
        out.append((temp, prop, fp, acc, w, f, bw, bf))
    return np.array(out)


def _gm_inputs(read):
    hp = {name: number(read(GLOBAL, f"B{GM_SET_ROW + i}"), name) for i, (name, *_) in enumerate(GM_HYPERS)}
    starts = [number(read(GLOBAL, f"{col_letter(2 + j)}{GM_START_ROW}"), f"gm_start_{j + 1}")
              for j in range(len(GM_STARTS))]
    U, R = col_letter(GM_SA), col_letter(GM_SA + 1)
    u = [number(read(GLOBAL, f"{U}{GM_START + t}"), f"{GLOBAL}!{U}{GM_START + t}") for t in range(1, GM_STEPS + 1)]
    r = [number(read(GLOBAL, f"{R}{GM_START + t}"), f"{GLOBAL}!{R}{GM_START + t}") for t in range(1, GM_STEPS + 1)]
    gw = col_letter(GM_GRID_COL)
    grid = [number(read(GLOBAL, f"{gw}{GM_START + i}"), f"{GLOBAL}!{gw}{GM_START + i}") for i in range(GM_GRID[2])]
    return hp, starts, u, r, grid


def gm_expected(read, floats: dict, texts: dict) -> None:
    hp, starts, u, rnd, grid = _gm_inputs(read)
    L = col_letter
    k = len(starts)
    ends_w, ends_f = [], []
    for j, w0 in enumerate(starts):
        base = 2 + 4 * j
        arr = gm_momentum_run(w0, hp["gm_lr"], hp["gm_momentum"])
        put(floats, f"{L(base + 2)}{GM_START}", w0)
        put(floats, f"{L(base + 3)}{GM_START}", fw(w0))
        for t in range(GM_STEPS):
            for d in range(4):
                put(floats, f"{L(base + d)}{GM_START + 1 + t}", arr[t, d])
        ends_w.append(arr[-1, 2])
        ends_f.append(arr[-1, 3])
    sa = gm_annealing(hp["gm_sa_start"], hp["gm_sa_t0"], hp["gm_sa_cooling"], hp["gm_sa_step"], u, rnd)
    w0 = hp["gm_sa_start"]
    for d, v in ((6, w0), (7, fw(w0)), (8, w0), (9, fw(w0))):
        put(floats, f"{L(GM_SA + d)}{GM_START}", v)
    for t in range(GM_STEPS):
        for d in range(8):
            put(floats, f"{L(GM_SA + 2 + d)}{GM_START + 1 + t}", sa[t, d])
    ends_w.append(sa[-1, 6])
    ends_f.append(sa[-1, 7])
    best_f = min(ends_f[:k])
    is_best = [1.0 if f == best_f else 0.0 for f in ends_f[:k]]
    best_w = sum((b * w for b, w in zip(is_best, ends_w[:k])), 0.0) / sum(is_best, 0.0)
    put(floats, f"B{GM_BEST_F}", best_f)
    put(floats, f"B{GM_BEST_W}", best_w)
    put(floats, f"{L(2 + k)}{GM_START_ROW}", hp["gm_sa_start"])
    grid_f = [fw(w) for w in grid]
    for j in range(k + 1):
        c = L(2 + j)
        we, fe = ends_w[j], ends_f[j]
        put(floats, f"{c}{GM_END_W}", we)
        put(floats, f"{c}{GM_END_F}", fe)
        put(floats, f"{c}{GM_SLOPE}", dfw(we))
        put(floats, f"{c}{GM_CURV}", 0.2 - 3 * math.sin(we))
        if j < k:
            put(floats, f"{c}{GM_BEST}", is_best[j])
        put(floats, f"{c}{GM_GAP}", fe - best_f)
        lo, hi = min(we, best_w), max(we, best_w)
        h = L(GM_GRID_COL + 2 + j)
        inside = []
        for i, (gw, gf) in enumerate(zip(grid, grid_f)):
            addr = f"{h}{GM_START + i}"
            if lo <= gw <= hi:
                put(floats, addr, gf)
                inside.append(gf)
            else:
                texts[addr] = ""
        put(floats, f"{c}{GM_WALL}", max(inside + [fe]) - fe)
    for i, gf in enumerate(grid_f):
        put(floats, f"{L(GM_GRID_COL + 1)}{GM_START + i}", gf)
    for j in range(k + 1):
        r = GM_START + 2 * j
        put(floats, f"{L(GM_MARK_COL)}{r}", ends_w[j])
        put(floats, f"{L(GM_MARK_COL)}{r + 1}", ends_w[j])
        put(floats, f"{L(GM_MARK_COL + 1)}{r + 1}", ends_f[j])
