"""coord agreement: activity agreements from draft to signature, amendment and proof."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.context import reading, store, writing
from coordkit.cli.display import emit, emit_record, say
from coordkit.cli.options import FormatOpt, ListFormat, OutputOpt, ProjectOpt, ShowFormat, ShowFormatOpt

app = typer.Typer(
    help="Activity agreements, from draft to signature, amendment and proof.\n\n"
    "\b\nExample:\n  coord agreement new --title 'Monthly market' --party liede-street --party liede-sw",
    no_args_is_help=True,
)

KeyArg = Annotated[str, typer.Argument(help="Agreement key, e.g. AGR-2024-001.")]
LIST_COLUMNS = [
    ("key", "key"),
    ("project", "project"),
    ("version", "v"),
    ("title", "title"),
    ("status", "status"),
    ("effective", "effective"),
    ("expires", "expires"),
    ("signed", "signed"),
    ("fingerprint", "fingerprint"),
]


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _parties(values: list[str] | None) -> list[tuple[str, str | None]]:
    found = []
    for value in values or []:
        party, _, label = value.partition(":")
        found.append((party.strip(), label.strip() or None))
    return found


@app.command("new")
def new(
    key: Annotated[str | None, typer.Argument(help="Key (default: AGR-YEAR-NNN, the next free number).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title.")] = None,
    title_zh: Annotated[str | None, typer.Option("--title-zh", help="Chinese title.")] = None,
    project: ProjectOpt = None,
    kind: Annotated[str, typer.Option("--kind", help="Kind, e.g. activity, venue, funding.")] = "activity",
    party: Annotated[
        list[str] | None, typer.Option("--party", help="STAKEHOLDER or STAKEHOLDER:LABEL, repeatable (two or more).")
    ] = None,
    effective: Annotated[str | None, typer.Option("--effective", help="First day in force, YYYY-MM-DD.")] = None,
    expires: Annotated[str | None, typer.Option("--expires", help="Last day in force, YYYY-MM-DD.")] = None,
    review_every: Annotated[str | None, typer.Option("--review-every", help="Review cadence: 90d, 6m, 1y.")] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", help="Languages: en, zh (repeatable).")] = None,
    from_file: Annotated[Path | None, typer.Option("--from", help="Draft it from a YAML file.", dir_okay=False)] = None,
) -> None:
    """Draft a new agreement between two or more parties.

    From flags, from a YAML file (--from), or by prompts on a terminal for
    whatever is missing. In a script a missing field is an error, never a wait.

    \b
    Example:
      coord agreement new --title "Monthly public-welfare market" --party liede-street:"Party A" --party liede-sw:"Party B" --effective 2024-03-01 --expires 2024-12-31
    """
    from coordkit.services.agreements import drafting

    if from_file is not None:
        from coordkit.spec import AgreementSpec, validate
        from coordkit.yamlio import load_file

        spec = validate(AgreementSpec, load_file(from_file))
        with writing() as conn:
            doc = drafting.new_from_spec(conn, spec=spec, key=key, project=project)
        say(f"Drafted {doc['key']} v1 from {from_file}.")
        return
    parties = _parties(party)
    missing = [name for name, value in (("--title", title), ("--effective", effective)) if not value]
    if len(parties) < 2 and (missing or not parties):  # one party alone: the rule's own words, below
        missing.append("--party (at least two)")
    if missing and interactive():
        title = title or typer.prompt("Title")
        effective = effective or typer.prompt("Effective from (YYYY-MM-DD)")
        while len(parties) < 2:
            parties += _parties([p for p in typer.prompt("Parties (STAKEHOLDER:LABEL, comma-separated)").split(",")])
    elif missing:
        from coordkit.errors import InvalidInput

        raise InvalidInput(f"missing {', '.join(missing)} (no terminal to ask on)")
    assert title is not None
    with writing() as conn:
        doc = drafting.new_agreement(
            conn,
            key=key,
            title=title,
            title_zh=title_zh,
            project=project,
            kind=kind,
            parties=parties,
            effective=effective,
            expires=expires,
            review_every=review_every,
            languages=lang or ["en"],
        )
    say(f"Drafted {doc['key']} v1. Add terms with: coord agreement goal add {doc['key']} TEXT")


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
    expiring: Annotated[
        str | None, typer.Option("--expiring", help="Only those in force ending within, e.g. 30d.")
    ] = None,
    party: Annotated[str | None, typer.Option("--party", help="Only those with this party.")] = None,
    project: ProjectOpt = None,
    fmt: FormatOpt = ListFormat.table,
    output: OutputOpt = None,
) -> None:
    """List agreements (their newest versions).

    \b
    Example:
      coord agreement list --expiring 30d --format json
    """
    from coordkit.services.agreements.reading import list_agreements

    days = _days(expiring) if expiring else None
    with reading() as conn:
        found = list_agreements(conn, project=project, status=status, party=party, expiring_days=days)
    rows = [{**a, "signed": f"{a['signatures']}/{a['parties']}"} for a in found]
    emit(found, rows, LIST_COLUMNS, fmt.value, output, title="Agreements")


def _days(value: str) -> int:
    from coordkit.errors import InvalidInput

    text = value.strip().lower().removesuffix("d")
    if not text.isdigit():
        raise InvalidInput(f"--expiring '{value}': expected a number of days, e.g. 30d")
    return int(text)


@app.command("show")
def show(
    key: KeyArg,
    version: Annotated[int | None, typer.Option("--version", help="Version number (default: the newest).")] = None,
    fmt: ShowFormatOpt = ShowFormat.table,
    output: OutputOpt = None,
) -> None:
    """Show one agreement version: terms, parties, signatures and fingerprint.

    \b
    Example:
      coord agreement show AGR-2024-001 --version 1 --format json
    """
    from coordkit.storage.documents import read_document

    with reading() as conn:
        doc = read_document(conn, key, version)
    if fmt == ShowFormat.table:
        from coordkit.output import cell_text

        flat = {k: cell_text(v) for k, v in doc.items() if k not in ("terms_hash",)}
        emit_record(flat, "table", output, title=f"{key} v{doc['version']}")
    else:
        emit_record(doc, fmt.value, output)


@app.command("edit")
def edit(
    key: KeyArg,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    title_zh: Annotated[str | None, typer.Option("--title-zh", help="New Chinese title ('' clears).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="New kind.")] = None,
    effective: Annotated[str | None, typer.Option("--effective", help="New first day.")] = None,
    expires: Annotated[str | None, typer.Option("--expires", help="New last day ('' for open-ended).")] = None,
    review_every: Annotated[str | None, typer.Option("--review-every", help="New review cadence.")] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", help="New languages.")] = None,
) -> None:
    """Change a draft: field flags, or the whole agreement as YAML in $EDITOR.

    Without flags the draft opens in $EDITOR (or $VISUAL); an invalid file
    reopens with the error on top, as git commit does. Signed terms never change.

    \b
    Example:
      coord agreement edit AGR-2024-001 --expires 2025-06-30
    """
    from coordkit.services.agreements import drafting

    if any(v is not None for v in (title, title_zh, kind, effective, expires, review_every, lang)):
        with writing() as conn:
            drafting.set_fields(
                conn,
                key=key,
                title=title,
                title_zh=title_zh,
                kind=kind,
                effective=effective,
                expires=expires,
                review_every=review_every,
                languages=lang or [],
            )
        say(f"Changed {key}.")
        return
    _edit_in_editor(key)


def _edit_in_editor(key: str) -> None:
    import shlex
    import subprocess
    import tempfile

    from coordkit.errors import CoordError, InvalidInput
    from coordkit.output import to_yaml
    from coordkit.services.agreements import drafting
    from coordkit.spec import AgreementSpec, validate
    from coordkit.storage.documents import read_document
    from coordkit.yamlio import load_text

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        if not interactive():
            raise InvalidInput("set EDITOR (or VISUAL), or change fields with flags such as --title")
        editor = "vi"
    with reading() as conn:
        drafting.editable(conn, key)
        original = to_yaml(drafting.spec_of(read_document(conn, key)))
    header = f"# {key}: edit the draft below; save and close to apply, or leave it unchanged to cancel.\n"
    content, error = original, ""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{key}.yaml"
        while True:
            notes = "".join(f"# Error: {line}\n" for line in error.splitlines())
            path.write_text(notes + header + content, encoding="utf-8")
            if subprocess.run([*shlex.split(editor), str(path)], check=False).returncode != 0:
                raise InvalidInput(f"the editor ({editor}) failed; nothing was changed")
            edited = "".join(
                line
                for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith("# Error: ") and line != header
            )
            if edited == original:
                say("No change.")
                return
            try:
                spec = validate(AgreementSpec, load_text(edited, f"{key}.yaml"))
                with writing() as conn:
                    drafting.replace_terms(conn, key=key, spec=spec)
            except CoordError as problem:
                content, error = edited, str(problem)
                say(f"Error: {problem}")
                continue
            say(f"Changed {key}.")
            return


@app.command("circulate")
def circulate(key: KeyArg) -> None:
    """Send a draft out for signature.

    \b
    Example:
      coord agreement circulate AGR-2024-001
    """
    from coordkit.services.agreements.life import circulate as run

    with writing() as conn:
        doc = run(conn, key=key)
    say(f"{key} v{doc['version']} is circulating; waiting for {', '.join(doc['unsigned'])}.")


@app.command("sign")
def sign(
    key: KeyArg,
    party: Annotated[str, typer.Option("--party", help="The party that signs.")],
    signatory: Annotated[str, typer.Option("--signatory", help="Who signed, by name.")],
    title: Annotated[str | None, typer.Option("--title", help="The signatory's title.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Date signed (default: today).")] = None,
    method: Annotated[str, typer.Option("--method", help="wet-ink, seal or electronic.")] = "wet-ink",
    scan: Annotated[
        Path | None, typer.Option("--scan", help="A scan of the signed paper to keep.", dir_okay=False)
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option("--key", help="Also sign with this Ed25519 private key.", dir_okay=False)
    ] = None,
) -> None:
    """Record a party's signature; the first one freezes the terms.

    \b
    Example:
      coord agreement sign AGR-2024-001 --party liede-sw --signatory "Chen Jing" --title Director --method seal --scan signed.pdf
    """
    from coordkit.services.agreements.life import sign as run

    with store() as opened, opened.write() as conn:
        doc = run(
            conn,
            key=key,
            party=party,
            signatory=signatory,
            workspace=opened.root,
            title=title,
            date=date,
            method=method,
            scan=scan,
            key_file=key_file,
        )
    signed = len(doc["signatures"])
    say(
        f"{party} signed {key} v{doc['version']} ({signed} of {len(doc['parties'])}); fingerprint {doc['fingerprint']}."
    )
    if doc["status"] == "signed":
        say(
            f"Every party has signed: {key} v{doc['version']} is in force from {doc['effective'] or 'now'}"
            + (f" to {doc['expires']}." if doc["expires"] else ".")
        )


@app.command("amend")
def amend(key: KeyArg) -> None:
    """Start the next version as a draft carrying the terms over.

    \b
    Example:
      coord agreement amend AGR-2024-001
    """
    from coordkit.services.agreements.life import amend as run

    with writing() as conn:
        doc = run(conn, key=key)
    say(f"Drafted {key} v{doc['version']}; once every party signs it, it supersedes v{doc['version'] - 1}.")


@app.command("terminate")
def terminate(
    key: KeyArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it ends.")],
    date: Annotated[str | None, typer.Option("--date", help="Last day (default: today).")] = None,
) -> None:
    """End an agreement early; its duties leave the matrix after that day.

    \b
    Example:
      coord agreement terminate AGR-2024-001 --reason "venue closed" --date 2024-09-30
    """
    from coordkit.services.agreements.life import terminate as run

    with writing() as conn:
        doc = run(conn, key=key, reason=reason, date=date)
    say(f"{key} terminated on {doc['terminated_on']}.")


@app.command("verify")
def verify(
    key: Annotated[str | None, typer.Argument(help="One agreement (default: --all).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every agreement.")] = False,
    fmt: FormatOpt = ListFormat.table,
    output: OutputOpt = None,
) -> None:
    """Prove that signed terms, key signatures and scans are unchanged.

    Recomputes each signed version's hash from the stored terms; exits 1 naming
    whatever does not match.

    \b
    Example:
      coord agreement verify --all
    """
    from coordkit.services.agreements.proof import verify as run

    if key is None and not all_:
        from coordkit.errors import InvalidInput

        raise InvalidInput("name an agreement, or pass --all")
    with store() as opened, opened.read() as conn:
        results = run(conn, workspace=opened.root, key=key)
    columns = [
        ("key", "key"),
        ("version", "v"),
        ("fingerprint", "fingerprint"),
        ("signatures", "signatures"),
        ("ok", "ok"),
        ("problems", "problems"),
    ]
    emit(results, results, columns, fmt.value, output, title="Verification")
    bad = [r for r in results if not r["ok"]]
    for result in bad:
        for problem in result["problems"]:
            say(f"{result['key']} v{result['version']}: {problem}")
    say(f"{len(results) - len(bad)} of {len(results)} signed version(s) verified.")
    if bad:
        raise typer.Exit(1)


@app.command("diff")
def diff(
    key: KeyArg,
    from_version: Annotated[int | None, typer.Option("--from", help="Old version (default: the one before).")] = None,
    to_version: Annotated[int | None, typer.Option("--to", help="New version (default: the newest).")] = None,
    fmt: FormatOpt = ListFormat.table,
    output: OutputOpt = None,
) -> None:
    """Show what changed between two versions, clause by clause.

    \b
    Example:
      coord agreement diff AGR-2024-001 --from 1 --to 2
    """
    from coordkit.services.agreements.diff import diff as run

    with reading() as conn:
        changes = run(conn, key=key, from_version=from_version, to_version=to_version)
    columns = [("section", "section"), ("change", "change"), ("from", "from"), ("to", "to")]
    if not changes:
        say("No differences.")
        return
    emit(
        changes,
        changes,
        columns,
        fmt.value,
        output,
        title=f"{key}: v{changes[0]['from_version']} → v{changes[0]['to_version']}",
    )


def _section_app(section: str, noun: str, plural: str) -> typer.Typer:
    """add/list/remove for one kind of clause (goal, method, right, obligation, resource, …)."""
    sub = typer.Typer(
        help=f"The {plural} of an agreement (while it is a draft).\n\n\b\nExample:\n  coord agreement {section} list AGR-2024-001",
        no_args_is_help=True,
    )

    @sub.command("list")
    def list_items(key: KeyArg, fmt: FormatOpt = ListFormat.table, output: OutputOpt = None) -> None:
        from coordkit.services.agreements.reading import items
        from coordkit.storage.documents import read_document

        with reading() as conn:
            found = items(read_document(conn, key), section)
        rows = [
            {"number": i, **(item if isinstance(item, dict) else {"text": item})} for i, item in enumerate(found, 1)
        ]
        columns = [(k, k) for k in rows[0]] if rows else [("number", "number"), ("text", "text")]
        emit(rows, rows, columns, fmt.value, output, title=f"{key}: {plural}")

    list_items.__doc__ = f"List the {plural} of an agreement, numbered.\n\n    \b\n    Example:\n      coord agreement {section} list AGR-2024-001\n    "

    @sub.command("remove")
    def remove(key: KeyArg, number: Annotated[int, typer.Argument(help="The number 'list' shows.")]) -> None:
        from coordkit.services.agreements.drafting import remove_item

        with writing() as conn:
            remove_item(conn, key=key, section=section, number=number)
        say(f"Removed {noun} {number} from {key}.")

    remove.__doc__ = f"Remove one of the {plural} of a draft by its number.\n\n    \b\n    Example:\n      coord agreement {section} remove AGR-2024-001 2\n    "
    return sub


def _text_section(section: str, noun: str, plural: str, example: str) -> typer.Typer:
    sub = _section_app(section, noun, plural)

    @sub.command("add")
    def add(
        key: KeyArg,
        text: Annotated[str, typer.Argument(help="The text of the clause.")],
        party: Annotated[str | None, typer.Option("--party", help="The party it belongs to.")] = None,
    ) -> None:
        from coordkit.services.agreements.drafting import add_term

        with writing() as conn:
            add_term(conn, key=key, section=section, text=text, party=party)
        say(f"Added a {noun} to {key}.")

    add.__doc__ = f"Add a {noun} to a draft.\n\n    \b\n    Example:\n      {example}\n    "
    return sub


def _obligation_app() -> typer.Typer:
    sub = _section_app("obligation", "obligation", "obligations")

    @sub.command("add")
    def add(
        key: KeyArg,
        party: Annotated[str, typer.Option("--party", help="Who is obliged.")],
        text: Annotated[str, typer.Option("--text", help="What they must do.")],
        duty: Annotated[
            str | None, typer.Option("--duty", help="The duty it fulfils (then it shows in the matrix).")
        ] = None,
        letter: Annotated[str | None, typer.Option("--as", help="The RACI letter for that duty (default R).")] = None,
        due: Annotated[str | None, typer.Option("--due", help="Due date, YYYY-MM-DD.")] = None,
    ) -> None:
        """Add an obligation of one party, optionally tied to a duty.

        \b
        Example:
          coord agreement obligation add AGR-2024-001 --party liede-sw --text "Run the market monthly" --duty market-plan --as R
        """
        from coordkit.services.agreements.drafting import add_obligation

        with writing() as conn:
            add_obligation(conn, key=key, party=party, text=text, duty=duty, letter=letter, due=due)
        say(f"Added an obligation of {party} to {key}.")

    return sub


def _resource_app() -> typer.Typer:
    sub = _section_app("resource", "resource", "resources")

    @sub.command("add")
    def add(
        key: KeyArg,
        party: Annotated[str, typer.Option("--party", help="Who commits it.")],
        kind: Annotated[str, typer.Option("--kind", help="funds, venue, staff, equipment …")],
        amount: Annotated[str, typer.Option("--amount", help="How much, a number.")],
        unit: Annotated[str, typer.Option("--unit", help="CNY, hours, people …")],
    ) -> None:
        """Add a resource a party commits (amount and unit).

        \b
        Example:
          coord agreement resource add AGR-2024-001 --party liede-street --kind funds --amount 300000 --unit CNY
        """
        from coordkit.services.agreements.drafting import add_resource

        with writing() as conn:
            add_resource(conn, key=key, party=party, kind=kind, amount=amount, unit=unit)
        say(f"Added a resource of {party} to {key}.")

    return sub


app.add_typer(
    _text_section("goal", "goal", "goals", 'coord agreement goal add AGR-2024-001 "A monthly market run by residents"'),
    name="goal",
)
app.add_typer(
    _text_section("method", "method", "methods", 'coord agreement method add AGR-2024-001 "Residents run stalls"'),
    name="method",
)
app.add_typer(
    _text_section(
        "right",
        "right",
        "rights (each of one party)",
        'coord agreement right add AGR-2024-001 --party liede-sw "Use the square on market days"',
    ),
    name="right",
)
app.add_typer(
    _text_section(
        "dispute",
        "dispute-resolution clause",
        "dispute-resolution clauses",
        'coord agreement dispute add AGR-2024-001 "Mediation by the street office"',
    ),
    name="dispute",
)
app.add_typer(
    _text_section(
        "communication",
        "communication arrangement",
        "communication arrangements",
        'coord agreement communication add AGR-2024-001 "Monthly joint meeting"',
    ),
    name="communication",
)
app.add_typer(_obligation_app(), name="obligation")
app.add_typer(_resource_app(), name="resource")


def _register_render() -> None:
    from coordkit.cli.documents import render

    app.command("render")(render)


_register_render()
