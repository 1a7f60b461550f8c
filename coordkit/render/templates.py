"""Listing, copying and checking the document templates."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from coordkit.domain.agreements import AgreementDoc, Party
from coordkit.domain.stakeholders import Stakeholder
from coordkit.errors import CoordError, InvalidInput, did_you_mean
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
        hint = did_you_mean(name, _builtin_names(), otherwise="built-in")
        raise InvalidInput(f"no built-in template '{name}'{hint}")
    target = workspace / "templates" / name
    if target.exists() and not force:
        raise InvalidInput(f"{target} exists; pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    if name == DOCX:
        from coordkit.render.docx import build_template

        target.write_bytes(build_template())
    else:
        shutil.copyfile(builtin_dir() / name, target)
    return target


def sample_agreement() -> tuple[AgreementDoc, list[Stakeholder]]:
    """A signed agreement with every field set, in both languages, for ``template check``."""
    parties: list[Party] = [
        {
            "stakeholder": "liede-street",
            "label": "Party A",
            "name": "Liede Street Office",
            "name_zh": "猎德街道办事处",
            "address": None,
            "legal_representative": None,
            "registration_number": None,
            "signer": {"name": "Li Wei", "title": "Director"},
            "key_fingerprint": None,
        },
        {
            "stakeholder": "liede-sw",
            "label": "Party B",
            "name": "Liede Social Work Station",
            "name_zh": "猎德社工站",
            "address": None,
            "legal_representative": None,
            "registration_number": None,
            "signer": None,
            "key_fingerprint": None,
        },
    ]
    doc: AgreementDoc = {
        "key": "AGR-2024-001",
        "version": 1,
        "versions": 1,
        "project": "liede-renjia",
        "kind": "activity",
        "kind_name": "Activity agreement",
        "kind_name_zh": "活动合作协议",
        "title": "Monthly public-welfare market",
        "title_zh": "公益市集合作协议",
        "status": "signed",
        "effective": "2024-03-01",
        "expires": "2024-12-31",
        "notice": None,
        "renewal": "none",
        "review_every": "3m",
        "languages": ["en", "zh"],
        "form": 2,
        "terms_hash": "0" * 64,
        "fingerprint": "0" * 12,
        "envelope_hash": None,
        "frozen_at": "2024-02-20T00:00:00+00:00",
        "terminated_on": None,
        "termination_reason": None,
        "superseded_by": None,
        "parties": parties,
        "goals": [{"text": "A monthly market run by residents", "text_zh": "每月由居民自主运营一次公益市集"}],
        "methods": [{"text": "Residents run the stalls", "text_zh": "居民自主经营摊位"}],
        "dispute_resolution": [{"text": "Mediation by the street office", "text_zh": "由街道办事处调解"}],
        "communication": [{"text": "A joint meeting every month", "text_zh": "每月召开一次联席会议"}],
        "clauses": [],
        "rights": [{"party": "liede-sw", "text": "Use the square on market days", "text_zh": "市集日使用广场"}],
        "obligations": [
            {
                "party": "liede-sw",
                "text": "Plan each market",
                "text_zh": "策划每一期市集",
                "duty": "market-plan",
                "as": "R",
                "due": "2024-03-15",
                "every": None,
                "target": None,
            }
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
            }
        ],
        "signatures": [
            {
                "party": "liede-street",
                "signatory": "Li Wei",
                "title": "Director",
                "date": "2024-02-20",
                "method": "seal",
                "terms_hash": "0" * 64,
                "scan_sha256": None,
                "scan_name": None,
                "key_fingerprint": None,
                "key_signature": None,
            }
        ],
        "unsigned": ["liede-sw"],
    }
    stakeholders = [
        _stakeholder(
            "liede-street",
            "Liede Street Office",
            "government",
            contacts=[{"channel": "phone", "value": "020-0000-0000"}],
            representatives=[{"name": "Li Wei", "title": "Director"}],
        ),
        _stakeholder("liede-sw", "Liede Social Work Station", "social-organisation"),
    ]
    return doc, stakeholders


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
        "address": None,
        "legal_representative": None,
        "registration_number": None,
        "contacts": [],
        "representatives": [],
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
    """Every problem rendering ``name`` (in each language, draft and signed) against sample data."""
    from coordkit.render.documents import agreement_context, register_context
    from coordkit.render.environment import render

    known = {row["name"] for row in list_templates(workspace)}
    if name not in known:
        raise InvalidInput(f"no template '{name}'; see coord template list")
    doc, stakeholders = sample_agreement()
    draft: AgreementDoc = {**doc, "terms_hash": None, "fingerprint": None, "status": "draft", "signatures": []}
    problems: list[str] = []
    for lang in ("en", "zh"):
        for sample in (doc, draft):
            try:
                if name == DOCX:
                    from coordkit.render.docx import render_docx

                    render_docx(agreement_context(sample, stakeholders, lang), workspace)
                elif name.startswith("register"):
                    render(name, register_context(sample_register(), lang, "2024-01-01"), workspace)
                elif name.startswith("matrix"):
                    from coordkit.render.matrix import to_html

                    to_html(
                        {
                            "project": "liede-renjia",
                            "on": "2024-01-01",
                            "by": "stakeholder",
                            "columns": [{"key": "liede-sw", "name": "Liede Social Work Station"}],
                            "rows": [
                                {
                                    "project": "liede-renjia",
                                    "category": "markets",
                                    "duty": "market-plan",
                                    "title": "Plan the market",
                                    "cells": {"liede-sw": "R,C"},
                                    "findings": ["no-accountable"],
                                }
                            ],
                            "legend": {"R": "Responsible"},
                        },
                        workspace,
                    )
                else:
                    render(name, agreement_context(sample, stakeholders, lang), workspace)
            except CoordError as error:
                message = f"{lang}, {sample['status']}: {error}"
                if message not in problems:
                    problems.append(message)
    return problems
