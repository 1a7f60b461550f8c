"""Turning compact command-line values (``channel:value``, ``Name:Title``) into pairs."""

from __future__ import annotations

from coordkit.errors import InvalidInput


def contact_pairs(values: list[str] | None) -> list[tuple[str, str]]:
    pairs = []
    for value in values or []:
        channel, sep, rest = value.partition(":")
        if not sep or not channel.strip() or not rest.strip():
            raise InvalidInput(f"--contact '{value}': expected CHANNEL:VALUE, e.g. phone:020-8888-0000")
        pairs.append((channel.strip(), rest.strip()))
    return pairs


def rep_pairs(values: list[str] | None) -> list[tuple[str, str | None]]:
    pairs: list[tuple[str, str | None]] = []
    for value in values or []:
        name, _, title = value.partition(":")
        if not name.strip():
            raise InvalidInput(f"--rep '{value}': expected NAME or NAME:TITLE")
        pairs.append((name.strip(), title.strip() or None))
    return pairs
