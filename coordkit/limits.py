"""How big things may be: each limit stops a mistake (or a hostile file) from filling memory or disk.

The README lists them; a value over a limit is refused with one line naming it.
Texts are counted in characters (a Chinese character is one), files in bytes.
A 10 MB name once made ``stakeholder list`` take 46 s and the register PDF
1.1 GB: a name is now at most 200 characters, a clause 10,000.
"""

from __future__ import annotations

SCAN_BYTES = 1024 * 1024 * 1024  # a scan of a signed paper: a 400 MB colour scan of 30 pages fits
YAML_BYTES = 64 * 1024 * 1024  # a workspace file: the reference store's export (10,000 duties) is 7 MB
DRAFT_BYTES = 4 * 1024 * 1024  # an agreement drafted --from a YAML file: a long agreement is 50 KB
KEY_BYTES = 64 * 1024  # an Ed25519 private key in PEM is 119 bytes
CONFIG_BYTES = 1024 * 1024  # coord.toml holds a handful of settings
BACKUP_ENTRY_BYTES = 8 * 1024 * 1024 * 1024  # one member of a backup archive (a table dump or a scan)

NAME_CHARS = 200  # a name, title or signatory: the longest registered name of a Chinese organisation is ~60
TEXT_CHARS = 10_000  # a clause, description or contact: a page and a half of Chinese
YAML_VALUE_CHARS = 1_000_000  # one value of a YAML file, refused as it is read; fields refuse far less by name
SHORT_CHARS = 32  # a contact channel or an agreement kind: the width of their columns on PostgreSQL

# The limit of a text by the field it is checked as (``check_text(value, what, field=...)``); others get TEXT_CHARS.
FIELD_CHARS = {
    "name": NAME_CHARS,
    "name_zh": NAME_CHARS,
    "title_zh": NAME_CHARS,
    "category": NAME_CHARS,
    "title": NAME_CHARS,
    "signatory": NAME_CHARS,
    "--signatory": NAME_CHARS,
    "unit": NAME_CHARS,
    "channel": SHORT_CHARS,
    "kind": SHORT_CHARS,
}
