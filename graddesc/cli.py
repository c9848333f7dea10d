"""The command line: each command is one library call; bad input is one line and exit status 2."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys

from graddesc.errors import GraddescError, InputError

DEFAULT_WORKBOOK = "workbooks/graddesc.xlsx"


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints the whole usage by default)
        raise SystemExit(_fail(f"{self.prog}: {message}"))


def _fail(message: str) -> int:
    print(f"graddesc: error: {message}", file=sys.stderr)
    return 2


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return v


def _seed(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return v


def _assignments(items, qualified: bool) -> dict:
    """--set NAME=VALUE (run) or --set OPTIMIZER.NAME=VALUE (build)."""
    out: dict = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(f"--set {item!r}: expected NAME=VALUE")
        name, value = item.split("=", 1)
        name = name.strip()
        if qualified:
            if "." not in name:
                raise InputError(f"--set {item!r}: expected OPTIMIZER.NAME=VALUE, e.g. adam.lr=0.1")
            opt, hyper = name.split(".", 1)
            out.setdefault(opt.strip().lower(), {})[hyper.strip()] = value
        else:
            out[name] = value
    return out


def cmd_list(args) -> int:
    from graddesc.optimizers import REGISTRY

    if args.json:
        print(json.dumps({name: {"title": o.title, "torch": o.torch, "hyperparameters": [
            {"name": h.name, "default": h.default, "range": h.range_text, "meaning": h.meaning}
            for h in o.hypers]} for name, o in REGISTRY.items()}, indent=2))
        return 0
    for name, o in REGISTRY.items():
        torch = f"  [torch.optim.{o.torch}]" if o.torch else ""
        print(f"{name}: {o.title}{torch}")
        for h in o.hypers:
            print(f"    {h.name:<26} default {h.default:<8g} {h.range_text:<14} {h.meaning}")
    return 0


def cmd_run(args) -> int:
    from graddesc import optimizers, problem, trajectory

    opt = optimizers.get(args.optimizer)
    hp = opt.resolve(_assignments(args.set, qualified=False))
    data = problem.load_csv(args.data) if args.data else problem.make_data(args.seed)
    tr = trajectory.run(opt, hp, data, args.epochs)
    rows = list(tr.rows())
    keys = ["step", "epoch", "x", "y", "a", "b", "loss", "grad_a", "grad_b", "new_a", "new_b"]
    if args.format == "json":
        print(json.dumps(rows))
    elif args.format == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=keys, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: repr(v) if isinstance(v, float) else v for k, v in r.items()})
        sys.stdout.write(buf.getvalue())
    else:
        print(" ".join(f"{k:>12}" for k in keys))
        for r in rows:
            print(" ".join(f"{r[k]:>12d}" if isinstance(r[k], int) else f"{r[k]:>12.6g}" for k in keys))
    return 0


def cmd_build(args) -> int:
    from graddesc.workbook.build import build_file

    path = build_file(args.output, epochs=args.epochs, seed=args.seed, data_path=args.data,
                             overrides=_assignments(args.set, qualified=True), force=args.force)
    print(f"wrote {path}")
    return 0


def cmd_verify(args) -> int:
    from graddesc import verify

    report = verify.verify_file(args.path, libreoffice=args.libreoffice, gnumeric=args.gnumeric)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(report.text())
    return 0 if report.ok else 1


def cmd_recalc(args) -> int:
    from graddesc import recalc

    try:
        paths = recalc.workbook_paths(args.paths)
    except FileNotFoundError as e:
        raise InputError(f"{e.args[0]}: no such file or folder") from None
    many = len(args.paths) > 1 or any(os.path.isdir(p) for p in args.paths)
    if not many:
        _, report = recalc.recalc(paths[0], compare_cached=args.compare_cached, output=args.output)
        if args.json:
            print(json.dumps(report.to_json(), indent=2))
        else:
            print(report.text())
        return 0 if report.ok else 1
    if args.output:
        raise InputError("-o/--output: give one workbook, not several")
    if not paths:
        raise InputError(f"{', '.join(args.paths)}: no .xlsx/.xlsm workbook found")
    rows = recalc.audit(paths, jobs=args.jobs)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(recalc.summary_table(rows))
    bad = any(r.get("crash") or r.get("error") or r["disagree"] or r["not_evaluated"]
              or r["array_agree"] < r["array_compared"] for r in rows)
    return 1 if bad else 0


def cmd_plot(args) -> int:
    from graddesc import plots

    for path in plots.plot(args.output, epochs=args.epochs, seed=args.seed):
        print(f"wrote {path}")
    return 0


def cmd_train_l2l(args) -> int:
    from graddesc import l2l

    settings = {} if args.iters is None else {"iters": args.iters}
    log = None if args.quiet else (
        lambda k, v: print(f"iteration {k + 1}: validation meta-loss {v:.4f}", file=sys.stderr))
    result = l2l.train_to_file(args.output, args.seed, progress=log, **settings)
    print(f"wrote {args.output} ({result.seconds:.0f} s; best iteration {result.best_iter + 1})")
    if args.check:
        same = l2l.same_as_shipped(result.weights)
        print("identical to the shipped weights" if same else "DIFFERENT from the shipped weights")
        return 0 if same else 1
    return 0


def make_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="graddesc", description=(
        "Gradient-descent optimizers as live spreadsheet formulas, checked cell by cell "
        "against numpy by graddesc's own formula engine."))
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    s = sub.add_parser("list", help="list the optimizers and their hyperparameters",
                       description="List every optimizer with its hyperparameters: default, valid range, meaning.")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("run", help="run one optimizer in numpy and print every step",
                       description="Run an optimizer in numpy (one sample per step) and print one row per step.")
    s.add_argument("optimizer", help="optimizer name (see graddesc list)")
    s.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a hyperparameter, e.g. lr=0.01")
    s.add_argument("--data", metavar="FILE.csv", help="data file with header x,y (default: the seeded data)")
    s.add_argument("--seed", type=_seed, default=42, help="seed of the default data (default 42)")
    s.add_argument("--epochs", type=_positive_int, default=20, help="passes over the data (default 20)")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("build", help="write the workbook",
                       description="Write the workbook: a data sheet and one sheet per optimizer, every "
                                   "update a live formula.")
    s.add_argument("-o", "--output", default=DEFAULT_WORKBOOK, help=f"output path (default {DEFAULT_WORKBOOK})")
    s.add_argument("--epochs", type=_positive_int, default=20, help="epochs unrolled per sheet (default 20)")
    s.add_argument("--seed", type=_seed, default=42, help="seed of the default data (default 42)")
    s.add_argument("--data", metavar="FILE.csv", help="data file with header x,y instead of the seeded data")
    s.add_argument("--set", action="append", metavar="OPT.NAME=VALUE", help="hyperparameter default, e.g. adam.lr=0.1")
    s.add_argument("--force", action="store_true", help="overwrite a workbook that was edited after graddesc wrote it")
    s.set_defaults(func=cmd_build)

    s = sub.add_parser("verify", help="check every formula against numpy",
                       description="Evaluate the workbook with graddesc's engine, run numpy with the "
                                   "hyperparameters and data read from the same file, compare cell by cell.")
    s.add_argument("path", nargs="?", default=DEFAULT_WORKBOOK, help=f"workbook (default {DEFAULT_WORKBOOK})")
    s.add_argument("--json", action="store_true", help="print a machine-readable report")
    s.add_argument("--libreoffice", action="store_true", help="also have LibreOffice recalculate and compare")
    s.add_argument("--gnumeric", action="store_true",
                   help="also have Gnumeric recalculate (cached values removed) and compare every formula cell")
    s.set_defaults(func=cmd_verify)

    s = sub.add_parser("recalc", help="recompute any .xlsx/.xlsm and compare with its cached values",
                       description="Evaluate every formula of any workbook with graddesc's engine (macros are "
                                   "ignored, never run) and list what could not be evaluated (unsupported, "
                                   "circular, external). With several workbooks or a folder: compare each with "
                                   "its cached values and print one summary table. Exit 0 when every formula "
                                   "cell was evaluated and every compared cell agrees; 1 when some disagree, "
                                   "were not evaluated, or the file holds no cached value to compare; 2 on "
                                   "bad input.")
    s.add_argument("paths", nargs="+", metavar="PATH", help="workbook (.xlsx or .xlsm), several, or folders")
    s.add_argument("--compare-cached", action="store_true",
                   help="compare each computed value with the value cached in the file (always on for "
                        "several workbooks)")
    s.add_argument("--jobs", type=_positive_int, default=1, metavar="N",
                   help="audit N workbooks at once, a process each (default 1)")
    s.add_argument("--json", action="store_true", help="print a machine-readable report")
    s.add_argument("-o", "--output", metavar="OUT.xlsx",
                   help="write a copy whose cached values are the engine's (a cell not evaluated is written "
                        "without a value, and listed)")
    s.set_defaults(func=cmd_recalc)

    s = sub.add_parser("plot", help="draw loss.png and paths.png",
                       description="Run every optimizer in numpy with its defaults; write loss.png (loss per "
                                   "step) and paths.png (paths of a, b over the contours of the loss).")
    s.add_argument("-o", "--output", default="docs/images", metavar="DIR", help="folder (default docs/images)")
    s.add_argument("--epochs", type=_positive_int, default=20, help="epochs (default 20)")
    s.add_argument("--seed", type=_seed, default=42, help="seed of the data (default 42)")
    s.set_defaults(func=cmd_plot)

    s = sub.add_parser("train-l2l", help="meta-train the learned optimizer's weights (~2 minutes)",
                       description="Meta-train the 'learned' sheet's LSTM on random problems of the workbook's "
                                   "family (evolution strategies, numpy only) and write its weights as JSON. "
                                   "With the defaults it reproduces graddesc/data/l2l_weights.json bit for bit.")
    s.add_argument("-o", "--output", default="l2l_weights.json", help="output JSON (default l2l_weights.json)")
    s.add_argument("--seed", type=_seed, default=0, help="training seed (default 0: the shipped weights)")
    s.add_argument("--iters", type=_positive_int, default=None, help="ES iterations (default 1500)")
    s.add_argument("--check", action="store_true", help="exit 1 unless the result equals the shipped weights")
    s.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    s.set_defaults(func=cmd_train_l2l)
    return p


def _terminate(signum, frame):
    # SIGTERM unwinds like Ctrl-C, so temporary files are removed and targets stay intact
    raise KeyboardInterrupt


def main(argv=None) -> int:
    import signal

    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread
        pass
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
        return args.func(args)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 2
    except GraddescError as e:
        return _fail(str(e))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        return 0


def run() -> None:
    """The console entry point: main(), then exit without tearing down the heap.  A build or
    verify leaves ~1M small objects whose one-by-one freeing at interpreter exit costs ~0.3 s;
    every file is already closed and renamed and every temporary directory removed by then (in
    finally blocks), so only the output streams need flushing."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    run()
