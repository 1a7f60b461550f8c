"""Duties that look like the same work under two names ("Publicise the project" / "Project publicity").

Each title becomes two sets of features, scored separately, and a pair's score is
the higher of the two:

- English: words (NFKC, case-folded, split on anything not a letter or digit),
  minus a small list of stop words, reduced to their Snowball (Porter2) stem
  after British ``-ise`` forms are spelt ``-ize``: "publicise", "publicising",
  "publicity" and "publicized" all become ``public``, "running" and "run" become
  ``run``. Snowball alone leaves "publicise" as ``publicis``, hence the respelling.
- Chinese: for each run of Han characters, its characters and its overlapping
  character bigrams (the mixed unigram+bigram indexing that Chinese retrieval
  settled on). Bigrams keep order, so "课程规划" and "划课程规" are not alike; the
  characters forgive moved words, so "项目宣传" / "宣传项目" (3 bigrams each, 2
  shared, Dice 0.67) score 0.86 and are reported like their English
  "Publicise the project" / "Project publicity". "的" splits a run and is dropped
  ("项目的宣传" is "项目宣传"); other function characters are kept, because "与"
  is also half of "参与".

The score is the Sørensen–Dice coefficient of two sets, 2·|A∩B| / (|A| + |B|).
Sets rather than character edit distance, because stemming has already absorbed
the spelling variants edit distance is good at, while edit distance rewards
letters that two different words happen to share: rapidfuzz's
``token_sort_ratio`` gives "Market venue" / "Market publicity" 0.67 where Dice
gives 0.50, and "项目宣传" / "宣传项目" 0.50 where these features give 0.86. Sets
also allow exact blocking (below), which a string ratio does not.

The default threshold, 0.8, is where titles name the same work: same content
words in any order or form (1.0), one title is another plus one word when the
shorter has 2+ content words ("Publicise the project" / "Publicise the project
online", 0.8), 5 content words of which 4 are shared (0.8), "组织志愿者培训" /
"志愿者培训组织" (0.92). Below it: 4 words sharing 3 ("Provide the venue for the
monthly market" / "... monthly festival", 0.75), 3 sharing 2 ("Organise
community activities" / "Organise community training", 0.67), 2 sharing 1
("Market venue" / "Market publicity", 0.5): the word that differs is the work.

Blocking is prefix filtering with PPJoin's positional filter (Bayardo, Ma, Srikant
2007; Xiao, Wang, Lin, Yu 2008): within one project and language, order every
title's features from rarest to commonest; a pair with Jaccard ≥ t must share one
of the first |x| − ⌈t·|x|⌉ + 1 features of each, so only those are looked up. A
common feature ("project", "组织") is looked up only for a title that has too few
rarer features to reach the threshold without it, so common tokens are skipped
wherever they cannot matter and no pair above the threshold is lost (at the
default threshold a title of 4 features is looked up by its 2 rarest and indexed
by its rarest one). Dice d is Jaccard d / (2 − d). Measured on generated titles
(100 per project): 10,000 titles, about 15,000 candidate pairs of 495,000.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from coordkit.i18n import _
from coordkit.i18n import language as reader_language

DEFAULT_THRESHOLD = 0.8

Language = Literal["en", "zh"]

_STOP_WORDS = (
    "a an the this that these those our its their of for to and or in on at by with from into onto per via "
    "about each every all any be is are as"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[^\W_]+")  # letters and digits; Han characters are removed first
_POSSESSIVE = re.compile(r"['’]s\b")  # "residents' / the project's" lose the s, not just the apostrophe
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_HAN_SEPARATORS = "的"  # a run splits here and the character is dropped
_BRITISH = re.compile(r"is(e|es|ed|ing|ation|ations|er|ers)$")
_EPSILON = 1e-9


class TitleRow(NamedTuple):
    """One duty's titles; ``id`` is the lead's handle (a duty id), ``project`` the scope of comparison."""

    id: int
    project: str
    title: str
    title_zh: str | None = None


@dataclass(frozen=True)
class SimilarPair:
    """Two duties of one project whose titles name the same work; ``first.id < second.id``."""

    first: TitleRow
    second: TitleRow
    score: float  # Dice coefficient, 0..1
    language: Language  # the feature set that scored highest

    @property
    def project(self) -> str:
        return self.first.project

    def titles(self, reader: str = "en") -> tuple[str, str]:
        """The titles that matched: the Chinese ones when Chinese scored or the ``reader`` reads Chinese, if both
        have one."""
        if "zh" in (self.language, reader) and self.first.title_zh and self.second.title_zh:
            return self.first.title_zh, self.second.title_zh
        return self.first.title, self.second.title

    def describe(self) -> str:
        first, second = self.titles(reader_language())
        return _("'{first}' and '{second}' look like the same duty ({percent}% alike)").format(
            first=first, second=second, percent=round(self.score * 100)
        )

    def hint(self) -> str:
        return _("merge them into one duty, or make their titles say how the work differs")


@functools.cache
def _stemmer() -> Callable[[str], str]:
    import snowballstemmer  # type: ignore[import-untyped]  # imported when first needed, not by coord --help

    return functools.lru_cache(maxsize=65536)(snowballstemmer.stemmer("english").stemWord)


def _fold(text: str) -> str:
    """Full-width letters, digits and punctuation to their ASCII forms, then case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def english_features(text: str) -> frozenset[str]:
    """The stems of ``text``'s words that are not stop words ("Project publicity" → {project, public})."""
    stem = _stemmer()
    words = _WORD.findall(_POSSESSIVE.sub("", _HAN_RUN.sub(" ", _fold(text))))
    return frozenset(stem(_BRITISH.sub(r"iz\1", w)) for w in words if w not in STOP_WORDS)


def chinese_features(text: str) -> frozenset[str]:
    """Han characters and bigrams of ``text`` ("项目宣传" → 项 目 宣 传 项目 目宣 宣传)."""
    found: set[str] = set()
    folded = _fold(text)
    for separator in _HAN_SEPARATORS:
        folded = folded.replace(separator, " ")
    for run in _HAN_RUN.findall(folded):
        found.update(run)
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(found)


def features(row: TitleRow) -> tuple[frozenset[str], frozenset[str]]:
    """(English, Chinese) features of both titles: Chinese typed into ``title`` counts as Chinese."""
    return _title_features(row.title, row.title_zh or "")


@functools.lru_cache(maxsize=16384)
def _title_features(title: str, title_zh: str) -> tuple[frozenset[str], frozenset[str]]:
    """Each distinct pair of titles analysed once: duties made from one template share titles across projects
    (the generated reference store has 600 distinct titles among 10,000 duties: 0.6 s → 0.05 s; a store of
    10,000 distinct titles gains nothing and loses nothing)."""
    texts = [title, title_zh]
    return (
        frozenset().union(*(english_features(t) for t in texts)),
        frozenset().union(*(chinese_features(t) for t in texts)),
    )


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """2·|A∩B| / (|A| + |B|); 0 when either set is empty."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _blocked(sets: Sequence[tuple[int, frozenset[str]]], jaccard: float) -> Iterator[tuple[int, int]]:
    """Pairs (i, j) that can reach Jaccard ≥ ``jaccard``: PPJoin over the sets, smallest first.

    A set x probes the index with its first |x| − ⌈t·|x|⌉ + 1 features and is indexed by its
    first |x| − ⌈2t/(1+t)·|x|⌉ + 1 (every later set is at least as large, so needs at least
    that overlap); a pair needs ⌈t/(1+t)·(|x| + |y|)⌉ shared features, and a match at
    positions i and j leaves at most min(|x| − i, |y| − j) − 1 more, which prunes the rest.
    """
    frequency: Counter[str] = Counter()
    for _row, features_ in sets:
        frequency.update(features_)
    # rarest first, ties by the feature itself: one rank per feature, so that sorting each set asks a dict
    rank = {feature: n for n, (_count, feature) in enumerate(sorted((c, f) for f, c in frequency.items()))}
    ordered = sorted((len(f), row, sorted(f, key=rank.__getitem__)) for row, f in sets)
    index: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # feature -> (row, position, size)
    share = jaccard / (1 + jaccard)
    for size, row, tokens in ordered:
        smallest = jaccard * size - _EPSILON
        overlap: dict[int, int] = {}  # other row -> features shared so far, or -1 once it cannot reach
        for i, token in enumerate(tokens[: size - math.ceil(jaccard * size - _EPSILON) + 1]):
            for other, j, other_size in index.get(token, ()):
                seen = overlap.get(other, 0)
                if seen < 0 or other_size < smallest:
                    continue
                needed = math.ceil(share * (size + other_size) - _EPSILON)
                overlap[other] = seen + 1 if seen + min(size - i, other_size - j) >= needed else -1
        for i, token in enumerate(tokens[: size - math.ceil(2 * share * size - _EPSILON) + 1]):
            index[token].append((row, i, size))
        yield from ((other, row) for other, seen in overlap.items() if seen > 0)


def _by_language(
    found: Sequence[tuple[frozenset[str], frozenset[str]]], titles: Sequence[TitleRow]
) -> Iterator[tuple[int, list[tuple[int, frozenset[str]]]]]:
    """(language, [(position, features)]) for each project and language, in the order of ``titles``."""
    by_project: dict[str, list[int]] = defaultdict(list)
    for position, row in enumerate(titles):
        by_project[row.project].append(position)
    for positions in by_project.values():
        for language in (0, 1):
            yield language, [(p, found[p][language]) for p in positions if found[p][language]]


def candidate_pairs(titles: Sequence[TitleRow], *, threshold: float = DEFAULT_THRESHOLD) -> set[tuple[int, int]]:
    """Positions (i < j) in ``titles`` of the pairs the blocking lets through to scoring (to measure it)."""
    _check_threshold(threshold)
    jaccard = threshold / (2 - threshold)
    found = [features(row) for row in titles]
    return {(min(i, j), max(i, j)) for _l, sets in _by_language(found, titles) for i, j in _blocked(sets, jaccard)}


def _check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be above 0 and at most 1, not {threshold}")


def similar_pairs(titles: Sequence[TitleRow], *, threshold: float = DEFAULT_THRESHOLD) -> list[SimilarPair]:
    """Pairs of one project scoring ``threshold`` or more, by project, best first, then by ids."""
    _check_threshold(threshold)
    jaccard = threshold / (2 - threshold)
    found = [features(row) for row in titles]
    matched: set[tuple[int, int]] = set()
    for kind, sets in _by_language(found, titles):
        for i, j in _blocked(sets, jaccard):
            if dice(found[i][kind], found[j][kind]) >= threshold - _EPSILON:
                matched.add((min(i, j), max(i, j)))
    pairs = []
    for i, j in matched:
        first, second = titles[i], titles[j]
        if first.id == second.id:
            continue
        if second.id < first.id:
            i, j, first, second = j, i, second, first
        english, chinese = dice(found[i][0], found[j][0]), dice(found[i][1], found[j][1])
        language: Language = "zh" if chinese > english else "en"
        pairs.append(SimilarPair(first, second, max(english, chinese), language))
    pairs.sort(key=lambda p: (p.project, -p.score, p.first.id, p.second.id))
    return pairs
