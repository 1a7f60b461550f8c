"""Lists as people read them (issue 12): a table names parties and projects (Chinese names under zh) and shows
statuses in the reader's words; JSON keeps the keys and stored values; --keys shows keys; a table never runs past
the terminal's edge."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from coordkit.cli.display import table_text
from tests.conftest import ok

EXAMPLE = Path(__file__).parent.parent / "agreements" / "liede-renjia.yaml"


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("example")
    run = [sys.executable, "-m", "coordkit"]
    subprocess.run([*run, "init", str(folder)], check=True, capture_output=True)
    subprocess.run([*run, "--db", str(folder), "apply", str(EXAMPLE)], check=True, capture_output=True)
    return folder


@pytest.fixture
def demo(example_store: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = isolated / "w"
    shutil.copytree(example_store, target)
    monkeypatch.chdir(target)
    monkeypatch.setenv("COLUMNS", "100")
    return target


def rows_of(table: str) -> list[list[str]]:
    """The cells of a rich table's body rows, one line per row (the demo's short lists do not wrap)."""
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in table.splitlines() if line.startswith("│")]


def test_concerns_name_their_parties_and_speak_chinese(demo: Path) -> None:
    assert rows_of(ok("concern", "list", "--lang", "zh")) == [
        ["C-0001", "高", "已办结", "猎德社区居委会", "猎德物业管理公司", "猎德街道办事处（职能部门）"]
    ]
    assert rows_of(ok("concern", "list", "--lang", "zh", "--keys"))[0][:6] == [
        "C-0001",
        "高",
        "已办结",
        "liede-neighbourhood-committee",
        "liede-property",
        "liede-street",
    ]
    found = json.loads(ok("concern", "list", "--lang", "zh", "--format", "json"))
    assert (found[0]["by"], found[0]["status"], found[0]["severity"]) == (
        "liede-neighbourhood-committee",
        "resolved",
        "high",
    )


def test_agreements_show_the_project_name_and_status_words(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    rows = rows_of(ok("agreement", "list", "--lang", "zh"))
    assert [(r[0], r[1], r[4]) for r in rows] == [
        ("AGR-2024-001", "猎德人家社工服务项目", "已签署"),
        ("AGR-2024-002", "猎德人家社工服务项目", "已签署"),
        ("AGR-2024-003", "猎德人家社工服务项目", "传签中"),
        ("AGR-2024-004", "猎德人家社工服务项目", "草稿"),
    ]
    english = ok("agreement", "list", "--lang", "en", "--format", "md")
    assert "| AGR-2024-001 | Liede Renjia social-work service project | 1 |" in english
    assert "| signed |" in english
    monkeypatch.setenv("COLUMNS", "100")  # the project goes first when the room is short: one project is usual
    narrow = ok("agreement", "list", "--lang", "zh")
    assert rows_of(narrow)[0][:2] == ["AGR-2024-001", "1"]  # key, then version: no project column
    assert "┃ 项目" not in narrow
    md = ok("agreement", "list", "--lang", "zh", "--format", "md")
    assert "| AGR-2024-003 | 猎德人家社工服务项目 |" in md
    assert "| liede-renjia |" in ok("agreement", "list", "--lang", "zh", "--format", "md", "--keys")
    assert json.loads(ok("agreement", "list", "--format", "json"))[0]["project"] == "liede-renjia"


def test_contacts_actions_meetings_and_resources_name_parties(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    contacts = rows_of(ok("contact", "list", "--lang", "zh"))
    assert contacts[-1][:5] == ["I-0001", "2024-06-14", "猎德物业管理公司", "猎德人家社工服务项目", "走访"]
    assert "| Liede Community Neighbourhood Committee |" in ok("action", "list", "--lang", "en", "--format", "md")
    assert rows_of(ok("meeting", "list", "--lang", "zh"))[0][3] == "猎德社区党委"
    ok(
        "resource",
        "add",
        "square",
        "--name",
        "Liede Square",
        "--name-zh",
        "猎德广场",
        "--capacity",
        "1",
        "--owner",
        "liede-property",
    )
    assert rows_of(ok("resource", "list", "--lang", "zh"))[0][4] == "猎德物业管理公司"
    assert rows_of(ok("resource", "list", "--lang", "zh", "--keys"))[0][4] == "liede-property"


def test_a_table_that_must_wrap_stays_inside_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich narrowed a 32-cell Chinese name below its min_width and widened it back, pushing the last column
    past the edge; every column must show and no line be wider than the room."""
    columns = [("a", "agreement"), ("n", "no."), ("p", "party"), ("o", "obligation"), ("d", "due"), ("s", "status")]
    row = {
        "a": "AGR-2024-001",
        "n": "19",
        "p": "猎德人家社工站（第三方社会组织）",
        "o": "Submit a written progress report to the street office every quarter",
        "d": "2024-01-31",
        "s": "已完成",
    }
    monkeypatch.setenv("COLUMNS", "100")
    text = table_text([row], columns)
    widths = [cell_len(line) for line in text.splitlines()]
    assert max(widths) <= 100
    assert text.splitlines()[1].rstrip().endswith("┃ status ┃")


@pytest.mark.parametrize(
    "command",
    [
        ("stakeholder", "show", "liede-sw"),
        ("duty", "show", "market-venue"),
        ("project", "show", "liede-renjia"),
        ("agreement", "show", "AGR-2024-002"),
        ("concern", "show", "C-0001"),
        ("meeting", "show", "2024-03-04"),
    ],
)
def test_a_record_in_chinese_names_every_field_in_chinese(
    demo: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    """Field names are the JSON keys, translated; `legal_representative` and `frozen_at` printed as they were."""
    monkeypatch.setenv("COLUMNS", "200")
    labels = [row[0] for row in rows_of(ok(*command, "--lang", "zh")) if row[0]]
    assert len(labels) > 3
    assert [label for label in labels if label.isascii()] == []


def test_a_record_shows_kind_and_yes_in_the_readers_words(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    shown = dict(row[:2] for row in rows_of(ok("stakeholder", "show", "liede-sw", "--lang", "zh")))
    assert (shown["类型"], shown["在册"]) == ("社会组织", "是")
    english = dict(row[:2] for row in rows_of(ok("stakeholder", "show", "liede-sw", "--lang", "en")))
    assert (english["kind"], english["active"]) == ("social-organisation", "yes")


def test_documents_and_maps_default_to_the_readers_language(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A coordinator who set COORD_LANG=zh once gets the Chinese agreement, map, digest and report without
    --lang on each command (they were English unless told)."""
    monkeypatch.setenv("COORD_LANG", "zh")
    assert ok("agreement", "render", "AGR-2024-001", "--format", "md").startswith("# 猎德人家社工服务项目购买协议\n")
    assert "重点管理" in ok("grid", "--format", "table")
    assert ok("due", "--on", "2024-09-01", "--digest").startswith("到期事项（2024年9月1日）")
    assert ok("report", "--format", "md").startswith("# ")
    assert "项目" in ok("report", "--format", "md").splitlines()[0]
    english = ok("agreement", "render", "AGR-2024-001", "--format", "md", "--lang", "en")
    assert english.startswith("# Liede Renjia")
    monkeypatch.setenv("COORD_LANG", "en")
    assert "Manage closely" in ok("grid", "--format", "table")


def test_yes_and_no_read_in_chinese_in_a_table(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    md = ok("stakeholder", "list", "--lang", "zh", "--format", "md")
    assert "| yes |" not in md and "| 是 |" in md
    assert "| yes |" in ok("stakeholder", "list", "--lang", "en", "--format", "md")
    assert '"active": true' in ok("stakeholder", "list", "--lang", "zh", "--format", "json")


def test_a_review_is_rated_by_the_party_s_name(demo: Path) -> None:
    """``review rate --party`` takes a name, as every other --party does (issue 12)."""
    ok("review", "open", "AGR-2024-001", "--on", "2024-10-05")
    key = json.loads(ok("review", "list", "--format", "json"))[-1]["key"]
    ok("review", "rate", key, "--party", "猎德人家社工站（第三方社会组织）", "--area", "trust", "--score", "4")
    ratings = json.loads(ok("review", "show", key, "--format", "json"))["ratings"]
    assert [(r["party"], r["area"], r["score"]) for r in ratings] == [("liede-sw", "trust", 4)]
