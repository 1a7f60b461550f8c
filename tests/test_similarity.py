"""Similar duty titles: the pairs that must be reported, the ones that must not, and blocking that loses none."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordkit.checks.similarity import (
    DEFAULT_THRESHOLD,
    SimilarPair,
    TitleRow,
    candidate_pairs,
    chinese_features,
    dice,
    english_features,
    features,
    similar_pairs,
)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "en")


def pair(first: str, second: str, *, threshold: float = DEFAULT_THRESHOLD) -> list[SimilarPair]:
    return similar_pairs([TitleRow(1, "p", first), TitleRow(2, "p", second)], threshold=threshold)


@pytest.mark.parametrize(
    ("first", "second", "score"),
    [
        ("Publicise the project", "Project publicity", 1.0),
        ("Run the monthly market", "Running the monthly market", 1.0),
        ("Provide the venue for the market", "Provide a venue for the market", 1.0),
        ("Publicize the project", "PUBLICISING THE PROJECT!", 1.0),
        ("Publicise the project", "Publicise the project online", 0.8),
        ("项目宣传", "宣传项目", 6 / 7),
        ("组织志愿者培训", "志愿者培训组织", 12 / 13),
        ("项目的宣传", "项目宣传", 12 / 13),
        ("提供市场场地", "提供市场的场地", 18 / 19),
    ],
)
def test_same_work_under_two_names_is_reported(first: str, second: str, score: float) -> None:
    found = pair(first, second)
    assert [(p.first.title, p.second.title) for p in found] == [(first, second)]
    assert found[0].score == pytest.approx(score)


@pytest.mark.parametrize(
    ("first", "second", "score"),
    [
        ("课程规划", "资金筹措", 0.0),
        ("Plan the courses", "Raise the funds", 0.0),
        ("Market venue", "Market publicity", 0.5),  # one word of two differs, and it is the work
        ("Organise community activities", "Organise community training", 2 / 3),
        ("Provide the venue for the monthly market", "Provide the venue for the monthly festival", 0.75),
        ("市场场地", "市场宣传", 6 / 13),
        ("组织社区活动", "组织社区培训", 7 / 11),
        ("居民参与", "居民参观", 5 / 7),
    ],
)
def test_different_work_is_not_reported(first: str, second: str, score: float) -> None:
    assert pair(first, second) == []
    en = dice(english_features(first), english_features(second))
    zh = dice(chinese_features(first), chinese_features(second))
    assert max(en, zh) == pytest.approx(score)


def test_the_threshold_moves_the_line() -> None:
    assert pair("Market venue", "Market publicity", threshold=0.5)[0].score == 0.5
    assert pair("Publicise the project", "Publicise the project online", threshold=0.81) == []


def test_english_features_fold_case_width_punctuation_stop_words_and_spelling() -> None:
    assert english_features("Ｐｕｂｌｉｃｉｓｅ  the project's publicity, (again)!") == {"public", "project", "again"}
    assert english_features("Organise / organisation / organizer") == {"organiz"}
    assert english_features("Residents’ meeting") == english_features("the resident's meetings") == {"resid", "meet"}
    assert english_features("the of and") == frozenset()


def test_chinese_features_are_characters_and_bigrams_within_runs() -> None:
    assert chinese_features("项目宣传") == {"项", "目", "宣", "传", "项目", "目宣", "宣传"}
    assert chinese_features("宣传，招募") == chinese_features("宣传、招募") == {"宣", "传", "招", "募", "宣传", "招募"}
    assert chinese_features("Project publicity") == frozenset()


def test_chinese_typed_into_the_english_title_counts_as_chinese() -> None:
    rows = [TitleRow(1, "p", "项目宣传"), TitleRow(2, "p", "Project publicity", "宣传项目")]
    (found,) = similar_pairs(rows, threshold=DEFAULT_THRESHOLD)
    assert (found.language, found.titles()) == ("zh", ("项目宣传", "Project publicity"))
    assert features(rows[0]) == (frozenset(), chinese_features("项目宣传"))


def test_the_better_language_scores_and_is_shown() -> None:
    rows = [
        TitleRow(7, "p", "Market publicity", "市场宣传"),
        TitleRow(3, "p", "Publicity for the market", "宣传本次市场"),
    ]
    (found,) = similar_pairs(rows)
    assert (found.first.id, found.second.id, found.language, found.score) == (3, 7, "en", 1.0)
    assert found.describe() == "'Publicity for the market' and 'Market publicity' look like the same duty (100% alike)"
    zh = similar_pairs([TitleRow(1, "p", "Publicise the project", "项目宣传"), TitleRow(2, "p", "Posters", "宣传项目")])
    assert zh[0].describe() == "'项目宣传' and '宣传项目' look like the same duty (86% alike)"
    assert zh[0].hint() == "merge them into one duty, or make their titles say how the work differs"


def test_pairs_stay_within_one_project_and_come_in_order() -> None:
    rows = [
        TitleRow(1, "b", "Project publicity"),
        TitleRow(2, "a", "Project publicity"),
        TitleRow(3, "b", "Publicise the project"),
        TitleRow(4, "b", "Publicise the project online"),
        TitleRow(5, "a", "Plan the courses"),
    ]
    found = similar_pairs(rows)
    assert [(p.project, p.first.id, p.second.id, p.score) for p in found] == [
        ("b", 1, 3, 1.0),
        ("b", 1, 4, 0.8),
        ("b", 3, 4, 0.8),
    ]


def test_a_bad_threshold_is_a_programming_error() -> None:
    for bad in (0, -0.1, 1.01):
        with pytest.raises(ValueError, match="threshold must be above 0 and at most 1"):
            similar_pairs([], threshold=bad)


def test_common_tokens_are_not_indexed() -> None:
    """40 titles share "organise" and "community": blocking compares only those sharing a rarer word."""
    things = [f"thing{i}" for i in range(20)]
    rows = [TitleRow(i, "p", f"Organise community {things[i % 20]} {things[(i * 7 + 3) % 20]}") for i in range(40)]
    pairs = candidate_pairs(rows)
    assert 0 < len(pairs) < len(rows) * (len(rows) - 1) // 2 // 4
    brute = {
        (i, j) for i, j in itertools.combinations(range(40), 2) if dice(*(features(rows[k])[0] for k in (i, j))) >= 0.8
    }
    assert brute <= pairs


WORDS = ["publicise", "project", "market", "venue", "monthly", "run", "courses", "funds", "plan", "raise", "online"]
HAN = "项目宣传市场地组织志愿者培训的"
titles = st.tuples(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=5).map(" ".join),
    st.one_of(st.none(), st.text(alphabet=HAN, max_size=7)),
    st.sampled_from(["p", "q"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(titles, max_size=25), st.sampled_from([0.5, 0.6, 2 / 3, 0.75, 0.8, 0.9, 1.0]))
def test_blocking_finds_every_pair_scoring_all_pairs_finds(rows: list[tuple[str, str | None, str]], t: float) -> None:
    titled = [TitleRow(i, project, en, zh) for i, (en, zh, project) in enumerate(rows)]
    brute = set()
    for a, b in itertools.combinations(titled, 2):
        fa, fb = features(a), features(b)
        score = max(dice(fa[0], fb[0]), dice(fa[1], fb[1]))
        if a.project == b.project and score >= t - 1e-9:
            brute.add((a.id, b.id, round(score, 9)))
    assert {(p.first.id, p.second.id, round(p.score, 9)) for p in similar_pairs(titled, threshold=t)} == brute
