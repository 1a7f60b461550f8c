"""Everyday use: a demo that never fails for what it cannot render, Chinese PDFs from the font extra,
fewer commands (several letters at once, a duty with its parties, a period unassigned), render's default
file, an ended project checked on its last day, cells with each letter once, completion from the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import coordkit.render.pdf as pdf
from coordkit.cli.completion import store_keys
from coordkit.services.checking import cell_text
from coordkit.storage.lookup import like_prefix
from tests.conftest import Workspace, ok, run_coord

ROOT = Path(__file__).resolve().parent.parent


def pdf_text_and_fonts(path: Path) -> tuple[str, set[str]]:
    reader = PdfReader(path)
    fonts = {
        str(page["/Resources"]["/Font"][name].get_object()["/BaseFont"])
        for page in reader.pages
        for name in page["/Resources"]["/Font"]
    }
    return "\n".join(page.extract_text() for page in reader.pages), fonts


def no_fonts_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with Pango but no CJK font: fontconfig knows none and the extra is not installed."""
    monkeypatch.setattr(pdf, "system_cjk_fonts", lambda: ())
    monkeypatch.setattr(pdf, "bundled_fonts", lambda: {})


# the quick start never fails for an optional capability


def test_the_demo_without_a_cjk_font_exits_0_and_says_what_it_skipped(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_fonts_at_all(monkeypatch)
    result = run_coord("demo", "d")
    assert result.exit_code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("  note: ")]
    assert notes == [
        "  note: skipped 13 file(s) (AGR-2024-001-v1.en.pdf, AGR-2024-002-v1.en.pdf, …): rendering Chinese to PDF "
        "needs a CJK font and none is installed; install coord's font extra (pip install 'coordkit[cjk]') or a "
        "system font (Debian/Ubuntu: apt-get install fonts-noto-cjk) and try again"
    ]
    made = sorted(p.name for p in (isolated / "d" / "documents").iterdir())
    assert "matrix.pdf" in made and "matrix.xlsx" in made and "AGR-2024-001-v1.zh.html" in made
    assert not [name for name in made if name.endswith(".pdf") and name != "matrix.pdf"]
    assert "PDF (zh)" not in result.stderr and "responsibility matrix, PDF" in result.stderr
    assert "coord check --on 2024-09-01" in result.stderr


def test_the_demo_without_weasyprint_skips_every_pdf_in_one_line(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> None:
        raise pdf.CannotRender(
            "PDF output needs WeasyPrint and its system libraries (Pango): no libpango; see coord doctor"
        )

    monkeypatch.setattr(pdf, "weasyprint", missing)
    result = run_coord("demo", "d")
    assert result.exit_code == 0
    notes = [line for line in result.stderr.splitlines() if "note:" in line]
    assert len(notes) == 1 and "skipped 14 file(s)" in notes[0] and "see coord doctor" in notes[0]
    assert not list((isolated / "d" / "documents").glob("*.pdf"))


def test_chinese_pdfs_from_the_font_extra_without_any_system_font(tmp_path: Path) -> None:
    """A fresh process whose fontconfig sees no CJK font (FONTCONFIG_FILE): the extra's fonts do the work."""
    if not pdf.bundled_fonts():
        pytest.skip("the [cjk] extra is not installed here")
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path}/cache</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "COORD_USER": "tester"}
    shown = subprocess.run(["fc-list", ":lang=zh"], env=env, capture_output=True, text=True)
    assert shown.stdout == ""
    result = subprocess.run(
        [sys.executable, "-m", "coordkit", "demo", "d"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "note:" not in result.stderr
    text, fonts = pdf_text_and_fonts(tmp_path / "d" / "documents" / "AGR-2024-001-v1.zh.pdf")
    assert "猎德人家社工服务项目购买协议" in text and "甲方" in text
    assert {font.split("+", 1)[1] for font in fonts} <= {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC", "DejaVuSerif"}
    register, fonts = pdf_text_and_fonts(tmp_path / "d" / "documents" / "register.zh.pdf")
    assert "猎德社区居委会" in register and any("Noto-Sans-CJK-SC" in font for font in fonts)
    doctor = subprocess.run(
        [sys.executable, "-m", "coordkit", "doctor", "-f", "json"], env=env, capture_output=True, text=True
    )
    zh = json.loads(doctor.stdout)[-1]
    assert zh["ok"] and zh["detail"].startswith("CJK fonts from the font extra: NotoSansSC-Regular.otf")


def test_doctor_names_the_extra_when_there_is_no_font(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_fonts_at_all(monkeypatch)
    zh = json.loads(ok("doctor", "-f", "json"))[-1]
    assert zh == {
        "format": "pdf --lang zh",
        "ok": False,
        "detail": "no CJK font: Chinese PDFs are refused (they would print as boxes)",
        "fix": "pip install 'coordkit[cjk]' (or apt-get install fonts-noto-cjk)",
    }


def test_how_to_run_names_the_activate_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coordkit.cli.demo import how_to_run

    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "coord").write_text("")
    (venv / "activate").write_text("")
    monkeypatch.setattr(sys, "argv", [str(venv / "coord"), "demo"])
    monkeypatch.setenv("PATH", "/usr/bin")
    assert how_to_run() == f"coord is not on your PATH; first run: source {venv / 'activate'}"
    (venv / "coord").chmod(0o755)
    monkeypatch.setenv("PATH", str(venv))
    assert how_to_run() == ""


# fewer commands


@pytest.fixture
def parties(ws: Workspace) -> Workspace:
    for key in ("street", "sw", "committee", "merchants"):
        ok("stakeholder", "add", key, "--name", key.title(), "--kind", "other", "--contact", "phone:1")
    ok("project", "add", "lr", "--name", "Liede Renjia", "--start", "2024-01-01", "--end", "2024-12-31")
    ok("role", "add", "venue-host", "--name", "Venue host")
    ok("role", "assign", "venue-host", "committee")
    return ws


def letters(duty: str) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
    found = json.loads(ok("duty", "show", duty, "-f", "json"))["assignments"]
    return [(a["letter"], a["stakeholder"], a["role"], a["from"], a["to"]) for a in found]


def test_assign_several_letters_at_once(parties: Workspace) -> None:
    ok("duty", "add", "plan", "--title", "Plan the market")
    result = run_coord("duty", "assign", "plan", "sw", "--as", "r，a")
    assert result.exit_code == 0 and result.stderr == "'sw' is R,A for duty 'plan'.\n"
    ok("duty", "assign", "plan", "street", "--as", "CI")
    assert letters("plan") == [
        ("R", "sw", None, None, None),
        ("A", "sw", None, None, None),
        ("C", "street", None, None, None),
        ("I", "street", None, None, None),
    ]
    bad = run_coord("duty", "assign", "plan", "merchants", "--as", "R,X")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: ") and "'X'" in bad.stderr
    again = run_coord("duty", "assign", "plan", "sw", "--as", "C,R")  # R is held already: nothing is written
    assert again.exit_code == 2 and again.stderr == "Error: 'sw' is already R for duty 'plan' in that period\n"
    assert len(letters("plan")) == 4
    assert json.loads(ok("log", "-n", "1", "-f", "json"))[0]["action"] == "duty.assign"


def test_add_a_duty_with_its_parties_in_one_command(parties: Workspace) -> None:
    ok(
        "duty",
        "add",
        "venue",
        "--title",
        "Provide the venue",
        "--r",
        "role:venue-host",
        "--a",
        "street",
        "--c",
        "sw,merchants",
        "--i",
        "committee",
    )
    assert letters("venue") == [
        ("R", None, "venue-host", None, None),
        ("A", "street", None, None, None),
        ("C", "merchants", None, None, None),
        ("C", "sw", None, None, None),
        ("I", "committee", None, None, None),
    ]
    events = json.loads(ok("log", "-f", "json"))
    assert events[0]["action"] == "duty.add" and len(events[0]["after"]["assignments"]) == 5
    unknown = run_coord("duty", "add", "x", "--title", "X", "--a", "stret")
    assert unknown.exit_code == 2 and "did you mean 'street'" in unknown.stderr
    assert run_coord("duty", "show", "x").exit_code == 2  # nothing of it was written


def test_unassign_a_period_keeps_the_rest_of_the_window(parties: Workspace) -> None:
    ok("duty", "add", "venue", "--title", "Provide the venue", "--a", "committee")
    ok("duty", "unassign", "venue", "committee", "--as", "A", "--from", "2024-03-01", "--to", "2024-12-31")
    assert letters("venue") == [
        ("A", "committee", None, None, "2024-02-29"),
        ("A", "committee", None, "2025-01-01", None),
    ]
    ok("duty", "unassign", "venue", "committee", "--as", "A", "--from", "2025-06-01")
    assert letters("venue") == [
        ("A", "committee", None, None, "2024-02-29"),
        ("A", "committee", None, "2025-01-01", "2025-05-31"),
    ]
    outside = run_coord("duty", "unassign", "venue", "committee", "--from", "2024-04-01", "--to", "2024-05-01")
    assert outside.exit_code == 2
    assert outside.stderr == "Error: 'committee' has no assignment for duty 'venue' in that period\n"
    ok("duty", "unassign", "venue", "committee")  # without a period: all of them
    assert letters("venue") == []


# render, check and validate


def test_render_at_a_terminal_writes_documents_and_says_where(
    parties: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("duty", "add", "venue", "--title", "Provide the venue")
    ok(
        "agreement",
        "new",
        "--title",
        "Market",
        "--party",
        "street:Party A",
        "--party",
        "sw:Party B",
        "--effective",
        "2024-03-01",
        "--expires",
        "2024-12-31",
    )
    key = json.loads(ok("agreement", "list", "-f", "json"))[0]["key"]
    assert ok("agreement", "render", key, "-f", "md").startswith("#")  # piped: stdout, as before
    import coordkit.cli.documents as documents

    monkeypatch.setattr(documents, "at_terminal", lambda: True)
    result = run_coord("agreement", "render", key, "-f", "md", "--lang", "zh", "--allow-untranslated")
    assert result.exit_code == 0, result.stderr
    path = Path("documents") / f"{key}-v1.zh.md"
    assert result.stderr == f"Wrote {path}\n" and (isolated / path).read_text(encoding="utf-8").startswith("#")


def test_an_ended_project_is_checked_on_its_last_day(parties: Workspace) -> None:
    ok("duty", "add", "venue", "--title", "Provide the venue", "--r", "sw", "--a", "street")
    result = run_coord("check", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["on"] == "2024-12-31"
    assert result.stderr == (
        "project 'lr' ended on 2024-12-31: checked on its last day (--on DATE checks another day)\n"
        "0 error(s), 1 warning(s) on 2024-12-31.\n"  # no-joint-meeting: a project in progress meets now and then
    )
    named = run_coord("check").stderr.splitlines()[0]  # people read the project's name; JSON and --keys its key
    assert named == "project 'Liede Renjia' ended on 2024-12-31: checked on its last day (--on DATE checks another day)"
    assert run_coord("check", "--keys").stderr.startswith("project 'lr' ended on 2024-12-31")
    ok("project", "add", "lr2", "--name", "Liede Renjia 2", "--start", "2023-01-01", "--end", "2023-12-31")
    both = run_coord("check")
    assert both.stderr.startswith("every project checked had ended by 2024-12-31: checked on that day")
    ok("project", "add", "lr3", "--name", "Liede Renjia 3", "--start", "2024-01-01")
    assert "ended" not in run_coord("check").stderr  # one still runs: today
    assert json.loads(ok("check", "--on", "2025-02-01", "-f", "json"))["on"] == "2025-02-01"


def test_validate_the_example_checks_its_last_day() -> None:
    result = run_coord("validate", str(ROOT / "agreements" / "liede-renjia.yaml"), "-f", "json")
    report = json.loads(result.stdout)
    assert report["on"] == "2024-12-31" and result.exit_code == 1
    assert sorted({f["rule"] for f in report["findings"]}) == [
        "multiple-accountable",
        "no-accountable",
        "no-joint-meeting",  # the last joint meeting was on 2024-08-05
        "open-actions",
        "overdue-obligation",
        "review-overdue",  # the service review opened on 5 July: the next was due on 5 October
        "silent-party",
        "unsigned-party",
    ]
    assert "project 'liede-renjia' ended on 2024-12-31: checked on its last day" in result.stderr
    table = run_coord("validate", str(ROOT / "agreements" / "liede-renjia.yaml"), "--lang", "zh").stdout
    assert "错误  no-accountable  information-platform  社区信息共享平台建设  (liede-renjia)\n" in table
    assert "  职责“社区信息共享平台建设”没有负责方（A）\n" in table  # names from the files, as coord check's


def test_a_cell_shows_each_letter_once_with_its_marks() -> None:
    assert cell_text({"A": {"", "#"}, "R": {""}}) == "R,A#"
    assert cell_text({"R": {"", "#"}, "A": {""}}) == "R#,A"
    assert cell_text({"C": {"*"}, "R": {"*#"}}) == "R*#,C*"


def test_the_matrix_cell_of_a_letter_held_by_hand_and_through_a_role(tmp_path: Path) -> None:
    assert run_coord("demo", str(tmp_path / "d")).exit_code == 1 - 1
    os.chdir(tmp_path / "d")
    ok("duty", "assign", "results-evaluation", "liede-neighbourhood-committee", "--as", "C,I")
    rows = json.loads(ok("matrix", "--on", "2024-09-01", "-f", "json"))["rows"]
    evaluation = next(r for r in rows if r["duty"] == "results-evaluation")
    assert evaluation["cells"]["liede-neighbourhood-committee"] == "C*,I"  # by hand and through venue-host: one C


# completion


def test_completion_offers_keys_from_the_store(parties: Workspace) -> None:
    ok("duty", "add", "venue", "--title", "Provide the venue")
    ok("duty", "add", "visits", "--title", "Visit residents")
    assert store_keys(("stakeholder",), "s", db=None, project=None) == ["street", "sw"]
    assert store_keys(("stakeholder", "role"), "", db=None, project=None) == [
        "committee",
        "merchants",
        "street",
        "sw",
        "role:venue-host",
    ]
    assert store_keys(("stakeholder", "role"), "role:v", db=None, project=None) == ["role:venue-host"]
    assert store_keys(("duty",), "v", db=None, project="lr") == ["venue", "visits"]
    assert store_keys(("project",), "", db=None, project=None) == ["lr"]
    assert like_prefix("a_b%") == "a!_b!%%"
    assert store_keys(("stakeholder",), "s_", db=None, project=None) == []


def test_completion_through_the_shell_protocol(sqlite_ws: Workspace, isolated: Path) -> None:
    ok("stakeholder", "add", "liede-sw", "--name", "SW", "--kind", "other")
    ok("stakeholder", "add", "liede-street", "--name", "Street", "--kind", "other")
    env = {
        **os.environ,
        "_COORD_COMPLETE": "complete_bash",
        "COMP_WORDS": "coord stakeholder show liede-s",
        "COMP_CWORD": "3",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from coordkit.cli import main; main()"],
        env=env,
        cwd=isolated,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["liede-street", "liede-sw"], result.stderr
    script = ok("completion", "bash")
    assert "_COORD_COMPLETE=complete_bash" in script and "complete -o default -F _coord_completion coord" in script
