"""Turning compact command-line values (``channel:value``, ``Name:Title``) into pairs, as people type them:
a colon or comma typed with a Chinese input method (：，) means what the ASCII one means."""

from __future__ import annotations

from coordkit.textparse import parse_contact, parse_rep


def contact_pairs(values: list[str] | None) -> list[tuple[str, str]]:
    """``phone:020-8888-0000``, ``手机：139 0000 1111``, ``微信：liede-sw`` (channels named in either language)."""
    return [parse_contact(value) for value in values or []]


def rep_pairs(values: list[str] | None) -> list[tuple[str, str | None]]:
    """``Chen Jing:Director`` or ``陈静：项目主任``."""
    return [parse_rep(value) for value in values or []]
