"""The benchmark runs end to end at a small scale, so it never breaks (timings are not asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.run import main


@pytest.mark.slow
def test_benchmark_small_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = main(
        ["--scale", "small", "--repeat", "1", "--data", str(tmp_path / "data"), "--json", str(tmp_path / "out.json")]
    )
    printed = capsys.readouterr().out
    names = [f.name for f in results]
    assert "coord check" in names and "coord matrix --format csv" in names
    for figure in results:
        assert len(figure.samples) == 1 and figure.samples[0] > 0 and figure.peak_mb > 0
        assert f"| {figure.name} |" in printed
    saved = json.loads((tmp_path / "out.json").read_text())
    assert [f["name"] for f in saved["figures"]] == names
    assert (tmp_path / "data" / "store" / "coord.db").is_file()
    assert (tmp_path / "data" / "pdf-store" / "coord.db").is_file()
