"""The benchmark: whole-process medians and peak memory of coord's commands at scale,
beside the floors that bound them.

    python -m bench.run                    # reference scale, prints a Markdown table
    python -m bench.run --scale small      # seconds, not minutes (the test suite runs this)
    python -m bench.run --json results.json

Each figure runs its command ``--repeat`` times as a fresh process; the table
shows the median wall time, the highest peak resident memory of the process
(from ``wait4``), the target, and the ratio to the figure's floor (the cost
that no implementation on this stack can go below). Figures over target are
marked ✗.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.generate import SCALES

MEMORY_TARGET_MB = 300.0
IMPORT_ON = "2024-09-01"
RAW_SQL = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1])\n"
    "rows = conn.execute(\"SELECT d.id FROM duty d LEFT JOIN assignment a ON a.duty_id = d.id AND a.letter = 'A' "
    'GROUP BY d.id HAVING count(a.id) <> 1").fetchall()\n'
    "print(len(rows))\n"
)


WARM_PDF = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from coordkit.render.documents import render_agreement\n"
    "from coordkit.services.agreements.reading import version_id\n"
    "from coordkit.storage.documents import read_documents as documents\n"
    "from coordkit.services.stakeholders import list_stakeholders\n"
    "from coordkit.storage.engine import open_store\n"
    "from coordkit.storage.location import from_path\n"
    "store = open_store(from_path(Path(sys.argv[1]), 'bench'))\n"
    "with store.read() as conn:\n"
    "    keys = [k for (k,) in conn.execute('SELECT key FROM agreement ORDER BY key LIMIT 4')]\n"
    "    docs = documents(conn, version_ids=[version_id(conn, k) for k in keys])\n"
    "    people = list_stakeholders(conn)\n"
    "render_agreement(docs[0], people, fmt='pdf', lang=sys.argv[2], workspace=None)  # warm up\n"
    "times = []\n"
    "for doc in docs[1:]:\n"
    "    started = time.perf_counter()\n"
    "    render_agreement(doc, people, fmt='pdf', lang=sys.argv[2], workspace=None)\n"
    "    times.append(time.perf_counter() - started)\n"
    "print(sorted(times)[len(times) // 2])\n"
)


COPY_DEMO = (
    "import shutil, sqlite3, sys\n"
    "from pathlib import Path\n"
    "target = Path(sys.argv[2]); shutil.rmtree(target, ignore_errors=True); target.mkdir(parents=True)\n"
    "with sqlite3.connect(sys.argv[1]) as source, sqlite3.connect(target / 'coord.db') as copy:\n"
    "    source.backup(copy)\n"
)


DUE_ITEMS = (
    "import datetime as dt, sys, time\n"
    "from pathlib import Path\n"
    "from coordkit.services.meetings import due_items\n"
    "from coordkit.storage.engine import open_store\n"
    "from coordkit.storage.location import from_path\n"
    "store = open_store(from_path(Path(sys.argv[1]), 'bench'))\n"
    "with store.read() as conn:\n"
    "    started = time.perf_counter()\n"
    "    items = due_items(conn, on=dt.date(2024, 9, 1))\n"
    "    elapsed = time.perf_counter() - started\n"
    "print(len(items), file=sys.stderr)\n"
    "print(elapsed)\n"
)


@dataclass
class Figure:
    name: str
    argv: list[str]
    target: float | None = None  # seconds
    floor: str | None = None  # the name of the figure that bounds it
    ok: tuple[int, ...] = (0,)
    repeat: int | None = None  # runs, when fewer than --repeat will do (the slow figures)
    setup: list[list[str]] = field(default_factory=list)  # run, untimed, before each sample
    inner: bool = False  # the command prints its own timing (in-process figures)
    samples: list[float] = field(default_factory=list)
    peak_mb: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def coord_command() -> list[str]:
    script = Path(sys.executable).with_name("coord")
    return [str(script)] if script.exists() else [sys.executable, "-m", "coordkit"]


def write_stores(store: Path, work: Path) -> tuple[Path, Path]:
    """Copies for the write figures (the reference data stays as generated): the reference store, and the
    demo workspace's store (the Liede Renjia example applied, as ``coord demo`` builds it)."""
    writes, demo = work / "writes", work / "demo"
    for folder in (writes, demo):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    with sqlite3.connect(store) as source, sqlite3.connect(writes / "coord.db") as target:
        source.backup(target)
    example = Path(__file__).parent.parent / "agreements" / "liede-renjia.yaml"
    for step in (["init", str(demo)], ["--db", str(demo), "apply", str(example)]):
        subprocess.run([*coord_command(), *step], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (work / "one-row.json").write_text('{"id": 1, "name": "Liede Street Office"}\n')
    import_files(store, work)
    return writes / "coord.db", demo / "coord.db"


def import_files(store: Path, work: Path) -> None:
    """What ``coord import`` reads in the benchmark: a register of as many new parties as the store has (2,000 at
    reference scale) as XLSX below a title row, and the whole store's matrix (10,000 duties) as CSV."""
    from openpyxl import Workbook

    with sqlite3.connect(store) as conn:
        count = conn.execute("SELECT count(*) FROM stakeholder").fetchone()[0]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("名录")
    sheet.append([f"{count} 家单位名录"])
    sheet.append(["名称", "中文名", "类型", "影响力", "关注度", "电话", "邮箱", "联系人", "职务"])
    for i in range(count):
        sheet.append(
            [
                f"Bench Party {i}",
                f"测试单位{i}",
                "enterprise",
                i % 5 + 1,
                (i * 3) % 5 + 1,
                f"020-{i:08d}",
                f"p{i}@example.cn",
                f"联系人{i}",
                "主任",
            ]
        )
    book.save(work / "register.xlsx")
    subprocess.run(
        [
            *coord_command(),
            "--db",
            str(store),
            "matrix",
            "--on",
            IMPORT_ON,
            "-f",
            "csv",
            "-o",
            str(work / "matrix.csv"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def figures(store: Path, work: Path, pdf_store: Path) -> list[Figure]:
    """Every figure, and the floor each is compared with."""
    coord = [*coord_command(), "--db", str(store)]
    writes, demo = work / "writes" / "coord.db", work / "demo" / "coord.db"
    insert_floor = "floor: sqlite-utils insert (one row)"
    py = sys.executable
    fresh = work / "applied"
    first = "AGR-2024-0000"
    stack = "floor: import sqlmodel, typer"
    return [
        Figure("floor: python -c pass", [py, "-c", "pass"]),
        Figure(stack, [py, "-c", "import sqlmodel, typer"]),
        Figure("floor: raw SQL, duties without exactly one A", [py, "-c", RAW_SQL, str(store)]),
        Figure("coord --help", [*coord_command(), "--help"], 0.15, "floor: python -c pass"),
        Figure(
            "coord completion of a stakeholder key (Tab)",
            [
                "env",
                "_COORD_COMPLETE=complete_bash",
                f"COMP_WORDS=coord --db {store} stakeholder show org-0001",
                "COMP_CWORD=5",
                *coord_command(),
            ],
            0.3,
            "floor: python -c pass",
        ),
        Figure(
            insert_floor,
            [
                str(Path(sys.executable).with_name("sqlite-utils")),
                "insert",
                str(work / "floor.db"),
                "rows",
                str(work / "one-row.json"),
                "--pk",
                "id",
                "--replace",
            ],
        ),
        Figure(
            "coord stakeholder add (reference store)",
            [
                *coord_command(),
                "--db",
                str(writes),
                "stakeholder",
                "add",
                "bench-{n}",
                "--name",
                "Bench {n}",
                "--kind",
                "volunteer-team",
            ],
            0.25,
            insert_floor,
        ),
        Figure(
            "coord duty assign (reference store)",
            [
                *coord_command(),
                "--db",
                str(writes),
                "duty",
                "assign",
                "duty-0000",
                "org-00001",
                "--as",
                "I",
                "--from",
                "{year}-01-01",
                "--to",
                "{year}-12-31",
                "--project",
                "project-0000",
            ],
            0.25,
            insert_floor,
        ),
        Figure(
            "coord stakeholder add (demo workspace)",
            [
                *coord_command(),
                "--db",
                str(demo),
                "stakeholder",
                "add",
                "bench-{n}",
                "--name",
                "Bench {n}",
                "--kind",
                "volunteer-team",
            ],
            0.25,
            insert_floor,
        ),
        Figure(
            "coord duty assign (demo workspace)",
            [
                *coord_command(),
                "--db",
                str(demo),
                "duty",
                "assign",
                "market-venue",
                "partner-university",
                "--as",
                "I",
                "--from",
                "{year}-01-01",
                "--to",
                "{year}-12-31",
            ],
            0.25,
            insert_floor,
        ),
        Figure("coord stakeholder list --format json", [*coord, "stakeholder", "list", "--format", "json"], 0.5, stack),
        Figure(
            "coord check",
            [*coord, "check", "--format", "json"],
            1.5,
            "floor: raw SQL, duties without exactly one A",
            ok=(0, 1),
        ),
        Figure("coord matrix --format csv", [*coord, "matrix", "--format", "csv"], 3.0, stack),
        Figure(
            "coord matrix --format xlsx: the whole store to a workbook",
            [*coord, "matrix", "--format", "xlsx", "-o", str(work / "matrix.xlsx")],
            10.0,
            stack,
            repeat=3,
        ),
        Figure(
            "coord verify (every agreement, scan and the event chain)",
            [*coord, "verify", "--format", "json"],
            3.0,
            stack,
        ),
        Figure(
            "coord due (everything due on 2024-09-01, JSON)",
            [*coord, "due", "--on", "2024-09-01", "-f", "json"],
            1.0,
            stack,
        ),
        Figure(
            "coord calendar (the same items as iCalendar)",
            [*coord, "calendar", "--on", "2024-09-01", "-o", str(work / "coord.ics")],
            1.0,
            stack,
        ),
        Figure("coord concern list (every concern)", [*coord, "concern", "list", "--on", "2024-09-01"], 1.0, stack),
        Figure(
            "coord concern list --format json",
            [*coord, "concern", "list", "--on", "2024-09-01", "--format", "json"],
            1.0,
            stack,
        ),
        Figure(
            "due_items in-process (actions, meetings, concerns)", [py, "-c", DUE_ITEMS, str(store)], 1.0, inner=True
        ),
        Figure(
            "coord export (whole store)", [*coord, "export", "-o", str(work / "export.yaml")], 10.0, stack, repeat=3
        ),
        Figure(
            "coord apply (that export, into an empty store)",
            [*coord_command(), "--db", str(fresh), "apply", str(work / "export.yaml")],
            20.0,
            stack,
            repeat=3,
            setup=[
                [py, "-c", f"import shutil; shutil.rmtree({str(fresh)!r}, ignore_errors=True)"],
                [*coord_command(), "init", str(fresh)],
            ],
        ),
        Figure(
            "coord backup (reference store)",
            [*coord, "backup", "-o", str(work / "backup.zip")],
            10.0,
            stack,
            repeat=3,
        ),
        Figure(
            "coord restore (that backup, into a new SQLite file, verified)",
            [*coord_command(), "restore", str(work / "backup.zip"), "--to", str(work / "restored")],
            10.0,
            stack,
            repeat=3,
            setup=[[py, "-c", f"import shutil; shutil.rmtree({str(work / 'restored')!r}, ignore_errors=True)"]],
        ),
        Figure(
            "coord agreement render: 1 PDF, en",
            [*coord, "agreement", "render", first, "-f", "pdf", "-o", str(work / "one.en.pdf")],
            2.0,
            stack,
        ),
        Figure(
            "coord agreement render: 1 PDF, zh",
            [*coord, "agreement", "render", first, "-f", "pdf", "--lang", "zh", "-o", str(work / "one.zh.pdf")],
            2.0,
            stack,
        ),
        Figure(
            "coord import stakeholders: the register XLSX into the demo store",
            [*coord_command(), "--db", str(work / "import"), "import", "stakeholders", str(work / "register.xlsx")],
            5.0,
            stack,
            repeat=3,
            setup=[[py, "-c", COPY_DEMO, str(demo), str(work / "import")]],
        ),
        Figure(
            "coord import matrix: the whole matrix CSV, planned (--dry-run)",
            [*coord, "import", "matrix", str(work / "matrix.csv"), "--on", IMPORT_ON, "--dry-run"],
            5.0,
            stack,
            repeat=3,
        ),
        Figure(
            "coord report: the demo project to PDF, zh",
            [
                *coord_command(),
                "--db",
                str(demo),
                "report",
                "--project",
                "liede-renjia",
                "--lang",
                "zh",
                "-f",
                "pdf",
                "-o",
                str(work / "report.pdf"),
            ],
            3.0,
            stack,
            repeat=3,
        ),
        Figure("1 PDF in-process, warm, en", [py, "-c", WARM_PDF, str(store), "en"], 0.5, inner=True, repeat=3),
        Figure("1 PDF in-process, warm, zh", [py, "-c", WARM_PDF, str(store), "zh"], 0.5, inner=True, repeat=3),
        Figure(
            "coord agreement render --all: every agreement to HTML",
            [*coord, "agreement", "render", "--all", "-f", "html", "-o", str(work / "html")],
            10.0,
            stack,
            repeat=3,
        ),
        Figure(
            "coord agreement render --all: the PDF batch",
            [
                *coord_command(),
                "--db",
                str(pdf_store),
                "agreement",
                "render",
                "--all",
                "-f",
                "pdf",
                "-o",
                str(work / "pdf"),
            ],
            40.0,
            stack,
            repeat=1,
        ),
    ]


_samples = itertools.count(1)


def measure(figure: Figure, repeat: int) -> None:
    """Run the command ``repeat`` times; record wall times (or its own) and the peak memory."""
    for _ in range(min(repeat, figure.repeat or repeat)):
        for step in figure.setup:
            subprocess.run(step, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # write figures name a new thing each run: bench-{n}, a window in year {year}
        sample = next(_samples)
        argv = [part.replace("{n}", str(sample)).replace("{year}", str(3000 + sample)) for part in figure.argv]
        start = time.perf_counter()
        process = subprocess.Popen(
            argv, stdout=subprocess.PIPE if figure.inner else subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        process.returncode = code
        stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
        if code not in figure.ok:
            raise SystemExit(f"{figure.name}: exit code {code}\n{stderr}")
        if figure.inner and process.stdout:
            elapsed = float(process.stdout.read().decode().strip().splitlines()[-1])
        figure.samples.append(elapsed)
        figure.peak_mb = max(figure.peak_mb, usage.ru_maxrss / 1024)


def table(results: Sequence[Figure], title: str) -> str:
    by_name = {f.name: f for f in results}
    lines = [
        title,
        "",
        "| figure | median | runs | peak memory | target | ratio to floor | |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for f in results:
        target = f"{f.target:g} s" if f.target else ""
        ratio = f"{f.median / by_name[f.floor].median:.1f}× {f.floor.removeprefix('floor: ')}" if f.floor else ""
        missed = (f.target is not None and f.median > f.target) or f.peak_mb > MEMORY_TARGET_MB
        mark = "" if f.target is None else ("✗ missed" if missed else "✓")
        lines.append(
            f"| {f.name} | {f.median:.3f} s | {len(f.samples)} | {f.peak_mb:.0f} MB | {target} | {ratio} | {mark} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="reference")
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (default 7)")
    parser.add_argument("--data", type=Path, help="where the generated data lives (default bench/data/SCALE)")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data even if it is there")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument(
        "--only", metavar="TEXT", action="append", help="measure only figures whose name contains TEXT (repeatable)"
    )
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    data = args.data or Path(__file__).parent / "data" / args.scale
    if args.fresh and data.exists():
        shutil.rmtree(data)
    pdf_scale = "pdf" if args.scale == "reference" else "pdf-small"
    for folder, name in ((data / "store", args.scale), (data / "pdf-store", pdf_scale)):
        if not (folder / "coord.db").exists():
            started = time.perf_counter()
            # in a child process: this one stays small, so forking the measured commands does not
            # lend them its memory (wait4's peak RSS would count it)
            subprocess.run(
                [sys.executable, "-m", "bench.generate", str(folder), "--scale", name],
                check=True,
                stdout=subprocess.DEVNULL,
                cwd=Path(__file__).parent.parent,
            )
            print(f"generated {name} data in {time.perf_counter() - started:.1f} s: {SCALES[name]}", file=sys.stderr)
    work = data / "work"
    work.mkdir(exist_ok=True)
    write_stores(data / "store" / "coord.db", work)
    results = figures(data / "store" / "coord.db", work, data / "pdf-store" / "coord.db")
    if args.only:
        chosen = {f.name for f in results if any(text in f.name for text in args.only)}
        chosen |= {f.floor for f in results if f.name in chosen and f.floor}
        results = [f for f in results if f.name in chosen]
    for figure in results:
        measure(figure, args.repeat)
        print(f"  {figure.name}: {figure.median:.3f} s, {figure.peak_mb:.0f} MB", file=sys.stderr)
    batch = SCALES[pdf_scale].agreements
    title = (
        f"coord benchmark, {args.scale} scale ({scale.stakeholders} stakeholders, {scale.projects} projects, "
        f"{scale.duties} duties, {scale.assignments} assignments, {scale.agreements} agreements, "
        f"{scale.meetings} meetings, {scale.concerns} concerns; the PDF batch "
        f"has {batch}), median of up to {args.repeat} runs"
    )
    print(table(results, title))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "scale": args.scale,
                    "repeat": args.repeat,
                    "figures": [asdict(f) | {"median": f.median} for f in results],
                },
                indent=2,
            )
        )
    return results


if __name__ == "__main__":
    main()
