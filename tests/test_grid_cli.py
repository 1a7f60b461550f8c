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


def test_scores_keep_who_when_why_and_the_map_shows_movement(sqlite_ws: Workspace, isolated: Path) -> None:
    sqlite_ws.replay([["apply", str(EXAMPLE)]])
    before = sqlite_ws.snapshot()
    bad = run_coord("stakeholder", "score", "liede-property", "--influence", "9", "--interest", "5")
    assert (bad.exit_code, bad.stderr) == (2, "Error: influence must be from 1 to 5 (got 9)\n")
    assert sqlite_ws.snapshot() == before
    ok(
        "stakeholder",
        "score",
        "liede-property",
        "--influence",
        "3",
        "--interest",
        "3",
        "--on",
        "2024-01-05",
        "--by",
        "陈静",
        "--note",
        "first rating",
    )
    result = run_coord(
        "stakeholder",
        "score",
        "liede-property",
        "--influence",
        "4",
        "--interest",
        "5",
        "--on",
        "2024-06-01",
        "--note",
        "runs the square now",
        "--history",
    )
    assert result.exit_code == 0, result.stderr
    assert "│ 2024-01-05 │ 3         │ 3        │ 陈静      │ first rating        │" in result.stdout
    shown = json.loads(ok("stakeholder", "show", "liede-property", "--format", "json"))
    assert (shown["influence"], shown["interest"]) == (4, 5)
    log = json.loads(ok("log", "liede-property", "--format", "json"))
    assert [e["action"] for e in log].count("stakeholder.score") == 2

    rows = {r["key"]: r for r in json.loads(ok("grid", "--since", "2024-02-01", "--format", "json"))}
    moved = rows["liede-property"]
    assert (moved["previous_influence"], moved["previous_interest"], moved["influence"], moved["interest"]) == (
        3,
        3,
        4,
        5,
    )
    assert rows["liede-sw"]["previous_influence"] is None  # no rating before the day: no arrow
    early = {r["key"]: r for r in json.loads(ok("grid", "--since", "2024-01-01", "--format", "json"))}
    assert early["liede-property"]["previous_influence"] is None
    ok("grid", "--since", "2024-02-01", "--format", "svg", "-o", "moved.svg")
    root = ET.fromstring((isolated / "moved.svg").read_text(encoding="utf-8"))
    assert {g.get("id") for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("move-")} == {
        "move-liede-property"
    }
