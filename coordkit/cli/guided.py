"""``coord agreement new`` on a terminal without flags: a guided draft, each answer checked as it is given.

Parties are chosen from the register (labels suggested), the title asked in
both languages, then the kind, the term, goals, obligations per party (linked
to the project's duties) and resources. A wrong answer is explained and asked
again; Ctrl-C keeps what was typed as a draft once it has a title and two
parties, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import typer

from coordkit.cli.context import reading, store
from coordkit.cli.display import say
from coordkit.errors import CoordError
from coordkit.i18n import _, language
from coordkit.vocab import PARTY_LABELS, PARTY_LABELS_ZH

T = TypeVar("T")


@dataclass
class Draft:
    key: str | None
    project: str | None
    kind: str
    title: str | None = None
    title_zh: str | None = None
    parties: list[tuple[str, str | None]] = field(default_factory=list)
    effective: str | None = None
    expires: str | None = None
    goals: list[tuple[str, str | None]] = field(default_factory=list)
    obligations: list[Any] = field(default_factory=list)
    resources: list[Any] = field(default_factory=list)


def ask(question: str, check: Callable[[str], T], *, default: str | None = None) -> T:
    """Ask until ``check`` accepts the answer; its error is shown and the question asked again."""
    while True:
        answer = typer.prompt(question, default=default if default is not None else "", show_default=bool(default))
        try:
            return check(answer)
        except CoordError as error:
            say(_("Error: {message}").format(message=error))


def optional(text: str) -> str | None:
    return text.strip() or None


def guided_new(
    *,
    key: str | None,
    project: str | None,
    kind: str,
    title: str | None,
    title_zh: str | None,
    parties: list[tuple[str, str | None]],
    effective: str | None,
    expires: str | None,
) -> None:
    from coordkit.services.duties import list_duties
    from coordkit.services.stakeholders import list_stakeholders
    from coordkit.storage.lookup import resolve_project

    draft = Draft(key, project, kind, title, title_zh, list(parties), effective, expires)
    with reading() as conn:
        register = list_stakeholders(conn, active=True)
        _pid, project_key = resolve_project(conn, project)
        duties = list_duties(conn, project=project_key)
    draft.project = project_key
    try:
        _ask_all(draft, register, duties)
    except (KeyboardInterrupt, typer.Abort):
        if draft.title and len(draft.parties) >= 2:
            doc = _save(draft)
            say(_("Interrupted: kept what you typed as the draft {key}.").format(key=doc["key"]))
            raise typer.Exit(130) from None
        say(_("Interrupted before a title and two parties; nothing was saved."))
        raise typer.Exit(130) from None
    doc = _save(draft)
    say(_("Drafted {key} v1. See it with: coord agreement show {key}").format(key=doc["key"]))


def _ask_all(draft: Draft, register: list[Any], duties: list[Any]) -> None:
    from coordkit.dates import parse_date
    from coordkit.domain.kinds import BUILT_IN
    from coordkit.domain.values import check_choice, check_text

    zh = language() == "zh"
    if len(draft.parties) < 2:
        say(_("The register:"))
        for number, party in enumerate(register, 1):
            name = (party["name_zh"] or party["name"]) if zh else party["name"]
            say(f"  {number:>3}  {party['key']:<28} {name}")
        keys = [p["key"] for p in register]

        def chosen(text: str) -> list[str]:
            from coordkit.errors import InvalidInput
            from coordkit.textparse import split_list

            picked = []
            for item in split_list(text):
                if item.isdigit() and 1 <= int(item) <= len(keys):
                    picked.append(keys[int(item) - 1])
                elif item in keys:
                    picked.append(item)
                else:
                    raise InvalidInput(_("'{item}' is not a number or key from the register above").format(item=item))
            if len(set(picked)) < 2:
                raise InvalidInput(_("an agreement needs at least two different parties"))
            return list(dict.fromkeys(picked))

        labels = PARTY_LABELS_ZH if zh else PARTY_LABELS
        for index, party in enumerate(ask(_("Parties (numbers or keys, comma-separated)"), chosen)):
            label = typer.prompt(_("Label of {party}").format(party=party), default=labels[index % len(labels)])
            draft.parties.append((party, label.strip() or None))
    if not draft.title:
        draft.title = ask(_("Title (in English)"), lambda text: check_text(text, "title"))
    if draft.title_zh is None:
        draft.title_zh = ask(_("Title in Chinese (Enter to skip)"), optional)
    draft.kind = ask(
        _("Kind ({kinds})").format(kinds=", ".join(k for k in BUILT_IN if k != "activity")),
        lambda text: check_choice(text.strip(), list(BUILT_IN), "kind"),
        default=draft.kind,
    )
    if not draft.effective:
        draft.effective = ask(_("Effective from (e.g. 2025-03-01)"), lambda text: str(parse_date(text, "effective")))
    if draft.expires is None:
        draft.expires = (
            ask(
                _("Expires on (Enter for open-ended)"),
                lambda text: str(parse_date(text, "expires")) if text.strip() else "",
            )
            or None
        )
    _ask_goals(draft)
    _ask_obligations(draft, duties)


def _ask_goals(draft: Draft) -> None:
    from coordkit.domain.values import check_text

    say(_("Goals, one per line (Enter on an empty line when done):"))
    while True:
        text = typer.prompt(_("Goal"), default="", show_default=False).strip()
        if not text:
            return
        zh = typer.prompt(_("The same goal in Chinese (Enter to skip)"), default="", show_default=False)
        draft.goals.append((check_text(text, "text"), optional(zh)))


def _ask_obligations(draft: Draft, duties: list[Any]) -> None:
    from coordkit.domain.duties import check_letter
    from coordkit.services.agreements.drafting import ObligationIn

    keys = [d["key"] for d in duties]
    if duties:
        say(_("The project's duties (an obligation may name one):"))
        for number, duty in enumerate(duties, 1):
            say(f"  {number:>3}  {duty['key']:<28} {duty['title']}")

    def duty_of(text: str) -> str | None:
        from coordkit.errors import InvalidInput

        text = text.strip()
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= len(keys):
            return keys[int(text) - 1]
        if text in keys:
            return text
        raise InvalidInput(_("'{item}' is not a number or key of a duty above").format(item=text))

    for party, _label in draft.parties:
        say(_("Obligations of {party} (Enter on an empty line when done):").format(party=party))
        while True:
            text = typer.prompt(_("Obligation"), default="", show_default=False).strip()
            if not text:
                break
            zh = typer.prompt(_("In Chinese (Enter to skip)"), default="", show_default=False)
            duty = ask(_("Duty it carries (number or key, Enter for none)"), duty_of)
            letter = ask(_("As (R, A, C or I)"), check_letter, default="R") if duty else None
            draft.obligations.append(ObligationIn(party, text, optional(zh), duty, letter))


def _save(draft: Draft) -> Any:
    from coordkit.services.agreements.drafting import TermIn, insert_terms, new_agreement
    from coordkit.storage import events
    from coordkit.storage.documents import read_document, version_row

    assert draft.title is not None
    with store() as opened, opened.write() as conn:
        doc = new_agreement(
            conn,
            key=draft.key,
            title=draft.title,
            title_zh=draft.title_zh,
            parties=draft.parties,
            project=draft.project,
            kind=draft.kind,
            effective=draft.effective,
            expires=draft.expires,
            languages=["en", "zh"] if draft.title_zh else ["en"],
            workspace=opened.root,
            record=False,
        )
        version = version_row(conn, doc["key"], newest=True)
        insert_terms(
            conn,
            doc["key"],
            version,
            texts=[TermIn("goal", None, t, z) for t, z in draft.goals],
            obligations=draft.obligations,
        )
        after = read_document(conn, doc["key"], newest=True)
        events.record(conn, action="agreement.new", entity="agreement", key=doc["key"], after=after)
        return after
