"""The global_min sheet: f(w) = w^2/10 + 3*sin(w); momentum from six starts, best of N, how local
each minimum is; simulated annealing from one start; and numpy's value of each of its formulas.
Where each cell is: layout.GlobalMin."""

from __future__ import annotations

import math

import numpy as np

from graddesc.optimizers import Optimizer
from graddesc.workbook.data_sheet import cell_number
from graddesc.workbook.layout import GLOBAL, GlobalMin
from graddesc.workbook.teaching.common import link, put, put_lines, settings
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
assert len(GM_STARTS) == GlobalMin.runs and tuple(h[0] for h in GM_HYPERS) == GlobalMin.settings.names
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
    G = GlobalMin
    sh = Sheet(GLOBAL)
    L = col_letter
    k = G.runs
    last = G.start + GM_STEPS
    sa, grid, marks, summ = G.sa, G.grid, G.marks, G.summary
    sgdr = "adam_sgdr" in {o.name for o in opts}
    sh.put(1, 1, Cell(f"Local and global minima of {F_TEXT}: many starts, best of N, how local a minimum is", "title"))
    put_lines(sh, 2, [
        "Gradient descent only feels the local slope, so it stops in whichever valley it starts in. This f has five "
        "valleys between -16 and 16; the deepest (the global minimum) is near w = -1.47.",
        f"Best of N (multi-start): the same momentum descent runs from {k} starts; row {G.best} and the green column mark "
        "the lowest end. It finds the global minimum only if some start lies in its valley: more starts, more chances.",
        f"How local is a minimum? Row {G.gap}: how much worse than the best end. Row {G.wall}: the wall = the highest f "
        "between this end and the best end, minus f here; a low wall is escaped by a little more momentum or lr.",
        f"Row {G.curv}: curvature f''(w) at the end (> 0 at a minimum; large = a narrow valley, small = a wide, flat one).",
        "Try: gm_momentum 0.9 - the run from 13 rolls over two walls into the deepest valley; 0.95 - most runs do.",
        f"Simulated annealing (column {G.summary.letter('run', k)}; its table from column {G.sa.letter('u')}): random proposals w + step*u; downhill "
        "is always taken, uphill with probability exp(-rise/T); T shrinks each step, so it jumps walls early and "
        "settles late.",
        "   It is random: u and r are seeded numbers; change them (or the start) and it may end in another valley.",
        "Warm restarts (SGDR) raise the learning rate back up every few epochs to kick the optimizer out of narrow "
        "valleys: " + ("see the adam_sgdr sheet." if sgdr else "not in this workbook yet."),
    ])
    if sgdr:
        sh.put(*G.sgdr_link, Cell("adam_sgdr sheet", "link", link=link("adam_sgdr")))
    names = settings(sh, GLOBAL, G.settings, GM_HYPERS)
    sh.put(G.settings.next_row, 1, Cell("momentum descent: v = momentum*v + f'(w), w = w - lr*v, "
                                        "with f'(w) = w/5 + 3*cos(w); v = 0 at the start", "note"))
    # summary
    sh.put(G.summary_head, 1, Cell("run", "header"))
    labels = {G.start_w: ("start w (edit me)", None), G.end_w: ("end w", None), G.end_f: ("f(end)", None),
              G.slope: ("slope f'(end)", "f'(w) = w/5 + 3*cos(w): about 0 once a run has settled"),
              G.curv: ("curvature f''(end)", "f''(w) = 0.2 - 3*sin(w): > 0 at a minimum, large = narrow valley"),
              G.best: ("best of the 6? (1 = yes)", "1 where f(end) is the lowest of the 6 starts"),
              G.gap: ("worse than best by", "f(end) - the best f(end) of the 6 starts"),
              G.wall: ("wall to the best valley", "highest f (on the grid, column "
                       f"{grid.letter('w')}) between this end and the best end, minus f(end)")}
    for r, (text, note) in labels.items():
        sh.put(r, 1, Cell(text, "label", comment=note))
    first, lastrun = summ.letter("run", 0), summ.letter("run", k - 1)  # the momentum runs, not annealing
    fr = f"${first}${G.end_f}:${lastrun}${G.end_f}"
    bf, bw = f"${L(G.best_f.col)}${G.best_f.row}", f"${L(G.best_w.col)}${G.best_w.row}"
    for j in range(k + 1):
        col = summ.col("run", j)
        c = L(col)
        if j < k:
            wcol, fcol = G.momentum[j].letter("w"), G.momentum[j].letter("f")
            sh.put(G.summary_head, col, Cell(f"start {j + 1}", "header"))
            sh.put(G.start_w, col, Cell(GM_STARTS[j], "input", comment=f"named cell gm_start_{j + 1}"))
            names[f"gm_start_{j + 1}"] = f"{GLOBAL}!${c}${G.start_w}"
        else:
            wcol, fcol = sa.letter("best_w"), sa.letter("best_f")  # annealing: the best seen
            sh.put(G.summary_head, col, Cell("annealing", "header", comment="simulated annealing: the best w it saw"))
            sh.put(G.start_w, col, "=gm_sa_start")
        sh.put(G.end_w, col, Cell(f"={wcol}{last}", number_format="0.000"))
        sh.put(G.end_f, col, Cell(f"={fcol}{last}", "result", "0.000"))
        sh.put(G.slope, col, Cell(f"={c}{G.end_w}/5+3*COS({c}{G.end_w})", number_format="0.0000"))
        sh.put(G.curv, col, Cell(f"=0.2-3*SIN({c}{G.end_w})", number_format="0.00"))
        if j < k:
            sh.put(G.best, col, f"=IF({c}{G.end_f}=MIN({fr}),1,0)")
        sh.put(G.gap, col, Cell(f"={c}{G.end_f}-{bf}", number_format="0.000"))
        h = grid.letter("wall", j)
        sh.put(G.wall, col, Cell(f"=MAX({h}{G.start}:{h}{G.start + GM_GRID[2] - 1},{c}{G.end_f})-{c}{G.end_f}",
                                 number_format="0.000"))
    sh.put(G.best_f.row, G.best_f.col - 1, Cell("best f of the 6", "label"))
    sh.put(*G.best_f, Cell(f"=MIN({fr})", "result", "0.000"))
    sh.put(G.best_w.row, G.best_w.col - 1, Cell("its end w", "label"))
    br = f"${first}${G.best}:${lastrun}${G.best}"
    sh.put(*G.best_w, Cell(f"=SUMPRODUCT({br},${first}${G.end_w}:${lastrun}${G.end_w})/SUM({br})", "result", "0.000"))
    sh.highlights.append(Highlight(f"{first}{G.start_w}:{lastrun}{G.wall}", f"{first}${G.best}=1", fill="C6EFCE"))
    # step table
    sh.put(G.head, G.t_col, Cell("step t", "header"))
    sh.put(G.start, G.t_col, Cell(0, "start"))
    for j, blk in enumerate(G.momentum):
        sh.put(G.head - 1, blk.first, Cell(f"start {j + 1}: from gm_start_{j + 1}", "label"))
        for key, h, note in (("g", "f'(w)", "slope at the previous row's w: w/5 + 3*cos(w)"),
                             ("v", "v", "velocity: momentum*v + f'(w)"), ("w", "w", "w - lr*v"),
                             ("f", "f(w)", "w^2/10 + 3*sin(w)")):
            sh.put(G.head, blk.col(key), Cell(f"{h} ({j + 1})", "header", comment=note))
        g, v, w = blk.letter("g"), blk.letter("v"), blk.letter("w")
        sh.put(G.start, blk.col("v"), Cell(0.0, "start"))
        sh.put(G.start, blk.col("w"), Cell(f"={summ.letter('run', j)}${G.start_w}", "start", "0.000"))
        sh.put(G.start, blk.col("f"), Cell("=" + _f(f"{w}{G.start}"), "start", "0.000"))
        for t in range(1, GM_STEPS + 1):
            r, rp = G.start + t, G.start + t - 1
            sh.put(r, blk.col("g"), Cell(f"={w}{rp}/5+3*COS({w}{rp})", number_format="0.000"))
            sh.put(r, blk.col("v"), Cell(f"=gm_momentum*{v}{rp}+{g}{r}", number_format="0.000"))
            sh.put(r, blk.col("w"), Cell(f"={w}{rp}-gm_lr*{v}{r}", number_format="0.000"))
            sh.put(r, blk.col("f"), Cell("=" + _f(f"{w}{r}"), number_format="0.000"))
    u, rnd = gm_random()
    sh.put(G.head - 1, sa.first, Cell("simulated annealing from w = gm_sa_start", "label"))
    sa_heads = (("u", "u", "random in [-1, 1] (seeded; edit me)"), ("r", "r", "random in [0, 1) (seeded; edit me)"),
                ("T", "T", "temperature gm_sa_t0 * gm_sa_cooling^(t-1)"), ("prop", "w'", "proposal w + gm_sa_step*u"),
                ("fprop", "f(w')", "f at the proposal"),
                ("accept", "accept?", "1 if r < exp(-max(0, f(w') - f(w))/T): always downhill"),
                ("w", "w", "w' if accepted, else w"), ("f", "f(w)", "f(w)"),
                ("best_w", "best w", "the w with the lowest f so far"), ("best_f", "best f", "the lowest f so far"))
    for key, h, note in sa_heads:
        sh.put(G.head, sa.col(key), Cell(h, "header", comment=note))
    U, R, T, P, FP, A, W, FW, BW, BF = (sa.letter(key) for key, _, _ in sa_heads)
    tl = L(G.t_col)
    sh.put(G.start, sa.col("w"), Cell("=gm_sa_start", "start", "0.000"))
    sh.put(G.start, sa.col("f"), Cell("=" + _f(f"{W}{G.start}"), "start", "0.000"))
    sh.put(G.start, sa.col("best_w"), Cell(f"={W}{G.start}", "start", "0.000"))
    sh.put(G.start, sa.col("best_f"), Cell(f"={FW}{G.start}", "start", "0.000"))
    for t in range(1, GM_STEPS + 1):
        r, rp = G.start + t, G.start + t - 1
        sh.put(r, G.t_col, t)
        sh.put(r, sa.col("u"), float(u[t - 1]))
        sh.put(r, sa.col("r"), float(rnd[t - 1]))
        sh.put(r, sa.col("T"), Cell(f"=gm_sa_t0*gm_sa_cooling^({tl}{r}-1)", number_format="0.000"))
        sh.put(r, sa.col("prop"), Cell(f"={W}{rp}+gm_sa_step*{U}{r}", number_format="0.000"))
        sh.put(r, sa.col("fprop"), Cell("=" + _f(f"{P}{r}"), number_format="0.000"))
        sh.put(r, sa.col("accept"), f"=IF({R}{r}<EXP(-MAX(0,{FP}{r}-{FW}{rp})/{T}{r}),1,0)")
        sh.put(r, sa.col("w"), Cell(f"=IF({A}{r}=1,{P}{r},{W}{rp})", number_format="0.000"))
        sh.put(r, sa.col("f"), Cell(f"=IF({A}{r}=1,{FP}{r},{FW}{rp})", number_format="0.000"))
        sh.put(r, sa.col("best_w"), Cell(f"=IF({FW}{r}<{BF}{rp},{W}{r},{BW}{rp})", number_format="0.000"))
        sh.put(r, sa.col("best_f"), Cell(f"=MIN({BF}{rp},{FW}{r})", number_format="0.000"))
    # grid of f and the wall helpers
    gw, gf = grid.letter("w"), grid.letter("f")
    sh.put(G.head - 1, grid.first, Cell("f on a grid, for the chart and the walls (row "
                                        f"{G.wall})", "label"))
    sh.put(G.head, grid.col("w"), Cell("grid w", "header"))
    sh.put(G.head, grid.col("f"), Cell("f(w)", "header"))
    for j in range(k + 1):
        sh.put(G.head, grid.col("wall", j), Cell(
            f"wall {j + 1 if j < k else 'SA'}", "header",
            comment="f on the grid where w lies between this run's end and the best end, else empty; "
                    f"the wall (row {G.wall}) is the MAX of this column minus f(end)"))
    w0, dw, npts = GM_GRID
    for i in range(npts):
        r = G.start + i
        sh.put(r, grid.col("w"), round(w0 + dw * i, 10))
        sh.put(r, grid.col("f"), Cell("=" + _f(f"{gw}{r}"), number_format="0.000"))
        for j in range(k + 1):
            e = f"{summ.letter('run', j)}${G.end_w}"
            sh.put(r, grid.col("wall", j),
                   f'=IF(AND({gw}{r}>=MIN({e},{bw}),{gw}{r}<=MAX({e},{bw})),{gf}{r},"")')
    # chart helper: each run's end as a vertical line from GM_MARK_BOTTOM up to f(end)
    sh.put(G.head, marks.col("w"), Cell("end w", "header", comment="chart helper: each run's end, twice"))
    sh.put(G.head, marks.col("line"), Cell("line", "header", comment=f"chart helper: {GM_MARK_BOTTOM:g}, then f(end)"))
    for j in range(k + 1):
        r = _mark_row(j)
        for rr in (r, r + 1):
            sh.put(rr, marks.col("w"), f"={summ.letter('run', j)}${G.end_w}")
        sh.put(r, marks.col("line"), GM_MARK_BOTTOM)
        sh.put(r + 1, marks.col("line"), f"={summ.letter('run', j)}${G.end_f}")
    grid_rows = (G.start, G.start + npts - 1)
    ends = [Series(f"end {j + 1}" if j < k else "end SA", marks.col("line"), marks.col("w"), _mark_row(j),
                   _mark_row(j) + 1) for j in range(k + 1)]
    sh.charts.append(Chart("f(w) and where each run ends (vertical lines)", G.f_chart.addr,
                           [Series("f(w)", grid.col("f"), grid.col("w"), *grid_rows)] + ends, x_title="w",
                           y_title="f(w)", width_cm=20, height_cm=10))
    ws = [Series(f"start {GM_STARTS[j]:g}", G.momentum[j].col("w"), G.t_col, G.start, last) for j in range(k)]
    ws.append(Series("annealing", sa.col("w"), G.t_col, G.start, last))
    sh.charts.append(Chart("w per step: each run settles in a valley", G.w_chart.addr, ws, y_title="w",
                           width_cm=18, height_cm=10))
    sh.widths = {"A": 22, **{L(c): 10 for c in range(summ.first, marks.end)}}
    return sh, names


def _mark_row(j: int) -> int:
    """First of the two rows of run j's vertical line in the chart helper."""
    return GlobalMin.start + 2 * j


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
    G = GlobalMin
    hp = {name: cell_number(read, GLOBAL, G.settings.addr(name)) for name in G.settings.names}
    starts = [cell_number(read, GLOBAL, f"{G.summary.letter('run', j)}{G.start_w}") for j in range(G.runs)]
    U, R = G.sa.letter("u"), G.sa.letter("r")
    u = [cell_number(read, GLOBAL, f"{U}{G.start + t}") for t in range(1, GM_STEPS + 1)]
    r = [cell_number(read, GLOBAL, f"{R}{G.start + t}") for t in range(1, GM_STEPS + 1)]
    gw = G.grid.letter("w")
    grid = [cell_number(read, GLOBAL, f"{gw}{G.start + i}") for i in range(GM_GRID[2])]
    return hp, starts, u, r, grid


def gm_expected(read, floats: dict, texts: dict) -> None:
    G = GlobalMin
    sa, grid, marks, summ = G.sa, G.grid, G.marks, G.summary
    hp, starts, u, rnd, grid_w = _gm_inputs(read)
    k = len(starts)
    ends_w, ends_f = [], []
    for j, w0 in enumerate(starts):
        blk = G.momentum[j]
        arr = gm_momentum_run(w0, hp["gm_lr"], hp["gm_momentum"])
        put(floats, f"{blk.letter('w')}{G.start}", w0)
        put(floats, f"{blk.letter('f')}{G.start}", fw(w0))
        for t in range(GM_STEPS):
            for d, key in enumerate(("g", "v", "w", "f")):
                put(floats, f"{blk.letter(key)}{G.start + 1 + t}", arr[t, d])
        ends_w.append(arr[-1, 2])
        ends_f.append(arr[-1, 3])
    run_sa = gm_annealing(hp["gm_sa_start"], hp["gm_sa_t0"], hp["gm_sa_cooling"], hp["gm_sa_step"], u, rnd)
    w0 = hp["gm_sa_start"]
    for key, v in (("w", w0), ("f", fw(w0)), ("best_w", w0), ("best_f", fw(w0))):
        put(floats, f"{sa.letter(key)}{G.start}", v)
    sa_keys = ("T", "prop", "fprop", "accept", "w", "f", "best_w", "best_f")  # gm_annealing's columns
    for t in range(GM_STEPS):
        for d, key in enumerate(sa_keys):
            put(floats, f"{sa.letter(key)}{G.start + 1 + t}", run_sa[t, d])
    ends_w.append(run_sa[-1, 6])
    ends_f.append(run_sa[-1, 7])
    best_f = min(ends_f[:k])
    is_best = [1.0 if f == best_f else 0.0 for f in ends_f[:k]]
    best_w = sum((b * w for b, w in zip(is_best, ends_w[:k])), 0.0) / sum(is_best, 0.0)
    put(floats, G.best_f.addr, best_f)
    put(floats, G.best_w.addr, best_w)
    put(floats, f"{summ.letter('run', k)}{G.start_w}", hp["gm_sa_start"])
    grid_f = [fw(w) for w in grid_w]
    for j in range(k + 1):
        c = summ.letter("run", j)
        we, fe = ends_w[j], ends_f[j]
        put(floats, f"{c}{G.end_w}", we)
        put(floats, f"{c}{G.end_f}", fe)
        put(floats, f"{c}{G.slope}", dfw(we))
        put(floats, f"{c}{G.curv}", 0.2 - 3 * math.sin(we))
        if j < k:
            put(floats, f"{c}{G.best}", is_best[j])
        put(floats, f"{c}{G.gap}", fe - best_f)
        lo, hi = min(we, best_w), max(we, best_w)
        h = grid.letter("wall", j)
        inside = []
        for i, (gw, gf) in enumerate(zip(grid_w, grid_f)):
            addr = f"{h}{G.start + i}"
            if lo <= gw <= hi:
                put(floats, addr, gf)
                inside.append(gf)
            else:
                texts[addr] = ""
        put(floats, f"{c}{G.wall}", max(inside + [fe]) - fe)
    for i, gf in enumerate(grid_f):
        put(floats, f"{grid.letter('f')}{G.start + i}", gf)
    for j in range(k + 1):
        r = _mark_row(j)
        put(floats, f"{marks.letter('w')}{r}", ends_w[j])
        put(floats, f"{marks.letter('w')}{r + 1}", ends_w[j])
        put(floats, f"{marks.letter('line')}{r + 1}", ends_f[j])
