"""The engine's public API (graddesc.engine.Workbook by address and name), and the README's
example, which this file runs as it is printed there."""

import re
from pathlib import Path

import pytest

from graddesc.engine import ERRORS, Workbook
from graddesc.engine.workbook import CellResult, NotEvaluated

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs(tmp_path):
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- api-example[^>]*-->\s*```python\n(.*?)```", text, re.DOTALL)
    assert m, "README.md lost its API example"
    ns: dict = {}
    exec(compile(m.group(1), "README.md (api example)", "exec"), ns)  # noqa: S102 - the README's own code
    tests = [v for k, v in ns.items() if k.startswith("test_") and callable(v)]
    assert len(tests) == 1
    tests[0](tmp_path)


def book():
    return Workbook.from_cells(
        {"In": {"A1": 2, "A2": 3, "A3": 4, "B1": "=A1*10"},
         "My sheet": {"A1": "=SUM(In!A1:A3)", "A2": "=In!B1+1", "A3": "=A1+A2", "B1": 7, "C1": "=B1*2",
                      "D1": "=NOSUCHFN(1)", "D2": "=D1+1", "E1": "=E2", "E2": "=E1", "F1": "=RAND()", "F2": "=F1+1"}},
        {"rate": "In!$A$2", ("local", "My sheet"): "'My sheet'!$B$1", "block": "In!$A$1:$A$2", "half": "0.5"})


def test_get_by_address_range_and_name():
    wb = book().evaluate(strict=False)
    assert wb["'My sheet'!A1"] == 9.0 and wb.get("In!$B$1") == 20.0 and wb.get("In!C9") is None
    assert wb.get("In!A1:B2") == [[2.0, 20.0], [3.0, None]]
    assert wb.get("rate") == 3.0 and wb.get("block") == [[2.0], [3.0]]
    assert wb.get("'My sheet'!local") == 7.0  # a name scoped to its sheet
    assert wb.get("'My sheet'!D1") is ERRORS["#NAME?"]
    for bad in ("A1", "Nope!A1", "nosuchname", "half", "In!A0", "local"):
        with pytest.raises(KeyError):
            wb.get(bad)
    one = Workbook.from_cells({"S": {"A1": 5}}).evaluate()
    assert one["A1"] == 5.0  # one sheet: the address alone is enough


def test_set_recomputes_only_the_dependants():
    wb = book().evaluate(strict=False)
    # F1 and F2 are volatile (RAND): recomputed on every change, as Excel does
    assert set(wb.set({"In!A3": 10})) == {"My sheet!A1", "My sheet!A3", "My sheet!F1", "My sheet!F2"}
    assert wb["'My sheet'!A1"] == 15.0 and wb["'My sheet'!A3"] == 36.0
    assert set(wb.set({"rate": 1, "'My sheet'!B1": "#N/A"})) == {
        "My sheet!A1", "My sheet!C1", "My sheet!A3", "My sheet!F1", "My sheet!F2"}
    assert wb["'My sheet'!A1"] == 13.0 and wb["'My sheet'!C1"] is ERRORS["#N/A"]
    wb["In!A1"] = 1  # In!B1 -> My sheet!A2 -> A3
    assert wb["In!B1"] == 10.0 and wb["'My sheet'!A2"] == 11.0 and wb["'My sheet'!A3"] == 23.0
    # a value over a formula, a new formula, a cell beyond the used area: the whole workbook again
    everything = wb.set({"In!B1": 5})  # In!B1 is now an input: 10 formula cells left
    assert len(everything) == 10 and wb["'My sheet'!A2"] == 6.0
    wb.set({"In!Z99": "=In!A1*100", "In!A2": None})
    assert wb["In!Z99"] == 100.0 and wb["rate"] is None and wb["'My sheet'!A1"] == 11.0
    with pytest.raises(KeyError):
        wb.set({"block": 1})
    fresh = book()
    assert fresh.set({"In!A1": 5}) == []  # before evaluate(): stored, evaluated later
    assert fresh.evaluate(strict=False)["In!B1"] == 50.0


def test_not_evaluated_results_and_dependants():
    wb = book().evaluate(strict=False)
    assert wb.not_evaluated() == [
        NotEvaluated("My sheet!D1", "unsupported", "unknown function NOSUCHFN()"),
        NotEvaluated("My sheet!E1", "circular", "circular reference: My sheet!E1 -> My sheet!E2 -> My sheet!E1"),
        NotEvaluated("My sheet!D2", "unsupported", "depends on My sheet!D1 (unknown function NOSUCHFN())"),
        NotEvaluated("My sheet!E2", "circular", "circular reference: My sheet!E1 -> My sheet!E2 -> My sheet!E1")]
    res = {r.cell: r for r in wb.results()}
    assert len(res) == 11 and res["My sheet!A1"] == CellResult("My sheet!A1", "=SUM(In!A1:A3)", 9.0, None,
                                                               None, None, False)
    assert res["My sheet!F1"].unreproducible and res["My sheet!F2"].unreproducible
    assert res["My sheet!D2"].not_evaluated.kind == "unsupported"
    assert [r.cell for r in wb.results("In")] == ["In!B1"]
    assert wb.dependants(["In!A2"]) == {"My sheet!A1", "My sheet!A3"}
    assert wb.dependants(["In!A1", "rate"]) == {"In!B1", "My sheet!A1", "My sheet!A2", "My sheet!A3"}
    assert wb.dependants(["'My sheet'!D1"]) == {"My sheet!D1", "My sheet!D2"}
