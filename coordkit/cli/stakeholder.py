"""coord stakeholder: the register of parties."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from coordkit.cli.completion import complete
from coordkit.cli.context import reading, store, writing
from coordkit.cli.display import emit, emit_record, say, write_out
from coordkit.cli.options import OutputOpt, ShowFormat, ShowFormatOpt
from coordkit.cli.parsing import contact_pairs, rep_pairs
from coordkit.i18n import _
from coordkit.vocab import STAKEHOLDER_KINDS

app = typer.Typer(
    help="The register of parties: organisations and groups that take part.\n\n\b\nExample:\n  coord stakeholder list --format json",
    no_args_is_help=True,
)

KINDS_HELP = ", ".join(STAKEHOLDER_KINDS)
COLUMNS = [
    ("key", "key"),
    ("name", "name"),
    ("name_zh", "中文名"),
    ("kind", "kind"),
    ("influence", "influence"),
    ("interest", "interest"),
    ("interests", "interests"),
    ("active", "active"),
    ("contacts", "contacts"),
    ("representatives", "representatives"),
]
# In Chinese: the Chinese name (else the English one) first, the English name after it
COLUMNS_ZH = [("key", "key"), ("display", "name"), ("name", "English name"), *COLUMNS[3:]]
# What a narrow terminal leaves out first (the rest still shows with --format yaml)
HIDE_FIRST = ("interests", "representatives", "active", "influence", "interest", "contacts", "kind", "name_zh")

ContactOpt = Annotated[
    list[str] | None, typer.Option("--contact", help="CHANNEL:VALUE, repeatable (phone:020-8888-0000).")
]
RepOpt = Annotated[list[str] | None, typer.Option("--rep", help="Representative NAME:TITLE, repeatable.")]
AddressOpt = Annotated[str | None, typer.Option("--address", help="Address, as printed on agreements.")]
LegalRepOpt = Annotated[
    str | None, typer.Option("--legal-rep", help="Legal representative or person in charge (法定代表人/负责人).")
]
RegNoOpt = Annotated[
    str | None, typer.Option("--reg-no", help="Unified social credit code (统一社会信用代码) or registration number.")
]


@app.command("add")
def add(
    kind: Annotated[str, typer.Option("--kind", help=f"One of: {KINDS_HELP}.")],
    key: Annotated[
        str | None, typer.Argument(help="Stable key, a slug such as liede-sw (default: made from the name).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name (may be left out when --name-zh is given).")] = None,
    name_zh: Annotated[str | None, typer.Option("--name-zh", help="Chinese name.")] = None,
    influence: Annotated[int | None, typer.Option("--influence", help="Influence, 1-5.")] = None,
    interest: Annotated[int | None, typer.Option("--interest", help="Interest, 1-5.")] = None,
    interests: Annotated[str | None, typer.Option("--interests", help="Interests and demands.")] = None,
    address: AddressOpt = None,
    legal_rep: LegalRepOpt = None,
    reg_no: RegNoOpt = None,
    contact: ContactOpt = None,
    rep: RepOpt = None,
) -> None:
    """Add a stakeholder to the register.

    \b
    Example:
      coord stakeholder add liede-sw --name "Liede Social Work Station" --name-zh 猎德社工站 --kind social-organisation --contact phone:020-8888-0000 --rep "Chen Jing:Director"
    """
    from coordkit.services.stakeholders import add_stakeholder

    contacts, reps = contact_pairs(contact), rep_pairs(rep)
    with writing() as conn:
        added = add_stakeholder(
            conn,
            key=key,
            name=name,
            kind=kind,
            name_zh=name_zh,
            influence=influence,
            interest=interest,
            interests=interests,
            address=address,
            legal_representative=legal_rep,
            registration_number=reg_no,
            contacts=contacts,
            representatives=reps,
        )
    if key is None:
        say(_("Added stakeholder '{key}' (a key made from its name).").format(key=added["key"]))
    else:
        say(_("Added stakeholder '{key}'.").format(key=key))


class RegisterFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"
    md = "md"
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"
    vcf = "vcf"


@app.command("list")
def list_(
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include retired (inactive) stakeholders.")] = False,
    fmt: Annotated[
        RegisterFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format (html, pdf: the printable register; xlsx: to edit and import; vcf: vCard 3.0).",
        ),
    ] = RegisterFormat.table,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Language of the list and of the printable register: en or zh (default: COORD_LANG)."
        ),
    ] = None,
    output: OutputOpt = None,
) -> None:
    """List the stakeholders (active ones unless --all), or print the register.

    \b
    Example:
      coord stakeholder list --format pdf --lang zh -o register.pdf
    """
    from coordkit.errors import InvalidInput
    from coordkit.i18n import language, set_language
    from coordkit.services.stakeholders import list_stakeholders

    if lang is not None:
        if lang not in ("en", "zh"):
            raise InvalidInput(_("--lang '{lang}' is not one of: en, zh").format(lang=lang))
        set_language(lang)
    lang = language()
    with store() as opened, opened.read() as conn:
        rows = list_stakeholders(conn, active=None if all_ else True, kind=kind)
        root = opened.root
    if fmt in (RegisterFormat.html, RegisterFormat.pdf):
        import sys

        from coordkit.dates import today
        from coordkit.render.documents import render_register

        if fmt == RegisterFormat.pdf and output is None and sys.stdout.isatty():
            raise InvalidInput(_("{format} is a binary format: pass -o FILE.{format}").format(format="pdf"))
        write_out(render_register(rows, fmt=fmt.value, lang=lang, today=today().isoformat(), workspace=root), output)
        return
    if fmt == RegisterFormat.vcf:
        from coordkit.render.vcard import to_vcards

        write_out(to_vcards(rows, lang=lang), output)
        return
    if fmt == RegisterFormat.xlsx:
        import sys

        from coordkit.dates import today
        from coordkit.render.sheet import to_xlsx

        if output is None and sys.stdout.isatty():
            raise InvalidInput(_("{format} is a binary format: pass -o FILE.{format}").format(format="xlsx"))
        title = ("单位名录" if lang == "zh" else "Stakeholders") + f" · {today().isoformat()}"
        write_out(to_xlsx(title, rows, COLUMNS, lang=lang, sheet_name="Stakeholders"), output)
        return
    if lang == "zh" and fmt.value in ("table", "csv", "md"):  # the Chinese name first, else the English one
        flat = [{**row, "display": row["name_zh"] or row["name"]} for row in rows]
        emit(rows, flat, COLUMNS_ZH, fmt.value, output, title="Stakeholders", hide_first=("name", *HIDE_FIRST))
        return
    emit(rows, rows, COLUMNS, fmt.value, output, title="Stakeholders", hide_first=HIDE_FIRST)


@app.command("show")
def show(
    key: Annotated[str, typer.Argument(help="Stakeholder key or name.", autocompletion=complete("stakeholder"))],
    fmt: ShowFormatOpt = ShowFormat.table,
    output: OutputOpt = None,
) -> None:
    """Show one stakeholder with contacts and representatives.

    \b
    Example:
      coord stakeholder show liede-sw
    """
    from coordkit.services.stakeholders import get_stakeholder

    with reading() as conn:
        found = get_stakeholder(conn, key)
    emit_record(found, fmt.value, output, title=_("Stakeholder {key}").format(key=key))


@app.command("edit")
def edit(
    key: Annotated[str, typer.Argument(help="Stakeholder key or name.", autocompletion=complete("stakeholder"))],
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    name_zh: Annotated[str | None, typer.Option("--name-zh", help="New Chinese name ('' clears).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=f"One of: {KINDS_HELP}.")] = None,
    influence: Annotated[int | None, typer.Option("--influence", help="Influence, 1-5.")] = None,
    interest: Annotated[int | None, typer.Option("--interest", help="Interest, 1-5.")] = None,
    interests: Annotated[str | None, typer.Option("--interests", help="Interests and demands.")] = None,
    address: AddressOpt = None,
    legal_rep: LegalRepOpt = None,
    reg_no: RegNoOpt = None,
    contact: ContactOpt = None,
    remove_contact: Annotated[
        list[str] | None, typer.Option("--remove-contact", help="Remove contacts by CHANNEL or VALUE.")
    ] = None,
    rep: RepOpt = None,
    remove_rep: Annotated[
        list[str] | None, typer.Option("--remove-rep", help="Remove a representative by NAME.")
    ] = None,
    inactive: Annotated[
        bool | None, typer.Option("--inactive/--active", help="Retire the stakeholder (or bring it back).")
    ] = None,
) -> None:
    """Change a stakeholder; retire it with --inactive.

    \b
    Example:
      coord stakeholder edit liede-sw --influence 4 --contact wechat:liede-sw
    """
    from coordkit.services.stakeholders import edit_stakeholder

    contacts, reps = contact_pairs(contact), rep_pairs(rep)
    with writing() as conn:
        changed = edit_stakeholder(
            conn,
            key=key,
            name=name,
            name_zh=name_zh,
            kind=kind,
            influence=influence,
            interest=interest,
            interests=interests,
            address=address,
            legal_representative=legal_rep,
            registration_number=reg_no,
            active=None if inactive is None else not inactive,
            add_contacts=contacts,
            remove_contacts=remove_contact or [],
            add_representatives=reps,
            remove_representatives=remove_rep or [],
        )
    say(_("Changed stakeholder '{key}'.").format(key=changed["key"]))


@app.command("score")
def score(
    key: Annotated[str, typer.Argument(help="Stakeholder key or name.", autocompletion=complete("stakeholder"))],
    influence: Annotated[int, typer.Option("--influence", help="Influence, 1-5.")],
    interest: Annotated[int, typer.Option("--interest", help="Interest, 1-5.")],
    note: Annotated[str | None, typer.Option("--note", help="Why: what changed, what the rating rests on.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="The day of the rating (default today).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who rated (default COORD_USER or the login).")] = None,
    history: Annotated[bool, typer.Option("--history", help="Also print the party's ratings so far.")] = False,
) -> None:
    """Rate a party's influence and interest, keeping who, when and why.

    The register keeps the current rating; coord grid --since DATE draws
    how ratings moved since then.

    \b
    Example:
      coord stakeholder score liede-property --influence 4 --interest 5 --note "runs the square now"
    """
    from coordkit.services.scores import score_history, score_stakeholder

    with writing() as conn:
        scored = score_stakeholder(conn, key=key, influence=influence, interest=interest, note=note, on=on, by=by)
        rows = score_history(conn, scored["stakeholder"])
    say(
        _("Scored stakeholder '{key}': influence {influence}, interest {interest}.").format(
            key=scored["stakeholder"], influence=influence, interest=interest
        )
    )
    if history:
        emit(
            rows,
            rows,
            [(c, c) for c in ("scored_on", "influence", "interest", "scored_by", "note")],
            "table",
            None,
            title=f"Scores of {key}",
        )


@app.command("remove")
def remove(
    key: Annotated[str, typer.Argument(help="Stakeholder key or name.", autocompletion=complete("stakeholder"))],
) -> None:
    """Remove a stakeholder that nothing refers to.

    A stakeholder still referenced is retired with 'coord stakeholder edit KEY --inactive' instead.

    \b
    Example:
      coord stakeholder remove test-party
    """
    from coordkit.services.stakeholders import remove_stakeholder

    with writing() as conn:
        removed = remove_stakeholder(conn, key=key)
    say(_("Removed stakeholder '{key}'.").format(key=removed["key"]))  # by key, when a name was typed
