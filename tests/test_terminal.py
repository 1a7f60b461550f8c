"""Terminal output fits the terminal: at 80, 100 and 200 columns no letter cell is cut and every hint is whole;
colour follows --color and NO_COLOR; long output goes through the pager, and --no-pager turns it off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

import coordkit.cli.display as display
from coordkit.cli.matrix import abbreviate, column_groups, header_width
from tests.conftest import Workspace, ok, run_coord

WIDTHS = [80, 100, 200]
ANSI = re.compile("\x1b\\[[0-9;]*m")

PARTIES = [
    ("liede-street", "Liede Street Office (functional department)", "government"),
    ("liede-sw", "Liede Renjia Social Work Station", "social-organisation"),
    ("liede-committee", "Liede Community Neighbourhood Committee", "neighbourhood-committee"),
    ("liede-party", "Liede Community Party Committee", "party-committee"),
    ("liede-property", "Liede property management company", "property-management"),
    ("liede-merchants", "Liede merchants", "enterprise"),
    ("liede-volunteers", "Liede Resident Volunteer Team", "volunteer-team"),
    ("partner-university", "Partner university", "university"),
    ("tianhe-district", "Tianhe District Civil Affairs Bureau", "government"),
]


@pytest.fixture
def wide(sqlite_ws: Workspace) -> Workspace:
    """Nine parties, each with a letter, a role, a gap and an overlap: a matrix wider than any terminal here."""
    for key, name, kind in PARTIES:
        ok("stakeholder", "add", key, "--name", name, "--kind", kind, "--interests", "word " * 12)
    ok("project", "add", "lr", "--name", "Liede Renjia", "--start", "2024-01-01", "--end", "2024-12-31")
    ok("role", "add", "venue-host", "--name", "Venue host")
    ok("role", "assign", "venue-host", "liede-committee")
    ok("duty", "add", "resident-mobilisation", "--title", "Mobilise residents", "--category", "markets")
    ok("duty", "add", "market-venue", "--title", "Provide the square", "--category", "markets")
    for index, (key, _name, _kind) in enumerate(PARTIES):
        ok("duty", "assign", "resident-mobilisation", key, "--as", "RACI"[index % 4] + ",C" * (index % 4 == 0))
    ok("duty", "assign", "market-venue", "role:venue-host", "--as", "R,A")
    ok("duty", "assign", "market-venue", "liede-street", "--as", "A", "--from", "2024-07-01")
    return sqlite_ws


def lines_of(text: str) -> list[str]:
    return ANSI.sub("", text).splitlines()


@pytest.mark.parametrize("columns", WIDTHS)
def test_the_matrix_fits_and_cuts_no_letter(wide: Workspace, columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    text = ok("matrix", "--on", "2024-08-01")
    lines = lines_of(text)
    assert max(cell_len(line) for line in lines if not line.startswith("R responsible")) <= columns
    cells = [c.strip() for line in lines if line.startswith("│") for c in line.split("│")[2:-1]]
    assert cells.count("R,C") == 3 and cells.count("R*,A*") == 1 and "A" in cells  # whole, in every group
    assert all(re.fullmatch(r"([RACI][*#]*)(,[RACI][*#]*)*", c) for c in cells if c), cells
    groups = text.count("Responsibility matrix · all projects · 2024-08-01")
    assert groups == (1 if columns == 200 else 3)
    for key, *_rest in PARTIES:  # every party has its column, under its name (never cut to 'lied…')
        assert key not in text
    assert "Liede Street Office" in text.replace("\n", " ") or "Liede Street" in text
    assert "! Provide the square (market-venue): multiple-accountable" in text  # the title, and the key to type
    assert "! market-venue: multiple-accountable" in ok("matrix", "--on", "2024-08-01", "--keys")


def test_header_names_are_abbreviated_sensibly() -> None:
    assert abbreviate("Liede Community Neighbourhood Committee", 16) == [
        "Liede Community",
        "Neighbourhood",
        "Committee",
    ]
    assert abbreviate("Liede Street Office (functional department)", 12) == ["Liede Street", "Office"]
    assert abbreviate("Liede Community Neighbourhood Committee", 9) == ["Liede", "Comm.", "Neig.…"]
    assert header_width("Liede merchants") == 9 and header_width("Tianhe District Civil Affairs Bureau") == 14
    assert column_groups([10, 10, 10], room=60, fixed=20) == [[0, 1], [2]]
    assert column_groups([50], room=40, fixed=20) == [[0]]  # never an empty group


@pytest.mark.parametrize("columns", WIDTHS)
def test_check_prints_findings_as_a_linter_with_whole_hints(
    wide: Workspace, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run_coord("check", "--on", "2024-08-01")
    assert result.exit_code == 1
    blocks = result.stdout.split("\n\n")
    head, *message, hint = blocks[0].splitlines()
    assert head == "error  multiple-accountable  market-venue  Provide the square  (lr)"  # key, then name
    assert hint == (
        "  keep one A: coord duty unassign market-venue role:venue-host --as A --from 2024-07-01 --project lr"
    )
    assert all(cell_len(line) <= columns for line in message)
    for block in blocks:  # the hint is the last line of every block, whole
        assert "coord " in block.splitlines()[-1]
    assert (
        result.stderr == "2 error(s), 10 warning(s) on 2024-08-01.\n"
    )  # 9: no party has a contact channel; 1: no joint meeting


@pytest.mark.parametrize("columns", WIDTHS)
def test_lists_leave_out_columns_rather_than_squeeze_them(
    wide: Workspace, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run_coord("stakeholder", "list")
    lines = lines_of(result.stdout)
    assert max(cell_len(line) for line in lines) <= columns
    assert "│ liede-committee " in result.stdout  # the key, whole on one line
    assert " Neighbourhood " in result.stdout  # names wrap at words, not at five letters
    # and the table ends at its right border: rich once laid this one out 4 cells too wide at 100 columns and
    # the terminal's edge cut the last column (and a crop hid it from the width check above)
    assert all(line.rstrip()[-1] in "┓┃┩│┘" for line in lines[1:])
    if columns < 200:
        hidden = result.stderr.split(": ", 1)[1].split(" (")[0].split(", ")
        assert result.stderr.startswith(f"Not shown at {columns} columns: ") and "interests" in hidden
        assert "kind" not in hidden and "name" not in hidden
    else:
        assert "Not shown" not in result.stderr


def test_colour_follows_the_option_and_no_color(wide: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "\x1b[" not in ok("matrix", "--on", "2024-08-01")  # a pipe: no colour
    assert "\x1b[" in ok("--color", "always", "matrix", "--on", "2024-08-01")
    monkeypatch.setattr(display, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COORD_PAGER", "cat")
    assert "\x1b[" in ok("matrix", "--on", "2024-08-01")  # a terminal: colour
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in ok("matrix", "--on", "2024-08-01")
    assert "\x1b[" not in ok("check", "--on", "2024-08-01", "--ignore", "multiple-accountable,no-responsible")
    assert "\x1b[" in ok("--color", "always", "matrix", "--on", "2024-08-01")
    assert "\x1b[" not in ok("--color", "never", "stakeholder", "list")


def test_long_output_goes_through_the_pager(wide: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paged = tmp_path / "paged.txt"
    monkeypatch.setattr(display, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("LINES", "24")
    monkeypatch.setenv("COORD_PAGER", f"cat > {paged}")
    monkeypatch.setenv("NO_COLOR", "1")
    shown = ok("log")
    assert shown == "" and "duty.assign" in paged.read_text() and paged.read_text().count("\n") > 24
    paged.unlink()
    assert "duty.assign" in ok("--no-pager", "log") and not paged.exists()
    assert "duty.assign" in ok("log", "-n", "2")
    assert not paged.exists()  # short output is printed, not paged
    monkeypatch.setenv("COORD_PAGER", "no-such-pager-here")
    assert "duty.assign" in ok("log")  # a pager that cannot start leaves the text on stdout
