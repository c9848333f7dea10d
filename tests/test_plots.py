"""graddesc.plots: two titled PNGs, written fast."""

import time
from pathlib import Path

from graddesc import plots


def test_plot_writes_two_png_files(tmp_path):
    t0 = time.perf_counter()
    paths = plots.plot(tmp_path / "images", epochs=3)
    assert time.perf_counter() - t0 < 30
    assert [Path(p).name for p in paths] == ["loss.png", "paths.png"]
    for p in paths:
        data = open(p, "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) > 10_000


def test_mean_loss_grid_is_zero_at_the_truth():
    from graddesc.problem import TRUE_A, TRUE_B, make_data

    z = plots.mean_loss_grid(make_data(), TRUE_A, TRUE_B)
    assert float(z) == 0.0
