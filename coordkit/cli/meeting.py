"""coord meeting: joint meetings (联席会议) and their minutes (会议纪要)."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coordkit.cli.context import reading, store, writing
from coordkit.cli.display import emit, emit_record, people_names, say, write_out
from coordkit.cli.helptext import helptext
from coordkit.cli.options import (
    FormatOpt,
    KeysOpt,
    ListFormat,
    OutputOpt,
    ProjectOpt,
    ShowFormat,
    ShowFormatOpt,
    reader_lang,
)
from coordkit.i18n import _

if TYPE_CHECKING:
    from coordkit.domain.meetings import Meeting

app = typer.Typer(
    help=helptext(
        _("Joint meetings: minutes, decisions, and actions with owners and deadlines."),
        example="coord meeting add --date 2024-03-04 --chair liede-party-committee/张华 --attendee liede-sw:陈静",
    ),
    no_args_is_help=True,
)

KeyArg = Annotated[
    str, typer.Argument(help=_("The meeting's key (its date, such as 2024-03-04; see coord meeting list)."))
]
FromOpt = Annotated[
    Path | None,
    typer.Option(
        "--from", help=_("The whole record from a YAML file (as in workspace files' meetings:)."), dir_okay=False
    ),
]
LIST_COLUMNS = [
    ("project", "project"),
    ("key", "key"),
    ("date", "date"),
    ("chair", "chair"),
    ("attendees", "attendees"),
    ("absent", "absent"),
    ("decisions", "decisions"),
    ("actions", "actions"),
    ("open_actions", "open"),
    ("signed_off", "signed off"),
    ("fingerprint", "fingerprint"),
]
TEMPLATE = """\
# {header}
date: {date}
place:
chair: {{party: PARTY, person: NAME}}
attendees:
  - {{party: PARTY, person: NAME}}
absent: []
agenda:
  - ITEM
decisions:
  - DECISION
actions:
  - {{text: WHAT, owner: PARTY, due: {date}}}
"""


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _actions(
    texts: list[str], owners: list[str], dues: list[str], duties: list[str], letters: list[str]
) -> list[dict[str, Any]]:
    """Pair ``--action`` with ``--owner``, ``--due`` (once each per action, in order) and ``--duty``/``--as``
    (none, or once per action with ``-`` for an action without a duty)."""
    from coordkit.errors import InvalidInput

    if len(owners) != len(texts) or len(dues) != len(texts):
        raise InvalidInput(
            _(
                "give --owner and --due once for each --action, in the same order "
                "({actions} action(s), {owners} owner(s), {dues} due date(s)); or pass the record with --from FILE"
            ).format(actions=len(texts), owners=len(owners), dues=len(dues))
        )
    if duties and len(duties) != len(texts):
        raise InvalidInput(
            _(
                "give --duty once for each --action ('-' for an action without a duty) "
                "({actions} action(s), {duties} duty(ies))"
            ).format(actions=len(texts), duties=len(duties))
        )
    named = [d for d in duties if d != "-"]
    if letters and len(letters) != len(named):
        raise InvalidInput(
            _("give --as once for each --duty that names a duty ({duties} duty(ies), {letters} letter(s))").format(
                duties=len(named), letters=len(letters)
            )
        )
    if letters and not named:
        raise InvalidInput(_("--as needs the duty it is for: --duty KEY"))
    found, letter_of = [], iter(letters)
    for index, text in enumerate(texts):
        duty = duties[index] if duties else "-"
        found.append(
            {
                "text": text,
                "owner": owners[index],
                "due": dues[index],
                "duty": None if duty == "-" else duty,
                "as": None if duty == "-" else next(letter_of, None),
            }
        )
    return found


def _record_from(path: Path | None, text: str | None = None, name: str = "") -> dict[str, Any]:
    """A meeting record from a YAML file (or edited text), checked against the workspace schema's meeting."""
    from coordkit.spec import MeetingSpec, validate
    from coordkit.yamlio import load_file, load_text

    located = load_file(path) if path is not None else load_text(text or "", name)
    if not isinstance(located.data, dict):
        from coordkit.errors import InvalidInput

        raise InvalidInput(
            _("{file}: a meeting's record is a mapping (date, chair, attendees, …)").format(file=located.name)
        )
    record: dict[str, Any] = validate(MeetingSpec, located).model_dump(mode="json", by_alias=True)
    record["_located"] = located
    return record


def _located_errors(record: dict[str, Any], run: Any) -> Any:
    """Errors about a field of a file's record name the file, line and column, as ``coord apply`` does."""
    from coordkit.errors import CoordError
    from coordkit.services.ascode.load import at_field, dotted

    located = record.pop("_located", None)
    try:
        return run()
    except CoordError as error:
        if located is None or not error.field:
            raise
        raise type(error)(at_field(located.where(error.field), dotted(error.field), error)) from None


@app.command(
    "add",
    help=helptext(
        _("Record a joint meeting's minutes."),
        _(
            "Each --action takes its own --owner and --due, in the order given; --duty KEY (and --as R) gives the "
            "owner that letter for the duty from the meeting's date to the due date ('-' for an action without a "
            "duty). --from FILE takes the whole record as YAML; with no flags on a terminal, $EDITOR opens a form."
        ),
        example="coord meeting add --date 2024-03-04 --place 'Community centre' --chair liede-party-committee/张华 "
        "--attendee liede-sw:陈静 --attendee liede-property:梁伟 --decision 'Market on the second Saturday' "
        "--action 'Set up the group chat' --owner liede-sw --due 2024-04-30",
    ),
)
def add(
    date: Annotated[str | None, typer.Option("--date", help=_("The day it was held."))] = None,
    place: Annotated[str | None, typer.Option("--place", help=_("Where it was held."))] = None,
    title: Annotated[
        str | None, typer.Option("--title", help=_("A title (default: the project's joint meeting)."))
    ] = None,
    chair: Annotated[str | None, typer.Option("--chair", help=_("Who chaired it: PARTY/PERSON."))] = None,
    attendee: Annotated[
        list[str] | None, typer.Option("--attendee", help=_("A party present, PARTY[:PERSON]; repeat."))
    ] = None,
    absent: Annotated[
        list[str] | None, typer.Option("--absent", help=_("A party expected but absent; repeat."))
    ] = None,
    agenda: Annotated[list[str] | None, typer.Option("--agenda", help=_("An agenda item; repeat."))] = None,
    decision: Annotated[list[str] | None, typer.Option("--decision", help=_("A decision; repeat."))] = None,
    action: Annotated[list[str] | None, typer.Option("--action", help=_("An action item's text; repeat."))] = None,
    owner: Annotated[
        list[str] | None, typer.Option("--owner", help=_("Its owner (a party), once per --action."))
    ] = None,
    due: Annotated[list[str] | None, typer.Option("--due", help=_("Its deadline, once per --action."))] = None,
    duty: Annotated[
        list[str] | None, typer.Option("--duty", help=_("The duty it gives a letter for ('-' for none), per --action."))
    ] = None,
    letter: Annotated[list[str] | None, typer.Option("--as", help=_("That letter (default R), per --duty."))] = None,
    key: Annotated[str | None, typer.Option("--key", help=_("The meeting's key (default: its date)."))] = None,
    source: FromOpt = None,
    project: ProjectOpt = None,
) -> None:
    from coordkit.errors import InvalidInput
    from coordkit.services.meetings import add_meeting, fields_of, sign_off

    flags = (date, place, title, chair, attendee, absent, agenda, decision, action, owner, due, duty, letter)
    if source is not None:
        if any(flags):
            raise InvalidInput(_("--from takes the whole record; give the other flags in the file instead"))
        record = _record_from(source)
    elif not any(flags):
        header = _(
            "A joint meeting's minutes: fill them in, save and close to record them (leave unchanged to cancel)."
        )
        edited = _from_editor(TEMPLATE.format(header=header, date=_today()), "meeting.yaml")
        if edited is None:
            say(_("No change."))
            return
        record = edited
    else:
        record = {
            "date": date,
            "place": place,
            "title": title,
            "chair": chair,
            "attendees": attendee or [],
            "absent": absent or [],
            "agenda": agenda or [],
            "decisions": decision or [],
            "actions": _actions(action or [], owner or [], due or [], duty or [], letter or []),
        }
    signed = record.get("signed_off")

    def run() -> Meeting:
        with writing() as conn:
            made = add_meeting(
                conn, project=record.get("project") or project, key=record.get("key") or key, **fields_of(record)
            )
            if signed:
                made = sign_off(conn, key=made["key"], by=signed["by"], on=signed["date"], project=made["project"])
            return made

    made = _located_errors(record, run)
    say(
        _(
            "Recorded the joint meeting '{key}' of {project}: {actions} action(s); {open} open action(s) of earlier meetings."
        ).format(key=made["key"], project=made["project"], actions=len(made["actions"]), open=len(made["earlier_open"]))
    )


def _today() -> str:
    from coordkit.dates import today

    return today().isoformat()


def _from_editor(content: str, name: str) -> dict[str, Any] | None:
    """The record as YAML in $EDITOR (or $VISUAL); an invalid one reopens with the error on top, as git commit
    does. None when it comes back unchanged."""
    import shlex
    import subprocess
    import tempfile

    from coordkit.errors import CoordError, InvalidInput

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        if not interactive():
            raise InvalidInput(_("give the minutes with flags or --from FILE, or set EDITOR (or VISUAL)"))
        editor = "vi"
    original, error = content, ""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        while True:
            notes = "".join(f"# Error: {line}\n" for line in error.splitlines())
            path.write_text(notes + content, encoding="utf-8")
            if subprocess.run([*shlex.split(editor), str(path)], check=False).returncode != 0:
                raise InvalidInput(_("the editor ({editor}) failed; nothing was changed").format(editor=editor))
            edited = "".join(
                line
                for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith("# Error: ")
            )
            if edited == original:
                return None
            try:
                return _record_from(None, edited, name)
            except CoordError as problem:
                content, error = edited, str(problem)
                say(_("Error: {message}").format(message=problem))


@app.command(
    "list", help=helptext(_("List the joint meetings of a project, oldest first."), example="coord meeting list")
)
def list_(
    project: ProjectOpt = None, fmt: FormatOpt = ListFormat.table, keys: KeysOpt = False, output: OutputOpt = None
) -> None:
    from coordkit.services.meetings import list_meetings

    with reading() as conn:
        found = list_meetings(conn, project=project)
    named = people_names(fmt.value, keys, parties=("chair",), projects=("project",))
    emit(found, found, LIST_COLUMNS, fmt.value, output, title=_("Joint meetings"), named=named)


@app.command(
    "show",
    help=helptext(
        _("Show a meeting's minutes, with the open actions of earlier meetings."),
        example="coord meeting show 2024-03-04 --format yaml",
    ),
)
def show(
    key: KeyArg, project: ProjectOpt = None, fmt: ShowFormatOpt = ShowFormat.table, output: OutputOpt = None
) -> None:
    from coordkit.domain.meetings import action_ref, party_person_text
    from coordkit.services.meetings import get_meeting

    with reading() as conn:
        found = get_meeting(conn, key=key, project=project)
    if fmt != ShowFormat.table:
        emit_record(found, fmt.value, output)
        return
    sign = found["signed_off"]
    flat = {
        "project": found["project"],
        "key": found["key"],
        "date": found["date"],
        "place": found["place"],
        "chair": party_person_text(found["chair"]),
        "attendees": ", ".join(party_person_text(a) for a in found["attendees"]),
        "absent": ", ".join(found["absent"]),
        "agenda": "\n".join(f"{i}. {t}" for i, t in enumerate(found["agenda"], 1)),
        "decisions": "\n".join(f"{i}. {t}" for i, t in enumerate(found["decisions"], 1)),
        "actions": "\n".join(_action_line(action_ref(found["key"], a["number"]), a) for a in found["actions"]),
        "earlier_open": "\n".join(
            f"{action_ref(a['meeting'], a['number'])} {a['text']} · {a['owner']} · {a['due']}"
            for a in found["earlier_open"]
        ),
        "signed_off": _("{by} on {date}").format(by=sign["by"], date=sign["date"]) if sign else _("not yet"),
        "fingerprint": found["fingerprint"],
    }
    emit_record(flat, "table", output, title=_("Meeting {key}").format(key=key))


def _action_line(ref: str, action: Any) -> str:
    duty = f" [{action['duty']} {action['as']}]" if action["duty"] else ""
    state = _("done {date}").format(date=action["done"]) if action["done"] else _("open")
    return f"{ref} {action['text']} · {action['owner']} · {action['due']}{duty} · {state}"


@app.command(
    "edit",
    help=helptext(
        _("Change minutes that are not signed off yet."),
        _("Flags change one field; --from FILE replaces the whole record; with no flags, $EDITOR opens it."),
        example="coord meeting edit 2024-03-04 --place 'Community centre, room 2'",
    ),
)
def edit(
    key: KeyArg,
    date: Annotated[str | None, typer.Option("--date", help=_("The day it was held."))] = None,
    place: Annotated[str | None, typer.Option("--place", help=_("Where it was held."))] = None,
    title: Annotated[str | None, typer.Option("--title", help=_("Its title."))] = None,
    chair: Annotated[str | None, typer.Option("--chair", help=_("Who chaired it: PARTY/PERSON."))] = None,
    source: FromOpt = None,
    project: ProjectOpt = None,
) -> None:
    from coordkit.errors import InvalidInput
    from coordkit.services.meetings import edit_meeting, fields_of, get_meeting, meeting_spec, refuse_if_signed
    from coordkit.yamlio import dump

    if source is not None:
        if any((date, place, title, chair)):
            raise InvalidInput(_("--from takes the whole record; give the other flags in the file instead"))
        record = _record_from(source)
    elif any((date, place, title, chair)):
        record = {"date": date, "place": place, "title": title, "chair": chair}
    else:
        with reading() as conn:
            current = get_meeting(conn, key=key, project=project)
        refuse_if_signed(current)
        shown = {k: v for k, v in meeting_spec(current).items() if k not in ("project", "signed_off")}
        from coordkit.services.ascode.shape import clean

        edited = _from_editor(dump(clean(shown)), f"{key}.yaml")
        if edited is None:
            say(_("No change."))
            return
        record = edited
    if "_located" in record:  # the whole record: what it leaves out is cleared
        changes = {**fields_of(record), "place": record.get("place") or "", "title": record.get("title") or ""}
    else:
        changes = dict(record)

    def run() -> Meeting:
        with writing() as conn:
            return edit_meeting(conn, key=key, project=project, new_key=record.get("key"), **changes)

    changed = _located_errors(record, run)
    say(_("Changed the minutes of meeting '{key}'.").format(key=changed["key"]))


@app.command(
    "sign-off",
    help=helptext(
        _("Sign the minutes off: they are hashed and never change again."),
        _(
            "Sign-off is the chair's (by default the chair named in the minutes); every rendered page then carries the hash."
        ),
        example="coord meeting sign-off 2024-03-04 --by 张华 --on 2024-03-06",
    ),
)
def sign_off_(
    key: KeyArg,
    by: Annotated[str | None, typer.Option("--by", help=_("Who signs off (default: the chair)."))] = None,
    on: Annotated[str | None, typer.Option("--on", help=_("The day of the sign-off (default: today)."))] = None,
    project: ProjectOpt = None,
) -> None:
    from coordkit.errors import InvalidInput
    from coordkit.services.meetings import get_meeting, sign_off

    with writing() as conn:
        who = by or get_meeting(conn, key=key, project=project)["chair"]["person"]
        if not who:
            raise InvalidInput(_("name who signs the minutes off: --by PERSON"))
        signed = sign_off(conn, key=key, by=who, on=on, project=project)
    say(
        _("Signed off the minutes of meeting '{key}' (fingerprint {fingerprint}).").format(
            key=key, fingerprint=signed["fingerprint"]
        )
    )


class MinutesFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    docx = "docx"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


@app.command(
    "render",
    help=helptext(
        _("Render a meeting's minutes (会议纪要) in English or Chinese."),
        _(
            "Markdown, HTML, PDF or DOCX. Signed-off minutes carry their hash and fingerprint on every page; "
            "drafts say DRAFT."
        ),
        example="coord meeting render 2024-03-04 --format pdf --lang zh -o minutes-2024-03-04.zh.pdf",
    ),
)
def render(
    key: KeyArg,
    fmt: Annotated[MinutesFormat, typer.Option("--format", "-f", help=_("md, html, pdf or docx."))] = MinutesFormat.pdf,
    lang: Annotated[
        Lang | None, typer.Option("--lang", help=_("Language of the document: en or zh (default: the reader's)."))
    ] = None,
    output: OutputOpt = None,
    project: ProjectOpt = None,
) -> None:
    from coordkit.errors import InvalidInput
    from coordkit.render.minutes import render_minutes
    from coordkit.services.meetings import duty_titles, get_meeting
    from coordkit.services.projects import get_project
    from coordkit.services.stakeholders import list_stakeholders

    with store() as opened, opened.read() as conn:
        meeting = get_meeting(conn, key=key, project=project)
        stakeholders = list_stakeholders(conn)
        info = get_project(conn, meeting["project"])
        duties = duty_titles(conn, meeting["project"])
        root = opened.root
    language = reader_lang(lang.value if lang else None)
    content = render_minutes(meeting, stakeholders, info, fmt=fmt.value, lang=language, workspace=root, duties=duties)
    if isinstance(content, bytes) and output is None and sys.stdout.isatty():
        raise InvalidInput(_("{format} is a binary format: pass -o FILE.{format}").format(format=fmt.value))
    write_out(content, output)
