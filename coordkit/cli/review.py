"""coord review: partnership reviews of signed agreements, rated by the parties, closed with lessons learned."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from coordkit.cli.context import store
from coordkit.cli.display import emit, emit_record, say
from coordkit.cli.helptext import helptext
from coordkit.cli.options import FormatOpt, ListFormat, OutputOpt, ShowFormat, ShowFormatOpt
from coordkit.i18n import _

app = typer.Typer(
    help=helptext(
        _("Partnership reviews: each party rates the cooperation, lessons are kept."),
        example="coord review open AGR-2024-001 --on 2024-07-05",
    ),
    no_args_is_help=True,
)

ReviewArg = Annotated[str, typer.Argument(help=_("The review's key, such as R-0001."))]
WhenOpt = Annotated[str | None, typer.Option("--on", help=_("When it happened, YYYY-MM-DD (default: today)."))]


def area_label(area: str) -> str:
    """An area as the reader calls it (``trust`` → 相互信任); commands and files keep the key."""
    from coordkit.services.reviews import AREA_LABELS

    return _(AREA_LABELS[area])


def _obligation_line(item: dict[str, Any]) -> str:
    from coordkit.i18n import language
    from coordkit.services.reviews import VERDICT_LABELS

    text = (item["text_zh"] or item["text"]) if language() == "zh" else item["text"]
    return _("  {number}. {party}: {text} ({verdict})").format(
        number=item["obligation"], party=item["party"], text=text, verdict=_(VERDICT_LABELS[item["verdict"]])
    )


def summary_lines(review: dict[str, Any]) -> list[str]:
    """Averages per area and per party, and the obligations not met: what closing prints."""
    lines = [_("Averages by area:")]
    average = _("  {name}: {score}")
    lines += [average.format(name=area_label(area), score=score) for area, score in review["by_area"].items()]
    lines += [] if review["by_area"] else ["  -"]
    lines.append(_("Averages by party:"))
    lines += [average.format(name=party, score=score) for party, score in review["by_party"].items()] or ["  -"]
    lines.append(_("Obligations not met:"))
    lines += [_obligation_line(item) for item in review["not_met"]] or ["  -"]
    return lines


@app.command(
    "open",
    help=helptext(
        _("Start a partnership review of a signed agreement."),
        example="coord review open AGR-2024-001 --on 2024-07-05",
    ),
)
def open_(agreement: Annotated[str, typer.Argument(help=_("The agreement's key."))], on: WhenOpt = None) -> None:
    from coordkit.services.reviews import open_review

    with store() as opened, opened.write() as conn:
        found = open_review(conn, agreement=agreement, on=on)
    say(_("Opened review {key} of {agreement}.").format(key=found["key"], agreement=agreement))


@app.command(
    "rate",
    help=helptext(
        _("A party rates one area of the partnership from 1 (poor) to 5 (excellent)."),
        _(
            "Areas: communication, decision-making, resources, fulfilment, trust. Rating an area again replaces it. "
            "With --edit, every area opens as a form in $VISUAL or $EDITOR, with the party's scores so far; an "
            "invalid form reopens with its errors on top."
        ),
        example="coord review rate R-0001 --party liede-sw --area communication --score 4 --comment 'Weekly calls'",
    ),
)
def rate(
    key: ReviewArg,
    party: Annotated[str, typer.Option("--party", help=_("The party giving the score."))],
    area: Annotated[str | None, typer.Option("--area", help=_("The area rated."))] = None,
    score: Annotated[int | None, typer.Option("--score", help=_("From 1 (poor) to 5 (excellent)."))] = None,
    comment: Annotated[str | None, typer.Option("--comment", help=_("Why this score."))] = None,
    edit: Annotated[bool, typer.Option("--edit", help=_("Rate every area in a form in your editor."))] = False,
) -> None:
    from coordkit.errors import InvalidInput
    from coordkit.services.reviews import rate as rate_

    if edit:
        if area is not None or score is not None or comment is not None:
            raise InvalidInput(_("--edit rates every area in the form; leave out --area, --score and --comment"))
        _rate_in_editor(key, party)
        return
    if area is None or score is None:
        raise InvalidInput(_("give --area and --score, or --edit to rate every area in a form"))
    from coordkit.domain.values import check_choice
    from coordkit.services.reviews import AREAS

    with store() as opened, opened.write() as conn:
        rate_(conn, key=key, party=party, area=area, score=score, comment=comment)
    named = area_label(check_choice(area, AREAS, "--area"))  # as the five-area form and review show name it
    say(_("{party} rated {area} {score}/5 in review {key}.").format(party=party, area=named, score=score, key=key))


def rating_form(key: str, agreement: str, party: str, have: dict[str, tuple[int | None, str | None]]) -> str:
    """The YAML form of ``party``'s ratings: the scale and each area's question as comments, in the reader's
    language; the keys stay as commands and files write them."""
    import json

    from coordkit.services.reviews import AREA_QUESTIONS, AREAS

    lines = [
        "# "
        + _("{party} rates the partnership of {agreement} (review {key}).").format(
            party=party, agreement=agreement, key=key
        ),
        "# " + _("Give each area a score: 1 poor, 2 weak, 3 fair, 4 good, 5 excellent; say why in the comment."),
        "# " + _("Leave an area's score empty to skip it. Lines starting with # are ignored."),
    ]
    for area in AREAS:
        score, comment = have.get(area, (None, None))
        lines += [
            "",
            "# " + _("{area}: {question}").format(area=area_label(area), question=_(AREA_QUESTIONS[area])),
            f"{area}:",
            "  score:" + (f" {score}" if score is not None else ""),
            "  comment:" + (f" {json.dumps(comment, ensure_ascii=False)}" if comment else ""),
        ]
    return "\n".join(lines) + "\n"


def _rate_in_editor(key: str, party: str) -> None:
    from coordkit.cli.editing import edit_until_valid
    from coordkit.services.reviews import get_review, party_ratings, rate_form, read_form, review_key
    from coordkit.yamlio import load_text

    key = review_key(key)
    with store() as opened, opened.read() as conn:
        have = party_ratings(conn, key=key, party=party)
        agreement = get_review(conn, key)["agreement"]
    changed: list[int] = []

    def accept(edited: str) -> None:
        form = read_form(load_text(edited, f"{key}-{party}.yaml").data)
        with store() as opened, opened.write() as conn:
            changed.append(rate_form(conn, key=key, party=party, form=form))

    header = "# " + _("Save and close to record the ratings, or leave the form unchanged to cancel.")
    missing = _("set EDITOR (or VISUAL), or rate one area with --area and --score")
    form = rating_form(key, agreement, party, have)
    if not edit_until_valid(form, name=f"{key}-{party}.yaml", header=header, missing=missing, accept=accept):
        say(_("No change."))
        return
    say(
        _("{party} rated {count} area(s) in review {key}.").format(
            party=party, count=changed[-1] if changed else 0, key=key
        )
    )


@app.command(
    "verdict",
    help=helptext(
        _("Record the verdict on one obligation: met, partly or not-met."),
        example="coord review verdict R-0001 --obligation 19 partly",
    ),
)
def verdict(
    key: ReviewArg,
    value: Annotated[str, typer.Argument(help=_("met, partly or not-met."))],
    obligation: Annotated[int, typer.Option("--obligation", help=_("The obligation's number."))],
) -> None:
    from coordkit.services.reviews import verdict as verdict_

    with store() as opened, opened.write() as conn:
        verdict_(conn, key=key, obligation=obligation, value=value)
    say(_("Review {key}: obligation {number} {verdict}.").format(key=key, number=obligation, verdict=value))


@app.command(
    "close",
    help=helptext(
        _("Close a review with its lessons; prints averages and what was not met."),
        example="coord review close R-0001 --lessons 'Share the market plan a week earlier' --on 2024-07-20",
    ),
)
def close(
    key: ReviewArg,
    lessons: Annotated[str | None, typer.Option("--lessons", help=_("Lessons learned, for the next round."))] = None,
    on: WhenOpt = None,
) -> None:
    from coordkit.services.reviews import close_review

    with store() as opened, opened.write() as conn:
        found = close_review(conn, key=key, lessons=lessons, on=on)
    typer.echo("\n".join(summary_lines(found)))
    say(_("Closed review {key} on {date}.").format(key=key, date=found["closed"]))


@app.command(
    "list",
    help=helptext(_("List reviews, newest key last."), example="coord review list AGR-2024-001"),
)
def list_(
    agreement: Annotated[str | None, typer.Argument(help=_("Only this agreement's reviews."))] = None,
    fmt: FormatOpt = ListFormat.table,
    output: OutputOpt = None,
) -> None:
    from coordkit.services.reviews import list_reviews

    with store() as opened, opened.read() as conn:
        found = list_reviews(conn, agreement=agreement)
    columns = [("key", "key"), ("agreement", "agreement"), ("version", "v"), ("opened", "opened")]
    columns += [("closed", "closed"), ("ratings", "ratings")]
    emit(found, found, columns, fmt.value, output, title=_("Reviews"))


@app.command(
    "show",
    help=helptext(_("Show a review: ratings, verdicts, averages and lessons."), example="coord review show R-0001"),
)
def show(key: ReviewArg, fmt: ShowFormatOpt = ShowFormat.table, output: OutputOpt = None) -> None:
    from coordkit.services.reviews import get_review

    with store() as opened, opened.read() as conn:
        found = get_review(conn, key)
    if fmt != ShowFormat.table:
        emit_record(found, fmt.value, output)
        return
    flat = {name: found[name] for name in ("key", "agreement", "version", "project", "opened", "closed", "lessons")}
    flat["ratings"] = "\n".join(
        f"{r['party']} · {area_label(r['area'])} · {r['score']}" + (f" · {r['comment']}" if r["comment"] else "")
        for r in found["ratings"]
    )
    flat["summary"] = "\n".join(summary_lines(found))
    emit_record(flat, "table", output, title=_("Review {key}").format(key=key))
