"""The due list: items, their order, selection and the plain-text digest (coordkit.due)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from coordkit.due import DueItem, digest, order, select
from coordkit.errors import InvalidInput
from tests import zh_catalogue

D = dt.date
ON = D(2024, 9, 1)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "en")


@pytest.fixture
def zh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from zh_catalogue.install(tmp_path, monkeypatch)


REPORT = DueItem(
    kind="obligation",
    date=D(2024, 6, 30),
    title="Quarterly written report to the street office",
    title_zh="每季度向街道办提交书面报告",
    agreement="AGR-2024-001",
    party="qichuang",
    project="liede",
    uid_seed="obligation/AGR-2024-001/0/2024-06-30",
)
ACTIVITY = DueItem(
    kind="obligation",
    date=D(2024, 8, 31),
    title="Large activity, at least 200 people",
    title_zh="大型活动，每场至少200人",
    agreement="AGR-2024-001",
    party="qichuang",
    project="liede",
    status="partly",
    uid_seed="obligation/AGR-2024-001/1/2024-08-31",
)
MET = DueItem(
    kind="obligation",
    date=D(2024, 3, 31),
    title="Quarterly written report to the street office",
    title_zh="每季度向街道办提交书面报告",
    agreement="AGR-2024-001",
    party="qichuang",
    project="liede",
    status="met",
    done_on=D(2024, 3, 28),
    uid_seed="obligation/AGR-2024-001/0/2024-03-31",
)
REVIEW = DueItem(
    kind="review",
    date=D(2024, 9, 1),
    title="Review of results",
    title_zh="合作成效评估",
    agreement="AGR-2024-001",
    project="liede",
    uid_seed="review/AGR-2024-001/2024-09-01",
)
SIGNATURE = DueItem(
    kind="signature",
    date=D(2024, 9, 5),
    title="Venue agreement",
    title_zh="场地合作协议",
    agreement="AGR-2024-002",
    party="street-office",
    project="liede",
    contacts=(("mobile", "13800000000"), ("wechat", "liede-jiedao")),
    uid_seed="signature/AGR-2024-002/1/street-office",
)
MEETING = DueItem(
    kind="meeting",
    date=D(2024, 9, 5),
    title="Monthly coordination meeting",
    title_zh="月度协调会",
    project="liede",
    uid_seed="meeting/liede/2024-09-05",
)
NOTICE = DueItem(
    kind="notice",
    date=D(2024, 9, 30),
    title="Venue agreement renews on 1 January 2025",
    title_zh="场地合作协议将于2025年1月1日自动续期",
    agreement="AGR-2023-007",
    project="market",
    uid_seed="notice/AGR-2023-007/2024-12-31",
)
ALL = [NOTICE, MEETING, SIGNATURE, MET, REVIEW, ACTIVITY, REPORT]


def test_a_due_item_refuses_an_unknown_kind_or_status_and_needs_an_identity() -> None:
    with pytest.raises(ValueError, match="kind 'deadline'"):
        DueItem(kind="deadline", date=ON, title="x", uid_seed="x")
    with pytest.raises(ValueError, match="status 'late'"):
        DueItem(kind="action", date=ON, title="x", uid_seed="x", status="late")
    with pytest.raises(ValueError, match="uid_seed"):
        DueItem(kind="action", date=ON, title="x", uid_seed="")


def test_overdue_means_pending_and_past_its_date() -> None:
    assert REPORT.overdue(ON)
    assert ACTIVITY.overdue(ON)  # partly met is still owed
    assert not MET.overdue(ON)
    assert not REVIEW.overdue(ON)  # due today is not late yet
    assert REVIEW.overdue(ON + dt.timedelta(days=1))


def test_order_puts_overdue_first_oldest_first_then_by_date_then_kind() -> None:
    assert order(ALL, on=ON) == [REPORT, ACTIVITY, MET, REVIEW, SIGNATURE, MEETING, NOTICE]


def test_order_breaks_ties_by_agreement_party_and_title() -> None:
    a = DueItem(kind="action", date=ON, title="b", agreement="AGR-1", party="z", uid_seed="1")
    b = DueItem(kind="action", date=ON, title="a", agreement="AGR-1", party="z", uid_seed="2")
    c = DueItem(kind="action", date=ON, title="a", agreement="AGR-1", party="a", uid_seed="3")
    d = DueItem(kind="action", date=ON, title="a", agreement=None, party=None, uid_seed="4")
    assert order([a, b, c, d], on=ON) == [d, c, b, a]


def test_select_within_days_keeps_overdue_and_the_window() -> None:
    assert select(ALL, on=ON, within_days=14) == [REPORT, ACTIVITY, REVIEW, SIGNATURE, MEETING]
    assert select(ALL, on=ON, within_days=0) == [REPORT, ACTIVITY, REVIEW]
    assert select(ALL, on=ON) == [REPORT, ACTIVITY, REVIEW, SIGNATURE, MEETING, NOTICE]
    assert select(ALL, on=ON, settled=True) == [REPORT, ACTIVITY, MET, REVIEW, SIGNATURE, MEETING, NOTICE]


def test_select_overdue_only_party_and_project() -> None:
    assert select(ALL, on=ON, overdue_only=True) == [REPORT, ACTIVITY]
    assert select(ALL, on=ON, party="street-office") == [SIGNATURE]
    assert select(ALL, on=ON, project="market") == [NOTICE]
    assert select(ALL, on=ON, project="market", overdue_only=True) == []


def test_select_refuses_a_negative_window() -> None:
    with pytest.raises(InvalidInput) as caught:
        select(ALL, on=ON, within_days=-1)
    assert str(caught.value) == "--within -1: give a number of days, 0 or more"


def test_digest_in_english() -> None:
    assert digest(ALL, on=ON, lang="en", within_days=14) == (
        "What is due, 1 September 2024\n"
        "\n"
        "Overdue\n"
        "- 30 June 2024 · Obligation · Quarterly written report to the street office · qichuang · AGR-2024-001"
        " · 63 days overdue\n"
        "- 31 August 2024 · Obligation · Large activity, at least 200 people · qichuang · AGR-2024-001"
        " · 1 day overdue · partly met\n"
        "\n"
        "Due within 14 days\n"
        "- 1 September 2024 · Review · Review of results · AGR-2024-001\n"
        "- 5 September 2024 · Signature missing · Venue agreement · street-office · AGR-2024-002"
        " · mobile 13800000000, WeChat liede-jiedao\n"
        "- 5 September 2024 · Meeting · Monthly coordination meeting\n"
    )


def test_digest_in_chinese(zh: None) -> None:
    assert digest(ALL, on=ON, lang="zh", within_days=14) == (
        "到期事项（2024年9月1日）\n"
        "\n"
        "已逾期\n"
        "- 2024年6月30日 · 履约事项 · 每季度向街道办提交书面报告 · qichuang · AGR-2024-001 · 逾期63天\n"
        "- 2024年8月31日 · 履约事项 · 大型活动，每场至少200人 · qichuang · AGR-2024-001 · 逾期1天 · 部分完成\n"
        "\n"
        "14天内到期\n"
        "- 2024年9月1日 · 成效评估 · 合作成效评估 · AGR-2024-001\n"
        "- 2024年9月5日 · 待签署 · 场地合作协议 · street-office · AGR-2024-002 · 手机 13800000000，微信 liede-jiedao\n"
        "- 2024年9月5日 · 会议 · 月度协调会\n"
    )


def test_digest_language_is_the_parties_not_the_coordinators(zh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "zh")
    assert digest([REVIEW], on=ON, lang="en", within_days=1).splitlines()[0] == "What is due, 1 September 2024"
    monkeypatch.setenv("COORD_LANG", "en")
    assert digest([REVIEW], on=ON, lang="zh_CN", within_days=1).splitlines()[0] == "到期事项（2024年9月1日）"


def test_digest_without_a_window_lists_what_is_coming_and_singular_days() -> None:
    assert digest([NOTICE, MET], on=ON, lang="en") == (
        "What is due, 1 September 2024\n"
        "\n"
        "Coming up\n"
        "- 30 September 2024 · Notice deadline · Venue agreement renews on 1 January 2025 · AGR-2023-007\n"
    )
    assert digest([REVIEW], on=ON, lang="en", within_days=1).splitlines()[2] == "Due within 1 day"


def test_digest_with_nothing_due(zh: None) -> None:
    assert digest([MET], on=ON, lang="en") == "What is due, 1 September 2024\n\nNothing is due.\n"
    assert digest([], on=ON, lang="zh") == "到期事项（2024年9月1日）\n\n暂无到期事项。\n"


def test_digest_keeps_each_item_on_one_line() -> None:
    item = DueItem(kind="action", date=ON, title="Print\nposters  \n", uid_seed="a")
    assert (
        digest([item], on=ON, lang="en", within_days=0).splitlines()[-1]
        == "- 1 September 2024 · Action · Print posters"
    )


def test_digest_refuses_an_unknown_language() -> None:
    with pytest.raises(InvalidInput) as caught:
        digest(ALL, on=ON, lang="fr")
    assert str(caught.value) == "--lang 'fr': use en or zh"


# The Chinese catalogue of these modules (tests/data/schedule.zh.po) must stay whole.

MODULES = ("coordkit/schedule.py", "coordkit/due.py", "coordkit/render/ics.py")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def marked_messages() -> set[str]:
    found: set[str] = set()
    for module in MODULES:
        for _lineno, message, _comments, _context in extract_from_file("python", ROOT / module, keywords=KEYWORDS):
            found.update([message] if isinstance(message, str) else message[:1])
    return found


def test_every_marked_message_has_a_chinese_translation() -> None:
    catalog = zh_catalogue.read_catalog()
    missing = sorted(
        message
        for message in marked_messages()
        if message not in catalog or catalog[message].fuzzy or not all(catalog[message].string)
    )
    assert missing == []
    assert len(marked_messages()) >= 40


def test_translations_keep_their_placeholders() -> None:
    wrong = []
    for message in zh_catalogue.read_catalog():
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set(re.findall(r"\{(\w+)\}", ids[0]))
        if any(set(re.findall(r"\{(\w+)\}", text)) != expected for text in strings):
            wrong.append(ids[0])
    assert wrong == []
