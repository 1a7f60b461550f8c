"""Listing, copying and checking the document templates."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, cast

from coordkit.domain.agreements import AgreementDoc
from coordkit.domain.stakeholders import Stakeholder
from coordkit.errors import CoordError, InvalidInput, did_you_mean
from coordkit.i18n import _
from coordkit.render.environment import builtin_dir

DOCX = "agreement.docx"


def _builtin_names() -> list[str]:
    return sorted([p.name for p in builtin_dir().glob("*.j2")] + [DOCX])


def list_templates(workspace: Path) -> list[dict[str, Any]]:
    own = workspace / "templates"
    names = set(_builtin_names()) | ({p.name for p in own.iterdir() if p.is_file()} if own.is_dir() else set())
    rows = []
    for name in sorted(names):
        mine = own / name
        if mine.is_file():
            source = "workspace (overrides built-in)" if name in _builtin_names() else "workspace"
            rows.append({"name": name, "source": source, "path": str(mine)})
        else:
            path = "(made by coordkit/render/docx.py)" if name == DOCX else str(builtin_dir() / name)
            rows.append({"name": name, "source": "built-in", "path": path})
    return rows


def copy_template(name: str, workspace: Path, *, force: bool = False) -> Path:
    if name not in _builtin_names():
        hint = did_you_mean(name, _builtin_names(), otherwise=_("built-in"))
        raise InvalidInput(_("no built-in template '{name}'").format(name=name) + hint)
    target = workspace / "templates" / name
    if target.exists() and not force:
        raise InvalidInput(_("{path} exists; pass --force to replace it").format(path=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    if name == DOCX:
        from coordkit.render.docx import build_template

        target.write_bytes(build_template())
    else:
        shutil.copyfile(builtin_dir() / name, target)
    return target


SAMPLE_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
SAMPLE_STATUSES = ("draft", "circulating", "signed", "superseded", "terminated")


def _pair(text: str, text_zh: str, **more: Any) -> dict[str, Any]:
    return {"text": text, "text_zh": text_zh, **more}


def sample_agreement(status: str = "signed") -> tuple[AgreementDoc, list[Stakeholder]]:
    """A form-2 agreement with every field set, in both languages, for ``template check`` and the tests.

    ``status`` picks the moment of its life: a draft (no terms hash, no signatures),
    circulating (frozen, nobody has signed), signed (every party, seals recorded),
    superseded by version 2, or terminated.
    """
    if status not in SAMPLE_STATUSES:
        raise ValueError(f"no sample for status {status!r}")
    parties: list[dict[str, Any]] = [
        {
            "stakeholder": "liede-street",
            "label": "Party A",
            "name": "Liede Street Office",
            "name_zh": "猎德街道办事处",
            "address": "广州市天河区猎德路100号",
            "legal_representative": "李伟",
            "registration_number": "11440106MB2C12345X",
            "signer": {"name": "李伟", "title": "主任"},
            "key_fingerprint": None,
        },
        {
            "stakeholder": "liede-sw",
            "label": "Party B",
            "name": "Liede Social Work Station",
            "name_zh": "猎德社工站",
            "address": "广州市天河区猎德大道2号",
            "legal_representative": "陈静",
            "registration_number": "52440106MJL123456A",
            "signer": {"name": "陈静", "title": "站长"},
            "key_fingerprint": None,
        },
        {
            "stakeholder": "liede-committee",
            "label": "Party C",
            "name": "Liede Neighbourhood Committee",
            "name_zh": "猎德社区居民委员会",
            "address": None,
            "legal_representative": "黄丽",
            "registration_number": "55440106MEA123456B",
            "signer": {"name": "黄丽", "title": "主任"},
            "key_fingerprint": None,
        },
    ]
    frozen = status != "draft"
    signed = status in ("signed", "superseded", "terminated")
    doc: dict[str, Any] = {
        "key": "AGR-2024-001",
        "version": 1,
        "versions": 2 if status == "superseded" else 1,
        "project": "liede-renjia",
        "kind": "cooperation",
        "kind_name": "Cooperation agreement",
        "kind_name_zh": "合作协议",
        "title": "Monthly public-welfare market",
        "title_zh": "公益市集合作协议",
        "status": status,
        "effective": "2024-03-01",
        "expires": "2024-12-31",
        "notice": "30d",
        "renewal": "none",
        "review_every": "3m",
        "languages": ["en", "zh"],
        "form": 2,
        "terms_hash": SAMPLE_HASH if frozen else None,
        "fingerprint": SAMPLE_HASH[:12] if frozen else None,
        "frozen_at": "2024-02-20T08:00:00+00:00" if frozen else None,
        "terminated_on": "2024-06-30" if status == "terminated" else None,
        "termination_reason": "场地改建，市集停办" if status == "terminated" else None,
        "notes": None,
        "superseded_by": 2 if status == "superseded" else None,
        "parties": parties,
        "goals": [
            _pair("A monthly market run by residents", "每月由居民自主运营一次公益市集"),
            _pair("Bring neighbours, merchants and volunteers together", "促进邻里、商户与志愿者互动交流"),
        ],
        "methods": [
            _pair(
                "The street office funds the market; the social work station plans and runs it",
                "街道办事处出资支持，社工站负责策划与运营",
            ),
            _pair(
                "The neighbourhood committee lends the square and mobilises residents", "居委会提供场地并动员居民参与"
            ),
        ],
        "dispute_resolution": [
            _pair("The parties first settle a dispute by consultation", "各方因本协议发生争议的，应首先友好协商解决"),
            _pair(
                "If consultation fails, any party may bring the dispute to the people's court of Tianhe District",
                "协商不成的，任何一方均可向天河区人民法院提起诉讼",
            ),
        ],
        "communication": [
            _pair(
                "A joint meeting of all parties on the first Monday of every month",
                "各方于每月第一个星期一召开联席会议",
            )
        ],
        "clauses": [
            _pair(
                "This agreement takes effect when every party has signed and sealed it",
                "本协议自各方签字并盖章之日起生效",
                section="effectiveness",
            ),
            _pair(
                "Any change to this agreement is made in writing and signed by every party",
                "本协议的任何变更须经各方书面签署",
                section="amendment",
            ),
            _pair(
                "If the market can no longer be held, the parties may end this agreement by consultation",
                "因客观原因市集无法继续举办的，经各方协商一致可解除本协议",
                section="termination",
            ),
            _pair(
                "A party that fails its obligations and causes loss to another party compensates that loss",
                "任何一方未履行本协议约定义务给其他方造成损失的，应依法承担赔偿责任",
                section="breach",
            ),
            _pair(
                "This agreement is made in three counterparts, one for each party, each equally authentic",
                "本协议一式三份，各方各执一份，具有同等法律效力",
                section="counterparts",
            ),
        ],
        "rights": [
            _pair("Inspect the market at any time", "随时检查市集运营情况", party="liede-street"),
            _pair("Use the square on market days", "在市集日使用猎德广场", party="liede-sw"),
        ],
        "obligations": [
            _pair(
                "Pay the funds in two instalments",
                "分两期拨付项目资金",
                party="liede-street",
                duty="market-funding",
                **{"as": "A"},
                due="2024-03-15",
                every=None,
                target=None,
            ),
            _pair(
                "Plan and run the market",
                "策划并组织实施公益市集",
                party="liede-sw",
                duty="market-plan",
                **{"as": "R"},
                due=None,
                every="1m",
                target={"amount": "7", "unit": "sessions", "each_min": "200", "each_unit": "people"},
            ),
            _pair(
                "Report progress to Party A",
                "向甲方报告工作进展",
                party="liede-sw",
                duty="progress-report",
                **{"as": "R"},
                due=None,
                every="3m",
                target=None,
            ),
            _pair(
                "Keep the square open and safe on market days",
                "保障市集日广场开放与安全",
                party="liede-committee",
                duty="market-venue",
                **{"as": "R"},
                due=None,
                every=None,
                target=None,
            ),
        ],
        "resources": [
            {
                "party": "liede-street",
                "kind": "funds",
                "description": None,
                "description_zh": None,
                "amount": "300000",
                "unit": "CNY",
                "resource": None,
                "when": None,
            },
            {
                "party": "liede-committee",
                "kind": "venue",
                "description": "The square",
                "description_zh": "猎德广场",
                "amount": None,
                "unit": None,
                "resource": "square",
                "when": "monthly first sat 09:00-12:00",
            },
            {
                "party": "liede-sw",
                "kind": "volunteers",
                "description": None,
                "description_zh": None,
                "amount": "20",
                "unit": "people",
                "resource": None,
                "when": None,
            },
        ],
        "signatures": [],
        "unsigned": [p["stakeholder"] for p in parties],
    }
    if signed:
        doc["signatures"] = [
            _signature("liede-street", "李伟", "主任", "2024-02-20", "signature+seal"),
            _signature("liede-sw", "陈静", "站长", "2024-02-21", "seal"),
            _signature("liede-committee", "黄丽", "主任", "2024-02-21", "signature+seal"),
        ]
        doc["unsigned"] = []
    stakeholders = [
        _stakeholder(
            "liede-street",
            "Liede Street Office",
            "government",
            name_zh="猎德街道办事处",
            contacts=[{"channel": "phone", "value": "020-0000-0000"}],
            representatives=[{"name": "李伟", "title": "主任"}],
        ),
        _stakeholder(
            "liede-sw",
            "Liede Social Work Station",
            "social-organisation",
            name_zh="猎德社工站",
            contacts=[{"channel": "mobile", "value": "139 0000 1111"}, {"channel": "wechat", "value": "liede-sw"}],
        ),
        _stakeholder(
            "liede-committee",
            "Liede Neighbourhood Committee",
            "neighbourhood-committee",
            name_zh="猎德社区居民委员会",
            contacts=[{"channel": "address", "value": "广州市天河区猎德村"}],
        ),
    ]
    return cast(AgreementDoc, doc), stakeholders


def sample_duties() -> dict[str, dict[str, Any]]:
    """What the annex of the sample agreement knows about its duties (the lead's services pass the same)."""
    markets = {"category": "markets", "category_name": "Public-welfare markets", "category_name_zh": "公益市集"}
    return {
        "market-funding": {"title": "Fund the market", "title_zh": "市集资金保障", **markets},
        "market-plan": {"title": "Plan the market", "title_zh": "市集策划与运营", **markets},
        "progress-report": {
            "title": "Report progress",
            "title_zh": "进展报告",
            "category": "reporting",
            "category_name": "Reporting",
            "category_name_zh": "报告与评估",
        },
        "market-venue": {"title": "Provide the venue", "title_zh": "提供活动场地", **markets},
    }


def _signature(party: str, signatory: str, title: str, date: str, method: str) -> dict[str, Any]:
    return {
        "party": party,
        "signatory": signatory,
        "title": title,
        "date": date,
        "method": method,
        "terms_hash": SAMPLE_HASH,
        "scan_sha256": None,
        "key_fingerprint": None,
    }


def _stakeholder(key: str, name: str, kind: str, **more: Any) -> Stakeholder:
    record: Stakeholder = {
        "key": key,
        "name": name,
        "name_zh": None,
        "kind": kind,
        "influence": None,
        "interest": None,
        "interests": None,
        "active": True,
        "contacts": [],
        "representatives": [],
        "address": None,
        "legal_representative": None,
        "registration_number": None,
    }
    return {**record, **more}  # type: ignore[typeddict-item]


def sample_register() -> list[Stakeholder]:
    return [
        _stakeholder(
            "liede-sw",
            "Liede Social Work Station",
            "social-organisation",
            name_zh="猎德社工站",
            influence=4,
            interest=5,
            interests="venues; volunteers",
            contacts=[{"channel": "phone", "value": "020-0000-0000"}],
            representatives=[{"name": "Chen Jing", "title": "Director"}],
        )
    ]


def check_template(name: str, workspace: Path) -> list[str]:
    """Every problem rendering ``name`` against sample data: in each language, at each moment of an agreement's life."""
    from coordkit.render.documents import agreement_context, register_context
    from coordkit.render.environment import render

    known = {row["name"] for row in list_templates(workspace)}
    if name not in known:
        raise InvalidInput(_("no template '{name}'; see coord template list").format(name=name))
    _doc, stakeholders = sample_agreement()
    samples = [sample_agreement(status)[0] for status in ("signed", "draft", "circulating", "superseded", "terminated")]
    duties = sample_duties()
    problems: list[str] = []
    for lang in ("en", "zh"):
        for sample in samples:
            try:
                if name == DOCX:
                    from coordkit.render.docx import render_docx

                    render_docx(agreement_context(sample, stakeholders, lang, duties=duties), workspace)
                elif name.startswith("register"):
                    render(name, register_context(sample_register(), lang, "2024-01-01"), workspace)
                elif name.startswith("matrix"):
                    from coordkit.render.matrix import to_html

                    to_html(
                        {
                            "project": "liede-renjia",
                            "on": "2024-01-01",
                            "by": "stakeholder",
                            "columns": [
                                {"key": "liede-sw", "name": "Liede Social Work Station", "name_zh": "猎德社工站"}
                            ],
                            "rows": [
                                {
                                    "project": "liede-renjia",
                                    "category": "markets",
                                    "duty": "market-plan",
                                    "title": "Plan the market",
                                    "title_zh": "策划市集",
                                    "cells": {"liede-sw": "R,C"},
                                    "findings": ["no-accountable"],
                                }
                            ],
                            "legend": {"R": "Responsible"},
                        },
                        workspace,
                    )
                else:
                    render(name, agreement_context(sample, stakeholders, lang, duties=duties), workspace)
            except CoordError as error:
                message = f"{lang}, {sample['status']}: {error}"
                if message not in problems:
                    problems.append(message)
    return problems
