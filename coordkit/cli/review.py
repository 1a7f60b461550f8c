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
    lines += [f"  {area_label(area)}: {score}" for area, score in review["by_area"].items()] or ["  -"]
    lines.append(_("Averages by party:"))
    lines += [f"  {party}: {score}" for party, score in review["by_party"].items()] or ["  -"]
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
        _("Areas: communication, decision-making, resources, fulfilment, trust. Rating an area again replaces it."),
        example="coord review rate R-0001 --party liede-sw --area communication --score 4 --comment 'Weekly calls'",
    ),
)
def rate(
    key: ReviewArg,
    party: Annotated[str, typer.Option("--party", help=_("The party giving the score."))],
    area: Annotated[str, typer.Option("--area", help=_("The area rated."))],
    score: Annotated[int, typer.Option("--score", help=_("From 1 (poor) to 5 (excellent)."))],
    comment: Annotated[str | None, typer.Option("--comment", help=_("Why this score."))] = None,
) -> None:
    from coordkit.services.reviews import rate as rate_

    with store() as opened, opened.write() as conn:
        rate_(conn, key=key, party=party, area=area, score=score, comment=comment)
    say(_("{party} rated {area} {score}/5 in review {key}.").format(party=party, area=area, score=score, key=key))


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
