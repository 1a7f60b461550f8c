"""Kinds of agreement and the standard clauses each starts from, in both languages.

``coord agreement new --kind service`` drafts a 服务协议 whose effectiveness,
amendment, breach, dispute and counterparts clauses are already written; the
drafter edits them like any other term. A workspace adds or replaces kinds in
``templates/kinds.yaml`` (``kinds_in``); an unknown kind is kept as written.
Texts may say ``{copies}`` (one copy for each party), filled in when drafting.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from coordkit.errors import InvalidInput
from coordkit.i18n import _


class PresetClause(TypedDict):
    section: str  # a CLAUSE_KINDS value, or "dispute" / "communication"
    text: str
    text_zh: str


class Kind(TypedDict):
    name: str
    name_zh: str
    clauses: list[PresetClause]


_EFFECT = PresetClause(
    section="effectiveness",
    text="This agreement takes effect on the day every party has signed and sealed it.",
    text_zh="本协议自各方签字并盖章之日起生效。",
)
_AMEND = PresetClause(
    section="amendment",
    text="Any change to this agreement is agreed by all parties in writing as a supplementary agreement, "
    "which has the same effect as this agreement.",
    text_zh="本协议的变更须经各方协商一致，并以书面补充协议的形式确定；补充协议与本协议具有同等效力。",
)
_END = PresetClause(
    section="termination",
    text="A party that wishes to end this agreement early notifies the other parties in writing at least "
    "30 days in advance; obligations already due are still performed.",
    text_zh="任何一方需提前解除本协议的，应至少提前三十日书面通知其他各方；已到期的义务仍应履行。",
)
_DISPUTE = PresetClause(
    section="dispute",
    text="Disputes arising from this agreement are settled by consultation between the parties; where "
    "consultation fails, any party may ask the street office to mediate, or bring the dispute before the "
    "people's court of the place where this agreement was signed.",
    text_zh="因本协议引起的争议，由各方协商解决；协商不成的，任何一方可提请街道办事处调解，"
    "或向本协议签订地人民法院提起诉讼。",
)
_COPIES = PresetClause(
    section="counterparts",
    text="This agreement is made in {copies} counterparts, one for each party, all equally valid.",
    text_zh="本协议一式{copies}份，各方各执一份，具有同等法律效力。",
)

BUILT_IN: dict[str, Kind] = {
    "cooperation": {
        "name": "Cooperation agreement",
        "name_zh": "合作协议",
        "clauses": [
            _EFFECT,
            _AMEND,
            _END,
            PresetClause(
                section="breach",
                text="A party that fails to perform its obligations under this agreement puts it right within a "
                "reasonable time after being told, and bears the losses its failure causes the other parties.",
                text_zh="任何一方未履行本协议约定义务的，应在接到通知后的合理期限内改正，并承担由此给其他各方造成的损失。",
            ),
            _DISPUTE,
            PresetClause(
                section="communication",
                text="The parties hold a joint meeting every month and keep minutes of it.",
                text_zh="各方每月召开一次联席会议，并形成会议纪要。",
            ),
            _COPIES,
        ],
    },
    "service": {
        "name": "Service agreement",
        "name_zh": "服务协议",
        "clauses": [
            _EFFECT,
            _AMEND,
            _END,
            PresetClause(
                section="breach",
                text="Where the services are not delivered as agreed, the purchasing party may ask for them to be "
                "put right within a set time; where they still fall short, it may reduce the service fee in "
                "proportion to the services not delivered.",
                text_zh="服务方未按约定提供服务的，购买方有权要求其限期整改；整改后仍不符合要求的，"
                "购买方可按未完成服务的比例扣减相应服务费用。",
            ),
            PresetClause(
                section="confidentiality",
                text="The parties keep the personal information of residents obtained in the service confidential "
                "and use it for this service only.",
                text_zh="各方对服务中获取的居民个人信息予以保密，仅用于本项服务。",
            ),
            _DISPUTE,
            _COPIES,
        ],
    },
    "venue": {
        "name": "Venue use agreement",
        "name_zh": "场地使用协议",
        "clauses": [
            _EFFECT,
            _AMEND,
            PresetClause(
                section="breach",
                text="The user keeps the venue clean and safe while using it and returns it as it was received; "
                "damage the user causes is repaired or paid for by the user.",
                text_zh="使用方在使用期间应保持场地清洁和安全，使用结束后按原状交还；"
                "因使用方原因造成的损坏，由使用方负责修复或赔偿。",
            ),
            _DISPUTE,
            _COPIES,
        ],
    },
    "activity": {"name": "Activity agreement", "name_zh": "活动合作协议", "clauses": []},  # coordkit 0.1's kind
}


def kinds_in(workspace: Path | None) -> dict[str, Kind]:
    """The built-in kinds, with the workspace's own ``templates/kinds.yaml`` added over them."""
    found = dict(BUILT_IN)
    path = workspace / "templates" / "kinds.yaml" if workspace is not None else None
    if path is None or not path.is_file():
        return found
    from coordkit.spec import KindsSpec, validate
    from coordkit.yamlio import load_file

    spec = validate(KindsSpec, load_file(path))
    for key, kind in spec.kinds.items():
        found[key] = {
            "name": kind.name,
            "name_zh": kind.name_zh,
            "clauses": [{"section": c.section, "text": c.text, "text_zh": c.text_zh or ""} for c in kind.clauses],
        }
    return found


def kind_names(kind: str) -> tuple[str, str]:
    """English and Chinese names of a kind (a workspace kind unknown here reads as its key)."""
    found = BUILT_IN.get(kind)
    return (found["name"], found["name_zh"]) if found else (kind, kind)


def preset_clauses(kind: str, workspace: Path | None, parties: int) -> list[PresetClause]:
    """The clauses an agreement of ``kind`` starts from, ``{copies}`` filled in; none for an unknown kind."""
    known = kinds_in(workspace)
    if kind not in known:
        return []
    filled = []
    for clause in known[kind]["clauses"]:
        try:
            filled.append(
                PresetClause(
                    section=clause["section"],
                    text=clause["text"].format(copies=parties),
                    text_zh=clause["text_zh"].format(copies=_chinese_count(parties)),
                )
            )
        except (KeyError, IndexError, ValueError) as error:
            raise InvalidInput(
                _("kind '{kind}': a clause has a placeholder coord does not know ({error})").format(
                    kind=kind, error=error
                )
            ) from None
    return filled


def _chinese_count(number: int) -> str:
    """一式三份, 一式两份: small counts in Chinese numerals (contracts write them so); larger ones as digits."""
    return "零一两三四五六七八九十"[number] if 0 <= number <= 10 else str(number)
