"""coord agreement: activity agreements from draft to signature, amendment and proof."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.context import reading, store, writing
from coordkit.cli.display import emit, emit_record, people_names, say
from coordkit.cli.helptext import helptext
from coordkit.cli.options import FormatOpt, KeysOpt, ListFormat, OutputOpt, ProjectOpt, ShowFormat, ShowFormatOpt
from coordkit.i18n import _

app = typer.Typer(
    help=helptext(
        _("Activity agreements, from draft to signature, amendment and proof."),
        example="coord agreement new --title 'Monthly market' --party liede-street --party liede-sw",
    ),
    no_args_is_help=True,
)

KeyArg = Annotated[str, typer.Argument(help=_("Agreement key, e.g. AGR-2024-001."))]
ZhOpt = Annotated[str | None, typer.Option("--zh", help=_("The same text in Chinese."))]
VersionOpt = Annotated[
    int | None, typer.Option("--version", help=_("Version number (default: the one in force, else the newest)."))
]


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _parties(values: list[str] | None) -> list[tuple[str, str | None]]:
    """``--party street:甲方``: a full-width colon or comma typed with a Chinese input method counts too."""
    from coordkit.textparse import split_list, split_pair

    found = []
    for value in values or []:
        for item in split_list(value):
            found.append(split_pair(item, what="--party", form="KEY:LABEL", fold_left=True))
    return found


@app.command(
    "new",
    help=helptext(
        _("Draft a new agreement between two or more parties."),
        _(
            "From flags, from a YAML file (--from), or guided on a terminal. A kind (cooperation, service, venue, "
            "or one of the workspace's templates/kinds.yaml) starts the draft with its standard clauses in both "
            "languages: effectiveness, amendment, breach, dispute resolution, counterparts. In a script a missing "
            "field is an error, never a wait."
        ),
        example='coord agreement new --kind service --title "Monthly market" --title-zh 公益市集服务协议 '
        "--party liede-street:甲方 --party liede-sw:乙方 --effective 2024-03-01 --expires 2024-12-31",
    ),
)
def new(
    key: Annotated[str | None, typer.Argument(help=_("Key (default: AGR-YEAR-NNN, the next free number)."))] = None,
    title: Annotated[str | None, typer.Option("--title", help=_("Title."))] = None,
    title_zh: Annotated[str | None, typer.Option("--title-zh", help=_("Chinese title."))] = None,
    project: ProjectOpt = None,
    kind: Annotated[str, typer.Option("--kind", help=_("cooperation, service, venue, or a workspace kind."))] = (
        "cooperation"
    ),
    clauses: Annotated[
        bool, typer.Option("--clauses/--no-clauses", help=_("Start from the kind's standard clauses."))
    ] = True,
    party: Annotated[
        list[str] | None,
        typer.Option("--party", help=_("STAKEHOLDER or STAKEHOLDER:LABEL, repeatable (two or more).")),
    ] = None,
    effective: Annotated[str | None, typer.Option("--effective", help=_("First day in force."))] = None,
    expires: Annotated[str | None, typer.Option("--expires", help=_("Last day in force."))] = None,
    notice: Annotated[str | None, typer.Option("--notice", help=_("Notice to end or not renew: 30d, 3m."))] = None,
    renewal: Annotated[str | None, typer.Option("--renewal", help=_("none, or tacit (renewed unless notice)."))] = None,
    review_every: Annotated[str | None, typer.Option("--review-every", help=_("Review cadence: 90d, 6m, 1y."))] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", help=_("Languages: en, zh (repeatable)."))] = None,
    from_file: Annotated[
        Path | None, typer.Option("--from", help=_("Draft it from a YAML file."), dir_okay=False)
    ] = None,
) -> None:
    """``coord agreement new``: its help is above, in the reader's language."""
    from coordkit.services.agreements import drafting

    if from_file is not None:
        from coordkit.spec import AgreementSpec, validate
        from coordkit.yamlio import load_file

        spec = validate(AgreementSpec, load_file(from_file))
        with writing() as conn:
            doc = drafting.new_from_spec(conn, spec=spec, key=key, project=project)
        say(_("Drafted {key} v1 from {file}.").format(key=doc["key"], file=from_file))
        return
    parties = _parties(party)
    missing = [name for name, value in (("--title", title), ("--effective", effective)) if not value]
    if len(parties) < 2 and (missing or not parties):  # one party alone: the rule's own words, below
        missing.append("--party (at least two)")
    if missing and interactive():
        from coordkit.cli.guided import guided_new

        guided_new(
            key=key,
            project=project,
            kind=kind,
            title=title,
            title_zh=title_zh,
            parties=parties,
            effective=effective,
            expires=expires,
        )
        return
    if missing:
        from coordkit.errors import InvalidInput

        raise InvalidInput(_("missing {fields} (no terminal to ask on)").format(fields=", ".join(missing)))
    assert title is not None
    with store() as opened, opened.write() as conn:
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
            notice=notice,
            renewal=renewal,
            review_every=review_every,
            languages=lang or (["en", "zh"] if title_zh else ["en"]),
            workspace=opened.root,
            presets=clauses,
        )
    say(
        _(
            "Drafted {key} v1 with {count} standard clause(s). Add terms with: coord agreement goal add {key} TEXT"
        ).format(key=doc["key"], count=len(doc["clauses"]) + len(doc["dispute_resolution"]) + len(doc["communication"]))
    )


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
    ("pending", "pending"),
]


@app.command(
    "list",
    help=helptext(
        _("List agreements: the version in force of each, with any amendment pending."),
        example="coord agreement list --status signed --format json",
    ),
)
def list_(
    status: Annotated[str | None, typer.Option("--status", help=_("Only this status."))] = None,
    expiring: Annotated[
        str | None, typer.Option("--expiring", help=_("Only those in force ending within, e.g. 30d."))
    ] = None,
    party: Annotated[str | None, typer.Option("--party", help=_("Only those with this party."))] = None,
    project: ProjectOpt = None,
    fmt: FormatOpt = ListFormat.table,
    keys: KeysOpt = False,
    output: OutputOpt = None,
) -> None:
    """``coord agreement list``: its help is above, in the reader's language."""
    from coordkit.services.agreements.reading import list_agreements

    days = _days(expiring) if expiring else None
    with reading() as conn:
        found = list_agreements(conn, project=project, status=status, party=party, expiring_days=days)
    from coordkit.i18n import language

    chinese = language() == "zh"
    rows = [
        {
            **a,
            "title": (a["title_zh"] if chinese else None) or a["title"],  # JSON keeps both
            "signed": f"{a['signatures']}/{a['parties']}",
            "pending": f"v{a['pending']['version']} {a['pending']['status']}" if a["pending"] else "",
        }
        for a in found
    ]
    columns = [(field, _(header)) for field, header in LIST_COLUMNS]
    named = people_names(fmt.value, keys, projects=("project",))
    emit(found, rows, columns, fmt.value, output, title=_("Agreements"), named=named, hide_first=("project",))


def _days(value: str) -> int:
    from coordkit.errors import InvalidInput

    text = value.strip().lower().removesuffix("d")
    if not text.isdigit():
        raise InvalidInput(_("--expiring '{value}': expected a number of days, e.g. 30d").format(value=value))
    return int(text)


@app.command(
    "show",
    help=helptext(
        _("Show one agreement version: terms, parties, signatures and fingerprint."),
        example="coord agreement show AGR-2024-001 --version 1 --format json",
    ),
)
def show(
    key: KeyArg, version: VersionOpt = None, fmt: ShowFormatOpt = ShowFormat.table, output: OutputOpt = None
) -> None:
    """``coord agreement show``: its help is above, in the reader's language."""
    from coordkit.storage.documents import read_document

    with reading() as conn:
        doc = read_document(conn, key, version)
    if fmt == ShowFormat.table:
        from coordkit.output import cell_text

        flat = {k: cell_text(v) for k, v in doc.items() if k not in ("terms_hash",)}
        emit_record(flat, "table", output, title=f"{key} v{doc['version']}")
    else:
        emit_record(doc, fmt.value, output)


@app.command(
    "edit",
    help=helptext(
        _("Change a draft: field flags, or the whole agreement as YAML in an editor."),
        _(
            "Without flags the draft opens in $VISUAL, $EDITOR, else nano or vi; an invalid file reopens with its "
            "errors on top, as git commit does. A circulating or signed version never changes: amend it."
        ),
        example="coord agreement edit AGR-2024-001 --expires 2025-06-30",
    ),
)
def edit(
    key: KeyArg,
    title: Annotated[str | None, typer.Option("--title", help=_("New title."))] = None,
    title_zh: Annotated[str | None, typer.Option("--title-zh", help=_("New Chinese title ('' clears)."))] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=_("New kind."))] = None,
    effective: Annotated[str | None, typer.Option("--effective", help=_("New first day."))] = None,
    expires: Annotated[str | None, typer.Option("--expires", help=_("New last day ('' for open-ended)."))] = None,
    notice: Annotated[str | None, typer.Option("--notice", help=_("New notice period ('' for none)."))] = None,
    renewal: Annotated[str | None, typer.Option("--renewal", help=_("none or tacit."))] = None,
    review_every: Annotated[str | None, typer.Option("--review-every", help=_("New review cadence."))] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", help=_("New languages."))] = None,
) -> None:
    """``coord agreement edit``: its help is above, in the reader's language."""
    from coordkit.services.agreements import drafting

    fields = (title, title_zh, kind, effective, expires, notice, renewal, review_every, lang)
    if any(v is not None for v in fields):
        with writing() as conn:
            drafting.set_fields(
                conn,
                key=key,
                title=title,
                title_zh=title_zh,
                kind=kind,
                effective=effective,
                expires=expires,
                notice=notice,
                renewal=renewal,
                review_every=review_every,
                languages=lang or [],
            )
        say(_("Changed {key}.").format(key=key))
        return
    _edit_in_editor(key)


def _edit_in_editor(key: str) -> None:
    from coordkit.cli.editing import edit_until_valid
    from coordkit.services.agreements import drafting
    from coordkit.spec import AgreementSpec, validate
    from coordkit.storage.documents import read_document
    from coordkit.yamlio import dump, load_text

    with reading() as conn:
        drafting.editable(conn, key)
        original = dump(drafting.spec_of(read_document(conn, key, newest=True)))

    def accept(edited: str) -> None:
        spec = validate(AgreementSpec, load_text(edited, f"{key}.yaml"))
        with writing() as conn:
            drafting.replace_terms(conn, key=key, spec=spec)

    header = "# " + _("{key}: edit the draft below; save and close to apply, or leave it unchanged to cancel.").format(
        key=key
    )
    missing = _("set EDITOR (or VISUAL), or change fields with flags such as --title")
    if edit_until_valid(original, name=f"{key}.yaml", header=header, missing=missing, accept=accept):
        say(_("Changed {key}.").format(key=key))
    else:
        say(_("No change."))


@app.command(
    "translate",
    help=helptext(
        _("Give a term of a draft its Chinese text."),
        _(
            "TERM is 'title' or FIELD[N] as coord check and render name untranslated terms, counted from 0: goals[0] is the first goal."
        ),
        example='coord agreement translate AGR-2024-001 "goals[1]" 每月举办一次由居民自主运营的公益市集',
    ),
)
def translate(
    key: KeyArg,
    term: Annotated[str, typer.Argument(help=_("title, or FIELD[N]."))],
    text: Annotated[str, typer.Argument(help=_("The Chinese text."))],
) -> None:
    """``coord agreement translate``: its help is above, in the reader's language."""
    from coordkit.services.agreements.drafting import translate as run

    with writing() as conn:
        run(conn, key=key, path=term, text_zh=text)
    say(_("Translated {term} of {key}.").format(term=term, key=key))


@app.command(
    "circulate",
    help=helptext(
        _("Send a draft out for signature, freezing and hashing its terms."),
        _("Print the copy for signature with coord agreement render; every page carries the fingerprint."),
        example="coord agreement circulate AGR-2024-001",
    ),
)
def circulate(key: KeyArg) -> None:
    """``coord agreement circulate``: its help is above, in the reader's language."""
    from coordkit.services.agreements.life import circulate as run

    with writing() as conn:
        doc = run(conn, key=key)
    say(
        _("{key} v{version} is circulating, fingerprint {fingerprint}; waiting for {parties}.").format(
            key=key, version=doc["version"], fingerprint=doc["fingerprint"], parties=", ".join(doc["unsigned"])
        )
    )


@app.command(
    "sign",
    help=helptext(
        _("Record a party's signature on the version being signed."),
        _(
            "The party is its key or its label as printed (Party A, 甲方); the signatory is its registered "
            "representative unless --signatory names another. --key signs electronically with the party's key."
        ),
        example="coord agreement sign AGR-2024-001 --party 甲方 --method signature+seal --scan signed.pdf",
    ),
)
def sign(
    key: KeyArg,
    party: Annotated[str, typer.Option("--party", help=_("The party that signs: its key or its label."))],
    signatory: Annotated[
        str | None, typer.Option("--signatory", help=_("Who signed (default: the registered representative)."))
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help=_("The signatory's title."))] = None,
    date: Annotated[str | None, typer.Option("--date", help=_("Date signed (default: today)."))] = None,
    method: Annotated[
        str | None,
        typer.Option("--method", help=_("signature, seal, signature+seal (default) or electronic.")),
    ] = None,
    scan: Annotated[
        Path | None, typer.Option("--scan", help=_("A scan of the signed paper to keep."), dir_okay=False)
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option("--key", help=_("Sign electronically with this Ed25519 private key."), dir_okay=False)
    ] = None,
) -> None:
    """``coord agreement sign``: its help is above, in the reader's language."""
    from coordkit.dates import today
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
        _("{party} signed {key} v{version} ({signed} of {total}); fingerprint {fingerprint}.").format(
            party=doc["signatures"][-1]["party"],
            key=key,
            version=doc["version"],
            signed=signed,
            total=len(doc["parties"]),
            fingerprint=doc["fingerprint"],
        )
    )
    if doc["status"] == "signed":
        say(term_sentence(key, doc["version"], doc["effective"], doc["expires"], today().isoformat()))


def term_sentence(key: str, version: int, effective: str | None, expires: str | None, on: str) -> str:
    """'is in force', 'takes effect', or 'ended' — in the tense the term has on ``on``."""
    values = {"key": key, "version": version, "effective": effective or "", "expires": expires or ""}
    if expires and expires < on:
        return _("Every party has signed {key} v{version}; its term ended on {expires}.").format(**values)
    if effective and effective > on:
        if expires:
            return _(
                "Every party has signed: {key} v{version} takes effect on {effective} and runs to {expires}."
            ).format(**values)
        return _("Every party has signed: {key} v{version} takes effect on {effective}.").format(**values)
    if expires:
        return _("Every party has signed: {key} v{version} is in force until {expires}.").format(**values)
    return _("Every party has signed: {key} v{version} is in force.").format(**values)


@app.command(
    "amend",
    help=helptext(
        _("Start the next version as a draft carrying the terms over."),
        _(
            "A signed version stays in force until the amendment is signed; a circulating one is replaced at once "
            "(its paper must not be signed any more). With --from-review, the draft's notes start with that "
            "review's lessons and the obligations it found not met or partly met."
        ),
        example="coord agreement amend AGR-2024-002 --from-review R-0001",
    ),
)
def amend(
    key: KeyArg,
    from_review: Annotated[
        str | None,
        typer.Option(
            "--from-review",
            help=_("A closed review of this agreement whose lessons and unmet obligations start the draft's notes."),
        ),
    ] = None,
) -> None:
    """``coord agreement amend``: its help is above, in the reader's language."""
    from coordkit.services.agreements.life import amend as run
    from coordkit.services.reviews import amendment_notes

    with writing() as conn:
        notes = amendment_notes(conn, agreement=key, review=from_review) if from_review is not None else None
        doc = run(conn, key=key, notes=notes)
    say(
        _("Drafted {key} v{version}; once every party signs it, it supersedes v{previous}.").format(
            key=key, version=doc["version"], previous=doc["version"] - 1
        )
    )


@app.command(
    "terminate",
    help=helptext(
        _("End an agreement early; its duties leave the matrix after that day."),
        example='coord agreement terminate AGR-2024-001 --reason "venue closed" --date 2024-09-30',
    ),
)
def terminate(
    key: KeyArg,
    reason: Annotated[str, typer.Option("--reason", help=_("Why it ends."))],
    date: Annotated[str | None, typer.Option("--date", help=_("Last day (default: today)."))] = None,
) -> None:
    """``coord agreement terminate``: its help is above, in the reader's language."""
    from coordkit.services.agreements.life import terminate as run

    with writing() as conn:
        doc = run(conn, key=key, reason=reason, date=date)
    say(_("{key} terminated on {date}.").format(key=key, date=doc["terminated_on"]))


@app.command(
    "verify",
    help=helptext(
        _("Prove that signed terms, key signatures and scans are unchanged."),
        _("Recomputes each frozen version's hash from the stored terms; exits 1 naming whatever does not match."),
        example="coord agreement verify --all",
    ),
)
def verify(
    key: Annotated[str | None, typer.Argument(help=_("One agreement (default: --all)."))] = None,
    all_: Annotated[bool, typer.Option("--all", help=_("Every agreement."))] = False,
    fmt: FormatOpt = ListFormat.table,
    output: OutputOpt = None,
) -> None:
    """``coord agreement verify``: its help is above, in the reader's language."""
    from coordkit.services.agreements.proof import verify as run

    if key is None and not all_:
        from coordkit.errors import InvalidInput

        raise InvalidInput(_("name an agreement, or pass --all"))
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
    emit(results, results, [(f, _(h)) for f, h in columns], fmt.value, output, title=_("Verification"))
    bad = [r for r in results if not r["ok"]]
    for result in bad:
        for problem in result["problems"]:
            say(problem)
    say(_("{ok} of {total} frozen version(s) verified.").format(ok=len(results) - len(bad), total=len(results)))
    if bad:
        raise typer.Exit(1)


@app.command(
    "diff",
    help=helptext(
        _("Show what changed between two versions, clause by clause."),
        example="coord agreement diff AGR-2024-001 --from 1 --to 2",
    ),
)
def diff(
    key: KeyArg,
    from_version: Annotated[
        int | None, typer.Option("--from", help=_("Old version (default: the one before)."))
    ] = None,
    to_version: Annotated[int | None, typer.Option("--to", help=_("New version (default: the newest)."))] = None,
    fmt: FormatOpt = ListFormat.table,
    output: OutputOpt = None,
) -> None:
    """``coord agreement diff``: its help is above, in the reader's language."""
    from coordkit.services.agreements.diff import diff as run

    with reading() as conn:
        changes = run(conn, key=key, from_version=from_version, to_version=to_version)
    columns = [("section", "section"), ("change", "change"), ("from", "from"), ("to", "to")]
    if not changes:
        say(_("No differences."))
        return
    title = f"{key}: v{changes[0]['from_version']} → v{changes[0]['to_version']}"
    emit(changes, changes, [(f, _(h)) for f, h in columns], fmt.value, output, title=title)


# ---------------------------------------------------------------- terms of a draft


def _section_app(section: str, plural: str, summary: str) -> typer.Typer:
    """add/list/remove for one kind of term: every add takes the text the same way (KEY TEXT --zh TEXT)."""
    sub = typer.Typer(
        help=helptext(summary, example=f"coord agreement {section} list AGR-2024-001"), no_args_is_help=True
    )

    @sub.command(
        "list",
        help=helptext(
            _("List the {terms} of an agreement, numbered.").format(terms=plural),
            example=f"coord agreement {section} list AGR-2024-001",
        ),
    )
    def list_items(
        key: KeyArg, version: VersionOpt = None, fmt: FormatOpt = ListFormat.table, output: OutputOpt = None
    ) -> None:
        from coordkit.services.agreements.reading import items
        from coordkit.storage.documents import read_document

        with reading() as conn:
            found = items(read_document(conn, key, version, newest=version is None), section)
        rows = [{"number": i, **item} for i, item in enumerate(found, 1)]
        columns = [(k, k) for k in rows[0]] if rows else [("number", "number"), ("text", "text")]
        emit(rows, rows, columns, fmt.value, output, title=f"{key}: {plural}")

    @sub.command(
        "remove",
        help=helptext(
            _("Remove one of the {terms} of a draft by its number.").format(terms=plural),
            example=f"coord agreement {section} remove AGR-2024-001 2",
        ),
    )
    def remove(key: KeyArg, number: Annotated[int, typer.Argument(help=_("The number 'list' shows."))]) -> None:
        from coordkit.services.agreements.drafting import remove_item

        with writing() as conn:
            remove_item(conn, key=key, section=section, number=number)
        say(_("Removed number {number} of the {terms} of {key}.").format(number=number, terms=plural, key=key))

    return sub


def _text_section(section: str, plural: str, summary: str, example: str, *, has_party: bool = False) -> typer.Typer:
    sub = _section_app(section, plural, summary)

    def add(
        key: KeyArg,
        text: Annotated[str, typer.Argument(help=_("The text, in English."))],
        zh: ZhOpt = None,
        party: str | None = None,
    ) -> None:
        from coordkit.services.agreements.drafting import add_term

        with writing() as conn:
            add_term(conn, key=key, section=section, text=text, text_zh=zh, party=party)
        say(_("Added to the {terms} of {key}.").format(terms=plural, key=key))

    if has_party:

        def add_right(
            key: KeyArg,
            text: Annotated[str, typer.Argument(help=_("The text, in English."))],
            party: Annotated[str, typer.Option("--party", help=_("The party the right belongs to."))],
            zh: ZhOpt = None,
        ) -> None:
            add(key, text, zh, party)

        sub.command("add", help=helptext(_("Add to the {terms} of a draft.").format(terms=plural), example=example))(
            add_right
        )
    else:

        def add_text(
            key: KeyArg, text: Annotated[str, typer.Argument(help=_("The text, in English."))], zh: ZhOpt = None
        ) -> None:
            add(key, text, zh)

        sub.command("add", help=helptext(_("Add to the {terms} of a draft.").format(terms=plural), example=example))(
            add_text
        )
    return sub


def _clause_app() -> typer.Typer:
    from coordkit.vocab import CLAUSE_KINDS

    sub = _section_app(
        "clause", _("standard clauses"), _("Standard clauses of an agreement (effectiveness, breach …).")
    )

    @sub.command(
        "add",
        help=helptext(
            _("Add a standard clause to a draft."),
            _("Clauses: {kinds}.").format(kinds=", ".join(CLAUSE_KINDS)),
            example='coord agreement clause add AGR-2024-001 breach "…" --zh "……"',
        ),
    )
    def add(
        key: KeyArg,
        kind: Annotated[str, typer.Argument(help=_("Which clause: effectiveness, amendment, breach …"))],
        text: Annotated[str, typer.Argument(help=_("The text, in English."))],
        zh: ZhOpt = None,
    ) -> None:
        from coordkit.domain.values import check_choice
        from coordkit.services.agreements.drafting import add_term

        section = check_choice(kind, CLAUSE_KINDS, "clause")
        with writing() as conn:
            add_term(conn, key=key, section=section, text=text, text_zh=zh)
        say(_("Added a {clause} clause to {key}.").format(clause=section, key=key))

    return sub


def _obligation_app() -> typer.Typer:
    sub = _section_app("obligation", _("obligations"), _("The obligations of an agreement, each of one party."))

    @sub.command(
        "add",
        help=helptext(
            _("Add an obligation of one party, with a duty, due dates and a target if any."),
            _(
                "--every quarterly (or 3m, 每季度) makes it recur within the term; --target '7 sessions' --each '200 people'."
            ),
            example='coord agreement obligation add AGR-2024-001 "Report to the street office" --zh 向街道办提交书面报告 '
            "--party liede-sw --duty reporting --as R --every quarterly",
        ),
    )
    def add(
        key: KeyArg,
        party: Annotated[str, typer.Option("--party", help=_("Who is obliged."))],
        text: Annotated[str | None, typer.Argument(help=_("What the party must do, in English."))] = None,
        text_option: Annotated[str | None, typer.Option("--text", hidden=True)] = None,  # as coordkit 0.1 took it
        zh: ZhOpt = None,
        duty: Annotated[
            str | None, typer.Option("--duty", help=_("The duty it fulfils (then it shows in the matrix)."))
        ] = None,
        letter: Annotated[
            str | None, typer.Option("--as", help=_("The RACI letter for that duty (default R)."))
        ] = None,
        due: Annotated[str | None, typer.Option("--due", help=_("Due date (the first, with --every)."))] = None,
        every: Annotated[
            str | None, typer.Option("--every", help=_("Recurrence: monthly, quarterly, 3m, 每季度."))
        ] = None,
        target: Annotated[str | None, typer.Option("--target", help=_("How many: '7 sessions'."))] = None,
        each: Annotated[str | None, typer.Option("--each", help=_("At least, each time: '200 people'."))] = None,
    ) -> None:
        from coordkit.domain.agreements import check_target
        from coordkit.errors import InvalidInput
        from coordkit.services.agreements.drafting import ObligationIn, add_obligation

        if (text is None) == (text_option is None):
            raise InvalidInput(_("say what the party must do: coord agreement obligation add KEY TEXT --party PARTY"))
        amount, unit = _quantity(target, "--target")
        each_min, each_unit = _quantity(each, "--each")
        goal = check_target(amount, unit, each_min, each_unit)
        with writing() as conn:
            obligation = ObligationIn(party, text or text_option or "", zh, duty, letter, due, every, goal)
            doc = add_obligation(conn, key=key, obligation=obligation)
        say(_("Added an obligation of {party} to {key}.").format(party=doc["obligations"][-1]["party"], key=key))

    return sub


def _quantity(value: str | None, what: str) -> tuple[str | None, str | None]:
    """'7 sessions', '7场', '200 人' → (amount, unit)."""
    if value is None:
        return None, None
    import re

    from coordkit.errors import InvalidInput
    from coordkit.textparse import fold

    found = re.fullmatch(r"\s*([0-9][0-9,.]*)\s*(\S.*?)\s*", fold(value))
    if not found:
        raise InvalidInput(
            _("{what} '{value}': expected a number and a unit, e.g. '7 sessions'").format(what=what, value=value)
        )
    return found.group(1).replace(",", ""), found.group(2)


def _resource_app() -> typer.Typer:
    sub = _section_app("resource", _("resources"), _("The resources each party commits to an agreement."))

    @sub.command(
        "add",
        help=helptext(
            _("Add a resource a party commits: an amount of funds, or a venue or staff."),
            example="coord agreement resource add AGR-2024-001 --party liede-street --kind funds --amount 300000 --unit CNY",
        ),
    )
    def add(
        key: KeyArg,
        party: Annotated[str, typer.Option("--party", help=_("Who commits it."))],
        kind: Annotated[
            str, typer.Option("--kind", help=_("funds, venue, staff, volunteers, equipment, materials, services …"))
        ],
        description: Annotated[str | None, typer.Option("--description", help=_("What it is, in English."))] = None,
        zh: Annotated[str | None, typer.Option("--zh", help=_("What it is, in Chinese."))] = None,
        amount: Annotated[str | None, typer.Option("--amount", help=_("How much: 300000, 30万, ¥300,000.00."))] = None,
        unit: Annotated[str | None, typer.Option("--unit", help=_("CNY, hours, people …"))] = None,
        resource: Annotated[
            str | None, typer.Option("--resource", help=_("The shared resource it uses (its key or name)."))
        ] = None,
        when: Annotated[
            str | None, typer.Option("--when", help=_("When it is used: 2024-06-15, monthly first sat 09:00-12:00."))
        ] = None,
    ) -> None:
        from coordkit.amounts import amount_text, parse_amount
        from coordkit.services.agreements.drafting import ResourceIn, add_resource

        value = amount_text(parse_amount(amount, what="amount", unit=unit)) if amount is not None else None
        with writing() as conn:
            doc = add_resource(
                conn, key=key, resource=ResourceIn(party, kind, value, unit, description, zh, resource, when)
            )
        say(_("Added a resource of {party} to {key}.").format(party=doc["resources"][-1]["party"], key=key))

    return sub


app.add_typer(
    _text_section(
        "goal",
        _("goals"),
        _("The cooperation goals of an agreement."),
        'coord agreement goal add AGR-2024-001 "A monthly market run by residents" --zh 每月举办一次公益市集',
    ),
    name="goal",
)
app.add_typer(
    _text_section(
        "method",
        _("methods"),
        _("The cooperation methods of an agreement."),
        'coord agreement method add AGR-2024-001 "Residents run the stalls" --zh 居民自主经营摊位',
    ),
    name="method",
)
app.add_typer(
    _text_section(
        "right",
        _("rights"),
        _("The rights of each party to an agreement."),
        'coord agreement right add AGR-2024-001 "Use the square on market days" --party liede-sw',
        has_party=True,
    ),
    name="right",
)
app.add_typer(
    _text_section(
        "dispute",
        _("dispute-resolution clauses"),
        _("How disputes between the parties are settled."),
        'coord agreement dispute add AGR-2024-001 "Mediation by the street office" --zh 由街道办事处调解',
    ),
    name="dispute",
)
app.add_typer(
    _text_section(
        "communication",
        _("communication arrangements"),
        _("How the parties keep each other informed."),
        'coord agreement communication add AGR-2024-001 "A joint meeting every month" --zh 每月召开一次联席会议',
    ),
    name="communication",
)
app.add_typer(_clause_app(), name="clause")
app.add_typer(_obligation_app(), name="obligation")
app.add_typer(_resource_app(), name="resource")


def _register_render() -> None:
    from coordkit.cli.documents import render

    app.command("render")(render)


_register_render()
