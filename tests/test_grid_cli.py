"""coord grid on the Liede Renjia example: the project's parties as a table and as an SVG, each in its quadrant."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from coordkit.render import grid
from tests.conftest import Workspace, ok, run_coord
from tests.test_grid import SVG, _dot, _rect

EXAMPLE = Path(__file__).resolve().parent.parent / "agreements" / "liede-renjia.yaml"


def test_grid_of_a_project(sqlite_ws: Workspace, isolated: Path) -> None:
    sqlite_ws.replay([["apply", str(EXAMPLE)]])
    ok("stakeholder", "add", "no-score", "--name", "Unscored Group", "--kind", "other")
    rows = json.loads(ok("grid", "--format", "json"))
    assert [(r["key"], r["influence"], r["interest"], r["quadrant"]) for r in rows][:2] == [
        ("liede-party-committee", 5, 4, "manage-closely"),
        ("liede-street", 5, 4, "manage-closely"),
    ]
    stored = {s["key"]: s for s in json.loads(ok("stakeholder", "list", "--format", "json"))}
    for row in rows:
        assert (row["influence"], row["interest"]) == (stored[row["key"]]["influence"], stored[row["key"]]["interest"])
        assert row["quadrant"] == grid.quadrant(row["influence"], row["interest"])
    result = run_coord("grid", "--format", "json")
    assert result.stderr == "Not rated on both axes (rate them with coord stakeholder edit): no-score\n"

    in_project = {r["key"] for r in json.loads(ok("grid", "--project", "liede-renjia", "--format", "json"))}
    assert "partner-university" in {r["key"] for r in rows} and "partner-university" not in in_project
    assert "liede-sw" in in_project

    ok("grid", "--project", "liede-renjia", "--format", "svg", "--lang", "zh", "-o", "grid.svg")
    root = ET.fromstring((isolated / "grid.svg").read_text(encoding="utf-8"))
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    rects = {name: _rect(groups[f"quadrant-{name}"]) for name in grid.QUADRANTS}
    for key in in_project:
        x, y = _dot(groups[f"party-{key}"])
        inside = [name for name, (x0, x1, y0, y1) in rects.items() if x0 < x < x1 and y0 < y < y1]
        assert inside == [grid.quadrant(stored[key]["influence"], stored[key]["interest"])], key
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "重点管理" in texts and "利益相关方地图：影响力与关注度 · liede-renjia" in texts
