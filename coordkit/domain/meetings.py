"""A joint meeting (联席会议) as data: its minutes (会议纪要), their action items, and their rules.

Standard minutes carry time, place, chair, attendees and absentees, agenda,
decisions, and for each action an owner and a deadline (责任人与时间节点),
signed off by the chair. Sign-off freezes the minutes: their canonical form
(``canonical_minutes``) is hashed like agreement terms, and the hash is checked
by ``coord check`` (``tampered-minutes``) and printed on every rendered page.
Whether an action is done is follow-up, not minutes: it stays outside the hash.

An action that names a duty gives its owner that letter from the meeting's
date to the action's due date (``action_window``): the matrix shows it with
its own mark, and it disappears after the due date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from coordkit.domain.values import at, check_slug, check_text, iso_text, optional_text
from coordkit.errors import InvalidInput
from coordkit.i18n import _
from coordkit.textparse import fold

MINUTES_FORM = 1
"""The canonical form minutes are hashed with; a sign-off records it, so a later form can verify older minutes."""

MINUTES_FIELDS = (
    "project",
    "key",
    "date",
    "place",
    "title",
    "chair",
    "attendees",
    "absent",
    "agenda",
    "decisions",
    "actions",
)
ACTION_FIELDS = ("number", "text", "owner", "due", "duty", "as")


class Attendee(TypedDict):
    party: str
    person: str | None


# One action item: numbered 1.. in the minutes; "as" is the RACI letter it gives for "duty" (when one is named).
# "done" and "note" are follow-up (``coord action done``), never part of the signed minutes.
Action = TypedDict(
    "Action",
    {
        "number": int,
        "text": str,
        "owner": str,
        "due": str,
        "duty": str | None,
        "as": str | None,
        "done": str | None,
        "note": str | None,
    },
)


class Minutes(TypedDict):
    """What the chair signs off: the record of one meeting."""

    project: str
    key: str
    date: str
    place: str | None
    title: str | None
    chair: Attendee
    attendees: list[Attendee]
    absent: list[str]
    agenda: list[str]
    decisions: list[str]
    actions: list[Action]


class SignOff(TypedDict):
    by: str
    date: str
    hash: str
    form: int


class OpenAction(TypedDict):
    """An action of an earlier meeting still open on a later meeting's date (its minutes list them)."""

    meeting: str
    number: int
    text: str
    owner: str
    due: str


class Meeting(Minutes):
    """Minutes as the store gives them back: with the sign-off and the open actions of earlier meetings."""

    signed_off: SignOff | None
    fingerprint: str | None
    earlier_open: list[OpenAction]


def parse_party_person(text: str, what: str) -> Attendee:
    """``liede-sw/Chen Jing``, ``liede-sw:Chen Jing`` or ``liede-sw：陈静`` → party and person; ``liede-sw`` alone → no person.

    Party keys are slugs (no ``/`` or ``:``), so the first ``/`` or colon
    splits; the person's name keeps the characters it was typed with.
    """
    shown = (text or "").strip()
    folded = fold(shown)
    cut = min((i for i in (folded.find("/"), folded.find(":")) if i >= 0), default=-1)
    party, person = (folded[:cut], shown[cut + 1 :]) if cut >= 0 else (folded, None)
    party = party.strip()
    if not party:
        raise InvalidInput(
            _("{what} '{value}' names no party; write PARTY or PARTY/PERSON").format(what=what, value=shown)
        )
    return {"party": party, "person": optional_text(person)}


def party_person_text(attendee: Attendee) -> str:
    return f"{attendee['party']}/{attendee['person']}" if attendee["person"] else attendee["party"]


def check_action(item: Mapping[str, Any], number: int, meeting_date: str) -> Action:
    """One action item: what, who (a party), by when (not before the meeting), and the letter it gives for a duty."""
    from coordkit.domain.duties import check_letter

    text = check_text(item.get("text"), "action text", field="text")
    owner = check_text(item.get("owner"), "action owner", field="owner")
    due = iso_text(item.get("due"))
    if not due:
        raise InvalidInput(_("action {number}: give its deadline (--due DATE)").format(number=number), field=("due",))
    if due < meeting_date:
        raise InvalidInput(
            _("action {number}: due {due} is before the meeting on {date}").format(
                number=number, due=due, date=meeting_date
            ),
            field=("due",),
        )
    duty = optional_text(item.get("duty"))
    letter = item.get("as")
    if letter and not duty:
        raise InvalidInput(
            _("action {number}: --as {letter} needs the duty it is for (--duty KEY)").format(
                number=number, letter=letter
            ),
            field=("as",),
        )
    if duty:
        check_slug(duty, "duty")
        letter = check_letter(letter or "R")
    else:
        letter = None
    done = iso_text(item.get("done"))
    if done and done < meeting_date:
        raise InvalidInput(
            _("action {number}: done on {done}, before the meeting that decided it ({date})").format(
                number=number, done=done, date=meeting_date
            ),
            field=("done",),
        )
    return {
        "number": number,
        "text": text,
        "owner": owner,
        "due": due,
        "duty": duty,
        "as": letter,
        "done": done,
        "note": optional_text(item.get("note")),
    }


def check_minutes(
    *,
    project: str,
    key: str,
    date: str | dt.date | None,
    chair: Attendee | None,
    attendees: Sequence[Attendee],
    place: str | None = None,
    title: str | None = None,
    absent: Sequence[str] = (),
    agenda: Sequence[str] = (),
    decisions: Sequence[str] = (),
    actions: Sequence[Mapping[str, Any]] = (),
) -> Minutes:
    """The minutes with their values cleaned, or one error naming the field (the same for a command and a file).

    A party is either present or absent, never both; nobody attends twice; the
    chair is a party with a person (who signs off); actions are numbered in
    the order given and fall due on or after the meeting.
    """
    day = iso_text(date)
    if not day:
        raise InvalidInput(_("a meeting needs its date (--date)"), field=("date",))
    check_slug(key, "meeting")
    if chair is None or not chair.get("party"):
        raise InvalidInput(_("a meeting needs its chair (--chair PARTY/PERSON)"), field=("chair",))
    if not attendees:
        raise InvalidInput(_("minutes list who attended: --attendee PARTY[:PERSON]"), field=("attendees",))
    seen: set[tuple[str, str | None]] = set()
    cleaned: list[Attendee] = []
    for index, attendee in enumerate(attendees):
        with at("attendees", index):
            pair = (attendee["party"], optional_text(attendee.get("person")))
            if pair in seen:
                raise InvalidInput(
                    _("'{who}' is listed twice among the attendees").format(
                        who=party_person_text({"party": pair[0], "person": pair[1]})
                    ),
                    field=("party",),
                )
            seen.add(pair)
            cleaned.append({"party": pair[0], "person": pair[1]})
    present = {a["party"] for a in cleaned}
    away: list[str] = []
    for index, party in enumerate(absent):
        with at("absent", index):
            name = (party or "").strip()
            if not name:
                raise InvalidInput(_("an absent party must not be empty"))
            if name in present:
                raise InvalidInput(_("'{party}' is listed both as attending and as absent").format(party=name))
            if name in away:
                raise InvalidInput(_("'{party}' is listed twice as absent").format(party=name))
            away.append(name)
    texts: dict[str, list[str]] = {}
    for section, items in (("agenda", agenda), ("decisions", decisions)):
        texts[section] = []
        for index, text in enumerate(items):
            with at(section, index):
                texts[section].append(check_text(text, "text", field="text"))
    checked_actions = []
    for index, item in enumerate(actions):
        with at("actions", index):
            checked_actions.append(check_action(item, index + 1, day))
    return {
        "project": project,
        "key": key,
        "date": day,
        "place": optional_text(place),
        "title": optional_text(title),
        "chair": {"party": chair["party"], "person": optional_text(chair.get("person"))},
        "attendees": cleaned,
        "absent": away,
        "agenda": texts["agenda"],
        "decisions": texts["decisions"],
        "actions": checked_actions,
    }


def check_sign_off(by: str | None, on: str, meeting_date: str) -> str:
    """The person who signs off (the chair, as a rule), on or after the meeting's date."""
    who = check_text(by, "--by", field="by")
    if on < meeting_date:
        raise InvalidInput(
            _("sign-off on {on} is before the meeting on {date}").format(on=on, date=meeting_date), field=("on",)
        )
    return who


def canonical_minutes(minutes: Mapping[str, Any]) -> dict[str, Any]:
    """The fields the chair's sign-off covers: the record, not the follow-up (``done`` and ``note`` stay out)."""
    terms = {name: minutes[name] for name in MINUTES_FIELDS}
    terms["chair"] = {"party": minutes["chair"]["party"], "person": minutes["chair"]["person"]}
    terms["attendees"] = [{"party": a["party"], "person": a["person"]} for a in minutes["attendees"]]
    terms["actions"] = [{name: action[name] for name in ACTION_FIELDS} for action in minutes["actions"]]
    return terms


def minutes_json(minutes: Mapping[str, Any], form: int = MINUTES_FORM) -> str:
    """Canonical JSON: sorted keys, no whitespace, UTF-8 text (not ``\\u`` escapes); dates as YYYY-MM-DD."""
    if form != MINUTES_FORM:
        raise InvalidInput(
            _("minutes hashed with canonical form {form}, which this coord does not know").format(form=form)
        )
    return json.dumps(canonical_minutes(minutes), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def minutes_hash(minutes: Mapping[str, Any], form: int = MINUTES_FORM) -> str:
    """SHA-256 of the canonical JSON of the minutes (64 hex digits)."""
    return hashlib.sha256(minutes_json(minutes, form).encode("utf-8")).hexdigest()


def action_window(meeting_date: str, due: str) -> tuple[str, str]:
    """The days an action's letter holds: from the meeting that decided it to its due date, both included."""
    return meeting_date, due


def action_ref(meeting: str, number: int) -> str:
    """How an action is named on the command line: ``2024-03-04/1`` (meeting key, then its number)."""
    return f"{meeting}/{number}"


def parse_action_ref(text: str) -> tuple[str, int]:
    """``2024-03-04/1`` → meeting ``2024-03-04``, action 1."""
    meeting, _sep, number = fold((text or "").strip()).rpartition("/")
    if not meeting or not number.isdigit() or int(number) < 1:
        raise InvalidInput(
            _("'{value}' is not an action; name it MEETING/N, such as 2024-03-04/1 (see coord action list)").format(
                value=text
            )
        )
    return meeting, int(number)


def is_open(action: Mapping[str, Any], day: str) -> bool:
    """Whether an action is still open on ``day``: not done, or done only after it (old minutes stay as they were)."""
    return not action.get("done") or action["done"] > day
