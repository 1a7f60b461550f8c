"""Partnership reviews of signed agreements: each party rates five areas 1–5, the coordinator gives a verdict per
obligation, and closing stores the round with its lessons and prints averages and what was not met.

A review points at the signed version and never changes it; every step is an audit event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from coordkit.dates import iso, parse_date, today
from coordkit.errors import InvalidInput
from coordkit.i18n import N_, _, language
from coordkit.storage import events
from coordkit.storage.lookup import lookup_id, resolve_key
from coordkit.storage.sql import Conn, column, execute, insert, rows, scalar, tuples

AREAS = ("communication", "decision-making", "resources", "fulfilment", "trust")
"""The areas each party rates, in this order (the paper's section 4.4: communication, decisions, resources,
fulfilment of obligations, trust)."""
VERDICTS = ("met", "partly", "not-met")
AREA_LABELS = {
    "communication": N_("communication"),
    "decision-making": N_("decision-making"),
    "resources": N_("resources"),
    "fulfilment": N_("fulfilment"),
    "trust": N_("trust"),
}
"""The areas as a reader sees them (the keys are what commands and files take)."""
AREA_QUESTIONS = {
    "communication": N_("do the parties keep each other informed, in time?"),
    "decision-making": N_("are decisions taken together, and kept to?"),
    "resources": N_("does each party bring the people, money and space it promised?"),
    "fulfilment": N_("are the agreement's obligations carried out?"),
    "trust": N_("can the parties rely on each other?"),
}
"""What each area asks, for the rating form (``coord review rate --edit``)."""
VERDICT_LABELS = {"met": N_("met"), "partly": N_("partly met"), "not-met": N_("not met")}
_KEY = re.compile(r"^R-(\d+)$")


def signed_document(conn: Conn, key: str) -> tuple[int, Any]:
    """The version of ``key`` in force, with its id: only signed terms are reviewed."""
    from coordkit.storage.documents import read_documents, version_row

    row = version_row(conn, key)
    if row.status != "signed":
        raise InvalidInput(
            _("{key} version {number} is {status}, not signed; only signed terms are reviewed").format(
                key=key, number=row.number, status=row.status
            )
        )
    return int(row.id), read_documents(conn, version_ids=[int(row.id)])[0]


def review_key(text: str) -> str:
    """``R-0001`` as it is, and ``1`` (the number a coordinator says) as ``R-0001``."""
    text = text.strip()
    return f"R-{int(text):04d}" if text.isdigit() else text


def _next_key(conn: Conn) -> str:
    numbers = [int(m.group(1)) for key in column(conn, "SELECT key FROM review") if (m := _KEY.match(key))]
    return f"R-{max(numbers, default=0) + 1:04d}"


def _row(conn: Conn, key: str) -> Any:
    lookup_id(conn, "review", key, "review")
    return rows(
        conn,
        "SELECT r.id, r.key, a.key AS agreement, v.number, v.id AS version_id, p.key AS project, r.opened_on, "
        "r.closed_on, r.lessons FROM review r JOIN agreement_version v ON v.id = r.version_id "
        "JOIN agreement a ON a.id = v.agreement_id JOIN project p ON p.id = a.project_id WHERE r.key = :k",
        {"k": key},
    )[0]


def _open_row(conn: Conn, key: str) -> Any:
    row = _row(conn, key)
    if row.closed_on is not None:
        raise InvalidInput(
            _("review {key} was closed on {date}; open a new one: coord review open {agreement}").format(
                key=key, date=iso(row.closed_on), agreement=row.agreement
            )
        )
    return row


def _average(scores: list[int]) -> str:
    return str((Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def get_review(conn: Conn, key: str) -> dict[str, Any]:
    """A review with its ratings, verdicts, and averages per area and per party."""
    row = _row(conn, key)
    ratings = [
        {"party": party, "area": area, "score": int(score), "comment": comment}
        for party, area, score, comment in tuples(
            conn,
            "SELECT s.key, g.area, g.score, g.comment FROM review_rating g JOIN stakeholder s ON s.id = g.stakeholder_id "
            "WHERE g.review_id = :r ORDER BY s.key, g.area",
            {"r": row.id},
        )
    ]
    ratings.sort(key=lambda r: (r["party"], AREAS.index(r["area"])))
    verdicts = {
        int(number): verdict
        for number, verdict in tuples(
            conn,
            "SELECT obligation, verdict FROM review_verdict WHERE review_id = :r ORDER BY obligation",
            {"r": row.id},
        )
    }
    by_area: dict[str, list[int]] = defaultdict(list)
    by_party: dict[str, list[int]] = defaultdict(list)
    for rating in ratings:
        by_area[rating["area"]].append(rating["score"])
        by_party[rating["party"]].append(rating["score"])
    _vid, doc = _document(conn, row)
    obligations = doc["obligations"]
    return {
        "key": row.key,
        "agreement": row.agreement,
        "version": int(row.number),
        "project": row.project,
        "opened": iso(row.opened_on),
        "closed": iso(row.closed_on),
        "lessons": row.lessons,
        "ratings": ratings,
        "verdicts": [_verdict(n, v, obligations) for n, v in sorted(verdicts.items())],
        "by_area": {area: _average(by_area[area]) for area in AREAS if by_area[area]},
        "by_party": {party: _average(scores) for party, scores in sorted(by_party.items())},
        "not_met": [_verdict(n, v, obligations) for n, v in sorted(verdicts.items()) if v != "met"],
    }


def _verdict(number: int, value: str, obligations: list[Any]) -> dict[str, Any]:
    found = obligations[number - 1]
    return {
        "obligation": number,
        "party": found["party"],
        "text": found["text"],
        "text_zh": found["text_zh"],
        "verdict": value,
    }


def _document(conn: Conn, row: Any) -> tuple[int, Any]:
    from coordkit.storage.documents import read_documents

    return int(row.version_id), read_documents(conn, version_ids=[int(row.version_id)])[0]


def _day(on: str | None) -> dt.date:
    day = parse_date(on, "--on") or today()
    if day > today():
        raise InvalidInput(_("--on {date} is in the future; record what has happened").format(date=day.isoformat()))
    return day


def open_review(conn: Conn, *, agreement: str, on: str | None = None) -> dict[str, Any]:
    """Start a review of ``agreement``'s signed version (a draft or unsigned agreement is refused)."""
    vid, _doc = signed_document(conn, agreement)
    day = _day(on)
    key = _next_key(conn)
    insert(
        conn,
        "review",
        {
            "key": key,
            "version_id": vid,
            "opened_on": day,
            "recorded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )
    after = get_review(conn, key)
    events.record(conn, action="review.open", entity="review", key=key, after=after)
    return after


def rate(conn: Conn, *, key: str, party: str, area: str, score: int, comment: str | None = None) -> dict[str, Any]:
    """A party's score (1–5) for one area; rating the same area again replaces the score (both kept in history)."""
    from coordkit.domain.values import check_choice

    row = _open_row(conn, key)
    area = check_choice(area, AREAS, "--area")
    if not 1 <= score <= 5:
        raise InvalidInput(_("--score {score}: rate from 1 (poor) to 5 (excellent)").format(score=score))
    sid = _party_id(conn, row, party)
    before = get_review(conn, key)
    execute(
        conn,
        "DELETE FROM review_rating WHERE review_id = :r AND stakeholder_id = :s AND area = :a",
        {"r": row.id, "s": sid, "a": area},
    )
    insert(
        conn,
        "review_rating",
        {
            "review_id": row.id,
            "stakeholder_id": sid,
            "area": area,
            "score": score,
            "comment": (comment or "").strip() or None,
        },
    )
    after = get_review(conn, key)
    events.record(conn, action="review.rate", entity="review", key=key, before=before, after=after)
    return after


def _party_id(conn: Conn, row: Any, party: str) -> int:
    """The rating party's id; ``party`` is its key or its name (猎德人家社工站), as everywhere a key is expected."""
    party = resolve_key(conn, "stakeholder", party)
    _vid, doc = _document(conn, row)
    parties = [p["stakeholder"] for p in doc["parties"]]
    if party not in parties:
        raise InvalidInput(
            _("'{party}' is not a party to {agreement}; its parties are: {parties}").format(
                party=party, agreement=row.agreement, parties=", ".join(parties)
            )
        )
    return lookup_id(conn, "stakeholder", party, "stakeholder")


Form = dict[str, tuple[int | None, str | None]]
"""A party's ratings by area: the score (None: not rated) and the comment."""


def party_ratings(conn: Conn, *, key: str, party: str) -> Form:
    """What ``party`` has rated so far in the open review ``key`` (refused when closed, or not one of its parties)."""
    row = _open_row(conn, key)
    sid = _party_id(conn, row, party)
    found: Form = {area: (None, None) for area in AREAS}
    for area, score, comment in tuples(
        conn,
        "SELECT area, score, comment FROM review_rating WHERE review_id = :r AND stakeholder_id = :s",
        {"r": row.id, "s": sid},
    ):
        found[area] = (int(score), comment)
    return found


def read_form(data: Any) -> Form:
    """The rating form as YAML gives it back: each area with a score from 1 to 5 (or empty) and a comment.

    A score typed with a Chinese input method (``４``) counts. Errors name the area and field.
    """
    from coordkit.domain.values import check_choice

    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInput(_("the form lists the areas, each with a score and a comment under it"))
    found: Form = {}
    for name, value in data.items():
        area = check_choice(str(name), AREAS, "area")
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise InvalidInput(_("{area}: give a score and a comment under it").format(area=area))
        for extra in value:
            if extra not in ("score", "comment"):
                raise InvalidInput(
                    _("{area}: '{name}' is not part of the form; each area has a score and a comment").format(
                        area=area, name=extra
                    )
                )
        score = value.get("score")
        if isinstance(score, str) and score.strip().isdigit():
            score = int(score.strip())
        if score is not None and (isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5):
            raise InvalidInput(
                _("{area}.score {score}: rate from 1 (poor) to 5 (excellent)").format(area=area, score=score)
            )
        comment = value.get("comment")
        comment = str(comment).strip() or None if comment is not None else None
        if comment is not None and score is None:
            raise InvalidInput(_("{area}: a comment needs a score from 1 to 5").format(area=area))
        found[area] = (score, comment)
    return found


def rate_form(conn: Conn, *, key: str, party: str, form: Form) -> int:
    """Record ``party``'s ratings from the form, as ``rate`` would one by one; returns how many changed.

    An area rated before cannot be left empty: a rating is replaced, not withdrawn (the round's history holds it).
    """
    have = party_ratings(conn, key=key, party=party)
    changed = 0
    for area in AREAS:
        score, comment = form.get(area, (None, None))
        if score is None:
            if have[area][0] is not None:
                raise InvalidInput(
                    _(
                        "{area}: rated {score} before; a rating is replaced, not withdrawn: give a score from 1 to 5"
                    ).format(area=area, score=have[area][0])
                )
            continue
        if (score, comment) != have[area]:
            rate(conn, key=key, party=party, area=area, score=score, comment=comment)
            changed += 1
    return changed


def verdict(conn: Conn, *, key: str, obligation: int, value: str) -> dict[str, Any]:
    """The coordinator's verdict on obligation ``obligation``: met, partly or not-met."""
    from coordkit.domain.values import check_choice

    row = _open_row(conn, key)
    value = check_choice(value, VERDICTS, "verdict")
    _vid, doc = _document(conn, row)
    count = len(doc["obligations"])
    if not 1 <= obligation <= count:
        raise InvalidInput(
            _(
                "{key} has {count} obligation(s); there is no obligation {number} (see coord obligation list {key})"
            ).format(key=row.agreement, count=count, number=obligation)
        )
    before = get_review(conn, key)
    execute(conn, "DELETE FROM review_verdict WHERE review_id = :r AND obligation = :n", {"r": row.id, "n": obligation})
    insert(conn, "review_verdict", {"review_id": row.id, "obligation": obligation, "verdict": value})
    after = get_review(conn, key)
    events.record(conn, action="review.verdict", entity="review", key=key, before=before, after=after)
    return after


def close_review(conn: Conn, *, key: str, lessons: str | None = None, on: str | None = None) -> dict[str, Any]:
    """Close the round: its lessons and closing day are stored, and nothing in it changes after."""
    row = _open_row(conn, key)
    day = _day(on)
    if day < dt.date.fromisoformat(iso(row.opened_on) or ""):
        raise InvalidInput(
            _("--on {date} is before the review was opened ({opened})").format(
                date=day.isoformat(), opened=iso(row.opened_on)
            )
        )
    before = get_review(conn, key)
    execute(
        conn,
        "UPDATE review SET closed_on = :d, lessons = :l WHERE id = :r",
        {"d": day, "l": (lessons or "").strip() or None, "r": row.id},
    )
    after = get_review(conn, key)
    events.record(conn, action="review.close", entity="review", key=key, before=before, after=after)
    return after


def amendment_notes(conn: Conn, *, agreement: str, review: str) -> str:
    """The notes an amendment of ``agreement`` starts with: the lessons of its closed ``review`` and the
    obligations judged not met or partly met, in the coordinator's language (``amend --from-review``)."""
    lookup_id(conn, "agreement", agreement, "agreement")
    key = review_key(review)
    row = _row(conn, key)
    if row.agreement != agreement:
        raise InvalidInput(
            _("review {key} is of {other}, not {agreement}; see coord review list {agreement}").format(
                key=key, other=row.agreement, agreement=agreement
            )
        )
    if row.closed_on is None:
        raise InvalidInput(
            _("review {key} is still open; close it with its lessons first: coord review close {key}").format(key=key)
        )
    found = get_review(conn, key)
    zh = language() == "zh"
    lines = [
        _("From review {key} of {agreement} v{version}, closed on {date}.").format(
            key=key, agreement=agreement, version=found["version"], date=found["closed"]
        )
    ]
    if found["lessons"]:
        lines += [_("Lessons learned:"), found["lessons"]]
    if found["not_met"]:
        lines.append(_("Obligations not met or partly met:"))
        for item in found["not_met"]:
            text = (item["text_zh"] or item["text"]) if zh else item["text"]
            lines.append(
                _("- {number}. {party}: {text} ({verdict})").format(
                    number=item["obligation"],
                    party=item["party"],
                    text=text,
                    verdict=_(VERDICT_LABELS[item["verdict"]]),
                )
            )
    return "\n".join(lines)


def list_reviews(conn: Conn, *, agreement: str | None = None) -> list[dict[str, Any]]:
    where, params = "", {"k": agreement}
    if agreement is not None:
        lookup_id(conn, "agreement", agreement, "agreement")
        where = " WHERE a.key = :k"
    found = []
    for key, akey, number, opened, closed in tuples(
        conn,
        "SELECT r.key, a.key, v.number, r.opened_on, r.closed_on FROM review r "
        f"JOIN agreement_version v ON v.id = r.version_id JOIN agreement a ON a.id = v.agreement_id{where} "
        "ORDER BY r.key",
        params,
    ):
        count = scalar(
            conn,
            "SELECT count(*) FROM review_rating g JOIN review r ON r.id = g.review_id WHERE r.key = :k",
            {"k": key},
        )
        found.append(
            {
                "key": key,
                "agreement": akey,
                "version": int(number),
                "opened": iso(opened),
                "closed": iso(closed),
                "ratings": int(count or 0),
            }
        )
    return found


def last_reviews(conn: Conn) -> dict[str, str]:
    """The day each agreement's latest review was opened (``storage.documents.last_reviews``)."""
    from coordkit.storage.documents import last_reviews as read

    return read(conn)


def _file_review(review: dict[str, Any]) -> dict[str, Any]:
    """A review as files and the store both give it (ratings by party and area, verdicts by obligation)."""
    ratings = sorted(
        (
            {"party": r["party"], "area": r["area"], "score": int(r["score"]), "comment": r.get("comment")}
            for r in review.get("ratings") or []
        ),
        key=lambda r: (r["party"], AREAS.index(r["area"])),
    )
    return {
        "key": review["key"],
        "opened": iso(review["opened"]),
        "closed": iso(review.get("closed")),
        "lessons": review.get("lessons"),
        "ratings": ratings,
        "verdicts": sorted(
            ({"obligation": int(v["obligation"]), "verdict": v["verdict"]} for v in review.get("verdicts") or []),
            key=lambda v: v["obligation"],
        ),
    }


def export_reviews(conn: Conn) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """Each version's reviews in the shape of workspace files (``reviews:`` of an agreement)."""
    found: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for key, akey, number in tuples(
        conn,
        "SELECT r.key, a.key, v.number FROM review r JOIN agreement_version v ON v.id = r.version_id "
        "JOIN agreement a ON a.id = v.agreement_id ORDER BY r.key",
    ):
        review = get_review(conn, key)
        found[(akey, int(number))].append(
            _file_review(
                {
                    **review,
                    "verdicts": [{"obligation": v["obligation"], "verdict": v["verdict"]} for v in review["verdicts"]],
                }
            )
        )
    return dict(found)


def apply_reviews(conn: Conn, *, agreement: str, reviews: list[dict[str, Any]]) -> None:
    """Apply a file's ``reviews:``: a new review is opened, rated, judged and closed as the commands would; an open
    one takes the file's ratings, verdicts and closing; a closed one never changes."""
    from coordkit.errors import Refused

    stored = {r["key"]: r for reviews_of in export_reviews(conn).values() for r in reviews_of}
    for wanted in (_file_review(r) for r in reviews):
        key = wanted["key"]
        have = stored.get(key)
        if have is not None and have["closed"] is not None:
            if have != wanted:
                raise Refused(_("review '{key}': a closed review never changes").format(key=key))
            continue
        if have is None:
            if _KEY.match(key) is None:
                raise InvalidInput(_("review '{key}': a review's key is R-NNNN").format(key=key))
            vid, _doc = signed_document(conn, agreement)
            insert(
                conn,
                "review",
                {
                    "key": key,
                    "version_id": vid,
                    "opened_on": dt.date.fromisoformat(wanted["opened"]),
                    "recorded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
            )
            events.record(conn, action="review.open", entity="review", key=key, after=get_review(conn, key))
        elif have["opened"] != wanted["opened"]:
            raise Refused(_("review '{key}': the day it was opened never changes").format(key=key))
        for rating in wanted["ratings"]:
            if have is not None and rating in have["ratings"]:
                continue
            rate(
                conn,
                key=key,
                party=rating["party"],
                area=rating["area"],
                score=rating["score"],
                comment=rating["comment"],
            )
        for found in wanted["verdicts"]:
            if have is not None and found in have["verdicts"]:
                continue
            verdict(conn, key=key, obligation=found["obligation"], value=found["verdict"])
        if wanted["closed"] is not None:
            close_review(conn, key=key, lessons=wanted["lessons"], on=wanted["closed"])
