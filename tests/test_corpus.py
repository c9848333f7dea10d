"""`graddesc recalc --compare-cached` over the corpus of real workbooks in ../shared/corpus/files
(saved by Excel, a few by LibreOffice; origins in ../shared/corpus/SOURCES.tsv): no crash, and the
share of formula cells agreeing with the cached values never falls below the floor.

The floors are ratchets: set to what was measured when they were last raised (raise them as the
engine learns more; never lower them to make a change pass).  The agreement counts every formula
cell with a cached value, a cell that was not evaluated counting as not agreeing, except the cells
calling RAND/RANDBETWEEN/NOW/TODAY or depending on one (no engine can reproduce them).  Issue 12's
target is 97%.  Run with -s to see the per-reason remainder."""

import os
from collections import Counter
from pathlib import Path

import pytest

from graddesc import recalc
from tests.witnesses import _missing

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "files"

# measured 2026-11-30 22:05 UTC: 33,788 of 34,772 (97.17%); array-result cells 23,190 of 23,529 (98.56%)
FLOOR = 0.9716
ARRAY_FLOOR = 0.9855


@pytest.fixture(scope="module")
def audit():
    if not CORPUS.is_dir():
        _missing(f"the corpus of real workbooks is not here ({CORPUS}): a clone on its own has no ../shared")
    paths = recalc.workbook_paths([CORPUS])
    assert len(paths) >= 100, f"{CORPUS}: expected the corpus' 114 workbooks, found {len(paths)}"
    return recalc.audit(paths, jobs=min(2, os.cpu_count() or 1))


def test_corpus_no_crash_and_agreement_floor(audit):
    table = recalc.summary_table(audit, top=40)
    print("\n" + "\n".join(line for line in table.splitlines() if not line.startswith(("-",)))[-6000:])
    crashes = [f"{r['path']}: {r['crash']}" for r in audit if r.get("crash")]
    unreadable = [f"{r['error']}" for r in audit if r.get("error")]
    assert crashes == [] and unreadable == []
    cached = sum(r["cached"] - r["unreproducible"] for r in audit)
    agree = sum(r["agree"] for r in audit)
    remainder: Counter = Counter()
    for r in audit:
        remainder.update({k: v for k, v in r["reasons"].items() if k not in (recalc.NO_CACHED, recalc.UNREPRODUCIBLE)})
    print(f"agreement {agree} of {cached} = {100 * agree / cached:.2f}% (floor {100 * FLOOR:.2f}%); left out as "
          f"unreproducible (RAND, NOW, ...): {sum(r['unreproducible'] for r in audit)}")
    print("remainder by reason:\n" + "\n".join(f"  {n:>6}  {why}" for why, n in remainder.most_common(30)))
    assert cached > 30_000
    assert agree / cached >= FLOOR, f"agreement {agree}/{cached} fell below the floor {FLOOR}: {remainder.most_common(10)}"
    arrays = sum(r["array_compared"] for r in audit)
    array_agree = sum(r["array_agree"] for r in audit)
    assert arrays and array_agree / arrays >= ARRAY_FLOOR, (array_agree, arrays)
