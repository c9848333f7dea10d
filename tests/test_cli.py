"""The CLI: every command has help; bad input is one line on stderr and exit status 2."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from graddesc.cli import main, make_parser
from graddesc.optimizers import REGISTRY


def commands():
    sub = next(a for a in make_parser()._actions if a.dest == "command")
    return list(sub.choices)


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as e:
        make_parser().parse_args([command, "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: graddesc {command}" in out and len(out.splitlines()) > 3


def test_module_entry_point():
    r = subprocess.run([sys.executable, "-m", "graddesc", "list"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "adam" in r.stdout


def test_entry_point_flushes_output_and_keeps_exit_status(tmp_path):
    # run() leaves through os._exit (skipping heap teardown): piped output must still arrive whole
    # and the exit status must be main()'s
    r = subprocess.run([sys.executable, "-m", "graddesc", "list", "--json"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and set(json.loads(r.stdout)) == set(REGISTRY)
    r = subprocess.run([sys.executable, "-m", "graddesc", "build", "-o", str(tmp_path / "w.xlsx"),
                        "--epochs", "0"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.startswith("graddesc: error: ") and len(r.stderr.splitlines()) == 1
    assert not (tmp_path / "w.xlsx").exists()


def test_list_shows_every_optimizer_and_hyperparameter(capsys):
    code, out, _ = run_cli(capsys, "list", "--json")
    assert code == 0
    listed = json.loads(out)
    assert set(listed) == set(REGISTRY)
    for name, opt in REGISTRY.items():
        assert [h["name"] for h in listed[name]["hyperparameters"]] == [h.name for h in opt.hypers]
        assert all(h["meaning"] for h in listed[name]["hyperparameters"])


def test_run_formats_agree(capsys):
    code, out, _ = run_cli(capsys, "run", "adam", "--epochs", "2", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 60
    assert list(rows[0]) == ["step", "epoch", "x", "y", "a", "b", "loss", "grad_a", "grad_b", "new_a", "new_b"]
    assert rows[0]["a"] == 1.0 and rows[0]["grad_b"] == -76.0 and rows[0]["grad_a"] == -684.0
    assert rows[1]["a"] == rows[0]["new_a"] and rows[30]["epoch"] == 2
    code, out, _ = run_cli(capsys, "run", "adam", "--epochs", "2", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "step,epoch,x,y,a,b,loss,grad_a,grad_b,new_a,new_b" and len(lines) == 61
    assert float(lines[-1].split(",")[-1]) == rows[-1]["new_b"]
    code, out, _ = run_cli(capsys, "run", "adam", "--epochs", "1", "--set", "lr=0.1")
    assert code == 0 and len(out.splitlines()) == 31


def test_run_with_csv_data(tmp_path, capsys):
    f = tmp_path / "d.csv"
    f.write_text("x,y\n1,5\n2,7\n3,9\n")
    code, out, _ = run_cli(capsys, "run", "sgd", "--data", str(f), "--epochs", "2", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [r["x"] for r in rows] == [1, 2, 3, 1, 2, 3]
    # by hand: a=b=1, x=1, y=5: pred 2, de/db = -6, de/da = -6, lr 1e-4
    assert rows[0]["new_a"] == 1 + 1e-4 * 6 and rows[0]["new_b"] == 1 + 1e-4 * 6


def _csv(tmp_path, text, name="d.csv"):
    f = tmp_path / name
    f.write_text(text)
    return str(f)


BAD = [
    # (argv builder, expected text in the one-line error)
    (lambda t: ["run", "adam", "--set", "lr=-1"], "lr must be in (0, inf), got -1"),
    (lambda t: ["run", "adam", "--set", "lr=0"], "lr must be in (0, inf), got 0"),
    (lambda t: ["run", "adam", "--set", "beta1=1"], "beta1 must be in [0, 1), got 1"),
    (lambda t: ["run", "adam", "--set", "beta2=-0.1"], "beta2 must be in [0, 1)"),
    (lambda t: ["run", "adam", "--set", "eps=-1e-8"], "eps must be in [0, inf)"),
    (lambda t: ["run", "adam", "--set", "lr=fast"], "lr must be a number, got 'fast'"),
    (lambda t: ["run", "adam", "--set", "lr=nan"], "lr must be finite"),
    (lambda t: ["run", "adam", "--set", "lr=inf"], "lr must be finite"),
    (lambda t: ["run", "adam", "--set", "gamma=1"], "adam has no hyperparameter 'gamma'"),
    (lambda t: ["run", "adam", "--set", "lr"], "expected NAME=VALUE"),
    (lambda t: ["run", "adam", "--set", "amsgrad=2"], "amsgrad must be 0 or 1"),
    (lambda t: ["run", "momentum", "--set", "nesterov=1", "--set", "dampening=0.5"], "nesterov=1 needs"),
    (lambda t: ["run", "nosuch"], "unknown optimizer 'nosuch'"),
    (lambda t: ["run", "adam", "--epochs", "0"], "--epochs: must be a positive integer, got '0'"),
    (lambda t: ["run", "adam", "--epochs", "x"], "--epochs: must be a positive integer, got 'x'"),
    (lambda t: ["run", "adam", "--epochs", "1000001"], "--epochs must be an integer between 1 and"),
    (lambda t: ["run", "adam", "--seed", "-3"], "--seed: must be a non-negative integer"),
    (lambda t: ["run", "adam", "--format", "xml"], "invalid choice: 'xml'"),
    (lambda t: ["run", "adam", "--data", str(t / "missing.csv")], "missing.csv: data file not found"),
    (lambda t: ["run", "adam", "--data", str(t)], "is a directory"),
    (lambda t: ["run", "adam", "--data", _csv(t, "")], "empty file"),
    (lambda t: ["run", "adam", "--data", _csv(t, "a,b\n1,2\n")], "line 1: header must be 'x,y'"),
    (lambda t: ["run", "adam", "--data", _csv(t, "x,y\n")], "no data rows"),
    (lambda t: ["run", "adam", "--data", _csv(t, "x,y\n1,2\n3,four\n")], "line 3: y is not a number: 'four'"),
    (lambda t: ["run", "adam", "--data", _csv(t, "x,y\n1,2\nnan,3\n")], "line 3: x must be finite"),
    (lambda t: ["run", "adam", "--data", _csv(t, "x,y\n1,2\n1,inf\n")], "line 3: y must be finite"),
    (lambda t: ["run", "adam", "--data", _csv(t, "x,y\n1,2,3\n")], "line 2: expected 2 values"),
    (lambda t: ["run", "adam", "--data", _csv(t, "x,y\n\xff\xfe\n", "bin.csv")], None),
    (lambda t: ["build", "-o", str(t / "w.xlsx"), "--set", "adam.lr=-1"], "lr (adam) must be in (0, inf)"),
    (lambda t: ["build", "-o", str(t / "w.xlsx"), "--set", "lr=1"], "expected OPTIMIZER.NAME=VALUE"),
    (lambda t: ["build", "-o", str(t / "w.xlsx"), "--set", "nosuch.lr=1"], "unknown optimizer 'nosuch'"),
    (lambda t: ["build", "-o", str(t / "w.xlsx"), "--epochs", "-1"], "--epochs: must be a positive integer"),
    (lambda t: ["build", "-o", str(t / "w.xlsx"), "--data",
                _csv(t, "x,y\n" + "1,2\n" * 60000)], "more than a sheet holds"),
    (lambda t: ["nosuch"], "invalid choice: 'nosuch'"),
    (lambda t: [], "the following arguments are required: COMMAND"),
]


@pytest.mark.parametrize("make_argv,message", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_input_is_one_line_and_exit_2(make_argv, message, tmp_path, capsys):
    code, out, err = run_cli(capsys, *make_argv(tmp_path))
    assert code == 2
    assert err.startswith("graddesc: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    if message:
        assert message in err
    assert not (tmp_path / "w.xlsx").exists()


def test_build_kill_midway_leaves_old_file_intact(tmp_path):
    """A build killed while writing leaves the previous workbook untouched (write to temp, rename)."""
    target = tmp_path / "w.xlsx"
    target.write_bytes(b"old workbook bytes")
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    for sig in (signal.SIGKILL, signal.SIGTERM):
        p = subprocess.Popen([sys.executable, "-m", "graddesc", "build", "-o", str(target), "--epochs", "400",
                              "--force"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(2.0)
        assert p.poll() is None, "the build finished before it could be killed: make it bigger"
        p.send_signal(sig)
        p.wait(timeout=30)
        assert target.read_bytes() == b"old workbook bytes"
    leftovers = [f.name for f in tmp_path.iterdir() if f.name != "w.xlsx"]
    # SIGKILL cannot be caught, so its temporary file may remain; it never replaces the target
    assert all(name.startswith(".graddesc-") for name in leftovers)
