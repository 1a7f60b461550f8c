"""One write path: the standard sqlite3 module on SQLite, no ORM anywhere, the schema in one place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect

from tests.conftest import Workspace, run_coord

PROBE = (
    "import sys\n"
    "from coordkit.cli import main\n"
    "sys.argv = ['coord', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\n"
    "heavy = {'sqlmodel', 'sqlalchemy', 'pydantic', 'jinja2', 'yaml'}\n"
    "print(code, sorted({m.split('.')[0] for m in sys.modules} & heavy), file=sys.stderr)\n"
)


def loaded_by(*argv: str) -> str:
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True)
    return result.stderr.splitlines()[-1]


def test_write_commands_on_a_current_sqlite_store_import_no_sqlalchemy(sqlite_ws: Workspace) -> None:
    assert loaded_by("stakeholder", "add", "sw", "--name", "SW", "--kind", "other") == "0 []"
    assert loaded_by("project", "add", "lr", "--name", "LR") == "0 []"
    assert loaded_by("duty", "add", "report", "--title", "Report") == "0 []"
    assert loaded_by("duty", "assign", "report", "sw", "--as", "R") == "0 []"
    assert loaded_by("stakeholder", "list", "--format", "json") == "0 []"
    assert loaded_by("duty", "assign", "report", "nobody", "--as", "R") == "2 []"  # refusals too


def test_the_models_describe_what_the_migrations_make(sqlite_ws: Workspace) -> None:
    """``coordkit.models`` is the schema in one place to read; the frozen migrations are what builds it."""
    from sqlmodel import SQLModel

    import coordkit.models  # noqa: F401

    engine = create_engine(f"sqlite:///{sqlite_ws.path}")
    try:
        found = inspect(engine)
        for table in SQLModel.metadata.sorted_tables:
            columns = {c["name"]: (str(c["type"]), c["nullable"]) for c in found.get_columns(table.name)}
            declared = {c.name: (str(c.type.compile(engine.dialect)), c.nullable) for c in table.columns}
            assert columns == declared, table.name
        assert set(found.get_table_names()) == set(SQLModel.metadata.tables)
    finally:
        engine.dispose()


def test_apply_writes_through_the_same_writers_as_the_commands(sqlite_ws: Workspace, isolated: Path) -> None:
    """A stakeholder added by a file reads back exactly like one added by the command (values cleaned alike)."""
    (isolated / "one.yaml").write_text(
        "version: 1\nstakeholders:\n"
        "  - {key: a, name: ' Alpha ', kind: Property_Management, contacts: [{channel: Phone, value: ' 1 '}]}\n",
        encoding="utf-8",
    )
    assert run_coord("apply", "one.yaml").exit_code == 0
    assert (
        run_coord(
            "stakeholder", "add", "b", "--name", " Alpha ", "--kind", "Property_Management", "--contact", "Phone: 1 "
        ).exit_code
        == 0
    )
    shown = [run_coord("stakeholder", "show", key, "-f", "json").stdout.replace(f'"{key}"', '"K"') for key in "ab"]
    assert shown[0] == shown[1]
    assert '"name": "Alpha"' in shown[0] and '"kind": "property-management"' in shown[0]
